#!/usr/bin/env bash
# The native crash's rate (issue 21): run one workload N times with the supervisor off
# and count crashes (a signal, or glibc's heap-corruption messages), hangs (the per-run
# timeout), oneDNN errors and other failures; one JSON line per run, then a summary.
#   bash scripts/crash-loop.sh WORKLOAD N [ARM] [OUT.jsonl]
# WORKLOAD  train-tests   node --test test/train/train-net.test.ts (a CI crash was seen there)
#           runner-tests  node --test test/runner/run.test.ts test/runner/run-tables.test.ts
#           smoke         vgg-repro all --profile smoke on a generated folder (0 in 40, 2026-12-04)
#           finetune-e    vgg-repro train E at smoke widths from a smoke net A
# ARM       baseline | interop1 (TF_NUM_INTEROP_THREADS=1) | isa-avx512 (ONEDNN_MAX_CPU_ISA=AVX512_CORE)
#           | isa-avx2 | no-onednn (TF_ENABLE_ONEDNN_OPTS=0) | malloc-check (MALLOC_CHECK_=3 MALLOC_PERTURB_=165)
# OUT       default results/crash-loop/<workload>.jsonl (appended: runs accumulate across sessions)
# Summary of every arm in a file: bash scripts/crash-loop.sh --summary OUT.jsonl
set -uo pipefail
cd "$(dirname "$0")/.."

summary() {
  node -e '
    const rows = require("fs").readFileSync(process.argv[1], "utf8").split("\n").filter(Boolean).map(JSON.parse)
    const by = new Map()
    for (const r of rows) { const k = r.workload + " / " + r.arm; if (!by.has(k)) by.set(k, []); by.get(k).push(r) }
    console.log("| workload / arm | runs | crashes | hangs | oneDNN errors | other failures | mean wall s |")
    console.log("|---|---:|---:|---:|---:|---:|---:|")
    for (const [k, rs] of by) {
      const n = (o) => rs.filter((r) => r.outcome === o).length
      const wall = rs.reduce((a, r) => a + r.wallS, 0) / rs.length
      console.log(`| ${k} | ${rs.length} | ${n("crash")} | ${n("hang")} | ${n("onednn")} | ${n("fail")} | ${wall.toFixed(1)} |`)
    }' "$1"
}
if [[ "${1:-}" == --summary ]]; then summary "$2"; exit 0; fi

workload=${1:?workload: train-tests, runner-tests, smoke or finetune-e}
n=${2:?number of runs}
arm=${3:-baseline}
out=${4:-results/crash-loop/$workload.jsonl}
mkdir -p "$(dirname "$out")"
timeout_s=${CRASH_LOOP_TIMEOUT:-900}

arm_env=()
case $arm in
  baseline) ;;
  interop1) arm_env=(TF_NUM_INTEROP_THREADS=1) ;;
  isa-avx512) arm_env=(ONEDNN_MAX_CPU_ISA=AVX512_CORE) ;;
  isa-avx2) arm_env=(ONEDNN_MAX_CPU_ISA=AVX2) ;;
  no-onednn) arm_env=(TF_ENABLE_ONEDNN_OPTS=0) ;;
  malloc-check) arm_env=(MALLOC_CHECK_=3 MALLOC_PERTURB_=165) ;;
  *) echo "crash-loop: unknown arm \"$arm\"" >&2; exit 2 ;;
esac

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
case $workload in
  train-tests) cmd=(node --import tsx --test --test-concurrency=1 test/train/train-net.test.ts) ;;
  runner-tests) cmd=(node --import tsx --test --test-concurrency=1 test/runner/run.test.ts test/runner/run-tables.test.ts) ;;
  smoke | finetune-e)
    node scripts/make-toy-imagefolder.mjs "$work/data" > /dev/null || exit 1
    if [[ $workload == smoke ]]; then
      cmd=(node bin/run.js all --profile smoke --data "$work/data")
    else
      VGG_REPRO_CRASH_RETRIES=0 node bin/run.js train --profile smoke --config A --scale 256 --data "$work/data" --out "$work/A" --json > "$work/A.json" || exit 1
      a=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).checkpoint)' "$work/A.json")
      cmd=(node bin/run.js train --profile smoke --config E --scale 256 --data "$work/data" --init-from "$a" --out "$work/E")
    fi
    ;;
  *) echo "crash-loop: unknown workload \"$workload\"" >&2; exit 2 ;;
esac

for i in $(seq 1 "$n"); do
  rm -rf "$work/runs" "$work/E"
  t0=$(date +%s.%N)
  env VGG_REPRO_CRASH_RETRIES=0 VGG_REPRO_RUNS="$work/runs" VGG_REPRO_RESULTS="$work/results" "${arm_env[@]}" \
    timeout --signal=KILL "$timeout_s" "${cmd[@]}" > "$work/log" 2>&1
  rc=$?
  wall=$(echo "$(date +%s.%N) - $t0" | bc)
  # classify: a hang (timeout's KILL: 137 with the time used up), a signal or glibc's heap
  # messages (crash), oneDNN's primitive errors, any other non-zero exit
  outcome=ok
  if [[ $rc -eq 137 ]] && (($(echo "$wall >= $timeout_s - 1" | bc))); then outcome=hang
  elif grep -q -E 'malloc\(\)|free\(\)|double free|corrupted|Segmentation fault|SIGSEGV|SIGABRT|core dumped' "$work/log" || [[ $rc -ge 128 ]]; then outcome=crash
  elif grep -q -i 'could not execute a primitive\|could not create a primitive\|dnnl' "$work/log"; then outcome=onednn
  elif [[ $rc -ne 0 ]]; then outcome=fail
  fi
  # node --test reports a child killed by a signal as a failed file, not as its own signal
  if [[ $outcome == fail ]] && grep -q -E "'(SIGSEGV|SIGABRT|SIGBUS)'|signal: '?SIG" "$work/log"; then outcome=crash; fi
  [[ $outcome != ok ]] && cp "$work/log" "$(dirname "$out")/$workload-$arm-$(date -u +%Y%m%dT%H%M%S)-$i.log"
  printf '{"workload":"%s","arm":"%s","run":%d,"outcome":"%s","exit":%d,"wallS":%.1f,"date":"%s"}\n' "$workload" "$arm" "$i" "$outcome" "$rc" "$wall" "$(date -u +%FT%TZ)" >> "$out"
  echo "crash-loop: $workload $arm run $i/$n: $outcome (exit $rc, ${wall%.*} s)"
done
summary "$out"
