#!/usr/bin/env bash
# `make serve`: the site as production runs it, on this machine's loopback: DEBUG off,
# migrations applied, static files collected (WhiteNoise serves them), the task worker in the
# background and gunicorn (deploy/gunicorn.conf.py).  Ctrl-C (or TERM) stops both.
#
# Plain HTTP on loopback, with no TLS proxy in front: HTTPS redirect, secure cookies and HSTS
# are off here (behind the proxy of deploy/nginx.conf, leave them on).  SECRET_KEY comes from
# the environment, or from var/secret-key (made once, readable by its owner only).
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${1:-127.0.0.1}
PORT=${2:-8000}
PY=.venv/bin/python

mkdir -p var
if [ -z "${SECRET_KEY:-}" ]; then
    if [ ! -s var/secret-key ]; then
        (umask 077 && "$PY" -c 'import secrets; print(secrets.token_urlsafe(64))' >var/secret-key)
    fi
    SECRET_KEY=$(cat var/secret-key)
fi
export SECRET_KEY DEBUG=0 SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0
export SITE_URL=${SITE_URL:-http://$HOST:$PORT} GUNICORN_BIND=$HOST:$PORT

"$PY" manage.py migrate --noinput
"$PY" manage.py collectstatic --noinput --verbosity 0

# Both in the background, stopped together: TERM or INT (Ctrl-C) stops gunicorn gracefully
# (requests in progress finish) and the worker after its task; exit status 0.
"$PY" manage.py db_worker &
worker=$!
.venv/bin/gunicorn -c deploy/gunicorn.conf.py &
server=$!
stop() {
    trap - INT TERM
    kill -TERM "$server" "$worker" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
    wait "$worker" 2>/dev/null || true
    echo ">>> stopped"
    exit 0
}
trap stop INT TERM

echo ">>> Pledgebook (gunicorn, DEBUG off): http://$HOST:$PORT/   server: pid $server, task worker: pid $worker"
# gunicorn ending on its own (it could not start, or was killed) stops the worker too.
status=0
wait "$server" || status=$?
kill -TERM "$worker" 2>/dev/null || true
wait "$worker" 2>/dev/null || true
exit "$status"
