"""A real OpenID Connect provider on this machine for the sign-in tests
(oidc-provider-mock), the secrets that point the app at it, and signing in and out
through its pages in Chromium."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.support.servers import free_port, stop

TIMEOUT_MS = 90_000


class MockProvider:
    """``python -m oidc_provider_mock`` on a free port with some users; a context
    manager that stops it by its PID."""

    def __init__(self, users: list[str], log: Path | None = None):
        self.users = users
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.proc: subprocess.Popen | None = None
        self._out = None

    @property
    def metadata_url(self) -> str:
        """Where the provider publishes its OpenID configuration."""
        return f"{self.url}/.well-known/openid-configuration"

    def __enter__(self) -> MockProvider:
        self._out = open(self.log, "ab") if self.log else None  # noqa: SIM115
        command = [sys.executable, "-m", "oidc_provider_mock", "--port", str(self.port)]
        for user in self.users:
            command += ["--user", user]
        self.proc = subprocess.Popen(
            command, stdout=self._out or subprocess.DEVNULL, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the provider exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.metadata_url, timeout=2) as r:
                    if "authorization_endpoint" in json.loads(r.read()):
                        return self
            except OSError:
                time.sleep(0.25)
        self.__exit__()
        raise RuntimeError(f"the provider did not answer on {self.url} in 60 s")

    def __exit__(self, *exc: object) -> None:
        if self.proc is not None:
            stop(self.proc)
        if self._out:
            self._out.close()
            self._out = None


def hosted_secrets(provider: MockProvider, loaders: list[str], viewers: list[str]):
    """A secrets.toml for hosted mode with this provider and these lists."""
    # {port} is Streamlit's own placeholder for the server's port.
    return "\n".join(
        [
            "[auth]",
            'redirect_uri = "http://localhost:{port}/oauth2callback"',
            'cookie_secret = "a-cookie-secret-for-the-sign-in-tests-only"',
            'client_id = "dashboard"',
            'client_secret = "dashboard-test-secret"',
            f'server_metadata_url = "{provider.metadata_url}"',
            "",
            "[access]",
            f"loaders = {json.dumps(loaders)}",
            f"viewers = {json.dumps(viewers)}",
            "",
        ]
    )


def sign_in(page: Page, app_url: str, email: str) -> None:
    """Open the app, sign in at the provider as ``email`` and come back signed in."""
    page.goto(app_url)
    page.get_by_role("button", name="Sign in").click(timeout=TIMEOUT_MS)
    page.wait_for_url("**/oauth2/authorize**", timeout=TIMEOUT_MS)
    page.click(f'button[value="{email}"]')
    page.wait_for_url(f"{app_url}/**", timeout=TIMEOUT_MS)


def sign_out(page: Page, app_url: str) -> None:
    """Sign out (the one Sign out button), through the provider's end-of-session
    page."""
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/oauth2/end_session**", timeout=TIMEOUT_MS)
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(f"{app_url}/**", timeout=TIMEOUT_MS)
    expect(page.get_by_role("button", name="Sign in")).to_be_visible(timeout=TIMEOUT_MS)
