"""Text drawn over other text in a chart, measured in Chromium, and the areas whose
lines sit closest to England's (where end labels meet)."""

from __future__ import annotations

from collections.abc import Sequence

from metrics.config import ENGLAND
from metrics.queries import Database

# Two text boxes overlap when they intersect by more than this many px both ways...
SLACK = 2.0
# ...and the intersection covers at least this share of the smaller box.
SHARE = 0.15

# For every chart (the elements a selector finds: Plotly's charts on a page, or SVG
# pictures): its title and the box of every visible SVG text in it (titles, subtitle,
# legend, annotations, end labels, checkpoint labels, tick labels); the hover layer is
# left out (it is drawn only under the pointer).
OVERLAPS_JS = """
(selector) => [...document.querySelectorAll(selector)].map((plot) => {
  const texts = [];
  for (const el of plot.querySelectorAll('svg text')) {
    if (el.closest('.hoverlayer')) continue;
    const words = (el.textContent || '').trim();
    if (!words) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none'
        || parseFloat(style.opacity) === 0) continue;
    let hidden = false;
    for (let g = el.parentElement; g && g !== plot; g = g.parentElement) {
      const s = getComputedStyle(g);
      if (s.display === 'none' || parseFloat(s.opacity) === 0) { hidden = true; break; }
    }
    if (hidden) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    texts.push({text: words.slice(0, 80), left: r.left, top: r.top,
                right: r.right, bottom: r.bottom});
  }
  const title = (plot.querySelector('.gtitle') || {}).textContent
    || plot.getAttribute('data-title') || '';
  const box = plot.getBoundingClientRect();
  return {title: title.slice(0, 90), texts, box: {left: box.left, top: box.top,
          right: box.right, bottom: box.bottom}};
})
"""


def overlap(a: dict, b: dict) -> bool:
    """Whether two text boxes (left, top, right, bottom in px) overlap: intersect by
    more than SLACK px both ways and cover SHARE or more of the smaller one."""
    width = min(a["right"], b["right"]) - max(a["left"], b["left"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    if width <= SLACK or height <= SLACK:
        return False
    smaller = min(
        (box["right"] - box["left"]) * (box["bottom"] - box["top"]) for box in (a, b)
    )
    return width * height >= SHARE * smaller


def overlaps(charts: Sequence[dict], where: str) -> list[str]:
    """Every pair of overlapping texts in OVERLAPS_JS's charts, in words."""
    found = []
    for chart in charts:
        texts = chart["texts"]
        for i, a in enumerate(texts):
            for b in texts[i + 1 :]:
                if overlap(a, b):
                    found.append(
                        f"{where}: {chart['title'][:60]!r}: "
                        f"{a['text'][:40]!r} over {b['text'][:40]!r}"
                    )
    return found


def close_to_england(
    db: Database, measures: Sequence[str], count: int, exclude: Sequence = ()
) -> list:
    """The ``count`` current LAs whose latest official figure is nearest England's on
    the most of ``measures`` (within 2% of England's value), then by the smallest
    mean gap: where an LA's line and England's end together."""
    from tests.support.areas import TestArea

    rows = db.df(
        """
        WITH latest AS (
            SELECT metric_id, max(period_end) AS period_end
            FROM observations
            WHERE area_code = $england AND origin = 'official'
              AND value IS NOT NULL AND list_contains($measures, metric_id)
            GROUP BY metric_id
        ), england AS (
            SELECT o.metric_id, o.period_end, o.value
            FROM observations AS o JOIN latest USING (metric_id, period_end)
            WHERE o.area_code = $england AND o.origin = 'official'
              AND o.service_area IS NULL AND o.value <> 0
        ), gaps AS (
            SELECT o.area_code, abs(o.value - e.value) / abs(e.value) AS gap
            FROM observations AS o JOIN england AS e USING (metric_id, period_end)
            JOIN areas AS a USING (area_code)
            WHERE a.level = 'local authority' AND a.is_current
              AND o.origin = 'official' AND o.service_area IS NULL
              AND o.value IS NOT NULL AND NOT list_contains($exclude, o.area_code)
        )
        SELECT g.area_code, a.area_name, a.la_number,
               count(*) FILTER (WHERE gap < 0.02) AS near, avg(gap) AS mean_gap
        FROM gaps AS g JOIN areas AS a USING (area_code)
        GROUP BY ALL
        ORDER BY near DESC, mean_gap, g.area_code
        LIMIT $count
        """,
        {
            "measures": list(measures),
            "exclude": [a.code for a in exclude],
            "count": count,
            "england": ENGLAND,
        },
    )
    return [
        TestArea(r.area_code, r.area_name, int(r.la_number)) for r in rows.itertuples()
    ]
