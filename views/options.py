"""A committee's adjustments to one chart, as one small value.

``ChartOptions`` says how a chart departs from its default: its y axis (from zero or
fitted to the data), which comparator lines it shows (England, the region, the
statistical neighbours' average, each neighbour) and up to four more local
authorities drawn beside the focus one, as LAIT's "user selection" does, and the
comparison group whose mean or median the group line draws (the statistical
neighbours by default; a preset or up to 15 LAs chosen by name). Chart
declarations (views.sections) accept it; the dashboard keeps it in the page's address
(``params`` / ``from_params``), so a link reproduces the adjusted chart, and its
downloads and the board pack pass the same value. The default value changes
nothing: every chart keeps its own default.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from metrics.queries.groups import MAX_OWN, PRESETS, STATISTICS, own_codes

# y axis choices; "" keeps the chart's own default.
Y_AXES = {"zero": "From zero", "fitted": "Fitted to the data"}
# Comparator lines a chart can show, in drawing order, with their names.
COMPARATORS = {
    "england": "England",
    "region": "Region",
    "neighbours": "Statistical neighbours' average",
    "each": "Each statistical neighbour",
}
DEFAULT_SHOWN = ("england", "region", "neighbours")
MAX_ADDED = 4
NONE = "none"  # the address's word for "no comparator lines"


@dataclass(frozen=True)
class ChartOptions:
    """How one chart departs from its default (the default value: not at all).

    ``y_axis``: "" (the chart's default), "zero" or "fitted". ``shown``: the
    comparator lines drawn, from COMPARATORS. ``added``: area codes of up to four
    more local authorities, drawn as lines of their own. ``group``: the comparison
    group ("" the page's statistical neighbours; a key of PRESETS; or up to 15 LA
    codes, comma-separated); ``stat``: its "mean" (also "") or "median".
    """

    y_axis: str = ""
    shown: tuple[str, ...] = DEFAULT_SHOWN
    added: tuple[str, ...] = ()
    group: str = ""
    stat: str = ""

    def __post_init__(self) -> None:
        if self.y_axis not in ("", *Y_AXES):
            raise ValueError(
                f"y_axis must be '', 'zero' or 'fitted', not {self.y_axis!r}"
            )
        unknown = set(self.shown) - set(COMPARATORS)
        if unknown:
            raise ValueError(f"unknown comparator lines: {sorted(unknown)}")
        added = tuple(dict.fromkeys(self.added))
        if len(added) > MAX_ADDED:
            raise ValueError(f"at most {MAX_ADDED} local authorities can be added")
        # One spelling per choice, so that equal choices share a cache entry.
        object.__setattr__(
            self, "shown", tuple(c for c in COMPARATORS if c in self.shown)
        )
        object.__setattr__(self, "added", added)
        if self.stat not in ("", *STATISTICS):
            raise ValueError(f"stat must be one of {STATISTICS}, not {self.stat!r}")
        if self.group and self.group not in PRESETS:
            codes = own_codes(self.group)
            if len(codes) > MAX_OWN:
                raise ValueError(f"a group has at most {MAX_OWN} local authorities")
            object.__setattr__(self, "group", ",".join(codes))
        if self.stat == STATISTICS[0]:
            object.__setattr__(self, "stat", "")

    @property
    def is_default(self) -> bool:
        """Whether the chart is left as it is."""
        return self == ChartOptions()

    def shows(self, comparator: str) -> bool:
        """Whether a comparator line ('england', 'region', ...) is drawn."""
        return comparator in self.shown

    def params(self, key: str) -> dict[str, str]:
        """The address parameters of the choices that differ from the default, for the
        chart named ``key`` (e.g. ``Continue_Assess_Comp.y=zero``)."""
        out = {}
        if self.y_axis:
            out[f"{key}.y"] = self.y_axis
        if self.shown != DEFAULT_SHOWN:
            out[f"{key}.show"] = ".".join(self.shown) or NONE
        if self.added:
            out[f"{key}.add"] = ".".join(self.added)
        if self.group:
            out[f"{key}.group"] = self.group
        if self.stat:
            out[f"{key}.stat"] = self.stat
        return out

    @classmethod
    def from_params(
        cls, params: Mapping[str, str], key: str, areas: Collection[str] = ()
    ) -> ChartOptions:
        """The choices an address holds for the chart named ``key``; values it does not
        understand (unknown words, areas not in ``areas``) are left out."""
        y_axis = params.get(f"{key}.y", "")
        show = params.get(f"{key}.show")
        added = params.get(f"{key}.add", "")
        return cls(
            group=group_from(params.get(f"{key}.group", ""), areas),
            stat=params.get(f"{key}.stat", "")
            if params.get(f"{key}.stat") in STATISTICS
            else "",
            y_axis=y_axis if y_axis in Y_AXES else "",
            shown=DEFAULT_SHOWN
            if show is None
            else tuple(c for c in show.split(".") if c in COMPARATORS),
            added=tuple(a for a in added.split(".") if a in areas)[:MAX_ADDED],
        )

    def words(self, names: Mapping[str, str] | None = None) -> str:
        """The choices in words ('as published' when there are none)."""
        parts = []
        if self.y_axis:
            parts.append(f"y axis {Y_AXES[self.y_axis].lower()}")
        if self.shown != DEFAULT_SHOWN:
            lines = [COMPARATORS[c] for c in self.shown]
            parts.append("comparator lines: " + (", ".join(lines) or "none"))
        if self.added:
            added = [(names or {}).get(a, a) for a in self.added]
            parts.append("added: " + ", ".join(added))
        if self.group or self.stat:
            parts.append(f"comparison group: {self.group_words(names)}")
        return "; ".join(parts) or "as published"

    def group_words(self, names: Mapping[str, str] | None = None) -> str:
        """The comparison group chosen and its statistic, in words."""
        statistic = self.stat or STATISTICS[0]
        if not self.group:
            return f"{statistic} of the statistical neighbours"
        if self.group in PRESETS:
            return f"{statistic} of {PRESETS[self.group]}"
        listed = [(names or {}).get(c, c) for c in own_codes(self.group)]
        return f"{statistic} of " + ", ".join(listed)


def group_from(spec: str, areas: Collection[str]) -> str:
    """An address's group as the options keep it: a preset's key, else the listed LA
    codes that are in ``areas`` (at most 15), else "" (the statistical neighbours)."""
    if spec in PRESETS:
        return spec
    return ",".join([c for c in own_codes(spec) if c in areas][:MAX_OWN])


KEEP = ChartOptions()  # every chart as it is
