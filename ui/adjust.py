"""The control that adjusts a chart: its y axis, its comparator lines and local
authorities added by name. The choices live in the page's address (views.options
says how), so a link reproduces the adjusted chart."""

from __future__ import annotations

import streamlit as st

from ui.data import area_names
from ui.state import to_address
from views.options import COMPARATORS, DEFAULT_SHOWN, MAX_ADDED, Y_AXES, ChartOptions


def adjust_control(
    key: str,
    *,
    y_default: str,
    comparators: tuple[str, ...] = (),
    add: bool = False,
    label: str | None = None,
) -> ChartOptions:
    """Draw the control for the chart named ``key`` and return its choices.

    ``y_default`` is the chart's own y axis ("zero" or "fitted"); ``comparators``
    the comparator lines it may show; ``add`` whether areas may be added.
    """
    names = area_names()
    state = f"adjust-{key}"
    # The address gives the first values; the widgets keep them after that.
    start = ChartOptions.from_params(st.query_params.to_dict(), key, names)
    y_axes = list(Y_AXES)
    # An expander, not a popover: its controls follow it in the keyboard's order.
    # Its controls are sent only once it is opened; closed, the address holds the
    # choices.
    box = st.expander(
        label or "Adjust this chart",
        icon=":material/tune:",
        key=f"{state}-open",
        on_change="rerun",
    )
    if not box.open:
        return _from_address(start, y_default, comparators, add)
    with box:
        y_axis = st.radio(
            "Y axis",
            y_axes,
            index=y_axes.index(start.y_axis or y_default),
            format_func=lambda v: (
                Y_AXES[v] + (" (as published)" if v == y_default else "")
            ),
            key=f"{state}-y",
        )
        shown = list(DEFAULT_SHOWN)
        if comparators:
            shown = st.multiselect(
                "Comparator lines",
                list(comparators),
                default=[c for c in start.shown if c in comparators],
                format_func=COMPARATORS.get,
                key=f"{state}-show",
                help="Clicking a line's name in the chart's legend also hides it, "
                "until the page is reloaded.",
            )
            # Lines this chart never offers keep their default, so the address
            # records only real choices.
            shown += [c for c in DEFAULT_SHOWN if c not in comparators]
        added: list[str] = []
        if add:
            added = st.multiselect(
                f"Add local authorities (up to {MAX_ADDED})",
                list(names),
                default=list(start.added),
                format_func=names.get,
                max_selections=MAX_ADDED,
                key=f"{state}-add",
                placeholder="Type a local authority's name",
            )
    options = ChartOptions(
        y_axis="" if y_axis == y_default else y_axis,
        shown=tuple(shown),
        added=tuple(added),
    )
    to_address(options.params(key), prefix=f"{key}.")
    return options


def _from_address(
    start: ChartOptions, y_default: str, comparators: tuple[str, ...], add: bool
) -> ChartOptions:
    """The choices of a closed control: the address's, as its widgets would keep
    them."""
    y_axis = start.y_axis or y_default
    shown = list(DEFAULT_SHOWN)
    if comparators:
        shown = [c for c in start.shown if c in comparators]
        shown += [c for c in DEFAULT_SHOWN if c not in comparators]
    return ChartOptions(
        y_axis="" if y_axis == y_default else y_axis,
        shown=tuple(shown),
        added=start.added if add else (),
    )
