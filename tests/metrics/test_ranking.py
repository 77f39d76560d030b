"""Ranks, quartile bands and neighbour averages of the benchmark explorer."""

from __future__ import annotations

import pandas as pd
import pytest

from metrics.formatting import ordinal
from metrics.queries import Database, Group
from metrics.ranking import (
    benchmark,
    quartile_band,
    quartiles,
    rank_table,
    rank_values,
)
from views.ranking_words import (
    band_words,
    change_sentence,
    rank_sentences,
    rank_title,
    series_title,
)


def frame(values: dict[str, float | None], previous: dict | None = None):
    """A rank input: one row per area, named after its code."""
    rows = pd.DataFrame(
        {
            "area_code": list(values),
            "area_name": [f"LA {c}" for c in values],
            "value": pd.array(list(values.values()), dtype="Float64"),
        }
    )
    if previous is not None:
        rows["previous_value"] = pd.array(
            [previous.get(c) for c in values], dtype="Float64"
        )
    return rows


def ranks(table: pd.DataFrame) -> dict[str, int | None]:
    return {
        c: (None if pd.isna(r) else int(r))
        for c, r in zip(table.area_code, table["rank"])
    }


@pytest.mark.parametrize(
    "n, text",
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th")]
    + [(13, "13th"), (21, "21st"), (22, "22nd"), (101, "101st"), (112, "112th")],
)
def test_ordinal(n, text):
    assert ordinal(n) == text


def test_lower_is_better_ranks_smallest_first_with_competition_ties():
    values = pd.Series([10.0, 20.0, 20.0, 30.0, 5.0])
    assert list(rank_values(values, "lower")) == [2, 3, 3, 5, 1]


def test_higher_is_better_ranks_largest_first_with_competition_ties():
    values = pd.Series([10.0, 20.0, 20.0, 30.0, 5.0])
    assert list(rank_values(values, "higher")) == [4, 2, 2, 1, 5]


def test_neutral_orders_by_value_descending():
    values = pd.Series([1.5, 9.0, 4.0])
    assert list(rank_values(values, "neutral")) == [3, 1, 2]


def test_suppressed_values_are_not_ranked_and_do_not_count():
    table = rank_table(frame({"a": 3.0, "b": None, "c": 1.0, "d": 3.0}), "higher")
    assert ranks(table) == {"a": 1, "d": 1, "c": 3, "b": None}
    # The unranked LA comes last and has no band.
    assert list(table.area_code) == ["a", "d", "c", "b"]
    # Quartiles of the 3 values only (1, 3, 3): 2, 3 and 3. 3 is at or below the
    # median, so C; 1 is at or below the lower quartile, so D.
    assert list(table.band[:3]) == ["C", "C", "D"]
    assert pd.isna(table.band.iloc[3])


def test_quartiles_interpolate_linearly_like_r_type_7():
    # R: quantile(c(1, 2, 3, 4)) gives 1.75, 2.5, 3.25 at 25%, 50%, 75%.
    assert quartiles(pd.Series([4.0, 1.0, 3.0, 2.0])) == (1.75, 2.5, 3.25)
    # Positions 1 + (n - 1) * p: with 5 values, exactly the 2nd, 3rd and 4th.
    assert quartiles(pd.Series([10.0, None, 50.0, 20.0, 40.0, 30.0])) == (
        20.0,
        30.0,
        40.0,
    )
    assert quartiles(pd.Series([7.0])) == (7.0, 7.0, 7.0)
    assert quartiles(pd.Series([None, None], dtype="Float64")) is None


# LAIT's own test cut points: lower quartile 25, median 50, upper quartile 75.
CUTS = (25.0, 50.0, 75.0)


@pytest.mark.parametrize(
    "value, higher, lower",
    [(0, "D", "A"), (10, "D", "A"), (25, "D", "A"), (25.01, "C", "B")]
    + [(30, "C", "B"), (50, "C", "B"), (60, "B", "C"), (75, "B", "C")]
    + [(75.5, "A", "D"), (100, "A", "D")],
)
def test_value_bands_with_boundaries_in_the_band_below(value, higher, lower):
    # A value on a quartile belongs to the band below it by value, whichever the
    # polarity (as LAIT: 25 is D where higher is better and A where lower is).
    assert quartile_band(value, CUTS, "higher") == higher
    assert quartile_band(value, CUTS, "lower") == lower


def test_no_value_band_without_value_quartiles_or_direction():
    assert quartile_band(None, CUTS, "higher") is None
    assert quartile_band(float("nan"), CUTS, "lower") is None
    assert quartile_band(30, None, "higher") is None
    assert quartile_band(30, CUTS, "neutral") is None


