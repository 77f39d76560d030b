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
