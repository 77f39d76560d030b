"""No chart text drawn over other text: every chart page in Chromium, at every width a
committee reads it at, for Doncaster with the worked example plan, Leeds and the two
local authorities whose figures sit closest to England's, with every text box of every
chart measured against every other."""

from __future__ import annotations

import html
import shutil

import pytest

from charts import export
from metrics.queries import Database
from reports.boardpack import pack_charts
from reports.export import draw, unframe
from tests.support.areas import DONCASTER, LEEDS
from tests.support.areas import TestArea as Place  # not a test class
from tests.support.browser import open_page
from tests.support.charts import settled_fit
from tests.support.data import ROOT
from tests.support.overlaps import OVERLAPS_JS, close_to_england, overlaps
from tests.support.servers import StreamlitServer
from views.explorer import STATS, explorer_view
from views.groups import region_view
from views.pages import PAGES
from views.sections import Trajectories, build_charts

# Every test here opens a page at six widths, or draws every chart twice: 10 s or more.
pytestmark = pytest.mark.slow

EXAMPLES = ROOT / "data" / "examples"
# The explorer opened at one measure, named in the address, so the charts it draws
# are known here.
EXPLORER_MEASURE = "ReReferral"
MODEL = "2025"
# Widths in CSS px, widest first (each narrower width is a resize of the same page):
# desktop, a small laptop, a tablet, a phone, the narrowest phone WCAG's reflow names.
WIDTHS = (1400, 1024, 768, 390, 320)
# 200% zoom: a browser zoomed to 200% on a 1,400 px window gives the page 700 CSS px
# at two device pixels to the CSS px, which is what device_scale_factor 2 on a 700 px
# viewport gives (CSS `zoom` would leave the page's width and its media queries as
# they were, which real zoom does not).
ZOOM = {"viewport": {"width": 700, "height": 900}, "device_scale_factor": 2}


@pytest.fixture(scope="module")
def example(base, tmp_path_factory):
    """A copy of data/ and its database with the worked example (data/examples: an
    illustrative plan and monthly return for Doncaster) loaded, as the README shows."""
    from metrics.loading.load import import_return, import_targets

    data = tmp_path_factory.mktemp("example") / "data"
    shutil.copytree(base[0], data)
    db = data / "dashboard.duckdb"
    shutil.copyfile(base[1], db)
    plan = EXAMPLES / "doncaster_targets_illustrative.csv"
    import_targets(plan.read_bytes(), plan.name, db, data, DONCASTER.code)
    figures = EXAMPLES / "doncaster_return_illustrative.csv"
    import_return(figures.read_bytes(), figures.name, db, data, DONCASTER.code)
    return data, db


@pytest.fixture(scope="module")
def example_server(example):
    """One server on the example's data for the module."""
    data, db = example
    env = {"DASHBOARD_DATA": str(data), "DASHBOARD_DB": str(db)}
    with StreamlitServer(ROOT / "app.py", env=env) as server:
        yield server.url


@pytest.fixture(scope="module")
def example_db(example):
    db = Database(example[1])
    yield db
    db.close()


@pytest.fixture(scope="module")
def areas(example_db) -> list[Place]:
    """Doncaster, Leeds and the two LAs whose latest figures sit closest to England's
    on the pages' comparator measures (picked from the database)."""
    close = close_to_england(
        example_db, _comparator_measures(), 2, exclude=(DONCASTER, LEEDS)
    )
    return [DONCASTER, LEEDS, *close]


def _comparator_measures() -> list[str]:
    from views.sections import Comparator

    return [
        item.metric_id
        for page in PAGES
        for section in page.sections
        for item in section.items
        if isinstance(item, Comparator)
    ]


def expected_charts(db: Database, key: str, area: Place) -> int:
    """How many charts a page draws for an area, from the views the page shows."""
    if key == "explorer":
        view = explorer_view(db, EXPLORER_MEASURE, area.area, MODEL, STATS[0], False)
        region = region_view(db, EXPLORER_MEASURE, area.area)
        charts = (view.benchmark, view.ranking, region.chart)
        return sum(chart is not None for chart in charts)
    spec = next(p for p in PAGES if p.key == key)
    return sum(
        len(build_charts(db, item, area.area, MODEL))
        for section in spec.sections
        for item in section.items
    )


CHART = ".js-plotly-plot"  # a Plotly chart on a page
CHART_PAGES = ("overview", "scorecard", "ofsted", "timeliness", "caseloads", "explorer")


