"""The Scorecard page under AppTest: with targets for Doncaster and Leeds, and for an
area without targets."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from metrics.queries import HEADLINE_METRICS, Database
from tests.support.areas import DONCASTER, LEEDS
from tests.support.charts import figures, title_of
from tests.support.data import ROOT, table
from ui.viewport import KEY as WIDTH
from views.scorecard import HEADERS, PLAN_STATUS_TEXT, scorecard

GOOD = Path(__file__).resolve().parent.parent / "targets" / "good"
BARNSLEY = "E08000038"


def run_scorecard(
    monkeypatch, data: Path, db: Path, area: str, width: int | None = None
) -> AppTest:
    """The scorecard for an area; ``width``: the column width the browser reported
    (none: the desktop layout, as before a browser has said)."""
    monkeypatch.setenv("DASHBOARD_DATA", str(data))
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["la"] = area
    if width is not None:
        at.session_state[f"{WIDTH}_last"] = width
    at.run()
    at.switch_page("pages/scorecard.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_table(at: AppTest):
    """The desktop table, its columns under the view's keys (measure, status, …)."""
    assert len(at.table) == 1, "the desktop layout is one table"
    shown = at.table[0].value
    assert list(shown.columns) == list(HEADERS.values())
    return shown.set_axis(list(HEADERS), axis=1)


@pytest.mark.parametrize("area", [DONCASTER, LEEDS], ids=lambda a: a.name)
def test_scorecard_lists_each_planned_measure_with_its_computed_status(
    monkeypatch, planned, area
):
    data, db = planned
    at = run_scorecard(monkeypatch, data, db, area.code)
    assert at.title[0].value == f"{area.name}: improvement plan scorecard"
    status = table(
        db,
        "SELECT metric_id, due, status FROM kpi_status "
        "WHERE area_code = ? ORDER BY metric_id, due",
        [area.code],
    )
    shown = shown_table(at)
    planned_ids = sorted(set(status.metric_id))
    database = Database(db)
    try:
        labels = {m: database.metric(m)["label"] for m in planned_ids}
    finally:
        database.close()
    rows = shown[shown.measure.isin(labels.values())]
    assert sorted(rows.measure) == sorted(labels.values())
    today = dt.date.today()
    for metric_id, label in labels.items():
        mine = status[status.metric_id == metric_id]
        # The measure is judged by its next checkpoint, else its last.
        upcoming = mine[mine.due.dt.date >= today]
        expected = (upcoming if len(upcoming) else mine.tail(1)).status.iloc[0]
        assert rows[rows.measure == label].status.iloc[0] == PLAN_STATUS_TEXT[expected]
    # Headline indicators without a target follow, marked as such.
    others = shown[~shown.measure.isin(labels.values())]
    assert len(others) == len([m for m in HEADLINE_METRICS if m not in labels])
    assert set(others.status) == {PLAN_STATUS_TEXT["no target"]}
    # One chart per planned measure, each saying its status in its title.
    charts = figures(at)
    assert len(charts) == len(planned_ids)
    for fig in charts:
        title = title_of(fig).lower().replace("<br>", " ")
        assert any(
            w in title for w in ("on track", "off track", "met", "missed", "no figure")
        ), title
    counts = {m.label: int(m.value) for m in at.metric}
    assert sum(counts.values()) == len(planned_ids)
    labels_shown = [b.label for b in at.get("download_button")]
    assert "Download the scorecard (CSV)" in labels_shown
    assert "Download the scorecard (Excel .xlsx)" in labels_shown


def test_doncaster_commentary_and_local_figure_are_on_the_scorecard(
    monkeypatch, planned
):
    data, db = planned
    at = run_scorecard(monkeypatch, data, db, DONCASTER.code)
    shown = shown_table(at).set_index("measure")
    database = Database(db)
    try:
        label = database.metric("ReReferral")["label"]
    finally:
        database.close()
    row = shown.loc[label]
    assert row.latest == "23.4 in Sep 2026 (local, not official statistics)"
    assert row.commentary == "Re-referrals up after the duty review"


def test_only_off_track_and_missed_filter(monkeypatch, planned):
    data, db = planned
    at = run_scorecard(monkeypatch, data, db, DONCASTER.code)
    at.toggle[0].set_value(True).run()
    shown = shown_table(at)
    assert set(shown.status) <= {
        PLAN_STATUS_TEXT["off track"],
        PLAN_STATUS_TEXT["missed"],
    }
    exceptions = table(
        db,
        "SELECT DISTINCT metric_id FROM kpi_status WHERE area_code = "
        f"'{DONCASTER.code}' AND status IN ('off track', 'missed')",
    )
    assert len(shown) <= len(exceptions)


