"""Monthly returns: validation, all-or-nothing import, revisions, replay, locking.

Every test works on a temporary copy of data/ (all but the database files) and a
database built from it; nothing here writes to the repository's data/.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import stat
import threading
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from charts.lines import REVISED
from metrics.areas import Area
from metrics.build import build, ensure_database, needs_build, stored_hash
from metrics.config import DATA_DIR, PROJECT_DIR
from metrics.loading.context import Context
from metrics.loading.files import FileRejected
from metrics.loading.kinds import MONTHLY_RETURN
from metrics.loading.load import PAUSE_ENV, import_return, preview
from metrics.loading.log import LOG_COLUMNS, read_log
from metrics.loading.return_rules import load_rules
from metrics.loading.templates import write_templates
from metrics.queries import Database
from metrics.storage import DataError
from tests.support.data import cli, content_hash, files, table
from views.pages import TIMELINESS as TIMELINESS_PAGE
from views.sections import build_charts

RETURNS = Path(__file__).resolve().parent.parent / "returns"
BAD, GOOD = RETURNS / "bad", RETURNS / "good"
APRIL_MAY = GOOD / "april_may_2024.csv"  # 18 figures, Apr and May 2024
REVISION = GOOD / "april_revision.csv"  # revises one April figure, adds one
JUNE_JULY = GOOD / "june_july_2024.xlsx"  # 18 figures, with date cells, area_code
DONCASTER, LEEDS = "E08000017", "E08000035"
TIMELINESS = ["initial_assessments_in_progress", "initial_assessments_out_of_timescale"]

# Each bad file: the rule it breaks, the row (header = 1) and column named, and a
# fragment of the message. None where the fault is the whole file.
EXPECTED: dict[str, tuple[str, int | None, str | None, str]] = {
    "empty.csv": ("empty_file", None, None, "the file is empty"),
    "header_only.csv": ("empty_file", 2, None, "header but no figures"),
    "header_not_in_row_1.csv": ("header_row", 1, None, "row 1 is blank"),
    "too_large.csv": ("file_too_large", None, None, "at most 1,048,576 bytes"),
    "not_utf8.csv": ("not_utf8", 3, "note", "not UTF-8"),
    "wrong_extension.txt": ("file_type", None, None, "only .csv and .xlsx"),
    "not_an_xlsx.xlsx": ("unreadable", None, None, "not a readable Excel workbook"),
    "ragged_row.csv": ("ragged_row", 3, None, "the header has 5 columns"),
    "missing_value_column.csv": ("missing_column", 1, "value", "no column named"),
    "unknown_column.csv": ("unknown_column", 1, "comments", "not a column"),
    "child_name_column.csv": ("unknown_column", 1, "child_name", "child-level data"),
    "child_name_column.xlsx": ("unknown_column", 1, "name", "child-level data"),
    "date_of_birth_column.csv": (
        "unknown_column",
        1,
        "date_of_birth",
        "dates of birth",
    ),
    "upn_column.csv": ("unknown_column", 1, "upn", "identifiers"),
    "unknown_metric.csv": ("unknown_metric", 3, "metric_id", "not a measure of the"),
    "unknown_service_area.csv": (
        "unknown_service_area",
        2,
        "service_area",
        "'Front Door' is not a listed service area",
    ),
    "unknown_area_code.csv": ("unknown_area", 2, "area_code", "E99999999"),
    "non_numeric_value.csv": ("not_a_number", 2, "value", "'about 120' is not a"),
    "thousands_separator.csv": ("not_a_number", 2, "value", "no thousands commas"),
    "percent_sign.csv": ("not_a_number", 2, "value", "'78%' is not a number"),
    "missing_value.csv": ("required", 2, "value", "the cell is blank"),
    "negative_count.csv": ("negative", 3, "value", "-5 is below zero"),
    "non_integer_count.csv": ("not_whole", 2, "value", "is a count"),
    "percent_over_100.csv": ("percent_range", 2, "value", "between 0 and 100"),
    "initial_out_of_timescale_above_in_progress.csv": (
        "not_above",
        3,
        "value",
        "130 is above initial_assessments_in_progress 120 (row 2)",
    ),
    "core_out_of_timescale_above_open.csv": (
        "not_above",
        2,
        "value",
        "210 is above core_assessments_open 200 (row 3)",
    ),
    "not_a_date.csv": ("not_a_date", 2, "period_end", "'April 2024' is not a date"),
    "uk_date_format.csv": ("not_a_date", 2, "period_end", "YYYY-MM-DD"),
    "not_month_end.csv": ("not_month_end", 2, "period_end", "last day of"),
    "not_month_end.xlsx": ("not_month_end", 2, "period_end", "2024-04-18"),
    "future_date.csv": ("future_date", 2, "period_end", "in the future"),
    "duplicate_key.csv": ("duplicate_key", 4, "metric_id", "of row 2"),
    "formula_note.csv": ("formula", 2, "note", "run them as formulas"),
    "formula_service_area.csv": ("formula", 2, "service_area", "starts with '@'"),
    "formula_metric_id.csv": ("formula", 2, "metric_id", "starts with '+'"),
    "formula_cell.xlsx": ("formula", 3, "value", "'=D2/4'"),
    "html_note.csv": ("markup", 2, "note", "HTML or script"),
    "note_too_long.csv": ("note_too_long", 2, "note", "501 characters"),
    "caseload_without_service_area.csv": (
        "service_area_required",
        2,
        "service_area",
        "reported by service area",
    ),
}


# --- helpers -----------------------------------------------------------------------


def monthly_rows(db: Path) -> pd.DataFrame:
    return table(
        db,
        "SELECT metric_id, area_code, period_end, service_area, value, note, locator "
        "FROM observations WHERE source_id IN (SELECT source_id FROM import_log) "
        "ORDER BY ALL",
    )


def load(path: Path, env: tuple[Path, Path], area: str = DONCASTER):
    data, db = env
    return import_return(path.read_bytes(), path.name, db, data, area)


def figures(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


# --- fixtures ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def shared(base: tuple[Path, Path], tmp_path_factory) -> tuple[Path, Path, str]:
    """One copy for the rejection tests, which must all leave it unchanged."""
    root = tmp_path_factory.mktemp("imports_rejections")
    data = root / "data"
    shutil.copytree(base[0], data)
    db = root / "db" / "dashboard.duckdb"
    db.parent.mkdir()
    shutil.copyfile(base[1], db)
    return data, db, content_hash(db)


# --- the format --------------------------------------------------------------------


def test_return_rules_name_report_metrics_and_teams():
    rules = load_rules()
    metrics = pd.read_csv(DATA_DIR / "curated" / "metrics.csv")
    report = pd.read_csv(DATA_DIR / "curated" / "document_figures.csv")
    assert set(rules.kinds) == {
        "initial_assessments_in_progress",
        "initial_assessments_out_of_timescale",
        "initial_assessments_on_time_pct",
        "core_assessments_open",
        "core_assessments_out_of_timescale",
        "children_in_need_cases",
        "social_worker_caseload",
    }
    assert set(rules.kinds) <= set(metrics.metric_id)
    teams = report[report.metric_id == "social_worker_caseload"].service_area
    assert set(rules.service_areas) == set(teams)
    assert rules.not_above == {
        "initial_assessments_out_of_timescale": "initial_assessments_in_progress",
        "core_assessments_out_of_timescale": "core_assessments_open",
    }


def test_committed_templates_match_the_generator(tmp_path: Path, built_db):
    committed = DATA_DIR / "templates"
    database = Database(built_db)
    try:
        written = write_templates(database, tmp_path)
        measures = database.df("SELECT metric_id, value_kind FROM metrics")
    finally:
        database.close()
    assert [p.name for p in written] == [
        "monthly_return_template.csv",
        "monthly_return_template.xlsx",
        "targets_template.csv",
        "targets_template.xlsx",
    ]
    for csv_file in (written[0], written[2]):
        assert csv_file.read_bytes() == (committed / csv_file.name).read_bytes()
    sheets = {
        "monthly_return_template.xlsx": "Return",
        "targets_template.xlsx": "Targets",
    }
    for xlsx in (written[1], written[3]):
        new, old = load_workbook(xlsx), load_workbook(committed / xlsx.name)
        assert new.sheetnames == old.sheetnames == [sheets[xlsx.name], "Guidance"]
        for name in new.sheetnames:
            assert [list(r) for r in new[name].iter_rows(values_only=True)] == [
                list(r) for r in old[name].iter_rows(values_only=True)
            ]
        # The Guidance sheet lists every measure of the dictionary with its rule.
        listed = [r[0] for r in old["Guidance"].iter_rows(min_row=2, values_only=True)]
        assert set(measures.metric_id) <= set(listed)
    assert next(load_workbook(written[1])["Return"].iter_rows(values_only=True)) == (
        "period_end",
        "metric_id",
        "service_area",
        "value",
        "note",
    )
    assert next(load_workbook(written[3])["Targets"].iter_rows(values_only=True)) == (
        "metric_id",
        "due",
        "target",
        "direction",
        "note",
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_blank_template_is_rejected_as_empty_but_filled_one_passes(kind, base):
    data, db = base
    template = DATA_DIR / "templates" / f"monthly_return_template.{kind}"
    checked = preview(template.read_bytes(), template.name, db, data)
    assert checked.status == "rejected"
    assert checked.rejected.problems[0].rule == "empty_file"
    if kind == "csv":
        filled = template.read_bytes() + APRIL_MAY.read_bytes().split(b"\n", 1)[1]
        assert preview(filled, "filled.csv", db, data).count("new") == 18


# --- rejections --------------------------------------------------------------------


def test_bad_corpus_has_one_expectation_per_file():
    assert {p.name for p in BAD.iterdir()} == set(EXPECTED)
    assert len(EXPECTED) >= 25
    rules = {rule for rule, *_ in EXPECTED.values()}
    assert len(rules) >= 25


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_return_is_rejected_naming_file_row_column_and_changes_nothing(
    name, shared
):
    data, db, before = shared
    rule, row, column, fragment = EXPECTED[name]
    path = BAD / name
    with pytest.raises(FileRejected) as caught:
        import_return(path.read_bytes(), name, db, data, DONCASTER)
    problem = next(p for p in caught.value.problems if p.rule == rule)
    assert (problem.row, problem.column) == (row, column)
    message = str(problem)
    assert message.startswith(name)
    if row is not None:
        assert f", row {row}" in message
    if column is not None:
        assert f", column '{column}'" in message
    assert fragment in message
    assert "(rule: " in message and "To fix: " in message
    assert content_hash(db) == before
    assert not (data / "imports").exists()
    left = {p.name for p in db.parent.iterdir()} - {"dashboard.duckdb.lock"}
    assert left == {"dashboard.duckdb"}


def test_every_problem_in_a_file_is_reported_in_sheet_order(base):
    data, db = base
    content = (
        b"period_end,metric_id,value,child_name\n"
        b"2024-13-01,foo,-1,Test\n"
        b"2024-04-15,social_worker_caseload,=1+1,\n"
    )
    checked = preview(content, "several.csv", db, data)
    found = [(p.row, p.column, p.rule) for p in checked.rejected.problems]
    assert found == [
        (1, "child_name", "unknown_column"),
        (2, "period_end", "not_a_date"),
        (2, "metric_id", "unknown_metric"),
        (2, "value", "negative"),
        (3, "period_end", "not_month_end"),
        (3, "service_area", "service_area_required"),
        (3, "value", "formula"),
    ]
    assert list(checked.rejected.table().columns) == [
        "row",
        "column",
        "rule",
        "problem",
        "how to fix",
    ]


@pytest.mark.parametrize("name", ["negative_count.csv", "formula_cell.xlsx"])
def test_cli_exits_2_on_a_bad_file_and_writes_nothing(name, shared):
    data, db, before = shared
    proc = cli("import", str(BAD / name), "--db", str(db), "--data-dir", str(data))
    out, err = proc.communicate()
    assert proc.returncode == 2, (out, err)
    rule, row, column, fragment = EXPECTED[name]
    assert f"error: {name}, row {row}, column '{column}'" in err
    assert "nothing was loaded" in err
    assert content_hash(db) == before
    assert not (data / "imports").exists()


def test_out_of_timescale_is_checked_against_figures_already_loaded(env):
    data, db = env
    load(APRIL_MAY, env)  # April: in progress 120, out of timescale 30
    above = (
        b"period_end,metric_id,value\n"
        b"2024-04-30,initial_assessments_out_of_timescale,130\n"
    )
    with pytest.raises(FileRejected, match=r"row 2, column 'value'.*already loaded"):
        import_return(above, "above.csv", db, data)
    below = (
        b"period_end,metric_id,value\n2024-04-30,initial_assessments_in_progress,20\n"
    )
    with pytest.raises(FileRejected, match=r"is below .* 30 \(already loaded\)"):
        import_return(below, "below.csv", db, data)


# --- loading -----------------------------------------------------------------------


def test_good_csv_and_xlsx_load_whole_with_archive_log_and_sources(env):
    data, db = env
    first = load(APRIL_MAY, env)
    second = load(JUNE_JULY, env)
    assert (first.status, first.entry.rows_new, first.entry.import_id) == (
        "imported",
        18,
        1,
    )
    assert (second.entry.rows_new, second.entry.import_id) == (18, 2)
    rows = monthly_rows(db)
    assert len(rows) == 36
    csv = pd.read_csv(APRIL_MAY, dtype={"service_area": str})
    got = rows[rows.locator.str.startswith(APRIL_MAY.name)]
    assert sorted(got.value) == sorted(csv.value)
    assert set(got.area_code) == {DONCASTER}
    june = rows[rows.period_end == pd.Timestamp("2024-06-30")].set_index(
        ["metric_id", "service_area"], drop=False
    )
    assert june.loc[("initial_assessments_on_time_pct", None), "value"].item() == 82.5
    assert june.loc[("social_worker_caseload", "CMARAS"), "value"].item() == 17.5
    for result, path in ((first, APRIL_MAY), (second, JUNE_JULY)):
        archived = data / result.entry.archive_file
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert archived.name == digest + path.suffix
        assert archived.read_bytes() == path.read_bytes()
        assert not archived.stat().st_mode & (
            stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
        )
    log = pd.read_csv(data / "imports" / "log.csv", dtype=str)
    assert list(log.columns) == LOG_COLUMNS
    assert list(log.file_name) == [APRIL_MAY.name, JUNE_JULY.name]
    assert list(log.rows_new) == ["18", "18"]
    sources = table(db, "SELECT * FROM sources WHERE kind = 'monthly return'")
    assert set(sources.title) == {
        f"Monthly return {APRIL_MAY.name}",
        f"Monthly return {JUNE_JULY.name}",
    }
    assert set(sources.licence) == {"Local management information"}
    logged = table(db, "SELECT * FROM import_log ORDER BY import_id")
    assert list(logged.sha256) == list(log.sha256)
    assert not needs_build(db, data)


def test_revision_keeps_history_and_charts_mark_the_revised_point(env):
    data, db = env
    load(APRIL_MAY, env)
    checked = preview(REVISION.read_bytes(), REVISION.name, db, data)
    revised = checked.table("revised")
    assert revised[["metric_id", "previous_value", "value"]].values.tolist() == [
        ["initial_assessments_in_progress", 120.0, 125.0]
    ]
    result = load(REVISION, env)
    e = result.entry
    assert (e.rows_new, e.rows_revised, e.rows_unchanged) == (1, 1, 1)

    shown = table(
        db,
        "SELECT value, locator FROM observations WHERE metric_id = "
        "'initial_assessments_in_progress' AND period_end = DATE '2024-04-30'",
    )
    assert shown.values.tolist() == [[125.0, f"{REVISION.name}, row 2"]]
    history = Database(db).revisions(DONCASTER)
    assert history[["revision", "value", "previous_value", "file_name"]].fillna(
        -1
    ).values.tolist() == [
        [1, 120.0, -1, APRIL_MAY.name],
        [2, 125.0, 120.0, REVISION.name],
    ]
    database = Database(db)
    points = database.monthly_points(TIMELINESS, DONCASTER)
    april = points[
        (points.metric_id == TIMELINESS[0])
        & (points.period_end == pd.Timestamp("2024-04-30"))
    ].iloc[0]
    assert (april.value, april.revision, april.previous_value) == (125, 2, 120)
    # The 2013 report charts never pick up monthly figures.
    report = database.observations([TIMELINESS[0]], DONCASTER)
    assert list(report.value) == [552, 165]

    monthly = TIMELINESS_PAGE.section("monthly").items[0]
    (chart,) = build_charts(database, monthly, Area(DONCASTER, "Doncaster"), "2025")
    traces = {t.name: t for t in chart.fig.data}
    marked = traces[REVISED]
    assert list(marked.y) == [125]
    assert "revised from 120" in marked.customdata[0][2]
    assert marked.customdata[0][1] == f"Monthly return {REVISION.name}, row 2"
    line = traces["Initial assessments in progress"]
    symbols = dict(zip(pd.to_datetime(line.x), line.marker.symbol))
    assert symbols[pd.Timestamp("2024-04-30")] == "diamond"
    assert symbols[pd.Timestamp("2024-05-31")] == "circle"
    hover = dict(zip(pd.to_datetime(line.x), line.customdata))
    assert list(hover[pd.Timestamp("2024-05-31")][1:]) == [
        f"Monthly return {APRIL_MAY.name}, row 11",
        "as first returned",
    ]
    assert "revised from 120" in chart.alt
    assert chart.table.revision.max() == 2


def test_same_file_twice_changes_nothing(env):
    data, db = env
    assert load(APRIL_MAY, env).status == "imported"
    before, kept = content_hash(db), files(data / "imports")
    again = load(APRIL_MAY, env)
    assert again.status == "already imported"
    assert again.entry.import_id == 1
    renamed = import_return(APRIL_MAY.read_bytes(), "copy of april.csv", db, data)
    assert renamed.status == "already imported"
    assert preview(APRIL_MAY.read_bytes(), "x.csv", db, data).status == (
        "already imported"
    )
    assert content_hash(db) == before
    assert files(data / "imports") == kept
    assert len(read_log(data)) == 1
    proc = cli("import", str(APRIL_MAY), "--db", str(db), "--data-dir", str(data))
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert out.startswith("already imported")
    assert content_hash(db) == before


def test_log_is_append_only(env):
    data, db = env
    load(APRIL_MAY, env)
    first = (data / "imports" / "log.csv").read_bytes()
    load(REVISION, env)
    second = (data / "imports" / "log.csv").read_bytes()
    assert second.startswith(first) and second.count(b"\n") == 3


def test_rows_for_another_area_and_the_area_option(env):
    data, db = env
    content = (
        b"period_end,metric_id,value,area_code\n"
        b"2024-04-30,children_in_need_cases,900,\n"
        b"2024-04-30,children_in_need_cases,1650,E08000017\n"
    )
    load_result = import_return(content, "leeds.csv", db, data, LEEDS)
    assert load_result.entry.default_area == LEEDS
    rows = monthly_rows(db).set_index("area_code")
    assert rows.loc[LEEDS, "value"] == 900 and rows.loc[DONCASTER, "value"] == 1650
    with pytest.raises(FileRejected, match="default area 'E99999999'"):
        import_return(APRIL_MAY.read_bytes(), "a.csv", db, data, "E99999999")


@pytest.mark.slow
def test_cli_dry_run_writes_nothing_and_import_prints_changes(env):
    data, db = env
    before = content_hash(db)
    args = ["--db", str(db), "--data-dir", str(data)]
    proc = cli("import", str(APRIL_MAY), "--dry-run", *args)
    out, err = proc.communicate()
    assert proc.returncode == 0, err
    assert "would load 18 new, 0 revised and 0 unchanged" in out
    assert content_hash(db) == before and not (data / "imports").exists()
    out, err = cli("import", str(APRIL_MAY), *args).communicate()
    assert "imported april_may_2024.csv as import 1: 18 new" in out, err
    out, err = cli("import", str(REVISION), *args).communicate()
    assert "revised  row 2: initial_assessments_in_progress" in out
    assert "120 -> 125" in out


# --- replay, crashes and concurrency -------------------------------------------------


@pytest.mark.slow
def test_rebuild_replays_every_import_in_log_order(env):
    data, db = env
    load(APRIL_MAY, env)
    load(REVISION, env)
    load(JUNE_JULY, env)
    queries = [
        "SELECT * EXCLUDE (imported_at) FROM import_log ORDER BY import_id",
        "SELECT * FROM observation_revisions ORDER BY ALL",
        "SELECT * FROM sources ORDER BY source_id",
    ]
    before = [table(db, q) for q in queries] + [monthly_rows(db)]
    db.unlink()
    result = ensure_database(db, data)
    assert result.rebuilt
    after = [table(db, q) for q in queries] + [monthly_rows(db)]
    for old, new in zip(before, after):
        pd.testing.assert_frame_equal(old, new)
    assert not [r for r in result.report if r[0] == "warning" and "imports" in r[1]]


@pytest.mark.slow
def test_build_refuses_an_edited_archive(env):
    data, db = env
    entry = load(APRIL_MAY, env).entry
    archived = data / entry.archive_file
    archived.chmod(0o644)
    archived.write_bytes(archived.read_bytes().replace(b",120,", b",999,"))
    with pytest.raises(DataError, match="SHA-256 mismatch"):
        build(db.with_name("other.duckdb"), data)


@pytest.mark.slow
def test_archive_without_a_log_row_is_not_loaded(env):
    """A kill after archiving but before logging leaves none of the batch."""
    data, db = env
    content = APRIL_MAY.read_bytes()
    archive = data / "imports" / "archive"
    archive.mkdir(parents=True)
    (archive / f"{hashlib.sha256(content).hexdigest()}.csv").write_bytes(content)
    result = ensure_database(db, data)
    assert result.rebuilt
    assert monthly_rows(db).empty
    assert any("not in imports/log.csv" in r[2] for r in result.report)
    assert load(APRIL_MAY, env).status == "imported"
    assert len(monthly_rows(db)) == 18


@pytest.mark.slow
def test_import_killed_before_the_swap_leaves_all_or_none(env):
    data, db = env
    before = content_hash(db)
    proc = cli(
        "import",
        str(APRIL_MAY),
        "--db",
        str(db),
        "--data-dir",
        str(data),
        env={PAUSE_ENV: "600"},
    )
    seen = []
    for line in proc.stderr:  # wait until the batch is applied and logged
        seen.append(line)
        if line.startswith(PAUSE_ENV):
            break
    else:
        pytest.fail(f"the import never paused: {''.join(seen)}")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    # The live file is untouched: none of the batch.
    assert content_hash(db) == before
    assert list(db.parent.glob("*.importing-*"))  # the abandoned copy
    # The log row was written (the commit point), so the next start replays it.
    assert [e.file_name for e in read_log(data)] == [APRIL_MAY.name]
    assert stored_hash(db) is not None and needs_build(db, data)
    result = ensure_database(db, data)
    assert result.rebuilt
    assert len(monthly_rows(db)) == 18
    assert table(db, "SELECT count(*) AS n FROM import_log").n[0] == 1
    assert load(APRIL_MAY, env).status == "already imported"
    assert load(REVISION, env).entry.rows_revised == 1
    assert not list(db.parent.glob("*.importing-*"))


@pytest.mark.slow
def test_readers_see_no_errors_during_an_import_and_new_ones_see_it(env):
    data, db = env
    count = "SELECT count(*) AS n FROM observations"
    old = Database(db)
    before = int(old.df(count).n[0])
    errors: list[BaseException] = []
    reads = [0]
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            fresh = Database(db)
            try:
                fresh.df(count)
                old.df(count)
                fresh.monthly_points(TIMELINESS, DONCASTER)
                reads[0] += 1
            except BaseException as exc:  # noqa: BLE001 - any failure fails the test
                errors.append(exc)
            finally:
                fresh.close()

    reader = threading.Thread(target=read)
    reader.start()
    try:
        proc = cli(
            "import",
            str(APRIL_MAY),
            "--db",
            str(db),
            "--data-dir",
            str(data),
            env={PAUSE_ENV: "1"},
        )
        out, err = proc.communicate()
        done = reads[0]
        while reads[0] <= done + 1 and not errors:  # at least one read after the swap
            stop.wait(0.01)
    finally:
        stop.set()
        reader.join()
    assert proc.returncode == 0, err
    assert errors == []
    assert int(old.df(count).n[0]) == before  # an open reader keeps its file
    fresh = Database(db)
    assert int(fresh.df(count).n[0]) == before + 18
    assert len(fresh.monthly_points(TIMELINESS, DONCASTER)) == 4


# --- the page ----------------------------------------------------------------------


def run_upload_page(monkeypatch, db: Path, build_id: str | None = None) -> AppTest:
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=90)
    if build_id:
        # The app skips its own build check for a session that has a build id.
        at.session_state["build_id"] = build_id
    at.run()
    at.switch_page("pages/upload.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_upload_page_renders_with_templates_and_an_empty_log(monkeypatch, built_db):
    at = run_upload_page(monkeypatch, built_db)
    assert [t.value for t in at.title] == ["Load monthly figures and targets"]
    labels = [b.label for b in at.get("download_button")]
    assert "Download the template (Excel .xlsx)" in labels
    assert "Download the template (CSV)" in labels
    assert len(at.get("file_uploader")) == 1
    captions = " ".join(c.value for c in at.caption)
    assert "No monthly returns or targets files have been loaded yet." in captions
    assert "has been revised" in captions


def test_upload_page_and_charts_show_loaded_returns(monkeypatch, env):
    data, db = env
    load(APRIL_MAY, env)
    load(REVISION, env)
    build_id = stored_hash(db)
    at = run_upload_page(monkeypatch, db, build_id)
    frames = [d.value for d in at.dataframe]
    log = next(f for f in frames if "import_id" in f.columns)
    assert list(log.file_name) == [APRIL_MAY.name, REVISION.name]
    assert list(log.rows_revised) == [0, 1]
    revisions = next(f for f in frames if "revision" in f.columns)
    assert list(revisions.value) == [120.0, 125.0]

    at.switch_page("pages/timeliness.py").run()
    assert not at.exception
    figs = figures(at)
    monthly = [f for f in figs if any(t["name"] == REVISED for t in f["data"])]
    assert len(monthly) == 1
    marked = next(t for t in monthly[0]["data"] if t["name"] == REVISED)
    assert "revised from 120" in marked["customdata"][0][2]
    sources = [a["text"] for a in monthly[0]["layout"]["annotations"]]
    assert any("Monthly return april_revision.csv" in s for s in sources)
    assert len(figs) == 4 + len(TIMELINESS_PAGE.section("monthly").items)


def test_validate_takes_rules_and_context_as_data():
    rules = load_rules()
    current = pd.DataFrame(
        columns=["metric_id", "area_code", "period_end", "service_area", "value"]
    )
    day = pd.Timestamp("2024-05-31").date()
    ctx = Context(
        {DONCASTER: "Doncaster"}, rules.kinds, {}, current, 1, DONCASTER, DATA_DIR, day
    )
    valid = MONTHLY_RETURN.check(
        b"period_end,metric_id,service_area,value\n"
        b"2024-04-30,social_worker_caseload,cmaras,18.5\n",
        "ok.csv",
        ctx,
    )
    assert valid.rows.service_area.tolist() == ["CMARAS"]
    assert valid.rows.value.tolist() == [18.5]
