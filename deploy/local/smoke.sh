#!/usr/bin/env bash
# The job on a real standalone cluster, end to end, with a crash in the middle:
#   1. build the job jar and the Kafka/Flink jar folders (Maven), pick a model (the project's newest published one,
#      else a real tiny model trained here in seconds)
#   2. start a Kafka broker (KRaft) and a Flink session cluster (JobManager + 1 TaskManager), create the topics
#   3. submit the job with bin/emotion run --jobmanager, produce N posts with a real Kafka producer
#   4. mid-stream, kill -9 the TaskManager process, start a new one; the job restarts from its last checkpoint
#   5. check with a read_committed consumer that exactly N events came out (each post id once)
#   6. cancel the job, resubmit it from its retained checkpoint, produce M more posts, check all N+M exactly once
#   7. stop everything it started (by PID files) and print one JSON line
# Ports differ from the other scripts' defaults, so a cluster you started by hand is left alone.
# Env: SMOKE_POSTS (N, 2000), SMOKE_POSTS_AFTER (M, 500), SMOKE_RATE (posts/s, 50), SMOKE_PARALLELISM (1),
#      SMOKE_MODEL_STORE (a model store to use instead), SMOKE_SKIP_BUILD=1, SMOKE_KEEP=1 (keep logs + data).
set -euo pipefail
export RUN_DIR="${RUN_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/target/smoke}"
export KAFKA_PORT="${KAFKA_PORT:-19092}" KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-19093}"
export FLINK_REST_PORT="${FLINK_REST_PORT:-18081}" FLINK_RPC_PORT="${FLINK_RPC_PORT:-16123}" FLINK_BLOB_PORT="${FLINK_BLOB_PORT:-16124}"
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

N="${SMOKE_POSTS:-2000}"
M="${SMOKE_POSTS_AFTER:-500}"
RATE="${SMOKE_RATE:-50}"
PARALLELISM="${SMOKE_PARALLELISM:-1}"
RUN_ID="smoke-$(date +%s)"
PREFIX="$RUN_ID-"
REST="http://127.0.0.1:$FLINK_REST_PORT"
STARTED=$(date +%s)
PRODUCER_PID=""

# bin/emotion's launch (same flags, same main class), from a copy of the CLI jar taken right after the build: a
# rebuild of emotion-cli/target during the run (another checkout user, an IDE) cannot pull the classes away.
export EMOTION_HOME="$ROOT"
emotion() {
  # shellcheck disable=SC2086
  java -Xmx512m $JVM_OPENS $DJL_OPTS -Dlog4j2.configurationFile="$ROOT/emotion-cli/src/main/resources/log4j2-cli.xml" \
      -cp "$CLI_CP" com.emotionmonitor.cli.EmotionCli "$@"
}

RESULT=""
# On any failure the last line is still one JSON object, saying what failed.
die() {
  log "ERROR: $*"
  RESULT="$(jq -cn --arg error "$*" --argjson posts_in "$((N + M))" '{posts_in: $posts_in, events_out: null, duplicates: null,
      recovered: false, resubmitted_ok: false, passed: false, error: $error}')"
  exit 1
}

cleanup() {
  local status=$?
  set +e
  [ -n "$PRODUCER_PID" ] && kill "$PRODUCER_PID" 2>/dev/null
  "$LOCAL_DIR/flink-stop.sh" >&2
  "$LOCAL_DIR/kafka-stop.sh" >&2
  if [ "${SMOKE_KEEP:-0}" != "1" ] && [ "$status" -eq 0 ]; then
    rm -rf "$RUN_DIR"
  else
    log "logs and data kept in $RUN_DIR"
  fi
  [ -n "$RESULT" ] && echo "$RESULT"
  exit "$status"
}

job_state() { curl -sf "$REST/jobs/$1" | jq -r .state; }
job_metric() { curl -sf "$REST/jobs/$1/metrics?get=$2" | jq -r '.[0].value // "0"'; }
audit() {  # audit FIRST COUNT TIMEOUT SETTLE -> one JSON line (exit status ignored: the JSON says)
  emotion audit-events --bootstrap-servers "$BOOTSTRAP" --id-prefix "$PREFIX" --first-index "$1" -n "$2" \
      --timeout "$3" --settle "$4" 2>>"$RUN_DIR/clients.log" | tail -n 1 || true
}
submit() {  # submit [--restore PATH] -> job id
  emotion run --jobmanager "127.0.0.1:$FLINK_REST_PORT" --detached --bootstrap-servers "$BOOTSTRAP" \
      --model-store "$MODEL_STORE" -p "$PARALLELISM" --checkpoint-interval 3s --group-id "$RUN_ID" \
      --set sink.transactional-id-prefix="$RUN_ID" --set job.restart-attempts=10 --set job.restart-delay=2s \
      -Dexecution.checkpointing.externalized-checkpoint-retention=RETAIN_ON_CANCELLATION "$@" \
      2>>"$RUN_DIR/clients.log" | tail -n 1 | jq -r .job_id
}
wait_job_running() {  # the job and every one of its tasks RUNNING (the model loaded)
  wait_for "curl -sf $REST/jobs/$1 | jq -e '.state == \"RUNNING\" and ([.vertices[].status] | all(. == \"RUNNING\"))'" 180 "job $1 RUNNING"
}

