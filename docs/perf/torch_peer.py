"""The PyTorch (CPU) peer of `minigan bench`: the same training workload, timed the same way.

    ~/peer-venv/bin/python docs/perf/torch_peer.py --loss gan --hidden 128 --dtype float64 --threads 2

Workload (identical to `minigan bench`, so the two can be timed side by side):

    data      ring8: 8 Gaussians at 2·(cos 2πk/8, sin 2πk/8), std 0.02; batch B
    noise     z ~ N(0, I), z_dim 2
    G         z_dim → H → … → H → 2   (depth hidden layers, ReLU; linear output)
    D         2 → H → … → H → 1       (same shape; one logit / critic value)
    iteration n_critic D updates, then one G update:
      gan      n_critic 1, Adam 2e-4, betas (0.5, 0.999); D: BCE on logits, G: non-saturating
      wgan     n_critic 5, RMSProp 5e-5, every D weight clipped to ±0.01 after each D update
      wgan-gp  n_critic 5, Adam 1e-4, betas (0.5, 0.9); penalty 10·mean_n (‖∇D(x̂_n)‖ − 1)²
               at x̂ = εx + (1 − ε)x̃, one ε ~ U[0, 1] per sample

It runs --warmup iterations, then times --iters more and prints one JSON line:
{"peer": "torch", "loss", "hidden", "depth", "batch", "dtype", "threads", "iters_per_s"}
(the line docs/perf/compare.py and docs/perf/scaling.py read). PyTorch is a benchmark peer only,
never a dependency of minigan: install it in a separate environment, e.g.
`python -m venv ~/peer-venv && ~/peer-venv/bin/pip install torch numpy`.
"""
import argparse
import json
import math
import time

import torch
from torch import nn
from torch.nn import functional as F

# loss -> (critic steps per G step, optimizer class, optimizer keyword arguments)
SETTINGS = {
    "gan": (1, torch.optim.Adam, dict(lr=2e-4, betas=(0.5, 0.999))),
    "wgan": (5, torch.optim.RMSprop, dict(lr=5e-5)),
    "wgan-gp": (5, torch.optim.Adam, dict(lr=1e-4, betas=(0.5, 0.9))),
}
CLIP = 0.01          # wgan: weight clipping bound
GP_WEIGHT = 10.0     # wgan-gp: λ


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--loss", choices=sorted(SETTINGS), default="gan")
    p.add_argument("--hidden", type=int, default=128, help="hidden width H")
    p.add_argument("--depth", type=int, default=3, help="hidden layers per network")
    p.add_argument("--batch", type=int, default=256, help="batch B")
    p.add_argument("--z-dim", type=int, default=2)
    p.add_argument("--iters", type=int, default=200, help="timed iterations")
    p.add_argument("--warmup", type=int, default=20, help="untimed iterations first")
    p.add_argument("--threads", type=int, default=0, help="torch threads (0: torch's default)")
    p.add_argument("--dtype", choices=["float32", "float64"], default="float64")
    return p.parse_args()


def mlp(n_in, n_out, hidden, depth, dtype):
    """n_in → hidden (× depth, ReLU) → n_out, PyTorch's default initialisation."""
    layers, width = [], n_in
    for _ in range(depth):
        layers += [nn.Linear(width, hidden), nn.ReLU()]
        width = hidden
    layers.append(nn.Linear(width, n_out))
    return nn.Sequential(*layers).to(dtype)


class Ring8:
    """Batches of the ring of 8 Gaussians (radius 2, std 0.02): (B, 2)."""

    def __init__(self, batch, dtype):
        angles = [2 * math.pi * k / 8 for k in range(8)]
        self.centers = torch.tensor([[2 * math.cos(t), 2 * math.sin(t)] for t in angles],
                                    dtype=dtype)                       # (8, 2)
        self.batch, self.dtype = batch, dtype

    def sample(self):
        k = torch.randint(0, 8, (self.batch,))                          # (B,)
        return self.centers[k] + 0.02 * torch.randn(self.batch, 2, dtype=self.dtype)


def gradient_penalty(D, real, fake):
    """mean_n (‖∇ₓD(x̂_n)‖₂ − 1)², x̂ = εx + (1 − ε)x̃, ε ~ U[0, 1] per row; differentiable."""
    eps = torch.rand(real.shape[0], 1, dtype=real.dtype)                # (B, 1)
    x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)        # (B, 2)
    grad, = torch.autograd.grad(D(x_hat).sum(), x_hat, create_graph=True)
    return ((grad.norm(dim=1) - 1) ** 2).mean()


def make_iteration(a, G, D, data):
    """One training iteration as a closure: n_critic D updates, then one G update."""
    dt = getattr(torch, a.dtype)
    n_critic, opt_class, opt_kwargs = SETTINGS[a.loss]
    opt_d = opt_class(D.parameters(), **opt_kwargs)
    opt_g = opt_class(G.parameters(), **opt_kwargs)

    def noise():
        return torch.randn(a.batch, a.z_dim, dtype=dt)                  # (B, z_dim)

    def d_loss(real, fake):
        if a.loss == "gan":         # −E log σ(D(x)) − E log(1 − σ(D(x̃)))
            t_r, t_f = D(real), D(fake)
            return (F.binary_cross_entropy_with_logits(t_r, torch.ones_like(t_r))
                    + F.binary_cross_entropy_with_logits(t_f, torch.zeros_like(t_f)))
        loss = D(fake).mean() - D(real).mean()                          # critic: E f(x̃) − E f(x)
        if a.loss == "wgan-gp":
            loss = loss + GP_WEIGHT * gradient_penalty(D, real, fake)
        return loss

    def g_loss(fake):
        t_f = D(fake)
        if a.loss == "gan":         # non-saturating: −E log σ(D(G(z)))
            return F.binary_cross_entropy_with_logits(t_f, torch.ones_like(t_f))
        return -t_f.mean()

    def iteration():
        # 1) discriminator / critic: n_critic updates on fresh batches
        for _ in range(n_critic):
            real, fake = data.sample(), G(noise()).detach()
            opt_d.zero_grad()
            d_loss(real, fake).backward()
            opt_d.step()
            if a.loss == "wgan":
                with torch.no_grad():
                    for w in D.parameters():
                        w.clamp_(-CLIP, CLIP)
        # 2) generator: one update through the current D
        opt_g.zero_grad()
        g_loss(G(noise())).backward()
        opt_g.step()

    return iteration


def main():
    a = parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    dt = getattr(torch, a.dtype)
    torch.manual_seed(0)
    G = mlp(a.z_dim, 2, a.hidden, a.depth, dt)
    D = mlp(2, 1, a.hidden, a.depth, dt)
    iteration = make_iteration(a, G, D, Ring8(a.batch, dt))

    for _ in range(a.warmup):
        iteration()
    t0 = time.perf_counter()
    for _ in range(a.iters):
        iteration()
    seconds = time.perf_counter() - t0
    print(json.dumps({"peer": "torch", "loss": a.loss, "hidden": a.hidden, "depth": a.depth,
                      "batch": a.batch, "dtype": a.dtype, "threads": torch.get_num_threads(),
                      "iters_per_s": a.iters / seconds}))


if __name__ == "__main__":
    main()
