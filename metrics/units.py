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


def _is_percent(text: str) -> bool:
    return text.startswith("%") or "percent" in text


def value_kind(
    unit: object,
    lowest: float | None = None,
    highest: float | None = None,
    whole: bool | None = None,
) -> str:
    """What a loaded figure of a measure may be: percent, count, rate, average, number.

    From the unit as the dictionary writes it, checked against the measure's own
    published values (``lowest``, ``highest``, ``whole``: all whole numbers), so that
    a rule never refuses a value of a kind the official statistics already hold.
    """
    text = unit.strip().lower() if isinstance(unit, str) else ""
    if lowest is not None and lowest < 0:
        return "number"  # e.g. progress scores and gaps, which can be below zero
    if _is_percent(text):
        return "percent" if highest is None or highest <= 100 else "average"
    if is_count(unit) and "fte" not in text:
        return "count" if whole in (None, True) else "average"
    if "rate" in text:
        return "rate"
    return "average"
