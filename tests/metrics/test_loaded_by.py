"""Every load records who loaded it: the signed-in email, or the OS user of the
command line; logs written before the column existed still read and replay."""

from __future__ import annotations

import getpass
from pathlib import Path

import pandas as pd
import pytest

from metrics.build import build, needs_build
from metrics.loading.load import import_return
from metrics.loading.log import LOG_COLUMNS, append_log, read_log
from metrics.queries import Database
from metrics.storage import DataError
from tests.support.data import cli, content_hash, table

RETURNS = Path(__file__).resolve().parent.parent / "returns" / "good"
APRIL_MAY = RETURNS / "april_may_2024.csv"
REVISION = RETURNS / "april_revision.csv"

OLD_COLUMNS = LOG_COLUMNS[: LOG_COLUMNS.index("loaded_by")]


def log_frame(data: Path) -> pd.DataFrame:
    return pd.read_csv(data / "imports" / "log.csv", dtype=str, keep_default_na=False)


@pytest.mark.slow
def test_a_load_records_the_email_in_the_log_the_table_and_the_page_query(env):
    data, db = env
    result = import_return(
        APRIL_MAY.read_bytes(), APRIL_MAY.name, db, data, loaded_by="l@x.example"
    )
    assert result.entry.loaded_by == "l@x.example"
    log = log_frame(data)
    assert list(log.columns) == LOG_COLUMNS
    assert list(log.loaded_by) == ["l@x.example"]
    assert read_log(data)[0].loaded_by == "l@x.example"
    database = Database(db)
    try:
        shown = database.import_log()
    finally:
        database.close()
    assert list(shown.columns[:3]) == ["import_id", "imported_at", "loaded_by"]
    assert list(shown.loaded_by) == ["l@x.example"]
    build(db, data)  # a rebuild replays the log: who loaded it stays
    assert list(table(db, "SELECT loaded_by FROM import_log").loaded_by) == [
        "l@x.example"
    ]


def test_the_command_line_records_the_os_user(env):
    data, db = env
    args = ["--db", str(db), "--data-dir", str(data)]
    out, err = cli("import", str(APRIL_MAY), *args).communicate()
    assert f"loaded by {getpass.getuser()};" in out, err
    assert list(log_frame(data).loaded_by) == [getpass.getuser()]
    assert list(table(db, "SELECT loaded_by FROM import_log").loaded_by) == [
        getpass.getuser()
    ]


@pytest.mark.slow
def test_an_old_log_without_the_column_reads_and_gains_it_on_the_next_load(env):
    data, db = env
    import_return(APRIL_MAY.read_bytes(), APRIL_MAY.name, db, data, loaded_by="a@x")
    path = data / "imports" / "log.csv"
    # The log as an earlier version wrote it: no loaded_by column.
    log_frame(data)[OLD_COLUMNS].to_csv(path, index=False, lineterminator="\n")
    old_row = path.read_text().splitlines()[1]
    assert [e.loaded_by for e in read_log(data)] == [""]
    build(db, data)
    assert table(db, "SELECT loaded_by FROM import_log").loaded_by.isna().all()

    import_return(REVISION.read_bytes(), REVISION.name, db, data, loaded_by="b@x")
    lines = path.read_text().splitlines()
    assert lines[0] == ",".join(LOG_COLUMNS)
    assert lines[1] == old_row + ","  # values kept, the new cell blank
    assert [e.loaded_by for e in read_log(data)] == ["", "b@x"]
    assert not needs_build(db, data)
    build(db, data)
    loaded = table(db, "SELECT loaded_by FROM import_log ORDER BY import_id")
    assert loaded.loaded_by.isna().tolist() == [True, False]
    assert loaded.loaded_by.iloc[1] == "b@x"


def test_a_trailing_column_this_version_does_not_know_is_read_past_and_kept(env):
    data, db = env
    import_return(APRIL_MAY.read_bytes(), APRIL_MAY.name, db, data, loaded_by="a@x")
    path = data / "imports" / "log.csv"
    log_frame(data).assign(reviewed="yes").to_csv(
        path, index=False, lineterminator="\n"
    )
    first = read_log(data)[0]
    assert (first.file_name, first.loaded_by) == (APRIL_MAY.name, "a@x")
    entry = first.__class__(**{**first.__dict__, "import_id": 2, "sha256": "0" * 64})
    append_log(entry, data)
    log = log_frame(data)
    assert list(log.columns) == [*LOG_COLUMNS, "reviewed"]
    assert list(log.reviewed) == ["yes", ""]


def test_a_log_row_of_a_kind_not_declared_stops_the_build_naming_it(env):
    data, db = env
    import_return(APRIL_MAY.read_bytes(), APRIL_MAY.name, db, data, loaded_by="a@x")
    before = content_hash(db)
    path = data / "imports" / "log.csv"
    log_frame(data).assign(kind="official release").to_csv(
        path, index=False, lineterminator="\n"
    )
    with pytest.raises(DataError) as raised:
        build(db, data)
    assert (raised.value.file, raised.value.row, raised.value.column) == (
        "imports/log.csv",
        2,
        "kind",
    )
    assert raised.value.problem == (
        "'official release' is not one of monthly return, targets"
    )
    assert content_hash(db) == before  # the failed build changed nothing
