#!/usr/bin/env bash
# Starts a Flink 2.2 standalone session cluster on 127.0.0.1 from Maven jars (there is no flink-dist on Central):
# one JobManager process (StandaloneSessionClusterEntrypoint, REST + web UI on FLINK_REST_PORT) and one TaskManager
# process (TaskManagerRunner) with DJL on its classpath, loaded parent-first. Memory is sized by Flink's own
# BashJavaUtils, as flink-dist's scripts do. PID files: $RUN_DIR/flink/jobmanager.pid, taskmanager-N.pid.
# Usage: deploy/local/flink-start.sh               JobManager + one TaskManager
#        deploy/local/flink-start.sh taskmanager   one more TaskManager (e.g. after one was killed)
# Env: FLINK_REST_PORT, FLINK_TM_SLOTS (2), FLINK_TM_PROCESS_SIZE (2000m), FLINK_JM_PROCESS_SIZE (800m),
#      FLINK_PROMETHEUS=1 to start the Prometheus reporter (it listens on all interfaces: Flink 2.2 has no host option).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

CONF_DIR="$FLINK_RUN/conf"
FLINK_CP="$LIB_DIR/flink/lib/*"
JM_PID="$FLINK_RUN/jobmanager.pid"

write_config() {
  mkdir -p "$CONF_DIR" "$FLINK_RUN/logs" "$FLINK_RUN/checkpoints" "$FLINK_RUN/savepoints" "$FLINK_RUN/work" "$FLINK_RUN/tmp"
  cat > "$CONF_DIR/config.yaml" <<YAML
# Written by deploy/local/flink-start.sh. Flink 2.x reads conf/config.yaml (standard YAML).
jobmanager:
  rpc: {address: 127.0.0.1, port: $FLINK_RPC_PORT}
  bind-host: 127.0.0.1
  memory: {process.size: $FLINK_JM_PROCESS_SIZE}
  execution: {failover-strategy: region}
taskmanager:
  host: 127.0.0.1
  bind-host: 127.0.0.1
  numberOfTaskSlots: $FLINK_TM_SLOTS
  memory:
    process.size: $FLINK_TM_PROCESS_SIZE
    # Keyed state lives on the heap (hashmap backend): no RocksDB, so little managed memory.
    managed.size: 64m
    # libtorch and the tokenizer allocate natively; leave room beside the heap.
    task.off-heap.size: 256m
rest:
  address: 127.0.0.1
  bind-address: 127.0.0.1
  port: $FLINK_REST_PORT
blob.server.port: $FLINK_BLOB_PORT
# A killed TaskManager is noticed within seconds, not the default 50 s.
heartbeat: {interval: 2s, timeout: 10s}
# DJL is on lib/: load it parent-first so libtorch and tokenizers load once per JVM and a second job (or a
# resubmission) on the same TaskManager does not hit "UnsatisfiedLinkError: already loaded in another classloader".
classloader.parent-first-patterns.additional: ["ai.djl."]
state.backend.type: hashmap
execution.checkpointing:
  dir: file://$FLINK_RUN/checkpoints
  savepoint-dir: file://$FLINK_RUN/savepoints
  # A cancelled job keeps its last checkpoint, so a resubmission can resume exactly where it stopped.
  externalized-checkpoint-retention: RETAIN_ON_CANCELLATION
  num-retained: 2
io.tmp.dirs: $FLINK_RUN/tmp
process.working-dir: $FLINK_RUN/work
YAML
  if [ "${FLINK_PROMETHEUS:-0}" = "1" ]; then
    cat >> "$CONF_DIR/config.yaml" <<YAML
metrics.reporter.prom:
  factory.class: org.apache.flink.metrics.prometheus.PrometheusReporterFactory
  port: $FLINK_PROM_PORTS
YAML
  fi
  cat > "$CONF_DIR/log4j.properties" <<'PROPS'
monitorInterval=30
rootLogger.level=INFO
rootLogger.appenderRef.file.ref=MainAppender
logger.kafka.name=org.apache.kafka
logger.kafka.level=WARN
logger.djl.name=ai.djl
logger.djl.level=INFO
appender.main.name=MainAppender
appender.main.type=RollingFile
appender.main.append=true
appender.main.fileName=${sys:log.file}
appender.main.filePattern=${sys:log.file}.%i
appender.main.layout.type=PatternLayout
appender.main.layout.pattern=%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
appender.main.policies.type=Policies
appender.main.policies.size.type=SizeBasedTriggeringPolicy
appender.main.policies.size.size=50MB
appender.main.strategy.type=DefaultRolloverStrategy
appender.main.strategy.max=3
PROPS
}

