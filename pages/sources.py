"""Sources and caveats: every source, the data dictionary, caveats, the build report."""

from pathlib import Path

import streamlit as st

from metrics.config import OGL_ATTRIBUTION, PROJECT_DIR
from ui.data import q
from ui.state import require_app

require_app()

st.title("Sources and caveats")
st.write(OGL_ATTRIBUTION)

st.subheader("Sources")
st.dataframe(q("sources"), hide_index=True)

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
caveats = PROJECT_DIR / "docs" / "CAVEATS.md"
st.markdown(
    Path(caveats).read_text(encoding="utf-8")
    if caveats.exists()
    else "The caveats log is missing from docs/."
)

st.subheader("What the last build reported")
info = q("build_info")
st.write(f"Built {info.get('built_at')} in {info.get('build_seconds')} s.")
st.dataframe(q("build_report"), hide_index=True)
