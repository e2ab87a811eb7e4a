#!/usr/bin/env bash
# Trains models/current.tar.gz only when the training data, the domain or the
# config changed (the custom components are code, loaded when the model runs).
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/python -m bot domain >/dev/null
# The risk classifier is cached in models/ under its corpus's hash.
.venv/bin/python -m bot risk-model
inputs=$(find data domain config.yml bot/worksheet.py -type f \( -name '*.yml' -o -name '*.py' \) ! -path '*/__pycache__/*' | LC_ALL=C sort)
wanted=$(cat $inputs | sha256sum | cut -d' ' -f1)
if [ -f models/current.tar.gz ] && [ "$(cat models/.fingerprint 2>/dev/null)" = "$wanted" ]; then
  echo "Model up to date (models/current.tar.gz)"
  exit 0
fi
echo "Training the model (under a minute; the risk classifier above is cached)"
.venv/bin/rasa train --domain domain --fixed-model-name current --out models --quiet
echo "$wanted" > models/.fingerprint
