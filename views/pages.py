"""Every page of the dashboard, declared once: its file, title, address and sections.

app.py's navigation, the board pack, the benchmark and the tests all read PAGES, so a
page added here is served, printed, measured and tested without another list to
keep in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from views.sections import (
    EXCEPTION_CHARTS,
    CaseloadRanges,
    Comparator,
    GradeDistribution,
    GradeJourney,
    Milestones,
    MonthlyFigures,
    ReportFigures,
    Section,
    Trajectories,
)


@dataclass(frozen=True)
class PageSpec:
    """One page: its key (the file in pages/), title, address and sections."""

    key: str
    title: str
    url_path: str
    sections: tuple[Section, ...] = ()
    default: bool = False
    loads_data: bool = False  # changes the data (loaders only, when hosted)
    intro: str = ""
    heading: str = ""  # the page's title on screen; {name} is the focus area
    # The board pack prints these sections instead of the page's, where given, and
    # a page "in front" right after the cover, before the contents.
    pack_sections: tuple[Section, ...] | None = None
    in_front: bool = False

    @property
    def file(self) -> str:
        """The page's script, relative to app.py."""
        return f"pages/{self.key}.py"

    @property
    def address(self) -> str:
        """The page's path on the server: the default page lives at the root."""
        return "" if self.default else self.url_path

    @property
    def pack(self) -> tuple[Section, ...]:
        """The sections the board pack prints for this page."""
        return self.sections if self.pack_sections is None else self.pack_sections

    def heading_for(self, area_name: str) -> str:
        """The page's title on screen for an area."""
        return self.heading.format(name=area_name)

    def section(self, key: str) -> Section:
        """One of the page's sections by key."""
        return next(s for s in self.sections if s.key == key)


