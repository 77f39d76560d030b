"""Find Debian's Chromium for tests: required in CI, optional on a developer machine."""

from __future__ import annotations

import os
import shutil

import pytest

INSTALL = "apt-get update && apt-get install -y chromium"


def chromium_or_skip() -> str:
    """Return Chromium's path; fail in CI and skip elsewhere when it is missing."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail(f"Chromium is required in CI; .ci/run installs it with: {INSTALL}")
    pytest.skip(f"these tests need Chromium; install it with: {INSTALL}")
