#!/usr/bin/env bash
# The step of action.yml: install peacetrack from the action's folder ($ACTION_PATH) into a
# virtual environment of its own (reused by a second use in the same job), then validate
# (src/peacetrack/action.py). Nothing from the pull request or the inputs is shell text here.
set -euo pipefail
venv="${RUNNER_TEMP:?}/peacetrack-action"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${ACTION_PATH:?}"
exec "$venv/bin/python" -m peacetrack.action