trap cleanup EXIT

# --- 1. build -------------------------------------------------------------------------------------------------
mkdir -p "$RUN_DIR"
if [ "${SMOKE_SKIP_BUILD:-0}" != "1" ]; then
  log "building the CLI and the job jar (Maven) ..."
  (cd "$ROOT" && mvn -B -ntp -q -Dstyle.color=never -pl emotion-cli -am install -DskipTests) >&2
fi
ensure_libs
# Snapshot the project's own jars (the CLI and its sibling modules); third-party jars are used where Maven put them.
mkdir -p "$RUN_DIR/cli"
cp "$(ls "$ROOT"/emotion-cli/target/emotion-cli-*.jar | grep -v -e sources -e tests | head -n 1)" "$RUN_DIR/cli/emotion-cli.jar"
CLI_CP="$RUN_DIR/cli/emotion-cli.jar"
IFS=: read -r -a DEPS < "$ROOT/emotion-cli/target/runtime-classpath.txt" || true   # one line without a newline: read says EOF
for jar in "${DEPS[@]}"; do
  case "$jar" in
    */com/emotionmonitor/*|"$ROOT"/*) cp "$jar" "$RUN_DIR/cli/"; CLI_CP="$CLI_CP:$RUN_DIR/cli/$(basename "$jar")" ;;
    *) CLI_CP="$CLI_CP:$jar" ;;
  esac
done

if [ -n "${SMOKE_MODEL_STORE:-}" ]; then
  MODEL_STORE="$SMOKE_MODEL_STORE"
elif [ -n "$(ls "$ROOT"/model-store/weibo-emotion/*/manifest.json 2>/dev/null)" ]; then
  MODEL_STORE="$ROOT/model-store"
else
  MODEL_STORE="$RUN_DIR/model-store"
  log "no model published in $ROOT/model-store: training a real TINY model for this check (labels not meaningful)"
  java $DJL_OPTS -Dlog4j2.configurationFile="$ROOT/emotion-cli/src/main/resources/log4j2-cli.xml" -cp "$CLI_CP" \
      com.emotionmonitor.tools.TinyModelPublisher "$MODEL_STORE" tiny-smoke >>"$RUN_DIR/clients.log" 2>&1
fi
log "model store: $MODEL_STORE"

# --- 2. start the cluster -------------------------------------------------------------------------------------
"$LOCAL_DIR/kafka-start.sh" || die "the Kafka broker did not start (see $KAFKA_RUN/logs)"
"$LOCAL_DIR/kafka-topics.sh" create-job-topics 2 || die "could not create the topics"
"$LOCAL_DIR/flink-start.sh" || die "the Flink cluster did not start (see $FLINK_RUN/logs)"

# --- 3. submit, produce -----------------------------------------------------------------------------------------
JOB1="$(submit || true)"
[ -n "$JOB1" ] && [ "$JOB1" != null ] || die "submission failed (see $RUN_DIR/clients.log)"
log "job $JOB1 submitted; producing $N posts at $RATE posts/s (ids $PREFIX*)"
wait_job_running "$JOB1"
emotion produce --bootstrap-servers "$BOOTSTRAP" -n "$N" --id-prefix "$PREFIX" --rate "$RATE" \
    >"$RUN_DIR/produce-1.json" 2>>"$RUN_DIR/clients.log" &
PRODUCER_PID=$!

# --- 4. kill the TaskManager once the job has committed part of the stream --------------------------------------
COMMITTED_AT_KILL=0
for _ in $(seq 1 120); do
  COMMITTED_AT_KILL="$(audit 0 "$N" 1s 0s | jq -r .unique)"
  [ "${COMMITTED_AT_KILL:-0}" -ge $((N / 10)) ] && break
  if [ "$(job_metric "$JOB1" numRestarts)" -gt 0 ] || [ "$(job_state "$JOB1")" != RUNNING ]; then
    die "the job failed before the kill: $(curl -sf "$REST/jobs/$JOB1/exceptions" | jq -r '.exceptionHistory.entries[0].exceptionName + ": " + (.exceptionHistory.entries[0].stacktrace | split("\n")[0])' 2>/dev/null)"
  fi
  sleep 1