def test_an_area_without_targets_is_told_how_to_set_them(monkeypatch, planned):
    data, db = planned
    at = run_scorecard(monkeypatch, data, db, BARNSLEY)
    text = " ".join(i.value for i in at.info)
    assert "No improvement plan targets are loaded for Barnsley" in text
    assert "python -m metrics targets FILE" in text
    labels = [b.label for b in at.get("download_button")]
    assert "Download the targets template (Excel .xlsx)" in labels
    assert "Download the targets template (CSV)" in labels
    shown = shown_table(at)
    assert len(shown) == len(HEADLINE_METRICS)
    assert set(shown.status) == {PLAN_STATUS_TEXT["no target"]}
    assert figures(at) == []


def test_group_in_the_address_is_the_reference_line(monkeypatch, planned):
    data, db = planned
    monkeypatch.setenv("DASHBOARD_DATA", str(data))
    monkeypatch.setenv("DASHBOARD_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params.update({"la": DONCASTER.code, "group": "region", "stat": "median"})
    at.run()
    at.switch_page("pages/scorecard.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.selectbox(key="scorecard-group").value == "region"
    name = "Other LAs in Yorkshire and The Humber (median)"
    for fig in figures(at):
        assert name in {t.get("name") for t in fig["data"]}
        assert "comparison group: median of 14 other LAs" in str(fig["layout"])
    # The table's column of the group's figure is headed by the group chosen.
    assert f"{name}, latest" in list(at.table[0].value.columns)


def unescaped(markdown: str) -> str:
    """Markdown's escaped marks read back as the text they stand for."""
    return re.sub(r"\\(.)", r"\1", markdown)


def test_below_the_desktop_width_each_measure_is_a_card(monkeypatch, planned):
    data, db = planned
    at = run_scorecard(monkeypatch, data, db, DONCASTER.code, width=360)
    assert len(at.table) == 0 and len(at.dataframe) == 0  # nothing scrolls sideways
    database = Database(db)
    try:
        view = scorecard(database, DONCASTER.area)
        labels = {m: database.metric(m)["label"] for m in view.statuses}
    finally:
        database.close()
    cards = [m.value for m in at.main.markdown if m.value.startswith("**")]
    # One card a measure, in the view's order, each as the view words it.
    assert cards == [c.markdown() for c in view.cards]
    assert len(cards) == len(view.table)
    status = table(
        db,
        "SELECT metric_id, due, status FROM kpi_status "
        "WHERE area_code = ? ORDER BY metric_id, due",
        [DONCASTER.code],
    )
    today = dt.date.today()
    texts = {unescaped(c).split("\n\n")[0].strip("*"): unescaped(c) for c in cards}
    for metric_id, label in labels.items():
        text = texts[label]
        mine = status[status.metric_id == metric_id]
        if mine.empty:
            assert f"Status: {PLAN_STATUS_TEXT['no target']}" in text
            continue
        upcoming = mine[mine.due.dt.date >= today]
        judged = (upcoming if len(upcoming) else mine.tail(1)).iloc[0]
        assert f"Status: {PLAN_STATUS_TEXT[judged.status]}" in text
        assert f"by {judged.due:%b %Y}" in text.split("Next checkpoint: ")[1]
    rereferral = texts[labels["ReReferral"]]
    assert "Latest figure: 23.4 in Sep 2026 (local, not official statistics)" in (
        rereferral
    )
    assert "Latest commentary: Re-referrals up after the duty review" in rereferral
    # The filter keeps only the cards of measures off track or missed.
    at.toggle[0].set_value(True).run()
    kept = [m.value for m in at.main.markdown if m.value.startswith("**")]
    assert kept == [c.markdown() for c in view.shown(only_exceptions=True)]
    assert kept and all("Off track" in k or "Missed" in k for k in kept)


def test_the_desktop_table_says_what_the_cards_say(monkeypatch, planned):
    data, db = planned
    at = run_scorecard(monkeypatch, data, db, DONCASTER.code)
    database = Database(db)
    try:
        view = scorecard(database, DONCASTER.area)
    finally:
        database.close()
    shown = shown_table(at)
    for card, row in zip(view.cards, shown.itertuples(), strict=True):
        for key in HEADERS:
            assert getattr(row, key) == (getattr(card, key) or "—"), key
