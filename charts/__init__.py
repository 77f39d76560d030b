"""Every Plotly figure of the dashboard, built to one Analysis Function style."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from metrics.config import OGL_ATTRIBUTION
from metrics.grades import RANK_LABEL, RANK_SYMBOL

# Analysis Function categorical palette, in order; focus against grey.
PALETTE = ["#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1"]
FOCUS = "#12436D"
# AF suggests #BFBFBF for context series; it has 1.8:1 contrast on white, so a
# darker grey that keeps 3:1 against both the background and the focus blue.
CONTEXT = "#949494"
GRID = "#D6D6D6"
TEXT = "#0B0C0C"
BACKGROUND = "#FFFFFF"
TRUST_FILL = "rgba(40, 161, 151, 0.10)"
# Roles of comparator series -> colour, dash.
ROLE_STYLE = {
    "focus": (PALETTE[0], "solid"),
    "england": (PALETTE[4], "dash"),
    "region": (PALETTE[1], "dot"),
    "neighbours": (PALETTE[3], "dashdot"),
}
GRADE_COLOUR = {1: PALETTE[1], 2: PALETTE[0], 3: PALETTE[3], 4: PALETTE[2]}
TEMPLATE = "af"
# What a chart's table (and CSV) gives for each plotted observation.
OBSERVATION_COLUMNS = [
    "period_label",
    "period_end",
    "value",
    "approximate",
    "qualifier",
    "source_title",
    "locator",
]


def _register() -> None:
    pio.templates[TEMPLATE] = go.layout.Template(
        layout=go.Layout(
            font={"family": "Arial, Helvetica, sans-serif", "size": 14, "color": TEXT},
            paper_bgcolor=BACKGROUND,
            plot_bgcolor=BACKGROUND,
            colorway=PALETTE,
            xaxis={
                "showgrid": False,
                "linecolor": TEXT,
                "ticks": "outside",
                "zeroline": False,
            },
            yaxis={
                "gridcolor": GRID,
                "zeroline": False,
                "linecolor": TEXT,
                "automargin": True,
            },
            hoverlabel={"bgcolor": BACKGROUND, "font": {"color": TEXT}},
            legend={"orientation": "h", "y": -0.22, "x": 0},
            margin={"t": 110, "b": 120, "l": 20, "r": 20},
        )
    )


_register()


@dataclass
class Chart:
    """A figure with what makes it stand alone: message title, source, alt, table."""

    fig: go.Figure
    title: str
    subtitle: str
    source: str
    alt: str
    table: pd.DataFrame
    slug: str
    notes: list[str] = field(default_factory=list)
    # Set when the chart is built once and shared (the dashboard's chart cache): the
    # builder and arguments that determine it, so its display can be cached too.
    cache_key: tuple | None = None


def slugify(*parts: object) -> str:
    """File-name-safe stem from parts, e.g. 'doncaster-assessments-2016-2025'."""
    text = "-".join(str(p) for p in parts if p not in (None, ""))
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def source_line(sources: list[str], as_at: str | None) -> str:
    """'Source: A; B. As at DATE.' plus the OGL line."""
    text = "Source: " + "; ".join(dict.fromkeys(s for s in sources if s)) + "."
    if as_at:
        text += f" As at {as_at}."
    return text


FOOTER_CHARS = 110  # characters per source line (11 px type, about 6 px a character)


def wrap(text: str, width: int) -> list[str]:
    """Split text into lines of at most ``width`` characters (Plotly does not wrap)."""
    return textwrap.wrap(text, width, break_long_words=False) or [""]


def _finish(
    fig: go.Figure,
    title: str,
    subtitle: str,
    source: str,
    *,
    official: bool = True,
    height: int = 520,
    legend: bool = False,
) -> go.Figure:
    """Put the message title, subtitle and source inside the figure, sized to fit."""
    title_lines = wrap(title, 78)
    subtitle_lines = wrap(subtitle, 120)
    # The footer starts at the plot area's left edge, so it must fit the plot area,
    # which long y-axis labels (e.g. the grade chart's) narrow to about 650 px.
    footer_lines = wrap(source, FOOTER_CHARS) + (
        wrap(OGL_ATTRIBUTION, FOOTER_CHARS) if official else []
    )
    top = 24 + 24 * len(title_lines) + 18 * len(subtitle_lines) + (34 if legend else 8)
    axis_title = 26 if fig.layout.xaxis.title.text else 0
    bottom = 60 + axis_title + 18 * len(footer_lines)
    fig.update_layout(
        template=TEMPLATE,
        height=height + top + bottom - 200,
        margin={"t": top, "b": bottom},
        title={
            "text": "<b>"
            + "<br>".join(title_lines)
            + "</b><br><span style='font-size:13px'>"
            + "<br>".join(subtitle_lines)
            + "</span>",
            "x": 0.01,
            "xanchor": "left",
            "xref": "container",
            "y": 1,
            "yanchor": "top",
            "yref": "container",
            "pad": {"t": 14},
        },
        showlegend=legend,
        legend={
            "orientation": "h",
            "x": 0,
            "y": 1.0,
            "yanchor": "bottom",
            "xanchor": "left",
        },
    )
    fig.add_annotation(
        text="<span style='font-size:11px'>" + "<br>".join(footer_lines) + "</span>",
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-44 - axis_title,
        showarrow=False,
        xanchor="left",
        yanchor="top",
        align="left",
    )
    return fig


def _spread(values: list[float], gap: float) -> list[float]:
    """Nudge label positions apart so no two are closer than ``gap``."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    placed = list(values)
    for a, b in zip(order, order[1:]):
        if placed[b] - placed[a] < gap:
            placed[b] = placed[a] + gap
    return placed


