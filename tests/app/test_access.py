"""Local and hosted mode: who sees what, under AppTest with Streamlit's own user and
secrets (the browser tests sign in through a real OpenID Connect provider)."""

from __future__ import annotations

import getpass

import pytest
from streamlit import config
from streamlit.runtime.secrets import secrets_singleton
from streamlit.testing.v1 import AppTest

from tests.support.areas import CHARTS, DONCASTER
from tests.support.charts import figures
from tests.support.data import ROOT
from ui.access import LOADER, VIEWER, Visitor, role_of
from views.pages import PAGES

ACCESS = {
    "loaders": ["Performance.Team@council.example"],
    "viewers": ["@council.example", "chair@trust.example"],
}
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-cookie-secret-for-the-tests-only",
    "client_id": "dashboard",
    "client_secret": "not-a-secret",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}
READ_PAGES = [p for p in PAGES if not p.loads_data]
LOAD_PAGES = [p for p in PAGES if p.loads_data]


@pytest.fixture(autouse=True)
def _app_on_test_db(app_db):
    """Every test here runs the app on the session's test database."""


def hosted_app(user: dict, access: dict | None = None, auth: dict | None = None):
    """app.py in hosted mode for a user (Streamlit's st.user), at the default page."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.secrets["auth"] = auth or AUTH
    at.secrets["access"] = ACCESS if access is None else access
    at.user = user
    at.query_params["la"] = DONCASTER.code
    return at.run()


def signed_in(email: str, **claims) -> dict:
    return {"is_logged_in": True, "email": email, **claims}


def nothing_of_the_dashboard(at: AppTest) -> None:
    """No chart, metric, table, sidebar control or page list."""
    assert not at.exception, [e.value for e in at.exception]
    assert figures(at) == [] and len(at.metric) == 0 and len(at.dataframe) == 0
    assert len(at.sidebar) == 0 and len(at.selectbox) == 0


# --- roles ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "role"),
    [
        ("performance.team@council.example", LOADER),
        ("PERFORMANCE.TEAM@Council.Example", LOADER),
        ("someone@council.example", VIEWER),
        ("chair@trust.example", VIEWER),
        ("trustee@trust.example", None),  # only the chair is listed at the Trust
        ("someone@evil-council.example", None),
        ("someone@mail.council.example", None),  # a domain, not its subdomains
        ("council.example", None),
        ("", None),
    ],
)
def test_role_of_an_email(email, role):
    assert role_of(email, ACCESS) == role


def test_a_loader_on_both_lists_is_a_loader_and_a_single_entry_may_be_a_string():
    access = {"loaders": "a@x.example", "viewers": ["@x.example"]}
    assert role_of("a@x.example", access) == LOADER
    assert role_of("b@x.example", access) == VIEWER
    assert role_of("a@x.example", {}) is None


def test_what_each_visitor_may_do():
    assert Visitor(hosted=False).may_load
    assert not Visitor(hosted=True).may_view
    assert not Visitor(hosted=True, signed_in=True, email="x@y.example").may_view
    viewer = Visitor(hosted=True, signed_in=True, email="v@x.example", role=VIEWER)
    assert viewer.may_view and not viewer.may_load
    loader = Visitor(hosted=True, signed_in=True, email="l@x.example", role=LOADER)
    assert loader.may_view and loader.may_load
    assert not Visitor(hosted=True, role=LOADER, settings_unreadable=True).may_view


# --- hosted mode ---------------------------------------------------------------------


def test_anonymous_visitor_sees_only_the_sign_in_page():
    at = hosted_app({"is_logged_in": False})
    nothing_of_the_dashboard(at)
    assert [t.value for t in at.title] == [
        "Children's social care improvement dashboard"
    ]
    assert [b.label for b in at.button] == ["Sign in"]
    assert DONCASTER.name not in " ".join(m.value for m in at.markdown)


def test_named_providers_get_a_button_each():
    providers = {
        "redirect_uri": AUTH["redirect_uri"],
        "cookie_secret": AUTH["cookie_secret"],
        "microsoft": {k: AUTH[k] for k in ("client_id", "client_secret")},
        "google": {k: AUTH[k] for k in ("client_id", "client_secret")},
    }
    at = hosted_app({"is_logged_in": False}, auth=providers)
    assert [b.label for b in at.button] == [
        "Sign in with microsoft",
        "Sign in with google",
    ]


@pytest.mark.parametrize(
    "user",
    [
        signed_in("stranger@elsewhere.example"),
        signed_in("someone@council.example", email_verified=False),
    ],
    ids=["unlisted", "unverified-email"],
)
def test_a_signed_in_person_on_neither_list_is_not_authorised(user):
    at = hosted_app(user)
    nothing_of_the_dashboard(at)
    assert [t.value for t in at.title] == ["Not authorised"]
    text = " ".join(m.value for m in at.markdown).replace("\\", "")
    assert f"You are signed in as **{user['email']}**" in text
    assert [b.label for b in at.button] == ["Sign out"]


def test_without_an_access_section_no_one_is_authorised():
    at = hosted_app(signed_in("performance.team@council.example"), access={})
    assert [t.value for t in at.title] == ["Not authorised"]


def test_a_viewer_sees_every_read_page_and_the_board_pack_but_not_the_load_page():
    at = hosted_app(signed_in("someone@council.example"))
    assert not at.exception
    caption = at.sidebar.caption[-1].value.replace("\\", "")
    assert caption == "Signed in as **someone@council.example** (may view)"
    assert "Sign out" in [b.label for b in at.sidebar.button]
    assert "Prepare board pack" in [b.label for b in at.sidebar.button]
    for spec in READ_PAGES:
        at.switch_page(spec.file).run()
        assert not at.exception, spec.key
        assert len(figures(at)) == CHARTS[spec.key]["Doncaster"], spec.key
    for spec in LOAD_PAGES:
        # The page's file is not in the viewer's navigation: its address leads to a
        # page that refuses (checked in the browser tests).
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(spec.file)


def test_a_loader_sees_the_load_page():
    at = hosted_app(signed_in("performance.team@council.example"))
    caption = at.sidebar.caption[-1].value.replace("\\", "")
    assert caption == (
        "Signed in as **performance.team@council.example** (may load figures)"
    )
    for spec in LOAD_PAGES:
        at.switch_page(spec.file).run()
        assert not at.exception
        assert len(at.get("file_uploader")) == 1


@pytest.mark.parametrize("spec", LOAD_PAGES, ids=lambda p: p.key)
def test_the_load_page_itself_refuses_a_viewer(spec):
    # Defence in depth: were the page's script run for a viewer, it stops at once.
    at = AppTest.from_file(str(ROOT / spec.file), default_timeout=90)
    at.secrets["auth"], at.secrets["access"] = AUTH, ACCESS
    at.user = signed_in("someone@council.example")
    at.run()
    assert [t.value for t in at.title] == ["Not available to your account"]
    assert "only its loaders may do" in at.error[0].value
    assert len(at.get("file_uploader")) == 0


def test_settings_that_do_not_parse_open_nothing(tmp_path):
    broken = tmp_path / "secrets.toml"
    broken.write_text('[auth]\nclient_id = "unterminated\n')
    old = config.get_option("secrets.files")
    config.set_option("secrets.files", [str(broken)])
    secrets_singleton._reset()
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90).run()
        nothing_of_the_dashboard(at)
        assert [t.value for t in at.title] == ["Dashboard unavailable"]
        assert ".streamlit/secrets.toml" in at.error[0].value
    finally:
        config.set_option("secrets.files", old)
        secrets_singleton._reset()


# --- local mode ----------------------------------------------------------------------


def test_local_mode_needs_no_sign_in_and_says_so():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    at.query_params["la"] = DONCASTER.code
    at.run()
    assert not at.exception
    assert len(figures(at)) == CHARTS["overview"]["Doncaster"]
    assert at.sidebar.caption[-1].value.startswith("Running locally without sign-in")
    assert "Sign out" not in [b.label for b in at.sidebar.button]
    for spec in LOAD_PAGES:
        at.switch_page(spec.file).run()
        assert len(at.get("file_uploader")) == 1


def test_a_load_in_local_mode_is_recorded_against_the_os_user():
    from ui.access import loaded_by

    assert loaded_by(Visitor(hosted=False)) == getpass.getuser()
    person = Visitor(hosted=True, signed_in=True, email="l@x.example", role=LOADER)
    assert loaded_by(person) == "l@x.example"
