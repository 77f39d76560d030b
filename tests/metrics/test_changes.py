"""What a new official release changed: figures new, revised or removed between two
builds, recorded per file, summarised by the command line, the Sources page and, for
30 days, the overview."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest

from metrics.build import build
from metrics.config import PROJECT_DIR
from tests.support.areas import DONCASTER
from tests.support.data import ROOT, copy_data, table
from views.freshness import whats_new

LAIT = Path("raw/dfe/lait_bds_long.parquet")
LATEST = "2025"  # the newest year label of the shipped LAIT file


@pytest.fixture(scope="module")
def releases(tmp_path_factory) -> dict:
    """A data folder built first from LAIT without its latest year, then from the
    shipped file, then with one value changed."""
    root = tmp_path_factory.mktemp("releases")
    data = copy_data(root / "data")
    shipped = pq.read_table(data / LAIT)
    assert LATEST in set(shipped["Years"].to_pylist())
    db = root / "dashboard.duckdb"
    pq.write_table(shipped.filter(pc.not_equal(shipped["Years"], LATEST)), data / LAIT)
    first = build(db, data)
    pq.write_table(shipped, data / LAIT)
    second = build(db, data)
    after_second = {
        t: table(db, f"SELECT * FROM {t}") for t in ("data_changes", "data_updates")
    }
    frame = shipped.to_pandas()
    row = frame[
        (frame["Short Desc"] == "Continue_Assess_Comp")
        & (frame["LA Number"] == DONCASTER.la_number)
        & (frame["Years"] == LATEST)
    ].index[0]
    old_value = float(frame.loc[row, "Values"])
    frame.loc[row, "Values"] = str(old_value + 1.5)
    frame.to_parquet(data / LAIT)
    third = build(db, data)
    return {
        "data": data,
        "db": db,
        "shipped": frame,
        "runs": (first, second, third),
        "after_second": after_second,
        "old_value": old_value,
    }


@pytest.mark.slow
def test_a_first_build_has_nothing_to_compare(releases):
    assert releases["runs"][0].changes == []


@pytest.mark.slow
def test_the_latest_year_comes_back_as_new(releases):
    changes = releases["after_second"]["data_changes"]
    assert set(changes.change) == {"new"}
    assert set(changes.source_file) == {str(LAIT)}
    db = releases["db"]
    # Every official figure of the latest year, and only those, is new.
    official = table(
        db,
        "SELECT metric_id, area_code, period_end FROM observations "
        "WHERE source_id = 'dfe_lait' AND period_label = ?",
        [LATEST],
    )
    key = ["metric_id", "area_code", "period_end"]
    got = changes[key].sort_values(key).reset_index(drop=True)
    want = official.sort_values(key).reset_index(drop=True)
    pd.testing.assert_frame_equal(got.astype(str), want.astype(str))
    update = releases["after_second"]["data_updates"].iloc[0]
    assert update.periods_added == LATEST
    assert (update.values_new, update.values_revised) == (len(want), 0)
    assert releases["runs"][1].changes == [
        f"changed: {LAIT}: {len(want):,} new figures (periods {LATEST}), 0 revised, "
        "0 removed; measures added 0, removed 0"
    ]


@pytest.mark.slow
def test_a_changed_value_is_revised_with_old_and_new(releases):
    db = releases["db"]
    third = releases["runs"][2]
    build_id = third.data_hash[:12]
    revised = table(db, "SELECT * FROM data_changes WHERE build_id = ?", [build_id])
    assert len(revised) == 1
    r = revised.iloc[0]
    assert (r.change, r.metric_id, r.area_code) == (
        "revised",
        "Continue_Assess_Comp",
        DONCASTER.code,
    )
    assert r.old_value == pytest.approx(releases["old_value"])
    assert r.new_value == pytest.approx(releases["old_value"] + 1.5)
    # The earlier update's records are kept in the new database.
    assert set(table(db, "SELECT DISTINCT build_id FROM data_updates").build_id) == {
        releases["runs"][1].data_hash[:12],
        build_id,
    }


@pytest.mark.slow
def test_the_command_line_prints_the_summary(releases):
    data = releases["data"]
    frame = releases["shipped"].copy()
    frame.loc[frame["Short Desc"] == "ReReferral", "Values"] = "-"
    frame.to_parquet(data / LAIT)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "metrics",
            "build",
            "--data-dir",
            str(data),
            "--db",
            str(releases["db"]),
        ],  # fmt: skip
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("changed:"))
    assert line.startswith(f"changed: {LAIT}: 0 new figures, ")
    assert "revised" in line


def test_whats_new_shows_for_thirty_days():
    updates = pd.DataFrame(
        {
            "build_id": ["b"],
            "built_at": [pd.Timestamp("2026-11-01 09:00")],
            "source_file": [str(LAIT)],
            "periods_added": ["2025"],
            "values_new": [46070],
            "values_revised": [3],
            "values_removed": [0],
            "measures_added": [0],
            "measures_removed": [0],
        }
    )
    line = whats_new(updates, dt.date(2026, 12, 1))
    assert line == (
        "What's new: official data updated on 01 Nov 2026. "
        f"{LAIT}: 46,070 new figures (periods 2025), 3 revised. The Sources and "
        "caveats page lists every change."
    )
    assert whats_new(updates, dt.date(2026, 12, 2)) is None
    assert whats_new(updates.iloc[0:0]) is None


@pytest.mark.slow
def test_the_sources_page_and_the_overview_show_the_update(releases, monkeypatch):
    monkeypatch.setenv("DASHBOARD_DATA", str(releases["data"]))
    monkeypatch.setenv("DASHBOARD_DB", str(releases["db"]))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    assert not at.exception
    assert any(
        i.value.startswith("What's new: official data updated on") for i in at.info
    )
    at.switch_page("pages/sources.py").run()
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert any(label.startswith("Official data updated on") for label in labels)
    assert any("new figures (periods 2025)" in m.value for m in at.markdown)