def add_trust_period(
    fig: go.Figure, period: tuple[pd.Timestamp, pd.Timestamp] | None
) -> None:
    """Shade and label the Trust's period on a time axis."""
    if period is None:
        return
    start, end = period
    fig.add_vrect(x0=start, x1=end, fillcolor=TRUST_FILL, line_width=0, layer="below")
    fig.add_annotation(
        x=start + (end - start) / 2,
        y=0.02,
        yref="paper",
        yanchor="bottom",
        text=f"Trust runs services ({start:%d %b %Y} – {end:%d %b %Y})",
        showarrow=False,
        font={"size": 11, "color": TEXT},
    )


def add_deadlines(fig: go.Figure, targets: pd.DataFrame) -> None:
    """Draw each contract deadline as a labelled vertical line."""
    for i, t in enumerate(targets.itertuples()):
        when = pd.Timestamp(t.deadline)
        fig.add_vline(x=when, line_color=PALETTE[2], line_dash="dash", line_width=1.5)
        fig.add_annotation(
            x=when,
            y=0.93 - 0.09 * i,
            yref="paper",
            xanchor="left",
            text=f"Target: {t.grade.lower()} by {when:%b %Y}",
            showarrow=False,
            font={"size": 11, "color": PALETTE[2]},
            bgcolor="rgba(255,255,255,0.85)",
        )


def _hover(unit: str) -> str:
    return (
        "<b>%{fullData.name}</b><br>%{customdata[0]}: %{y:,.4~f} "
        + unit
        + "<br>%{customdata[1]}<br><i>%{customdata[2]}</i><extra></extra>"
    )


