#!/usr/bin/env bash
# Starts the action server, the Rasa server and the portal on loopback and
# waits. Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077   # the data folder 0700, databases, keys and logs 0600
export SANIC_HOST=127.0.0.1
export RASA_TELEMETRY_ENABLED=false
export TF_INTER_OP_PARALLELISM_THREADS=${TF_INTER_OP_PARALLELISM_THREADS:-2}
export TF_INTRA_OP_PARALLELISM_THREADS=${TF_INTRA_OP_PARALLELISM_THREADS:-2}
mkdir -p var logs
echo "Contacts shown in the escalation message (from .env):"
.venv/bin/python -m bot check-settings
read -r -a origins <<< "$(.venv/bin/python -m bot cors-origins)"
read -r portal_port portal_url ACTION_SERVER_SECRET <<< "$(.venv/bin/python -c \
  "from bot.settings import get_settings as g, action_secret as a; s = g(); print(s.portal_port, s.portal_url, a(s))")"
export ACTION_SERVER_SECRET   # Rasa sends it to the action server (endpoints.yml)
for port in 5005 5055 "$portal_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is already in use (is another \`make run\` going?). Stop it and try again." >&2
    exit 1
  fi
done
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

.venv/bin/python -m bot.action_server --port 5055 >> logs/actions.log 2>&1 &
pids+=($!)
.venv/bin/rasa run --model models/current.tar.gz --interface 127.0.0.1 --port 5005 \
  --credentials credentials.yml --endpoints endpoints.yml --cors "${origins[@]}" >> logs/rasa.log 2>&1 &
pids+=($!)
.venv/bin/python -m bot.portal >> logs/portal.log 2>&1 &
pids+=($!)

echo "Starting (Rasa needs about half a minute to load)..."
for _ in $(seq 1 180); do
  if curl -fsS http://127.0.0.1:5005/webhooks/reflection/ >/dev/null 2>&1 && curl -fsS http://127.0.0.1:5055/health >/dev/null 2>&1 \
     && curl -fsS "http://127.0.0.1:$portal_port/health" >/dev/null 2>&1; then
    echo
    echo "Ready."
    echo "  Open the demo page:   $portal_url/demo   (the chat widget is at the bottom right)"
    echo "  A client's own link:  .venv/bin/python -m bot mint-link CLIENT_ID"
    echo "  Clinician sign-in:    $portal_url/clinician/login   (first: .venv/bin/python -m bot add-clinician NAME)"
    echo "  Chat in a terminal:   make shell   (in another terminal)"
    echo "  Widget channel:       POST http://127.0.0.1:5005/webhooks/reflection/webhook  (Authorization: Bearer <token>)"
    echo "  Action server health: http://127.0.0.1:5055/health"
    echo "Press Ctrl-C to stop."
    wait -n "${pids[@]}"
    exit $?
  fi
  sleep 1
done
echo "The servers did not start; see logs/rasa.log, logs/actions.log and logs/portal.log" >&2
exit 1
