"""Targets files: rejected whole with file, row, column, rule and fix, or loaded whole
with revisions kept, baselines recorded and every build replaying them; monthly
returns for today's measures beside the official series."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from metrics.build import build
from metrics.config import PROJECT_DIR
from metrics.loading.files import FileRejected
from metrics.loading.load import import_return, import_targets, preview
from metrics.loading.log import read_log
from metrics.queries import Database
from tests.support.areas import DONCASTER, LEEDS
from tests.support.data import content_hash, table
from views.figures import comparator_chart
from views.scorecard import scorecard

TARGETS = Path(__file__).resolve().parent.parent / "targets"
BAD, GOOD = TARGETS / "bad", TARGETS / "good"
PLAN, REVISION, LEEDS_PLAN = (
    GOOD / "plan.csv",
    GOOD / "plan_revision.csv",
    GOOD / "plan_leeds.xlsx",
)

# Each bad file: the rule it breaks, the row (header = 1) and column named, and a
# fragment of the message.
EXPECTED: dict[str, tuple[str, int | None, str | None, str]] = {
    "empty.csv": ("empty_file", None, None, "the file is empty"),
    "header_only.csv": ("empty_file", 2, None, "header but no figures"),
    "wrong_extension.txt": ("file_type", None, None, "only .csv and .xlsx"),
    "missing_target_column.csv": ("missing_column", 1, "target", "no column named"),
    "unknown_column.csv": ("unknown_column", 1, "owner", "not a column of the"),
    "child_name_column.csv": ("unknown_column", 1, "child_name", "child-level data"),
    "date_of_birth_column.xlsx": ("unknown_column", 1, "date_of_birth", "child-level"),
    "unknown_metric.csv": ("unknown_metric", 3, "metric_id", "'Rereferrals' is not a"),
    "unknown_area.csv": ("unknown_area", 2, "area_code", "'E99999999' is not an"),
    "not_a_date.csv": ("not_a_date", 2, "due", "'March 2027' is not a date"),
    "uk_date.csv": ("not_a_date", 2, "due", "YYYY-MM-DD"),
    "not_month_end.csv": ("not_month_end", 2, "due", "2027-03-30 is not the last"),
    "target_not_a_number.csv": ("not_a_number", 2, "target", "'twenty' is not a"),
    "target_percent_sign.csv": ("not_a_number", 2, "target", "no % signs"),
    "percent_over_100.csv": ("target_range", 2, "target", "a percentage from 0 to"),
    "negative_rate.csv": ("target_range", 2, "target", "-5 is not a rate"),
    "count_not_whole.csv": ("target_range", 2, "target", "12.5 is not a whole"),
    "neutral_without_direction.csv": (
        "direction_required",
        3,
        "direction",
        "CIN has no better direction",
    ),
    "unknown_direction.csv": ("unknown_direction", 2, "direction", "'below' is not"),
    "duplicate_checkpoint.csv": ("duplicate_checkpoint", 4, "metric_id", "of row 2"),
    "formula_target.csv": ("formula", 2, "target", "run them as formulas"),
    "formula_note.csv": ("formula", 2, "note", "starts with '@'"),
    "formula_cell.xlsx": ("formula", 2, "target", "'=10*2'"),
    "html_note.csv": ("markup", 2, "note", "HTML or script"),
    "missing_target.csv": ("required", 2, "target", "the cell is blank"),
    "note_too_long.csv": ("note_too_long", 2, "note", "501 characters"),
}


def load_plan(path: Path, env, area: str = DONCASTER.code):
    data, db = env
    return import_targets(path.read_bytes(), path.name, db, data, area)


@pytest.fixture(scope="module")
def shared(base, tmp_path_factory) -> tuple[Path, Path, str]:
    """One copy for the rejection tests, which must all leave it unchanged."""
    root = tmp_path_factory.mktemp("plan_rejections")
    data = root / "data"
    shutil.copytree(base[0], data)
    db = root / "db" / "dashboard.duckdb"
    db.parent.mkdir()
    shutil.copyfile(base[1], db)
    return data, db, content_hash(db)


# --- rejections ----------------------------------------------------------------------


def test_bad_corpus_has_one_expectation_per_file():
    assert {p.name for p in BAD.iterdir()} == set(EXPECTED)
    assert len(EXPECTED) >= 15


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_targets_file_is_rejected_naming_row_column_rule_and_fix(name, shared):
    data, db, before = shared
    rule, row, column, fragment = EXPECTED[name]
    path = BAD / name
    with pytest.raises(FileRejected) as caught:
        import_targets(path.read_bytes(), name, db, data, DONCASTER.code)
    problem = next(p for p in caught.value.problems if p.rule == rule)
    assert (problem.row, problem.column) == (row, column)
    message = str(problem)
    assert message.startswith(name)
    assert fragment in message, message
    assert "(rule: " in message and "To fix: " in message
    assert content_hash(db) == before
    assert not (data / "imports").exists()


def test_every_problem_is_reported_in_sheet_order(shared):
    data, db, _ = shared
    text = (
        "metric_id,due,target,direction,note\n"
        "ReReferral,2027-03-30,ninety,,\n"
        "Nope,2027-03-31,20,sideways,\n"
    )
    with pytest.raises(FileRejected) as caught:
        import_targets(text.encode(), "several.csv", db, data, DONCASTER.code)
    found = [(p.row, p.column, p.rule) for p in caught.value.problems]
    assert found == [
        (2, "due", "not_month_end"),
        (2, "target", "not_a_number"),
        (3, "metric_id", "unknown_metric"),
        (3, "direction", "unknown_direction"),
    ]


def test_a_return_value_follows_its_measures_unit(env):
    data, db = env
    for text, rule in (
        ("2026-09-30,Continue_Assess_Comp,,101,", "percent_range"),
        ("2026-09-30,cin_awaiting_assessment,,3.5,", "not_whole"),
        ("2026-09-30,ReReferral,,-1,", "negative"),
    ):
        body = f"period_end,metric_id,service_area,value,note\n{text}\n".encode()
        with pytest.raises(FileRejected) as caught:
            import_return(body, "r.csv", db, data, DONCASTER.code)
        assert caught.value.problems[0].rule == rule
    # A measure whose published values go below zero takes a negative figure.
    body = b"period_end,metric_id,service_area,value,note\n"
    body += b"2026-09-30,CINProgKS2-4_Avg_Prog8,,-1.2,\n"
    assert import_return(body, "score.csv", db, data).entry.rows_new == 1


# --- loading -------------------------------------------------------------------------


def test_a_plan_loads_whole_with_directions_baselines_source_and_archive(env):
    data, db = env
    result = load_plan(PLAN, env)
    e = result.entry
    assert (e.kind, e.rows_new, e.rows_revised, e.rows_unchanged) == (
        "targets",
        4,
        0,
        0,
    )
    rows = table(db, "SELECT * FROM plan_targets ORDER BY metric_id, due")
    assert list(rows.metric_id) == [
        "CIN",
        "Continue_Assess_Comp",
        "Continue_Assess_Comp",
        "ReReferral",
    ]
    # Direction from polarity where blank: higher -> at least, lower -> at most.
    assert list(rows.direction) == ["at most", "at least", "at least", "at most"]
    assert list(rows.direction_given) == [True, False, False, False]
    assert set(rows.area_code) == {DONCASTER.code}
    source = table(db, "SELECT * FROM sources WHERE kind = 'targets file'")
    assert list(source.title) == ["Targets file plan.csv"]
    archived = data / e.archive_file
    assert archived.read_bytes() == PLAN.read_bytes()
    assert not os.access(archived, os.W_OK) or os.geteuid() == 0
    # The baseline is the latest figure at or before the load day, as the raw LAIT
    # file gives it: Doncaster's ReReferral for 2025 (LA number 371).
    raw = pd.read_parquet(PROJECT_DIR / "data/raw/dfe/lait_bds_long.parquet")
    rereferral = raw[(raw["Short Desc"] == "ReReferral") & (raw["LA Number"] == 371)]
    latest = rereferral.assign(v=pd.to_numeric(rereferral.Values, errors="coerce"))
    latest = latest.dropna(subset=["v"]).sort_values("Years").iloc[-1]
    baselines = table(db, "SELECT * FROM plan_baselines ORDER BY metric_id")
    mine = baselines[baselines.metric_id == "ReReferral"].iloc[0]
    assert mine.value == pytest.approx(float(latest.v))
    assert mine.period_label == latest.Years
    logged = json.loads(read_log(data)[0].baselines)
    assert logged[f"{DONCASTER.code}|ReReferral"]["value"] == pytest.approx(latest.v)


def test_the_same_file_twice_changes_nothing(env):
    data, db = env
    load_plan(PLAN, env)
    before = content_hash(db)
    again = load_plan(PLAN, env)
    assert again.status == "already imported"
    assert content_hash(db) == before
    assert len(read_log(data)) == 1


def test_a_changed_target_is_a_revision_shown_where_the_target_appears(env):
    data, db = env
    load_plan(PLAN, env)
    checked = preview(
        REVISION.read_bytes(), REVISION.name, db, data, DONCASTER.code, "targets"
    )
    assert checked.count("revised") == 1
    assert list(checked.table("revised").previous_target) == [20.0]
    result = load_plan(REVISION, env)
    assert (result.entry.rows_new, result.entry.rows_revised) == (0, 1)
    current = table(
        db, "SELECT target, revision FROM plan_targets WHERE metric_id = 'ReReferral'"
    )
    assert current.values.tolist() == [[21.5, 2]]
    database = Database(db)
    try:
        history = database.target_revisions(DONCASTER.code)
        card = scorecard(database, DONCASTER.area)
    finally:
        database.close()
    assert history[["target", "previous_target"]].values.tolist() == [[21.5, 20.0]]
    row = card.table.set_index("metric_id").loc["ReReferral"]
    loaded = pd.Timestamp(history.loaded_at.iloc[0])
    assert row.target_changes == f"re-baselined on {loaded:%d %b %Y} from 20 to 21.5"
    # The baseline stays the one recorded with the first checkpoint.
    assert len(table(db, "SELECT * FROM plan_baselines")) == 3


@pytest.mark.slow
def test_every_build_replays_targets_with_their_recorded_baselines(env):
    data, db = env
    load_plan(PLAN, env)
    load_plan(REVISION, env)
    load_plan(LEEDS_PLAN, env)
    tables = ("plan_targets", "target_revisions", "plan_baselines")
    before = {t: table(db, f"SELECT * FROM {t} ORDER BY ALL") for t in tables}
    rebuilt = db.with_name("rebuilt.duckdb")
    build(rebuilt, data)
    for t in tables:
        pd.testing.assert_frame_equal(
            table(rebuilt, f"SELECT * FROM {t} ORDER BY ALL"), before[t]
        )
    leeds = table(
        rebuilt, f"SELECT * FROM plan_targets WHERE area_code = '{LEEDS.code}'"
    )
    assert sorted(leeds.metric_id) == ["ReReferral", "sw_caseload_fte"]


def test_a_local_figure_of_a_lait_measure_is_drawn_beside_the_official_series(env):
    data, db = env
    body = (
        b"period_end,metric_id,service_area,value,note\n"
        b"2026-09-30,Continue_Assess_Comp,,87.5,Duty team changes bedding in\n"
    )
    import_return(body, "local.csv", db, data, DONCASTER.code)
    database = Database(db)
    try:
        chart = comparator_chart(
            database, "Continue_Assess_Comp", "assessments on time", "%", DONCASTER.area
        )
        official = database.ranking("Continue_Assess_Comp")
    finally:
        database.close()
    # The line itself (its label is a text mark in the same legend group).
    local = [
        t
        for t in chart.fig.data
        if "not official statistics" in t.name and t.mode != "text"
    ]
    assert len(local) == 1 and list(local[0].y) == [87.5]
    assert local[0].marker.symbol == "circle-open"
    assert "local monthly figures, not official statistics" in chart.subtitle
    assert "Monthly return local.csv" in chart.source
    shown = chart.table[chart.table.area.str.contains("local figures")]
    assert shown.note.tolist() == ["Duty team changes bedding in"]
    # Ranks and England comparisons use official figures only.
    assert set(official.period_label) == {"2025"}


@pytest.mark.slow
def test_the_command_line_loads_targets_and_refuses_a_bad_file(env):
    data, db = env
    run = [sys.executable, "-m", "metrics", "targets"]
    common = ["--db", str(db), "--data-dir", str(data)]
    bad = subprocess.run(
        [*run, str(BAD / "not_month_end.csv"), *common],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 2
    assert "not_month_end.csv, row 2, column 'due'" in bad.stderr
    assert "nothing was loaded" in bad.stderr
    dry = subprocess.run(
        [*run, str(PLAN), *common, "--dry-run"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
    )
    assert dry.returncode == 0 and "would load 4 new" in dry.stdout
    assert not (data / "imports").exists()
    good = subprocess.run(
        [*run, str(PLAN), *common], cwd=PROJECT_DIR, capture_output=True, text=True
    )
    assert good.returncode == 0, good.stderr
    assert "imported plan.csv as import 1: 4 new" in good.stdout
    assert len(table(db, "SELECT * FROM plan_targets")) == 4
