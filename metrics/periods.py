"""Turn LAIT period labels ("2016", "2016/17", "2014-16", "2018 (Rev)") into dates."""

from __future__ import annotations

import datetime as dt
import re

# Month and day a period ends on, by the data dictionary's Year_Type.
YEAR_END: dict[str, tuple[int, int]] = {
    "Financial Year": (3, 31),
    "Academic Year": (8, 31),
    "Calendar Year": (12, 31),
    "Annual": (3, 31),  # the five 'Annual' measures are 31 March census counts
    "Annual (end of Sept)": (9, 30),
    "Annual - January": (1, 31),
}

_STATUS = re.compile(r"\s*\((rev|final|prov|ot)\)\s*$", re.IGNORECASE)
_SINGLE = re.compile(r"^(\d{4})$")
_SPLIT = re.compile(r"^(\d{4})[/-](\d{2})$")  # 2016/17 or 2016-17
_SPAN = re.compile(r"^(\d{4})-(\d{2})$")  # 2014-16 (three calendar years)
_SPAN_SPLIT = re.compile(r"^(\d{4})/(\d{2})-(\d{2})/(\d{2})$")  # 2013/14-15/16


class PeriodLabelError(ValueError):
    """A period label that no rule recognises."""


def _century(start: int, two_digits: str) -> int:
    year = start - start % 100 + int(two_digits)
    return year + 100 if year < start else year


def end_year(label: str) -> int:
    """Return the calendar year in which the period named by ``label`` ends."""
    core = _STATUS.sub("", label.strip())
    if m := _SINGLE.match(core):
        return int(m.group(1))
    if m := _SPAN_SPLIT.match(core):
        return _century(int(m.group(1)), m.group(4))
    if m := _SPLIT.match(core):
        start, end = int(m.group(1)), _century(int(m.group(1)), m.group(2))
        if end - start == 1:
            return end
        if _SPAN.match(core) and end - start == 2:
            return end
    raise PeriodLabelError(f"unrecognised period label {label!r}")


def period_end(label: str, year_type: str | None) -> dt.date:
    """Return the last day of the period ``label`` for a measure of ``year_type``."""
    month, day = YEAR_END.get(year_type or "", (12, 31))
    year = end_year(label)
    if year < 1990 or year > 2100:
        raise PeriodLabelError(f"period label {label!r} gives implausible year {year}")
    return dt.date(year, month, day)
