"""The build holds every curated date to its rule (metrics.date_rules): each fault
stops the load with the file, row and column, on a copy of the curated files with
one cell changed."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from metrics import curated, official, releases
from metrics.build import SCHEMA_SQL, build
from metrics.config import DATA_DIR
from metrics.storage import DataError, sha256
from tests.support.data import copy_data, read_rows, write_rows

FOUND = releases.find(DATA_DIR)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The curated files and the LAIT dictionary (for LAIT's ids), copied."""
    shutil.copytree(DATA_DIR / "curated", tmp_path / "curated")
    dictionary = Path("raw") / "dfe" / "lait_data_dictionary.csv"
    (tmp_path / dictionary).parent.mkdir(parents=True)
    shutil.copyfile(DATA_DIR / dictionary, tmp_path / dictionary)
    return tmp_path


def edit(data: Path, file: str, find: Callable[[dict], bool], **cells: str) -> int:
    """Change some cells of the first row ``find`` accepts; return its file line."""
    path = data / "curated" / file
    rows = read_rows(path)
    header = rows[0]
    for line, row in enumerate(rows[1:], start=2):
        if find(dict(zip(header, row))):
            for column, value in cells.items():
                row[header.index(column)] = value
            write_rows(path, rows)
            return line
    raise AssertionError(f"no such row in {file}")


def load(data: Path) -> duckdb.DuckDBPyConnection:
    """Sources, measures, report figures, milestones and targets, as the build does."""
    con = duckdb.connect()
    con.execute(SCHEMA_SQL.read_text())
    curated.load_sources(con, data)
    curated.load_metrics(con, data)
    # The dictionary copied is the one of the release in use in data/.
    official.load_lait_dictionary(con, data, FOUND)
    curated.load_document_figures(con, data)
    curated.load_milestones(con, data)
    return con


def fails(data: Path, file: str, line: int, column: str, words: str) -> None:
    with pytest.raises(DataError) as caught:
        load(data)
    error = caught.value
    assert (error.file, error.row, error.column) == (f"curated/{file}", line, column)
    assert words in error.problem, error.problem


def label(text: str) -> Callable[[dict], bool]:
    return lambda row: row.get("label", "").startswith(text)


def keyed(column: str, value: str) -> Callable[[dict], bool]:
    return lambda row: row[column] == value


def figure(figure_id: str) -> Callable[[dict], bool]:
    return keyed("figure_id", figure_id)


def test_the_curated_files_as_they_are_load(data) -> None:
    con = load(data)
    assert con.execute("SELECT count(*) FROM milestones").fetchone() == (49,)
    assert con.execute(
        "SELECT count(*) FROM observations WHERE origin = 'report'"
    ).fetchone() == (52,)


@pytest.mark.parametrize(
    "file, find, cells, column, words",
    [
        # A rule the dictionary does not define.
        (
            "milestones.csv",
            label("Trust goes live"),
            {"date_rule": "roughly"},
            "date_rule",
            "unknown date rule 'roughly'",
        ),
        # A scheduled date needs its note.
        (
            "milestones.csv",
            label("Direction to enter arrangements"),
            {"note": ""},
            "note",
            "needs a note",
        ),
        # "document_date" where the document's own date is inferred.
        (
            "milestones.csv",
            label("Government announces an independent trust"),
            {"date_rule": "document_date"},
            "date_rule",
            "inferred",
        ),
        # One precision for the rows of one document date.
        (
            "document_figures.csv",
            figure("F26"),
            {"date_precision": "day"},
            "date_precision",
            "to the month",
        ),
        # A row dated by its document takes the document's date.
        (
            "document_figures.csv",
            figure("F20"),
            {"period_end": "2013-07-02"},
            "period_end",
            "takes the source's date, 2013-07-01",
        ),
        # "inferred_document_date" on a dated document.
        (
            "document_figures.csv",
            figure("F19"),
            {"date_rule": "inferred_document_date"},
            "date_rule",
            "the source is dated",
        ),
        # A precision the rule does not allow.
        (
            "milestones.csv",
            label("Trust goes live"),
            {"date_precision": "month"},
            "date_precision",
            "has precision day",
        ),
        # The year of a "by" date must be the one inferred for its document.
        (
            "milestones.csv",
            label("Services to return to the council"),
            {"milestone_date": "2023-09-30"},
            "milestone_date",
            "year inferred",
        ),
        (
            "milestones.csv",
            label("Trust goes live"),
            {"kind": "contract"},
            "kind",
            "use one of",
        ),
        (
            "targets.csv",
            keyed("target_id", "good_by_oct_2017"),
            {"deadline_precision": "day"},
            "deadline_precision",
            "has precision month",
        ),
        (
            "sources.csv",
            keyed("source_id", "press_2022_inhouse"),
            {"published_note": ""},
            "published_note",
            "say how the document's date was inferred",
        ),
        (
            "sources.csv",
            keyed("source_id", "dfe_sn_2025"),
            {"published_rule": "exact"},
            "published_precision",
            "has precision day",
        ),
        (
            "sources.csv",
            keyed("source_id", "dfe_sn_2025"),
            {"published_rule": "guessed"},
            "published_rule",
            "use one of",
        ),
    ],
)
def test_a_date_that_breaks_its_rule_names_file_row_and_column(
    data, file, find, cells, column, words
) -> None:
    line = edit(data, file, find, **cells)
    fails(data, file, line, column, words)


