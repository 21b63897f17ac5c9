#!/usr/bin/env bash
# Makes sure the PostgreSQL and Redis the tests use are running on 127.0.0.1 (starting them, or installing them
# with apt when missing). Honors TEST_DATABASE_URL / TEST_REDIS_URL only for their defaults' hosts.
set -euo pipefail

log() { printf '==> %s\n' "$*" >&2; }

pg_ready() { pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; }
redis_ready() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

apt_install() {
  if [ "$(id -u)" != 0 ]; then log "cannot install $* without root"; return 1; fi
  [ -n "${APT_UPDATED:-}" ] || { apt-get update -qq; APT_UPDATED=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

if ! pg_ready; then
  command -v pg_ctlcluster >/dev/null 2>&1 || { log "installing PostgreSQL"; apt_install postgresql; }
  log "starting PostgreSQL"
  cluster_version=$(ls /etc/postgresql | sort -V | tail -1)
  pg_ctlcluster --skip-systemctl-redirect "$cluster_version" main start || true
  for _ in $(seq 1 30); do pg_ready && break; sleep 1; done
  pg_ready || { log "PostgreSQL did not start"; exit 1; }
fi
# Trust auth for local TCP connections and the database the tests connect to.
if ! psql -h 127.0.0.1 -U postgres -d test -c 'SELECT 1' >/dev/null 2>&1; then
  psql -h 127.0.0.1 -U postgres -d postgres -c 'CREATE DATABASE test' >/dev/null 2>&1 \
    || su postgres -c "psql -c 'CREATE DATABASE test'" >/dev/null 2>&1 || true
fi

if ! redis_ready; then
  command -v redis-server >/dev/null 2>&1 || { log "installing Redis"; apt_install redis-server; }
  log "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 1 30); do redis_ready && break; sleep 1; done
  redis_ready || { log "Redis did not start"; exit 1; }
fi

# Debian's Chromium for the browser test of /docs (test/docs-browser.e2e-spec.ts drives it with playwright-core;
# no browser is downloaded).
if [ ! -x /usr/bin/chromium ]; then
  log "installing Chromium"
  apt_install chromium || log "Chromium could not be installed: the browser test will fail"
fi
