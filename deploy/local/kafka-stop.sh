#!/usr/bin/env bash
# Stops the broker started by kafka-start.sh (by its PID file). --purge also deletes its data and logs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

if pid_alive "$KAFKA_RUN/kafka.pid"; then
  log "stopping the broker (pid $(cat "$KAFKA_RUN/kafka.pid"))"
fi
stop_pid_file "$KAFKA_RUN/kafka.pid" 60
if [ "${1:-}" = "--purge" ]; then
  rm -rf "$KAFKA_RUN"
  log "deleted $KAFKA_RUN"
fi
