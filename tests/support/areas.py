"""The areas the tests use and how many charts each page shows for them."""

from __future__ import annotations

from typing import NamedTuple

from metrics.areas import Area
from views.pages import PAGES

PAGE_KEYS = [p.key for p in PAGES]


class TestArea(NamedTuple):
    """An area the tests use: ONS code, name and LAIT's LA number."""

    code: str
    name: str
    la_number: int

    @property
    def area(self) -> Area:
        return Area(self.code, self.name)


# Charts each page shows (AppTest and browser tests): Doncaster has the report figures, milestones and contract.
CHARTS = {
    "overview": {"Doncaster": 1, "Leeds": 0},
    "scorecard": {"Doncaster": 0, "Leeds": 0},  # no targets in data/
    "ofsted": {"Doncaster": 2, "Leeds": 2},
    "timeliness": {"Doncaster": 4, "Leeds": 1},
    "caseloads": {"Doncaster": 8, "Leeds": 6},
    "explorer": {"Doncaster": 3, "Leeds": 3},
    "upload": {"Doncaster": 0, "Leeds": 0},
    "sources": {"Doncaster": 0, "Leeds": 0},
    "accessibility": {"Doncaster": 0, "Leeds": 0},
}

DONCASTER = TestArea("E08000017", "Doncaster", 371)
LEEDS = TestArea("E08000035", "Leeds", 383)
