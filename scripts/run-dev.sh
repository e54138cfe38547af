#!/usr/bin/env bash
# `make run`: two background task workers (core's db_worker: django-tasks-db with heartbeats
# and crash recovery) plus the development server in the foreground: one worker serves the
# "default" queue only (mail, reports: never stuck behind bulk work), the other every queue
# (similarity indexing too), best priority first (pledgebook/core/tasks.py).  When the server
# stops (Ctrl-C or a signal), the workers are stopped too.
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${1:-127.0.0.1}
PORT=${2:-8000}
PY=.venv/bin/python

mkdir -p var
workers=()

stop_workers() {
    for worker in "${workers[@]}"; do
        if kill -0 "$worker" 2>/dev/null; then
            echo ">>> stopping the task worker (pid $worker)"
            kill -TERM -- "-$worker" 2>/dev/null || kill -TERM "$worker" 2>/dev/null || true
        fi
    done
    for worker in "${workers[@]}"; do
        wait "$worker" 2>/dev/null || true
    done
}
trap stop_workers EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Mail queued by the site is sent by a worker: with DEBUG=1 it goes to the console backend,
# so verification links show in this terminal.  Each worker reloads on code changes (a parent
# and a child process), so it gets a process group of its own, stopped as a whole; a task cut
# short by a reload is run again by the recovery (TASKS_STALE_SECONDS after its last beat).
setsid "$PY" manage.py db_worker --no-startup-delay --queue-name default &
workers+=($!)
setsid "$PY" manage.py db_worker --no-startup-delay --queue-name '*' &
workers+=($!)

echo
echo ">>> Pledgebook: http://$HOST:$PORT/   (admin: http://$HOST:$PORT/admin/)"
echo ">>> task workers: pid ${workers[0]} (queue default: mail, reports), pid ${workers[1]} (every queue); Ctrl-C stops all"
echo
"$PY" manage.py runserver "$HOST:$PORT"
