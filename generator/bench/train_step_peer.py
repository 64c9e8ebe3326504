#!/usr/bin/python3
"""PyTorch peer of TrainerStepBench: the example networks of examples/src/main/edgenn built by hand in PyTorch,
same shapes, same batch, float, Adam, and the time of one optimizer step (forward, loss, backward, update).

Not run by CI. Needs Debian's PyTorch:  apt-get install python3-torch   (then run with /usr/bin/python3)

  /usr/bin/python3 generator/bench/train_step_peer.py [--steps 10] [--warmup 2] [--threads 2] [--only Lista,CscDenoiser]
                                                     [--out torch.jsonl] [--compare edgenn.jsonl]

--compare reads TrainerStepBench's JSON lines (-Dout=...) and prints EdgeNN / PyTorch per network.
"""
import argparse
import json
import os
import statistics
import time

import torch
import torch.nn.functional as F
from torch import nn


def soft(x, theta):
    """Soft threshold with a positive threshold, as runtime/train's Shrink.soft: relu(x - t) - relu(-x - t)."""
    return F.relu(x - theta) - F.relu(-x - theta)


class Lista(nn.Module):
    """lista.edgenn: b = We y; x = shrink(b + S_k x, softplus(rho_k)), 16 untied steps from x = 0."""
    batch = 64

    def __init__(self, m=250, n=500, k=16):
        super().__init__()
        self.n = n
        self.We = nn.Linear(m, n, bias=False)
        self.S = nn.ModuleList([nn.Linear(n, n, bias=False) for _ in range(k)])
        self.rho = nn.Parameter(torch.full((k, 1), -2.0))

    def forward(self, y):
        b = self.We(y)
        x = torch.zeros(y.shape[0], self.n)
        for k, s in enumerate(self.S):
            x = soft(b + s(x), F.softplus(self.rho[k]))
        return x

    def loss(self, y, t):
        x = self(y)
        nmse = ((x - t) ** 2).sum() / (t ** 2).sum()
        return nmse + 1e-5 * x.abs().sum(dim=1).mean()

    def data(self, n):
        return torch.rand(n, 250), torch.rand(n, 500)


class CscDenoiser(nn.Module):
    """csc_denoiser.edgenn: z <- shrink(z - B(A z - y), softplus(rho_k)) 8 times from z = 0, then D z; 64 atoms 7x7."""
    batch = 16

    def __init__(self, atoms=64, k=8):
        super().__init__()
        self.atoms = atoms
        self.A = nn.Conv2d(atoms, 1, 7, padding=3, bias=False)
        self.B = nn.Conv2d(1, atoms, 7, padding=3, bias=False)
        self.D = nn.Conv2d(atoms, 1, 7, padding=3, bias=False)
        self.rho = nn.Parameter(torch.full((k, atoms, 1, 1), -3.9))

    def forward(self, y):
        z = torch.zeros(y.shape[0], self.atoms, y.shape[2], y.shape[3])
        for k in range(self.rho.shape[0]):
            z = soft(z - self.B(self.A(z) - y), F.softplus(self.rho[k]))
        return self.D(z)

    def loss(self, y, t):
        return F.mse_loss(self(y), t)

    def data(self, n):
        return torch.rand(n, 1, 64, 64), torch.rand(n, 1, 64, 64)


class UnrolledGradient(nn.Module):
    """unrolled_gradient.edgenn: x <- clamp(x - step_k ((x - y) - lambda_k Lap x), 0, 1), 6 steps, Laplacian fixed."""
    batch = 32

    def __init__(self, k=6):
        super().__init__()
        self.register_buffer("lap", torch.tensor([[0., 1., 0.], [1., -4., 1.], [0., 1., 0.]]).view(1, 1, 3, 3))
        self.step = nn.Parameter(torch.full((k,), 0.2))
        self.lam = nn.Parameter(torch.full((k,), 0.1))

    def forward(self, y):
        x = y
        for k in range(self.step.shape[0]):
            x = torch.clamp(x - self.step[k] * ((x - y) - self.lam[k] * F.conv2d(x, self.lap, padding=1)), 0, 1)
        return x

    def loss(self, y, t):
        return F.mse_loss(self(y), t)

    def data(self, n):
        return torch.rand(n, 1, 64, 64), torch.rand(n, 1, 64, 64)


class FashionCnn(nn.Module):
    """fashion_cnn.edgenn FashionCnn: conv3x3(32) relu pool, conv3x3(64) relu pool, dense 128 relu, dense 10; CE."""
    batch = 128

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 32, 3, padding=1)
        self.c2 = nn.Conv2d(32, 64, 3, padding=1)
        self.h = nn.Linear(3136, 128)
        self.logits = nn.Linear(128, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c2(x)), 2)
        return self.logits(F.relu(self.h(x.flatten(1))))

    def loss(self, x, t):
        return F.cross_entropy(self(x), t)

    def data(self, n):
        return torch.rand(n, 1, 28, 28), torch.arange(n) % 10


