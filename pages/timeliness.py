"""Assessment timeliness: the 45-day series, the 2013 report figures, monthly returns."""

from ui.context import current
from ui.display import show_page
from views.pages import TIMELINESS

show_page(TIMELINESS, current().area)