def test_bands_are_by_value_not_by_quarters_of_ranks():
    # Eight LAs, five of them tied on 0: quartiles 0, 0 and 1.25. By rank they would
    # be A, A, B, B, C, C, D, D; by value the five zeros are all A (at or below
    # the lower quartile) and B (above 0, at or below 0) is empty.
    values = {"a": 0.0, "b": 0.0, "c": 0.0, "d": 0.0, "e": 0.0, "f": 1.0}
    values |= {"g": 2.0, "h": 9.0}
    table = rank_table(frame(values), "lower")
    assert quartiles(table.value) == (0.0, 0.0, 1.25)
    assert dict(zip(table.area_code, table.band)) == {
        "a": "A",
        "b": "A",
        "c": "A",
        "d": "A",
        "e": "A",
        "f": "C",
        "g": "D",
        "h": "D",
    }
    assert list(table["rank"]) == [1, 1, 1, 1, 1, 6, 7, 8]


def test_position_of_a_tied_la_with_previous_year():
    data = frame(
        {"a": 10.0, "b": 12.0, "c": 12.0, "d": 15.0, "e": None, "f": 20.0},
        previous={"a": 11.0, "b": 14.0, "c": 9.0, "d": 13.0, "e": 8.0, "f": 18.0},
    )
    table, pos = benchmark(data, "b", "lower")
    assert ranks(table) == {"a": 1, "b": 2, "c": 2, "d": 4, "f": 5, "e": None}
    assert (pos.rank, pos.n_ranked, pos.n_without, pos.tied_with) == (2, 5, 1, 2)
    # Quartiles of 10, 12, 12, 15, 20: 12, 12 and 15; 12 is at or below the lower
    # quartile, so band A (lower is better) though ranked 2nd of 5.
    assert pos.quartiles == (12.0, 12.0, 15.0)
    assert pos.band == "A"
    assert pos.rank_words() == "joint 2nd of 5"
    assert pos.change == pytest.approx(-2.0)
    # Last year (lower is better): e 8, c 9, a 11, d 13, b 14, f 18 -> b 5th of 6.
    assert (pos.previous_rank, pos.previous_n) == (5, 6)
    title = rank_title(pos, "re-referrals", "2025")
    assert title == (
        "LA b ranks joint 2nd of 5 on re-referrals in 2025 (lower is better): "
        "quartile A"
    )
    said = " ".join(rank_sentences(pos, "re-referrals", "2025"))
    assert "1 of 6 current local authorities has no value for 2025" in said
    assert (
        "LA b is in quartile band A (at or below the lower quartile); A is the best "
        "band and D the worst." in said
    )
    assert (
        "Quartile banding as in DfE's LAIT: by value, among the 5 local authorities "
        "with a figure for 2025 (lower quartile 12, median 12, upper quartile 15)."
    ) in said
    assert "25%" not in said
    assert change_sentence(pos, "2024", 1, "%") == (
        "Down 2 (%) from 14 in 2024 (better: lower is better); then 5th of 6."
    )


def test_higher_polarity_change_down_is_worse():
    data = frame({"a": 80.0, "b": 90.0}, previous={"a": 85.0, "b": 70.0})
    _, pos = benchmark(data, "a", "higher")
    assert (pos.rank, pos.band) == (2, "D")
    assert change_sentence(pos, "2024", 1, "%").startswith(
        "Down 5 (%) from 85 in 2024 (worse: higher is better); then 1st of 2"
    )


def test_an_la_with_no_value_has_no_rank_and_says_so():
    data = frame({"a": 1.0, "b": None, "c": 2.0}, previous={"b": 4.0})
    table, pos = benchmark(data, "b", "higher")
    assert pos.rank is None and pos.band is None and pos.value is None
    assert (pos.n_ranked, pos.n_without) == (2, 1)
    assert pos.rank_words() == "not ranked"
    assert rank_title(pos, "X", "2025") == (
        "LA b has no value for X in 2025, so no rank among 2 LAs"
    )
    said = rank_sentences(pos, "X", "2025")
    assert said[0].startswith("LA b has no value for 2025 (suppressed or not")
    assert "it has no rank; 2 local authorities with a value are ranked" in said[0]
    assert "needs a value for both 2024" in change_sentence(pos, "2024", 1, "")


