"""Streamlit servers on free local ports, started exec-style and stopped by PID (the
tests and the benchmark both use them)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent.parent


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen) -> None:
    """Stop a process we started: SIGTERM, then SIGKILL after 20 s."""
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


class StreamlitServer:
    """``python -m streamlit run SCRIPT`` on a free port; a context manager."""

    def __init__(
        self,
        script: Path,
        env: dict[str, str] | None = None,
        log: Path | None = None,
        cwd: Path = ROOT,
        args: tuple[str, ...] = (),
    ):
        self.script = Path(script)
        self.args = tuple(args)  # more options for `streamlit run`
        self.cwd = Path(cwd)
        self.env = {**os.environ, **(env or {})}
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.proc: subprocess.Popen | None = None
        self._out = None

    def start(self, timeout: float = 90) -> StreamlitServer:
        """Start the server and wait (at most ``timeout`` s) for its health check."""
        self._out = open(self.log, "ab") if self.log else None  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                sys.executable, "-m", "streamlit", "run", str(self.script),
                "--server.headless", "true", "--server.address", "127.0.0.1",
                "--server.port", str(self.port), "--browser.gatherUsageStats", "false",
                *self.args,
            ],
            cwd=self.cwd, env=self.env, stdout=self._out or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Streamlit exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(
                    f"{self.url}/_stcore/health", timeout=2
                ) as r:
                    if r.read().decode() == "ok":
                        return self
            except OSError:
                time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"Streamlit did not answer on {self.url} in {timeout} s")

    def stop(self) -> None:
        """Stop the server by its PID: SIGTERM, then SIGKILL after 20 s."""
        if self._out:
            self._out.close()
            self._out = None
        if self.proc is None or self.proc.poll() is not None:
            return
        children = self._children()
        stop(self.proc)
        for child in children:  # e.g. a kaleido Chromium the server started
            try:
                child.kill()
            except psutil.Error:
                pass

    def _children(self) -> list[psutil.Process]:
        try:
            return psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.Error:
            return []

    def rss(self) -> int:
        """Resident memory in bytes of the server process and all its children."""
        total = 0
        for proc in [psutil.Process(self.proc.pid), *self._children()]:
            try:
                total += proc.memory_info().rss
            except psutil.Error:
                pass
        return total

    def __enter__(self) -> StreamlitServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
