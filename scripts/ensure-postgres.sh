#!/usr/bin/env bash
# Install (through apt) and start PostgreSQL on loopback, with a `zhengtong` role and database.
set -euo pipefail
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
if ! command -v pg_ctlcluster >/dev/null 2>&1 || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -V | tail -n1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -q "^$version main$"; then
  $SUDO pg_createcluster "$version" main >/dev/null
fi
conf="/etc/postgresql/$version/main/postgresql.conf"
if ! grep -q "^listen_addresses = '127.0.0.1'" "$conf"; then
  echo "listen_addresses = '127.0.0.1'" | $SUDO tee -a "$conf" >/dev/null
fi
$SUDO pg_ctlcluster "$version" main start 2>/dev/null || true
for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 && break; sleep 1; done
pg_isready -h 127.0.0.1
run_psql() { if [ "$(id -u)" -eq 0 ]; then su postgres -c "psql -qtAc \"$1\""; else sudo -u postgres psql -qtAc "$1"; fi; }
if [ "$(run_psql "SELECT 1 FROM pg_roles WHERE rolname='zhengtong'")" != "1" ]; then
  run_psql "CREATE ROLE zhengtong LOGIN PASSWORD 'zhengtong' CREATEDB"
fi
if [ "$(run_psql "SELECT 1 FROM pg_database WHERE datname='zhengtong'")" != "1" ]; then
  run_psql "CREATE DATABASE zhengtong OWNER zhengtong"
fi
echo "PostgreSQL $version ready on 127.0.0.1:5432 (role/database zhengtong)"
