"""Each page's charts, assembled from query results (shared by pages and board pack).

``db`` is anything with the methods of metrics.queries.Database: the pages pass a
cached proxy, the board pack a plain Database.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from charts import (
    Chart,
    caseload_ranges,
    comparator_lines,
    grade_distribution,
    grade_steps,
    milestone_timeline,
    report_points,
    slugify,
    source_line,
)
from charts.monthly import (
    CASELOAD_MONTHLY,
    DEMAND_MONTHLY,
    TIMELINESS_MONTHLY,
    monthly_chart,
)
from metrics.messages import (
    comparator_title,
    distribution_title,
    grade_journey_title,
    is_count,
    range_title,
    report_change_title,
)

OFSTED_OUTCOMES = "Ofsted, local authority inspection outcomes as at 31 March 2025"


@dataclass(frozen=True)
class Series:
    """A comparator chart on a page: which metric, worded how."""

    metric_id: str
    what: str
    unit_word: str = ""


@dataclass(frozen=True)
class ReportFigures:
    """A chart of 2013 report figures: which metrics, described how."""

    metric_ids: tuple[str, ...]
    subtitle: str
    unit: str
    slug: str


TIMELINESS_SERIES = [Series("Continue_Assess_Comp", "assessments on time", "%")]
TIMELINESS_REPORT = [
    ReportFigures(
        ("initial_assessments_in_progress", "initial_assessments_out_of_timescale"),
        "Initial assessments open and past the 10-day timescale, {name}, start of 2013 "
        "and 4 Aug 2013",
        "assessments",
        "initial-assessments-2013",
    ),
    ReportFigures(
        ("core_assessments_open", "core_assessments_out_of_timescale"),
        "Core assessments open and past the 35-day timescale, {name}, start of 2013 "
        "and 4 Aug 2013",
        "assessments",
        "core-assessments-2013",
    ),
    ReportFigures(
        ("initial_assessments_on_time_pct",),
        "Initial assessments completed within 10 working days, {name}, 2013",
        "% on time",
        "initial-assessment-timeliness-2013",
    ),
]
DEMAND_SERIES = [
    Series("CIN", "children in need per 10,000 children"),
    Series("cin_at_31_march", "children in need at 31 March"),
]
DEMAND_REPORT = ReportFigures(
    ("children_in_need_cases",),
    "Open children in need cases, {name}, start of 2013 and Aug 2013 (council "
    "performance count)",
    "cases",
    "children-in-need-cases-2013",
)
CASELOAD_SERIES = [
    Series("Work_Force_AvgNumCase_SW", "average caseload per social worker (FTE)")
]
WORKFORCE_SERIES = [
    Series("sw_agency_rate_fte", "agency social workers", "%"),
    Series("sw_turnover_rate_fte", "social worker turnover", "%"),
    Series("sw_vacancy_rate_fte", "social worker vacancies", "%"),
]


def as_at(date: object) -> str | None:
    """'18 Mar 2025' from a date, or None."""
    if date is None or pd.isna(date):
        return None
    return f"{pd.Timestamp(date):%d %b %Y}"


def has_contract(db, code: str) -> bool:
    """Whether the area has contract targets (only Doncaster in the data)."""
    return not db.target_status(code).empty


def comparator_chart(db, series: Series, code: str, name: str, model: str = "2025"):
    """A metric for the focus LA against England, region and neighbours, or None."""
    data = db.comparator_series(series.metric_id, code, model)
    meta = db.metric(series.metric_id)
    focus_rows = data[(data.role == "focus") & data.value.notna()]
    if focus_rows.empty:
        return None
    contract = has_contract(db, code)
    labels = sorted(focus_rows.period_label)
    dps = 1 if pd.isna(meta.get("dps")) else int(meta["dps"])
    count = is_count(meta["unit"])
    if count:
        # England's and the region's totals would dwarf the line and say nothing.
        data = data[data.role.isin(["focus", "neighbours"])]
    others = ", ".join(sorted(set(data.series) - {name}))
    subtitle = f"{meta['label']}; {name} against {others}; {labels[0]}–{labels[-1]}"
    if count:
        subtitle += "; a count, so England and the region are not compared"
    return comparator_lines(
        data,
        title=comparator_title(data, name, series.what, series.unit_word, dps, count),
        subtitle=subtitle,
        unit=meta["unit"],
        source=source_line(
            [f"{meta['source_title']} ({series.metric_id})"],
            as_at(meta.get("last_updated")) or as_at(meta.get("published")),
        ),
        alt=f"Line chart of {meta['label']} for {name}: "
        + "; ".join(
            f"{p} {v:g}" for p, v in zip(focus_rows.period_label, focus_rows.value)
        )
        + (
            ". Statistical neighbours' mean is shown for comparison."
            if count
            else ". England, region and statistical neighbours' mean are shown for "
            "comparison."
        ),
        slug=slugify(name, series.metric_id, labels[0], labels[-1]),
        trust=db.trust_period() if contract else None,
        targets=db.target_status(code) if contract else None,
    )


def report_chart(db, figures: ReportFigures, code: str, name: str) -> Chart | None:
    """Figures from the council's 2013 report, or None where the LA has none."""
    obs = db.observations(list(figures.metric_ids), code)
    if obs.empty:
        return None
    return report_points(
        obs,
        title=report_change_title(obs),
        subtitle=figures.subtitle.format(name=name),
        unit=figures.unit,
        source=source_line(
            [f"{t} ({loc})" for t, loc in zip(obs.source_title, obs.locator)], None
        ),
        alt=f"Bar chart of {name}'s report figures: "
        + "; ".join(
            f"{lbl} {p} {'approximately ' if a else ''}{v:g}"
            for lbl, p, v, a in zip(
                obs.metric_label, obs.period_label, obs.value, obs.approximate
            )
        ),
        slug=slugify(name, figures.slug),
    )


