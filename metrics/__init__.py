"""Data layer of the dashboard: build, queries, targets and grades (no Streamlit)."""
