"""The container's health check: exit 0 when Streamlit answers "ok" on
/_stcore/health at $PORT (8501 by default), else 1."""

import os
import sys
import urllib.request

URL = f"http://127.0.0.1:{os.environ.get('PORT', '8501')}/_stcore/health"

try:
    with urllib.request.urlopen(URL, timeout=5) as response:
        healthy = response.read().decode().strip() == "ok"
except OSError:
    healthy = False
sys.exit(0 if healthy else 1)
