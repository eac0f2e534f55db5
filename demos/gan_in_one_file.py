r"""A GAN in one file: NumPy only, nothing imported from minigan, readable top to bottom.

Goodfellow et al. 2014, Algorithm 1, non-saturating loss, on ring8 (8 Gaussians of std 0.02 on
a circle of radius 2), in six parts: 1. the data; 2. an MLP and its hand-written backward pass;
3. the losses, in logit space; 4. Adam; 5. the training loop; 6. the score, and the run.

The settings are those of `minigan train` (minigan/config.py): G and D with 3 hidden ReLU
layers of 128, z ~ N(0, I₂), batch 512, k = 1, Adam lr 2e-4, β = (0.5, 0.999), both rates
halved every 4,000 steps, 12,000 steps. So is the arithmetic: tests/test_one_file_gan.py starts
this file and minigan's Trainer from the same parameters, hands both the same batches and noise,
and after 200 steps finds the same parameters (bit for bit, in float64).

float32, as in the package: half the bytes of float64, so about twice as fast (a minute rather
than two), and precise enough because the losses are computed from logits with a sigmoid that
cannot overflow. Every function follows the dtype of the arrays it is given (the test: float64).

Measured 2026-12-02, `--seed S` (2,500 samples; a sample is high quality (HQ) within 3 std of
its nearest centre; a mode is captured if ≥ 1 HQ sample is nearest to it; one BLAS thread; seed 0
rerun 2026-12-07 with NumPy 2.4.6 gave the same numbers). No results file: running the five
seeds takes six minutes of CPU, so tests/test_prose_numbers.py keeps a digest of this file's code
and says when a change of the arithmetic calls for measuring again:

    seed                 0       1       2       3       4
    modes captured      8/8     7/8     8/8     8/8     8/8
    % HQ                91.9    91.8    90.2    89.2    91.5      mean 90.9
    after 6,000 steps   8/8     7/8     8/8     8/8     8/8
      % HQ              81.6    80.0    75.8    81.9    72.8      (= --steps 6000, half the time)
    CPU seconds          72      74      76      80      81
    wall seconds        114     116     127     180     219

The wall times are those of a 2-core machine shared with other jobs (load average 2 to 8). On
it this file's step took as long as the package's (6.5 ms each, interleaved, 2026-12-02), and an
idle machine runs the package's default in 58 s (the README's measurement), so about a minute.
The package's own default run gives 8, 8, 8, 7, 8 modes and 90.7 % HQ on average over the same
seeds (docs/results/default-runs.csv): other draws, the same recipe.

    python demos/gan_in_one_file.py                      # seed 0, all the defaults
    python demos/gan_in_one_file.py --seed 3 --steps 6000
"""
import argparse
import math
import time

import numpy as np

# --- 1. the data: 8 Gaussians on a ring -------------------------------------------------------

RADIUS, STD = 2.0, 0.02
ANGLES = 2 * np.pi * np.arange(8) / 8
CENTERS = RADIUS * np.stack([np.cos(ANGLES), np.sin(ANGLES)], axis=1)    # (8, 2)


def ring8(n, rng):
    """n points: a centre c_k with k uniform in 0..7, plus N(0, STD²·I) noise.  -> (n, 2)."""
    k = rng.integers(8, size=n)                                           # (n,)
    return CENTERS[k] + STD * rng.standard_normal((n, 2))                 # (n, 2)


# --- 2. the MLP: Linear → ReLU → … → Linear, forward and backward ------------------------------

def init_mlp(sizes, rng, dtype=np.float32):
    r"""The layers [(W_1, b_1), …, (W_L, b_L)] of an MLP of widths sizes = [D, H, …, H, out]:
    W_l ~ U[−√3·s, √3·s] (a uniform law of std s) and b_l = 0, with s = √(2/fan_in) (He) for
    the layers followed by a ReLU and s = √(2/(fan_in + fan_out)) (Glorot) for the last one.
    """
    net, L = [], len(sizes) - 1
    for l, (m, n) in enumerate(zip(sizes[:-1], sizes[1:]), start=1):
        s = math.sqrt(2 / (m + n)) if l == L else math.sqrt(2 / m)
        W = rng.uniform(-math.sqrt(3) * s, math.sqrt(3) * s, size=(m, n))     # (m, n)
        net.append((W.astype(dtype), np.zeros(n, dtype)))
    return net


