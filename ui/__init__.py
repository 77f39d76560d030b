"""Streamlit helpers shared by the pages: database access, focus LA, chart display."""
