#!/usr/bin/env python3
"""The machine's float32 matrix rate for `vgg-repro bench`: median time of an
N x N float32 matmul in numpy (BLAS on every core). Prints one JSON line.
Exit code 3 (and {"error": "no-numpy"}) when numpy is missing."""
import json
import statistics
import sys
import time

try:
    import numpy as np
except Exception as exc:
    print(json.dumps({"error": "no-numpy", "detail": str(exc).splitlines()[0] if str(exc) else ""}))
    sys.exit(3)

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2048
reps = int(sys.argv[2]) if len(sys.argv) > 2 else 10
rng = np.random.default_rng(0)
a = rng.standard_normal((n, n), dtype=np.float32)
b = rng.standard_normal((n, n), dtype=np.float32)
c = np.empty((n, n), dtype=np.float32)
for _ in range(2):  # warm-up: thread pool start, page faults
    np.matmul(a, b, out=c)
times = []
for _ in range(reps):
    t0 = time.perf_counter()
    np.matmul(a, b, out=c)
    times.append(time.perf_counter() - t0)
med = statistics.median(times)
print(json.dumps({"ok": True, "n": n, "reps": reps, "medianMs": med * 1000, "gflops": 2 * n**3 / med / 1e9, "numpy": np.__version__}))