class FashionTiny(nn.Module):
    """FashionTiny: conv3x3 s2 (16), depthwise 3x3, relu6, 1x1 (32), relu6, global avg pool, dense 10;
    CE + 0.5 distill(T=4) from a frozen FashionCnn teacher run forward in the same step."""
    batch = 128

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 16, 3, stride=2, padding=1)
        self.dw = nn.Conv2d(16, 16, 3, padding=1, groups=16)
        self.c2 = nn.Conv2d(16, 32, 1)
        self.logits = nn.Linear(32, 10)
        self.teacher = FashionCnn().requires_grad_(False)

    def forward(self, x):
        x = F.relu6(self.dw(self.c1(x)))
        x = F.relu6(self.c2(x))
        return self.logits(F.adaptive_avg_pool2d(x, 1).flatten(1))

    def loss(self, x, t):
        s = self(x)
        with torch.no_grad():
            teacher = self.teacher(x)
        temp = 4.0
        kl = F.kl_div(F.log_softmax(s / temp, 1), F.softmax(teacher / temp, 1), reduction="batchmean")
        return F.cross_entropy(s, t) + 0.5 * temp * temp * kl

    def data(self, n):
        return torch.rand(n, 1, 28, 28), torch.arange(n) % 10


class Espcn(nn.Module):
    """espcn.edgenn: f1 = tanh(conv5x5 32), f2 = tanh(dilated conv3x3 32), f3 = conv3x3(concat) 4, pixel shuffle x2
    added to the bilinear up-sampled input, clamped to [0, 1]; mse + 1e-6 l2(f3)."""
    batch = 32

    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 32, 5, padding=2)
        self.c2 = nn.Conv2d(32, 32, 3, padding=2, dilation=2)
        self.c3 = nn.Conv2d(64, 4, 3, padding=1)

    def forward(self, low):
        f1 = torch.tanh(self.c1(low))
        f2 = torch.tanh(self.c2(f1))
        f3 = self.c3(torch.cat([f1, f2], 1))
        coarse = F.interpolate(low, scale_factor=2, mode="bilinear", align_corners=False)
        return torch.clamp(coarse + F.pixel_shuffle(f3, 2), 0, 1), f3

    def loss(self, low, high):
        sr, f3 = self(low)
        return F.mse_loss(sr, high) + 1e-6 * (f3 ** 2).flatten(1).sum(1).mean()

    def data(self, n):
        return torch.rand(n, 1, 32, 32), torch.rand(n, 1, 64, 64)


NETWORKS = [Lista, CscDenoiser, UnrolledGradient, FashionCnn, FashionTiny, Espcn]


def time_steps(cls, steps, warmup):
    torch.manual_seed(1)
    model = cls()
    opt = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3)
    x, t = model.data(cls.batch)
    times, cpu = [], []
    for i in range(warmup + steps):
        t0, c0 = time.perf_counter(), time.process_time()
        opt.zero_grad(set_to_none=True)
        loss = model.loss(x, t)
        loss.backward()
        opt.step()
        float(loss)
        if i >= warmup:
            times.append((time.perf_counter() - t0) * 1e3)
            cpu.append((time.process_time() - c0) * 1e3)
    return statistics.median(times), statistics.median(cpu)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", default="")
    ap.add_argument("--out")
    ap.add_argument("--compare")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    only = set(filter(None, a.only.split(",")))
    print(f"PyTorch {torch.__version__}, {a.threads} threads, {a.steps} timed steps after {a.warmup}; load {os.getloadavg()[0]:.2f}")
    rows = []
    for cls in NETWORKS:
        if only and cls.__name__ not in only:
            continue
        ms, cpu = time_steps(cls, a.steps, a.warmup)
        rows.append({"side": "torch", "network": cls.__name__, "batch": cls.batch, "steps": a.steps, "ms_per_step": round(ms, 2),
                     "cpu_ms_per_step": round(cpu, 2), "threads": a.threads})
        print(f"{cls.__name__:16s} batch {cls.batch:4d}: {ms:9.1f} ms/step wall, {cpu:9.1f} ms/step process CPU (load {os.getloadavg()[0]:.2f})",
              flush=True)
    if a.out:
        with open(a.out, "w") as f:
            f.writelines(json.dumps(r) + "\n" for r in rows)
    if a.compare:
        edgenn = {}
        with open(a.compare) as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    edgenn[r["network"]] = r
        print(f"{'network':16s} {'batch':>5s} {'EdgeNN ms':>10s} {'PyTorch ms':>10s} {'ratio':>6s} {'EdgeNN CPU':>10s} {'PyTorch CPU':>11s} {'ratio':>6s}")
        for r in rows:
            e = edgenn.get(r["network"])
            if e:
                print(f"{r['network']:16s} {r['batch']:5d} {e['ms_per_step']:10.1f} {r['ms_per_step']:10.1f} {e['ms_per_step'] / r['ms_per_step']:6.2f}"
                      f" {e['cpu_ms_per_step']:10.1f} {r['cpu_ms_per_step']:11.1f} {e['cpu_ms_per_step'] / r['cpu_ms_per_step']:6.2f}")


if __name__ == "__main__":
    main()
