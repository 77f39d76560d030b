"""Sources and caveats: every source, the data dictionary, caveats, the build report."""

import streamlit as st

from ui.data import q
from ui.state import require_app
from views.freshness import update_summary
from views.sources import ATTRIBUTION, caveats, freshness_table, update_heading

require_app()

st.title("Sources and caveats")
st.write(ATTRIBUTION)

st.subheader("Sources")
st.dataframe(q("sources"), hide_index=True)

st.subheader("How fresh the data are")
st.dataframe(
    freshness_table(q("freshness")),
    hide_index=True,
    column_config={
        "title": "Source",
        "last_updated": st.column_config.DateColumn("Last updated"),
        "measures": "Measures",
        "next_update": "Next update (from the publisher's dictionary)",
        "measures_overdue": "Measures whose expected update date has passed",
    },
)
updates = q("data_updates")
if updates.empty:
    st.caption(
        "No official file has changed since the database was first built here: a "
        "newer release dropped into data/raw is compared with the one it replaces, "
        "and every new, revised or removed figure is listed here."
    )
else:
    for build_id, update in updates.groupby("build_id", sort=False):
        with st.expander(update_heading(update)):
            for line in update_summary(update):
                st.markdown(f"- {line}")
            changes = q("data_changes", build_id)
            st.download_button(
                f"Download the {len(changes):,} changes (CSV)",
                lambda changes=changes: changes.to_csv(index=False).encode("utf-8"),
                file_name=f"data-changes-{build_id}.csv",
                mime="text/csv",
                key=f"changes-{build_id}",
                on_click="ignore",
            )
            st.dataframe(changes.head(1000), hide_index=True)
            if len(changes) > 1000:
                st.caption("The first 1,000 changes; the CSV has them all.")

st.subheader("Data dictionary")
dictionary = q("dictionary")
search = st.text_input("Filter the dictionary", placeholder="e.g. assessment, caseload")
if search:
    mask = (
        dictionary.label.str.contains(search, case=False, regex=False)
        | dictionary.metric_id.str.contains(search, case=False, regex=False)
        | dictionary.topic.fillna("").str.contains(search, case=False, regex=False)
    )
    dictionary = dictionary[mask]
st.dataframe(dictionary, hide_index=True)
st.caption(f"{len(dictionary)} measures shown.")

st.subheader("Caveats")
st.markdown(caveats())

st.subheader("What the last build reported")
info = q("build_info")
st.write(f"Built {info.get('built_at')} in {info.get('build_seconds')} s.")
st.dataframe(q("build_report"), hide_index=True)
