"""Profile one page's warm AppTest run: python -m bench.profile_page PAGE [N].

PAGE is a page key (file stem, e.g. caseloads) or ``bare``. Prints the functions
with the most cumulative time in the script thread, to find where a page's time goes.
Set DASHBOARD_DB to profile against another database (e.g. a synthetic one).
"""

from __future__ import annotations

import cProfile
import io
import pstats
import sys
import threading

from bench.apptest_worker import _share_script_cache, _shared_registry, run_once
from bench.pages import APP, discover


def main(key: str, top: int = 40) -> int:
    """Warm the page once, then profile one more run of it."""
    if key == "bare":
        target = {
            "key": key,
            "app": str(APP.parent / "bench" / "bare_app.py"),
            "page": None,
        }
    else:
        page = next(p for p in discover() if p.key == key)
        target = {
            "key": key,
            "app": str(APP),
            "page": None if page.default else page.path,
        }
    registry = _shared_registry()
    _share_script_cache()
    run_once(target, registry)  # warm caches and imports
    profiles: list[cProfile.Profile] = []

    def hook(*_: object) -> None:
        # Runs once in each new thread (AppTest's script thread): profile that thread.
        sys.setprofile(None)
        profile = cProfile.Profile()
        profiles.append(profile)
        profile.enable()

    threading.setprofile(hook)
    try:
        result = run_once(target, registry)
    finally:
        threading.setprofile(None)
    for profile in profiles:
        profile.disable()
    print(f"{key}: {result['page_ms']:.0f} ms, {result['charts']} charts")
    out = io.StringIO()
    stats = pstats.Stats(*profiles, stream=out) if profiles else None
    if stats:
        stats.sort_stats("cumulative").print_stats(top)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], *(int(a) for a in sys.argv[2:3])))