def comparator_lines(
    series: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    unit: str,
    source: str,
    alt: str,
    slug: str,
    trust: tuple[pd.Timestamp, pd.Timestamp] | None = None,
    targets: pd.DataFrame | None = None,
) -> Chart:
    """Focus LA against England, region and neighbours' mean over time, labelled directly."""
    fig = go.Figure()
    ends: list[tuple[str, str, pd.Timestamp, float]] = []
    for role in ("neighbours", "region", "england", "focus"):
        part = series[series.role == role].sort_values("period_end")
        if part.empty:
            continue
        colour, dash = ROLE_STYLE[role]
        name = part.series.iloc[0]
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(part.period_end),
                y=part.value,
                name=name,
                mode="lines+markers",
                line={
                    "color": colour,
                    "dash": dash,
                    "width": 3.5 if role == "focus" else 2,
                },
                marker={"size": 8 if role == "focus" else 5},
                customdata=part[["period_label", "source_title", "locator"]].values,
                hovertemplate=_hover(unit),
            )
        )
        last = part.dropna(subset=["value"]).tail(1)
        if len(last):
            ends.append(
                (
                    role,
                    name,
                    pd.Timestamp(last.period_end.iloc[0]),
                    float(last.value.iloc[0]),
                )
            )
    values = series.value.dropna()
    span = float(values.max() - values.min()) or 1.0
    for (role, name, when, _value), y in zip(
        ends, _spread([e[3] for e in ends], span * 0.07)
    ):
        fig.add_annotation(
            x=when,
            y=y,
            text=f"<b>{name}</b>" if role == "focus" else name,
            xanchor="left",
            xshift=10,
            showarrow=False,
            font={"color": ROLE_STYLE[role][0], "size": 12},
        )
    add_trust_period(fig, trust)
    if targets is not None:
        add_deadlines(fig, targets)
    dates = pd.to_datetime(series.period_end)
    start = min(dates.min(), trust[0]) if trust else dates.min()
    label_room = max(len(e[1]) for e in ends) * 7 if ends else 0
    fig.update_layout(yaxis_title=unit, margin={"r": 30 + label_room})
    fig.update_xaxes(
        range=[start - pd.Timedelta(days=120), dates.max() + pd.Timedelta(days=90)]
    )
    _finish(fig, title, subtitle, source)
    table = series.rename(columns={"series": "area"})[["area", *OBSERVATION_COLUMNS]]
    return Chart(fig, title, subtitle, source, alt, table, slug)


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
    _finish(
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
    _finish(fig, title, subtitle, source, official=False, height=420)
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
    return Chart(fig, title, subtitle, source, alt, table, slug)


def grade_steps(
    judgements: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    source: str,
    alt: str,
    slug: str,
    trust=None,
    targets: pd.DataFrame | None = None,
    until: pd.Timestamp | None = None,
) -> Chart:
    """Overall Ofsted grade over time on the one ordinal scale, as a step line."""
    j = judgements.sort_values("decided_on")
    x = list(pd.to_datetime(j.decided_on))
    y = list(j.grade_rank)
    if until is not None and x:
        x.append(until)
        y.append(y[-1])
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=x,
            y=y,
            mode="lines",
            line={"shape": "hv", "color": FOCUS, "width": 3},
            hoverinfo="skip",
            name="Grade in force",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=pd.to_datetime(j.decided_on),
            y=j.grade_rank,
            mode="markers+text",
            marker={
                "size": 13,
                "color": [GRADE_COLOUR[r] for r in j.grade_rank],
                "line": {"color": TEXT, "width": 1},
            },
            text=[
                f"{RANK_SYMBOL[r]} {g}" for r, g in zip(j.grade_rank, j.overall_grade)
            ],
            textposition="top center",
            name="Judgement",
            customdata=j[["framework", "inspection_start", "source_title", "locator"]]
            .astype(str)
            .values,
            hovertemplate="<b>%{text}</b><br>%{customdata[0]}, inspected from "
            "%{customdata[1]}<br>%{customdata[2]}<br><i>%{customdata[3]}</i><extra></extra>",
        )
    )
    add_trust_period(fig, trust)
    if targets is not None:
        add_deadlines(fig, targets)
    fig.update_yaxes(
        autorange=False,
        range=[4.6, 0.4],
        tickvals=[1, 2, 3, 4],
        ticktext=[f"{RANK_SYMBOL[r]} {RANK_LABEL[r]}" for r in (1, 2, 3, 4)],
        title="Overall grade",
        rangemode="normal",
    )
    fig.update_layout(xaxis_title="Judgement published")
    _finish(fig, title, subtitle, source)
    table = j[
        [
            "decided_on",
            "framework",
            "inspection_type",
            "overall_grade",
            "grade_rank",
            "source_title",
            "locator",
        ]
    ]
    return Chart(fig, title, subtitle, source, alt, table, slug)


