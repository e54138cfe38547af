#!/usr/bin/env bash
# `make run`: the background task worker (django-tasks-db) plus the development server in the
# foreground.  When the server stops (Ctrl-C or a signal), the worker is stopped too.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${1:-127.0.0.1}
PORT=${2:-8000}
PY=.venv/bin/python

mkdir -p var
worker=""

stop_worker() {
    if [ -n "$worker" ] && kill -0 "$worker" 2>/dev/null; then
        echo ">>> stopping the task worker (pid $worker)"
        kill -TERM -- "-$worker" 2>/dev/null || kill -TERM "$worker" 2>/dev/null || true
        wait "$worker" 2>/dev/null || true
    fi
}
trap stop_worker EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Mail queued by the site is sent by the worker: with DEBUG=1 it goes to the console
# backend, so verification links show in this terminal.  The worker reloads on code changes
# (a parent and a child process), so it gets a process group of its own, stopped as a whole.
setsid "$PY" manage.py db_worker --no-startup-delay &
worker=$!

echo
echo ">>> Pledgebook: http://$HOST:$PORT/   (admin: http://$HOST:$PORT/admin/)"
echo ">>> task worker: pid $worker; Ctrl-C stops both"
echo
"$PY" manage.py runserver "$HOST:$PORT"
