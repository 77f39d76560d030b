"""The control that adjusts a chart: its y axis, its comparator lines and local
authorities added by name. The choices live in the page's address (views.options
says how), so a link reproduces the adjusted chart."""

from __future__ import annotations

import streamlit as st

from metrics.loading.files import FileRejected
from ui.data import area_names
from ui.state import to_address
from views.groups import group_file, read_group_file
from views.options import (
    COMPARATORS,
    DEFAULT_SHOWN,
    MAX_ADDED,
    MAX_OWN,
    PRESETS,
    STATISTICS,
    Y_AXES,
    ChartOptions,
    group_from,
    own_codes,
)

OWN = "own"  # the group control's choice of LAs picked by name


def adjust_control(
    key: str,
    *,
    y_default: str,
    comparators: tuple[str, ...] = (),
    add: bool = False,
    label: str | None = None,
    groups: bool = True,
) -> ChartOptions:
    """Draw the control for the chart named ``key`` and return its choices.

    ``y_default`` is the chart's own y axis ("zero" or "fitted"); ``comparators``
    the comparator lines it may show; ``add`` whether areas may be added; ``groups``
    whether the group line's group may be chosen (where it may be shown).
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
        return _from_address(start, y_default, comparators, add, groups)
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
        group, stat = "", ""
        if groups and "neighbours" in comparators:
            group, stat = group_control(state, start, names)
    options = ChartOptions(
        y_axis="" if y_axis == y_default else y_axis,
        shown=tuple(shown),
        added=tuple(added),
        group=group,
        stat=stat,
    )
    to_address(options.params(key), prefix=f"{key}.")
    return options


def group_control(
    state: str, start: ChartOptions, names: dict[str, str]
) -> tuple[str, str]:
    """A chart's comparison group and its statistic: by default the page's
    statistical neighbours."""
    group = group_picker(state, start.group, names)
    stat = st.radio(
        "Group figure",
        STATISTICS,
        index=STATISTICS.index(start.stat or STATISTICS[0]),
        horizontal=True,
        key=f"{state}-stat",
        help="Of the group's LAs with a figure for each period; the focus LA is "
        "never in its own group's figure.",
    )
    return group, stat


def group_picker(
    state: str,
    start: str,
    names: dict[str, str],
) -> str:
    """A comparison group: the page's statistical neighbours (""), a preset, or up
    to 15 LAs chosen by name (their codes, comma-separated). ``start`` is the group
    the widgets begin with."""
    presets = {"": "Statistical neighbours (the page's model)", **PRESETS}
    choices = [*presets, OWN]
    first = start if start in presets else (OWN if start else choices[0])
    choice = st.selectbox(
        "Comparison group",
        choices,
        index=choices.index(first),
        format_func=lambda g: presets.get(
            g, f"Local authorities I choose (up to {MAX_OWN})"
        ),
        key=f"{state}-group",
        help="Its mean or median is drawn where the statistical neighbours' average "
        "was; the group is kept in the page's address.",
    )
    if choice != OWN:
        return choice
    st.file_uploader(
        "Load a saved group (CSV)",
        type=["csv"],
        key=f"{state}-file",
        on_change=load_group,
        args=(state, names),
        help=f"A file saved here: columns area_code and local_authority, up to "
        f"{MAX_OWN} rows.",
    )
    problem = st.session_state.get(f"{state}-problem")
    if problem is not None:
        st.error("The group file was not loaded; the group is unchanged.")
        st.dataframe(problem, hide_index=True)
    picked = st.multiselect(
        f"Local authorities in the group (up to {MAX_OWN})",
        list(names),
        # A loaded file sets the widget's state: then no default as well.
        default=None
        if f"{state}-own" in st.session_state
        else [c for c in own_codes(start) if c in names]
        if first == OWN
        else [],
        format_func=names.get,
        max_selections=MAX_OWN,
        key=f"{state}-own",
        placeholder="Type a local authority's name",
    )
    if picked:
        st.download_button(
            "Save this group (CSV)",
            group_file(tuple(picked), names),
            file_name="comparison_group.csv",
            mime="text/csv",
            key=f"{state}-save",
            on_click="ignore",
        )
    return ",".join(picked)


def load_group(state: str, names: dict[str, str]) -> None:
    """Take a group file just uploaded into the group's LAs, or keep why it was
    refused (file, row, column) and change nothing."""
    upload = st.session_state.get(f"{state}-file")
    st.session_state.pop(f"{state}-problem", None)
    if upload is None:
        return
    try:
        codes = read_group_file(upload.getvalue(), upload.name, names)
    except FileRejected as refused:
        st.session_state[f"{state}-problem"] = refused.table().assign(file=upload.name)
        return
    st.session_state[f"{state}-own"] = list(codes)


def group_from_address(kept: object, names: dict[str, str]) -> str:
    """The page's comparison group: the address's (group=), else this session's,
    else "" (the statistical neighbours of the page's model)."""
    for spec in (st.query_params.get("group"), kept):
        if isinstance(spec, str) and group_from(spec, names):
            return group_from(spec, names)
    return ""


def page_group_control(state: str) -> ChartOptions:
    """A page's comparison group and its statistic (kept in the address as group=
    and stat=), as the options its views take."""
    names = area_names()
    start = group_from_address(None, names)
    stat_start = st.query_params.get("stat", STATISTICS[0])
    with st.expander("Comparison group", icon=":material/group:"):
        group = group_picker(state, start, names)
        stat = st.radio(
            "Group figure",
            STATISTICS,
            index=STATISTICS.index(stat_start if stat_start in STATISTICS else "mean"),
            horizontal=True,
            key=f"{state}-stat",
            help="Of the group's LAs with a figure for each period; the focus LA is "
            "never in its own group's figure.",
        )
    options = ChartOptions(group=group, stat=stat)
    to_address({"group": group} if group else {}, prefix="group")
    to_address({"stat": options.stat} if options.stat else {}, prefix="stat")
    return options


def _from_address(
    start: ChartOptions,
    y_default: str,
    comparators: tuple[str, ...],
    add: bool,
    groups: bool,
) -> ChartOptions:
    """The choices of a closed control: the address's, as its widgets would keep
    them."""
    y_axis = start.y_axis or y_default
    grouped = groups and "neighbours" in comparators
    shown = list(DEFAULT_SHOWN)
    if comparators:
        shown = [c for c in start.shown if c in comparators]
        shown += [c for c in DEFAULT_SHOWN if c not in comparators]
    return ChartOptions(
        y_axis="" if y_axis == y_default else y_axis,
        shown=tuple(shown),
        added=start.added if add else (),
        group=start.group if grouped else "",
        stat=start.stat if grouped else "",
    )