def forward(net, x):
    r"""h_0 = x,  h_l = relu(h_{l−1}·W_l + b_l) for l < L,  y = h_{L−1}·W_L + b_L.
    x: (N, D) -> y: (N, out), and the cache hs = [h_0, …, h_{L−1}] (each layer's input).
    """
    hs = [x]
    for W, b in net[:-1]:
        hs.append(np.maximum(hs[-1] @ W + b, 0))                          # (N, H)
    W, b = net[-1]
    return hs[-1] @ W + b, hs                                             # (N, out)


def backward(net, hs, dy, param_grads=True):
    r"""From dy = ∂L/∂y (N, out) to ∂L/∂x (N, D) and [(∂L/∂W_l, ∂L/∂b_l)] for l = 1..L.
    With δ_L = dy:  ∂L/∂W_l = h_{l−1}ᵀ·δ_l,  ∂L/∂b_l = Σ_n δ_l,
                    δ_{l−1} = (δ_l·W_lᵀ) ⊙ relu′ = (δ_l·W_lᵀ) ⊙ 1[h_{l−1} > 0].
    param_grads=False skips ∂W, ∂b (and returns None): G's step reads D, never updates it.
    """
    grads, d = [], dy                                                     # δ_L: (N, out)
    for l in range(len(net), 0, -1):
        W, h = net[l - 1][0], hs[l - 1]                                   # h_{l−1}: (N, H_in)
        if param_grads:
            grads.insert(0, (h.T @ d, d.sum(axis=0)))                     # (H_in, H), (H,)
        d = d @ W.T                                                       # (N, H_in)
        if l > 1:
            d = d * (h > 0)                   # back through the ReLU that made h_{l−1}
    return d, (grads if param_grads else None)


# --- 3. the losses, in logit space: D(x) = σ(t), t the output of the MLP D ----------------------

def sigmoid(t):
    r"""σ(t) = 1/(1 + e^{−t}), from e = e^{−|t|} ∈ (0, 1], which cannot overflow."""
    e = np.exp(-np.abs(t))
    return np.where(t >= 0, 1 / (1 + e), e / (1 + e))


def d_loss(t_real, t_fake):
    r"""D's loss −E log D(x) − E log(1 − D(G(z))) = E softplus(−t_r) + E softplus(t_f), as
    log σ(t) = −softplus(−t) and log(1 − σ(t)) = −softplus(t), softplus(t) = log(1 + eᵗ).
    Returns the value, ∂/∂t_r = −σ(−t_r)/N and ∂/∂t_f = σ(t_f)/N.   t_real, t_fake: (N, 1)
    """
    N = len(t_real)
    value = np.logaddexp(0, -t_real).mean() + np.logaddexp(0, t_fake).mean()
    return value, -sigmoid(-t_real) / N, sigmoid(t_fake) / N


def g_loss(t_fake):
    r"""G's non-saturating loss −E log D(G(z)) = E softplus(−t_f);  ∂/∂t_f = −σ(−t_f)/N.
    Eq. 1's own E log(1 − D(G(z))) has the gradient −σ(t_f)/N, which vanishes when D rejects the
    fakes (t_f ≪ 0); this one tends to −1/N there instead.   t_fake: (N, 1)
    """
    return np.logaddexp(0, -t_fake).mean(), -sigmoid(-t_fake) / len(t_fake)


# --- 4. Adam (Kingma & Ba 2015), PyTorch's update -----------------------------------------------

class Adam:
    r"""m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,  p ← p − α_t·m/(√v + ε̂),  with
    α_t = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ) and ε̂ = ε·√(1 − β₂ᵗ): that is lr·m̂/(√v̂ + ε) for the
    bias-corrected m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ). Updates a net's arrays in place."""

    def __init__(self, net, lr, betas, eps=1e-8):
        self.params = [p for layer in net for p in layer]                 # W_1, b_1, W_2, …
        self.m = [np.zeros_like(p) for p in self.params]
        self.v = [np.zeros_like(p) for p in self.params]
        self.lr, (self.b1, self.b2), self.eps, self.t = lr, betas, eps, 0

    def step(self, grads):
        self.t += 1
        c = math.sqrt(1 - self.b2 ** self.t)
        alpha, eps = self.lr * c / (1 - self.b1 ** self.t), self.eps * c
        for p, g, m, v in zip(self.params, [g for gs in grads for g in gs], self.m, self.v):
            m[...] = self.b1 * m + (1 - self.b1) * g
            v[...] = self.b2 * v + (1 - self.b2) * g**2
            p -= alpha * m / (np.sqrt(v) + eps)


