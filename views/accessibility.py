"""The accessibility statement (docs/ACCESSIBILITY.md), in the form GOV.UK services
use, with the contact for reporting a problem and the date it was last reviewed."""

from __future__ import annotations

import datetime as dt
import os

from metrics.config import PROJECT_DIR

STATEMENT = PROJECT_DIR / "docs" / "ACCESSIBILITY.md"
REVIEWED = dt.date(2026, 12, 3)  # review again when the checks or known issues change
CONTACT_ENV = "DASHBOARD_CONTACT"  # who to tell, as the hosting organisation sets it
DEFAULT_CONTACT = "the performance team that runs it for your council"


def contact() -> str:
    """Who to contact about a problem: $DASHBOARD_CONTACT, else the default words."""
    return os.environ.get(CONTACT_ENV, "").strip() or DEFAULT_CONTACT


def statement() -> str:
    """The statement as markdown, contact and review date filled in."""
    return STATEMENT.read_text(encoding="utf-8").format(
        contact=contact(), reviewed=f"{REVIEWED:%-d %B %Y}"
    )
