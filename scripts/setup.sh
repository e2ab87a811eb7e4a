#!/usr/bin/env bash
# Creates .venv with Python 3.10 if needed and installs the pinned
# dependencies when requirements.txt or constraints.txt changed.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  if command -v python3.10 >/dev/null 2>&1 && python3.10 -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
    command -v python3.10; return
  fi
  if command -v pyenv >/dev/null 2>&1; then
    for candidate in "$(pyenv root)"/versions/3.10.*/bin/python3.10; do
      [ -x "$candidate" ] && { echo "$candidate"; return; }
    done
  fi
  for candidate in "$HOME"/.pyenv/versions/3.10.*/bin/python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
    [ -x "$candidate" ] && { echo "$candidate"; return; }
  done
  return 1
}

if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
  if ! python=$(find_python); then
    echo "Python 3.10 is needed (Rasa 3.6 supports 3.8-3.10) and was not found." >&2
    echo "Install it, e.g. 'pyenv install 3.10' or 'apt-get install python3.10 python3.10-venv', then run this again." >&2
    exit 1
  fi
  echo "Creating .venv with $python"
  rm -rf .venv
  "$python" -m venv .venv
fi

stamp=.venv/.requirements.sha
wanted=$(cat requirements.txt constraints.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  echo "Installing pinned dependencies (a few minutes the first time)"
  .venv/bin/python -m pip install --quiet --upgrade "pip==24.0"
  .venv/bin/python -m pip install --quiet -r requirements.txt -c constraints.txt
  echo "$wanted" > "$stamp"
else
  echo "Dependencies up to date"
fi
