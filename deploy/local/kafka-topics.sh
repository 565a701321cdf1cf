#!/usr/bin/env bash
# Kafka's own topic tool (org.apache.kafka.tools.TopicCommand) against the local broker.
# Usage: deploy/local/kafka-topics.sh create-job-topics [PARTITIONS]   the job's topics (data topics: default 2 partitions)
#        deploy/local/kafka-topics.sh ARGS...                            any kafka-topics argument, e.g. --describe
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
ensure_libs

topic_tool() {
  java -Dlog4j2.configurationFile="$KAFKA_RUN/log4j2.properties" -cp "$LIB_DIR/kafka/libs/*" \
      org.apache.kafka.tools.TopicCommand --bootstrap-server "$BOOTSTRAP" "$@"
}

if [ "${1:-}" = "create-job-topics" ]; then
  partitions="${2:-2}"
  for topic in $DATA_TOPICS; do
    topic_tool --create --if-not-exists --topic "$topic" --partitions "$partitions" --replication-factor 1 >&2
  done
  # Model commands must stay in order: one partition; every subtask reads it (broadcast).
  for topic in $CONTROL_TOPICS; do
    topic_tool --create --if-not-exists --topic "$topic" --partitions 1 --replication-factor 1 >&2
  done
  log "topics ready: $DATA_TOPICS ($partitions partitions each), $CONTROL_TOPICS (1 partition)"
else
  topic_tool "$@"
fi
