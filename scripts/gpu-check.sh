#!/usr/bin/env bash
# One command that proves the GPU route on a fresh clone, or says exactly what broke:
#
#   bash scripts/gpu-check.sh [LOG_DIR]
#
# On a Linux machine with an NVIDIA GPU (and only the package registries reachable), in
# about 8 minutes: npm install; vgg-repro setup --gpu; doctor --json (GPU name, compute
# capability, driver, the CUDA runtime and cuDNN TensorFlow loaded); `auto` precision
# against the rule (bf16 from compute capability 8.0); a generated image folder; a smoke
# training and a subset-sized one-epoch slice on the GPU; dense and multi-crop evaluation
# of the slice's net; the training step timed on the GPU against the CPU, and in bf16
# against fp32 on the GPU. Each step prints PASS or FAIL with the reason; the last line
# sums up; exit 0 only if every step passed. All logs go to one folder (LOG_DIR, default
# runs/gpu-check/<UTC time>/), packed as LOG_DIR.tar.gz at the end: send that back.
#
# Without an NVIDIA GPU it prints one line saying so and what it looked for, and exits 3
# within seconds, before installing anything.
#
#   bash scripts/gpu-check.sh --detect     only the GPU detection (exit 0: found, 3: none)
#   bash scripts/gpu-check.sh --summary PASSED FAILED LOG_DIR [FAILED_STEP...]
#                                          only print the summary line (tests)
# Sourcing the script defines its functions without running anything (tests).
# GPU_CHECK_ROOT prefixes the device paths looked at and GPU_CHECK_NVIDIA_SMI names the
# nvidia-smi command, so tests can simulate a machine with or without a GPU.
#
# UNVERIFIED: built from documentation (TensorFlow's and NVIDIA's); no GPU machine was
# available when it was written. The no-GPU branch, the step and summary lines and the
# failure path are tested on a CPU (test/cli/gpu-check.test.ts).
set -uo pipefail

GPU_CHECK_REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# ------------------------------------------------------------------------ detection

