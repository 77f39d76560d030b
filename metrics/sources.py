"""The official sources, declared once: publisher, title, publication page, file name
pattern, expected sheets and columns, how a release is read, what it feeds, how
often it is released, its licence and where `python -m metrics update` asks for it.

The build (metrics.releases, metrics.official), `update` (metrics.update), the
Sources page and data/PROVENANCE.md's source table (``provenance_table``) all read
these declarations. Adding a source is one entry here plus its reader in
metrics/official.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from metrics.config import RAW

OGL = "Open Government Licence v3.0"
EES_COLUMNS = (
    "time_period",
    "geographic_level",
    "region_code",
    "region_name",
    "old_la_code",
    "new_la_code",
    "la_name",
)
# ofsted_judgements column -> the outcomes file's column of that sub-judgement.
OFSTED_SUBJUDGEMENTS = {
    "leadership": "The impact of leaders on social work practice with children and families",
    "help_and_protection": "The experiences and progress of children who need help and protection",
    "children_in_care": "The experiences and progress of children in care",
    "care_leavers": "The experiences and progress of care leavers",
}  # fmt: skip
OFSTED_SHEETS = ("Inspections_as_at_31_March", "ILACS_inspection_history")


@dataclass(frozen=True)
class Expected:
    """What an official file must hold: the columns the build reads and their types.

    ``text`` and ``numbers`` are a Parquet file's column types; ``whole_numbers``
    and ``dates`` are checked cell by cell (blank cells pass). ``sheets`` maps a
    spreadsheet's sheets to their columns; ``header_row`` is the row of its header.
    An empty Expected (a report) is checked for being there and not empty only.
    """

    columns: tuple[str, ...] = ()
    whole_numbers: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    numbers: tuple[str, ...] = ()
    sheets: tuple[tuple[str, tuple[str, ...]], ...] = ()
    header_row: int = 1


@dataclass(frozen=True)
class Part:
    """One file of a release: its name pattern and what it must hold.

    ``pattern`` is matched against the whole file name; its group ``release`` (or,
    for a source whose release is read from a file, ``tag``) tells releases apart.
    ``fetch_name`` is the file's name where the publisher keeps it (LAIT).
    """

    key: str
    pattern: str
    expected: Expected
    shipped: str  # the name of the release shipped here, for messages and docs
    fetch_name: str = ""


@dataclass(frozen=True)
class Cadence:
    """How often a source is released, so that the next release's date can be told.

    The next release is expected ``months`` after the publication of the one in use
    (when its publication date is recorded), else ``months`` plus ``lag_months``
    after the end of the period it covers. ``dictionary``: LAIT's own dictionary
    gives each measure's next update instead. ``months`` 0: no set cadence.
    """

    months: int = 12
    lag_months: int = 0
    dictionary: bool = False
    words: str = "annual"

    def next_expected(
        self, published: dt.date | None, period_end: dt.date | None
    ) -> dt.date | None:
        """The day the next release is expected, or None where none is set."""
        if not self.months or self.dictionary:
            return None
        if published is not None:
            return _add_months(published, self.months)
        if period_end is not None:
            return _add_months(period_end, self.months + self.lag_months)
        return None


@dataclass(frozen=True)
class Fetch:
    """Where `update` asks for a newer release.

    kind ``govuk``: GOV.UK's content API for ``page`` (``{year}`` stands for the
    year of the release after the one in use), files under details.attachments or
    details.documents. ``ees``: explore education statistics' public API, the data
    set titled ``dataset`` of the publication found by ``page``, saved as
    ``save_as``. ``lait``: the files of each part under the LAIT base URL.
    """

    kind: str
    page: str = ""
    dataset: str = ""
    save_as: str = ""


@dataclass(frozen=True)
class Source:
    """One official source, declared once (see the module's docstring)."""

    name: str
    source_id: str  # its id in the sources table; {release} stands for the release
    title: str  # {release} and {first} (a name's first year) are filled in
    publisher: str
    page: str  # the public publication page
    folder: Path  # under the data folder
    parts: tuple[Part, ...]
    feeds: str
    cadence: Cadence
    fetch: Fetch | None = None
    release_from: str = "name"  # or "lait dictionary": the latest Last Update
    period: tuple[int, int] | None = None  # month and day a release's period ends
    period_words: str = "{release}"  # how a release is named in sentences
    kind: str = "official statistics"  # or "documents": each file stands alone
    required: bool = True  # the build needs a release of it
    licence: str = OGL
    notes: tuple[str, ...] = field(default_factory=tuple)

    def source_id_for(self, release: str) -> str:
        """The sources-table id of one release."""
        return self.source_id.format(release=release)

    def period_end(self, release: str) -> dt.date | None:
        """The last day of the period a release covers, where it has one."""
        if self.release_from == "lait dictionary":
            return dt.date.fromisoformat(release)
        if self.period is None or not release.isdigit():
            return None
        return dt.date(int(release), *self.period)

    def words(self, release: str) -> str:
        """A release in words: 'as at 31 March 2026', 'years to 2026'."""
        return self.period_words.format(release=release)


def _add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def _ees(*measures: str) -> Expected:
    return Expected(EES_COLUMNS + measures, whole_numbers=("time_period",))


DFE = "Department for Education"
EES = "Department for Education (Explore Education Statistics)"
LAIT_PAGE = (
    "https://department-for-education.shinyapps.io/local-authority-interactive-tool/"
)
SN_PAGE = (
    "https://www.gov.uk/government/publications/local-authority-interactive-tool-lait"
)
OFSTED_PAGE = "https://www.gov.uk/government/statistics/local-authority-inspection-outcomes-as-at-31-march-{year}"
EES_PAGE = "https://explore-education-statistics.service.gov.uk/find-statistics/{slug}"
SN_WIDE = ("old_la_code",) + tuple(f"SN_{k}" for k in range(1, 11))
SN_2021 = ("LA num", "LA Name", "LA number", "GOInd", "GOReg")
SN_2021_NUMBERS = ("LA num", "LA number") + tuple(f"SN{k}" for k in range(1, 11))

SOURCES: tuple[Source, ...] = (
    Source(
        name="ofsted_outcomes",
        source_id="ofsted_outcomes_{release}",
        title="Children's social care in England: local authority inspection outcomes as at 31 March {release}",
        publisher="Ofsted (official statistics)",
        page=OFSTED_PAGE.format(year="2025"),
        folder=RAW / "ofsted",
        parts=(
            Part(
                "outcomes",
                r"LA_Inspection_Outcomes_as_at_(?:31_)?March_(?P<release>\d{4})\.ods",
                Expected(
                    sheets=(
                        (OFSTED_SHEETS[0], ("Local authority area code", "Local authority name")),
                        (OFSTED_SHEETS[1], ("Local authority area code", "Local authority name",
                                            "Inspection type", "Inspection date",
                                            "Publication date", "Overall effectiveness",
                                            *OFSTED_SUBJUDGEMENTS.values())),
                    ),
                    dates=("Inspection date", "Publication date"),
                    header_row=3,
                ),
                "LA_Inspection_Outcomes_as_at_31_March_2025.ods",
            ),
        ),
        feeds="ofsted_judgements (ILACS judgements and sub-judgements); which LAs are current (areas.is_current)",
        cadence=Cadence(12, 6, words="annual, about six months after 31 March"),
        fetch=Fetch("govuk", "government/statistics/local-authority-inspection-outcomes-as-at-31-march-{year}"),
        period=(3, 31),
        period_words="as at 31 March {release}",
    ),
    Source(
        name="dfe_lait",
        source_id="dfe_lait",
        title="Local Authority Interactive Tool (LAIT): national benchmarking dataset and data dictionary",
        publisher=DFE,
        page=LAIT_PAGE,
        folder=RAW / "dfe",
        parts=(
            Part("values", r"lait_bds_long(?P<tag>_[0-9-]+)?\.parquet",
                 Expected(text=("Short Desc", "Years", "Values"), numbers=("LA Number",)),
                 "lait_bds_long.parquet", "bds_long_0.parquet"),
            Part("dictionary", r"lait_data_dictionary(?P<tag>_[0-9-]+)?\.csv",
                 Expected(("Measure_short", "Measure", "Chart_title", "y_axis_name",
                           "Polarity", "Description", "Topic", "dps", "Year_Type",
                           "No_Quartile", "Last Update", "Next Update", "Methodology",
                           "Hyperlink(s)")),
                 "lait_data_dictionary.csv", "lait_data_dictionary.csv"),
            Part("codes", r"lait_la_code_list(?P<tag>_[0-9-]+)?\.xlsx",
                 Expected(("LA Number", "LA Name", "Type"), whole_numbers=("LA Number",)),
                 "lait_la_code_list.xlsx", "la_code_list.xlsx"),
        ),
        feeds="observations (all LAIT measures, source dfe_lait); metrics (the dictionary); areas (LA numbers, names and types)",
        cadence=Cadence(dictionary=True, words="measure by measure: the dictionary's Next Update"),
        fetch=Fetch("lait"),
        release_from="lait dictionary",
        period_words="dictionary updated to {release}",
        notes=("LAIT's file names carry no date: `update` saves a new release with its date added (lait_bds_long_2026-04-01.parquet and so on), and files sharing that suffix are one release.",),
    ),
    Source(
        name="dfe_cin_b1",
        source_id="dfe_cin_b1",
        title="Children in need, table B1: episodes and children in need by local authority, years ending 31 March {first} to {release}",
        publisher=EES,
        page=EES_PAGE.format(slug="characteristics-of-children-in-need"),
        folder=RAW / "dfe",
        parts=(
            Part("table", r"b1_children_in_need_(?P<first>\d{4})_to_(?P<release>\d{4})\.csv",
                 _ees("At31_episodes", "awaiting_assessment"),
                 "b1_children_in_need_2013_to_2025.csv"),
        ),
        feeds="observations cin_at_31_march, cin_awaiting_assessment; areas (codes and regions)",
        cadence=Cadence(12, 7, words="annual, about seven months after 31 March"),
        fetch=Fetch("ees", "Children in need", "B1", "b1_children_in_need_{first}_to_{release}.csv"),
        period=(3, 31),
        period_words="years to 31 March {release}",
    ),
    Source(
        name="dfe_csww",
        source_id="dfe_csww",
        title="Children's social work workforce: indicators by local authority, {first} to {release}",
        publisher=EES,
        page=EES_PAGE.format(slug="children-s-social-work-workforce"),
        folder=RAW / "dfe",
        parts=(
            Part("table", r"csww_indicators_(?P<first>\d{4})_to_(?P<release>\d{4})\.csv",
                 _ees("caseload_fte", "agency_rate_fte", "turnover_rate_fte",
                      "vacancy_rate_fte"),
                 "csww_indicators_2017_to_2025.csv"),
        ),
        feeds="observations sw_caseload_fte, sw_agency_rate_fte, sw_turnover_rate_fte, sw_vacancy_rate_fte; areas (codes and regions)",
        cadence=Cadence(12, 5, words="annual, about five months after 30 September"),
        fetch=Fetch("ees", "Children's social work workforce", "indicators", "csww_indicators_{first}_to_{release}.csv"),
        period=(9, 30),
        period_words="years to 30 September {release}",
    ),
    Source(
        name="dfe_sn",
        source_id="dfe_sn_{release}",
        title="Statistical neighbour model ({release})",
        publisher=DFE,
        page=SN_PAGE,
        folder=RAW / "dfe",
        parts=(
            Part("model", r"sn_model_(?P<release>\d{4})_wide\.csv",
                 Expected(SN_WIDE + tuple(f"SN_{k}P" for k in range(1, 11)),
                          whole_numbers=SN_WIDE),
                 "sn_model_2025_wide.csv"),
        ),
        feeds="statistical_neighbours (model = the release's year)",
        cadence=Cadence(0, words="a new model every few years"),
        fetch=Fetch("govuk", "government/publications/local-authority-interactive-tool-lait"),
        period_words="{release} model",
    ),
    Source(
        name="dfe_sn_2021",
        source_id="dfe_sn_2021",
        title="Statistical neighbour groupings (April 2021 model)",
        publisher=DFE,
        page=SN_PAGE,
        folder=RAW / "dfe",
        parts=(
            Part("model", r"New_Statistical_Neighbour_Groupings_April_(?P<release>2021)\.csv",
                 Expected(SN_2021 + tuple(f"SN{k}" for k in range(1, 11)),
                          whole_numbers=SN_2021_NUMBERS),
                 "New_Statistical_Neighbour_Groupings_April_2021.csv"),
        ),
        feeds="statistical_neighbours (model 2021)",
        cadence=Cadence(0, words="replaced by later models; kept for comparison"),
        period_words="April {release} model",
    ),
    Source(
        name="ofsted_reports",
        source_id="",
        title="Ofsted inspection reports of the focus LA",
        publisher="Ofsted",
        page="https://reports.ofsted.gov.uk/",
        folder=RAW / "ofsted" / "doncaster-reports",
        parts=(Part("report", r"ofsted-[a-z-]+-(?P<release>\d{2}-[a-z]+-\d{4})\.pdf",
                    Expected(), "ofsted-doncaster-18-march-2025.pdf"),),
        feeds="cited by data/curated (judgements before 2018, milestones, caveats)",
        cadence=Cadence(0, words="one report per inspection"),
        kind="documents",
        required=False,
        period_words="published {release}",
    ),
)  # fmt: skip

BY_NAME = {s.name: s for s in SOURCES}