# --- 5. Algorithm 1 (Goodfellow et al. 2014) ----------------------------------------------------

def train(G, D, sample_real, sample_noise, steps, batch=512, k=1, lr=2e-4, betas=(0.5, 0.999),
          half_life=4000, report=None):
    r"""Train G and D (lists of (W, b), updated in place) for `steps` iterations of

        lr_t = lr·0.5^(t/half_life), t = iterations done (half_life 0: constant lr)
        k times:  x ~ data, z ~ N(0, I); descend D's loss  (= ascend V(D, G))
        once:     z ~ N(0, I); descend G's loss, back-propagated through D into G

    sample_real(n) -> (n, 2) and sample_noise(n) -> (n, z_dim) are all the randomness, drawn in
    this order: per D step sample_real(batch) then sample_noise(batch), per G step
    sample_noise(batch). report(t, D loss, G loss) is called after iteration t = 1..steps.
    """
    dtype = D[0][0].dtype
    opt_d, opt_g = Adam(D, lr, betas), Adam(G, lr, betas)
    for t in range(steps):
        opt_d.lr = opt_g.lr = lr * 0.5 ** (t / half_life) if half_life else lr
        for _ in range(k):                       # 1) discriminator, on real and fake stacked
            x_real = sample_real(batch).astype(dtype, copy=False)                # (B, 2)
            x_fake, _ = forward(G, sample_noise(batch).astype(dtype, copy=False))  # (B, 2)
            logits, hs = forward(D, np.concatenate([x_real, x_fake]))           # (2B, 1)
            ld, d_real, d_fake = d_loss(logits[:batch], logits[batch:])
            _, grads = backward(D, hs, np.concatenate([d_real, d_fake]))
            opt_d.step(grads)
        z = sample_noise(batch).astype(dtype, copy=False)  # 2) generator       # (B, z_dim)
        x_fake, hs_g = forward(G, z)                                            # (B, 2)
        logits, hs_d = forward(D, x_fake)                                       # (B, 1)
        lg, d_fake = g_loss(logits)
        dx, _ = backward(D, hs_d, d_fake, param_grads=False)                    # (B, 2)
        _, grads = backward(G, hs_g, dx)
        opt_g.step(grads)
        if report:
            report(t + 1, float(ld), float(lg))


# --- 6. the score (VEEGAN, PacGAN) and the run ---------------------------------------------------

def modes(x):
    r"""Each sample of x (N, 2) goes to its nearest centre, and is high quality (HQ) if within
    3·STD of it; a mode is captured if ≥ 1 HQ sample is nearest to it.
    Returns (modes captured, fraction of HQ samples)."""
    dist = np.linalg.norm(x[:, None, :] - CENTERS[None], axis=-1)         # (N, 8)
    nearest, hq = dist.argmin(axis=1), dist.min(axis=1) <= 3 * STD        # (N,), (N,)
    return len(np.unique(nearest[hq])), float(hq.mean())


def main():
    ap = argparse.ArgumentParser(description="A GAN in one file, on 8 Gaussians on a ring.")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--steps", type=int, default=12000)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)              # all the randomness of the run
    G = init_mlp([2, 128, 128, 128, 2], rng)            # z (N, 2) -> x (N, 2)
    D = init_mlp([2, 128, 128, 128, 1], rng)            # x (N, 2) -> logit (N, 1)
    z_eval = rng.standard_normal((2500, 2), dtype=np.float32)   # the same z at every report

    def report(t, ld, lg):
        if t % 2000 == 0 or t == args.steps:
            m, hq = modes(forward(G, z_eval)[0])
            print(f"step {t:6d}  D loss {ld:.3f}  G loss {lg:.3f}  "
                  f"modes {m}/8  high quality {100 * hq:.1f} %  ({time.time() - t0:.0f} s)")

    t0 = time.time()
    train(G, D, lambda n: ring8(n, rng),
          lambda n: rng.standard_normal((n, 2), dtype=np.float32), args.steps, report=report)


if __name__ == "__main__":
    main()
