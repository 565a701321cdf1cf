#!/usr/bin/env python3
"""Soak test of the whole product (not a test in the suite): `bin/emotion demo` at a steady rate for hours, with
the JVM's heap, resident set (RSS: what libtorch allocates is only there) and native memory (NMT) sampled every
minute, and one load burst in the middle whose recovery is timed.

    deploy/local/soak.py                          # 50 posts/s for 2 h, a 10,000-post burst after 1 h
    deploy/local/soak.py --duration 300 --burst-at 150 --burst-posts 2000   # a 5-minute smoke of the soak itself

Prints one table row per sample, then one JSON line (the last line): memory first/last/max and growth per hour over
the second half, the demo's own summary (posts in = events out, duplicates, dead letters), the latency baseline
before the burst, its peak, and the seconds until the latency of the last 10 s is back to normal (p99 within
1.5x the baseline, or 250 ms above it, for three status lines in a row).

Everything stays on 127.0.0.1 (the demo's embedded broker and Flink). Needs a JDK with jcmd on the PATH.
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STATUS = re.compile(r"^\[\s*(\d+)s (\w+)\] posts in (\d+), events out (\d+), dup (\d+), dead letters (\d+), "
                    r"([\d.]+) ev/s, p50 (-|\d+)(?: ms)?, last 10 s p50 (-|\d+)(?: ms)? p99 (-|\d+)(?: ms)?")


def ms(text):
    return None if text == "-" else int(text)


def jcmd(pid, *args):
    try:
        return subprocess.run(["jcmd", str(pid), *args], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""


def sample_memory(pid):
    """Heap used and committed (MB), NMT committed total (MB), RSS (MB), threads."""
    heap = jcmd(pid, "GC.heap_info")
    m = re.search(r"total (\d+)K, used (\d+)K", heap)
    heap_committed, heap_used = (int(m.group(1)) / 1024, int(m.group(2)) / 1024) if m else (None, None)
    nmt = jcmd(pid, "VM.native_memory", "summary")
    m = re.search(r"Total: reserved=(\d+)KB, committed=(\d+)KB", nmt)
    nmt_committed = int(m.group(2)) / 1024 if m else None
    rss, threads = None, None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
            elif line.startswith("Threads:"):
                threads = int(line.split()[1])
    except OSError:
        pass
    return heap_used, heap_committed, nmt_committed, rss, threads


def growth_per_hour(samples, key):
    """Least-squares slope (MB per hour) over the second half of the run: after warm-up, caches and JIT."""
    pts = [(s["t_s"] / 3600, s[key]) for s in samples[len(samples) // 2:] if s[key] is not None]
    if len(pts) < 3:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    den = sum((x - mx) ** 2 for x, _ in pts)
    return round(sum((x - mx) * (y - my) for x, y in pts) / den, 1) if den else None


def burst_recovery(statuses, burst_at):
    """(baseline p99, peak p99, seconds from the burst until p99 is normal again for three lines in a row)."""
    before = [s["p99"] for s in statuses if burst_at - 300 <= s["t"] < burst_at and s["p99"] is not None]
    after = [s for s in statuses if s["t"] >= burst_at and s["phase"] == "running"]
    if not before or not after:
        return None, None, None
    baseline = statistics.median(before)
    limit = max(1.5 * baseline, baseline + 250)
    peak = max((s["p99"] for s in after if s["p99"] is not None), default=None)
    streak = 0
    for i, s in enumerate(after):
        streak = streak + 1 if s["p99"] is not None and s["p99"] <= limit else 0
        if streak == 3 and peak is not None and peak > limit:
            return baseline, peak, after[i - 2]["t"] - burst_at
        if streak == 3 and (peak is None or peak <= limit):
            return baseline, peak, 0
    return baseline, peak, None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rate", type=float, default=50)
    ap.add_argument("--duration", type=int, default=7200, help="seconds (default 2 h)")
    ap.add_argument("--burst-at", type=int, default=None, help="seconds (default: half the duration)")
    ap.add_argument("--burst-posts", type=int, default=10000)
    ap.add_argument("--sample-every", type=int, default=60, help="seconds between memory samples")
    ap.add_argument("--cli", default=str(ROOT / "bin" / "emotion"), help="the bin/emotion to run (a frozen copy for long runs)")
    ap.add_argument("--log", default=None, help="file for the demo's full output (default: work/soak-<time>.log)")
    args = ap.parse_args()
    burst_at = args.burst_at if args.burst_at is not None else args.duration // 2

    log_path = Path(args.log or ROOT / "work" / time.strftime("soak-%Y%m%d-%H%M%S.log"))
    log_path.parent.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["EMOTION_JAVA_OPTS"] = env.get("EMOTION_JAVA_OPTS", "-Xmx4g") + " -XX:NativeMemoryTracking=summary"
    cmd = [args.cli, "demo", "--plain", "--rate", str(args.rate), "--duration", str(args.duration),
           "--burst-at", str(burst_at), "--burst-posts", str(args.burst_posts)]
    print("soak: " + " ".join(cmd) + f"  (log: {log_path})", file=sys.stderr)
    # bin/emotion execs java, so this pid is the JVM's.
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    statuses, last_line, started = [], [None], time.monotonic()
    summary = {}

    def read_output():
        with open(log_path, "w") as log:
            for line in proc.stdout:
                log.write(line)
                log.flush()
                m = STATUS.match(line.strip())
                if m:
                    statuses.append({"t": int(m.group(1)), "phase": m.group(2), "events_out": int(m.group(4)),
                                     "p50": ms(m.group(9)), "p99": ms(m.group(10))})
                    last_line[0] = statuses[-1]
                elif line.startswith("{") and '"posts_in"' in line:
                    summary.update(json.loads(line))

    reader = threading.Thread(target=read_output, daemon=True)
    reader.start()

    header = f"{'t':>6} {'heap MB':>8} {'heap cmt':>8} {'NMT MB':>8} {'RSS MB':>8} {'threads':>7} {'events':>9} {'p50 10s':>8} {'p99 10s':>8}"
    print(header)
    samples = []
    next_sample = started + 30  # first sample once the demo is up
    while proc.poll() is None:
        now = time.monotonic()
        if now >= next_sample:
            heap_used, heap_committed, nmt, rss, threads = sample_memory(proc.pid)
            st = last_line[0] or {}
            row = {"t_s": round(now - started), "heap_used_mb": heap_used, "heap_committed_mb": heap_committed,
                   "nmt_committed_mb": nmt, "rss_mb": rss, "threads": threads, "events_out": st.get("events_out"),
                   "p50_ms": st.get("p50"), "p99_ms": st.get("p99")}
            samples.append(row)
            f = lambda v, w: f"{v:>{w}.0f}" if isinstance(v, (int, float)) else f"{'-':>{w}}"
            print(f"{row['t_s']:>6} {f(heap_used, 8)} {f(heap_committed, 8)} {f(nmt, 8)} {f(rss, 8)} {f(threads, 7)} "
                  f"{f(row['events_out'], 9)} {f(row['p50_ms'], 8)} {f(row['p99_ms'], 8)}", flush=True)
            next_sample += args.sample_every
        time.sleep(1)
    reader.join(timeout=30)

    def stat(key):
        vals = [s[key] for s in samples if s[key] is not None]
        return {"first": round(vals[0]), "last": round(vals[-1]), "max": round(max(vals)),
                "growth_mb_per_h_second_half": growth_per_hour(samples, key)} if vals else None

    baseline, peak, recovery = burst_recovery(statuses, burst_at)
    result = {
        "rate": args.rate, "duration_s": args.duration, "samples": len(samples), "exit_code": proc.returncode,
        "heap_used_mb": stat("heap_used_mb"), "rss_mb": stat("rss_mb"), "nmt_committed_mb": stat("nmt_committed_mb"),
        "threads": stat("threads"),
        "burst": {"at_s": burst_at, "posts": args.burst_posts, "baseline_p99_ms": baseline, "peak_p99_ms": peak,
                  "recovered_after_s": recovery},
        "demo": {k: summary.get(k) for k in ("ok", "posts_in", "events_out", "duplicates", "dead_letters", "stats_total",
                                             "latency_ms_p50", "latency_ms_p99", "error") if k in summary},
        "log": str(log_path),
    }
    print(json.dumps(result))
    return 0 if proc.returncode == 0 and summary.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main())
