r"""Goodfellow et al. 2014, Algorithm 1, as code: k discriminator steps, then one generator step.

    for step in 1..steps:
        # 1) discriminator: k times — fresh real batch x and noise z,
        #    descend the D loss (for gan: ascend V = E log D(x) + E log(1 − D(G(z))))
        # 2) generator: once — fresh noise z, back-propagate the G loss through D into G,
        #    update G only (D's parameters are read, never written)

Every loss of ``losses.py`` plugs into the same two stanzas; WGAN adds weight clipping after
each D update, WGAN-GP a gradient penalty on interpolates, R1/R2 a penalty on real/fake data.
Each mode-collapse remedy has its own module (spectral, packing, mbstd, unroll, updates).
Everything random during training comes from one ``np.random.Generator`` seeded by
``cfg.seed``; the fixed evaluation set (noise, real samples, projection directions) comes
from a sibling generator of the same seed, so evaluating never changes what is trained.
"""
import json
import math
from dataclasses import dataclass

import numpy as np

from . import checkpoint
from .config import ConfigError, TrainConfig
from .data import get_dataset
from .layers import sigmoid
from .losses import LOSSES
from .metrics import class_accuracy, mode_coverage, sliced_w, w1
from .mbstd import GROUP, MbstdMLP
from .mlp import MLP
from .optim import OPTIMIZERS, clip_weights, global_norm
from .packing import copies, pack, unpack
from .penalties import gradient_penalty, interpolate, r1, r2
from .points import is_points_file, load_points
from .spectral import SpectralNorm
from .unroll import unrolled_d
from .updates import JOINT, Player


class Diverged(RuntimeError):
    """A loss or a parameter became NaN or infinite."""


def make_optimizer(cfg, params, lr):
    if cfg.optimizer == "adam":
        return OPTIMIZERS["adam"](params, lr=lr, betas=(cfg.beta1, cfg.beta2))
    if cfg.optimizer == "sgd":
        return OPTIMIZERS["sgd"](params, lr=lr, momentum=cfg.momentum)
    return OPTIMIZERS["rmsprop"](params, lr=lr)


@dataclass
class Grads:
    """One player's loss on a batch and its gradient, keyed like that player's params."""
    value: float             # the loss the player minimises (with any penalties added)
    grads: dict              # ∂value/∂θ, keyed like the network's params
    logits: np.ndarray       # D's outputs on the batch: (2N, 1) real then fake, or (N, 1) fake


def discriminator_grads(D, d_loss, x_real, x_fake, penalties=()):
    r"""D's loss on a real and a fake batch, and its gradient w.r.t. D's parameters.

    x_real, x_fake: (N, D) each. ``d_loss`` is a discriminator loss of losses.py (for gan:
    −V(D, G), so descending it is Algorithm 1's ascent on V). ``penalties``: results of
    penalties.py (value and grads, computed on this D), added to the loss.
    """
    N = len(x_real)
    # forward: real and fake stacked, one matrix product per layer instead of two
    logits, cache = D.forward(np.concatenate([x_real, x_fake]))          # (2N, 1)
    loss = d_loss(logits[:N], logits[N:])
    # backward: D's parameter gradients only (no ∂/∂x needed)
    _, grads = D.backward(np.concatenate([loss.d_real, loss.d_fake]), cache, need_dx=False)
    value = loss.value
    for pen in penalties:
        value += pen.value
        for name, g in pen.grads.items():
            grads[name] += g
    return Grads(value, grads, logits)


def generator_grads(G, D, g_loss, g_input, label=None, m=1):
    r"""G's loss on one batch of noise and its gradient w.r.t. G's parameters, through D.

    Chain rule: ∂L/∂θ_G = (∂x/∂θ_G)ᵀ · ∇ₓt(x) · ∂L/∂t at x = G(z): back-propagate the loss
    through D (whose parameters are read, never written) into G. g_input: (N, Z) noise, with
    the one-hot label appended for a conditional G; ``label``: the one-hot (N, K) that D sees
    next to x, or None; m: PacGAN's pack size (packing.py), D judging N/m packs.
    """
    # forward: G, then D on its output (packed: N/m rows of m samples)
    x_fake, cache_g = G.forward(g_input)                                  # (N, D)
    d_input = x_fake if label is None else np.concatenate([x_fake, label], axis=1)
    logits, cache_d = D.forward(pack(d_input, m))                         # (N/m, 1)
    loss = g_loss(logits)
    # backward: through D (need_params=False: D is not updated) into G
    dx, _ = D.backward(loss.d_fake, cache_d, need_params=False)          # (N/m, m·(D + K))
    dx = unpack(dx, m)                                                    # (N, D + K)
    _, grads = G.backward(dx[:, :x_fake.shape[1]], cache_g, need_dx=False)
    return Grads(loss.value, grads, logits)


