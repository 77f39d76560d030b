"""AppTest of the benchmark explorer, checked against the raw LAIT file."""

from __future__ import annotations

from functools import cache

import duckdb
import pandas as pd
import pytest

from charts.lines import EACH_NEIGHBOUR
from tests.support.areas import DONCASTER, LEEDS
from tests.support.charts import decode, figures, title_of
from tests.support.data import RAW, ROOT
from tests.support.lait import lait_bands, lait_quartiles

FOCUS_COLOUR = "#12436D"
# Polarity from the LAIT dictionary (docs/DATA_DICTIONARY.md, section 3).
MEASURES = [("ReReferral", "lower"), ("Continue_Assess_Comp", "higher")]


@pytest.fixture(scope="module", autouse=True)
def _app_on_test_db(app_db):
    """Every AppTest in this module reads the test database."""
    return app_db


@pytest.fixture(scope="module")
def current(built_db) -> set[int]:
    """LA numbers of the current local authorities (the ones ranked)."""
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        rows = con.execute(
            "SELECT la_number FROM areas WHERE level = 'local authority' AND is_current"
        ).fetchall()
    finally:
        con.close()
    return {int(r[0]) for r in rows}


@cache
def raw_lait() -> pd.DataFrame:
    raw = pd.read_parquet(RAW / "lait_bds_long.parquet")
    return raw.assign(value=pd.to_numeric(raw["Values"], errors="coerce"))


def raw_latest(measure: str, current: set[int]) -> tuple[str, pd.Series]:
    """The latest Years label with a value for a current LA, and values by LA number."""
    raw = raw_lait()
    rows = raw[(raw["Short Desc"] == measure) & raw["LA Number"].isin(current)]
    rows = rows.dropna(subset=["value"])
    latest = max(rows.Years)
    at = rows[rows.Years == latest]
    return latest, at.set_index(at["LA Number"].astype(int)).value


