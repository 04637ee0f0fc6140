#!/usr/bin/env bash
# bf16 against fp32 training, same seeds (docs/precision.md, "Parity"): for each seed,
# net A at S=256 in fp32 and in bf16, then net D at S=256 initialised from that seed's A
# of the same precision (the paper's chain), all at the subset profile. Each net is scored
# on its minival (recorded by training) and on val (dense, Q = S, the profile's 1,000
# class-balanced images: Table 3's protocol). One JSON line per net goes to
# <runs>/parity.jsonl; a rerun resumes (checkpoints) and rescoring is cheap.
#
#   bash scripts/precision-parity.sh DATA [RUNS] [SEEDS...]
#   bash scripts/precision-parity.sh ../shared/datasets/imagenette2-224 runs/parity 1 2 3
#   node scripts/precision-parity-summary.mjs runs/parity/parity.jsonl
set -euo pipefail
data=${1:?usage: precision-parity.sh DATA [RUNS] [SEEDS...]}
runs=${2:-runs/parity}
shift $(( $# >= 2 ? 2 : 1 ))
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=(1 2 3)
here=$(cd "$(dirname "$0")/.." && pwd)
cli=(node "$here/bin/run.js")
mkdir -p "$runs"
out="$runs/parity.jsonl"

score() { # config seed precision folder
  local config=$1 seed=$2 precision=$3 dir=$4
  local train_json="$dir/train.json" eval_json="$dir/eval.json"
  VGG_REPRO_CRASH_RETRIES=0 "${cli[@]}" eval --checkpoint "$dir/checkpoint.ckpt" --profile subset --data "$data" \
    --technique dense --scales 256 --precision "$precision" --out "$dir/eval" --json > "$eval_json"
  node -e '
    const [train, ev, config, seed, precision] = process.argv.slice(1)
    const t = JSON.parse(require("fs").readFileSync(train, "utf8"))
    const e = JSON.parse(require("fs").readFileSync(ev, "utf8"))
    console.log(JSON.stringify({config, seed: Number(seed), precision, epochs: t.epochs, minivalTop1: t.valTop1Err, minivalTop5: t.valTop5Err,
      valTop1: e.top1Err, valTop5: e.top5Err, valN: e.n, trainWallS: t.wallMs / 1000, date: new Date().toISOString()}))' \
    "$train_json" "$eval_json" "$config" "$seed" "$precision" >> "$out"
}

train() { # config seed precision folder [init-from]
  local config=$1 seed=$2 precision=$3 dir=$4 init=${5:-}
  echo "== $config seed $seed $precision -> $dir" >&2
  VGG_REPRO_CRASH_RETRIES=0 "${cli[@]}" train --profile subset --data "$data" --config "$config" --scale 256 --seed "$seed" \
    --precision "$precision" --out "$dir" ${init:+--init-from "$init"} --json > "$dir.train.json.tmp"
  mkdir -p "$dir" && mv "$dir.train.json.tmp" "$dir/train.json"
  score "$config" "$seed" "$precision" "$dir"
}

for seed in "${seeds[@]}"; do
  for precision in fp32 bf16; do
    a="$runs/A-seed$seed-$precision"
    [ -f "$a/train.json" ] || train A "$seed" "$precision" "$a"
  done
  for precision in fp32 bf16; do
    d="$runs/D-seed$seed-$precision"
    [ -f "$d/train.json" ] || train D "$seed" "$precision" "$d" "$runs/A-seed$seed-$precision/checkpoint.ckpt"
  done
done
echo "parity: $(wc -l < "$out") nets scored in $out" >&2
