"""Ranks, quartile bands and neighbour averages of the benchmark explorer."""

from __future__ import annotations

import pandas as pd
import pytest

from metrics.benchmark import (
    band_words,
    benchmark,
    change_sentence,
    neighbour_summary,
    ordinal,
    quartile_band,
    rank_sentences,
    rank_table,
    rank_title,
    rank_values,
    series_title,
)
from metrics.queries import Database


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
    # The unranked LA comes last; n for the bands is the 3 with a value.
    assert list(table.area_code) == ["a", "d", "c", "b"]
    # ceil(4 * 1 / 3) = 2 and ceil(4 * 3 / 3) = 4.
    assert list(table.band[:3]) == ["B", "B", "D"]
    assert pd.isna(table.band.iloc[3])


@pytest.mark.parametrize(
    "rank, band",
    [(1, "A"), (38, "A"), (39, "B"), (76, "B"), (77, "C"), (114, "C")]
    + [(115, "D"), (152, "D")],
)
def test_quartile_bands_of_152(rank, band):
    # ceil(4 * rank / 152): 38 ranks in each band.
    assert quartile_band(rank, 152) == band


def test_quartile_bands_of_small_groups():
    assert [quartile_band(r, 4) for r in range(1, 5)] == ["A", "B", "C", "D"]
    assert [quartile_band(r, 8) for r in range(1, 9)] == list("AABBCCDD")
    # With fewer than four ranked, 1st of 3 is already in the second quarter.
    assert [quartile_band(r, 3) for r in range(1, 4)] == ["B", "C", "D"]
    assert quartile_band(None, 10) is None
    with pytest.raises(ValueError):
        quartile_band(11, 10)


def test_position_of_a_tied_la_with_previous_year():
    data = frame(
        {"a": 10.0, "b": 12.0, "c": 12.0, "d": 15.0, "e": None, "f": 20.0},
        previous={"a": 11.0, "b": 14.0, "c": 9.0, "d": 13.0, "e": 8.0, "f": 18.0},
    )
    table, pos = benchmark(data, "b", "lower")
    assert ranks(table) == {"a": 1, "b": 2, "c": 2, "d": 4, "f": 5, "e": None}
    assert (pos.rank, pos.n_ranked, pos.n_without, pos.tied_with) == (2, 5, 1, 2)
    assert pos.band == "B"  # ceil(4 * 2 / 5) = 2
    assert pos.rank_words() == "joint 2nd of 5"
    assert pos.change == pytest.approx(-2.0)
    # Last year (lower is better): e 8, c 9, a 11, d 13, b 14, f 18 -> b 5th of 6.
    assert (pos.previous_rank, pos.previous_n) == (5, 6)
    title = rank_title(pos, "re-referrals", "2025")
    assert title == (
        "LA b ranks joint 2nd of 5 on re-referrals in 2025 (lower is better): "
        "quartile B"
    )
    said = " ".join(rank_sentences(pos, "re-referrals", "2025"))
    assert "1 of 6 current local authorities has no value for 2025" in said
    assert "quartile B (second-best 25%)" in said
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
    assert "quartile B (second-highest 25% of values)" in said
    for text in (title, said, band_words(pos.band, "neutral")):
        assert "best" not in text and "worst" not in text
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


def neighbours_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rank": [1, 1, 2, 2, 3, 3, 4],
            "area_code": ["n1", "n1", "n2", "n2", "n3", "n3", "n4"],
            "area_name": ["N1", "N1", "N2", "N2", "N3", "N3", "N4"],
            "period_end": pd.to_datetime(
                ["2024-03-31", "2025-03-31"] * 3 + ["2025-03-31"]
            ),
            "period_label": ["2024", "2025"] * 3 + ["2025"],
            "value": [10.0, 1.0, 20.0, 2.0, None, 3.0, 100.0],
        }
    )


@pytest.mark.parametrize(
    "stat, expected",
    [("mean", {"2024": 15.0, "2025": 26.5})]
    + [("median", {"2024": 15.0, "2025": 2.5})],
)
def test_neighbour_mean_and_median_use_neighbours_with_a_value(stat, expected):
    out = neighbour_summary(neighbours_frame(), stat, "2025", "dfe_lait", "LAIT")
    assert dict(zip(out.period_label, out.value)) == expected
    assert list(out.n_neighbours) == [2, 4]
    assert set(out.role) == {"neighbours"}
    assert out.locator.iloc[0] == f"{stat} of 2 neighbours with a value (2025 model)"
    assert out.series.iloc[0] == f"Statistical neighbours ({stat})"


def test_neighbour_summary_rejects_unknown_statistic():
    with pytest.raises(ValueError):
        neighbour_summary(neighbours_frame(), "mode", "2025", "dfe_lait", "LAIT")


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


def test_neighbour_mean_matches_the_comparator_series(db):
    neighbours = db.neighbour_series("ReReferral", "E08000017", "2025")
    assert neighbours.area_code.nunique() == 10
    ours = neighbour_summary(neighbours, "mean", "2025", "dfe_lait", "LAIT")
    theirs = db.comparator_series("ReReferral", "E08000017", "2025")
    theirs = theirs[theirs.role == "neighbours"]
    assert list(ours.period_label) == list(theirs.period_label)
    assert ours.value.to_numpy() == pytest.approx(theirs.value.to_numpy())
