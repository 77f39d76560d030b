"""Benchmark of every dashboard page against a matched bare Streamlit page.

Pages come from views.pages.PAGES, queries from metrics.queries.Database by name
(bench/queries.py); each page is compared with a bare page showing the same number of
Plotly charts and st.metric elements in the same shell (bench/pages.py).

Run ``python -m bench`` (``--quick``, ``--skip-browser``, ``--out PATH``); it prints a
table and writes it to bench/results/latest.md and latest.json. Nothing here is
imported by the app; data generated for the 10x scale test is labelled synthetic and
lives only in a temporary directory.
"""
