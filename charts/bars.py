"""Bar charts: report figures, caseload ranges, the national grade distribution and
every LA in rank order."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from charts.frame import (
    OBSERVATION_COLUMNS,
    Chart,
    Narrow,
    desktop_plot_width,
    finish,
    frame_again,
    reserve_band,
)
from charts.style import BACKGROUND, CONTEXT, FOCUS, GRID, PALETTE, TEXT
from charts.text import line_height, stack_rows, text_width, wrap_html
from metrics.formatting import DEFAULT_DPS
from metrics.grades import RANK_LABEL, RANK_SYMBOL


def report_points(
    obs: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    unit: str,
    source: str,
    alt: str,
    slug: str,
    bars_from_zero: bool = True,
) -> Chart:
    """Report figures as grouped bars, approximate values hatched and labelled."""
    fig = go.Figure()
    for i, (label, part) in enumerate(obs.groupby("metric_label", sort=False)):
        approx = part.approximate.fillna(False).astype(bool)
        text = [
            _value_text(v, q, a) for v, q, a in zip(part.value, part.qualifier, approx)
        ]
        fig.add_trace(
            go.Bar(
                x=part.period_label,
                y=part.value,
                name=label,
                marker={
                    "color": PALETTE[i % len(PALETTE)],
                    "line": {"color": PALETTE[i % len(PALETTE)], "width": 2},
                    "pattern": {
                        "shape": ["/" if a else "" for a in approx],
                        "fillmode": "overlay",
                        "fgcolor": BACKGROUND,
                        "solidity": 0.35,
                    },
                },
                text=text,
                textposition="outside",
                customdata=part[
                    ["period_label", "source_title", "locator", "qualifier"]
                ]
                .fillna("")
                .assign(
                    approx=[
                        "approximate: " + q if a else "as stated"
                        for q, a in zip(part.qualifier.fillna(""), approx)
                    ]
                )[["period_label", "approx", "source_title", "locator"]]
                .values,
                hovertemplate="<b>%{fullData.name}</b><br>%{customdata[0]}: %{y:,} "
                + unit
                + " (%{customdata[1]})<br>%{customdata[2]}<br><i>%{customdata[3]}</i>"
                "<extra></extra>",
            )
        )
    fig.update_layout(barmode="group", yaxis_title=unit)
    if bars_from_zero:
        fig.update_yaxes(rangemode="tozero")
    notes = []
    if obs.approximate.fillna(False).astype(bool).any():
        notes.append(
            "Hatched bars are approximate: the report gives them as 'over', "
            "'below' or 'around' the value shown."
        )
    finish(
        fig, title, subtitle, " ".join(notes + [source]), official=False, legend=True
    )
    table = obs[["metric_label", *OBSERVATION_COLUMNS]]
    return Chart(fig, title, subtitle, source, alt, table, slug)


def _value_text(value: float, qualifier: str | None, approximate: bool) -> str:
    if pd.isna(value):
        return ""
    number = f"{value:,.0f}"
    return f"{qualifier} {number}" if approximate and qualifier else number


def caseload_ranges(
    obs: pd.DataFrame, *, title: str, subtitle: str, source: str, alt: str, slug: str
) -> Chart:
    """Caseload ranges per team as floating bars from low to high."""
    part = obs.sort_values("value_high")
    fig = go.Figure(
        go.Bar(
            y=part.service_area,
            x=part.value_high - part.value_low,
            base=part.value_low,
            orientation="h",
            marker={"color": FOCUS},
            text=[
                f"{lo:.0f}–{hi:.0f} cases"
                for lo, hi in zip(part.value_low, part.value_high)
            ],
            textposition="outside",
            customdata=part[
                ["period_label", "source_title", "locator", "value_low", "value_high"]
            ].values,
            hovertemplate="<b>%{y}</b><br>%{customdata[3]}–%{customdata[4]} cases per social "
            "worker (%{customdata[0]})<br>%{customdata[1]}<br><i>%{customdata[2]}</i>"
            "<extra></extra>",
        )
    )
    fig.update_layout(xaxis_title="Cases per social worker (range)", yaxis_title="")
    fig.update_xaxes(
        range=[0, float(part.value_high.max()) * 1.3], showgrid=True, gridcolor=GRID
    )
    finish(fig, title, subtitle, source, official=False, height=420)
    table = part[
        [
            "service_area",
            "period_label",
            "value_low",
            "value_high",
            "approximate",
            "qualifier",
            "source_title",
            "locator",
        ]
    ]
    return Chart(fig, title, subtitle, source, alt, table, slug, narrow=_narrow_ranges)


def _narrow_ranges(fig: go.Figure, narrow: Narrow) -> None:
    """For a narrow width: the range labels without the unit the axis title gives,
    and room beyond the longest bar for its label."""
    bars = fig.data[0]
    bars.text = [t.replace(" cases", "") for t in bars.text]
    top = max(b + x for b, x in zip(bars.base, bars.x))
    fig.update_xaxes(range=[0, top * 1.45])


def grade_distribution(
    latest: pd.DataFrame,
    area_code: str,
    *,
    title: str,
    subtitle: str,
    source: str,
    alt: str,
    slug: str,
) -> Chart:
    """How many LAs hold each latest grade, with the focus LA's grade marked."""
    counts = latest.groupby("grade_rank").size().reindex([1, 2, 3, 4], fill_value=0)
    focus = latest[latest.area_code == area_code]
    focus_rank = int(focus.grade_rank.iloc[0]) if len(focus) else None
    labels = [f"{RANK_SYMBOL[r]} {RANK_LABEL[r]}" for r in counts.index]
    fig = go.Figure(
        go.Bar(
            x=labels,
            y=counts.values,
            marker={
                "color": [FOCUS if r == focus_rank else CONTEXT for r in counts.index]
            },
            text=[
                f"{n} LAs" + (" ◀ focus LA here" if r == focus_rank else "")
                for r, n in zip(counts.index, counts.values)
            ],
            textposition="outside",
            hovertemplate="%{x}: %{y} local authorities<extra></extra>",
        )
    )
    fig.update_layout(
        yaxis_title="Local authorities", xaxis_title="Latest overall grade"
    )
    fig.update_yaxes(range=[0, counts.max() * 1.25])
    finish(fig, title, subtitle, source, height=440)
    table = counts.rename("local_authorities").rename_axis("grade_rank").reset_index()
    table.insert(1, "grade", [RANK_LABEL[r] for r in table.grade_rank])
    table["source"] = source
    return Chart(fig, title, subtitle, source, alt, table, slug)