# gpu_detect: 0 when an NVIDIA GPU is visible. Sets GPU_FOUND (the evidence) and
# GPU_LOOKED (everything looked at, with what was found).
gpu_detect() {
  local root="${GPU_CHECK_ROOT:-}" smi="${GPU_CHECK_NVIDIA_SMI:-nvidia-smi}"
  local looked=() found=() first
  GPU_FOUND=''
  if [[ "${CUDA_VISIBLE_DEVICES+set}" == set && ( -z "$CUDA_VISIBLE_DEVICES" || "$CUDA_VISIBLE_DEVICES" == -1 ) ]]; then
    GPU_LOOKED="CUDA_VISIBLE_DEVICES='$CUDA_VISIBLE_DEVICES' hides every GPU; unset it"
    return 1
  fi
  if command -v "$smi" > /dev/null 2>&1; then
    first=$(timeout 15 "$smi" -L 2> /dev/null | grep -E '^GPU [0-9]+:' | head -1)
    if [[ -n "$first" ]]; then
      found+=("$smi -L: $first")
      looked+=("$smi -L: lists a GPU")
    else
      looked+=("$smi -L: lists no GPU")
    fi
  else
    looked+=("$smi on PATH: not found")
  fi
  if [[ -e "$root/dev/nvidia0" ]]; then
    found+=("$root/dev/nvidia0")
    looked+=("$root/dev/nvidia0: present")
  else
    looked+=("$root/dev/nvidia0: missing")
  fi
  if compgen -G "$root/proc/driver/nvidia/gpus/*" > /dev/null; then
    found+=("$root/proc/driver/nvidia/gpus/$(basename "$(compgen -G "$root/proc/driver/nvidia/gpus/*" | head -1)")")
    looked+=("$root/proc/driver/nvidia/gpus/: lists a GPU")
  else
    looked+=("$root/proc/driver/nvidia/gpus/: empty or missing")
  fi
  GPU_LOOKED=$(IFS=';'; echo "${looked[*]}" | sed 's/;/; /g')
  GPU_FOUND=$(IFS=';'; echo "${found[*]}" | sed 's/;/; /g')
  [[ ${#found[@]} -gt 0 ]]
}

gpu_check_no_gpu_line() {
  echo "gpu-check: no NVIDIA GPU found (looked at: $GPU_LOOKED); nothing was installed or run"
}

# ------------------------------------------------------------------ steps and lines

declare -A GPU_CHECK_STATUS=()
GPU_CHECK_PASSED=0
GPU_CHECK_FAILED=0
GPU_CHECK_FAILURES=()
GPU_CHECK_ORDER=()
REASON=''
LOGS="${LOGS:-}"

# say LINE...: to the terminal and, once the log folder exists, to its transcript
say() {
  printf '%s\n' "$*"
  if [[ -n "$LOGS" && -d "$LOGS" ]]; then printf '%s\n' "$*" >> "$LOGS/gpu-check.txt"; fi
}

# gpu_check_step_line STATUS STEP SECONDS REASON: one step's result line
gpu_check_step_line() {
  printf '%s %s (%s s): %s\n' "$1" "$2" "$3" "$4"
}

# gpu_check_summary PASSED FAILED LOG_DIR [FAILED_STEP...]: the last line
gpu_check_summary() {
  local total=$(($1 + $2))
  if [[ $2 -eq 0 ]]; then
    echo "gpu-check: all $total steps passed (logs: $3)"
  else
    echo "gpu-check: $1 of $total steps passed, $2 failed: ${*:4} (logs: $3)"
  fi
}

# record STEP STATUS SECONDS REASON
record() {
  GPU_CHECK_STATUS[$1]=$2
  GPU_CHECK_ORDER+=("$1")
  if [[ $2 == PASS ]]; then
    GPU_CHECK_PASSED=$((GPU_CHECK_PASSED + 1))
  else
    GPU_CHECK_FAILED=$((GPU_CHECK_FAILED + 1))
    GPU_CHECK_FAILURES+=("$1")
  fi
  say "$(gpu_check_step_line "$2" "$1" "$3" "$4")"
}

# step NAME FUNCTION [NEEDED_STEP...]: runs FUNCTION (which sets REASON; non-zero = FAIL)
# unless a step it needs did not pass.
step() {
  local name=$1 fn=$2 need t0 rc=0
  shift 2
  for need in "$@"; do
    if [[ "${GPU_CHECK_STATUS[$need]:-}" != PASS ]]; then
      record "$name" FAIL 0 "not run: needs $need, which did not pass"
      return 1
    fi
  done
  REASON=''
  t0=$SECONDS
  "$fn" || rc=$?
  if [[ $rc -eq 0 ]]; then
    record "$name" PASS $((SECONDS - t0)) "${REASON:-ok}"
  else
    record "$name" FAIL $((SECONDS - t0)) "${REASON:-failed (exit $rc)}"
  fi
  return $rc
}

# why LOG: the line of a log that says what went wrong (ours first, then the last
# line that is not TensorFlow's own INFO/WARNING logging), and where the log is
why() {
  local line
  line=$(grep -E '^(vgg-repro[: ]|npm (ERR!|error)|Error|.*Error: )' "$1" 2> /dev/null | tail -1)
  [[ -z "$line" ]] && line=$(grep -v -E '^\s*$|^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:.]+: [IW] |^[IW][0-9]{4} |^WARNING: All log messages|^\$ ' "$1" 2> /dev/null | tail -1)
  echo "${line:0:400}${line:+ }(log: $1)"
}

# run NAME SECONDS CMD...: CMD with its stdout and stderr in LOGS/NAME.log
# run_json NAME SECONDS CMD...: CMD's stdout in LOGS/NAME.json, stderr in LOGS/NAME.log
# Either records the command in the log and in LOGS/commands.txt, and on failure sets
# REASON from the log (or says it timed out).
run() { _run "$1" "$2" "$LOGS/$1.log" "${@:3}"; }
run_json() { _run "$1" "$2" "$LOGS/$1.json" "${@:3}"; }
_run() {
  local name=$1 secs=$2 out=$3 rc=0
  shift 3
  printf '$ %s\n' "$*" >> "$LOGS/$name.log"
  printf '%s: %s\n' "$name" "$*" >> "$LOGS/commands.txt"
  if [[ "$out" == "$LOGS/$name.log" ]]; then
    timeout --kill-after=20 "$secs" "$@" >> "$out" 2>&1 || rc=$?
  else
    timeout --kill-after=20 "$secs" "$@" > "$out" 2>> "$LOGS/$name.log" || rc=$?
  fi
  if [[ $rc -eq 124 || $rc -eq 137 ]]; then
    REASON="timed out after $secs s: $*"
  elif [[ $rc -ne 0 ]]; then
    REASON="exit $rc: $(why "$LOGS/$name.log")"
  fi
  return $rc
}

# check WHAT ARGS...: the judge (node, below) of a step's outputs; its last stdout line
# is the reason; its exit status is the verdict
check() {
  local out rc=0
  out=$(node -e "$GPU_CHECK_JS" "$@" 2>&1) || rc=$?
  REASON=$(printf '%s\n' "$out" | tail -1)
  return $rc
}

GPU_CHECK_JS=$(
  cat << 'JS'
const fs = require('fs')
const [what, ...args] = process.argv.slice(1)
const pass = (m) => { console.log(m); process.exit(0) }
const fail = (m) => { console.log(m); process.exit(1) }
const readJson = (f) => {
  const text = fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : ''
  try { return JSON.parse(text) } catch {}
  const i = text.indexOf('\n{')
  try { return JSON.parse(i >= 0 ? text.slice(i) : text.slice(text.indexOf('{'))) } catch { return undefined }
}
const read = (f) => (fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : '')
const n1 = (x) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(1) : String(x))
// GPU placement in TensorFlow's log (TF_CPP_MIN_LOG_LEVEL=0): TensorFlow logs
// "Created device /job:localhost/replica:0/task:0/device:GPU:0 with N MB memory: -> device: 0, name: ..."
// (older versions: "Created TensorFlow device (...GPU:0 ...)") when it makes the GPU device.
const placement = (log) => {
  const text = read(log)
  if (/Created (TensorFlow )?device.*GPU:0/.test(text)) return 'yes'
  if (/^(\S+ )?[0-9-]{10} [0-9:.]+: I |^I[0-9]{4} /m.test(text)) return 'no'
  return 'unknown'
}
const tfComplaint = (log) => (read(log).split('\n').find((l) => /Could not load dynamic library|Cannot dlopen|Could not find cuda drivers|failed call to cuInit|Skipping registering GPU devices|CUDA_ERROR/.test(l)) ?? '').trim()
const placementOk = (log, doctorPassed) => {
  const p = placement(log)
  if (p === 'no') fail(`TensorFlow's log shows no GPU device ("Created device ... GPU:0"): it ran on the CPU${tfComplaint(log) ? '; TensorFlow: ' + tfComplaint(log) : ''} (log: ${log})`)
  if (p === 'unknown' && doctorPassed !== 'PASS') fail(`no TensorFlow INFO log to show the GPU was used, and doctor did not pass (log: ${log})`)
  return p === 'yes' ? 'on GPU:0 (TensorFlow log)' : 'GPU use not in the log (no TensorFlow INFO lines; doctor saw the GPU)'
}
const precisionOk = (got, expected) => {
  if (expected && got !== expected) fail(`computed in ${got}, but auto should pick ${expected} on this GPU (doctor's compute capability)`)
}
const checks = {
  // doctor.json doctor.log
  doctor([file, log]) {
    const r = readJson(file)
    if (r === undefined) fail(`doctor printed no JSON (log: ${log})`)
    const c = r.cuda ?? {}
    const facts = `GPU:0 ${c.device ?? '?'}, compute capability ${c.computeCapability ?? '?'}, driver ${c.driver ?? '?'} (CUDA ${c.driverCuda ?? '?'}); TensorFlow ${r.tfVersion} loaded CUDA ${c.runtime ?? '?'}, cuDNN ${c.cudnn ?? '?'}`
    const tf = tfComplaint(log)
    if (r.backend !== 'tensorflow') fail(`backend is ${r.backend}, not native TensorFlow: ${(r.problems ?? []).join('; ')}`)
    if (!/tfjs-node-gpu/.test(r.source)) fail(`the CPU build was loaded (${r.source}), not .native/tfjs-node-gpu: ${(r.problems ?? []).join('; ')}`)
    if (r.gpu !== true) fail(`TensorFlow does not compute on the GPU: ${(r.problems ?? []).join('; ')}${tf ? '; TensorFlow: ' + tf : ''} (${facts})`)
    const missing = ['device', 'computeCapability', 'runtime', 'cudnn'].filter((k) => c[k] == null)
    if (missing.length > 0) fail(`${facts}: ${missing.join(', ')} unknown (${(c.notes ?? []).join('; ') || 'no notes'})`)
    pass(`${facts}; conv ${r.convGflops} GFLOP/s`)
  },
  // doctor.json: what auto must be on this card (the rule: bf16 from compute capability 8.0)
  expected([file]) {
    const cc = readJson(file)?.cuda?.computeCapability
    pass(typeof cc === 'string' && /^\d+/.test(cc) ? (Number.parseInt(cc, 10) >= 8 ? 'bf16' : 'fp32') : '')
  },
  precision([file]) {
    const r = readJson(file)
    const cc = r?.cuda?.computeCapability
    if (typeof cc !== 'string') fail("the GPU's compute capability is unknown, so auto cannot apply its rule")
    const want = Number.parseInt(cc, 10) >= 8 ? 'bf16' : 'fp32'
    if (r.precision?.precision !== want) fail(`auto -> ${r.precision?.precision} on compute capability ${cc}, the rule says ${want}: ${r.precision?.reason}`)
    pass(`auto -> ${want} on compute capability ${cc}: ${r.precision.reason}`)
  },
  // train.json train.log EXPECTED_PRECISION DOCTOR_STATUS
  train([file, log, expected, doctor]) {
    const r = readJson(file)
    if (r === undefined) fail(`train printed no JSON (log: ${log})`)
    if (r.backend !== 'tensorflow') fail(`trained on the ${r.backend} backend`)
    if (!['schedule', 'epochs'].includes(r.stoppedBy)) fail(`stopped by ${r.stoppedBy}${r.message ? ': ' + r.message : ''}`)
    if (!fs.existsSync(r.checkpoint)) fail(`no checkpoint at ${r.checkpoint}`)
    const lines = read(r.metricsPath).trim().split('\n').filter(Boolean)
    const m = lines.length > 0 ? JSON.parse(lines[lines.length - 1]) : {}
    if (!Number.isFinite(m.trainLoss)) fail(`the training loss is ${m.trainLoss}`)
    precisionOk(r.job.precision, expected)
    const where = placementOk(log, doctor)
    pass(`${r.epochs} epoch(s) of ${m.trainImages} images at crop ${r.job.net.crop}, ${r.job.precision}, loss ${m.trainLoss.toFixed(3)}, minival top-1 ${n1(r.valTop1Err)}%, ${n1(m.imgPerS)} img/s, ${n1(r.wallMs / 1000)} s, ${where}`)
  },
  checkpoint([file]) {
    pass(readJson(file)?.checkpoint ?? '')
  },
  // eval.json eval.log EXPECTED_PRECISION DOCTOR_STATUS
  eval([file, log, expected, doctor]) {
    const r = readJson(file)
    if (r === undefined) fail(`eval printed no JSON (log: ${log})`)
    if (!(r.n > 0) || !Number.isFinite(r.top1Err)) fail(`no images scored (n=${r.n}, top-1 ${r.top1Err})`)
    precisionOk(r.precision, expected)
    const where = placementOk(log, doctor)
    const ips = (r.parts ?? []).map((p) => n1(p.imgPerS)).join(', ')
    pass(`${r.technique} Q=${(r.scales ?? []).join(',')}: n=${r.n}, top-1 ${n1(r.top1Err)}% [${(r.top1Ci ?? []).map(n1).join(', ')}], top-5 ${n1(r.top5Err)}%, ${ips} img/s, ${r.precision}, ${where}`)
  },
  // bench.json gpu|cpu
  bench([file, device]) {
    const r = readJson(file)
    if (r === undefined) fail(`bench wrote no ${file}`)
    if (r.backend?.name !== 'tensorflow') fail(`bench ran on the ${r.backend?.name} backend`)
    const gpuBuild = /gpu/.test(r.backend.source)
    if (device === 'gpu' && !gpuBuild) fail(`bench loaded the CPU build (${r.backend.source})`)
    if (device === 'cpu' && gpuBuild) fail(`bench loaded the GPU build (${r.backend.source}) with the GPU hidden`)
    const rows = Object.values(r.configs ?? {})
    if (rows.length === 0 || rows.some((c) => !(c.oursImgPerS > 0))) fail('no training step was timed')
    return r
  },
  'gpu-vs-cpu'([gpuFile, cpuFile]) {
    const g = checks.bench([gpuFile, 'gpu'])
    const c = checks.bench([cpuFile, 'cpu'])
    const parts = Object.keys(g.configs).map((k) => {
      const ratio = g.configs[k].oursImgPerS / c.configs[k].oursImgPerS
      return {k, ratio, text: `${k} x${ratio.toFixed(1)} (GPU ${n1(g.configs[k].oursImgPerS)}, CPU ${n1(c.configs[k].oursImgPerS)} img/s)`}
    })
    const text = `fp32 training step at batch ${g.profile.batch}, crop ${g.profile.crop}: ${parts.map((p) => p.text).join('; ')}`
    if (parts.some((p) => !(p.ratio > 1))) fail(`the GPU step is not faster than the CPU's: ${text}`)
    pass(text)
  },
  // bench.json DOCTOR_JSON
  bf16([file, doctorFile]) {
    const r = checks.bench([file, 'gpu'])
    const cc = readJson(doctorFile)?.cuda?.computeCapability
    const rows = Object.entries(r.configs)
    if (rows.some(([, c]) => !(c.bf16?.imgPerS > 0))) fail('bf16 was not timed (bench measured fp32 only)')
    const text = rows.map(([k, c]) => `${k} bf16 x${c.bf16OverFp32.toFixed(2)} of fp32 (${n1(c.bf16.imgPerS)} vs ${n1(c.oursImgPerS)} img/s)`).join('; ')
    const native = typeof cc === 'string' && Number.parseInt(cc, 10) >= 8
    if (native && rows.some(([, c]) => !(c.bf16OverFp32 > 1))) fail(`auto picks bf16 on compute capability ${cc}, but it measured slower: ${text}`)
    pass(`${text}; compute capability ${cc ?? 'unknown'}: auto ${native ? 'picks bf16' : 'keeps fp32'}`)
  },
}
const fn = checks[what]
if (fn === undefined) fail(`gpu-check: unknown check ${what}`)
fn(args)
JS
)

# ----------------------------------------------------------------------------- steps

cli() { node "$GPU_CHECK_REPO/bin/run.js" "$@"; }

s_gpu() {
  run nvidia-smi 30 "${GPU_CHECK_NVIDIA_SMI:-nvidia-smi}" || true
  REASON="$GPU_FOUND"
}

s_install() {
  run install 900 npm install || return 1
  local stamp="$GPU_CHECK_REPO/.native/tfjs-node/vgg-repro-native.json"
  if [[ ! -f "$stamp" ]]; then
    REASON="npm install built no CPU backend in .native/tfjs-node (the CPU timing needs it): $(why "$LOGS/install.log")"
    return 1
  fi
  REASON="CPU backend: $(node -p 'const s = require(process.argv[1]); `TensorFlow ${s.tfVersion} from ${s.source}`' "$stamp" 2> /dev/null)"
}

s_setup_gpu() {
  node scripts/setup-native.mjs --gpu --plan > "$LOGS/setup-gpu-plan.json" 2>&1 || true
  run setup-gpu 1500 cli setup --gpu || return 1
  local dir="$GPU_CHECK_REPO/.native/tfjs-node-gpu"
  # What the binding links and where TensorFlow will look for CUDA (for a failure report).
  {
    ls -l "$dir/deps/lib" 2>&1
    readelf -d "$dir/deps/lib/libtensorflow.so.2" 2>&1 | grep -E 'RPATH|RUNPATH|NEEDED'
    ldd "$dir"/lib/napi-v*/tfjs_binding.node 2>&1
  } > "$LOGS/setup-gpu-libs.log"
  if [[ ! -f "$dir/vgg-repro-native.json" ]]; then
    REASON="setup finished but .native/tfjs-node-gpu has no build stamp: $(why "$LOGS/setup-gpu.log")"
    return 1
  fi
  REASON="GPU backend: $(node -p 'const s = require(process.argv[1]); `TensorFlow ${s.tfVersion} from ${s.source}`' "$dir/vgg-repro-native.json" 2> /dev/null)"
}

s_doctor() {
  run_json doctor 300 env TF_CPP_MIN_LOG_LEVEL=0 node bin/run.js doctor --json
  local rc=$?
  # doctor --json, printed as the issue asks
  [[ -s "$LOGS/doctor.json" ]] && say "$(cat "$LOGS/doctor.json")"
  [[ $rc -ne 0 ]] && return 1
  check doctor "$LOGS/doctor.json" "$LOGS/doctor.log"
}

s_precision() { check precision "$LOGS/doctor.json"; }

s_data() {
  run image-folder 180 node scripts/make-toy-imagefolder.mjs "$DATA" --classes 10 --train 70 --val 10 || return 1
  local n
  n=$(find "$DATA/train" -name '*.jpg' | wc -l)
  if [[ $n -ne 700 ]]; then
    REASON="expected 700 training images, found $n (log: $LOGS/image-folder.log)"
    return 1
  fi
  REASON="10 classes, 700 train and 100 val JPEGs in $DATA"
}

expected_precision() { node -e "$GPU_CHECK_JS" expected "$LOGS/doctor.json" 2> /dev/null | tail -1; }

s_train_smoke() {
  run_json train-smoke 300 env TF_CPP_MIN_LOG_LEVEL=0 node bin/run.js train --profile smoke --config A --scale 256 --data "$DATA" --out "$LOGS/train-smoke" --json || return 1
  check train "$LOGS/train-smoke.json" "$LOGS/train-smoke.log" "$(expected_precision)" "${GPU_CHECK_STATUS[doctor]:-}"
}

s_train_subset() {
  # The subset profile (crop 128, eighth widths, FC 512, batch 64) with a minival small
  # enough to leave 640 of the 700 images for one epoch: 10 steps.
  cat > "$SUBSET" << YAML
extends: $GPU_CHECK_REPO/experiments/profiles/subset.yaml
name: gpu-check-subset
minivalImages: 60
maxValImages: 100
YAML
  run_json train-subset-slice 600 env TF_CPP_MIN_LOG_LEVEL=0 node bin/run.js train --profile "$SUBSET" --config A --scale 256 --epochs 1 --data "$DATA" --out "$LOGS/train-subset-slice" --json || return 1
  check train "$LOGS/train-subset-slice.json" "$LOGS/train-subset-slice.log" "$(expected_precision)" "${GPU_CHECK_STATUS[doctor]:-}"
}

s_eval() {
  local technique=$1 ckpt
  ckpt=$(node -e "$GPU_CHECK_JS" checkpoint "$LOGS/train-subset-slice.json" | tail -1)
  run_json "eval-$technique" 300 env TF_CPP_MIN_LOG_LEVEL=0 node bin/run.js eval --checkpoint "$ckpt" --technique "$technique" --scales 256 --profile "$SUBSET" --data "$DATA" --out "$LOGS/eval-$technique" --json || return 1
  check eval "$LOGS/eval-$technique.json" "$LOGS/eval-$technique.log" "$(expected_precision)" "${GPU_CHECK_STATUS[doctor]:-}"
}
s_eval_dense() { s_eval dense; }
s_eval_multi_crop() { s_eval multi-crop; }

# The training step on random input at the subset size (bench without --data: no
# pipeline, evaluation or training-run measurements), nets A and D, 10 timed steps.
BENCH_ARGS=(--configs A,D --steps 10 --no-torch --no-eager)

s_bench_gpu_fp32() {
  run bench-gpu-fp32 600 node bin/run.js bench "${BENCH_ARGS[@]}" --precision fp32 --out "$LOGS/bench-gpu-fp32" || return 1
  check bench "$LOGS/bench-gpu-fp32/bench.json" gpu && REASON="timed on the GPU build (log: $LOGS/bench-gpu-fp32.log)"
}

s_gpu_vs_cpu() {
  # CUDA_VISIBLE_DEVICES=-1 hides the GPU: the CPU build (.native/tfjs-node) is loaded
  run bench-cpu 600 env CUDA_VISIBLE_DEVICES=-1 node bin/run.js bench "${BENCH_ARGS[@]}" --precision fp32 --out "$LOGS/bench-cpu" || return 1
  check gpu-vs-cpu "$LOGS/bench-gpu-fp32/bench.json" "$LOGS/bench-cpu/bench.json"
  local rc=$?
  printf 'gpu-vs-cpu: %s\n' "$REASON" >> "$LOGS/speed.txt"
  return $rc
}

s_bf16() {
  # --precision bf16: bench times fp32 and bf16 side by side in one process
  run bench-gpu-bf16 600 node bin/run.js bench "${BENCH_ARGS[@]}" --precision bf16 --out "$LOGS/bench-gpu-bf16" || return 1
  check bf16 "$LOGS/bench-gpu-bf16/bench.json" "$LOGS/doctor.json"
  local rc=$?
  printf 'bf16-vs-fp32: %s\n' "$REASON" >> "$LOGS/speed.txt"
  return $rc
}

collect_env() {
  {
    echo "date: $(date -u +%FT%TZ)"
    echo "commit: $(git -C "$GPU_CHECK_REPO" rev-parse HEAD 2> /dev/null)"
    echo "uname: $(uname -a)"
    echo "node: $(node --version 2>&1)  npm: $(npm --version 2>&1)"
    echo "python3: $(python3 --version 2>&1)  pip: $(python3 -m pip --version 2>&1)"
    echo "g++: $(g++ --version 2>&1 | head -1)"
    echo "cpus: $(nproc 2>&1)  memory: $(free -g 2>&1 | awk '/^Mem/ {print $2 " GB"}')"
    echo "CUDA_VISIBLE_DEVICES: ${CUDA_VISIBLE_DEVICES-(unset)}  LD_LIBRARY_PATH: ${LD_LIBRARY_PATH-(unset)}"
    echo "driver: $(cat "${GPU_CHECK_ROOT:-}/proc/driver/nvidia/version" 2>&1 | head -1)"
  } > "$LOGS/env.txt" 2>&1
}

gpu_check_main() {
  case "${1:-}" in
    -h | --help)
      sed -n '2,/^set -uo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'
      return 0
      ;;
    --detect)
      if gpu_detect; then
        echo "gpu-check: NVIDIA GPU found ($GPU_FOUND)"
        return 0
      fi
      gpu_check_no_gpu_line
      return 3
      ;;
    --summary)
      shift
      gpu_check_summary "$@"
      return 0
      ;;
    -*)
      echo "gpu-check: unknown option $1 (valid: --detect, --summary, --help, or a log folder)" >&2
      return 2
      ;;
  esac
  if ! gpu_detect; then
    gpu_check_no_gpu_line
    return 3
  fi
  cd "$GPU_CHECK_REPO" || return 2
  LOGS="${1:-$GPU_CHECK_REPO/runs/gpu-check/$(date -u +%Y%m%dT%H%M%SZ)}"
  mkdir -p "$LOGS" || return 2
  LOGS="$(cd "$LOGS" && pwd)"
  DATA="$LOGS/data"
  SUBSET="$LOGS/gpu-check-subset.yaml"
  # Everything the commands write stays in the log folder.
  export VGG_REPRO_RUNS="$LOGS/runs" VGG_REPRO_RESULTS="$LOGS/results"
  local t0=$SECONDS
  say "gpu-check: logs in $LOGS (each step's command and output: commands.txt, <step>.log)"
  collect_env

  step gpu-visible s_gpu
  step install s_install
  step setup-gpu s_setup_gpu install
  # After setup: the datasets and decoded-image caches of the checks go to the log folder
  # too (the bench then finds no downloaded dataset and times the step only).
  export VGG_REPRO_CACHE="$LOGS/cache"
  step doctor s_doctor setup-gpu
  step auto-precision s_precision doctor
  step image-folder s_data install
  step train-smoke s_train_smoke setup-gpu image-folder
  step train-subset-slice s_train_subset setup-gpu image-folder
  step eval-dense s_eval_dense train-subset-slice
  step eval-multi-crop s_eval_multi_crop train-subset-slice
  step bench-gpu-fp32 s_bench_gpu_fp32 setup-gpu
  step gpu-vs-cpu s_gpu_vs_cpu bench-gpu-fp32
  step bf16-vs-fp32 s_bf16 setup-gpu

  tar -czf "$LOGS.tar.gz" -C "$(dirname "$LOGS")" --exclude=data --exclude=cache --exclude=runs --exclude='*.ckpt' "$(basename "$LOGS")" 2> /dev/null
  say "gpu-check: $((SECONDS - t0)) s; please send back $LOGS.tar.gz (the log folder without images and checkpoints)"
  say "$(gpu_check_summary "$GPU_CHECK_PASSED" "$GPU_CHECK_FAILED" "$LOGS" "${GPU_CHECK_FAILURES[@]}")"
  [[ $GPU_CHECK_FAILED -eq 0 ]]
}

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  gpu_check_main "$@"
  exit $?
fi
