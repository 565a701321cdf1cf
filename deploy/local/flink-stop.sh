#!/usr/bin/env bash
# Stops what flink-start.sh started, by PID file: every TaskManager, then the JobManager.
# Usage: deploy/local/flink-stop.sh                 the whole cluster
#        deploy/local/flink-stop.sh taskmanager N   TaskManager N only (TERM; add --kill for SIGKILL, i.e. a crash)
#        deploy/local/flink-stop.sh --purge         the whole cluster, then delete its logs, checkpoints and config
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

if [ "${1:-}" = "taskmanager" ]; then
  file="$FLINK_RUN/taskmanager-${2:?which TaskManager number}.pid"
  [ -f "$file" ] || die "no PID file $file"
  if [ "${3:-}" = "--kill" ]; then
    log "killing TaskManager $2 (pid $(cat "$file")) with SIGKILL"
    kill -9 "$(cat "$file")" 2>/dev/null || true
    rm -f "$file"
  else
    stop_pid_file "$file" 30
  fi
  exit 0
fi

for file in "$FLINK_RUN"/taskmanager-*.pid; do
  [ -e "$file" ] || continue
  pid_alive "$file" && log "stopping $(basename "$file" .pid) (pid $(cat "$file"))"
  stop_pid_file "$file" 30
done
if pid_alive "$FLINK_RUN/jobmanager.pid"; then
  log "stopping the JobManager (pid $(cat "$FLINK_RUN/jobmanager.pid"))"
fi
stop_pid_file "$FLINK_RUN/jobmanager.pid" 30
if [ "${1:-}" = "--purge" ]; then
  rm -rf "$FLINK_RUN"
  log "deleted $FLINK_RUN"
fi