def ranking_bars(
    ranked: pd.DataFrame,
    *,
    area_code: str,
    unit: str,
    title: str,
    subtitle: str,
    source: str,
    alt: str,
    slug: str,
    xaxis_title: str,
    band_labels: dict[str, str] | None = None,
    reference: tuple[str, float] | None = None,
    value_format: str = f",.{DEFAULT_DPS}f",
    focus_text: str | None = None,
    table: pd.DataFrame | None = None,
) -> Chart:
    """Every ranked area as a bar in rank order, the focus highlighted, bands marked.

    ``ranked`` is in rank order with area_code, area_name, value, rank and band;
    rows without a rank are left out of the bars (the table keeps them).
    """
    part = ranked[ranked["rank"].notna()].reset_index(drop=True)
    is_focus = part.area_code == area_code
    fig = go.Figure(
        go.Bar(
            x=part.area_name,
            y=part.value,
            marker={"color": [FOCUS if f else CONTEXT for f in is_focus]},
            customdata=part[["rank"]].astype("int64").values,
            hovertemplate="<b>%{x}</b><br>%{y:"
            + value_format
            + "} "
            + unit
            + "<br>rank %{customdata[0]}<extra></extra>",
            name=unit,
        )
    )
    values = part.value.astype(float)
    top = float(max(values.max(), 0.0, reference[1] if reference else 0.0))
    bottom = float(min(values.min(), 0.0))
    if is_focus.any():
        i = int(is_focus.idxmax())
        row = part.iloc[i]
        fig.add_annotation(
            x=row.area_name,
            y=float(row.value),
            text=focus_text
            or f"<b>{row.area_name}</b><br>rank {int(row['rank'])}: "
            f"{format(float(row.value), value_format)}",
            showarrow=True,
            arrowhead=2,
            arrowcolor=FOCUS,
            ax=40 if i < len(part) / 2 else -40,
            ay=-50,
            font={"color": FOCUS, "size": 12},
            bgcolor="rgba(255,255,255,0.9)",
        )
    if band_labels and part.band.notna().any():
        for band, rows in part.groupby("band", sort=True):
            first, last = int(rows.index.min()), int(rows.index.max())
            if first > 0:
                fig.add_vline(
                    x=first - 0.5, line_color=TEXT, line_dash="dot", line_width=1
                )
            fig.add_annotation(
                x=(first + last) / 2,
                y=1.0,
                yref="paper",
                yanchor="bottom",
                text=f"{band}: {band_labels[band]}",
                showarrow=False,
                font={"size": BAND_SIZE, "color": TEXT},
                name=BAND,
            )
    if reference is not None:
        label, value = reference
        fig.add_hline(y=value, line_color=PALETTE[4], line_dash="dash", line_width=1.5)
        fig.add_annotation(
            x=1,
            xref="paper",
            y=value,
            xanchor="right",
            yanchor="bottom",
            text=f"{label} {format(value, value_format)}",
            showarrow=False,
            font={"size": 11, "color": PALETTE[4]},
            bgcolor="rgba(255,255,255,0.85)",
        )
    fig.update_layout(yaxis_title=unit, xaxis_title=xaxis_title, bargap=0.15)
    fig.update_xaxes(showticklabels=False, ticks="")
    span = (top - bottom) or 1.0
    fig.update_yaxes(
        range=[bottom - (0.05 * span if bottom < 0 else 0), top + 0.12 * span]
    )
    finish(fig, title, subtitle, source, height=480)
    place_bands(fig, desktop_plot_width(fig))
    frame_again(fig)
    return Chart(
        fig,
        title,
        subtitle,
        source,
        alt,
        ranked if table is None else table,
        slug,
        narrow=_narrow_bands,
    )


