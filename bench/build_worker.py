"""Time the database build in a fresh process: python -m bench.build_worker MODE DB.

MODE ``cold`` builds a new file at DB; ``unchanged`` runs ensure_database on DB,
which must already be up to date. Prints one JSON line with the seconds taken.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(mode: str, db: str) -> int:
    """Run one build step and print how long it took."""
    from metrics.build import build, ensure_database

    path = Path(db)
    start = time.perf_counter()
    if mode == "cold":
        if path.exists():
            raise SystemExit(f"{path} exists; a cold build needs a new file")
        result = build(path)
    elif mode == "unchanged":
        result = ensure_database(path)
    else:
        raise SystemExit(f"unknown mode {mode!r}")
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "rebuilt": result.rebuilt}))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
