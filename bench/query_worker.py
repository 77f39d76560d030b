"""Time the Database queries in a fresh process: python -m bench.query_worker DB N OUT."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.queries import time_queries


def main(db: str, calls: str, out: str) -> int:
    """Write the query timings of database ``db`` (``calls`` calls each) to ``out``."""
    Path(out).write_text(json.dumps(time_queries(Path(db), int(calls)), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
