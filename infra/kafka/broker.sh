#!/usr/bin/env bash
# Runs a single-node Apache Kafka 4.x broker in KRaft mode from the official jars on Maven Central.
# No Docker: Maven fetches org.apache.kafka:kafka_2.13 and kafka-tools (cached under the cache dir),
# then the broker runs on loopback with a small heap. Used by the test harness and the benchmarks.
#
#   broker.sh start   fetch jars if needed, format a fresh log dir, start, wait until ready
#   broker.sh stop    stop the broker this script started
#   broker.sh tool C  run a Kafka tool class (e.g. org.apache.kafka.tools.ProducerPerformance)
#   broker.sh classpath  print the classpath
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${WAYMARK_CACHE_DIR:-$HOME/.cache/waymark}"
version="$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/pom.xml")"
libs="$cache/kafka-$version-$(sha1sum "$here/pom.xml" | cut -c1-8)/libs"
port="${WAYMARK_KAFKA_PORT:-19092}"
# The address it listens on and advertises (a test reaching it from a network namespace sets it).
host="${WAYMARK_KAFKA_HOST:-127.0.0.1}"
controller_port="$((port + 1))"
run_dir="$cache/kafka-run-$port"
pid_file="$run_dir/broker.pid"

fetch() {
  if [ ! -f "$libs/.complete" ]; then
    mkdir -p "$libs"
    mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$libs" -DincludeScope=runtime >&2
    touch "$libs/.complete"
  fi
}

ready() { (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; }

java_opts() {
  echo "-Xms128m -Xmx512m -XX:+UseG1GC -Djava.awt.headless=true -Dlog4j2.configurationFile=$here/log4j2.xml"
}

start() {
  if ready; then echo "kafka: already listening on $host:$port" >&2; return 0; fi
  fetch
  rm -rf "$run_dir"; mkdir -p "$run_dir/logs"
  cat > "$run_dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://$host:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://$host:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$run_dir/data
num.partitions=3
num.network.threads=2
num.io.threads=2
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPS
  # shellcheck disable=SC2046
  java $(java_opts) -cp "$libs/*" kafka.tools.StorageTool format \
    -t "$(java -cp "$libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)" \
    -c "$run_dir/server.properties" >"$run_dir/logs/format.log" 2>&1
  # shellcheck disable=SC2046
  nohup java $(java_opts) -cp "$libs/*" kafka.Kafka "$run_dir/server.properties" \
    >"$run_dir/logs/broker.out" 2>&1 &
  echo $! >"$pid_file"
  for _ in $(seq 1 120); do
    if ready; then echo "kafka: ready on $host:$port (pid $(cat "$pid_file"))" >&2; return 0; fi
    if ! kill -0 "$(cat "$pid_file")" 2>/dev/null; then break; fi
    sleep 0.5
  done
  echo "kafka: failed to start; see $run_dir/logs/broker.out" >&2
  tail -20 "$run_dir/logs/broker.out" >&2 || true
  return 1
}

stop() {
  if [ -f "$pid_file" ]; then
    pid="$(cat "$pid_file")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pid_file"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  classpath) fetch; echo "$libs/*" ;;
  tool) shift; fetch; cls="$1"; shift
    # shellcheck disable=SC2046
    exec java $(java_opts) -cp "$libs/*" "$cls" "$@" ;;
  *) echo "usage: broker.sh start|stop|classpath|tool CLASS [ARGS]" >&2; exit 2 ;;
esac
