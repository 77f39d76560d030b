"""The Ofsted charts of the pages and the board pack: the grade over time, where the
area sits nationally, and the improvement timeline; the journey page's tables of
judgements and of the neighbours' grades."""

from __future__ import annotations

import pandas as pd

from charts.bars import grade_distribution
from charts.frame import Chart, source_line
from charts.timeline import grade_steps, milestone_timeline
from metrics.areas import Area
from metrics.formatting import as_at, date_text, slugify
from metrics.grades import SUBJUDGEMENTS, grade_label
from metrics.queries import Database
from views.figures import has_contract
from views.overview import inspection_span
from views.titles import distribution_title, grade_journey_title


def milestones_chart(db: Database, area: Area) -> Chart | None:
    """The improvement timeline of an area with contract targets, or None."""
    if not has_contract(db, area.code):
        return None
    milestones = db.milestones()
    first = pd.Timestamp(milestones.milestone_date.min())
    last = pd.Timestamp(milestones.milestone_date.max())
    return milestone_timeline(
        milestones,
        title=f"{area.name}: from intervention in {first:%Y} to the council's "
        f"planned return in {pd.Timestamp(db.trust_period()[1]):%Y}",
        subtitle="Governance, practice, inspection and contract milestones; dates "
        "scheduled, inferred or assumed say so; hover for the source",
        source=source_line(
            [
                f"{publisher} ({', '.join(sorted(set(years)))})"
                for publisher, years in milestones.groupby("publisher")["year"]
            ]
            + ["hover a point for the document and the place in it"],
            None,
        ),
        alt=f"Timeline of {len(milestones)} milestones in {area.name}'s children's "
        "services improvement: "
        + "; ".join(
            f"{pd.Timestamp(d):%b %Y} {lbl}"
            for d, lbl in zip(milestones.milestone_date, milestones.label)
        ),
        slug=slugify(area.name, "milestones", f"{first:%Y}", f"{last:%Y}"),
    )


def grade_journey_chart(db: Database, area: Area) -> Chart | None:
    """The overall grade over time, with deadlines and the Trust period if any."""
    judgements = db.judgements(area.code)
    if judgements.empty:
        return None
    contract = has_contract(db, area.code)
    first, last = judgements.iloc[0], judgements.iloc[-1]
    y0, y1 = pd.Timestamp(first.decided_on), pd.Timestamp(last.decided_on)
    day = as_at(last.decided_on)
    chart = grade_steps(
        judgements,
        title=grade_journey_title(judgements, area.name),
        subtitle=f"Ofsted overall grade, {area.name}, {y0:%Y}–{y1:%Y}; adequate, "
        "requires improvement and requires improvement to be good share a level",
        source=source_line(list(judgements.source_title), day),
        alt=f"Step chart of {area.name}'s Ofsted overall grade: "
        + "; ".join(
            f"{pd.Timestamp(d):%b %Y} {g}"
            for d, g in zip(judgements.decided_on, judgements.overall_grade)
        ),
        slug=slugify(area.name, "ofsted-grades", f"{y0:%Y}", f"{y1:%Y}"),
        trust=db.trust_period() if contract else None,
        targets=db.target_status(area.code) if contract else None,
        until=max(y1, pd.Timestamp("today").normalize()),
    )
    chart.as_at = day
    return chart


def distribution_chart(db: Database, area: Area) -> Chart:
    """Where the focus LA's latest grade sits among all LAs' latest grades."""
    latest = db.latest_grades()
    newest = latest.published.max()
    chart = grade_distribution(
        latest,
        area.code,
        title=distribution_title(latest, area.code, area.name),
        subtitle="Latest Ofsted overall grade of all "
        f"{len(latest)} English local authorities",
        source=source_line(sorted(set(latest.source_title)), as_at(newest)),
        alt=f"Bar chart of the latest overall grade of {len(latest)} local "
        "authorities: "
        + "; ".join(f"{n} {g}" for g, n in latest.overall_grade.value_counts().items())
        + f". {area.name} is highlighted.",
        slug=slugify(
            area.name, "national-grade-distribution", f"{pd.Timestamp(newest):%Y}"
        ),
    )
    chart.as_at = as_at(newest)
    return chart


GRADED = ("overall_grade", *SUBJUDGEMENTS)  # the judgement table's graded columns


def judgements_table(judgements: pd.DataFrame) -> pd.DataFrame:
    """The Ofsted page's table (Database.judgements): when each judgement counts
    from, the inspection's days and the days from its last day to publication, the
    grades in words and symbols, and the source."""
    j = judgements
    table = pd.DataFrame(
        {
            # A pre-2013 judgement is dated by its inspection month only.
            "decided_on": [
                date_text(d, "day" if pd.notna(p) or pd.notna(e) else precision)
                for d, p, e, precision in zip(
                    j.decided_on, j.published, j.inspection_end, j.date_precision
                )
            ],
            "inspected": [
                inspection_span(a, b) if pd.notna(b) else date_text(a, precision)
                for a, b, precision in zip(
                    j.inspection_start, j.inspection_end, j.date_precision
                )
            ],
            "days_to_publication": [
                None if pd.isna(d) else int(d) for d in j.days_end_to_published
            ],
            "framework": j.framework,
            "inspection_type": j.inspection_type,
        }
    )
    for column in GRADED:
        table[column] = [
            grade_label(g) if isinstance(g, str) else "—" for g in j[column]
        ]
    table["source_title"] = j.source_title
    table["locator"] = j.locator
    table["end_source"] = [
        f"{t} ({loc})" if isinstance(t, str) else ""
        for t, loc in zip(j.inspection_end_source_title, j.inspection_end_locator)
    ]
    return table


def neighbour_grade_table(db: Database, area: Area, model: str) -> pd.DataFrame:
    """An area's statistical neighbours with their latest grade (in words and a
    symbol) and when it was published, closest first, and its source."""
    neighbours = db.neighbour_grades(area.code, model)
    return neighbours.assign(
        latest_grade=[
            grade_label(g) if isinstance(g, str) else "—"
            for g in neighbours.overall_grade
        ],
        published=[as_at(d) for d in neighbours.published],
    )
