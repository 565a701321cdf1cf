#!/usr/bin/env bash
# Throughput of the job on the local standalone cluster for several (partitions, parallelism) pairs, with a backlog:
# N posts are produced first, then the job is submitted and drains them; the rate is N over the span of the events'
# processed_at stamps (first to last labelling), read back with a read_committed consumer (exactly N or it fails).
# Usage: deploy/local/measure-scaling.sh MODEL_STORE [PARTITIONS:PARALLELISM ...]     (default 2:1 2:2 1:2)
# Env: SCALE_POSTS (N, 3000), FLINK_TM_SLOTS (2). Prints one JSON line per pair. Stops everything it started.
set -euo pipefail
export RUN_DIR="${RUN_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/target/scaling}"
export KAFKA_PORT="${KAFKA_PORT:-19092}" KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
export FLINK_REST_PORT="${FLINK_REST_PORT:-18081}" FLINK_RPC_PORT="${FLINK_RPC_PORT:-16123}" FLINK_BLOB_PORT="${FLINK_BLOB_PORT:-16124}"
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

MODEL_STORE="$(cd "${1:?usage: measure-scaling.sh MODEL_STORE [PARTITIONS:PARALLELISM ...]}" && pwd)"
shift
PAIRS=("$@")
[ ${#PAIRS[@]} -gt 0 ] || PAIRS=(2:1 2:2 1:2)
N="${SCALE_POSTS:-3000}"
REST="http://127.0.0.1:$FLINK_REST_PORT"
CP="$(ls "$ROOT"/emotion-cli/target/emotion-cli-*.jar | grep -v -e sources -e tests | head -n 1):$(cat "$ROOT/emotion-cli/target/runtime-classpath.txt")"
export EMOTION_HOME="$ROOT"
emotion() {
  # shellcheck disable=SC2086
  java -Xmx512m $JVM_OPENS $DJL_OPTS -Dlog4j2.configurationFile="$ROOT/emotion-cli/src/main/resources/log4j2-cli.xml" \
      -cp "$CP" com.emotionmonitor.cli.EmotionCli "$@"
}
topic_tool() {
  java -Dlog4j2.configurationFile="$KAFKA_RUN/log4j2.properties" -cp "$LIB_DIR/kafka/libs/*" \
      org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" "$@" >/dev/null
}
cleanup() {
  local status=$?
  set +e
  "$LOCAL_DIR/flink-stop.sh" >&2
  "$LOCAL_DIR/kafka-stop.sh" >&2
  [ "$status" -eq 0 ] && rm -rf "$RUN_DIR"
  exit "$status"
}
trap cleanup EXIT

mkdir -p "$RUN_DIR"
"$LOCAL_DIR/kafka-start.sh"
"$LOCAL_DIR/flink-start.sh"
for t in model-control model-status; do topic_tool --create --if-not-exists --topic "$t" --partitions 1 --replication-factor 1; done

# Newer job versions also write alerts to their own topic: give each run its own when the job has the setting.
HAS_ALERTS=false
emotion run --list-settings 2>/dev/null | grep -q "topic.alerts" && HAS_ALERTS=true

for pair in "${PAIRS[@]}"; do
  partitions="${pair%%:*}"
  parallelism="${pair##*:}"
  tag="p${partitions}x${parallelism}-$(date +%s)"
  for t in posts events stats dead alerts; do
    topic_tool --create --topic "$t-$tag" --partitions "$partitions" --replication-factor 1
  done
  emotion produce --bootstrap-servers "$BOOTSTRAP" --topic "posts-$tag" -n "$N" --id-prefix "$tag-" \
      >/dev/null 2>>"$RUN_DIR/clients.log"
  job="$(emotion run --jobmanager "127.0.0.1:$FLINK_REST_PORT" --detached --bootstrap-servers "$BOOTSTRAP" \
      --model-store "$MODEL_STORE" -p "$parallelism" --group-id "$tag" --checkpoint-interval 5s \
      --posts-topic "posts-$tag" --events-topic "events-$tag" --stats-topic "stats-$tag" \
      --dead-letter-topic "dead-$tag" $([ "$HAS_ALERTS" = true ] && echo "--set topic.alerts=alerts-$tag") --set sink.transactional-id-prefix="$tag" \
      --set kafka.starting-offsets=earliest 2>>"$RUN_DIR/clients.log" | tail -n 1 | jq -r .job_id)"
  [ -n "$job" ] && [ "$job" != null ] || die "submission failed for $pair (see $RUN_DIR/clients.log)"
  audit="$(emotion audit-events --bootstrap-servers "$BOOTSTRAP" --topic "events-$tag" --id-prefix "$tag-" -n "$N" \
      --timeout 10min --settle 6s 2>>"$RUN_DIR/clients.log" | tail -n 1)"
  curl -sf -X PATCH "$REST/jobs/$job?mode=cancel" >/dev/null || true
  wait_for "[ \"\$(curl -sf $REST/jobs/$job | jq -r .state)\" = CANCELED ]" 60 "job $job cancelled"
  echo "$audit" | jq -c --argjson partitions "$partitions" --argjson parallelism "$parallelism" \
      --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" \
      '{partitions: $partitions, parallelism: $parallelism, posts: .expected, exactly_once: .exactly_once,
        events_per_second: .events_per_second, processing_seconds: .processing_seconds, loadavg: $load}'
done
