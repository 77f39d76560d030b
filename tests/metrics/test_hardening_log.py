"""The import log cannot be edited without trace: each row is chained to the one
before, the build checks the chain, and a broken chain or an archived file with no
log row stops the build (the last good data keep being served under the banner).
A log written before rows were chained still reads, and the next load chains it."""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics.config import DATA_ENV, DB_ENV, EXAMPLES_DIR, LOG
from metrics.loading.load import import_return, import_targets
from tests.support.data import ROOT, content_hash, read_rows, write_rows

# Each loads the worked example into a copy and builds it.
pytestmark = pytest.mark.slow

HASHED = [
    "import_id", "imported_at", "file_name", "sha256", "archive_file",
    "default_area", "rows_new", "rows_revised", "rows_unchanged", "kind",
    "baselines", "loaded_by",
]  # fmt: skip
TARGETS = EXAMPLES_DIR / "doncaster_targets_illustrative.csv"
RETURN = EXAMPLES_DIR / "doncaster_return_illustrative.csv"


def _expected_hash(cells: dict[str, str], previous: str) -> str:
    """A row's hash as docs/SCHEMA.md describes it."""
    text = json.dumps([previous, *(cells[c] for c in HASHED)])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@pytest.fixture
def loaded(env) -> tuple[Path, Path]:
    """This test's copy with the worked example (data/examples) loaded."""
    data, db = env
    import_targets(TARGETS.read_bytes(), TARGETS.name, db, data, "E08000017")
    import_return(RETURN.read_bytes(), RETURN.name, db, data, "E08000017",
                  loaded_by="=cmd|' /C calc'!A0")  # fmt: skip
    return data, db


def _log(data: Path) -> list[dict[str, str]]:
    with open(data / LOG, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _build(data: Path, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "metrics", "build", "--data-dir", str(data), "--db",
         str(db)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )  # fmt: skip


def test_each_row_is_chained_to_the_one_before(loaded):
    data, db = loaded
    rows = _log(data)
    assert len(rows) == 2
    assert rows[0]["previous_hash"] == ""
    assert rows[0]["row_hash"] == _expected_hash(rows[0], "")
    assert rows[1]["previous_hash"] == rows[0]["row_hash"]
    assert rows[1]["row_hash"] == _expected_hash(rows[1], rows[0]["row_hash"])
    proc = _build(data, db)
    assert proc.returncode == 0, proc.stderr


def test_who_loaded_it_is_never_a_formula_in_the_log(loaded):
    data, _ = loaded
    assert _log(data)[1]["loaded_by"] == "'=cmd|' /C calc'!A0"


def _refused_build(data: Path, db: Path) -> str:
    before = content_hash(db)
    proc = _build(data, db)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert content_hash(db) == before
    return proc.stderr


def test_an_edited_row_stops_the_build(loaded):
    data, db = loaded
    rows = read_rows(data / LOG)
    column = rows[0].index("loaded_by")
    rows[1][column] = "someone.else@council.example"
    write_rows(data / LOG, rows)
    err = _refused_build(data, db)
    assert "error: data/imports/log.csv, row 2, column 'row_hash': does not match " \
           "the row's cells: the row was changed by hand" in err  # fmt: skip


@pytest.mark.parametrize("which", [1, 2], ids=["first", "last"])
def test_a_removed_row_stops_the_build(loaded, which):
    data, db = loaded
    rows = read_rows(data / LOG)
    removed = dict(zip(rows[0], rows.pop(which)))
    write_rows(data / LOG, rows)
    err = _refused_build(data, db)
    if which == 1:
        assert "error: data/imports/log.csv, row 2, column 'row_hash': " \
               "previous_hash is not the row_hash of the row before" in err  # fmt: skip
    else:  # the chain of what is left holds; the archived file has no row
        assert f"error: data/{removed['archive_file']}: is archived but has no row " \
               "in imports/log.csv" in err  # fmt: skip


def test_the_banner_shows_a_broken_chain_over_the_last_good_data(loaded, monkeypatch):
    data, db = loaded
    rows = read_rows(data / LOG)
    rows[2][rows[0].index("rows_new")] = "0"
    write_rows(data / LOG, rows)
    monkeypatch.setenv(DATA_ENV, str(data))
    monkeypatch.setenv(DB_ENV, str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    banner = " ".join(w.value for w in at.warning).replace("\\", "")
    assert "Showing the last good data" in banner
    assert "data/imports/log.csv, row 3, column 'row_hash'" in banner


def test_a_log_written_before_the_chain_reads_and_the_next_load_chains_it(loaded):
    data, db = loaded
    rows = read_rows(data / LOG)
    keep = [i for i, c in enumerate(rows[0]) if c not in ("previous_hash", "row_hash")]
    write_rows(data / LOG, [[r[i] for i in keep] for r in rows])
    proc = _build(data, db)
    assert proc.returncode == 0, proc.stderr
    assert "info: imports/log.csv: written before log rows were chained" in proc.stdout
    other = EXAMPLES_DIR.parent.parent / "tests" / "returns" / "good"
    path = other / "april_may_2024.csv"
    assert import_return(path.read_bytes(), path.name, db, data).status == "imported"
    rows = _log(data)
    assert len(rows) == 3
    previous = ""
    for row in rows:
        assert row["previous_hash"] == previous
        assert row["row_hash"] == _expected_hash(row, previous)
        previous = row["row_hash"]
    assert _build(data, db).returncode == 0
