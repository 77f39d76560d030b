#!/bin/sh
# The container's command: bring the database up to date with data/, then serve the
# dashboard. Extra arguments are passed to `streamlit run` (the tests add theirs).
set -eu
cd "$(dirname "$0")/.."

# A build that fails does not stop the server: the dashboard then serves the last
# good database under a banner (or, with none yet, a page) saying what to fix.
python -m metrics build --if-needed \
    || echo "start.sh: the data files do not build; the dashboard says why" >&2

exec python -m streamlit run app.py \
    --server.headless true \
    --server.address "${ADDRESS:-0.0.0.0}" \
    --server.port "${PORT:-8501}" \
    --browser.gatherUsageStats false \
    "$@"
