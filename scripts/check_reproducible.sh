#!/usr/bin/env bash
# Trains the committed HEAD three times from scratch in fresh clones (three
# different folders, the third with other thread counts) and compares the
# three models decision by decision (scripts/compare_models.py).
#   scripts/check_reproducible.sh [WORK_DIR]     (about 25 minutes on 2 cores)
# The clones share this checkout's .venv (same pinned packages).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=${1:-$(mktemp -d)}
threads=(2 2 1)
models=()
for i in 0 1 2; do
  dir="$work/clone-$i"
  rm -rf "$dir"
  git clone -q "$root" "$dir"
  ln -s "$root/.venv" "$dir/.venv"
  start=$(date +%s)
  (cd "$dir" && make --no-print-directory model TRAIN_THREADS=${threads[$i]} >"$work/train-$i.log" 2>&1)
  echo "clone $i (threads ${threads[$i]}): trained in $(( $(date +%s) - start )) s"
  models+=("$dir/models/current.tar.gz")
done
.venv/bin/python scripts/compare_models.py "${models[@]}"
