"""Monthly figures computed from the council's children in need census extract.

extract.py reads the extract as a stream, workdays.py counts England's working
days, measures.py computes the seven measures by DfE's definitions and cli.py is
`python -m metrics derive`. Only aggregates ever leave this package.
"""
