#!/usr/bin/env bash
# Dense-fit ablation (docs/subset-protocol.md): on the nets of a crop arm trained by
# scripts/ablation-crop.sh, dense evaluation under each way of fitting the image to whole
# 32-pixel cells, scored on the minival. One JSON line per evaluation.
#   bash scripts/ablation-dense-fit.sh DATA [arm ...]     (arms default: 64)
set -euo pipefail
cd "$(dirname "$0")/.."
data=${1:?usage: ablation-dense-fit.sh DATA [arm ...]}
shift
arms=${*:-64}
runs=${VGG_REPRO_RUNS:-runs}/ablation
out=results/ablation
for arm in $arms; do
  p=experiments/ablation/crop$arm.yaml
  r=$runs/crop$arm
  log=$out/dense-fit-crop$arm.jsonl
  : > "$log"
  for fit in pad reflect crop anchors top-left; do
    for spec in "A 256" "D256 256" "D256 384" "Djit 256" "Djit 384" "Djit 512"; do
      set -- $spec
      node bin/run.js eval --minival --dense-fit "$fit" --checkpoint "$r/$1/checkpoint.ckpt" --technique dense --scales "$2" --profile "$p" --data "$data" \
        --out "$r/fit-$fit-$1-$2" --json |
        node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);console.log(JSON.stringify({arm:process.argv[1],fit:process.argv[2],net:process.argv[3],q:+process.argv[4],scales:r.scales,top1:r.top1Err,top5:r.top5Err,n:r.n}))})' "$arm" "$fit" "$1" "$2" >> "$log"
    done
  done
  echo "dense-fit arm $arm done: $log" >&2
done
