#!/usr/bin/env bash
# Makes sure everything the tests talk to is here and running: Debian packages (Chromium, espeak-ng,
# sox, coturn, ffmpeg), the local PostgreSQL and Redis, and the npm packages of the browser tests.
# Safe to run again: it only installs or starts what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
for pair in chromium:chromium espeak-ng:espeak-ng sox:sox turnserver:coturn ffmpeg:ffmpeg npm:npm; do
  cmd=${pair%%:*}; pkg=${pair#*:}
  command -v "$cmd" >/dev/null 2>&1 || need+=("$pkg")
done
# Korean glyphs, so that page layout and screenshots are measured with real Korean text
[ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
  echo "test-setup: installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
fi
# coturn's package starts a system service on 3478; the tests run their own on free ports
if command -v systemctl >/dev/null 2>&1; then systemctl disable --now coturn >/dev/null 2>&1 || true; fi

pg_up() { pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; }
if ! pg_up; then
  echo "test-setup: starting PostgreSQL"
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
  for _ in $(seq 1 30); do pg_up && break; sleep 1; done
  pg_up || { echo "test-setup: PostgreSQL is not reachable on 127.0.0.1:5432" >&2; exit 1; }
fi
psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='test'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE test" >/dev/null

redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; }
if ! redis_up; then
  echo "test-setup: starting Redis"
  mkdir -p /var/lib/redis /var/log/redis
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis_up && break; sleep 0.5; done
  redis_up || { echo "test-setup: Redis is not reachable on 127.0.0.1:6379" >&2; exit 1; }
fi

# axe-core for the accessibility checks, pinned by tests/e2e/package-lock.json
if [ ! -f tests/e2e/node_modules/axe-core/axe.min.js ]; then
  (cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
fi
echo "test-setup: ready"
