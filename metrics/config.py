"""Where the data and the built database live, and the settings every layer shares.

Folders under data/ are given relative to the data folder, so that a build or an
import can run on a copy of it (the tests do).
"""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_DIR / "data"
DEFAULT_DB = DATA_DIR / "dashboard.duckdb"
DB_ENV = "DASHBOARD_DB"  # overrides DEFAULT_DB
DATA_ENV = "DASHBOARD_DATA"  # another data folder for the app (e.g. a trial copy)

# Inside the data folder.
RAW = Path("raw")  # official files exactly as published (read-only)
CURATED = Path("curated")  # figures from the documents, each with its citation
IMPORTS = Path("imports")  # accepted monthly returns and targets files
ARCHIVE = IMPORTS / "archive"  # each accepted file, unchanged, named by SHA-256
LOG = IMPORTS / "log.csv"  # one row per accepted file, in load order
PROVENANCE_CSV = Path("provenance.csv")  # every official file taken: where, when
STAGING = Path("staging")  # `update` downloads here before checking
TEMPLATE_DIR = DATA_DIR / "templates"
EXAMPLES_DIR = DATA_DIR / "examples"

DEFAULT_AREA = "E08000017"  # Doncaster, the default focus
ENGLAND = "E92000001"
OGL_ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence "
    "v3.0."
)


def default_data_dir() -> Path:
    """The data folder the app reads: $DASHBOARD_DATA if set, else data/."""
    return Path(os.environ.get(DATA_ENV) or DATA_DIR)


def default_db_path() -> Path:
    """The database: $DASHBOARD_DB if set, else dashboard.duckdb in the data folder."""
    if os.environ.get(DB_ENV):
        return Path(os.environ[DB_ENV])
    if os.environ.get(DATA_ENV):
        return default_data_dir() / "dashboard.duckdb"
    return DEFAULT_DB
