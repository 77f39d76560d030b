"""Profile one page's warm AppTest run: python -m bench.profile_page PAGE [N].

PAGE is a page key (e.g. caseloads), or bare/KEY for that page's matched bare page.
Prints the N functions with the most cumulative time in the script thread, to find
where a page's time goes. Set DASHBOARD_DB to profile against another database
(e.g. a synthetic one).
"""

from __future__ import annotations

import cProfile
import io
import pstats
import sys
import tempfile
import threading
from pathlib import Path

from bench.apptest_worker import (
    open_page,
    page_run,
    share_script_cache,
    shown,
    timed_run,
)
from bench.pages import ROOT, SHELL, bare_file, bare_spec, declared, write_bare
from bench.report import BARE


def main(key: str, top: int = 40) -> int:
    """Warm the page once, then profile one more run of it."""
    pages = declared()
    page = next(p for p in pages if p.key == key.removeprefix(BARE))
    app, file = str(ROOT / "app.py"), page.file
    share_script_cache()
    at, _, _ = page_run(app, file)  # warm caches and imports
    if key.startswith(BARE):
        counts = {p.key: shown(at) for p in pages}  # every bare page like this one
        folder = Path(tempfile.mkdtemp(prefix="bare-"))
        app = str(write_bare(folder, bare_spec(pages, counts, SHELL)))
        file = bare_file(page.key)
        page_run(app, file)
    profiles: list[cProfile.Profile] = []

    def hook(*_: object) -> None:
        # Runs once in each new thread (AppTest's script thread): profile that thread.
        sys.setprofile(None)
        profile = cProfile.Profile()
        profiles.append(profile)
        profile.enable()

    at = open_page(app, file)
    threading.setprofile(hook)
    try:
        wall, cpu = timed_run(at)
    finally:
        threading.setprofile(None)
    for profile in profiles:
        profile.disable()
    print(f"{key}: {wall:.0f} ms wall, {cpu:.0f} ms CPU, {shown(at)}")
    out = io.StringIO()
    if profiles:
        pstats.Stats(*profiles, stream=out).sort_stats(
            *(sys.argv[3:4] or ["cumulative"])
        ).print_stats(top)
    print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], *(int(a) for a in sys.argv[2:3])))
