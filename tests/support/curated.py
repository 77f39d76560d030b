"""Reading what the curated tests check against: the cited sources (Ofsted reports,
the outcomes spreadsheet, the data dictionary and caveats) and the curated rows read
back from the built database."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

import duckdb
import pandas as pd
import pypdf

from metrics.config import DATA_DIR

OFSTED = DATA_DIR / "raw" / "ofsted"
ODS = OFSTED / "LA_Inspection_Outcomes_as_at_31_March_2025.ods"
REPORTS = OFSTED / "doncaster-reports"
DICTIONARY = DATA_DIR.parent / "docs" / "DATA_DICTIONARY.md"
CAVEATS = DATA_DIR.parent / "docs" / "CAVEATS.md"
OFFICIAL = ("dfe_lait", "dfe_cin_b1", "dfe_csww")


# --- reading the sources -------------------------------------------------------------


@cache
def report_page(name: str, page: int) -> str:
    """One page of an Ofsted report (1-based), whitespace collapsed."""
    reader = pypdf.PdfReader(REPORTS / f"ofsted-doncaster-{name}.pdf")
    return " ".join(reader.pages[page - 1].extract_text().split())


@cache
def ods_sheet(sheet: str) -> pd.DataFrame:
    """A sheet of the outcomes file read with odfpy (the build uses calamine)."""
    return pd.read_excel(ODS, engine="odf", sheet_name=sheet, header=None)


def ods_row(sheet: str, row: int) -> list[object]:
    """Spreadsheet row ``row`` (1-based, as a locator names it)."""
    return list(ods_sheet(sheet).iloc[row - 1])


def row_number(locator: str) -> int:
    """The spreadsheet row a locator ends with ("…, row 66")."""
    match = re.search(r"row (\d+)$", locator)
    assert match, locator
    return int(match.group(1))


# --- reading the database ------------------------------------------------------------


def rows(con: duckdb.DuckDBPyConnection, sql: str, params=()) -> list[dict]:
    cursor = con.execute(sql, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def milestone(con: duckdb.DuckDBPyConnection, label_part: str) -> dict:
    """The one milestone whose label contains ``label_part``."""
    found = rows(
        con,
        "SELECT * FROM milestones WHERE contains(label, ?) ORDER BY milestone_date",
        [label_part],
    )
    assert len(found) == 1, (label_part, found)
    return found[0]


def timeline(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Milestone labels in the order the timeline draws them (metrics.queries)."""
    return [
        r[0]
        for r in con.execute(
            "SELECT label FROM milestones ORDER BY milestone_date"
        ).fetchall()
    ]


def inspection_dates(report: str) -> tuple[dt.date, dt.date]:
    """An inspection's first and last day from a report's front page, as written
    ("14 September – 8 October 2015", "9-24 November 2017", "14 February to
    25 February 2022", "20 to 31 January 2025")."""
    page = report_page(report, 1)
    span = re.search(
        r"Inspection dates?: (\d+)(?: (\w+))?(?: \d{4})?\s*(?:[–-]|to)\s*"
        r"(\d+) (\w+) (\d{4})",
        page,
    )
    assert span, page[:300]
    first, first_month, last, month, year = span.groups()
    start = dt.datetime.strptime(
        f"{first} {first_month or month} {year}", "%d %B %Y"
    ).date()
    return start, dt.datetime.strptime(f"{last} {month} {year}", "%d %B %Y").date()


def front_page_dates(report: str) -> tuple[dt.date, dt.date, dt.date]:
    """Inspection first and last day and publication date from a SIF front page."""
    published = re.search(r"Report published: (\d+ \w+ \d{4})", report_page(report, 1))
    assert published, report
    start, end = inspection_dates(report)
    return start, end, dt.datetime.strptime(published.group(1), "%d %B %Y").date()


def target(con: duckdb.DuckDBPyConnection, target_id: str) -> dict:
    found = rows(con, "SELECT * FROM target_status WHERE target_id = ?", [target_id])
    assert len(found) == 1
    return found[0]


def curated_figures() -> pd.DataFrame:
    """data/curated/document_figures.csv as written, by figure_id."""
    return pd.read_csv(
        DATA_DIR / "curated" / "document_figures.csv", dtype=str, keep_default_na=False
    ).set_index("figure_id")


def observation(con: duckdb.DuckDBPyConnection, metric_id: str, **where) -> dict:
    """The one curated observation of a metric (optionally on a date)."""
    sql = (
        "SELECT * FROM observations WHERE metric_id = ? AND source_id NOT IN (?, ?, ?)"
    )
    params = [metric_id, *OFFICIAL]
    for column, value in where.items():
        sql += f" AND {column} = ?"
        params.append(value)
    found = rows(con, sql, params)
    assert len(found) == 1, (metric_id, where, found)
    return found[0]
