"""Caseloads and demand: children in need, caseloads by team, workforce."""

from ui.display import show_page
from ui.state import current_area, require_app
from views.pages import CASELOADS

require_app()

show_page(CASELOADS, current_area())