@pytest.fixture(scope="module")
def screens(browser):
    """Two pages for the module: one resized through WIDTHS, one at 200% zoom."""
    plain = browser.new_context(viewport={"width": WIDTHS[0], "height": 1000})
    zoomed = browser.new_context(**ZOOM)
    yield plain.new_page(), zoomed.new_page()
    plain.close()
    zoomed.close()


def _measure(page, count: int) -> list[dict]:
    """Every chart's text boxes once the charts are laid out for the width and drawn
    twice alike (Plotly redraws after a resize)."""
    settled_fit(page, count, timeout_s=90)
    page.wait_for_function(
        "(js) => { const now = JSON.stringify(eval(js)('.js-plotly-plot'));"
        " const same = window.__overlapLast === now; window.__overlapLast = now;"
        " return same; }",
        arg=OVERLAPS_JS,
        polling=400,
        timeout=30_000,
    )
    return page.evaluate(OVERLAPS_JS, CHART)


@pytest.mark.parametrize(
    "slot", range(4), ids=["Doncaster", "Leeds", "close-1", "close-2"]
)
@pytest.mark.parametrize("key", CHART_PAGES)
def test_no_chart_text_over_other_text(
    example_server, example_db, areas, screens, key, slot
):
    area = areas[slot]
    count = expected_charts(example_db, key, area)
    if key == "scorecard" and area == DONCASTER:
        assert count >= 5  # the example plan's measures, each with its chart
    extra = f"&measure={EXPLORER_MEASURE}" if key == "explorer" else ""
    found: list[str] = []
    measured = 0
    plain, zoomed = screens
    plain.set_viewport_size({"width": WIDTHS[0], "height": 1000})
    open_page(plain, example_server, key, area.code, extra)
    for width in WIDTHS:
        plain.set_viewport_size({"width": width, "height": 1000})
        charts = _measure(plain, count) if count else []
        measured += len(charts)
        found += overlaps(charts, f"{area.name} {key} {width}px")
    if count:
        open_page(zoomed, example_server, key, area.code, extra)
        charts = _measure(zoomed, count)
        measured += len(charts)
        found += overlaps(charts, f"{area.name} {key} 200% zoom")
    assert measured == count * (len(WIDTHS) + 1)
    assert not found, f"{len(found)} overlaps:\n" + "\n".join(found)


def _drawn_charts(db: Database, area: Place) -> list:
    """Every chart the pack draws for an area, and the charts only the pages draw
    (every measure of the plan, the explorer's two), each once."""
    view = explorer_view(db, EXPLORER_MEASURE, area.area, MODEL, STATS[0], False)
    charts = [
        *pack_charts(db, area.area),
        *build_charts(db, Trajectories(), area.area, MODEL),
        *(c for c in (view.benchmark, view.ranking) if c is not None),
    ]
    return list({c.slug: c for c in charts}.values())


@pytest.fixture(scope="module")
def drawing():
    """kaleido's Chromium for the pictures, closed after the module."""
    export.start_drawing()
    yield
    export.stop_drawing()


@pytest.mark.parametrize("area", [DONCASTER, LEEDS], ids=lambda a: a.name)
def test_no_text_over_text_in_the_downloads_and_the_pack(
    example_db, browser, drawing, area
):
    # The SVG kaleido writes for a chart's download (the desktop layout, with its
    # title, subtitle and source) and for the pack (the plot without them), drawn in
    # Chromium, which measures their text with the fonts a reader's viewer uses.
    charts = _drawn_charts(example_db, area)
    if area == DONCASTER:
        assert len(charts) >= 20  # every page's charts and the plan's
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    found, outside, measured = [], [], 0
    try:
        for chart in charts:
            pictures = {
                "download": export.picture(chart, "svg"),
                "pack": draw(unframe(chart.fig), "svg"),
            }
            for kind, svg in pictures.items():
                page.set_content(
                    f'<div class="picture" style="display:inline-block" '
                    f'data-title="{html.escape(chart.title)}">{svg.decode()}</div>'
                )
                (result,) = page.evaluate(OVERLAPS_JS, ".picture")
                assert result["texts"], chart.title  # the SVG's text was measured
                measured += 1
                found += overlaps([result], f"{area.name} {kind}")
                box = result["box"]
                outside += [
                    f"{area.name} {kind}: {chart.title[:50]!r}: {t['text'][:40]!r}"
                    for t in result["texts"]
                    if t["left"] < box["left"] - 1 or t["right"] > box["right"] + 1
                    or t["top"] < box["top"] - 1 or t["bottom"] > box["bottom"] + 1
                ]  # fmt: skip
    finally:
        context.close()
    assert measured == 2 * len(charts)
    outside = ["outside the picture: " + o for o in outside]
    assert not found + outside, f"{len(found)} overlaps:\n" + "\n".join(found + outside)
