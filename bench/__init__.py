"""Benchmark of every dashboard page against a bare Streamlit page (issue #6).

Run ``python -m bench`` (``--quick``, ``--skip-browser``, ``--out PATH``); it prints a
table and writes it to bench/results/latest.md and latest.json. Nothing here is
imported by the app; data generated for the 10x scale test is labelled synthetic and
lives only in a temporary directory.
"""
