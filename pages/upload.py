"""Load monthly figures and targets: check a file, show what would change, load it on
confirm."""

import streamlit as st

from metrics.config import default_data_dir, default_db_path
from metrics.formatting import as_at
from metrics.imports import load_file, preview
from metrics.loads import FORMATS
from metrics.return_rules import load_rules
from metrics.serving import BuildFailure
from metrics.storage import DataError
from metrics.templates import STEMS, template_bytes
from metrics.uploads import MAX_BYTES, FileRejected
from ui.access import loaded_by, require_loader
from ui.context import current
from ui.data import cached, forget_build, q
from views.loads import KINDS, NO_CHILD_DATA, rules_table

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
    "What are you loading?", [k.label for k in KINDS], horizontal=True, key="kind"
)
kind = next(k for k in KINDS if k.label == choice)
st.write(kind.purpose)

st.subheader("1. Fill in the template")
left, right = st.columns(2)
stem = STEMS[kind.kind]
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
    st.markdown(kind.columns.format(area=area.name) + " " + NO_CHILD_DATA)
    st.dataframe(cached(rules_table, kind.kind, default_data_dir()), hide_index=True)
    if kind is KINDS[0]:
        rules = load_rules(default_data_dir())
        st.write("Service areas: " + "; ".join(rules.service_areas) + ".")

st.subheader(f"2. Check a {kind.label.lower()}")
st.write(
    f"Rows without an area_code are loaded for **{area.name}** ({area.code}), the "
    "local authority chosen in the sidebar."
)
done = st.session_state.pop("import_done", None)
if done:
    st.success(done)
upload = st.file_uploader(
    f"{kind.label} (.csv or .xlsx, at most {MAX_BYTES // 1_048_576} MB)",
    type=["csv", "xlsx"],
    key=f"upload-{stem}",
)
if upload is not None:
    content = upload.getvalue()
    checked = preview(
        content,
        upload.name,
        default_db_path(),
        default_data_dir(),
        area.code,
        kind.kind,
    )
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
            try:
                result = load_file(
                    FORMATS[kind.kind],
                    content,
                    upload.name,
                    default_db_path(),
                    default_data_dir(),
                    area.code,
                    loaded_by=loaded_by(context.visitor),
                )
            except FileRejected as exc:
                st.error("The file no longer passes its checks; nothing was loaded.")
                st.dataframe(exc.table(), hide_index=True)
            except DataError as exc:
                # The data files do not build (the banner above says why): no load.
                st.error(
                    f"Nothing was loaded: {BuildFailure.of(exc).problem}. Loading "
                    "can resume once the data files build again."
                )
            else:
                e = result.entry
                forget_build()  # the next run opens the new file
                st.session_state["import_done"] = (
                    f"{e.file_name} was already imported (import {e.import_id})."
                    if result.status == "already imported"
                    else f"Loaded {e.file_name} as import {e.import_id}: "
                    f"{e.rows_new} new, {e.rows_revised} revised and "
                    f"{e.rows_unchanged} unchanged {kind.unit}."
                )
                st.rerun()

st.subheader("Import log")
log = q("import_log")
if log.empty:
    st.caption("No monthly returns or targets files have been loaded yet.")
else:
    st.caption(
        f"{len(log)} file(s) loaded, the latest on {as_at(log.imported_at.max())}; "
        "each file is archived unchanged under data/imports/archive, named by its "
        "SHA-256."
    )
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
