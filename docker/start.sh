#!/bin/sh
# The container's command: check the settings, bring the database up to date with
# data/, then serve the dashboard. Extra arguments are passed to `streamlit run` (the
# tests add theirs).
#
# Hosted mode (a working [auth] in .streamlit/secrets.toml) listens on every
# interface of the container (publish it on the host's 127.0.0.1, behind the HTTPS
# proxy) and shows no error details to browsers. Without [auth] nothing is served,
# unless local mode is asked for with DASHBOARD_LOCAL=1: then no sign-in, and
# 127.0.0.1 unless ADDRESS says otherwise.
set -eu
cd "$(dirname "$0")/.."

mode=$(python docker/settings.py "$@") || exit 2
if [ "$mode" = hosted ]; then
    address="${ADDRESS:-0.0.0.0}"
    details=none
else
    address="${ADDRESS:-127.0.0.1}"
    details=full
fi

# A build that fails does not stop the server: the dashboard then serves the last
# good database under a banner (or, with none yet, a page) saying what to fix.
python -m metrics build --if-needed \
    || echo "start.sh: the data files do not build; the dashboard says why" >&2

exec python -m streamlit run app.py \
    --server.headless true \
    --server.address "$address" \
    --server.port "${PORT:-8501}" \
    --browser.gatherUsageStats false \
    --client.showErrorDetails "$details" \
    "$@"