def ordinal(n: int) -> str:
    return f"{n}" + (
        "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    )


def run_explorer(area_code: str, **params: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["la"] = area_code
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("pages/explorer.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def ranking_subtitle(at) -> str:
    return figures(at)[1]["layout"]["title"]["text"].split("</b>")[1]


def metric(at, label_start: str):
    return next(m for m in at.metric if m.label.startswith(label_start))


def text_of(at) -> str:
    return " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("measure, polarity", MEASURES, ids=lambda m: str(m))
@pytest.mark.parametrize("area", [DONCASTER, LEEDS], ids=lambda a: a[1])
def test_rank_and_band_match_the_raw_file(area, measure, polarity, current):
    code, name, number = area
    latest, values = raw_latest(measure, current)
    mine = values[number]
    better = values < mine if polarity == "lower" else values > mine
    rank, n = 1 + int(better.sum()), len(values)
    joint = "joint " if int((values == mine).sum()) > 1 else ""
    # LAIT's band, by value (the independent implementation in test_lait_bands).
    bands = lait_bands(measure)
    band = bands[number]

    at = run_explorer(code, measure=measure)
    assert at.selectbox(key="explorer_measure").value == measure
    assert at.title[0].value == f"{name}: benchmark explorer"
    assert metric(at, "Rank").value == f"{joint}{ordinal(rank)} of {n}"
    assert metric(at, "Quartile band").value == band
    # Shown to one decimal place (no dps in the dictionary), trailing zero dropped.
    shown = f"{mine:,.1f}".removesuffix(".0")
    assert metric(at, f"Value, {latest}").value == shown
    # How the band is computed is said next to it, with the quartiles.
    q = ", ".join(f"{c:,.3f}".rstrip("0").rstrip(".") for c in lait_quartiles(values))
    assert (
        f"Quartile banding as in DfE's LAIT: by value, among the {n} local "
        f"authorities with a figure for {latest}"
    ) in text_of(at)
    assert f"as in DfE's LAIT (quartiles {q})" in ranking_subtitle(at)

    series, ranking = figures(at)[:2]
    assert f"{name} ranks {joint}{ordinal(rank)} of {n} on" in title_of(ranking)
    assert f"in {latest} ({polarity} is better): quartile {band}" in title_of(ranking)
    bars = ranking["data"][0]
    expected = values.sort_values(ascending=polarity == "lower").to_numpy()
    assert decode(bars["y"]) == pytest.approx(expected)
    colours = bars["marker"]["color"]
    assert colours.count(FOCUS_COLOUR) == 1
    assert decode(bars["y"])[colours.index(FOCUS_COLOUR)] == pytest.approx(mine)
    # Band boundaries drawn where the bars' bands (LAIT's, by value) change.
    order = values.sort_values(ascending=polarity == "lower", kind="stable")
    in_order = [bands[la] for la in order.index]
    starts = [i for i in range(1, n) if in_order[i] != in_order[i - 1]]
    lines = [s["x0"] for s in ranking["layout"].get("shapes", []) if s["x0"] == s["x1"]]
    assert sorted(lines) == [i - 0.5 for i in starts]
    labels = [
        a["text"]
        for a in ranking["layout"]["annotations"]
        if a.get("yref") == "paper" and a["text"][:2] in ("A:", "B:", "C:", "D:")
    ]
    assert [label[0] for label in labels] == sorted(set(in_order))
    assert not any("25%" in label for label in labels)

    raw = raw_lait()
    own = raw[(raw["Short Desc"] == measure) & (raw["LA Number"] == number)]
    own = own.dropna(subset=["value"]).sort_values("Years")
    focus = next(t for t in series["data"] if t["name"] == name)
    assert decode(focus["y"]) == pytest.approx(own.value.to_numpy())


def test_url_selects_measure_model_statistic_and_neighbour_lines(current):
    code, name, number = DONCASTER
    at = run_explorer(code, measure="CIN", model="2021", stat="median", show="1")
    assert at.selectbox(key="explorer_topic").value == "Children in Need"
    assert at.selectbox(key="explorer_measure").value == "CIN"
    assert at.radio(key="explorer_model").value == "2021"
    assert at.radio(key="explorer_stat").value == "median"
    assert at.toggle(key="explorer_show").value is True
    assert at.query_params["measure"] == "CIN"

    sn = pd.read_csv(
        RAW / "New_Statistical_Neighbour_Groupings_April_2021.csv",
        encoding="utf-8-sig",
    )
    row = sn[sn["LA num"] == number].iloc[0]
    neighbours = [int(row[f"SN{i}"]) for i in range(1, 11)]
    raw = raw_lait()
    cin = raw[(raw["Short Desc"] == "CIN") & raw["LA Number"].isin(neighbours)]
    latest = max(cin.dropna(subset=["value"]).Years)
    median = cin[cin.Years == latest].value.median()

    series = figures(at)[0]
    names = [t["name"] for t in series["data"]]
    average = next(t for t in series["data"] if t["name"].endswith("(median)"))
    assert decode(average["y"])[-1] == pytest.approx(median)
    # Each neighbour's thin line, shown and hidden together by one legend entry.
    grey = [t for t in series["data"] if t.get("legendgroup") == EACH_NEIGHBOUR]
    assert [t["name"] for t in grey if t.get("showlegend") is not False] == [
        EACH_NEIGHBOUR
    ]
    assert len([t for t in grey if t.get("showlegend") is False]) == 10
    assert set(names) >= {name, "England", "Yorkshire and The Humber"}
    assert "median" in title_of(series)
    # CIN has no better direction: positions, not ranks, and no best or worst.
    _, cin_now = raw_latest("CIN", current)
    higher = int((cin_now > cin_now[number]).sum())
    assert metric(at, "Position (1 = highest value)").value == (
        f"{ordinal(1 + higher)} highest of {len(cin_now)}"
    )
    assert any("no better direction" in i.value for i in at.info)
    ranking_text = title_of(figures(at)[1]) + text_of(at)
    assert "best 25%" not in ranking_text and "worst 25%" not in ranking_text
    # No band without a better direction (as in LAIT), and the page says why.
    assert metric(at, "Quartile band").value == "None"
    assert any(
        "So there is no quartile band: DfE's LAIT bands only measures where higher "
        "or lower is better." in i.value
        for i in at.info
    )
    assert "No quartile band: the dictionary gives this measure no better" in (
        text_of(at)
    )
    shapes = figures(at)[1]["layout"].get("shapes", [])
    assert not [s for s in shapes if s["x0"] == s["x1"]]  # no band boundaries


def test_unknown_url_values_fall_back_to_defaults_and_are_rewritten():
    at = run_explorer(DONCASTER[0], measure="no_such_measure", model="1999", stat="x")
    assert at.selectbox(key="explorer_measure").value == "ReReferral"
    params = {k: at.query_params[k] for k in ("measure", "model", "stat", "show")}
    defaults = {"measure": "ReReferral", "model": "2025", "stat": "mean", "show": "0"}
    assert params == defaults


def test_choosing_a_measure_or_topic_writes_the_url():
    at = run_explorer(LEEDS[0])
    at.selectbox(key="explorer_measure").set_value("Continue_Assess_Comp").run()
    assert at.query_params["measure"] == "Continue_Assess_Comp"
    assert at.subheader[0].value.startswith("Continuous assessments completed")
    # A new topic picks its first measure (by label) and the address follows.
    at.selectbox(key="explorer_topic").set_value("Adoption").run()
    dictionary = pd.read_csv(RAW / "lait_data_dictionary.csv", encoding="utf-8-sig")
    adoption = dictionary[dictionary.Topic == "Adoption"].sort_values(
        ["Chart_title", "Measure_short"]
    )
    chosen = at.selectbox(key="explorer_measure").value
    assert chosen == adoption["Measure_short"].iloc[0]
    assert at.query_params["measure"] == chosen
    at.radio(key="explorer_stat").set_value("median").run()
    at.toggle(key="explorer_show").set_value(True).run()
    assert (at.query_params["stat"], at.query_params["show"]) == ("median", "1")
    assert not at.exception


def test_an_la_without_a_value_is_not_ranked_and_the_gap_is_counted(current):
    measure = "CPPlans2yrsActive"
    latest, values = raw_latest(measure, current)
    assert DONCASTER[2] not in values.index  # suppressed for Doncaster in the file
    at = run_explorer(DONCASTER[0], measure=measure)
    assert metric(at, "Rank").value == "not ranked"
    text = text_of(at)
    assert f"Doncaster has no value for {latest} (suppressed or not published)" in text
    assert f"{len(values)} local authorities with a value are ranked" in text
    without = len(current) - len(values)
    assert f"{without} of {len(current)} current local authorities have no value" in (
        text
    )


def test_quartiles_that_do_not_apply_are_said_and_not_given():
    at = run_explorer(DONCASTER[0], measure="Social_Work_Starters")
    assert metric(at, "Quartile band").value == "None"
    assert any("the dictionary says quartiles do not apply" in i.value for i in at.info)
    assert "quartile" not in title_of(figures(at)[1]).split("</b>")[0]


def test_neighbours_table_lists_2025_neighbours_with_grade_symbols():
    sn = pd.read_csv(RAW / "sn_model_2025_wide.csv", encoding="utf-8-sig")
    names = dict(zip(sn.old_la_code, sn.la_name))
    row = sn[sn.old_la_code == DONCASTER[2]].iloc[0]
    expected = [names[int(row[f"SN_{i}"])] for i in range(1, 11)]
    at = run_explorer(DONCASTER[0])
    table = next(d.value for d in at.dataframe if "closeness rank" in d.value.columns)
    assert list(table["local authority"]) == expected
    latest = pd.read_excel(
        ROOT / "data/raw/ofsted/LA_Inspection_Outcomes_as_at_31_March_2025.ods",
        engine="odf",
        sheet_name="Inspections_as_at_31_March",
        header=2,
    )
    # Ofsted writes some names differently ("Telford & Wrekin").
    overall = {
        str(n).replace("&", "and"): g
        for n, g in zip(latest["Local authority name"], latest["Overall effectiveness"])
    }
    symbol = {"Outstanding": "★", "Good": "✓", "Inadequate": "✗"}
    shown = list(table["latest Ofsted grade"])
    wanted = [f"{symbol.get(overall[n], '▲')} {overall[n]}" for n in expected]
    assert shown == wanted


def test_a_count_measure_is_not_set_against_englands_total():
    measure = "CPP_Total_NumRef"  # unit "Number of children"
    raw = raw_lait()
    rows = raw[(raw["Short Desc"] == measure) & (raw["LA Number"] == LEEDS[2])]
    rows = rows.dropna(subset=["value"]).sort_values("Years")
    at = run_explorer(LEEDS[0], measure=measure)
    series, ranking = figures(at)[:2]
    assert "England" not in {t["name"] for t in series["data"]}
    last, before = rows.iloc[-1], rows.iloc[-2]
    word = "up from" if last.value > before.value else "down from"
    assert (
        f"{LEEDS[1]}: {last.value:,.0f} in {last.Years}, {word} {before.value:,.0f} "
        f"in {before.Years}"
    ) in title_of(series)
    # No England reference line on the ranking either: it would dwarf every bar.
    assert not any(
        "England" in (a.get("text") or "")
        for a in ranking["layout"].get("annotations", [])
    )


def test_region_view_lists_every_la_of_the_region_with_the_focus_marked():
    at = run_explorer(DONCASTER[0], measure="ReReferral")
    heading = "Every current local authority in Yorkshire and The Humber"
    assert heading in [s.value for s in at.subheader]
    region = next(d.value for d in at.dataframe if "rank in region" in d.value)
    region = getattr(region, "data", region)
    assert len(region) == 15 and region.focus.tolist().count("focus LA") == 1
    assert region[region.focus == "focus LA"]["local authority"].iloc[0] == "Doncaster"
    labels = [b.label for b in at.get("download_button")]
    assert "Download the table (CSV)" in labels
    chart = next(f for f in figures(at) if "in Yorkshire and The Humber" in title_of(f))
    names = {t["name"] for t in chart["data"]}
    assert {"Doncaster", "England", "Each LA in Yorkshire and The Humber"} <= names


@pytest.mark.parametrize("stat", ["mean", "median"])
def test_group_in_the_address_draws_its_figure_named(stat):
    at = run_explorer(
        DONCASTER[0], measure="ReReferral", group="outstanding", stat=stat
    )
    assert at.query_params["group"] == "outstanding"
    series = figures(at)[0]
    names = [t["name"] for t in series["data"]]
    assert f"LAs rated outstanding ({stat})" in names
    subtitle = series["layout"]["title"]["text"]
    assert f"{stat} of 36 LAs rated outstanding" in subtitle  # Doncaster is good


def test_own_group_in_the_address():
    codes = "E08000035,E08000018"
    at = run_explorer(DONCASTER[0], measure="ReReferral", group=codes)
    assert at.selectbox(key="explorer-group").value == "own"
    assert at.multiselect(key="explorer-own").value == codes.split(",")
    subtitle = figures(at)[0]["layout"]["title"]["text"]
    assert "Chosen LAs: mean of 2 chosen LAs (Leeds, Rotherham)" in subtitle


def test_own_table_lists_the_groups_las_and_goes_into_the_pack():
    at = run_explorer(DONCASTER[0], measure="ReReferral", group="region")
    at.multiselect(key="explorer_table").set_value(
        ["ReReferral", "Continue_Assess_Comp"]
    ).run()
    frames = [getattr(d.value, "data", d.value) for d in at.dataframe]
    own = next(
        f for f in frames if any(str(c).endswith(": rank in group") for c in f.columns)
    )
    assert len(own) == 15 and own.focus.tolist().count("focus LA") == 1
    assert len([c for c in own.columns if c.endswith(": rank in group")]) == 2
    at.toggle(key="explorer_table_in_pack").set_value(True).run()
    assert not at.exception
    assert at.session_state["own_table"].area_code == DONCASTER[0]
