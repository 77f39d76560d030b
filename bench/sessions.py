"""Sessions opening a page at once, driven over Streamlit's own protocol without a
browser: each connects to the server's ``/_stcore/stream`` websocket, asks for a
run of the page as the browser does (a BackMsg ``rerun_script`` with the page's
address and query string) and waits for the ForwardMsg that says the run finished.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.report import BARE, CHARTS

TIMEOUT_S = 180.0


def _rerun(page: str, query: str) -> bytes:
    """The BackMsg a browser sends when it opens ``page`` (its url_path)."""
    msg = BackMsg()
    msg.rerun_script.query_string = query
    msg.rerun_script.page_name = page
    return msg.SerializeToString()


async def _session(ws_url: str, page: str, query: str) -> tuple[float, int]:
    """One session: (seconds from connecting to its run's end, messages received)."""
    from websockets.asyncio.client import connect

    start = time.perf_counter()
    received = 0
    async with connect(
        ws_url, subprotocols=["streamlit"], max_size=None, open_timeout=TIMEOUT_S
    ) as ws:
        await ws.send(_rerun(page, query))
        while True:
            data = await asyncio.wait_for(ws.recv(), TIMEOUT_S)
            received += 1
            msg = ForwardMsg()
            msg.ParseFromString(data)
            kind = msg.WhichOneof("type")
            if kind == "page_not_found":
                # Streamlit would run the default page instead: not what was asked.
                raise RuntimeError(f"page not found: {page!r}")
            if kind == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
                    return time.perf_counter() - start, received
                if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    raise RuntimeError(f"run ended with {msg.script_finished}")


async def _at_once(ws_url: str, page: str, query: str, n: int) -> list:
    return await asyncio.gather(
        *(_session(ws_url, page, query) for _ in range(n)), return_exceptions=True
    )


def sessions_at_once(base_url: str, page: str, query: str = "", n: int = 20) -> dict:
    """``n`` sessions opening ``page`` at the same moment on the server at
    ``base_url``: when the last was served (s), the median, and any errors."""
    ws_url = base_url.replace("http://", "ws://") + "/_stcore/stream"
    start = time.perf_counter()
    # A thread of its own: the caller may be inside a running event loop (the
    # benchmark drives Chromium through Playwright's synchronous API meanwhile).
    with ThreadPoolExecutor(1) as pool:
        results = pool.submit(asyncio.run, _at_once(ws_url, page, query, n)).result()
    wall = time.perf_counter() - start
    done = [r for r in results if not isinstance(r, BaseException)]
    return {
        "sessions": n,
        "all_served_s": wall if len(done) == n else None,
        "median_s": statistics.median(r[0] for r in done) if done else None,
        "messages": statistics.median(r[1] for r in done) if done else None,
        "errors": [
            f"{type(r).__name__}: {r}"[:300]
            for r in results
            if isinstance(r, BaseException)
        ],
    }


def measure_sessions(
    app_url: str,
    bare_url: str,
    pages: list,
    sessions: int,
    query: str = "",
    say: Callable[[str], None] = print,
    charts_alone: tuple[str, set[str]] | None = None,
) -> dict:
    """Each page's ``sessions`` at once on the dashboard's server and on the bare
    app's, taking turns (which goes first alternates page by page); each after two
    sessions that warm the page, with one session alone after them. ``charts_alone``:
    the server of each page's charts alone and the pages it draws, measured likewise."""
    out: dict = {}
    for i, p in enumerate(pages):
        servers = [(p.key, app_url), (BARE + p.key, bare_url)]
        if charts_alone and p.key in charts_alone[1]:
            servers.append((CHARTS + p.key, charts_alone[0]))
        for key, url in servers if i % 2 == 0 else servers[::-1]:
            try:
                sessions_at_once(url, p.address, query, 2)  # warm
                result = sessions_at_once(url, p.address, query, sessions)
                alone = sessions_at_once(url, p.address, query, 1)
                result["alone_s"] = alone["median_s"]
            except Exception as exc:  # noqa: BLE001 (reported in the table)
                result = {"errors": [f"{type(exc).__name__}: {exc}"[:300]]}
            out[key] = result
        say(f"  {sessions} sessions at once: {p.title} and its bare page")
    return out
