# Shared settings and helpers of the deploy/local scripts (sourced, not run).
# Everything binds 127.0.0.1; every process started here is stopped by the PID file it wrote.
# Override any of these in the environment, e.g. KAFKA_PORT=19092 RUN_DIR=/tmp/em deploy/local/kafka-start.sh

LOCAL_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$LOCAL_DIR/../.." && pwd)"
LIB_DIR="$LOCAL_DIR/target"                       # jar folders assembled by deploy/local/pom.xml
RUN_DIR="${RUN_DIR:-$LOCAL_DIR/target/run}"        # data, logs, configs and PID files of the running processes

KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP="${KAFKA_HEAP:--Xms256m -Xmx512m}"
BOOTSTRAP="127.0.0.1:$KAFKA_PORT"

FLINK_REST_PORT="${FLINK_REST_PORT:-8081}"
FLINK_RPC_PORT="${FLINK_RPC_PORT:-6123}"
FLINK_BLOB_PORT="${FLINK_BLOB_PORT:-6124}"
FLINK_PROM_PORTS="${FLINK_PROM_PORTS:-9249-9259}"
FLINK_TM_SLOTS="${FLINK_TM_SLOTS:-2}"
FLINK_TM_PROCESS_SIZE="${FLINK_TM_PROCESS_SIZE:-2000m}"
FLINK_JM_PROCESS_SIZE="${FLINK_JM_PROCESS_SIZE:-800m}"

# The job's topics (JobConfig defaults): data topics get PARTITIONS partitions, control topics one.
DATA_TOPICS="social-posts emotion-events emotion-stats emotion-dead-letters emotion-alerts emotion-drift-alerts model-comparisons"
CONTROL_TOPICS="model-control model-status"

KAFKA_RUN="$RUN_DIR/kafka"
FLINK_RUN="$RUN_DIR/flink"

# DJL offline, one intra-op thread (libtorch with 2 threads on 2 cores is 3x slower: STACK.md), no OpenMP spinning.
export OPT_OUT_TRACKING=true
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
DJL_OPTS="-Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1"
# The JDK 17 module flags Flink's own scripts pass (one list, kept in the parent pom).
JVM_OPENS="$(sed -n 's:.*<flink.jvm.opens>\(.*\)</flink.jvm.opens>.*:\1:p' "$ROOT/pom.xml")"

log() { echo "[$(date +%H:%M:%S)] $(basename "$0"): $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# The jar folders, built once from Maven Central (about 250 MB into ~/.m2 on a fresh machine).
ensure_libs() {
  if [ ! -f "$LIB_DIR/flink/lib/flink-runtime-2.2.1.jar" ] || [ ! -f "$LIB_DIR/kafka/libs/kafka_2.13-4.2.0.jar" ] \
      || [ "$LOCAL_DIR/lib/flink/pom.xml" -nt "$LIB_DIR/flink/lib" ] || [ "$LOCAL_DIR/lib/kafka/pom.xml" -nt "$LIB_DIR/kafka/libs" ]; then
    log "assembling the Kafka and Flink jar folders with Maven (deploy/local/pom.xml) ..."
    (cd "$ROOT" && mvn -B -ntp -q -Dstyle.color=never -f deploy/local/pom.xml package) >&2 || die "could not assemble the jar folders"
    touch "$LIB_DIR/flink/lib" "$LIB_DIR/kafka/libs"
  fi
}

# Is a PID file's process alive?
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Stop the process of a PID file: TERM, wait up to $2 seconds (default 30), then KILL. Removes the file.
stop_pid_file() {
  local file="$1" grace="${2:-30}" pid
  [ -f "$file" ] || return 0
  pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 "$grace"); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid ($(basename "$file" .pid)) ignored TERM for ${grace}s: KILL"
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$file"
}

# Wait until $1 (a command) succeeds, at most $2 seconds; $3 names what we wait for.
wait_for() {
  local check="$1" limit="$2" what="$3"
  for _ in $(seq 1 "$limit"); do
    if eval "$check" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  die "$what not ready after ${limit}s"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
