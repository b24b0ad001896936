#!/usr/bin/env bash
# Writes the exact versions installed in .venv and .venv-rasa to requirements.lock and dialogs/requirements.lock.
# scripts/setup.sh and the Dockerfile install with them as pip constraints, so a clean clone (CI, a new machine, an
# image build) gets the versions the suite passed with, not whatever the registry holds that day.
set -euo pipefail
cd "$(dirname "$0")/.."
header() {
  echo "# Exact versions in $1 that the suite last passed with; installed as pip constraints by scripts/setup.sh"
  echo "# and the Dockerfile. Written by \`make lock\` (scripts/lock.sh); refresh it after changing $2."
}
{ header "the app environment (.venv, with the test extras)" "pyproject.toml"; .venv/bin/pip freeze --exclude-editable; } \
  > requirements.lock
{ header "the Rasa environment (.venv-rasa)" "dialogs/requirements.txt"; .venv-rasa/bin/pip freeze; } \
  > dialogs/requirements.lock
echo "wrote requirements.lock ($(grep -vc '^#' requirements.lock) packages) and dialogs/requirements.lock ($(grep -vc '^#' dialogs/requirements.lock) packages)"
