#!/usr/bin/env bash
# Crop ablation for the subset protocol (docs/subset-protocol.md): for each arm
# (experiments/ablation/crop*.yaml) train A (random init), D from A at S=256, and D
# jittered from D at S=256, then score them on the minival (training images held out
# of training: choosing the protocol never looks at val/). Prints one JSON line per
# evaluation; scripts/ablation-table.mjs turns them into the table.
#   bash scripts/ablation-crop.sh DATA [arm ...]     (arms default: 64 96 128)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:?usage: ablation-crop.sh DATA [arm ...]}
shift
arms=${*:-64 96 128}
runs=${VGG_REPRO_RUNS:-runs}/ablation
out=results/ablation
mkdir -p "$out"
bin=bin/run.js
for arm in $arms; do
  p=experiments/ablation/crop$arm.yaml
  r=$runs/crop$arm
  log=$out/crop$arm.jsonl
  : > "$log"
  t0=$(date +%s)
  node $bin train --config A --scale 256 --profile "$p" --data "$data" --out "$r/A" --json > "$r-A.train.json"
  node $bin train --config D --scale 256 --profile "$p" --data "$data" --out "$r/D256" --init-from "$r/A/checkpoint.ckpt" --json > "$r-D256.train.json"
  node $bin train --config D --scale 256-512 --profile "$p" --data "$data" --out "$r/Djit" --init-from "$r/D256/checkpoint.ckpt" --json > "$r-Djit.train.json"
  t1=$(date +%s)
  ev() { # net technique scales
    node $bin eval --minival --checkpoint "$r/$1/checkpoint.ckpt" --technique "$2" --scales "$3" --profile "$p" --data "$data" \
      --out "$r/eval-$1-$2-${3//,/_}" --json |
      node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);console.log(JSON.stringify({arm:process.argv[1],net:process.argv[2],technique:r.technique,scales:r.scales,top1:r.top1Err,top5:r.top5Err,n:r.n,posteriors:r.posteriors}))})' "$arm" "$1"
  }
  {
    ev A dense 256
    ev D256 dense 256
    ev D256 multi-crop 256
    ev Djit dense 256,384,512
    ev Djit multi-crop 256,384,512
  } >> "$log"
  echo "{\"arm\":\"$arm\",\"trainSeconds\":$((t1 - t0)),\"evalSeconds\":$(( $(date +%s) - t1 ))}" >> "$log"
  echo "arm crop $arm done: $(wc -l < "$log") lines in $log" >&2
done
