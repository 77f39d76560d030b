"""The seven measures a CIN census extract gives, by DfE's definitions, for a month
or the financial year to date.

Each measure is one small function of one child: what the child adds to the
measure's numerator and denominator in the window. `tally` adds them up over the
extract as it is read, so no child is kept once counted. docs/DATA_DICTIONARY.md
(section 13) states each definition and where a monthly window differs from DfE's
annual statistic.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from metrics.derive.extract import Child
from metrics.derive.workdays import WorkingDays

MONTH, YEAR_TO_DATE = "month", "year-to-date"
WINDOWS = (MONTH, YEAR_TO_DATE)
ASSESSMENT_DAYS = 45  # Working Together: an assessment within 45 working days
CONFERENCE_DAYS = 15  # an initial conference within 15 working days of the s47 start


def day_text(day: dt.date) -> str:
    """'5 Nov 2026'."""
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class Window:
    """The days a figure counts: a calendar month or the financial year to date,
    ending on a month's last day."""

    first: dt.date
    last: dt.date
    kind: str

    @classmethod
    def ending(cls, last: dt.date, kind: str = MONTH) -> Window:
        """The window of ``kind`` ending on ``last``; ValueError unless ``last`` is
        the last day of a month."""
        if last.day != calendar.monthrange(last.year, last.month)[1]:
            raise ValueError("is not the last day of a month")
        if kind == MONTH:
            return cls(last.replace(day=1), last, kind)
        if kind == YEAR_TO_DATE:
            year = last.year if last.month >= 4 else last.year - 1
            return cls(dt.date(year, 4, 1), last, kind)
        raise ValueError(f"window must be one of {', '.join(WINDOWS)}")

    def __contains__(self, day: object) -> bool:
        return day is not None and self.first <= day <= self.last

    def words(self) -> str:
        """'in Oct 2026', or 'from 1 Apr to 31 Oct 2026' for the year to date."""
        if self.kind == MONTH:
            return f"in {self.last:%b %Y}"
        first = f"{self.first.day} {self.first:%b}"
        if self.first.year != self.last.year:
            first += f" {self.first.year}"
        return f"from {first} to {day_text(self.last)}"


def twelve_months_before(day: dt.date) -> dt.date:
    """The same calendar day a year earlier (29 February gives 28 February)."""
    if day.month == 2 and day.day == 29:
        return dt.date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


# --- one function per measure: a child's (numerator, denominator) -----------------
# Counts have no denominator: theirs is 0.

Count = tuple[int, int]


def referrals(child: Child, window: Window, days: WorkingDays) -> Count:
    """Referrals in the window, those closed with no further action included."""
    return sum(r.date in window for r in child.referrals), 0


def re_referrals(child: Child, window: Window, days: WorkingDays) -> Count:
    """Referrals in the window, and those with an earlier referral of the same child
    on or after the same day twelve months before."""
    dates = [r.date for r in child.referrals]
    current = [d for d in dates if d in window]
    again = sum(any(twelve_months_before(d) <= e < d for e in dates) for d in current)
    return again, len(current)


def assessments_on_time(child: Child, window: Window, days: WorkingDays) -> Count:
    """Assessments authorised in the window, and those authorised at most 45 working
    days after their actual start."""
    done = [a for a in child.assessments if a.authorised in window]
    on_time = sum(days.between(a.start, a.authorised) <= ASSESSMENT_DAYS for a in done)
    return on_time, len(done)


def conferences_on_time(child: Child, window: Window, days: WorkingDays) -> Count:
    """Initial child protection conferences held in the window, and those held at
    most 15 working days after their section 47 enquiry's actual start."""
    held = [e for e in child.enquiries if e.conference in window]
    on_time = sum(days.between(e.start, e.conference) <= CONFERENCE_DAYS for e in held)
    return on_time, len(held)


def on_a_plan(child: Child, window: Window, days: WorkingDays) -> Count:
    """1 if the child has a plan open at the period end (started on or before it,
    not ended on or before it)."""
    end = window.last
    return int(
        any(p.start <= end and (p.end is None or p.end > end) for p in child.plans)
    ), 0