def test_neutral_polarity_has_no_better_direction_or_best_worst_words():
    data = frame({"a": 100.0, "b": 300.0, "c": 200.0, "d": 50.0})
    table, pos = benchmark(data, "c", "neutral")
    assert ranks(table) == {"b": 1, "c": 2, "a": 3, "d": 4}
    assert pos.rank_words() == "2nd highest of 4"
    title = rank_title(pos, "CIN rate", "2025")
    said = " ".join(rank_sentences(pos, "CIN rate", "2025"))
    assert "no better direction" in title
    # LAIT gives no band where there is no better direction, and the page says why.
    assert pos.band is None and table.band.isna().all()
    assert "quartile" not in title
    assert "No quartile band: the dictionary gives this measure no better" in said
    assert band_words(pos.band, "neutral") == "no quartile band"
    for text in (title, said):
        assert "best" not in text and "worst" not in text and "25%" not in text
    data = frame({"c": 5.0}, previous={"c": 3.0})
    _, pos = benchmark(data, "c", "neutral")
    sentence = change_sentence(pos, "2024", 0, "")
    assert sentence == "Up 2 from 3 in 2024; then 1st highest of 1."


def test_no_bands_where_the_dictionary_says_quartiles_do_not_apply():
    table, pos = benchmark(frame({"a": 1.0, "b": 2.0}), "a", "lower", False)
    assert table.band.isna().all()
    assert pos.rank == 1 and pos.band is None
    assert not rank_title(pos, "X", "2025").endswith("quartile A")
    assert "the dictionary says quartiles do not apply" in " ".join(
        rank_sentences(pos, "X", "2025")
    )


def test_a_group_refuses_an_unknown_statistic():
    with pytest.raises(ValueError, match="mode"):
        Group("neighbours", "Statistical neighbours", ("E08000016",), "mode")


def test_series_title_compares_at_the_precision_shown():
    series = pd.DataFrame(
        {
            "role": ["focus", "focus", "england", "neighbours"],
            "period_end": pd.to_datetime(["2024-03-31", "2025-03-31"] * 2),
            "period_label": ["2024", "2025", "2024", "2025"],
            "value": [20.0, 21.04, 22.0, 21.0],
        }
    )
    # England has no 2025 value; the neighbours' 21.0 shows as level at 1 dp.
    assert series_title(series, "Doncaster", 1, "median") == (
        "Doncaster: 21 in 2025, level with neighbours' median (21)"
    )


# --- the queries behind the explorer, on the real database -----------------------


@pytest.fixture(scope="module")
def db(built_db):
    database = Database(built_db)
    yield database
    database.close()


def test_ranking_query_has_every_current_la_once(db):
    current = db.local_authorities()
    ranking = db.ranking("ReReferral")
    assert sorted(ranking.area_code) == sorted(current.area_code)
    assert set(ranking.period_label) == {"2025"}
    assert set(ranking.previous_label) == {"2024"}


def test_ranking_query_is_parameterised(db):
    assert db.ranking("x' OR '1'='1").empty
    assert not db.ranking("LAC%_Adopt_AppUnop").empty


@pytest.mark.parametrize("stat", ["mean", "median"])
def test_group_figure_is_the_statistic_over_neighbours_with_a_value(db, stat):
    """The database's mean or median equals pandas' over each neighbour's figures."""
    neighbours = db.neighbour_series("ReReferral", "E08000017", "2025")
    assert neighbours.area_code.nunique() == 10
    valued = neighbours.dropna(subset=["value"])
    ours = valued.groupby("period_label").value.agg([stat, "count"])
    group = db.neighbour_group("E08000017", "2025", stat)
    assert group.members == tuple(neighbours.drop_duplicates("area_code").area_code)
    theirs = db.comparator_series("ReReferral", "E08000017", group=group)
    theirs = theirs[theirs.role == "neighbours"].set_index("period_label")
    assert list(theirs.index) == list(ours.index)
    assert theirs.value.to_numpy() == pytest.approx(ours[stat].to_numpy())
    assert list(theirs.n_neighbours) == list(ours["count"])
    first = theirs.iloc[0]
    assert first.series == f"Statistical neighbours ({stat})"
    assert first.locator == (
        f"{stat} of {ours['count'].iloc[0]} neighbours with a value (2025 model)"
    )


def test_the_median_differs_from_the_mean_where_the_figures_are_skewed(db):
    """The statistic really reaches the query (not always the mean)."""
    series = {
        stat: db.comparator_series(
            "ReReferral",
            "E08000017",
            group=db.neighbour_group("E08000017", "2025", stat),
        ).query("role == 'neighbours'")
        for stat in ("mean", "median")
    }
    assert (series["mean"].value.to_numpy() != series["median"].value.to_numpy()).any()
