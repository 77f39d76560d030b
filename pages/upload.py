"""Load monthly figures and targets: check a file, show what would change, load it on
confirm."""

import streamlit as st

from ui.access import require_loader
from ui.context import current
from ui.data import q
from ui.loads import check, choices, last_loaded, load, rules
from views.loads import KINDS, MAX_BYTES, NO_CHILD_DATA, log_caption, template_bytes

context = current()
require_loader(context.visitor)

area = context.area
st.title("Load monthly figures and targets")
st.write(
    "A file is checked against every rule first and is loaded whole or not at all. "
    "A value that differs from one already loaded becomes a revision: the new value "
    "is shown and the old one is kept. Every file loaded is archived unchanged."
)
choice = st.radio(
    "What are you loading?",
    [k.label for k in KINDS.values()],
    horizontal=True,
    key="kind",
)
kind = next(k for k in KINDS.values() if k.label == choice)
st.write(kind.purpose)

st.subheader("1. Fill in the template")
left, right = st.columns(2)
stem = kind.template.stem
left.download_button(
    "Download the template (Excel .xlsx)",
    template_bytes(kind.kind, "xlsx"),
    file_name=f"{stem}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key=f"template-xlsx-{stem}",
)
right.download_button(
    "Download the template (CSV)",
    template_bytes(kind.kind, "csv"),
    file_name=f"{stem}.csv",
    mime="text/csv",
    key=f"template-csv-{stem}",
)
with st.expander(f"What a {kind.label.lower()} may hold"):
    st.markdown(kind.columns_text.format(area=area.name) + " " + NO_CHILD_DATA)
    st.dataframe(rules(kind), hide_index=True)
    listed = choices(kind)
    if listed:
        st.write(listed)

st.subheader(f"2. Check a {kind.label.lower()}")
st.write(
    f"Rows without an area_code are loaded for **{area.name}** ({area.code}), the "
    "local authority chosen in the sidebar."
)
done = last_loaded()
if done:
    st.success(done)
upload = st.file_uploader(
    f"{kind.label} (.csv or .xlsx, at most {MAX_BYTES // 1_048_576} MB)",
    type=["csv", "xlsx"],
    key=f"upload-{stem}",
)
if upload is not None:
    content = upload.getvalue()
    checked = check(content, upload.name, kind, area.code)
    if checked.status == "rejected":
        problems = checked.rejected.problems
        st.error(
            f"{checked.file_name} cannot be loaded: {len(problems)} problem(s), listed "
            "below with the row (row 1 is the header), the column and how to fix "
            "each. Nothing has been changed."
        )
        st.dataframe(checked.rejected.table(), hide_index=True)
    elif checked.status == "already imported":
        e = checked.earlier
        st.info(
            f"Already imported: this file is identical to import {e.import_id} "
            f"({e.file_name}, {e.imported_at:%d %b %Y %H:%M} UTC). Nothing to load."
        )
    else:
        st.subheader("3. Check what will change, then load")
        counts = st.columns(3)
        for column, status in zip(counts, ["new", "revised", "unchanged"]):
            column.metric(f"{status.capitalize()} {kind.unit}", checked.count(status))
        if checked.count("revised"):
            st.markdown(
                f"**Revised {kind.unit}** (the previous value is kept as history)"
            )
            st.dataframe(checked.table("revised"), hide_index=True)
        if checked.count("new"):
            st.markdown(f"**New {kind.unit}**")
            st.dataframe(checked.table("new"), hide_index=True)
        if checked.count("unchanged"):
            with st.expander(f"{checked.count('unchanged')} unchanged {kind.unit}"):
                st.dataframe(checked.table("unchanged"), hide_index=True)
        if st.button(f"Load {checked.file_name}", type="primary"):
            load(content, upload.name, kind, area.code, context.visitor)

st.subheader("Import log")
log = q("import_log")
st.caption(log_caption(log))
if not log.empty:
    st.dataframe(log, hide_index=True)

st.subheader(f"Revised figures for {area.name}")
revisions = q("revisions", area.code)
if revisions.empty:
    st.caption(f"No figure for {area.name} has been revised by a later return.")
else:
    st.caption("Every value each revised figure has had, oldest first.")
    st.dataframe(
        revisions,
        hide_index=True,
        column_config={"period_end": st.column_config.DateColumn(format="YYYY-MM-DD")},
    )
changed = q("target_revisions", area.code)
if not changed.empty:
    st.subheader(f"Changed targets for {area.name}")
    st.caption("Every earlier value of each changed checkpoint, oldest first.")
    st.dataframe(changed, hide_index=True)
