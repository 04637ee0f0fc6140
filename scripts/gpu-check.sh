#!/usr/bin/env bash
# One command that proves the GPU route on a fresh clone, or says exactly what broke:
#   bash scripts/gpu-check.sh [LOG_DIR]
# Steps: install, build the GPU backend, doctor (GPU facts, the CUDA/cuDNN TensorFlow was
# built for), a smoke training and a subset-sized one-epoch training on the GPU on a
# generated image folder, dense and multi-crop evaluation, and the training step timed on
# the GPU (fp32 and bf16) against the CPU. Each step prints PASS or FAIL and why; the last
# line sums up; exit 0 only if every step passed, 3 when there is no NVIDIA GPU (said in
# one line, before anything is installed). All logs go to LOG_DIR (default: a new
# gpu-check-<date> folder here).
# Built from documentation: no GPU machine was available when it was written.
set -uo pipefail
cd "$(dirname "$0")/.."

# summary PASSED FAILED LOGS: the last line (tests check its format)
summary() {
  local total=$(($1 + $2))
  if [[ $2 -eq 0 ]]; then echo "gpu-check: all $total steps passed (logs: $3)"; else echo "gpu-check: $1 of $total steps passed, $2 failed: ${*:4} (logs: $3)"; fi
}

# --summary PASSED FAILED LOGS [FAILED_STEP...]: only print that line (for tests)
if [[ "${1:-}" == --summary ]]; then
  shift
  summary "$@"
  exit 0
fi

# GPU_CHECK_ROOT prefixes the device paths (tests point it at an empty folder).
root="${GPU_CHECK_ROOT:-}"
looked="nvidia-smi on PATH, $root/dev/nvidia0, $root/proc/driver/nvidia/version"
has_gpu() {
  if command -v nvidia-smi > /dev/null 2>&1 && nvidia-smi -L 2> /dev/null | grep -q '^GPU '; then return 0; fi
  [[ -e "$root/dev/nvidia0" || -e "$root/proc/driver/nvidia/version" ]]
}
if ! has_gpu; then
  echo "gpu-check: no NVIDIA GPU here (looked for: $looked); nothing installed or run"
  exit 3
fi

logs="${1:-$PWD/gpu-check-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$logs"
passed=0
failed=0
failures=()

# step NAME COMMAND...: runs it with its output in $logs/NAME.log; PASS/FAIL with the reason
step() {
  local name=$1
  shift
  local t0=$SECONDS
  if "$@" > "$logs/$name.log" 2>&1; then
    echo "PASS $name ($((SECONDS - t0)) s)"
    passed=$((passed + 1))
    return 0
  fi
  local why
  why=$(grep -v '^\s*$' "$logs/$name.log" | grep -v -E '^WARNING: All log messages|^[IW][0-9]{4} ' | tail -1)
  echo "FAIL $name ($((SECONDS - t0)) s): ${why:-no output} (log: $logs/$name.log)"
  failed=$((failed + 1))
  failures+=("$name")
  return 1
}

cli() { node bin/run.js "$@"; }
export VGG_REPRO_RUNS="$logs/runs"
export VGG_REPRO_RESULTS="$logs/results"

step install npm install
step setup-gpu cli setup --gpu
# The binding must see the GPU, and doctor must report its facts.
doctor_ok() {
  cli doctor --json > "$logs/doctor.json" || return 1
  cat "$logs/doctor.json"
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))
    if (r.backend !== "tensorflow") { console.log("backend is " + r.backend + ", not native TensorFlow"); process.exit(1) }
    if (!r.gpu || r.gpus.length === 0) { console.log("TensorFlow runs on the CPU: no GPU device in the binding"); process.exit(1) }
    for (const g of r.gpus) console.log(`GPU ${g.index}: ${g.name}, compute capability ${g.computeCapability}, driver ${g.driver}`)
    console.log(`auto precision: ${r.precision.precision} (${r.precision.reason})`)' "$logs/doctor.json"
  # The CUDA and cuDNN versions the TensorFlow wheel was built for (the binding loads its libraries).
  python3 -c 'import tensorflow as tf; b = tf.sysconfig.get_build_info(); print("TensorFlow", tf.__version__, "CUDA", b.get("cuda_version"), "cuDNN", b.get("cudnn_version"))' || true
  nvidia-smi || true
}
step doctor doctor_ok

data="$logs/data"
step make-data node scripts/make-toy-imagefolder.mjs "$data" --classes 10 --train 80 --val 10
# Trainings: the checkpoint path comes from train --json.
train_to() {
  local out=$1
  shift
  cli train "$@" --data "$data" --out "$logs/$out" --json > "$logs/$out.json" || return 1
  node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); if (!(r.epochs >= 1) || !r.checkpoint) process.exit(1); console.log(`${r.epochs} epoch(s), val top-1 ${r.valTop1Err}, ${Math.round(r.wallMs / 1000)} s, ${r.checkpoint}`)' "$logs/$out.json"
}
ckpt() { node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).checkpoint)' "$logs/$1.json"; }
step train-smoke train_to train-smoke --profile smoke --config A --scale 256
step train-subset-slice train_to train-subset --profile subset --config A --scale 256 --epochs 1
if [[ -f "$logs/train-smoke.json" ]] && c=$(ckpt train-smoke 2> /dev/null); then
  step eval-dense cli eval --profile smoke --checkpoint "$c" --technique dense --scales 256 --data "$data" --json
  step eval-multi-crop cli eval --profile smoke --checkpoint "$c" --technique multi-crop --scales 256 --data "$data" --json
else
  echo "FAIL eval: no checkpoint from train-smoke"
  failed=$((failed + 1))
  failures+=(eval)
fi
# The step on the GPU (fp32 and bf16: bench measures both) and on the CPU (the GPU hidden).
step bench-gpu cli bench --quick --no-torch --no-eager --configs A,E --steps 5 --out "$logs/bench-gpu" --data "$data"
step bench-cpu env CUDA_VISIBLE_DEVICES=-1 node bin/run.js bench --quick --no-torch --no-eager --configs A,E --steps 5 --out "$logs/bench-cpu" --data "$data"
if [[ -f "$logs/bench-gpu/bench-quick.json" && -f "$logs/bench-cpu/bench-quick.json" ]]; then
  node -e '
    const [g, c] = process.argv.slice(1).map((f) => JSON.parse(require("fs").readFileSync(f, "utf8")).configs)
    for (const k of Object.keys(g)) console.log(`${k}: GPU fp32 ${g[k].oursImgPerS?.toFixed(0)} img/s, GPU bf16 ${g[k].bf16?.imgPerS?.toFixed(0)} img/s, CPU fp32 ${c[k]?.oursImgPerS?.toFixed(0)} img/s`)' \
    "$logs/bench-gpu/bench-quick.json" "$logs/bench-cpu/bench-quick.json" | tee "$logs/speed.txt"
fi

summary "$passed" "$failed" "$logs" "${failures[@]}"
[[ $failed -eq 0 ]]
