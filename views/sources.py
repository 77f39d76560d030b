"""What the Sources and caveats page says besides its tables: the licence line, the
caveats log (docs/CAVEATS.md) and when each official update was taken in."""

from __future__ import annotations

import pandas as pd

from metrics.config import OGL_ATTRIBUTION, PROJECT_DIR
from metrics.formatting import as_at

ATTRIBUTION = OGL_ATTRIBUTION
CAVEATS = PROJECT_DIR / "docs" / "CAVEATS.md"


def caveats() -> str:
    """The caveats log as markdown (or that it is missing)."""
    if not CAVEATS.exists():
        return "The caveats log is missing from docs/."
    return CAVEATS.read_text(encoding="utf-8")


def update_heading(update: pd.DataFrame) -> str:
    """'Official data updated on 3 Dec 2025' for one build's changes."""
    return f"Official data updated on {as_at(update.built_at.iloc[0])}"
