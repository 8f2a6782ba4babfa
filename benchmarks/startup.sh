#!/usr/bin/env bash
# Start-up of the gke-inference CLI against kubectl kustomize, side by side in one run.
#
# Times the whole process (JVM start included) of
#   A. ./gke-inference render online-inference-gpu --out DIR   with the JDK 25 AOT cache
#   B. the same with GKE_INFERENCE_AOT=off                      (no cache)
#   C. kubectl kustomize DIR                                    (of A's output)
# N times each, interleaved (A B C A B C ...) so that the machine's load falls on all three alike,
# and prints the median and the spread of each and the ratios A/C and B/C as a Markdown table, and
# the number of classes A's command loads without the cache.
#
# Usage: benchmarks/startup.sh [N]       (N defaults to 15)
# Needs JDK 25 (found as ./gke-inference finds it), bash 5 (EPOCHREALTIME) and kubectl with its
# built-in kustomize, or a standalone kustomize binary (then 'kustomize build DIR' is timed).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-15}"
case "$runs" in '' | *[!0-9]* | 0) echo "usage: $0 [N], N a positive number of runs" >&2; exit 2 ;; esac
if [ -z "${EPOCHREALTIME:-}" ]; then
  echo "needs bash 5 or newer (EPOCHREALTIME)" >&2
  exit 2
fi
if command -v kubectl >/dev/null 2>&1; then
  kustomize=(kubectl kustomize)
  kustomize_version="$(kubectl version --client 2>/dev/null | tr '\n' ' ')"
elif command -v kustomize >/dev/null 2>&1; then
  kustomize=(kustomize build)
  kustomize_version="$(kustomize version 2>/dev/null | head -1)"
else
  echo "needs kubectl (its built-in kustomize) or kustomize on PATH" >&2
  exit 2
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cli="$root/gke-inference"
aot="$root/samples/target/gke-inference.aot"

# Build the jar if needed, then train the AOT cache on the measured command and wait for it: the
# script starts the training in the background on the first run after a build.
GKE_INFERENCE_AOT=off "$cli" render online-inference-gpu --out "$work/build" >/dev/null
rm -f "$aot"
"$cli" render online-inference-gpu --out "$work/train" >/dev/null
for _ in $(seq 1 600); do
  [ -f "$aot" ] && [ ! -d "$aot.training" ] && break
  sleep 1
done
if [ ! -f "$aot" ]; then
  echo "the AOT cache was not created (see ./gke-inference); timing A would equal B" >&2
  exit 1
fi

# Wall-clock seconds of one command, its output discarded; fails the script if the command fails.
seconds() {
  local start end
  start=$EPOCHREALTIME
  "$@" >/dev/null 2>&1
  end=$EPOCHREALTIME
  echo "$start $end" | awk '{printf "%.4f\n", $2 - $1}'
}

: >"$work/a" && : >"$work/b" && : >"$work/c"
for i in $(seq 1 "$runs"); do
  seconds "$cli" render online-inference-gpu --out "$work/out-a-$i" >>"$work/a"
  seconds env GKE_INFERENCE_AOT=off "$cli" render online-inference-gpu --out "$work/out-b-$i" >>"$work/b"
  seconds "${kustomize[@]}" "$work/out-a-$i" >>"$work/c"
done

# median, min and max of a file of numbers
stats() {
  sort -g "$1" | awk '{v[NR] = $1} END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.3f %.3f %.3f\n", m, v[1], v[NR]
  }'
}
read -r a_med a_min a_max < <(stats "$work/a")
read -r b_med b_min b_max < <(stats "$work/b")
read -r c_med c_min c_max < <(stats "$work/c")

# Classes the measured command loads without the cache: a count that, unlike the times, does not
# depend on the machine's load (with the cache every class in it counts as loaded at start).
GKE_INFERENCE_AOT=off JAVA_TOOL_OPTIONS="-Xlog:class+load:file=$work/classes.log" \
  "$cli" render online-inference-gpu --out "$work/classes" >/dev/null 2>&1
classes="$(wc -l <"$work/classes.log")"

java_version="$("$root/gke-inference" --version 2>/dev/null | sed -n 's/^Java //p')"
echo "Whole-process time, $runs runs each, interleaved; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg);"
echo "Java $java_version; $kustomize_version"
echo
echo "| command | median s | min s | max s | median / kustomize |"
echo "|---|---|---|---|---|"
awk -v a="$a_med" -v c="$c_med" -v b="$b_med" \
  -v a1="$a_min" -v a2="$a_max" -v b1="$b_min" -v b2="$b_max" -v c1="$c_min" -v c2="$c_max" -v k="${kustomize[*]}" 'BEGIN {
  printf "| `./gke-inference render online-inference-gpu --out DIR` (AOT cache) | %.3f | %.3f | %.3f | %.1fx |\n", a, a1, a2, a / c
  printf "| the same, `GKE_INFERENCE_AOT=off` | %.3f | %.3f | %.3f | %.1fx |\n", b, b1, b2, b / c
  printf "| `%s DIR` | %.3f | %.3f | %.3f | 1.0x |\n", k, c, c1, c2
}'
echo
echo "Classes loaded by \`render online-inference-gpu\` without the cache: $classes"
