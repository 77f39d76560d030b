"""A table a view built, shown sortable with one row highlighted, and its downloads
(CSV, and Excel with a sheet saying what it is)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from charts.export import csv_bytes, xlsx_bytes

HIGHLIGHT = "background-color: #DCE6F0; font-weight: bold"  # the focus LA's row
OWN_TABLE_KEY = "own_table"  # session state: the own table the board pack prints


def workbook(table: pd.DataFrame, about: dict[str, str]) -> bytes:
    """An Excel workbook: sheet 'Data' (the table) and sheet 'About' (what it is),
    written as every download is (charts.export)."""
    about_sheet = pd.DataFrame({"item": list(about), "value": list(about.values())})
    return xlsx_bytes({"Data": table, "About": about_sheet})


def show_table(
    table: pd.DataFrame, slug: str, about: dict[str, str], focus: str = "focus"
) -> None:
    """A table (sortable by any column's heading), the rows whose ``focus`` column is
    filled highlighted, then its CSV and Excel downloads."""
    styled = table.style.apply(
        lambda row: [HIGHLIGHT if row.get(focus) else ""] * len(row), axis=1
    )
    st.dataframe(styled, hide_index=True)
    row = st.container(horizontal=True, gap="small")
    files = (
        ("CSV", "csv", "text/csv", lambda: csv_bytes(table)),
        (
            "Excel",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            lambda: workbook(table, about),
        ),
    )
    for name, extension, mime, data in files:
        # Each file is written when its button is pressed, not on every run.
        row.download_button(
            f"Download the table ({name})",
            data,
            file_name=f"{slug}.{extension}",
            mime=mime,
            key=f"{extension}-{slug}",
            on_click="ignore",
        )