# Flink's BashJavaUtils prints the JVM flags (line 1) and the dynamic memory settings (line 2) for a process.
resource_params() {
  java -cp "$FLINK_CP" -Dlog4j2.configurationFile="$CONF_DIR/log4j.properties" -Dlog.file="$FLINK_RUN/logs/bash-java-utils.log" \
      org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$CONF_DIR" \
    | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p'
}

start_jobmanager() {
  if pid_alive "$JM_PID"; then
    log "JobManager already running (pid $(cat "$JM_PID"))"
    return
  fi
  port_open "$FLINK_REST_PORT" && die "port $FLINK_REST_PORT is taken by another process: set FLINK_REST_PORT"
  port_open "$FLINK_RPC_PORT" && die "port $FLINK_RPC_PORT is taken by another process: set FLINK_RPC_PORT"
  local params jvm dynamic
  params="$(resource_params GET_JM_RESOURCE_PARAMS)"
  jvm="$(echo "$params" | head -n 1)"
  dynamic="$(echo "$params" | sed -n 2p)"
  log "starting the JobManager: REST + web UI on http://127.0.0.1:$FLINK_REST_PORT, logs in $FLINK_RUN/logs"
  # shellcheck disable=SC2086  # word splitting of the JVM flag lists is intended
  nohup java $jvm $JVM_OPENS -Dlog.file="$FLINK_RUN/logs/jobmanager.log" \
      -Dlog4j2.configurationFile="$CONF_DIR/log4j.properties" -cp "$FLINK_CP" \
      org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$CONF_DIR" $dynamic \
      >"$FLINK_RUN/logs/jobmanager.out" 2>&1 </dev/null &
  echo $! > "$JM_PID"
  wait_for "pid_alive '$JM_PID' && curl -sf http://127.0.0.1:$FLINK_REST_PORT/overview" 90 "JobManager REST on port $FLINK_REST_PORT"
  log "JobManager ready (pid $(cat "$JM_PID"))"
}

start_taskmanager() {
  pid_alive "$JM_PID" || die "no JobManager running: run deploy/local/flink-start.sh first"
  local n=1   # a fresh number per process, so a replacement never appends to a killed one's log
  while [ -e "$FLINK_RUN/taskmanager-$n.pid" ] || [ -e "$FLINK_RUN/logs/taskmanager-$n.log" ]; do n=$((n + 1)); done
  local params jvm dynamic id
  params="$(resource_params GET_TM_RESOURCE_PARAMS)"
  jvm="$(echo "$params" | head -n 1)"
  dynamic="$(echo "$params" | sed -n 2p)"
  id="taskmanager-$n-$(date +%s)"   # its own resource id, to see this very process register
  log "starting TaskManager $n ($FLINK_TM_SLOTS slots, $FLINK_TM_PROCESS_SIZE), log $FLINK_RUN/logs/taskmanager-$n.log"
  # shellcheck disable=SC2086
  nohup java $jvm $JVM_OPENS $DJL_OPTS -Dlog.file="$FLINK_RUN/logs/taskmanager-$n.log" \
      -Dlog4j2.configurationFile="$CONF_DIR/log4j.properties" -cp "$FLINK_CP" \
      org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$CONF_DIR" $dynamic -D taskmanager.resource-id="$id" \
      >"$FLINK_RUN/logs/taskmanager-$n.out" 2>&1 </dev/null &
  echo $! > "$FLINK_RUN/taskmanager-$n.pid"
  wait_for "pid_alive '$FLINK_RUN/taskmanager-$n.pid' && curl -sf http://127.0.0.1:$FLINK_REST_PORT/taskmanagers | jq -e '.taskmanagers[] | select(.id == \"$id\")'" \
      90 "TaskManager $n registration"
  log "TaskManager $n registered (pid $(cat "$FLINK_RUN/taskmanager-$n.pid"))"
}

ensure_libs
case "${1:-cluster}" in
  cluster)
    write_config
    start_jobmanager
    start_taskmanager
    ;;
  taskmanager)
    start_taskmanager
    ;;
  *) die "usage: flink-start.sh [cluster|taskmanager]" ;;
esac
