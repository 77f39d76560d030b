"""Files loaded into the dashboard: monthly returns and targets files.

files.py reads a file safely (the one place for size, encoding and spreadsheet
limits); checks.py holds the one style of rule both kinds' cells are checked by;
returns.py and targets.py are the two kinds; kinds.py declares each kind once, and
the load page, the command line (cli.py), the templates (templates.py), a load
(load.py) and the build's replay (replay.py) read that declaration; log.py keeps the
archive and data/imports/log.csv; compare.py marks rows new, revised or unchanged.
"""
