"""What a measure's unit says about its values."""

from __future__ import annotations

# Units (as the dictionaries write them) of plain counts, whose size follows the
# area's population: England's or a region's total is no benchmark for them.
COUNT_UNITS = {
    "count",
    "cases",
    "total cases",
    "entries",
    "people",
    "social workers",
    "starters fte",
    "leavers fte",
}


def is_count(unit: object) -> bool:
    """Whether a metric's unit is a plain count ('count', 'Number of …', 'people')."""
    if not isinstance(unit, str):
        return False
    text = unit.strip().lower()
    return text in COUNT_UNITS or text.startswith("number")
