"""A rebuild that fails keeps the last good database serving.

Each fault is made in a copy of data/: the command line must say in two plain lines
which file, what is wrong and what to do, and exit non-zero without a traceback;
the app must show one banner saying the same with the date of the data shown, and
still draw its charts from the last good database.
"""

from __future__ import annotations

import csv
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from metrics import build as build_module
from metrics import serving
from metrics.build import built_at, stored_hash
from metrics.config import DATA_DIR, PROJECT_DIR
from metrics.serving import serve_database
from tests.support.areas import CHARTS, DONCASTER
from tests.support.charts import decode, figures
from tests.support.data import ROOT, copy_data, read_rows, write_rows
from tests.support.lait import lait

PARQUET = "raw/dfe/lait_bds_long.parquet"
CIN = "raw/dfe/b1_children_in_need_2013_to_2025.csv"
CSWW = "raw/dfe/csww_indicators_2017_to_2025.csv"
DICTIONARY = "raw/dfe/lait_data_dictionary.csv"
SN_2025 = "raw/dfe/sn_model_2025_wide.csv"
CODES = "raw/dfe/lait_la_code_list.xlsx"
ODS = "raw/ofsted/LA_Inspection_Outcomes_as_at_31_March_2025.ods"
FIGURES = "curated/document_figures.csv"
PROVENANCE_FIX = "put back the file exactly as published (data/PROVENANCE.md"


def _cut(path: Path) -> None:
    """Keep the first half of the file's bytes, ending inside a line."""
    content = path.read_bytes()
    end = len(content) // 2
    while content[end - 1 : end] == b"\n":
        end -= 1
    path.write_bytes(content[:end])


def _garbage(path: Path) -> None:
    path.write_bytes(b"<html><body>Sign in to download this file</body></html>\n")


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _parquet(change: Callable[[pd.DataFrame], pd.DataFrame]) -> Callable:
    def damage(path: Path) -> None:
        change(pd.read_parquet(path)).to_parquet(path, index=False)

    return damage


def _drop_column(name: str) -> Callable:
    def damage(path: Path) -> None:
        rows = read_rows(path)
        i = rows[0].index(name)
        write_rows(path, [r[:i] + r[i + 1 :] for r in rows])

    return damage


def _cell(column: str, line: int, value: str) -> Callable:
    def damage(path: Path) -> None:
        rows = read_rows(path)
        rows[line - 1][rows[0].index(column)] = value
        write_rows(path, rows)

    return damage


def _rename(path: Path) -> None:
    path.rename(path.with_name(f"{path.stem} (1){path.suffix}"))


def _xlsx_header(path: Path) -> None:
    frame = pd.read_excel(path, engine="calamine")
    frame.rename(columns={"LA Number": "LA Code"}).to_excel(path, index=False)


