"""Quartile bands checked against an independent implementation of DfE LAIT's rule.

LAIT (dfe-analytical-services/local-authority-interactive-tool, R/fn_analysis.R,
``calculate_quartile_band``) takes R's ``quantile()`` (type 7) of every LA's latest
value and bands a value by where it falls: for polarity High, at or below the 25th
percentile D, then C up to and including the median, B up to and including the 75th
percentile, A above; for Low, A, B, C, D over the same intervals; no band otherwise.

Everything the rule needs is read here straight from the raw files, not from the
project's database or band functions: values from LAIT's parquet ('-' and other marks
are suppressed), polarity and the no-quartile flag from LAIT's data dictionary, the
current local authorities from DfE's 2025 statistical neighbour model. The quantiles
are computed with R's type 7 formula written out below.
"""

from __future__ import annotations

import pandas as pd
import pytest

from metrics.queries import Database
from metrics.ranking import rank_table
from tests.support.areas import DONCASTER
from tests.support.lait import (
    current_la_numbers,
    lait_bands,
    lait_dictionary,
    lait_polarity,
    lait_quartiles,
    latest_values,
    rank_bands,
    raw_lait,
)

# Measures checked LA by LA: both polarities, LAs tied on a quartile, suppressed
# values, and measures where banding by rank and by value disagree (asserted below).
LOW = [
    "InfMort",
    "LACSubstance",
    "LACDistance",
    "ReReferral",
    "CPPlans2yrsActive",
    "Work_Force_Agecy_Rate",
    "Work_Force_Vac_Rate",
]
HIGH = [
    "KS1P_all",
    "KS2R_Expected_STD",
    "LAC_Parents_OR_Others",
    "FSP_Gooddev_Mixed",
    "Continue_Assess_Comp",
    "LAC_19_HE",
]
MEASURES = LOW + HIGH


# --- the project's bands ---------------------------------------------------------


@pytest.fixture(scope="module")
def db(built_db):
    database = Database(built_db)
    yield database
    database.close()


@pytest.fixture(scope="module")
def la_number(db) -> dict[str, int]:
    """Area code to DfE LA number, for the current LAs the project ranks."""
    areas = db.df(
        "SELECT area_code, la_number FROM areas "
        "WHERE level = 'local authority' AND is_current"
    )
    assert set(areas.la_number.astype(int)) == current_la_numbers()
    return dict(zip(areas.area_code, areas.la_number.astype(int)))


def project_table(db, measure: str) -> pd.DataFrame:
    """The rank table every view of a band reads (explorer, CSV, neighbours)."""
    meta = db.metric(measure)
    return rank_table(db.ranking(measure), meta["polarity"], meta["quartiles_apply"])


def project_bands(db, la_number, measure: str) -> dict[int, str | None]:
    table = project_table(db, measure)
    return {
        la_number[c]: (b if isinstance(b, str) else None)
        for c, b in zip(table.area_code, table.band)
    }


# --- tests -----------------------------------------------------------------------


@pytest.mark.parametrize("measure", MEASURES)
def test_every_current_la_has_lait_s_band(db, la_number, measure):
    latest, values, _ = latest_values(measure)
    expected = lait_bands(measure)
    ours = project_bands(db, la_number, measure)
    assert db.ranking(measure).period_label.iloc[0] == latest
    # Every current LA is listed; those without a value have no band.
    assert set(ours) == current_la_numbers()
    assert {n for n, b in ours.items() if b is None} == (
        current_la_numbers() - set(values.index)
    )
    assert {n: b for n, b in ours.items() if b is not None} == expected


def test_the_measures_cover_ties_suppression_polarity_and_disagreement():
    polarity_of = {m: lait_polarity(m) for m in MEASURES}
    assert set(polarity_of.values()) == {"High", "Low"}
    assert all(lait_polarity(m) == "Low" for m in LOW)
    # LAIT's No_Quartile is "N" where it gives no band; none of these is marked.
    flags = set(lait_dictionary().query("Measure_short in @MEASURES").No_Quartile)
    assert "N" not in flags
    differ, on_each_quartile, suppressed = set(), set(), set()
    for measure in MEASURES:
        _, values, marked = latest_values(measure)
        q = lait_quartiles(values)
        if all((values == cut).sum() >= 2 for cut in q):
            on_each_quartile.add(polarity_of[measure])
        if marked and len(values) < len(current_la_numbers()):
            suppressed.add(polarity_of[measure])
        if lait_bands(measure) != rank_bands(measure):
            differ.add(measure)
    # Two or more LAs tied exactly on each quartile, for both polarities, so the
    # boundaries are tested; and LAs with a suppressed value ('-') for both.
    assert on_each_quartile == {"High", "Low"}
    assert suppressed == {"High", "Low"}
    assert len(differ) >= 10