def plans_started(child: Child, window: Window, days: WorkingDays) -> Count:
    """Plans starting in the window."""
    return sum(p.start in window for p in child.plans), 0


def second_plans(child: Child, window: Window, days: WorkingDays) -> Count:
    """Plans starting in the window, and those that are a second or subsequent plan:
    NumberOfPreviousCPP above 0, or an earlier plan of the child in the extract."""
    started = [p for p in child.plans if p.start in window]
    again = sum(
        p.previous > 0 or any(q.start < p.start for q in child.plans) for p in started
    )
    return again, len(started)


@dataclass(frozen=True)
class Measure:
    """A measure by its LAIT id, what a child adds to it, and how a note says it."""

    metric_id: str
    kind: str  # "count" or "percent", the value kind of a monthly return
    per_child: Callable[[Child, Window, WorkingDays], Count]
    nouns: tuple[str, str]  # one, many
    what: str  # after the noun; {window} and {end} are filled in
    which: str = ""  # percentages: which of them the numerator counts


MEASURES: tuple[Measure, ...] = (
    Measure(
        "CPP_Total_NumRef",
        "count",
        referrals,
        ("referral", "referrals"),
        "{window}, those closed with no further action included",
    ),
    Measure(
        "ReReferral",
        "percent",
        re_referrals,
        ("referral", "referrals"),
        "{window}",
        "had an earlier referral within 12 months",
    ),
    Measure(
        "Continue_Assess_Comp",
        "percent",
        assessments_on_time,
        ("assessment", "assessments"),
        "authorised {window}",
        f"took {ASSESSMENT_DAYS} working days or fewer",
    ),
    Measure(
        "CP_conf_15days",
        "percent",
        conferences_on_time,
        ("initial child protection conference", "initial child protection conferences"),
        "held {window}",
        f"took place at most {CONFERENCE_DAYS} working days after the section 47 "
        "enquiry started",
    ),
    Measure(
        "CPP_Num",
        "count",
        on_a_plan,
        ("child", "children"),
        "on a child protection plan at {end}",
    ),
    Measure(
        "CPP_Abuse",
        "count",
        plans_started,
        ("child protection plan", "child protection plans"),
        "started {window}",
    ),
    Measure(
        "PrevRegCPR",
        "percent",
        second_plans,
        ("child protection plan", "child protection plans"),
        "started {window}",
        "followed an earlier plan for the same child",
    ),
)


@dataclass(frozen=True)
class Figure:
    """A measure's numerator and denominator over the extract, and its value."""

    measure: Measure
    numerator: int
    denominator: int | None  # None for a count

    @property
    def value(self) -> int | float | None:
        """The count, or the percentage to one decimal place (halves rounded up);
        None for a percentage with nothing to divide by."""
        n, d = self.numerator, self.denominator
        if d is None:
            return n
        if d == 0:
            return None
        return (2000 * n + d) // (2 * d) / 10  # exact: no binary rounding at .x5

    def text(self) -> str:
        """The value as a return writes it: '12' or '68.6'."""
        value = self.value
        if value is None:
            return ""
        return str(value) if self.denominator is None else f"{value:.1f}"

    def note(self, window: Window) -> str:
        """What the figure counts, in words: '35 of 51 assessments authorised in
        Oct 2026 took 45 working days or fewer'."""
        m, n, d = self.measure, self.numerator, self.denominator
        what = m.what.format(window=window.words(), end=day_text(window.last))
        if d is None:
            return f"{n:,} {m.nouns[n != 1]} {what}"
        if d == 0:
            return f"no {m.nouns[1]} {what}"
        return f"{n:,} of {d:,} {m.nouns[d != 1]} {what} {m.which}"


def tally(
    children: Iterable[Child], window: Window, days: WorkingDays | None = None
) -> list[Figure]:
    """Every measure over the children, read once, in MEASURES' order."""
    days = days or WorkingDays()
    totals = [[0, 0] for _ in MEASURES]
    for child in children:
        for total, measure in zip(totals, MEASURES):
            n, d = measure.per_child(child, window, days)
            total[0] += n
            total[1] += d
    return [
        Figure(m, n, d if m.kind == "percent" else None)
        for m, (n, d) in zip(MEASURES, totals)
    ]