def _cut_csv_problem(path: Path) -> str:
    """What a CSV file cut by _cut must be reported as, worked out with csv here."""
    copy = Path(tempfile.mkdtemp()) / path.name
    shutil.copyfile(path, copy)
    _cut(copy)
    with open(copy, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    shutil.rmtree(copy.parent)
    return (
        f", row {len(rows)}: has {len(rows[-1])} fields where the header has "
        f"{len(rows[0])} (it may be cut short or damaged)"
    )


@dataclass(frozen=True)
class Fault:
    """A damaged data file and what must be said about it."""

    id: str
    file: str
    damage: Callable[[Path], None]
    problem: str  # what follows "data/<file>" in the message
    fix: str = PROVENANCE_FIX


FAULTS = [
    Fault(
        "parquet-truncated",
        PARQUET,
        _cut,
        ": is not a complete Parquet file (it may be cut short or damaged)",
    ),
    Fault(
        "parquet-unreadable",
        PARQUET,
        _garbage,
        ": is not a complete Parquet file (it may be cut short or damaged)",
    ),
    Fault(
        "parquet-renamed-column",
        PARQUET,
        _parquet(lambda f: f.rename(columns={"Values": "Value"})),
        ", column 'Values': column is missing: the build reads it (was it renamed?)",
    ),
    Fault(
        "parquet-wrong-type",
        PARQUET,
        _parquet(lambda f: f.assign(**{"LA Number": f["LA Number"].astype(str)})),
        ", column 'LA Number': holds VARCHAR where numbers are expected",
    ),
    Fault("csv-empty", CIN, _empty, ": the file is empty"),
    Fault("csv-truncated", CSWW, _cut, _cut_csv_problem(DATA_DIR / CSWW)),
    Fault(
        "csv-missing-column",
        DICTIONARY,
        _drop_column("Polarity"),
        ", row 1, column 'Polarity': column is missing: the build reads it (was it "
        "renamed?)",
    ),
    Fault(
        "csv-wrong-type",
        CIN,
        _cell("time_period", 40, "2023-24"),
        ", row 40, column 'time_period': '2023-24' is not a whole number",
    ),
    Fault("file-missing", SN_2025, _rename, ": the file is missing"),
    Fault(
        "xlsx-renamed-column",
        CODES,
        _xlsx_header,
        ", row 1, column 'LA Number': column is missing: the build reads it (was it "
        "renamed?)",
    ),
    Fault(
        "ods-truncated",
        ODS,
        _cut,
        ": is not a complete spreadsheet (it may be cut short or damaged)",
    ),
    Fault(
        "curated-bad-row",
        FIGURES,
        _cell("period_end", 6, "early 2013"),
        ", row 6, column 'period_end': 'early 2013' is not a valid date (Invalid "
        "isoformat string: 'early 2013')",
        "correct row 6 of data/curated/document_figures.csv (docs/SCHEMA.md gives "
        "each column's meaning)",
    ),
]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def cli_build(db: Path, data: Path, *extra: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "DASHBOARD_DB"}
    return subprocess.run(
        [sys.executable, "-m", "metrics", "build", "--db", str(db)]
        + ["--data-dir", str(data), *extra],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


# --- fixtures ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def good(built_db: Path, tmp_path_factory) -> tuple[Path, Path]:
    """A copy of data/ and of the database built from it (the last good data)."""
    root = tmp_path_factory.mktemp("last_good")
    data = copy_data(root / "data")
    db = root / "db" / "dashboard.duckdb"
    db.parent.mkdir()
    shutil.copyfile(built_db, db)
    assert stored_hash(db) == build_module.data_hash(data)
    return data, db


_DAMAGED: dict[str, Path] = {}


@pytest.fixture
def damaged(request, good, tmp_path_factory) -> tuple[Fault, Path]:
    """A copy of data/ with one fault (made once per fault, shared by its tests)."""
    fault: Fault = request.param
    if fault.id not in _DAMAGED:
        data = tmp_path_factory.mktemp(fault.id) / "data"
        shutil.copytree(good[0], data)
        fault.damage(data / fault.file)
        _DAMAGED[fault.id] = data
    return fault, _DAMAGED[fault.id]


def serve_app(monkeypatch, db: Path, data: Path) -> AppTest:
    """The app on a database and a data folder, at its default page."""
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    monkeypatch.setenv("DASHBOARD_DATA", str(data))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["la"] = DONCASTER.code
    return at.run()


def banners(at: AppTest) -> list[str]:
    return [w.value for w in at.warning if "Showing the last good data" in w.value]


def unescaped(text: str) -> str:
    """Markdown as a reader sees it: backslash escapes removed."""
    return text.replace("\\", "")


# --- the command line --------------------------------------------------------------


@pytest.mark.parametrize("damaged", FAULTS, ids=lambda f: f.id, indirect=True)
def test_cli_build_says_what_is_wrong_in_two_lines_and_keeps_the_database(
    damaged, good
):
    fault, data = damaged
    db = good[1]
    before = sha256(db)
    done = cli_build(db, data)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 2, done.stderr
    assert lines[0] == (
        f"error: data/{fault.file}{fault.problem}; the last good database, built "
        f"{built_at(db)}, is unchanged"
    )
    assert lines[1].startswith(f"fix: {fault.fix}")
    assert lines[1].endswith(", then run `python -m metrics build` again")
    assert "Traceback" not in done.stderr
    assert sha256(db) == before
    assert {p.name for p in db.parent.iterdir()} <= {db.name, f"{db.name}.lock"}


def test_cli_debug_shows_the_traceback_then_the_same_two_lines(good, tmp_path):
    data = copy_data(tmp_path / "data")
    _cut(data / PARQUET)
    done = cli_build(good[1], data, "--debug")
    assert done.returncode == 2
    assert "Traceback (most recent call last)" in done.stderr
    assert "duckdb" in done.stderr  # the reader's own error, as the cause
    last = done.stderr.splitlines()[-2:]
    assert last[0].startswith(f"error: data/{PARQUET}: is not a complete Parquet")
    assert last[1].startswith(f"fix: {PROVENANCE_FIX}")


def test_cli_first_build_with_a_damaged_file_writes_no_database(tmp_path):
    data = copy_data(tmp_path / "data")
    _cut(data / PARQUET)
    db = tmp_path / "new" / "dashboard.duckdb"
    done = cli_build(db, data)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"error: data/{PARQUET}: is not a complete Parquet file (it may be cut short "
        "or damaged); no database has been built yet",
        f"fix: {PROVENANCE_FIX} gives its source and SHA-256), then run "
        "`python -m metrics build` again",
    ]
    assert not db.exists()


# --- the app -----------------------------------------------------------------------


@pytest.mark.parametrize("damaged", FAULTS, ids=lambda f: f.id, indirect=True)
def test_app_shows_one_banner_and_the_last_good_charts(damaged, good, monkeypatch):
    fault, data = damaged
    db = good[1]
    at = serve_app(monkeypatch, db, data)
    assert not at.exception, [e.value for e in at.exception]
    for page in ("overview", "timeliness"):
        if page != "overview":
            at.switch_page(f"pages/{page}.py").run()
            assert not at.exception, [e.value for e in at.exception]
        shown = banners(at)
        assert len(shown) == 1, page
        text = unescaped(shown[0])
        assert f"Showing the last good data, built {built_at(db)}." in text
        assert f"data/{fault.file}{fault.problem}." in text
        assert f"What to do:** {fault.fix}" in text
        assert "tries the build again by itself as soon as the files change" in text
        assert len(figures(at)) == CHARTS[page]["Doncaster"]
    # The national series comes from the LAIT file, damaged or not: the chart still
    # holds every value of the good file.
    trace = next(t for t in figures(at)[0]["data"] if t["name"] == DONCASTER.name)
    good_values = lait("Continue_Assess_Comp", DONCASTER.la_number).dropna()
    assert decode(trace["y"]) == pytest.approx(good_values.sort_index().values)
    assert stored_hash(db) == build_module.data_hash(good[0])  # not rebuilt


def test_first_run_with_a_damaged_file_shows_the_message_not_a_traceback(
    tmp_path, monkeypatch
):
    data = copy_data(tmp_path / "data")
    _cut(data / PARQUET)
    db = tmp_path / "none" / "dashboard.duckdb"
    at = serve_app(monkeypatch, db, data)
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == ["The dashboard's data cannot be built"]
    error = unescaped(at.error[0].value)
    assert "No database has been built yet" in error
    assert f"data/{PARQUET}: is not a complete Parquet file" in error
    assert PROVENANCE_FIX in unescaped(at.info[0].value)
    assert figures(at) == [] and len(at.sidebar.selectbox) == 0
    assert not db.exists()


def test_the_banner_goes_once_the_file_is_put_back(good, tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(good[0], data)
    db = tmp_path / "db" / "dashboard.duckdb"
    db.parent.mkdir()
    shutil.copyfile(good[1], db)
    path = data / FIGURES
    original = path.read_bytes()
    _cell("period_end", 6, "early 2013")(path)
    at = serve_app(monkeypatch, db, data)
    assert len(banners(at)) == 1
    path.write_bytes(original)
    at.run()  # the same session, after the file was put right
    assert banners(at) == [] and not at.exception
    assert len(figures(at)) == CHARTS["overview"]["Doncaster"]


# --- retried only when the files change ----------------------------------------------


@pytest.mark.slow
def test_a_failed_build_is_tried_again_only_when_the_files_change(
    good, tmp_path, monkeypatch
):
    data = tmp_path / "data"
    shutil.copytree(good[0], data)
    db = tmp_path / "db" / "dashboard.duckdb"
    db.parent.mkdir()
    shutil.copyfile(good[1], db)
    good_hash = stored_hash(db)
    builds = []
    real = build_module.build
    monkeypatch.setattr(
        build_module, "build", lambda *a, **k: builds.append(1) or real(*a, **k)
    )
    path = data / FIGURES
    original = path.read_bytes()
    _cell("period_end", 6, "early 2013")(path)

    first = serve_database(db, data)
    assert first.data_hash == good_hash and len(builds) == 1
    assert first.failure.file == f"data/{FIGURES}"
    assert first.failure.problem.startswith(f"data/{FIGURES}, row 6, column")

    again = serve_database(db, data)
    assert again.failure == first.failure and len(builds) == 1  # not tried again

    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert serve_database(db, data).failure == first.failure and len(builds) == 1

    _cell("period_end", 6, "sometime in 2013")(path)  # changed, still wrong
    changed = serve_database(db, data)
    assert len(builds) == 2 and "'sometime in 2013'" in changed.failure.problem

    path.write_bytes(original)  # put back: the last good database is built from it
    restored = serve_database(db, data)
    assert len(builds) == 2 and restored.failure is None
    assert restored.data_hash == good_hash == build_module.data_hash(data)

    _cell("note", 6, "A note added later")(path)  # a good change: built at once
    changed = serve_database(db, data)
    assert len(builds) == 3 and changed.failure is None
    assert changed.data_hash == stored_hash(db) == build_module.data_hash(data)
    assert changed.data_hash != good_hash


def test_the_official_files_as_published_pass_their_checks():
    from metrics.official_files import check_official_files

    check_official_files(DATA_DIR)  # raises DataError on a fault


def test_a_faulty_sheet_cell_is_named_with_its_sheet(tmp_path):
    from metrics.official_files import check
    from metrics.sources import BY_NAME
    from metrics.storage import DataError

    ods = BY_NAME["ofsted_outcomes"].parts[0].expected
    sheets = pd.read_excel(DATA_DIR / ODS, sheet_name=None, header=None)
    sheets["ILACS_inspection_history"].iloc[9, 5] = "to be confirmed"
    data = tmp_path / "data"
    (data / ODS).parent.mkdir(parents=True)
    with pd.ExcelWriter(data / ODS, engine="odf") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, header=False, index=False)
    with pytest.raises(DataError) as caught:
        check(ods, data, Path(ODS))
    assert str(caught.value) == (
        f"{ODS}, row 10, column 'Inspection date': 'to be confirmed' is not a date "
        "(sheet ILACS_inspection_history)"
    )


def test_build_failure_of_an_unexpected_error_says_it_is_no_file_fault():
    failure = serving.BuildFailure.of(OSError(28, "No space left on device"))
    assert failure.file is None
    assert failure.problem == (
        "the build failed (OSError: [Errno 28] No space left on device)"
    )
    assert "--debug" in failure.fix


def test_a_loader_error_the_checks_miss_names_the_step_files(tmp_path):
    con = duckdb.connect()

    def boom(c):
        raise ValueError("invalid literal for int() with base 10: 'x'\nmore")

    with pytest.raises(build_module.DataError) as caught:
        build_module._run_step("statistical neighbours", boom, con)
    assert str(caught.value) == (
        f"{SN_2025} or raw/dfe/New_Statistical_Neighbour_Groupings_April_2021.csv: "
        "could not be read (ValueError: invalid literal for int() with base 10: 'x')"
    )
