"""Settings that used to fail open: where the server listens, how much it takes in an
upload, [access] without a working [auth], the container without [auth], the
sign-in's claims and its age, and error details in hosted mode."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import tomllib

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from metrics.loading.files import MAX_BYTES
from tests.app.test_access import ACCESS, AUTH, signed_in
from tests.support.areas import DONCASTER
from tests.support.charts import figures
from tests.support.data import ROOT
from tests.support.servers import free_port
from ui.access import (
    LOADER,
    SESSION_HOURS,
    VIEWER,
    role_of,
    session_over,
    settings_problem,
)

sys.path.insert(0, str(ROOT / "docker"))
import settings as start_settings  # noqa: E402  (docker/settings.py)

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


@pytest.fixture(autouse=True)
def _error_details_restored(app_db):
    before = config.get_option("client.showErrorDetails")
    yield
    config.set_option("client.showErrorDetails", before)


def nothing_served(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert figures(at) == [] and len(at.metric) == 0 and len(at.dataframe) == 0
    assert len(at.sidebar) == 0 and len(at.selectbox) == 0


def app(secrets: dict, user: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for key, value in secrets.items():
        at.secrets[key] = value
    if user is not None:
        at.user = user
    at.query_params["la"] = DONCASTER.code
    return at.run()


# --- the server's own settings -------------------------------------------------------


def test_local_mode_listens_on_this_machine_only():
    assert CONFIG["server"]["address"] == "127.0.0.1"


def test_streamlit_takes_no_upload_larger_than_the_apps_limit():
    # server.maxUploadSize is in MB of 1024 * 1024 bytes.
    assert CONFIG["server"]["maxUploadSize"] * 1024 * 1024 == MAX_BYTES


def test_the_readme_publishes_the_container_on_this_machine_only():
    readme = (ROOT / "README.md").read_text()
    assert "-p 127.0.0.1:8501:8501" in readme
    assert "-p 8501:8501" not in readme


# --- [access] without a working [auth] -----------------------------------------------


@pytest.mark.parametrize(
    ("secrets", "problem"),
    [
        ({}, ""),
        ({"auth": AUTH, "access": ACCESS}, ""),
        (
            {"access": ACCESS},
            "[access] is set but [auth] is missing, so no one could sign in and the "
            "lists could not be applied",
        ),
        (
            {"Auth": AUTH, "access": ACCESS},
            "[Auth] is not a section Streamlit reads (a misspelt [auth]?)",
        ),
        (
            {"autth": AUTH},
            "[autth] is not a section Streamlit reads (a misspelt [auth]?)",
        ),
        (
            {"auth": {**AUTH, "client_secret": ""}, "access": ACCESS},
            "[auth] lacks auth.client_secret",
        ),
        (
            {"auth": {"redirect_uri": "x", "client_id": "y"}},
            "[auth] lacks auth.client_secret, auth.server_metadata_url, cookie_secret",
        ),
        (
            {"auth": {"redirect_uri": "x", "cookie_secret": "y", "google": {}}},
            "[auth] lacks auth.google.client_id, auth.google.client_secret, "
            "auth.google.server_metadata_url",
        ),
        (
            {"auth": AUTH, "access": {**ACCESS, "max_session_hours": "ten"}},
            "[access] max_session_hours must be a number of hours above 0",
        ),
    ],
    ids=[
        "none",
        "working",
        "access-only",
        "Auth",
        "autth",
        "empty-secret",
        "missing-keys",
        "empty-provider",
        "bad-hours",
    ],
)
def test_what_makes_settings_unusable(secrets, problem):
    assert settings_problem(secrets) == problem


@pytest.mark.parametrize(
    "secrets",
    [{"access": ACCESS}, {"Auth": AUTH, "access": ACCESS}],
    ids=["access-only", "misspelt-auth"],
)
def test_access_without_a_working_auth_serves_nothing(secrets):
    at = app(secrets, {"is_logged_in": False})
    nothing_served(at)
    assert [t.value for t in at.title] == ["Dashboard unavailable"]
    text = at.error[0].value.replace("\\", "")
    assert "settings (.streamlit/secrets.toml) are incomplete" in text
    assert config.get_option("client.showErrorDetails") == "none"


def _secrets_file(tmp_path, text: str):
    path = tmp_path / "secrets.toml"
    path.write_text(text)
    return ["--secrets.files", str(path)]


def test_the_container_refuses_to_start_without_auth(tmp_path):
    args = _secrets_file(tmp_path, '[access]\nviewers = ["@x.example"]\n')
    found, problem = start_settings.mode(args, local_asked=True)
    assert found is None and problem.startswith("the settings are incomplete: [access]")
    args = _secrets_file(tmp_path, "")
    found, problem = start_settings.mode(args, local_asked=False)
    assert found is None
    assert "or set DASHBOARD_LOCAL=1 to serve without sign-in on 127.0.0.1" in problem
    assert start_settings.mode(args, local_asked=True) == ("local", "")
    auth = "[auth]\n" + "".join(f'{k} = "{v}"\n' for k, v in AUTH.items())
    assert start_settings.mode(_secrets_file(tmp_path, auth), False) == ("hosted", "")
    broken = _secrets_file(tmp_path, '[auth]\nclient_id = "unterminated\n')
    found, problem = start_settings.mode(broken, local_asked=True)
    assert found is None and "cannot be read" in problem


def test_the_start_script_serves_nothing_without_auth(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DASHBOARD_LOCAL"}
    env.update(PORT=str(free_port()), DASHBOARD_DATA=str(tmp_path / "none"))
    args = _secrets_file(tmp_path, "")
    proc = subprocess.run(
        ["sh", str(ROOT / "docker" / "start.sh"), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith(
        "start.sh: not serving: no [auth] section in .streamlit/secrets.toml"
    )
    assert not (tmp_path / "none").exists()  # not even a build was tried


def test_the_start_script_hides_error_details_in_hosted_mode_only():
    script = (ROOT / "docker" / "start.sh").read_text()
    assert 'address="${ADDRESS:-127.0.0.1}"' in script
    assert '--client.showErrorDetails "$details"' in script
    hosted = script.split('if [ "$mode" = hosted ]; then')[1].split("else")[0]
    assert "details=none" in hosted


# --- the sign-in's claims ------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "access", "role"),
    [
        ("x@\u212aent.gov.uk", {"viewers": ["@kent.gov.uk"]}, None),  # Kelvin sign
        ("x@kent.gov.uk", {"viewers": ["@\u212aent.gov.uk"]}, VIEWER),
        ("x@k\u00e9nt.example", {"viewers": ["@k\u00e9nt.example"]}, None),
        ("\uff41@council.example", {"loaders": ["a@council.example"]}, LOADER),
        ("A@Council.Example", {"loaders": ["a@council.example"]}, LOADER),
    ],
    ids=["kelvin-domain", "kelvin-entry", "non-ascii-domain", "nfkc-local", "case"],
)
def test_addresses_are_compared_after_nfkc_and_non_ascii_domains_refused(
    email, access, role
):
    assert role_of(email, access) == role


@pytest.mark.parametrize(
    "verified",
    [None, "False", "false", "True", "true", 1, False],
    ids=["absent", "False-text", "false-text", "True-text", "true-text", "one", "no"],
)
def test_only_a_boolean_true_email_verified_admits(verified):
    user = signed_in("someone@council.example")
    if verified is None:
        del user["email_verified"]
    else:
        user["email_verified"] = verified
    at = app({"auth": AUTH, "access": ACCESS}, user)
    nothing_served(at)
    assert [t.value for t in at.title] == ["Not authorised"]


def test_a_verified_address_is_admitted():
    at = app({"auth": AUTH, "access": ACCESS}, signed_in("someone@council.example"))
    assert not at.exception and len(figures(at)) > 0


def test_a_session_lasts_at_most_the_maximum_age():
    now = 1_800_000_000
    assert not session_over({"iat": now - 3600}, {}, now)
    assert session_over({"iat": now - SESSION_HOURS * 3600 - 1}, {}, now)
    assert not session_over({"iat": now - 3 * 3600}, {"max_session_hours": 4}, now)
    assert session_over({"iat": now - 5 * 3600}, {"max_session_hours": 4}, now)
    assert session_over({}, {}, now)  # a token that does not say when it was issued
    assert session_over({"iat": "1800000000"}, {}, now)


def test_an_old_sign_in_signs_in_again():
    user = signed_in("someone@council.example", iat=int(time.time()) - 11 * 3600)
    at = app({"auth": AUTH, "access": ACCESS}, user)
    nothing_served(at)
    assert [t.value for t in at.title] == ["Sign in again"]
    assert [b.label for b in at.button] == ["Sign out"]
    access = {**ACCESS, "max_session_hours": 12}
    at = app({"auth": AUTH, "access": access}, user)
    assert not at.exception and len(figures(at)) > 0


# --- error details -------------------------------------------------------------------


def _fails_after_the_gate() -> None:
    from ui.access import visitor

    visitor()
    raise RuntimeError("/srv/secret/path/app.py went wrong")


@pytest.mark.parametrize("hosted", [True, False], ids=["hosted", "local"])
def test_hosted_mode_shows_no_traceback_or_server_path(hosted):
    config.set_option("client.showErrorDetails", "full")
    at = AppTest.from_function(_fails_after_the_gate, default_timeout=60)
    if hosted:
        at.secrets["auth"], at.secrets["access"] = AUTH, ACCESS
        at.user = signed_in("someone@council.example")
    at.run()
    shown = at.exception[0]
    text = " ".join([shown.message, *shown.stack_trace])
    if hosted:
        assert "/srv/secret/path" not in text and "Traceback" not in text
        assert shown.stack_trace == []
    else:
        assert "/srv/secret/path" in text
