"""Comparison groups: a named set of areas whose mean or median a chart sets beside
the focus area (today the statistical neighbours)."""

from __future__ import annotations

from dataclasses import dataclass

STATISTICS = ("mean", "median")  # what a group's figure for a period can be


@dataclass(frozen=True)
class Group:
    """A comparison group: the role its rows take in a comparator series, its name,
    its members' area codes, the statistic drawn, and what its members are called
    and chosen by (a row's locator says "mean of 9 neighbours with a value (2025
    model)"). The focus area is never in its own group's figure."""

    key: str
    name: str
    members: tuple[str, ...]
    statistic: str = "mean"
    noun: str = "members"
    basis: str = ""

    def __post_init__(self) -> None:
        if self.statistic not in STATISTICS:
            raise ValueError(
                f"statistic must be one of {STATISTICS}, not {self.statistic!r}"
            )

    @property
    def series(self) -> str:
        """The name its line is drawn under: 'Statistical neighbours (mean)'."""
        return f"{self.name} ({self.statistic})"


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
        )
