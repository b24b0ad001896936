#!/usr/bin/env bash
# Idempotent set-up: the app venv (Python 3.11), the Rasa venv (Python 3.10, rasa 3.6.21), the trained model,
# front-end packages and Debian's Chromium for browser tests. A second run finishes in seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
PYENV_ROOT=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
PY311=${XINAN_PY311:-$(command -v python3.11 || echo "$PYENV_ROOT/versions/3.11.7/bin/python")}
PY310=${XINAN_PY310:-"$PYENV_ROOT/versions/3.10.13/bin/python"}
[ -x "$PY310" ] || PY310=$(PYENV_VERSION=3.10.13 pyenv which python3.10 2>/dev/null || command -v python3.10)
hash_of() { cat "$@" 2>/dev/null | sha256sum | cut -c1-16; }

# 1. App virtualenv
# Exact versions from the lock files (scripts/lock.sh), so a clean clone gets what the suite passed with.
APP_HASH=$(hash_of pyproject.toml requirements.lock)
if [ ! -x .venv/bin/python ]; then step "creating the app virtualenv (.venv, $("$PY311" --version))"; "$PY311" -m venv .venv; fi
if [ "$(cat .venv/.xinan-deps 2>/dev/null)" != "$APP_HASH" ]; then
  step "installing app dependencies (pyproject.toml or requirements.lock changed, or first run)"
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e '.[test]' -c requirements.lock
  echo "$APP_HASH" > .venv/.xinan-deps
else step "app virtualenv up to date"; fi

# 2. Rasa virtualenv
RASA_HASH=$(hash_of dialogs/requirements.txt dialogs/requirements.lock)
if [ ! -x .venv-rasa/bin/python ]; then step "creating the Rasa virtualenv (.venv-rasa, $("$PY310" --version))"; "$PY310" -m venv .venv-rasa; fi
if [ "$(cat .venv-rasa/.xinan-deps 2>/dev/null)" != "$RASA_HASH" ]; then
  step "installing rasa==3.6.21 and jieba (about 2 minutes the first time)"
  .venv-rasa/bin/pip install -q --upgrade pip
  .venv-rasa/bin/pip install -q -r dialogs/requirements.txt -c dialogs/requirements.lock
  echo "$RASA_HASH" > .venv-rasa/.xinan-deps
else step "Rasa virtualenv up to date"; fi

# 3. The models (Rasa's and the crisis classifier): trained only when their data changed (the hash is in the file name)
.venv/bin/python -m app rasa-model --train
.venv/bin/python -m app crisis-model --train >/dev/null  # seconds; like the Rasa model, only when its data changed

# 4. Front-end packages (served by the app, never from a CDN)
if [ -f package.json ]; then
  NPM_HASH=$(hash_of package.json package-lock.json)
  if [ "$(cat node_modules/.xinan-deps 2>/dev/null)" != "$NPM_HASH" ]; then
    step "installing front-end packages from the npm registry"
    if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --silent; else npm install --no-audit --no-fund --silent; fi
    echo "$NPM_HASH" > node_modules/.xinan-deps
  else step "front-end packages up to date"; fi
fi

# 5. Debian's Chromium for the browser tests (never a downloaded browser)
if [ "${XINAN_SKIP_BROWSER:-}" = "" ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    step "installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  else
    echo "note: /usr/bin/chromium is missing; browser tests will be skipped (apt-get install chromium)"
  fi
fi
step "set-up done"
