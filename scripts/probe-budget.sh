#!/usr/bin/env bash
# Issue 10 budget probe: do the two claims that fail at the 90-minute subset budget
# (depth: E worse than B; jitter: S=384 fine-tunes worse than S=256) turn with the
# paper's epoch ratio? Trains, from the nets of a finished `all --subset` run:
#   B and E at 72 epochs (3x the subset's 24, like the paper's 74) from the trained A,
#   D at S=384 for 24 epochs (3x the subset's 8) from the trained D at S=256,
# then scores them dense at the paper's test scales on the same val images as the tables.
# Usage: scripts/probe-budget.sh DATA_ROOT [RUNS_ROOT]   (results under RUNS_ROOT/probes/)
set -euo pipefail
data=${1:?usage: probe-budget.sh DATA_ROOT [RUNS_ROOT]}
runs=${2:-runs}
jobs="$runs/subset/jobs"
out="$runs/probes"
mkdir -p "$out"
h=[0-9a-f]; hash16=$h$h$h$h$h$h$h$h$h$h$h$h$h$h$h$h
# exactly "<name>-<16-hex key>": train-D-s256 must not match train-D-s256-512-<key>
ck() { ls -d "$jobs"/$1-$hash16/checkpoint.ckpt | head -1; }
A=$(ck train-A-s256); D256=$(ck train-D-s256)
bin="node bin/run.js"
$bin train --profile subset --data "$data" --config B --scale 256 --epochs 72 --init-from "$A" --out "$out/B-s256-e72"
$bin train --profile subset --data "$data" --config E --scale 256 --epochs 72 --init-from "$A" --out "$out/E-s256-e72"
$bin train --profile subset --data "$data" --config D --scale 384 --epochs 24 --init-from "$D256" --out "$out/D-s384-e24"
for net in B-s256-e72:256 E-s256-e72:256 D-s384-e24:384; do
  name=${net%%:*}; q=${net##*:}
  $bin eval --profile subset --data "$data" --checkpoint "$out/$name/checkpoint.ckpt" --technique dense --scales "$q" --dense-fit anchors --out "$out/eval-$name" --json > "$out/eval-$name.json"
done
# Where does D at S=384 lose against its centre-crop minival error: dense on the minival, multi-crop on val.
D384="$out/D-s384-e24/checkpoint.ckpt"
$bin eval --profile subset --data "$data" --checkpoint "$D384" --technique dense --scales 384 --minival --out "$out/eval-D-s384-e24-minival" --json > "$out/eval-D-s384-e24-minival.json"
$bin eval --profile subset --data "$data" --checkpoint "$D384" --technique multi-crop --scales 384 --out "$out/eval-D-s384-e24-mc" --json > "$out/eval-D-s384-e24-mc.json"
# The committed nets themselves: D at S=256 and at S=384 (8 epochs), multi-crop at their Q = S.
$bin eval --profile subset --data "$data" --checkpoint "$D256" --technique multi-crop --scales 256 --out "$out/eval-D-s256-mc" --json > "$out/eval-D-s256-mc.json"
$bin eval --profile subset --data "$data" --checkpoint "$(ck train-D-s384)" --technique multi-crop --scales 384 --out "$out/eval-D-s384-e8-mc" --json > "$out/eval-D-s384-e8-mc.json"
