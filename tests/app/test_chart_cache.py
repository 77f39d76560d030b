"""Charts built once per build and selection, replayed on later runs; tables on demand."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from metrics.queries import Database
from tests.support.areas import DONCASTER, LEEDS
from tests.support.data import ROOT
from views.pages import TIMELINESS
from views.sections import build_charts

SLUG = "doncaster-continue-assess-comp-2016-2025"


@pytest.fixture(scope="module", autouse=True)
def _app_on_test_db(app_db):
    return app_db


def timeliness(area_code: str, open_table: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["la"] = area_code
    at.run()
    at.switch_page("pages/timeliness.py").run()
    if open_table:
        at.session_state[f"table-{open_table}"] = True
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def test_a_replayed_chart_is_the_chart_built_from_the_database(app_db):
    first = specs(timeliness(DONCASTER[0]))  # builds (or replays) the charts
    second = specs(timeliness(DONCASTER[0]))  # a new session: replays them
    assert first == second
    annual = TIMELINESS.section("annual").items[0]
    (chart,) = build_charts(Database(app_db), annual, DONCASTER.area, "2025")
    direct = json.loads(chart.fig.to_json())
    assert second[0]["data"] == direct["data"]
    assert second[0]["layout"]["title"] == direct["layout"]["title"]
    assert second[0]["layout"]["annotations"] == direct["layout"]["annotations"]


def test_each_area_gets_its_own_charts():
    doncaster = specs(timeliness(DONCASTER[0]))[0]
    leeds = specs(timeliness(LEEDS[0]))[0]
    assert doncaster["layout"]["title"]["text"].startswith("<b>Doncaster")
    assert leeds["layout"]["title"]["text"].startswith("<b>Leeds")


def test_one_chart_object_per_build_and_arguments(app_db):
    def script():
        import streamlit as st

        from metrics.areas import Area
        from ui.data import cached
        from views.pages import TIMELINESS
        from views.sections import build_charts

        item = TIMELINESS.section("annual").items[0]
        area = Area("E08000017", "Doncaster")
        a = cached(build_charts, item, area, "2025")[0]
        b = cached(build_charts, item, area, "2025")[0]
        c = cached(build_charts, item, area, "2021")[0]
        st.write(f"same={a is b} other={a is c} keyed={a.cache_key is not None}")
        st.write(f"models={a.cache_key != c.cache_key}")

    at = AppTest.from_function(script, default_timeout=90).run()
    assert not at.exception, [e.value for e in at.exception]
    text = " ".join(m.value for m in at.markdown)
    assert "same=True other=False keyed=True" in text
    assert "models=True" in text


def test_a_tables_numbers_are_built_only_when_it_is_opened():
    closed = timeliness(DONCASTER[0])
    labels = [e.label for e in closed.expander if e.label.startswith("Table: ")]
    assert len(labels) == 4
    assert len(closed.dataframe) == 0

    opened = timeliness(DONCASTER[0], open_table=SLUG)
    assert len(opened.dataframe) == 1
    table = opened.dataframe[0].value
    assert {"area", "period_label", "value", "source_title", "locator"} <= set(
        table.columns
    )
    shown = table[table.area == "Doncaster"]
    trace = next(t for t in specs(opened)[0]["data"] if t["name"] == "Doncaster")
    assert list(shown.period_end.astype(str).str[:10]) == [x[:10] for x in trace["x"]]


def _main_downloads(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.main.get("download_button")]


def _main_widgets(at: AppTest) -> list[str]:
    return [w.label for w in [*at.main.radio, *at.main.multiselect]]


def test_downloads_and_adjust_controls_are_sent_only_when_opened():
    from charts.export import can_draw

    closed = timeliness(DONCASTER.code)
    # One menu a chart, its buttons not sent; no adjust widget either (the page's
    # only radio is the neighbour model above the charts).
    assert _main_downloads(closed) == []
    assert _main_widgets(closed) == ["Statistical neighbour model"]
    closed.session_state[f"downloads-{SLUG}"] = True
    closed.run()
    pictures = ["Download the chart (PNG)", "Download the chart (SVG)"]
    data = ["Download the chart's data (CSV)", "Download the chart's data (Excel)"]
    assert _main_downloads(closed) == (pictures if can_draw() else []) + data
    closed.session_state["adjust-Continue_Assess_Comp-open"] = True
    closed.run()
    assert "Y axis" in _main_widgets(closed)
    assert "Add local authorities (up to 4)" in _main_widgets(closed)


def test_a_closed_adjust_control_keeps_the_addresss_choices(app_db):
    from views.options import ChartOptions

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["la"] = DONCASTER.code
    at.query_params["Continue_Assess_Comp.y"] = "zero"
    at.query_params["Continue_Assess_Comp.add"] = LEEDS.code
    at.run()
    at.switch_page("pages/timeliness.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Y axis" not in _main_widgets(at)  # the control is closed
    annual = TIMELINESS.section("annual").items[0]
    chosen = ChartOptions(y_axis="zero", added=(LEEDS.code,))
    (chart,) = build_charts(Database(app_db), annual, DONCASTER.area, "2025", chosen)
    shown = specs(at)[0]
    direct = json.loads(chart.fig.to_json())
    assert "Leeds" in {t.get("name") for t in shown["data"]}
    assert shown["data"] == direct["data"]
    assert shown["layout"]["yaxis"] == direct["layout"]["yaxis"]