done
[ "${COMMITTED_AT_KILL:-0}" -ge $((N / 10)) ] || die "the job committed only ${COMMITTED_AT_KILL:-0} of $N events in time"
MID_STREAM=false
[ "$COMMITTED_AT_KILL" -lt "$N" ] && MID_STREAM=true
PRODUCING_AT_KILL=false
kill -0 "$PRODUCER_PID" 2>/dev/null && PRODUCING_AT_KILL=true
TM_FILE="$(ls "$FLINK_RUN"/taskmanager-*.pid | head -n 1)"
log "$COMMITTED_AT_KILL of $N events committed, producer still sending: $PRODUCING_AT_KILL: kill -9 TaskManager pid $(cat "$TM_FILE")"
kill -9 "$(cat "$TM_FILE")"
rm -f "$TM_FILE"
"$LOCAL_DIR/flink-start.sh" taskmanager || die "the replacement TaskManager did not start (see $FLINK_RUN/logs)"
wait_for "[ \"\$(job_metric $JOB1 numRestarts)\" -ge 1 ] && [ \"\$(job_state $JOB1)\" = RUNNING ]" 180 "job $JOB1 restarted"
RESTARTS="$(job_metric "$JOB1" numRestarts)"
log "job $JOB1 restarted ($RESTARTS restart(s)) on the new TaskManager"

wait "$PRODUCER_PID" || die "the producer failed (see $RUN_DIR/clients.log)"
PRODUCER_PID=""

# --- 5. exactly N out? -------------------------------------------------------------------------------------------
AUDIT1="$(audit 0 "$N" 5min 8s)"
log "after the TaskManager kill: $AUDIT1"
RECOVERED=false
[ "$(echo "$AUDIT1" | jq -r .exactly_once)" = true ] && [ "$RESTARTS" -ge 1 ] && [ "$MID_STREAM" = true ] && RECOVERED=true

# --- 6. cancel, resubmit from the retained checkpoint, process more ---------------------------------------------
curl -sf -X PATCH "$REST/jobs/$JOB1?mode=cancel" >/dev/null
wait_for "[ \"\$(job_state $JOB1)\" = CANCELED ]" 60 "job $JOB1 cancelled"
CHECKPOINT="$(curl -sf "$REST/jobs/$JOB1/checkpoints" | jq -r '.latest.completed.external_path // empty')"
[ -n "$CHECKPOINT" ] || die "job $JOB1 left no completed checkpoint to resume from"
log "job $JOB1 cancelled; resubmitting from $CHECKPOINT"
JOB2="$(submit --restore "$CHECKPOINT" || true)"
[ -n "$JOB2" ] && [ "$JOB2" != null ] || die "resubmission failed (see $RUN_DIR/clients.log)"
wait_job_running "$JOB2"
emotion produce --bootstrap-servers "$BOOTSTRAP" -n "$M" --id-prefix "$PREFIX" --first-index "$N" --rate "$RATE" \
    >"$RUN_DIR/produce-2.json" 2>>"$RUN_DIR/clients.log" || die "the second producer failed"
AUDIT_ALL="$(audit 0 $((N + M)) 5min 8s)"
log "after the resubmission: $AUDIT_ALL"
RESTORED="$(curl -sf "$REST/jobs/$JOB2/checkpoints" | jq -r '.latest.restored.external_path // empty')"
RESUBMITTED_OK=false
[ "$(echo "$AUDIT_ALL" | jq -r .exactly_once)" = true ] && [ "$RESTORED" = "$CHECKPOINT" ] && RESUBMITTED_OK=true
curl -sf -X PATCH "$REST/jobs/$JOB2?mode=cancel" >/dev/null || true

# --- 7. report (cleanup runs on exit) ----------------------------------------------------------------------------
PASSED=false
[ "$RECOVERED" = true ] && [ "$RESUBMITTED_OK" = true ] && PASSED=true
jq -cn --argjson posts_in $((N + M)) --argjson a1 "$AUDIT1" --argjson all "$AUDIT_ALL" \
    --argjson recovered "$RECOVERED" --argjson resubmitted_ok "$RESUBMITTED_OK" --argjson passed "$PASSED" \
    --argjson committed_at_kill "$COMMITTED_AT_KILL" --argjson producing_at_kill "$PRODUCING_AT_KILL" --argjson restarts "$RESTARTS" --arg model_store "$MODEL_STORE" \
    --arg restored_from "$RESTORED" --argjson parallelism "$PARALLELISM" --argjson seconds $(( $(date +%s) - STARTED )) \
    '{posts_in: $posts_in, events_out: $all.events_out, duplicates: $all.duplicates, missing: $all.missing,
      recovered: $recovered, resubmitted_ok: $resubmitted_ok,
      phase1: {posts: $a1.expected, events_out: $a1.events_out, duplicates: $a1.duplicates, missing: $a1.missing,
               committed_when_taskmanager_killed: $committed_at_kill, producer_sending_when_killed: $producing_at_kill,
               job_restarts: $restarts},
      restored_from: $restored_from, model_versions: $all.model_versions, parallelism: $parallelism,
      model_store: $model_store, seconds: $seconds, passed: $passed}' > "$RUN_DIR/result.json"
RESULT="$(cat "$RUN_DIR/result.json")"
[ "$PASSED" = true ]   # the exit trap stops everything, then prints RESULT as the last line