def grade_distribution(
    latest: pd.DataFrame,
    focus_code: str,
    *,
    title: str,
    subtitle: str,
    source: str,
    alt: str,
    slug: str,
) -> Chart:
    """How many LAs hold each latest grade, with the focus LA's grade marked."""
    counts = latest.groupby("grade_rank").size().reindex([1, 2, 3, 4], fill_value=0)
    focus = latest[latest.area_code == focus_code]
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
    _finish(fig, title, subtitle, source, height=440)
    table = counts.rename("local_authorities").rename_axis("grade_rank").reset_index()
    table.insert(1, "grade", [RANK_LABEL[r] for r in table.grade_rank])
    table["source"] = source
    return Chart(fig, title, subtitle, source, alt, table, slug)


def milestone_timeline(
    milestones: pd.DataFrame,
    *,
    title: str,
    subtitle: str,
    source: str,
    alt: str,
    slug: str,
) -> Chart:
    """The improvement timeline: one row per milestone, earliest at the top."""
    m = milestones.sort_values("milestone_date").reset_index(drop=True)
    m["row"] = [
        f"{lbl} ({date_text(d, p)})"
        for lbl, d, p in zip(m.label, m.milestone_date, m.date_precision)
    ]
    kinds = list(dict.fromkeys(m.kind))
    symbols = [
        "diamond",
        "circle",
        "square",
        "triangle-up",
        "star",
        "x",
        "cross",
        "hexagon",
    ]
    dates = pd.to_datetime(m.milestone_date)
    middle = dates.min() + (dates.max() - dates.min()) / 2
    fig = go.Figure()
    for i, k in enumerate(kinds):
        part = m[m.kind == k]
        when = pd.to_datetime(part.milestone_date)
        fig.add_trace(
            go.Scatter(
                x=when,
                y=part.row,
                mode="markers+text",
                name=k,
                text=part.row,
                textposition=[
                    "middle right" if d < middle else "middle left" for d in when
                ],
                textfont={"size": 12},
                marker={
                    "size": 11,
                    "color": PALETTE[i % len(PALETTE)],
                    "symbol": symbols[i % len(symbols)],
                },
                customdata=part[["source_title", "locator", "date_rule"]].values,
                hovertemplate="<b>%{y}</b><br>%{customdata[0]}<br>"
                "<i>%{customdata[1]}</i><br>date rule: %{customdata[2]}<extra></extra>",
            )
        )
    fig.update_yaxes(
        categoryorder="array",
        categoryarray=list(m.row[::-1]),
        showticklabels=False,
        showgrid=False,
        title="",
    )
    fig.update_xaxes(
        showgrid=True,
        gridcolor=GRID,
        range=[
            dates.min() - pd.Timedelta(days=200),
            dates.max() + pd.Timedelta(days=200),
        ],
    )
    _finish(
        fig,
        title,
        subtitle,
        source,
        official=False,
        height=28 * len(m) + 160,
        legend=True,
    )
    table = m[
        ["milestone_date", "date_precision", "kind", "label", "source_title", "locator"]
    ]
    return Chart(fig, title, subtitle, source, alt, table, slug)


def date_text(date: object, precision: str) -> str:
    """A date as precisely as it is known: '2011', 'May 2011' or '19 Jan 2018'."""
    d = pd.Timestamp(date)
    return {"year": f"{d:%Y}", "month": f"{d:%b %Y}"}.get(precision, f"{d:%d %b %Y}")