BAND = "band-label"  # names the labels of the bands over a ranking's bars
BAND_SIZE = 11  # px


def place_bands(fig: go.Figure, plot: float) -> None:
    """Put the bands' labels over their bars in a plot ``plot`` px wide: each centred
    on its band but kept inside the plot, in rows so that neighbours never meet, and
    the rows' height kept free above the plot (charts.frame reserves it)."""
    labels = [a for a in fig.layout.annotations if a.name == BAND]
    if not labels:
        return
    bars = len(fig.data[0].x)
    meta = dict(fig.layout.meta)
    # Each band's middle bar, kept from the first placement (which moves the labels).
    middles = meta["frame"].get("bands") or [float(a.x) for a in labels]
    meta["frame"] = {**meta["frame"], "bands": middles}
    fig.layout.meta = meta
    placed = []
    for label, middle in zip(labels, middles):
        text = wrap_html(label.text.replace("<br>", " "), plot, BAND_SIZE)
        width = max(text_width(line, BAND_SIZE) for line in text.split("<br>"))
        width = min(width, plot)
        # A category axis runs from -0.5 to bars - 0.5.
        centre = (middle + 0.5) / bars * plot
        centre = min(max(centre, width / 2), plot - width / 2)
        placed.append((centre - width / 2, centre + width / 2, label, text))
    placed.sort(key=lambda p: p[0])
    rows = stack_rows([(left, right) for left, right, _, _ in placed], gap=6)
    heights: dict[int, float] = {}
    for (_, _, _, text), row in zip(placed, rows):
        lines = text.count("<br>") + 1
        heights[row] = max(heights.get(row, 0.0), line_height(BAND_SIZE, lines))
    for (left, right, label, text), row in zip(placed, rows):
        below = sum(heights[r] for r in range(row))
        label.update(
            text=text,
            x=(left + right) / 2 / plot,
            xref="paper",
            xanchor="center",
            yshift=below,
        )
    reserve_band(fig, sum(heights.values()) + 4)


def _narrow_bands(fig: go.Figure, narrow: Narrow) -> None:
    place_bands(fig, narrow.plot)
