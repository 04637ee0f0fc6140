#!/usr/bin/env bash
# Issue 10 seed-noise probe: does the training-run noise shrink with a longer schedule?
# Trains net A with several seeds under a profile and scores each like the runner's
# seed runs (dense, Q = S, and Q = S-32, S, S+32, on the profile's val images), so
# the seed standard deviation can be compared with the one the subset run measures.
# Usage: scripts/probe-seeds.sh DATA_ROOT PROFILE SEED... (results under runs/probes-seeds/<profile name>/)
set -euo pipefail
data=${1:?usage: probe-seeds.sh DATA_ROOT PROFILE SEED...}
profile=${2:?usage: probe-seeds.sh DATA_ROOT PROFILE SEED...}
shift 2
name=$(basename "$profile" .yaml)
out="runs/probes-seeds/$name"
mkdir -p "$out"
bin="node bin/run.js"
for seed in "$@"; do
  net="$out/A-s256-seed$seed"
  $bin train --profile "$profile" --data "$data" --config A --scale 256 --seed "$seed" --out "$net"
  $bin eval --profile "$profile" --data "$data" --checkpoint "$net/checkpoint.ckpt" --technique dense --scales 256 --out "$net/eval-q256" --json > "$net/eval-q256.json"
  $bin eval --profile "$profile" --data "$data" --checkpoint "$net/checkpoint.ckpt" --technique dense --scales 224,256,288 --out "$net/eval-q224-288" --json > "$net/eval-q224-288.json"
done
