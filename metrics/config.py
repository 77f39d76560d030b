"""Where the data and the built database live."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
DEFAULT_DB = DATA_DIR / "dashboard.duckdb"
DEFAULT_FOCUS = "E08000017"  # Doncaster
OGL_ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."


def default_db_path() -> Path:
    """Return the database path: $DASHBOARD_DB if set, else data/dashboard.duckdb."""
    return Path(os.environ.get("DASHBOARD_DB") or DEFAULT_DB)
