#!/usr/bin/env python3
"""PyTorch reference for `vgg-repro bench`: the same VGG training step in PyTorch.

The architecture arrives as a plan (conv/fc layer shapes) from the TypeScript side,
so both engines train exactly the same layers. One step = forward with dropout,
soft-max cross-entropy, backward, SGD momentum with L2 weight decay on kernels only,
plus top-1/top-5 hit counts kept on the device (as our trainer does).

Modes:
  torch_step.py --serve          JSON requests on stdin, one JSON reply line each
  torch_step.py --request JSON   one request, reply on stdout
Exit code 3 (and {"error": "no-torch"}) when torch cannot be imported.
"""
import json
import os
import statistics
import sys
import time


def reply(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except Exception as exc:  # torch is optional: the caller prints one line and skips
    reply({"error": "no-torch", "detail": str(exc).splitlines()[0] if str(exc) else type(exc).__name__})
    sys.exit(3)

# Every core, as the issue asks; the default can be lower inside containers.
torch.set_num_threads(os.cpu_count() or 1)


class Vgg(nn.Module):
    def __init__(self, plan, dropout):
        super().__init__()
        layers = []
        for c in plan["convs"]:
            k = c["k"]
            layers.append(nn.Conv2d(c["cin"], c["cout"], k, padding=k // 2))
            layers.append(nn.ReLU(inplace=True))
            if c["lrn"]:
                # torch divides alpha by size; TF (our backend) does not: pass alpha * n.
                layers.append(nn.LocalResponseNorm(5, alpha=1e-4 * 5, beta=0.75, k=2.0))
            if c["pool"]:
                layers.append(nn.MaxPool2d(2, 2))
        self.features = nn.Sequential(*layers)
        head = []
        for f in plan["fcs"]:
            head.append(nn.Linear(f["in"], f["out"]))
            if f["relu"]:
                head.append(nn.ReLU(inplace=True))
            if f["dropout"]:
                head.append(nn.Dropout(dropout))
        self.classifier = nn.Sequential(*head)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def init_like_ours(model, init):
    # Same initial scale as our nets (profile init), biases zero.
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            if init.get("kind") == "normal":
                nn.init.normal_(m.weight, 0.0, init["std"])
            else:
                nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)


def run_steps(model, opt, x, y, n, autocast=False):
    times = []
    hits = torch.zeros(2)
    k = min(5, model.classifier[-1].out_features)
    for _ in range(n):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        # bf16 mixed precision as PyTorch users run it: autocast on the forward (and so
        # on its backward), fp32 weights and optimizer; cross-entropy autocasts to fp32
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
            out = model(x)
            loss = F.cross_entropy(out, y)
        loss.backward()
        opt.step()
        with torch.no_grad():
            top = out.topk(k, 1).indices.eq(y.view(-1, 1)).float()
            hits += torch.stack([top[:, 0].sum(), top.sum()])
        times.append((time.perf_counter() - t0) * 1000)
    return times


def train(req):
    torch.manual_seed(req.get("seed", 1))
    fmt = req.get("memoryFormat", "auto")
    autocast = req.get("autocast") == "bf16"
    batch, crop = req["batch"], req["crop"]
    classes = req["plan"]["fcs"][-1]["out"]
    results = {}
    formats = ["channels_last", "contiguous"] if fmt == "auto" else [fmt]
    for name in formats:
        mf = torch.channels_last if name == "channels_last" else torch.contiguous_format
        model = Vgg(req["plan"], req["dropout"])
        init_like_ours(model, req.get("init", {}))
        model = model.to(memory_format=mf).train()
        decay = [p for n_, p in model.named_parameters() if n_.endswith("weight")]
        no_decay = [p for n_, p in model.named_parameters() if n_.endswith("bias")]
        opt = torch.optim.SGD(
            [{"params": decay, "weight_decay": req["weightDecay"]}, {"params": no_decay, "weight_decay": 0.0}],
            lr=req["lr"],
            momentum=req["momentum"],
        )
        x = (torch.rand(batch, 3, crop, crop) * 255 - 128).contiguous(memory_format=mf)
        y = torch.randint(0, classes, (batch,))
        if fmt == "auto":
            # Let PyTorch's preferred layout win: a short trial of each, keep the faster.
            run_steps(model, opt, x, y, req.get("warmup", 2), autocast)
            trial = run_steps(model, opt, x, y, req.get("trialSteps", 3), autocast)
            results[name] = (statistics.median(trial), model, opt, x, y)
        else:
            results[name] = (0.0, model, opt, x, y)
    best = min(results, key=lambda n_: results[n_][0])
    _, model, opt, x, y = results[best]
    warm = run_steps(model, opt, x, y, req["warmup"], autocast) if fmt != "auto" else []
    times = run_steps(model, opt, x, y, req["steps"], autocast)
    return {
        "ok": True,
        "stepMs": times,
        "warmupMs": warm,
        "memoryFormat": best,
        "trialMs": {n_: results[n_][0] for n_ in results} if fmt == "auto" else None,
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "autocast": "bf16" if autocast else None,
    }


def gemm(req):
    # The machine's matrix rate in a dtype, through PyTorch's CPU GEMM (oneDNN for bf16)
    n, reps = req.get("n", 2048), req.get("reps", 10)
    dt = torch.bfloat16 if req.get("dtype") == "bfloat16" else torch.float32
    g = torch.Generator().manual_seed(0)
    a = torch.randn(n, n, generator=g).to(dt)
    b = torch.randn(n, n, generator=g).to(dt)
    for _ in range(2):
        torch.matmul(a, b)
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        torch.matmul(a, b)
        times.append(time.perf_counter() - t0)
    med = statistics.median(times)
    return {"ok": True, "n": n, "reps": reps, "medianMs": med * 1000, "gflops": 2 * n**3 / med / 1e9, "torch": torch.__version__}


def handle(req):
    if req.get("cmd") == "gemm":
        return gemm(req)
    if req.get("cmd") == "hello":
        return {"ok": True, "torch": torch.__version__, "threads": torch.get_num_threads()}
    if req.get("cmd") == "train":
        return train(req)
    return {"error": "bad-request", "detail": f"unknown cmd {req.get('cmd')!r}"}


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "--request":
        reply(handle(json.loads(sys.argv[2])))
        return
    if len(sys.argv) >= 2 and sys.argv[1] == "--serve":
        reply({"ok": True, "ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()})
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                reply(handle(json.loads(line)))
            except Exception as exc:  # report, keep serving
                reply({"error": "exception", "detail": f"{type(exc).__name__}: {exc}"})
        return
    sys.stderr.write(__doc__)
    sys.exit(2)


if __name__ == "__main__":
    main()