class Trainer:
    """G, D, their optimizers, the random generator and the step count of one run."""

    def __init__(self, cfg: TrainConfig, data=None):
        """data: the dataset, if not the one cfg.data names (a run's copy of the user's points)."""
        cfg = self.cfg = cfg.resolved()
        if data is None:
            data = load_points(cfg.data, cfg.conditional) if is_points_file(cfg.data) else get_dataset(cfg.data)
        self.data = data
        self.dtype = dt = np.dtype(cfg.dtype)
        self.n_classes = K = self.data.n_classes if cfg.conditional else 0
        if cfg.conditional and K < 2:
            raise ConfigError(f"conditional: dataset {cfg.data!r} has no class labels")
        self.prior = getattr(self.data, "weights", None)          # class prior of the labels
        train_seq, eval_seq = np.random.SeedSequence(cfg.seed).spawn(2)
        self.rng = np.random.default_rng(train_seq)
        dim, depth = self.data.dim, cfg.depth
        self.G = MLP([cfg.z_dim + K] + [cfg.hidden_g] * depth + [dim], cfg.activation, rng=self.rng, dtype=dt)
        d_sizes = [(dim + K) * cfg.pack] + [cfg.hidden_d] * depth + [1]     # PacGAN: m samples wide
        self.D = (MbstdMLP(d_sizes, cfg.activation, cfg.mbstd_layer, rng=self.rng, dtype=dt)
                  if cfg.mbstd_layer else MLP(d_sizes, cfg.activation, rng=self.rng, dtype=dt))
        self.sn = SpectralNorm(self.D, self.rng) if cfg.spectral_norm else None   # draws u if on
        self.opt_d = make_optimizer(cfg, self.D.params, cfg.lr_d)
        self.opt_g = make_optimizer(cfg, self.G.params, cfg.lr_g)
        clip = (lambda: clip_weights(self.D.params, cfg.clip)) if cfg.clip > 0 else None
        self.players = [Player(self.opt_d, clip), Player(self.opt_g)]    # for the joint updates
        self.d_loss, self.g_loss = LOSSES[cfg.loss]
        self.step = 0
        self.window = dict.fromkeys(self.WINDOW, 0.0)     # sums since the last evaluation
        # the fixed evaluation set: the same z every time, so successive pictures compare
        ev = np.random.default_rng(eval_seq)
        n = cfg.eval_samples
        self.z_eval = ev.standard_normal((n, cfg.z_dim), dtype=dt)
        # conditional runs ask for the labels of the real reference set, so generated and real
        # samples have the same label mix (the data's class weights) and compare one to one
        self.x_eval, labels = self.data.sample(n, ev)
        self.labels_eval = labels if K else None
        self.sw_seed = int(ev.integers(2**62))

    # --- plumbing: noise, labels, inputs -----------------------------------------------------

    def noise(self, n):
        return self.rng.standard_normal((n, self.cfg.z_dim), dtype=self.dtype)

    def onehot(self, labels):
        return None if labels is None else np.eye(self.n_classes, dtype=self.dtype)[labels]

    def with_label(self, v, onehot):
        """[v, one-hot label] for a conditional run, v itself otherwise: (N, ·) -> (N, · + K)."""
        return v if onehot is None else np.concatenate([v, onehot], axis=1)

    def generate(self, z, labels=None):
        """x = G(z | label): (N, z_dim) -> (N, dim)."""
        return self.G(self.with_label(z, self.onehot(labels)))

    def d_prob(self, logits):
        """What 'D(x)' means for this loss: σ(logit) for gan/nsgan, the raw output otherwise."""
        return sigmoid(logits) if self.cfg.loss in ("gan", "nsgan") else logits

    def critic(self):
        """The network D's passes use, and its cache: D, or D with W/σ̂ (--spectral-norm)."""
        return self.sn.forward(self.D) if self.sn else (self.D, None)

    def d_at_points(self, x):
        r"""D's raw output at each point: x (N, dim + K) -> (N, 1); plots call d_prob on it.

        A packed D (--pack m) judges packs, a minibatch-std D groups of 4: "D at x" is D on x
        packed with m − 1 copies of itself, in a group of 4 such packs (statistic √ε ≈ 0), D's
        verdict on a G collapsed onto x. Spectral norm: W/σ̂ from the stored u, v. Plain D: D(x).
        """
        rows = copies(x.astype(self.dtype, copy=False), self.cfg.pack)     # (N, m·(dim + K))
        group = GROUP if self.cfg.mbstd_layer else 1                       # mbstd: groups of 4
        return self.critic()[0](rows.repeat(group, axis=0))[::group]       # (N, 1): one per point

    # --- Algorithm 1 -------------------------------------------------------------------------

    def train_step(self):
        """One iteration of Algorithm 1 (k D updates, then one G update), or of --update's rule."""
        cfg = self.cfg
        if cfg.lr_half_life:       # lr · 2^(−step / half-life): depends on the step alone
            decay = 0.5 ** (self.step / cfg.lr_half_life)
            self.opt_d.lr, self.opt_g.lr = cfg.lr_d * decay, cfg.lr_g * decay
        d, g = self.alternating() if cfg.update == "alternating" else self.joint()
        if not (math.isfinite(d["loss"]) and math.isfinite(g["loss"])):
            raise Diverged(f"non-finite loss at step {self.step + 1} "
                           f"(D loss {d['loss']}, G loss {g['loss']})")
        self.step += 1
        for name, v in (("steps", 1), ("d_loss", d["loss"]), ("g_loss", g["loss"]),
                        ("d_real", d["real"]), ("d_fake", d["fake"]),
                        ("grad_norm_d", d["norm"]), ("grad_norm_g", g["norm"])):
            self.window[name] += v

    def alternating(self):
        """Algorithm 1's order: the G step sees the D of the k D steps just taken."""
        cfg = self.cfg
        # 1) discriminator: k steps, each on a fresh real batch and fresh noise
        for _ in range(cfg.k):
            d = self.d_step()
        # 2) generator: one step on fresh noise, through D into G
        g = self.g_step()
        return d, g

    def joint(self):
        """--update simultaneous / extragradient / optimistic: both players from one point."""
        if self.sn:                            # one power iteration per D update
            self.sn.power_iteration(self.D)
        return JOINT[self.cfg.update](self.players, lambda: [self.d_batch(), self.g_batch()])

    def d_step(self):
        """One D update: a fresh real batch and fresh noise, descend the D loss."""
        if self.sn:                            # spectral norm: one power iteration per D update
            self.sn.power_iteration(self.D)
        d = self.d_batch()
        # update (and WGAN's clipping)
        self.opt_d.step(d["grads"])
        if self.cfg.clip > 0:
            clip_weights(self.D.params, self.cfg.clip)
        return d

    def d_batch(self):
        """D's loss and gradient on a fresh real batch and fresh noise (no update)."""
        B = self.cfg.batch
        # sample: m data points and m noise vectors (fakes carry the real batch's labels)
        x, labels = self.data.sample(B, self.rng)
        y = self.onehot(labels if self.n_classes else None)
        x_real = self.with_label(x.astype(self.dtype), y)
        x_fake = self.with_label(self.G(self.with_label(self.noise(B), y)), y)  # G forward only
        return self.d_grads(x_real, x_fake)

    def d_grads(self, x_real, x_fake):
        """D's loss on one batch and its gradient w.r.t. D's parameters (D's inputs: (B, dim + K)).

        --pack m: B/m real and B/m fake packs; a penalty's x̂ lies between a real and a fake pack.
        --spectral-norm: the passes run on W/σ̂, the gradients are mapped back to W (spectral.py).
        """
        cfg, m = self.cfg, self.cfg.pack
        D, sn_cache = self.critic()
        x_real, x_fake = pack(x_real, m), pack(x_fake, m)                 # (B/m, m·(dim + K))
        B, n_x = len(x_real), self.data.dim * m
        # penalties, each a value and grads on this D (on the x part of D's input only)
        pens = []
        if cfg.gp > 0:    # WGAN-GP: λ·E(‖∇D(x̂)‖ − 1)², x̂ between real and fake
            pens.append(gradient_penalty(D, interpolate(x_real, x_fake, self.rng), cfg.gp, n_x=n_x))
        if cfg.r1 > 0:    # R1: (γ/2)·E‖∇D(x)‖² on real data
            pens.append(r1(D, x_real, cfg.r1, n_x=n_x))
        if cfg.r2 > 0:    # R2: the same on generated data
            pens.append(r2(D, x_fake, cfg.r2, n_x=n_x))
        # forward, loss, backward (+ the penalties)
        d = discriminator_grads(D, self.d_loss, x_real, x_fake, pens)
        grads = self.sn.backward(d.grads, sn_cache) if self.sn else d.grads
        p = self.d_prob(d.logits)
        return {"loss": d.value, "grads": grads, "real": float(p[:B].mean()),
                "fake": float(p[B:].mean()), "norm": global_norm(grads)}

    def g_step(self):
        """One G update on fresh noise (and labels drawn from the class prior)."""
        g = self.g_batch()
        self.opt_g.step(g["grads"])          # update G only
        return g

    def g_batch(self):
        """G's loss and gradient on fresh noise (no update); --unroll K: first-order (unroll.py)."""
        B, K = self.cfg.batch, self.n_classes
        D = unrolled_d(self, self.cfg.unroll) if self.cfg.unroll else None
        labels = self.rng.choice(K, size=B, p=self.prior) if K else None
        return self.g_grads(self.noise(B), labels, D)

    def g_grads(self, z, labels=None, D=None):
        """G's loss on noise z (B, z_dim) and its gradient w.r.t. G's parameters, through D (or D_K)."""
        y = self.onehot(labels)
        D = self.critic()[0] if D is None else D
        g = generator_grads(self.G, D, self.g_loss, self.with_label(z, y), y, self.cfg.pack)
        return {"loss": g.value, "grads": g.grads, "norm": global_norm(g.grads)}

    # --- evaluation --------------------------------------------------------------------------

    # what train_step sums between evaluations (checkpointed in this order)
    WINDOW = ("steps", "d_loss", "g_loss", "d_real", "d_fake", "grad_norm_d", "grad_norm_g")

    def evaluate(self):
        """Metrics of G on the fixed noise batch; the losses averaged since the last call."""
        n = self.window["steps"]      # steps since the last evaluation (0: nothing to average)
        row = {"step": self.step}
        row.update({k: v / n if n else math.nan for k, v in self.window.items() if k != "steps"})
        self.window = dict.fromkeys(self.WINDOW, 0.0)
        self.check_finite()
        row.update(self.sample_metrics(self.generate(self.z_eval, self.labels_eval)))
        return row

    def check_finite(self):
        """Raise Diverged if any parameter of G or D holds a NaN or an infinity."""
        for name, p in {**self.G.params, **self.D.params}.items():
            if not np.isfinite(p).all():
                raise Diverged(f"non-finite parameter {name} at step {self.step}")

    def class_accuracy(self, x_gen):
        """Per-class accuracy on the fixed evaluation labels, as a list (conditional runs)."""
        acc = class_accuracy(x_gen, self.labels_eval, self.data.centers, self.data.std)
        return acc["per_class"].tolist()

    def sample_metrics(self, x_gen):
        """Mode coverage (mixtures), W1 (1D) or sliced W1 (2D), per-class accuracy (conditional)."""
        data, out = self.data, {}
        if data.centers is not None and data.std is not None:
            mc = mode_coverage(x_gen, data.centers, data.std, weights=self.prior)
            out.update(modes_captured=mc["modes_captured"], modes_total=mc["modes_total"],
                       high_quality_frac=mc["high_quality_frac"], mode_kl=mc["mode_kl"])
            if self.n_classes:
                # the mean over the classes asked for (a class absent from a small set is NaN)
                out["class_acc_mean"] = float(np.nanmean(self.class_accuracy(x_gen)))
        if data.dim == 1:
            out["w1"] = w1(x_gen, self.x_eval)
        else:
            out["sliced_w"] = sliced_w(x_gen, self.x_eval, 50, np.random.default_rng(self.sw_seed))
        return out

    # --- state, for checkpoints (plain arrays: loadable without pickle) ---------------------

    def state_arrays(self):
        arrays = {"format": np.array(checkpoint.FORMAT),
                  "config": np.array(json.dumps(self.cfg.to_dict())),
                  "step": np.array(self.step),
                  "window": np.array([self.window[k] for k in self.WINDOW]),
                  "rng": np.array(json.dumps(self.rng.bit_generator.state))}
        for prefix, d in (("G", self.G.params), ("D", self.D.params),
                          ("opt_g", self.opt_g.state_dict()), ("opt_d", self.opt_d.state_dict())):
            arrays.update({f"{prefix}/{k}": v for k, v in d.items()})
        if self.sn:                                   # the power iteration's u, v
            arrays.update(self.sn.state_arrays())
        if self.cfg.update == "optimistic":           # each player's previous step Δ_{t−1}
            arrays.update({f"prev_{who}/{k}": v for who, player in zip("dg", self.players)
                           for k, v in player.prev.items()})
        return arrays

    def load_state(self, arrays):
        """Restore from state_arrays() output (the config must be the same)."""
        split = lambda prefix: {k[len(prefix) + 1:]: v for k, v in arrays.items()
                                if k.startswith(prefix + "/")}
        self.G.load_params(split("G"))
        self.D.load_params(split("D"))
        self.opt_g.load_state_dict(split("opt_g"))
        self.opt_d.load_state_dict(split("opt_d"))
        self.step = int(arrays["step"])
        self.window = dict(zip(self.WINDOW, np.asarray(arrays["window"], np.float64).tolist()))
        self.rng.bit_generator.state = json.loads(str(arrays["rng"]))
        if self.sn:
            self.sn.load_state(arrays)
        for who, player in zip("dg", self.players) if self.cfg.update == "optimistic" else ():
            player.prev.update({k: np.array(v) for k, v in split(f"prev_{who}").items()})
