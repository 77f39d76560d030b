"""Scorecard: the improvement plan's measures against their targets, then the headline
indicators; a chart of each measure against its trajectory."""

import streamlit as st

from charts.export import csv_bytes, xlsx_bytes
from ui.adjust import page_group_control
from ui.context import current
from ui.data import cached, q
from ui.display import model_control, show_sections
from views.loads import template_bytes
from views.pages import SCORECARD
from views.scorecard import (
    EXCEPTIONS,
    PLAN_STATUS_TEXT,
    Scorecard,
    scorecard,
    text_table,
)

context = current()
area = context.area
model = model_control()
group = page_group_control("scorecard")
card = cached(scorecard, area, model, group)

st.title(SCORECARD.heading_for(area.name))
if not card.has_targets:
    st.info(
        f"No improvement plan targets are loaded for {area.name}. To set them, fill "
        "in the targets template (one row per checkpoint: the measure, the month end "
        "it is due, the target and, if the measure has no better direction, "
        "'at least' or 'at most'), then load it on the Load monthly figures and "
        "targets page, or with `python -m metrics targets FILE`. The headline "
        "indicators are listed below meanwhile."
    )
    left, right = st.columns(2)
    left.download_button(
        "Download the targets template (Excel .xlsx)",
        template_bytes("targets", "xlsx"),
        file_name="targets_template.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    right.download_button(
        "Download the targets template (CSV)",
        template_bytes("targets", "csv"),
        file_name="targets_template.csv",
        mime="text/csv",
    )
else:
    st.caption(
        "Status is computed, never typed in: a checkpoint that is due is met or "
        "missed by the latest figure for a period ending on or before it; one still "
        "ahead is on or off track by where the latest figure stands against the "
        "straight line from the previous checkpoint (or the baseline) to it. "
        "Official figures win over local ones for the same period."
    )
    counts = st.columns(len(card.counts))
    for column, (status, n) in zip(counts, card.counts.items()):
        column.metric(PLAN_STATUS_TEXT[status], n)


@st.fragment
def measures(card: Scorecard, narrow: bool) -> None:
    """The measures, all or only those off track or missed, as a table or cards,
    and their downloads: the filter runs this part of the page alone."""
    exceptions = st.toggle(
        "Only measures off track or missed", disabled=not card.has_targets
    )
    table = card.table
    if exceptions:
        wanted = {PLAN_STATUS_TEXT[s] for s in EXCEPTIONS}
        table = table[table.status.isin(wanted)]
    shown = card.shown(exceptions)
    if not narrow:
        # At the desktop width a table whose cells wrap, so no column is cut or scrolls
        # out of sight.
        st.table(text_table(shown, card.reference), hide_index=True)
    else:
        # Narrower (a phone, a tablet, a split screen): a card a measure, nothing
        # scrolling sideways.
        for measure in shown:
            with st.container(border=True, key=f"card-{measure.metric_id}"):
                st.markdown(measure.markdown())
    export = table.assign(trend=[", ".join(f"{v:g}" for v in t) for t in table.trend])
    left, right = st.columns(2)
    left.download_button(
        "Download the scorecard (CSV)",
        lambda: csv_bytes(export),
        file_name=f"{card.stem}.csv",
        mime="text/csv",
        on_click="ignore",
    )

    right.download_button(
        "Download the scorecard (Excel .xlsx)",
        lambda: xlsx_bytes({"Scorecard": export}),
        file_name=f"{card.stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
    )


measures(card, context.width is not None)

if card.has_targets:
    show_sections(SCORECARD, area, model, group)
    changed = q("target_revisions", area.code)
    if not changed.empty:
        st.subheader("Targets changed by a later file")
        st.caption("Every earlier value of each changed checkpoint, oldest first.")
        st.dataframe(changed, hide_index=True)
