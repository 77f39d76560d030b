"""What every page says when the data files do not build: the banner over the last
good data, or, with no database yet, a page with the same message instead."""

from __future__ import annotations

import streamlit as st

from metrics.build import when_built
from metrics.formatting import escape_markdown as _plain
from metrics.serving import BuildFailure
from ui.data import build_failure, q
from ui.state import only_page

RETRY = "The dashboard tries the build again by itself as soon as the files change."


def data_banner() -> None:
    """One banner at the top of the page while the last good database is served."""
    failure = build_failure()
    if failure is None:
        return
    built = when_built(q("build_info").get("built_at"))
    st.warning(
        f"**Showing the last good data, built {built or 'earlier'}.** The data files "
        f"have changed and do not build: {_plain(failure.problem)}.  \n"
        f"**What to do:** {_plain(failure.fix)}. {RETRY}",
        icon=":material/warning:",
    )


def cannot_build(failure: BuildFailure | None) -> None:
    """Instead of the dashboard when there is no database and the files do not build."""

    def page() -> None:
        st.title("The dashboard's data cannot be built")
        st.error(
            f"No database has been built yet, and the data files do not build: "
            f"{_plain(failure.problem if failure else 'unknown')}."
        )
        if failure:
            st.info(f"**What to do:** {_plain(failure.fix)}. {RETRY}")

    only_page(page, "Data cannot be built", "data-problem")
