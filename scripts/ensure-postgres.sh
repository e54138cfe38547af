#!/usr/bin/env bash
# Make sure the PostgreSQL server of DATABASE_URL answers and its database exists.
# Usage: scripts/ensure-postgres.sh postgres://postgres@127.0.0.1:5432/pledgebook
# The test runner creates test_<name> itself; the named database only has to exist for
# `migrate` or `runserver` against it.  On these machines the local cluster uses trust auth.
set -euo pipefail
url=${1:?usage: $0 postgres://user@host:port/dbname}
db=${url##*/}
db=${db%%\?*}
admin_url="${url%/*}/postgres"

if ! command -v psql >/dev/null 2>&1; then
    echo "warning: psql not found; not checking $url" >&2
    exit 0
fi

if ! psql "$admin_url" -Atqc 'select 1' >/dev/null 2>&1; then
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
        echo ">>> PostgreSQL is not answering: starting the local cluster"
        for version in $(ls /etc/postgresql); do
            pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
        done
        for _ in $(seq 1 30); do
            psql "$admin_url" -Atqc 'select 1' >/dev/null 2>&1 && break
            sleep 1
        done
    fi
    psql "$admin_url" -Atqc 'select 1' >/dev/null || {
        echo "error: cannot connect to PostgreSQL at $admin_url" >&2
        exit 1
    }
fi

exists=$(psql "$admin_url" -Atqc "select 1 from pg_database where datname = '$db'")
if [ "$exists" != "1" ]; then
    echo ">>> creating database $db"
    psql "$admin_url" -qc "create database \"$db\""
fi
