"""Working days in England: Monday to Friday except England's bank holidays.

The bank holidays come from the maintained `holidays` package (England's
subdivision of its United Kingdom calendar, substitute days and one-off holidays
such as a state funeral included), never from a list kept here.
"""

from __future__ import annotations

import datetime as dt
from array import array

SATURDAY = 5  # date.weekday(): Monday 0 … Friday 4


def bank_holidays(years: range) -> set[dt.date]:
    """England's bank holidays in the given years."""
    import holidays  # a quarter of a second: only when days are counted

    return set(holidays.country_holidays("GB", subdiv="ENG", years=years))


class WorkingDays:
    """Counts England's working days between two dates.

    Counting is a difference of running totals, so each count costs two lookups
    however far apart the dates are; the totals grow to cover the years asked.
    """

    def __init__(self) -> None:
        self._years = range(0)
        self._first = 0  # ordinal of the day before the first covered day
        self._totals = array("i")  # working days after _first up to each day

    def between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (the start
        date is not counted: an end on the next working day is 1)."""
        if start.year not in self._years or end.year not in self._years:
            self._cover(min(start.year, end.year), max(start.year, end.year))
        totals, first = self._totals, self._first
        return totals[end.toordinal() - first] - totals[start.toordinal() - first]

    def _cover(self, low: int, high: int) -> None:
        if self._years:
            low, high = min(low, self._years.start), max(high, self._years.stop - 1)
        self._years = range(low, high + 1)
        closed = bank_holidays(self._years)
        day = dt.date(low, 1, 1)
        self._first = day.toordinal() - 1
        totals, running = array("i", [0]), 0
        while day.year <= high:
            running += day.weekday() < SATURDAY and day not in closed
            totals.append(running)
            day += dt.timedelta(days=1)
        self._totals = totals
