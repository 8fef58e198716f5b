#!/usr/bin/env bash
# Set up and run the test suite on a fresh machine: the system tools the tests use,
# the virtual environment in .venv, ruff, mypy, then pytest (extra arguments go to pytest).
set -euo pipefail
cd "$(dirname "$0")/.."

# rapper (Debian's raptor2-utils) is the independent Turtle parser the export test uses.
if ! command -v rapper >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq raptor2-utils; } \
      >/dev/null || echo "warning: could not install raptor2-utils" >&2
  else
    echo "note: install raptor2-utils (rapper) to run the independent-parser test" >&2
  fi
fi

# chromium (Debian's) is the real browser the explorer tests drive through Playwright; they
# skip without it, except in CI. Playwright's own browser download is never used.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } \
      >/dev/null || echo "warning: could not install chromium" >&2
  else
    echo "note: install chromium to run the explorer's browser tests" >&2
  fi
fi

python3 -m venv .venv
.venv/bin/pip install -q --disable-pip-version-check -e '.[test]'
.venv/bin/ruff check kg tests bench
.venv/bin/mypy kg
# every core (pytest-xdist): each worker is a process with its own store cache and home
.venv/bin/pytest -q -n auto "$@"