def milestones_chart(db, name: str) -> Chart:
    """The improvement timeline with a short source line naming publishers and years."""
    milestones = db.milestones()
    first = pd.Timestamp(milestones.milestone_date.min())
    last = pd.Timestamp(milestones.milestone_date.max())
    return milestone_timeline(
        milestones,
        title=f"{name}: from intervention in {first:%Y} to the council's return in "
        f"{pd.Timestamp(db.trust_period()[1]):%Y}",
        subtitle="Governance, inspection and contract milestones; hover for the source",
        source=source_line(
            [
                f"{publisher} ({', '.join(sorted(set(years)))})"
                for publisher, years in milestones.groupby("publisher")["year"]
            ]
            + ["hover a point for the document and the place in it"],
            None,
        ),
        alt=f"Timeline of {len(milestones)} milestones in {name}'s children's services "
        "improvement: "
        + "; ".join(
            f"{pd.Timestamp(d):%b %Y} {lbl}"
            for d, lbl in zip(milestones.milestone_date, milestones.label)
        ),
        slug=slugify(name, "milestones", f"{first:%Y}", f"{last:%Y}"),
    )


def grade_journey_chart(db, code: str, name: str) -> Chart | None:
    """The overall grade over time, with deadlines and the Trust period if any."""
    judgements = db.judgements(code)
    if judgements.empty:
        return None
    contract = has_contract(db, code)
    first, last = judgements.iloc[0], judgements.iloc[-1]
    y0, y1 = pd.Timestamp(first.decided_on), pd.Timestamp(last.decided_on)
    return grade_steps(
        judgements,
        title=grade_journey_title(judgements, name),
        subtitle=f"Ofsted overall grade, {name}, {y0:%Y}–{y1:%Y}; adequate, requires "
        "improvement and requires improvement to be good share a level",
        source=source_line(list(judgements.source_title), as_at(last.decided_on)),
        alt=f"Step chart of {name}'s Ofsted overall grade: "
        + "; ".join(
            f"{pd.Timestamp(d):%b %Y} {g}"
            for d, g in zip(judgements.decided_on, judgements.overall_grade)
        ),
        slug=slugify(name, "ofsted-grades", f"{y0:%Y}", f"{y1:%Y}"),
        trust=db.trust_period() if contract else None,
        targets=db.target_status(code) if contract else None,
        until=max(y1, pd.Timestamp("today").normalize()),
    )


def distribution_chart(db, code: str, name: str) -> Chart:
    """Where the focus LA's latest grade sits among all LAs' latest grades."""
    latest = db.latest_grades()
    newest = latest.published.max()
    return grade_distribution(
        latest,
        code,
        title=distribution_title(latest, code, name),
        subtitle="Latest Ofsted overall grade of all "
        f"{len(latest)} English local authorities",
        source=source_line([OFSTED_OUTCOMES], as_at(newest)),
        alt=f"Bar chart of the latest overall grade of {len(latest)} local authorities: "
        + "; ".join(f"{n} {g}" for g, n in latest.overall_grade.value_counts().items())
        + f". {name} is highlighted.",
        slug=slugify(name, "national-grade-distribution", f"{pd.Timestamp(newest):%Y}"),
    )


def caseload_range_chart(db, code: str, name: str) -> Chart | None:
    """Caseload ranges by team from the 2013 report, or None."""
    ranges = db.observations(["social_worker_caseload"], code)
    if ranges.empty:
        return None
    return caseload_ranges(
        ranges,
        title=range_title(ranges),
        subtitle=f"Range of cases per social worker by service area, {name}, "
        f"{ranges.period_label.iloc[0]}",
        source=source_line(
            [f"{ranges.source_title.iloc[0]} ({ranges.locator.iloc[0]})"], None
        ),
        alt="Range bars of caseloads per social worker: "
        + "; ".join(
            f"{s} {lo:g} to {hi:g}"
            for s, lo, hi in zip(
                ranges.service_area, ranges.value_low, ranges.value_high
            )
        ),
        slug=slugify(name, "caseloads-by-team", ranges.period_label.iloc[0]),
    )


def _present(charts: list[Chart | None]) -> list[Chart]:
    return [c for c in charts if c is not None]


def page_charts(
    db, code: str, name: str, model: str = "2025"
) -> list[tuple[str, list]]:
    """Every chart of every page, in page order, as the pages show them."""
    contract = has_contract(db, code)
    return [
        ("Overview", [milestones_chart(db, name)] if contract else []),
        (
            "Ofsted journey",
            _present(
                [
                    grade_journey_chart(db, code, name),
                    distribution_chart(db, code, name),
                ]
            ),
        ),
        (
            "Assessment timeliness",
            _present(
                [comparator_chart(db, s, code, name, model) for s in TIMELINESS_SERIES]
                + [report_chart(db, r, code, name) for r in TIMELINESS_REPORT]
                + [monthly_chart(db, m, code, name) for m in TIMELINESS_MONTHLY]
            ),
        ),
        (
            "Caseloads and demand",
            _present(
                [comparator_chart(db, s, code, name, model) for s in DEMAND_SERIES]
                + [report_chart(db, DEMAND_REPORT, code, name)]
                + [monthly_chart(db, DEMAND_MONTHLY, code, name)]
                + [caseload_range_chart(db, code, name)]
                + [monthly_chart(db, CASELOAD_MONTHLY, code, name)]
                + [
                    comparator_chart(db, s, code, name, model)
                    for s in CASELOAD_SERIES + WORKFORCE_SERIES
                ]
            ),
        ),
    ]