# --- the ILACS inspections' last days --------------------------------------------------


def day(text: str):
    return pd.Timestamp(text).date()


def judgements() -> pd.DataFrame:
    """Judgements made up for these tests: Doncaster's two ILACS inspections without
    an end (as the national file gives them) and a SIF one with its end."""
    return pd.DataFrame(
        {
            "area_code": ["E08000017"] * 3,
            "framework": ["ILACS (2018-)", "ILACS (2018-)", "SIF (2013-2017)"],
            "inspection_start": [
                day("2022-02-14"),
                day("2025-01-20"),
                day("2017-11-09"),
            ],
            "inspection_end": [None, None, day("2017-11-24")],
        }
    )


def ends(data: Path) -> pd.DataFrame:
    con = duckdb.connect()
    con.execute(SCHEMA_SQL.read_text())
    curated.load_sources(con, data)
    return curated.with_inspection_ends(con, judgements(), data)


def test_inspection_ends_fill_the_matching_judgement_only(data) -> None:
    out = ends(data)
    assert [str(d) for d in out.inspection_end] == [
        "2022-02-25",
        "2025-01-31",
        "2017-11-24",
    ]
    assert list(out.inspection_end_source_id) == [
        "ofsted_2022_ilacs",
        "ofsted_2025_ilacs",
        None,
    ]
    assert out.inspection_end_locator[0] == "Front page (inspection dates)"


@pytest.mark.parametrize(
    "cells, column, words",
    [
        ({"inspection_start": "2022-02-15"}, "inspection_start", "no single judgement"),
        ({"inspection_end": "2022-02-13"}, "inspection_end", "before the first"),
        ({"source_id": "ofsted_2099"}, "source_id", "unknown source"),
        (
            {"inspection_start": "2017-11-09", "inspection_end": "2017-11-24"},
            "inspection_end",
            "already has a last day",
        ),
    ],
)
def test_a_wrong_inspection_end_names_file_row_and_column(
    data, cells, column, words
) -> None:
    line = edit(
        data,
        "ofsted_inspection_ends.csv",
        keyed("inspection_start", "2022-02-14"),
        **cells,
    )
    with pytest.raises(DataError) as caught:
        ends(data)
    error = caught.value
    assert (error.file, error.row, error.column) == (
        "curated/ofsted_inspection_ends.csv",
        line,
        column,
    )
    assert words in error.problem


@pytest.mark.slow
def test_the_build_reads_the_inspection_ends_and_keeps_the_last_good_database(
    tmp_path, built_db
) -> None:
    data = copy_data(tmp_path / "data")
    good = tmp_path / "good.duckdb"
    shutil.copyfile(built_db, good)
    before = sha256(good.read_bytes())
    line = edit(
        data,
        "ofsted_inspection_ends.csv",
        keyed("inspection_start", "2025-01-20"),
        inspection_start="2025-01-21",
    )
    with pytest.raises(DataError) as caught:
        build(good, data)
    assert str(caught.value).startswith(
        f"curated/ofsted_inspection_ends.csv, row {line}, column 'inspection_start'"
    )
    assert sha256(good.read_bytes()) == before
