"""Caseloads and demand: children in need, caseloads by team, workforce."""

from ui.context import current
from ui.display import show_page
from views.pages import CASELOADS

show_page(CASELOADS, current().area)