OVERVIEW = PageSpec(
    "overview",
    "Overview",
    "overview",
    (Section("milestones", "Milestones", (Milestones(),)),),
    default=True,
    heading="{name}: are we on track, and how do we compare?",
)
SCORECARD = PageSpec(
    "scorecard",
    "Scorecard",
    "scorecard",
    (Section("plan", "Each measure against its plan", (Trajectories(),)),),
    # The pack's second page: the scorecard, then each measure off track or missed
    # with its chart and commentary (exception reporting).
    pack_sections=(
        Section(
            "exceptions",
            "Measures off track or missed",
            (EXCEPTION_CHARTS,),
            empty="No measure of the improvement plan is off track or missed.",
        ),
    ),
    in_front=True,
    heading="{name}: improvement plan scorecard",
)
OFSTED = PageSpec(
    "ofsted",
    "Ofsted journey",
    "ofsted",
    (
        Section("journey", "", (GradeJourney(),)),
        Section(
            "national", "Where the focus LA sits nationally", (GradeDistribution(),)
        ),
    ),
    heading="{name}: Ofsted journey",
)
TIMELINESS = PageSpec(
    "timeliness",
    "Assessment timeliness",
    "timeliness",
    (
        Section(
            "annual",
            "Annual: assessments completed within 45 working days",
            (Comparator("Continue_Assess_Comp", "assessments on time", "%"),),
        ),
        Section(
            "report_2013",
            "2013: the council's report on progress",
            (
                ReportFigures(
                    (
                        "initial_assessments_in_progress",
                        "initial_assessments_out_of_timescale",
                    ),
                    "Initial assessments open and past the 10-day timescale, {name}, "
                    "start of 2013 and 4 Aug 2013",
                    "assessments",
                    "initial-assessments-2013",
                ),
                ReportFigures(
                    ("core_assessments_open", "core_assessments_out_of_timescale"),
                    "Core assessments open and past the 35-day timescale, {name}, "
                    "start of 2013 and 4 Aug 2013",
                    "assessments",
                    "core-assessments-2013",
                ),
                ReportFigures(
                    ("initial_assessments_on_time_pct",),
                    "Initial assessments completed within 10 working days, {name}, "
                    "2013",
                    "% on time",
                    "initial-assessment-timeliness-2013",
                ),
            ),
            empty="No council report figures are held for {name}.",
        ),
        Section(
            "monthly",
            "Monthly returns from the performance team",
            (
                MonthlyFigures(
                    (
                        "initial_assessments_in_progress",
                        "initial_assessments_out_of_timescale",
                    ),
                    "Initial assessments open and past the 10-day timescale at month "
                    "end",
                    "assessments",
                    "initial-assessments-monthly",
                ),
                MonthlyFigures(
                    ("core_assessments_open", "core_assessments_out_of_timescale"),
                    "Core assessments open and past the 35-day timescale at month end",
                    "assessments",
                    "core-assessments-monthly",
                ),
                MonthlyFigures(
                    ("initial_assessments_on_time_pct",),
                    "Initial assessments completed within 10 working days, by month",
                    "% on time",
                    "initial-assessment-timeliness-monthly",
                ),
            ),
            empty="No monthly figures have been loaded for {name}; the Load monthly "
            "figures page loads them.",
        ),
    ),
    intro="Until 2013/14 councils recorded an initial assessment (due within 10 "
    "working days) and, where needed, a core assessment (due within 35 working "
    "days). Statutory guidance in 2013 replaced both with a single assessment due "
    "within 45 working days, which is what the national series below measures. The "
    "2013 report figures and the 45-day series are therefore different measures and "
    "are charted separately.",
    heading="{name}: assessment timeliness",
)
CASELOADS = PageSpec(
    "caseloads",
    "Caseloads and demand",
    "caseloads",
    (
        Section(
            "children_in_need",
            "Children in need",
            (
                Comparator("CIN", "children in need per 10,000 children"),
                Comparator("cin_at_31_march", "children in need at 31 March"),
                ReportFigures(
                    ("children_in_need_cases",),
                    "Open children in need cases, {name}, start of 2013 and Aug 2013 "
                    "(council performance count)",
                    "cases",
                    "children-in-need-cases-2013",
                ),
                MonthlyFigures(
                    ("children_in_need_cases",),
                    "Open children in need cases at month end (council performance "
                    "count)",
                    "cases",
                    "children-in-need-cases-monthly",
                ),
            ),
        ),
        Section(
            "caseloads",
            "Social worker caseloads",
            (
                CaseloadRanges(),
                MonthlyFigures(
                    ("social_worker_caseload",),
                    "Average cases per social worker by service area at month end",
                    "cases per social worker",
                    "caseloads-by-team-monthly",
                ),
                Comparator(
                    "Work_Force_AvgNumCase_SW",
                    "average caseload per social worker (FTE)",
                ),
            ),
        ),
        Section(
            "workforce",
            "Workforce",
            (
                Comparator("sw_agency_rate_fte", "agency social workers", "%"),
                Comparator("sw_turnover_rate_fte", "social worker turnover", "%"),
                Comparator("sw_vacancy_rate_fte", "social worker vacancies", "%"),
            ),
        ),
    ),
    heading="{name}: caseloads and demand",
)
UPLOAD = PageSpec(
    "upload", "Load monthly figures and targets", "upload", loads_data=True
)
EXPLORER = PageSpec("explorer", "Benchmark explorer", "explorer")
SOURCES = PageSpec("sources", "Sources and caveats", "sources")
ACCESSIBILITY = PageSpec("accessibility", "Accessibility statement", "accessibility")

PAGES: tuple[PageSpec, ...] = (
    OVERVIEW,
    SCORECARD,
    OFSTED,
    TIMELINESS,
    CASELOADS,
    UPLOAD,
    EXPLORER,
    SOURCES,
    ACCESSIBILITY,
)


def page(key: str) -> PageSpec:
    """A page by key (its file name in pages/)."""
    return next(p for p in PAGES if p.key == key)
