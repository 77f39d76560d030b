"""Sources and caveats: every source, the data dictionary, caveats, the build report."""

import streamlit as st

from ui.data import cached, q
from ui.state import require_app
from views.documents import document_figures_table
from views.freshness import release_status, update_summary
from views.sources import ATTRIBUTION, caveats, update_heading

require_app()

st.title("Sources and caveats")
st.write(ATTRIBUTION)

st.subheader("Sources")
st.dataframe(q("sources"), hide_index=True)

st.subheader("Figures quoted in the documents")
st.caption(
    "Each figure as the document gives it, the date it is stored at (as precisely as "
    "it is known) and the rule that read it (docs/DATA_DICTIONARY.md, section 5)."
)
st.dataframe(
    cached(document_figures_table),
    hide_index=True,
    column_config={
        "period": "Period (as given)",
        "date": "Stored as",
        "date_rule": "Date rule",
        "statement": "Stated more than once",
        "locator": "Where in the source",
    },
)

st.subheader("How fresh the data are")
status = release_status(q("releases_in_use"))
st.dataframe(
    status[["title", "release", "published", "next_expected", "status", "files"]],
    hide_index=True,
    column_config={
        "title": "Source",
        "release": "Release in use",
        "published": st.column_config.DateColumn("Published"),
        "next_expected": st.column_config.DateColumn("Next release expected"),
        "status": "Status",
        "files": "Files in data/raw",
    },
)
st.caption(
    "The next release's date follows each source's cadence (data/PROVENANCE.md): a "
    "year after the release in use was published, or, where its publication date "
    "is not recorded, the usual time after its period ends; for LAIT, the earliest "
    "next update its dictionary gives. Overdue means that date has passed and no "
    "newer file is in data/raw: `python -m metrics update` fetches one, or drop the "
    "publisher's file into its folder."
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
