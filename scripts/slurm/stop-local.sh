#!/usr/bin/env bash
# stop-local.sh DIR -- stop the Slurm started by start-local.sh DIR: cancel its jobs
# (slurmstepd outlives slurmd otherwise), then TERM slurmd, slurmctld and munged by
# the pids in their pid files (never by name); KILL after 15 s.
set -uo pipefail
DIR=$(realpath -m "${1:?usage: stop-local.sh DIR}")
log() { echo "[stop-local-slurm] $*" >&2; }
alive() { [ -s "$1" ] && [ "$(cat "/proc/$(cat "$1")/comm" 2>/dev/null)" = "$2" ]; }
stop() {
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2>/dev/null
  for _ in $(seq 150); do
    local left=(); for p in "$@"; do kill -0 "$p" 2>/dev/null && left+=("$p"); done
    [ ${#left[@]} -eq 0 ] && return 0; sleep 0.1
  done
  log "SIGKILL ${left[*]}"; kill -KILL "${left[@]}" 2>/dev/null; return 0
}
if alive "$DIR/run/slurmctld.pid" slurmctld && [ -s "$DIR/etc/slurm.conf" ]; then
  export SLURM_CONF=$DIR/etc/slurm.conf
  jobs=$(squeue -h -o %i 2>/dev/null)
  if [ -n "$jobs" ]; then
    log "cancelling jobs $(echo $jobs)"; scancel $jobs 2>/dev/null
    for _ in $(seq 100); do [ -z "$(squeue -h -t PD,R,CG -o %i 2>/dev/null)" ] && break; sleep 0.1; done
  fi
fi
pids=()
alive "$DIR/run/slurmd.pid" slurmd && pids+=("$(cat "$DIR/run/slurmd.pid")")
alive "$DIR/run/slurmctld.pid" slurmctld && pids+=("$(cat "$DIR/run/slurmctld.pid")")
stop "${pids[@]}"
alive "$DIR/munge/munged.pid" munged && stop "$(cat "$DIR/munge/munged.pid")"
rm -f "$DIR/munge/munged.pid" "$DIR/munge/munge.socket" "$DIR/munge/munge.socket.lock"
log "stopped"
