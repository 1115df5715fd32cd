#!/bin/bash
# Initialise the cluster on first start, then run PostgreSQL in the foreground.
# Inputs (environment):
#   GRADEBOOK_DB            database name (default: nbgrader)
#   GRADEBOOK_USER          role nbgrader connects as (default: nbgrader)
#   GRADEBOOK_PASSWORD_FILE file holding that role's password (preferred; mode 0600 secret)
#   GRADEBOOK_PASSWORD      the password itself (if no file is given)
set -euo pipefail

db="${GRADEBOOK_DB:-nbgrader}"
user="${GRADEBOOK_USER:-nbgrader}"
if [[ -n "${GRADEBOOK_PASSWORD_FILE:-}" ]]; then
    password="$(<"$GRADEBOOK_PASSWORD_FILE")"
else
    password="${GRADEBOOK_PASSWORD:-}"
fi
if [[ -z "$password" ]]; then
    echo "gradebook: set GRADEBOOK_PASSWORD_FILE (or GRADEBOOK_PASSWORD); refusing to start without one" >&2
    exit 2
fi

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
    pwfile="$(mktemp)"
    printf '%s\n' "$password" > "$pwfile"
    initdb --username=postgres --auth-local=peer --auth-host=scram-sha-256 \
           --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    rm -f "$pwfile"
    # Listen on the container's interfaces only; Docker publishes nothing unless asked.
    {
        echo "listen_addresses = '*'"
        echo "max_connections = 200"
    } >> "$PGDATA/postgresql.conf"
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    pg_ctl -w -o "-c listen_addresses=''" start >/dev/null
    psql -v ON_ERROR_STOP=1 -q --username=postgres -v user="$user" -v db="$db" -v pw="$password" <<'SQL'
CREATE ROLE :"user" LOGIN PASSWORD :'pw';
CREATE DATABASE :"db" OWNER :"user";
SQL
    pg_ctl -w stop >/dev/null
fi

exec postgres
