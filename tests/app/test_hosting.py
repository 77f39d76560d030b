"""What the image is built from and what it must never hold or switch off (Docker
cannot run on the build machine; the start script is run in tests/browser)."""

from __future__ import annotations

import re
import tomllib

from tests.support.data import ROOT

DOCKERFILE = (ROOT / "Dockerfile").read_text()
INSTRUCTIONS = [
    line.split(None, 1)
    for line in re.sub(r"\\\n\s*", " ", DOCKERFILE).splitlines()
    if line.strip() and not line.lstrip().startswith("#")
]


def instruction(name: str) -> list[str]:
    return [args for op, args in INSTRUCTIONS if op == name]


def test_the_image_is_python_slim_with_debians_chromium_and_the_requirements():
    assert re.fullmatch(r"python:3\.11-slim", instruction("FROM")[0])
    run = " ".join(instruction("RUN"))
    assert "apt-get install -y --no-install-recommends chromium" in run
    assert "pip install -r requirements.txt" in run


def test_the_image_runs_as_a_user_of_its_own_with_data_as_a_volume():
    user = instruction("USER")
    assert user and user[-1] not in ("root", "0")
    assert "useradd" in " ".join(instruction("RUN"))
    assert instruction("VOLUME") == ['["/app/data"]']
    assert instruction("HEALTHCHECK")[0].endswith(
        'CMD ["python", "docker/healthcheck.py"]'
    )
    assert instruction("CMD") == ['["sh", "docker/start.sh"]']


def test_data_and_secrets_are_never_copied_into_the_image():
    ignored = (ROOT / ".dockerignore").read_text().splitlines()
    assert "data/" in ignored and ".streamlit/secrets.toml" in ignored
    assert ".streamlit/secrets.toml" in (ROOT / ".gitignore").read_text().split()


def test_xsrf_and_cors_protection_stay_on():
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    server = settings.get("server", {})
    assert server.get("enableXsrfProtection", True) is True
    assert server.get("enableCORS", True) is True
    for path in ("docker/start.sh", "Dockerfile", ".ci/run"):
        text = (ROOT / path).read_text()
        assert "enableXsrfProtection" not in text and "enableCORS" not in text
