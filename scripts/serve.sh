#!/usr/bin/env bash
# Brings the store's schema up to date, then starts the action server, the
# Rasa server, the portal and the daily housekeeping on loopback under
# supervisord, which restarts any that stops. Ctrl-C stops them all.
# RASA_PORT, ACTION_PORT, RASA_ENDPOINTS, LOG_DIR and RUN_DIR may be set.
set -euo pipefail
cd "$(dirname "$0")/.."
umask 077   # the data folder 0700, databases, keys and logs 0600
export SANIC_HOST=127.0.0.1
export RASA_TELEMETRY_ENABLED=false
export TF_INTER_OP_PARALLELISM_THREADS=${TF_INTER_OP_PARALLELISM_THREADS:-2}
export TF_INTRA_OP_PARALLELISM_THREADS=${TF_INTRA_OP_PARALLELISM_THREADS:-2}
mkdir -p var
echo "Contacts shown in the escalation message (from .env):"
.venv/bin/python -m bot check-settings
read -r -a origins <<< "$(.venv/bin/python -m bot cors-origins)"
read -r portal_port portal_url ACTION_SERVER_SECRET <<< "$(.venv/bin/python -c \
  "from bot.settings import get_settings as g, action_secret as a; s = g(); print(s.portal_port, s.portal_url, a(s))")"
export ACTION_SERVER_SECRET   # Rasa sends it to the action server (endpoints.yml)
export RASA_PORT=${RASA_PORT:-5005} ACTION_PORT=${ACTION_PORT:-5055}
export RASA_ENDPOINTS=${RASA_ENDPOINTS:-endpoints.yml} RASA_MODEL=${RASA_MODEL:-models/current.tar.gz}
export LOG_DIR=${LOG_DIR:-$PWD/logs} RUN_DIR=${RUN_DIR:-$PWD/var/run}
export HOUSEKEEPING_SECONDS=${HOUSEKEEPING_SECONDS:-3600} WATCHDOG_SECONDS=${WATCHDOG_SECONDS:-10} CORS_ORIGINS="${origins[*]}"
mkdir -p "$LOG_DIR" "$RUN_DIR"
for port in "$RASA_PORT" "$ACTION_PORT" "$portal_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "Port $port is already in use (is another \`make run\` going?). Stop it and try again." >&2
    exit 1
  fi
done
# The store's schema is brought up to date before any server opens it.
.venv/bin/python -m bot migrate

# supervisord starts the processes, starts again any that stops, and the
# watchdog has it restart any that stops answering.
.venv/bin/supervisord -c scripts/supervisord.conf &
supervisor=$!
trap 'kill -TERM $supervisor 2>/dev/null; wait $supervisor 2>/dev/null' EXIT INT TERM

rasa_url=http://127.0.0.1:$RASA_PORT
echo "Starting (Rasa needs about half a minute to load)..."
for _ in $(seq 1 180); do
  kill -0 $supervisor 2>/dev/null || { echo "The supervisor stopped; see $LOG_DIR/supervisord.log" >&2; exit 1; }
  if curl -fsS "$rasa_url/webhooks/reflection/ready" >/dev/null 2>&1 && curl -fsS "http://127.0.0.1:$ACTION_PORT/health" >/dev/null 2>&1 \
     && curl -fsS "http://127.0.0.1:$portal_port/health" >/dev/null 2>&1; then
    echo
    echo "Ready."
    echo "  Open the demo page:   $portal_url/demo   (the chat widget is at the bottom right)"
    echo "  A client's own link:  .venv/bin/python -m bot mint-link CLIENT_ID"
    echo "  Clinician sign-in:    $portal_url/clinician/login   (first: .venv/bin/python -m bot add-clinician NAME --admin)"
    echo "  Chat in a terminal:   make shell   (in another terminal)"
    echo "  Widget channel:       POST $rasa_url/webhooks/reflection/webhook  (Authorization: Bearer <token>)"
    echo "  Readiness:            $rasa_url/webhooks/reflection/ready, http://127.0.0.1:$ACTION_PORT/ready, $portal_url/ready"
    echo "  Processes:            .venv/bin/supervisorctl -s unix://$RUN_DIR/supervisor.sock status   (restarted if they stop)"
    echo "Press Ctrl-C to stop."
    wait $supervisor
    exit $?
  fi
  sleep 1
done
echo "The servers did not start; see $LOG_DIR/rasa.log, actions.log, portal.log and supervisord.log" >&2
exit 1
