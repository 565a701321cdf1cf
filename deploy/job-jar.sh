#!/usr/bin/env bash
# Builds the job jar a Flink cluster runs (flink-job's own build: the job and its connectors, without Flink, DJL or
# logging, which the cluster provides) and copies it to deploy/target/emotion-monitor-job.jar, inside the build
# context of the compose and Kubernetes images.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
(cd "$ROOT" && mvn -B -ntp -q -Dstyle.color=never -pl flink-job -am install -DskipTests)
JAR="$(ls "$ROOT"/flink-job/target/flink-job-*-job.jar | head -n 1)"
mkdir -p "$ROOT/deploy/target"
cp "$JAR" "$ROOT/deploy/target/emotion-monitor-job.jar"
echo "$ROOT/deploy/target/emotion-monitor-job.jar"
