"""Who may see the dashboard and who may load figures into it.

Local mode (no ``[auth]`` section in ``.streamlit/secrets.toml``): no sign-in, as
when an analyst runs ``streamlit run app.py``. Hosted mode (an ``[auth]`` section in
Streamlit's format for ``st.login``): every visitor signs in with the organisation's
OpenID Connect provider, and the ``[access]`` section's lists decide what they may
do: ``loaders`` may view and load figures, ``viewers`` may view; an entry
``"@council.example"`` admits everyone whose email is at that domain. Anyone else,
and anyone while the settings cannot be read, sees no data.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

import streamlit as st
from streamlit import config

from metrics.formatting import escape_markdown as _plain
from metrics.loading.log import os_user
from ui.state import only_page
from views.pages import PageSpec

LOADER, VIEWER = "loader", "viewer"
TITLE = "Children's social care improvement dashboard"


@dataclass(frozen=True)
class Visitor:
    """Who is looking: the mode, whether and as whom they signed in, their role."""

    hosted: bool
    signed_in: bool = False
    email: str = ""
    role: str | None = None  # LOADER, VIEWER or None (not on either list)
    settings_unreadable: bool = False

    @property
    def may_view(self) -> bool:
        """Whether the pages and their data may be shown."""
        return not self.settings_unreadable and (not self.hosted or bool(self.role))

    @property
    def may_load(self) -> bool:
        """Whether figures may be loaded (the pages declared with loads_data)."""
        return self.may_view and (not self.hosted or self.role == LOADER)


def role_of(email: str, access: Mapping) -> str | None:
    """The role an [access] section gives an email: LOADER, VIEWER or None.

    Entries are whole addresses or "@domain" (exactly that domain, not its
    subdomains); case does not matter. Loaders are also viewers.
    """
    email = email.strip().lower()
    if "@" not in email:
        return None
    domain = "@" + email.rsplit("@", 1)[1]
    for role in (LOADER, VIEWER):
        entries = access.get(f"{role}s", [])
        if isinstance(entries, str):
            entries = [entries]
        for entry in entries:
            entry = str(entry).strip().lower()
            if entry and entry in (email, domain):
                return role
    return None


def _hosted() -> bool | None:
    """True with an [auth] section, False without; None if the settings are broken."""
    try:
        return "auth" in st.secrets
    except Exception:  # a missing secrets file, or one that does not parse
        files = config.get_option("secrets.files") or []
        # Settings that exist but cannot be read must not open the dashboard to all.
        return None if any(os.path.exists(f) for f in files) else False


def visitor() -> Visitor:
    """The person this session serves, and what they may do."""
    hosted = _hosted()
    if hosted is None:
        return Visitor(hosted=True, settings_unreadable=True)
    if not hosted:
        return Visitor(hosted=False)
    user = st.user.to_dict()
    if not user.get("is_logged_in"):
        return Visitor(hosted=True)
    email = str(user.get("email") or "")
    # An address the provider says it has not verified admits no one.
    verified = user.get("email_verified", True) not in (False, "false")
    access = st.secrets.get("access", {})
    role = role_of(email, access) if verified else None
    return Visitor(hosted=True, signed_in=True, email=email, role=role)


def allowed(spec: PageSpec, person: Visitor) -> bool:
    """Whether a declared page is open to this person."""
    return person.may_load or not spec.loads_data


def refused_page(spec: PageSpec, person: Visitor) -> st.Page:
    """A page's address for someone who may not use it: it says so and shows nothing."""
    draw = partial(_refused, person)
    return st.Page(draw, title=spec.title, url_path=spec.url_path, visibility="hidden")


def _refused(person: Visitor) -> None:
    st.title("Not available to your account")
    st.error(
        f"This page loads figures into the dashboard, which only its loaders may do. "
        f"You are signed in as {_plain(person.email)} ({person.role}). Ask the "
        "person who runs the dashboard if you need to load figures."
    )


def gate(person: Visitor) -> None:
    """Instead of the dashboard: the sign-in, not-authorised or settings page; stops.

    Every page's address leads here (a shared link opens the sign-in page), and no
    navigation is shown: no page names, no data.
    """
    if person.settings_unreadable:
        draw, title = _settings_unreadable, "Dashboard unavailable"
    elif person.signed_in:
        draw, title = partial(_not_authorised, person), "Not authorised"
    else:
        draw, title = _sign_in, "Sign in"
    only_page(draw, title, "sign-in")


def _providers() -> list[str | None]:
    """The [auth] providers: None for a single unnamed one, else their names."""
    auth = st.secrets.get("auth", {})
    if "client_id" in auth or "server_metadata_url" in auth:
        return [None]
    return [name for name, value in auth.items() if isinstance(value, Mapping)]


def _sign_in() -> None:
    st.title(TITLE)
    st.write(
        "Sign in with your organisation's account to see the dashboard. Your "
        "organisation decides who may view it and who may load figures into it."
    )
    for provider in _providers() or [None]:
        label = "Sign in" if provider is None else f"Sign in with {provider}"
        if st.button(label, type="primary", key=f"sign-in-{provider}"):
            st.login(provider)


def _not_authorised(person: Visitor) -> None:
    who = _plain(person.email) or "an account without an email address"
    st.title("Not authorised")
    st.write(
        f"You are signed in as **{who}**, which is not on this dashboard's list of "
        "viewers. Ask the person who runs the dashboard to add you, or sign out and "
        "sign in with another account."
    )
    st.button("Sign out", type="primary", on_click=st.logout)


def _settings_unreadable() -> None:
    st.title("Dashboard unavailable")
    st.error(
        "The dashboard's settings (.streamlit/secrets.toml) cannot be read, so no "
        "one can sign in. The person who runs the dashboard should check that file; "
        "the server's log says what is wrong with it."
    )


def account(person: Visitor) -> None:
    """The sidebar's last lines: who is signed in and sign-out, or local mode."""
    with st.sidebar:
        st.divider()
        if not person.hosted:
            st.caption(
                "Running locally without sign-in: anyone who can open this address "
                "can view the dashboard and load figures."
            )
            return
        st.caption(
            f"Signed in as **{_plain(person.email)}** "
            f"({'may load figures' if person.role == LOADER else 'may view'})"
        )
        st.button("Sign out", on_click=st.logout, key="sign-out")


def loaded_by(person: Visitor) -> str:
    """Who a load is recorded against: the signed-in email, else the OS user."""
    return person.email if person.hosted and person.email else os_user()


def require_loader(person: Visitor) -> None:
    """Stop a page that loads figures for anyone who may not load them."""
    if not person.may_load:
        _refused(person)
        st.stop()
