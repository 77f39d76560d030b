"""Comparison groups: a named set of areas whose mean or median a chart sets beside
the focus area. Every group's members come from the database (``areas``,
``ofsted_judgements``, ``statistical_neighbours``); no list of LAs is typed in."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

STATISTICS = ("mean", "median")  # what a group's figure for a period can be
# The preset groups the address names (group=...), in the order they are offered.
PRESETS = {
    "neighbours_2025": "Statistical neighbours (2025 model)",
    "neighbours_2021": "Statistical neighbours (2021 model)",
    "region": "Other LAs in the region",
    "outstanding": "LAs whose latest Ofsted grade is outstanding",
    "good_or_better": "LAs whose latest Ofsted grade is good or outstanding",
    "same_type": "Other LAs of the same type",
}
# What LAIT's LA code list's Type abbreviations stand for (areas.la_type).
TYPE_NAMES = {
    "MD": "metropolitan districts",
    "UA": "unitary authorities",
    "SC": "shire counties",
    "OLB": "outer London boroughs",
    "ILB": "inner London boroughs",
}
MAX_OWN = 15  # LAs in a reader's own group
# Ofsted grade ranks (grades.py's scale: 1 outstanding, 2 good) a graded group takes.
GRADED = {"outstanding": 1, "good_or_better": 2}


@dataclass(frozen=True)
class Group:
    """A comparison group: the role its rows take in a comparator series, its name,
    its members' area codes, the statistic drawn, and what its members are called
    and chosen by (a row's locator says "mean of 9 neighbours with a value (2025
    model)"). The focus area is never in its own group's figure. ``spec`` is its
    word in the address (a preset's key or its members' codes, comma-separated)."""

    key: str
    name: str
    members: tuple[str, ...]
    statistic: str = "mean"
    noun: str = "members"
    basis: str = ""
    spec: str = "neighbours_2025"
    member: str = "statistical neighbour"  # one member, as a thin grey line is named

    def __post_init__(self) -> None:
        if self.statistic not in STATISTICS:
            raise ValueError(
                f"statistic must be one of {STATISTICS}, not {self.statistic!r}"
            )

    @property
    def series(self) -> str:
        """The name its line is drawn under: 'Statistical neighbours (mean)'."""
        return f"{self.name} ({self.statistic})"

    @property
    def words(self) -> str:
        """The group in words, as a subtitle says it: 'mean of 14 LAs rated
        outstanding (latest Ofsted grade as at 31 March 2025)'."""
        basis = f" ({self.basis})" if self.basis else ""
        return f"{self.statistic} of {len(self.members)} {self.noun}{basis}"


def own_codes(spec: str) -> tuple[str, ...]:
    """The LA codes of a comma-separated list, each once, in the order given."""
    return tuple(dict.fromkeys(c.strip() for c in spec.split(",") if c.strip()))


