"""Assessment timeliness: the 45-day series, the 2013 report figures, monthly returns."""

from ui.display import show_page
from ui.state import current_area, require_app
from views.pages import TIMELINESS

require_app()

show_page(TIMELINESS, current_area())
