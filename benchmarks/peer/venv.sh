#!/usr/bin/env bash
# Create (or bring up to date) .bench-peer-venv: django-helpdesk and its project for the
# benchmarks' peer runs. Prints nothing when it is already up to date.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
VENV="$ROOT/.bench-peer-venv"
REQS="$ROOT/benchmarks/peer/requirements.txt"
STAMP="$VENV/.stamp-requirements"
if [ -f "$STAMP" ] && [ "$STAMP" -nt "$REQS" ]; then
    exit 0
fi
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --disable-pip-version-check -q -r "$REQS"
touch "$STAMP"
echo "peer venv: $VENV ($("$VENV/bin/python" -m pip show django-helpdesk | sed -n 's/^Version: /django-helpdesk /p'))" >&2
