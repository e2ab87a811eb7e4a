#!/usr/bin/env bash
# Starts the action server and the Rasa server on loopback and waits.
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
export SANIC_HOST=127.0.0.1   # the action server has no authentication: loopback only
export RASA_TELEMETRY_ENABLED=false
export TF_INTER_OP_PARALLELISM_THREADS=${TF_INTER_OP_PARALLELISM_THREADS:-2}
export TF_INTRA_OP_PARALLELISM_THREADS=${TF_INTRA_OP_PARALLELISM_THREADS:-2}
mkdir -p var logs
echo "Contacts shown in the escalation message (from .env):"
.venv/bin/python -m bot check-settings
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

.venv/bin/python -m rasa_sdk --actions actions --port 5055 --log-file logs/actions.log &
pids+=($!)
.venv/bin/rasa run --model models/current.tar.gz --interface 127.0.0.1 --port 5005 \
  --credentials credentials.yml --endpoints endpoints.yml --log-file logs/rasa.log &
pids+=($!)

echo "Starting (Rasa needs about half a minute to load)..."
for _ in $(seq 1 180); do
  if curl -fsS http://127.0.0.1:5005/webhooks/rest/ >/dev/null 2>&1 && curl -fsS http://127.0.0.1:5055/health >/dev/null 2>&1; then
    echo
    echo "Ready."
    echo "  Chat in a terminal:   make shell   (in another terminal)"
    echo "  Chat over HTTP:       POST http://127.0.0.1:5005/webhooks/rest/webhook  {\"sender\": \"client-1\", \"message\": \"hi\"}"
    echo "  Action server health: http://127.0.0.1:5055/health"
    echo "Press Ctrl-C to stop."
    wait -n "${pids[@]}"
    exit $?
  fi
  sleep 1
done
echo "The servers did not start; see logs/rasa.log and logs/actions.log" >&2
exit 1
