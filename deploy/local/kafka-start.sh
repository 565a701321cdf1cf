#!/usr/bin/env bash
# Starts one standalone Kafka broker process in KRaft combined mode (broker + controller) on 127.0.0.1, from the
# kafka_2.13 jars on Maven Central. Formats its storage on first start. Writes $RUN_DIR/kafka/kafka.pid.
# Usage: deploy/local/kafka-start.sh            (env: KAFKA_PORT, KAFKA_CONTROLLER_PORT, KAFKA_HEAP, RUN_DIR)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

PID_FILE="$KAFKA_RUN/kafka.pid"
if pid_alive "$PID_FILE"; then
  log "already running (pid $(cat "$PID_FILE")) on $BOOTSTRAP"
  exit 0
fi
ensure_libs
port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is taken by another process: set KAFKA_PORT"
port_open "$KAFKA_CONTROLLER_PORT" && die "port $KAFKA_CONTROLLER_PORT is taken by another process: set KAFKA_CONTROLLER_PORT"
mkdir -p "$KAFKA_RUN/data" "$KAFKA_RUN/logs"

cat > "$KAFKA_RUN/server.properties" <<PROPS
# Written by deploy/local/kafka-start.sh: one node, broker + KRaft controller, loopback only.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_RUN/data
num.partitions=2
auto.create.topics.enable=false
# A single node: internal topics cannot have more replicas than nodes.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# The job's exactly-once sinks keep transactions open for up to a checkpoint interval; their timeout (10min by
# default) must stay below this maximum.
transaction.max.timeout.ms=900000
PROPS

cat > "$KAFKA_RUN/log4j2.properties" <<PROPS
appender.file.type=RollingFile
appender.file.name=file
appender.file.fileName=$KAFKA_RUN/logs/server.log
appender.file.filePattern=$KAFKA_RUN/logs/server.log.%i
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
appender.file.policies.type=Policies
appender.file.policies.size.type=SizeBasedTriggeringPolicy
appender.file.policies.size.size=50MB
appender.file.strategy.type=DefaultRolloverStrategy
appender.file.strategy.max=3
rootLogger.level=INFO
rootLogger.appenderRef.file.ref=file
logger.kafka.name=org.apache.kafka
logger.kafka.level=INFO
logger.controller.name=org.apache.kafka.controller
logger.controller.level=WARN
PROPS

KAFKA_CP="$LIB_DIR/kafka/libs/*"
JAVA_COMMON=(-Dlog4j2.configurationFile="$KAFKA_RUN/log4j2.properties" -cp "$KAFKA_CP")

if [ ! -f "$KAFKA_RUN/data/meta.properties" ]; then
  CLUSTER_ID="$(java "${JAVA_COMMON[@]}" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)"
  log "formatting storage, cluster id $CLUSTER_ID"
  java "${JAVA_COMMON[@]}" kafka.tools.StorageTool format -t "$CLUSTER_ID" -c "$KAFKA_RUN/server.properties" \
      >"$KAFKA_RUN/logs/format.log" 2>&1 || { cat "$KAFKA_RUN/logs/format.log" >&2; die "storage format failed"; }
fi

log "starting the broker on $BOOTSTRAP (controller 127.0.0.1:$KAFKA_CONTROLLER_PORT), logs in $KAFKA_RUN/logs"
nohup java -server $KAFKA_HEAP -XX:+UseG1GC -Djava.awt.headless=true "${JAVA_COMMON[@]}" \
    kafka.Kafka "$KAFKA_RUN/server.properties" >"$KAFKA_RUN/logs/stdout.log" 2>&1 </dev/null &
echo $! > "$PID_FILE"

# Ready when the broker answers a metadata request, not merely when the port opens.
wait_for "pid_alive '$PID_FILE' && port_open $KAFKA_PORT && java -cp '$KAFKA_CP' -Dlog4j2.configurationFile='$KAFKA_RUN/log4j2.properties' \
    org.apache.kafka.tools.TopicCommand --bootstrap-server $BOOTSTRAP --list" 90 "Kafka broker on $BOOTSTRAP" \
  || true
pid_alive "$PID_FILE" || { tail -n 30 "$KAFKA_RUN/logs/server.log" >&2; die "the broker exited"; }
log "broker ready on $BOOTSTRAP (pid $(cat "$PID_FILE"))"
