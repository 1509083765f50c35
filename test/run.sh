#!/usr/bin/env bash
# `npm test`: prepares everything the tests need on this machine, runs every tier (unit,
# integration, e2e) and cleans up what it started.
# - PostgreSQL and Redis: the local services (started here if they are installed but stopped).
# - Kafka: a single-node KRaft broker from Maven Central's jars (infra/kafka/broker.sh), unless
#   KAFKA_BROKERS names one.
# - Chromium for the console's browser tests: Debian's package (playwright-core never downloads a
#   browser), installed here when /usr/bin/chromium is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  echo "test: /usr/bin/chromium missing; installing Debian's chromium package" >&2
  sudo_cmd=""
  if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq && $sudo_cmd apt-get install -y -qq chromium >/dev/null ||
    { echo "test: could not install chromium (needed by test/browser/)" >&2; exit 1; }
fi

pg_url="${WAYMARK_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if ! pg_isready -q -d "$pg_url"; then
  echo "test: PostgreSQL not answering at $pg_url; trying to start the local cluster" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  for _ in $(seq 1 30); do pg_isready -q -d "$pg_url" && break; sleep 1; done
  pg_isready -q -d "$pg_url" || { echo "test: PostgreSQL is required" >&2; exit 1; }
fi

redis_url="${REDIS_URL:-redis://127.0.0.1:6379}"
if ! redis-cli -u "$redis_url" ping >/dev/null 2>&1; then
  echo "test: Redis not answering at $redis_url; trying to start a local one" >&2
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null || true
  for _ in $(seq 1 20); do redis-cli -u "$redis_url" ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
export REDIS_URL="$redis_url"

# docker-compose (Debian's client; no engine needed) validates infra/deploy/compose.yaml offline.
if ! command -v docker-compose >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "test: installing docker-compose (apt) for the deployment-file check" >&2
  apt-get install -y -qq docker-compose >/dev/null 2>&1 ||
    { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq docker-compose >/dev/null 2>&1; } || true
fi

started_kafka=0
if [ -z "${KAFKA_BROKERS:-}" ]; then
  export WAYMARK_KAFKA_PORT="${WAYMARK_KAFKA_PORT:-19092}"
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$WAYMARK_KAFKA_PORT") 2>/dev/null; then
    bash infra/kafka/broker.sh start
    started_kafka=1
  fi
  export KAFKA_BROKERS="127.0.0.1:$WAYMARK_KAFKA_PORT"
fi
cleanup() { if [ "$started_kafka" = 1 ]; then bash infra/kafka/broker.sh stop; fi; }
trap cleanup EXIT

# promtool (Prometheus' own checker) runs on the alert rules and on every process's /metrics.
if ! command -v promtool >/dev/null 2>&1; then
  echo "test: promtool missing; installing Debian's prometheus package" >&2
  { apt-get update && apt-get install -y prometheus; } >/dev/null || {
    echo "test: promtool is required (apt-get install -y prometheus)" >&2
    exit 1
  }
fi

results="$(mktemp --suffix=.json)"
status=0
npm run -s test:jest -- --json --outputFile="$results" "$@" || status=$?
# The closing line CI reads: "jest: N passed, N failed, N skipped".
node -e '
  const r = JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"));
  console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests + r.numTodoTests} skipped`);
' "$results" || true
rm -f "$results"
exit "$status"