class GroupQueries:
    """The comparison groups an area has."""

    def neighbour_group(
        self, area_code: str, model: str = "2025", statistic: str = "mean"
    ) -> Group:
        """An LA's statistical neighbours under a model, closest first, as a group."""
        codes = self.df(
            "SELECT neighbour_code FROM statistical_neighbours "
            "WHERE area_code = ? AND model = ? ORDER BY rank",
            [area_code, model],
        ).neighbour_code
        return Group(
            key="neighbours",
            name="Statistical neighbours",
            members=tuple(codes),
            statistic=statistic,
            noun="neighbours",
            basis=f"{model} model",
            spec=f"neighbours_{model}",
        )

    def region_members(self, area_code: str) -> pd.DataFrame:
        """Every current LA of an LA's region (the LA itself among them), by name."""
        return self.df(
            """
            SELECT a.area_code, a.area_name, a.region_code, a.region_name
            FROM areas AS a
            JOIN areas AS f ON f.area_code = $area AND a.region_code = f.region_code
            WHERE a.level = 'local authority' AND a.is_current
            ORDER BY a.area_name
            """,
            {"area": area_code},
        )

    def graded_members(self, worst_rank: int, area_code: str) -> pd.DataFrame:
        """Every current LA but ``area_code`` whose latest Ofsted grade ranks at
        ``worst_rank`` or better (1 outstanding, 2 good), with when the latest grade
        of any LA was published."""
        return self.df(
            """
            SELECT a.area_code, a.area_name,
                   (SELECT max(COALESCE(published, inspection_end, inspection_start))
                    FROM latest_judgements) AS as_at
            FROM areas AS a JOIN latest_judgements AS j USING (area_code)
            WHERE a.level = 'local authority' AND a.is_current
              AND j.grade_rank <= $worst AND a.area_code <> $area
            ORDER BY a.area_name
            """,
            {"worst": worst_rank, "area": area_code},
        )

    def same_type_members(self, area_code: str) -> pd.DataFrame:
        """Every other current LA of an LA's type in LAIT's LA code list."""
        return self.df(
            """
            SELECT a.area_code, a.area_name, a.la_type
            FROM areas AS a
            JOIN areas AS f ON f.area_code = $area AND a.la_type = f.la_type
            WHERE a.level = 'local authority' AND a.is_current
              AND a.area_code <> $area
            ORDER BY a.area_name
            """,
            {"area": area_code},
        )

    def current_las(self, codes: list[str]) -> pd.DataFrame:
        """Those of ``codes`` that are current LAs, in the order given."""
        return self.df(
            """
            SELECT area_code, area_name FROM areas
            WHERE level = 'local authority' AND is_current
              AND list_contains($codes, area_code)
            ORDER BY list_position($codes, area_code)
            """,
            {"codes": list(codes)},
        )

    def comparison_group(
        self, spec: str, area_code: str, statistic: str = "mean"
    ) -> Group:
        """The group an address names (a preset's key, else a comma-separated list of
        up to 15 LA codes) for a focus LA; the focus LA is never a member."""
        if spec.startswith("neighbours_"):
            return self.neighbour_group(area_code, spec.split("_", 1)[1], statistic)
        members, noun, basis, member = self._members(spec, area_code)
        return Group(
            key="neighbours",  # drawn where the neighbours' average is
            name=noun[0].upper() + noun[1:],
            members=members,
            statistic=statistic,
            noun=noun,
            basis=basis,
            spec=spec if spec in PRESETS else ",".join(own_codes(spec)),
            member=member,
        )

    def _members(
        self, spec: str, area_code: str
    ) -> tuple[tuple[str, ...], str, str, str]:
        """A group's members but the focus LA, what they are called, how they were
        chosen, and what one of them is called."""
        if spec == "region":
            rows = self.region_members(area_code)
            rows = rows[rows.area_code != area_code]
            region = rows.region_name.iloc[0] if len(rows) else "the region"
            return (
                tuple(rows.area_code),
                f"other LAs in {region}",
                "",
                f"LA in {region}",
            )
        if spec == "same_type":
            rows = self.same_type_members(area_code)
            kind = rows.la_type.iloc[0] if len(rows) else None
            words = f"other {TYPE_NAMES.get(kind, kind)}" if kind else "no other LAs"
            basis = "type from DfE's LAIT LA code list"
            return tuple(rows.area_code), words, basis, f"LA of the same type ({kind})"
        if spec in GRADED:
            rows = self.graded_members(GRADED[spec], area_code)
            rated = "outstanding" if spec == "outstanding" else "good or outstanding"
            basis = "latest Ofsted grade"
            if len(rows):
                basis += f", as at {pd.Timestamp(rows.as_at.iloc[0]):%-d %B %Y}"
            return (
                tuple(rows.area_code),
                f"LAs rated {rated}",
                basis,
                f"LA rated {rated}",
            )
        codes = own_codes(spec)
        if len(codes) > MAX_OWN:
            raise ValueError(f"a group has at most {MAX_OWN} LAs, not {len(codes)}")
        rows = self.current_las(list(codes))
        unknown = sorted(set(codes) - set(rows.area_code))
        if unknown:
            raise ValueError(f"not current LA codes: {', '.join(unknown)}")
        rows = rows[rows.area_code != area_code]
        basis = ", ".join(rows.area_name)
        return tuple(rows.area_code), "chosen LAs", basis, "chosen LA"
