"""Checking and loading a file from the load page: against the app's database and
data folder, recorded against the visitor, with what went wrong shown on the page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from metrics.config import default_data_dir, default_db_path
from metrics.loading.files import FileRejected
from metrics.loading.kinds import LoadKind
from metrics.loading.load import Preview, load_file, preview
from metrics.serving import BuildFailure
from metrics.storage import DataError
from ui.access import Visitor, loaded_by
from ui.data import cached, forget_build
from views.loads import choices_text, loaded_text, rules_table

DONE = "import_done"  # the session's message of the last load, shown once


def rules(kind: LoadKind) -> pd.DataFrame:
    """Every measure a file of the kind may name and the rule its values follow."""
    return cached(rules_table, kind.kind, default_data_dir())


def choices(kind: LoadKind) -> str | None:
    """The values a column of the kind is chosen from, where the page lists them."""
    return choices_text(kind, default_data_dir())


def check(content: bytes, file_name: str, kind: LoadKind, area: str) -> Preview:
    """What loading the file would change (nothing is written)."""
    return preview(
        content, file_name, default_db_path(), default_data_dir(), area, kind
    )


def load(
    content: bytes, file_name: str, kind: LoadKind, area: str, person: Visitor
) -> None:
    """Load the file whole as loaded by the visitor, then run the page again with
    what was loaded; or say why nothing was."""
    try:
        result = load_file(
            kind,
            content,
            file_name,
            default_db_path(),
            default_data_dir(),
            area,
            loaded_by=loaded_by(person),
        )
    except FileRejected as exc:
        st.error("The file no longer passes its checks; nothing was loaded.")
        st.dataframe(exc.table(), hide_index=True)
    except DataError as exc:
        # The data files do not build (the banner above says why): no load.
        st.error(
            f"Nothing was loaded: {BuildFailure.of(exc).problem}. Loading can resume "
            "once the data files build again."
        )
    else:
        forget_build()  # the next run opens the new file
        st.session_state[DONE] = loaded_text(result, kind)
        st.rerun()


def last_loaded() -> str | None:
    """What the last load did, once."""
    return st.session_state.pop(DONE, None)