def bars_latest(
    frame: pd.DataFrame,
    *,
    value_col: str,
    label_col: str,
    focus_label: str,
    unit: str,
    title: str,
    subtitle: str,
    source: str,
    alt: str,
    slug: str,
) -> Chart:
    """Horizontal bars of one latest value per area, the focus LA highlighted."""
    part = frame.dropna(subset=[value_col]).sort_values(value_col)
    fig = go.Figure(
        go.Bar(
            y=part[label_col],
            x=part[value_col],
            orientation="h",
            marker={
                "color": [
                    FOCUS if lbl == focus_label else CONTEXT for lbl in part[label_col]
                ]
            },
            text=[f"{v:,.1f}" for v in part[value_col]],
            textposition="outside",
            hovertemplate="%{y}: %{x:,.1f} " + unit + "<extra></extra>",
        )
    )
    fig.update_layout(xaxis_title=unit)
    fig.update_xaxes(rangemode="tozero", showgrid=True, gridcolor=GRID)
    _finish(fig, title, subtitle, source, height=max(380, 34 * len(part) + 220))
    return Chart(fig, title, subtitle, source, alt, frame, slug)


def benchmark_lines(
    series: pd.DataFrame,
    *,
    neighbours: pd.DataFrame | None = None,
    title: str,
    subtitle: str,
    unit: str,
    source: str,
    alt: str,
    slug: str,
) -> Chart:
    """Comparator lines, with each statistical neighbour as a thin grey line if given.

    ``neighbours`` has one row per neighbour and period: area_name, period_end,
    period_label, value, source_title, locator.
    """
    chart = comparator_lines(
        series,
        title=title,
        subtitle=subtitle,
        unit=unit,
        source=source,
        alt=alt,
        slug=slug,
    )
    if neighbours is None or neighbours.dropna(subset=["value"]).empty:
        return chart
    fig = chart.fig
    drawn = len(fig.data)
    valued = neighbours.dropna(subset=["value"])
    for name, part in valued.groupby("area_name", sort=False):
        part = part.sort_values("period_end")
        fig.add_trace(
            go.Scatter(
                x=pd.to_datetime(part.period_end),
                y=part.value,
                name=name,
                mode="lines",
                line={"color": CONTEXT, "width": 1},
                showlegend=False,
                customdata=part[["period_label", "source_title", "locator"]].values,
                hovertemplate=_hover(unit),
            )
        )
    # Neighbours go first so the comparator series are drawn on top of them.
    fig.data = fig.data[drawn:] + fig.data[:drawn]
    # The neighbours widen the y range: space the end labels for the wider range.
    values = pd.concat([series.value, valued.value]).dropna()
    span = float(values.max() - values.min()) or 1.0
    ends = [a for a in fig.layout.annotations if a.xshift == 10]
    for label, y in zip(ends, _spread([a.y for a in ends], span * 0.07)):
        label.y = y
    extra = valued.rename(columns={"area_name": "area"}).assign(
        approximate=False, qualifier=None
    )[list(chart.table.columns)]
    table = pd.concat([chart.table, extra], ignore_index=True)
    return Chart(fig, title, subtitle, source, alt, table, slug)


def ranking_bars(
    ranked: pd.DataFrame,
    *,
    focus_code: str,
    unit: str,
    title: str,
    subtitle: str,
    source: str,
    alt: str,
    slug: str,
    xaxis_title: str,
    band_labels: dict[str, str] | None = None,
    reference: tuple[str, float] | None = None,
    value_format: str = ",.1f",
    focus_text: str | None = None,
    table: pd.DataFrame | None = None,
) -> Chart:
    """Every ranked area as a bar in rank order, the focus highlighted, bands marked.

    ``ranked`` is in rank order with area_code, area_name, value, rank and band;
    rows without a rank are left out of the bars (the table keeps them).
    """
    part = ranked[ranked["rank"].notna()].reset_index(drop=True)
    is_focus = part.area_code == focus_code
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
                font={"size": 11, "color": TEXT},
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
    _finish(fig, title, subtitle, source, height=480)
    return Chart(
        fig, title, subtitle, source, alt, ranked if table is None else table, slug
    )