@pytest.mark.parametrize(
    "measure, quartiles, by_rank, by_value",
    [
        # Lower is better: 4.9 is the upper quartile, shared by 4 LAs (joint 109th
        # of 145), so C (at or below it), not D.
        ("InfMort", (2.8, 3.7, 4.9), "D", "C"),
        # Higher is better: 80 is the median, shared by 21 LAs (joint 59th of 151),
        # so C (at or below it), not B.
        ("KS1P_all", (78.0, 80.0, 82.0), "B", "C"),
        # Lower is better: Doncaster's 12.8 and 14.5 are the medians, so B.
        ("Work_Force_Agecy_Rate", (7.85, 12.8, 20.9), "C", "B"),
        ("Work_Force_Vac_Rate", (7.75, 14.5, 20.75), "C", "B"),
    ],
)
def test_doncaster_where_rank_and_value_bands_differ(
    db, la_number, measure, quartiles, by_rank, by_value
):
    number = DONCASTER[2]
    _, values, _ = latest_values(measure)
    assert lait_quartiles(values) == pytest.approx(quartiles)
    assert values[number] in quartiles
    assert rank_bands(measure)[number] == by_rank
    assert lait_bands(measure)[number] == by_value
    assert project_bands(db, la_number, measure)[number] == by_value


def test_measures_without_a_direction_or_quartiles_have_no_band(db, la_number):
    dictionary = lait_dictionary().groupby("Measure_short")
    for measure, polarity in [("CIN", "-"), ("Social_Work_Starters", "-")]:
        assert lait_polarity(measure) == polarity
        assert set(project_bands(db, la_number, measure).values()) == {None}
    # LAIT's No_Quartile "N": no band even where higher or lower is better.
    for measure in ["Vacancies_cover", "KS2M_AVG_Scaled_Score", "SpecPermEx"]:
        assert set(dictionary.get_group(measure).No_Quartile) == {"N"}
        assert lait_polarity(measure) in ("High", "Low")
        assert set(project_bands(db, la_number, measure).values()) == {None}


@pytest.mark.slow
def test_all_lait_measures_agree_with_lait_and_the_issue_s_disagreement_count(
    db, la_number
):
    """Every current LA on every LAIT measure with a polarity (quartiles applying or
    not): the bands are LAIT's, and the former rank-based bands disagreed with them
    for 2,901 of 44,991 LA-measure pairs, in 218 of 308 measures."""
    dictionary = lait_dictionary()
    directed = sorted(
        set(dictionary[dictionary.Polarity.isin(["High", "Low"])].Measure_short)
    )
    raw_measures = set(raw_lait())
    unlike_lait, pairs, disagreements = set(), 0, 0
    measures, differing = set(), set()
    for measure in directed:
        if measure not in raw_measures:
            continue
        table = rank_table(db.ranking(measure), db.metric(measure)["polarity"])
        ours = {
            la_number[c]: b
            for c, b in zip(table.area_code, table.band)
            if isinstance(b, str)
        }
        as_written = lait_bands(measure)
        unlike_lait |= {(measure, n) for n in ours if ours[n] != as_written[n]}
        published = lait_bands(measure, published=True)
        assert ours == published, measure
        old = rank_bands(measure, published=True)
        changed = sum(old[n] != published[n] for n in published)
        pairs += len(published)
        disagreements += changed
        measures.add(measure)
        if changed:
            differing.add(measure)
    assert (disagreements, pairs) == (2901, 44991)
    assert (len(differing), len(measures)) == (218, 308)
    # The only pairs where LAIT, comparing the numbers as written, would differ:
    # three LAs at 97.2 when the upper quartile is an LA's 97.19999999999999. LAIT
    # calls them A (above the quartile); as published they are on it, so B.
    assert unlike_lait == {("3&4yr_Ofsted_rating", n) for n in (357, 393, 892)}
    _, values, _ = latest_values("3&4yr_Ofsted_rating")
    upper = lait_quartiles(values)[2]
    assert upper == 97.19999999999999 and set(values[[357, 393, 892]]) == {97.2}


def test_the_explorer_s_csv_and_neighbours_table_carry_lait_s_band(db, la_number):
    from views.explorer import explorer_view

    code, name, number = DONCASTER
    view = explorer_view(db, "InfMort", DONCASTER.area, "2025", "mean", False)
    expected = lait_bands("InfMort")
    csv = view.ranking.table
    shown = {
        la_number[c]: b for c, b in zip(csv.area_code, csv.band) if isinstance(b, str)
    }
    assert shown == expected
    basis = (
        "quartile banding as in DfE's LAIT: by value, among the 145 local "
        "authorities with a figure for 2023 (lower quartile 2.8, median 3.7, upper "
        "quartile 4.9)"
    )
    assert set(csv.band_basis) == {basis}
    neighbours = view.neighbours
    by_name = dict(zip(csv.local_authority, csv.band))
    assert list(neighbours["quartile band"]) == [
        by_name[n] for n in neighbours["local authority"]
    ]
    assert view.comparison.startswith(
        "For comparison, Doncaster: 4.9, joint 109th of 145, quartile C in 2023"
    )
