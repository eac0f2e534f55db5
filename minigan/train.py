r"""Goodfellow et al. 2014, Algorithm 1, as code: k discriminator steps, then one generator step.

    for step in 1..steps:
        # 1) discriminator: k times — fresh real batch x and noise z,
        #    descend the D loss (for gan: ascend V = E log D(x) + E log(1 − D(G(z))))
        # 2) generator: once — fresh noise z, back-propagate the G loss through D into G,
        #    update G only (D's parameters are read, never written)

Every loss of ``losses.py`` plugs into the same two stanzas; WGAN adds weight clipping after
each D update, WGAN-GP a gradient penalty on interpolates, R1/R2 a penalty on real/fake data.
D is built from the remedies the config names (remedies/discriminator.py): packing, minibatch
std and spectral norm are parts of D, so the stanzas below read the same with or without them.
Everything random during training comes from one ``np.random.Generator`` seeded by
``cfg.seed``; the fixed evaluation set (noise, real samples, projection directions) comes
from a sibling generator of the same seed, so evaluating never changes what is trained.

    trainer = Trainer(TrainConfig(data="ring8"))
    rows = fit(trainer, 2000, every=250)        # the outer loop: train, evaluate, repeat
"""
import math
import signal
import threading
from dataclasses import dataclass

import numpy as np

from .config import ConfigError, TrainConfig
from .data import get_dataset, is_points_file
from .judge import class_accuracy as judged_accuracy, digit_metrics
from .layers import sigmoid
from .losses import LOSSES
from .metrics import class_accuracy, mode_coverage, sliced_w, w1
from .mlp import MLP
from .optim import OPTIMIZERS, clip_weights, global_norm
from .remedies.discriminator import build_discriminator
from .remedies.penalties import gradient_penalty, interpolate, r1, r2
from .remedies.unroll import unrolled_d
from .remedies.updates import JOINT, Player


class Diverged(RuntimeError):
    """A loss or a parameter became NaN or infinite."""


@dataclass
class Grads:
    """One player's loss on a batch and its gradient, keyed like that player's params."""
    value: float             # the loss the player minimises (with any penalties added)
    grads: dict              # ∂value/∂θ, keyed like the network's params
    logits: np.ndarray       # D's outputs on the batch: (2N, 1) real then fake, or (N, 1) fake


def discriminator_grads(D, d_loss, x_real, x_fake, penalties=()):
    r"""D's loss on a real and a fake batch, and its gradient w.r.t. D's parameters.

    x_real, x_fake: (N, n) each, rows of D's input. ``d_loss`` is a discriminator loss of
    losses.py (for gan: −V(D, G), so descending it is Algorithm 1's ascent on V). ``penalties``:
    results of penalties.py (value and grads, computed on this D), added to the loss.
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


def generator_grads(G, D, g_loss, g_input, label=None):
    r"""G's loss on one batch of noise and its gradient w.r.t. G's parameters, through D.

    Chain rule: ∂L/∂θ_G = (∂x/∂θ_G)ᵀ · ∇ₓt(x) · ∂L/∂t at x = G(z): back-propagate the loss
    through D (whose parameters are read, never written) into G. g_input: (N, Z) noise, with
    the one-hot label appended for a conditional G; ``label``: the one-hot (N, K) that D sees
    next to x, or None. D: an MLP, or a Discriminator (remedies/discriminator.py).
    """
    # forward: G, then D on its output
    x_fake, cache_g = G.forward(g_input)                                  # (N, D)
    d_input = x_fake if label is None else np.concatenate([x_fake, label], axis=1)
    logits, cache_d = D.forward(d_input)                                  # (N/m, 1)
    loss = g_loss(logits)
    # backward: through D (need_params=False: D is not updated) into G
    dx, _ = D.backward(loss.d_fake, cache_d, need_params=False)          # (N, D + K)
    _, grads = G.backward(dx[:, :x_fake.shape[1]], cache_g, need_dx=False)
    return Grads(loss.value, grads, logits)


def make_optimizer(cfg, params, lr):
    if cfg.optimizer == "adam":
        return OPTIMIZERS["adam"](params, lr=lr, betas=(cfg.beta1, cfg.beta2))
    if cfg.optimizer == "sgd":
        return OPTIMIZERS["sgd"](params, lr=lr, momentum=cfg.momentum)
    return OPTIMIZERS["rmsprop"](params, lr=lr)


class Trainer:
    """G, D, their optimizers, the random generator and the step count of one run.

    data: the dataset to learn; default: the built-in one cfg.data names. Your own points:
    ``Trainer(cfg, data=Points(x))`` (data.py), or runs/points.py's ``load_points(path)``.
    """

    def __init__(self, cfg: TrainConfig, data=None):
        cfg = self.cfg = cfg.resolved()
        if data is None and is_points_file(cfg.data):
            raise ConfigError(f"data: {cfg.data!r} is a file; load it and pass it in: "
                              f"Trainer(cfg, data=load_points(path)) (minigan.runs.points)")
        self.data = data if data is not None else get_dataset(cfg.data)
        self.dtype = dt = np.dtype(cfg.dtype)
        self.n_classes = K = self.data.n_classes if cfg.conditional else 0
        if cfg.conditional and K < 2:
            raise ConfigError(f"conditional: dataset {cfg.data!r} has no class labels")
        self.prior = getattr(self.data, "weights", None)          # class prior of the labels
        train_seq, eval_seq = np.random.SeedSequence(cfg.seed).spawn(2)
        self.rng = np.random.default_rng(train_seq)
        dim, depth = self.data.dim, cfg.depth
        self.G = MLP([cfg.z_dim + K] + [cfg.hidden_g] * depth + [dim], cfg.activation, rng=self.rng, dtype=dt)
        self.D = build_discriminator(cfg, dim, K, self.rng, dt)      # with the remedies cfg names
        self.opt_d = make_optimizer(cfg, self.D.params, cfg.lr_d)
        self.opt_g = make_optimizer(cfg, self.G.params, cfg.lr_g)
        # the two players, for the joint update rules (WGAN's clipping is D's projection)
        self.players = [Player(self.opt_d, self.clip_d if cfg.clip > 0 else None), Player(self.opt_g)]
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

    def clip_d(self):
        """WGAN: clip every weight of D to [−c, c] (Arjovsky et al. 2017, Algorithm 1)."""
        clip_weights(self.D.params, self.cfg.clip)

    # --- Algorithm 1 -------------------------------------------------------------------------

    def train_step(self):
        """One iteration of Algorithm 1 (k D updates, then one G update), or of --update's rule."""
        cfg = self.cfg
        if cfg.lr_half_life:       # lr · 2^(−step / half-life): depends on the step alone
            decay = 0.5 ** (self.step / cfg.lr_half_life)
            self.opt_d.lr, self.opt_g.lr = cfg.lr_d * decay, cfg.lr_g * decay
        if cfg.update == "alternating":
            # 1) discriminator: k steps, each on a fresh real batch and fresh noise
            for _ in range(cfg.k):
                d = self.d_step()
            # 2) generator: one step on fresh noise, through D into G
            g = self.g_step()
        else:                      # both players from the same point (remedies/updates.py)
            self.D.begin_update()
            d, g = JOINT[cfg.update](self.players, lambda: [self.d_grads(*self.d_batch()),
                                                            self.g_grads(*self.g_batch())])
        if not (math.isfinite(d["loss"]) and math.isfinite(g["loss"])):
            raise Diverged(f"non-finite loss at step {self.step + 1} "
                           f"(D loss {d['loss']}, G loss {g['loss']})")
        self.step += 1
        for name, v in (("steps", 1), ("d_loss", d["loss"]), ("g_loss", g["loss"]),
                        ("d_real", d["real"]), ("d_fake", d["fake"]),
                        ("grad_norm_d", d["norm"]), ("grad_norm_g", g["norm"])):
            self.window[name] += v

    def d_step(self):
        """One D update: sample, forward, loss, backward, update (and WGAN's clipping)."""
        self.D.begin_update()
        d = self.d_grads(*self.d_batch())
        self.opt_d.step(d["grads"])
        if self.cfg.clip > 0:
            self.clip_d()
        return d

    def g_step(self):
        """One G update: sample, forward through D, loss, backward into G, update G only."""
        D = self.unrolled() if self.cfg.unroll else self.D
        g = self.g_grads(*self.g_batch(), D)
        self.opt_g.step(g["grads"])
        return g

    def d_batch(self):
        """D's batch: m real samples and m fakes from fresh noise (m = cfg.batch, Algorithm 1's
        minibatch; the fakes get the real samples' labels).

        Returns x_real, x_fake: (B, dim + K) each, D's inputs (one-hot labels appended)."""
        B = self.cfg.batch
        x, labels = self.data.sample(B, self.rng)
        y = self.onehot(labels if self.n_classes else None)
        x_real = self.with_label(x.astype(self.dtype), y)
        x_fake = self.with_label(self.G(self.with_label(self.noise(B), y)), y)  # G forward only
        return x_real, x_fake

    def d_grads(self, x_real, x_fake):
        r"""D's loss on one batch and its gradient w.r.t. θ_D (no update). x_real, x_fake: (B, dim + K).

        A gradient penalty is a function of ∇ₓD at its own points (penalties.py: double
        backprop), added to the loss before the gradient is taken back to θ_D.
        """
        cfg, D = self.cfg, self.D
        net, w = D.network()                            # the MLP the passes use
        real, fake = D.rows(x_real), D.rows(x_fake)     # (B', n'): the rows D reads
        B, n_x = len(real), D.n_x                       # penalise D's slope in x, not in labels
        pens = []
        if cfg.gp > 0:    # WGAN-GP: λ·E(‖∇D(x̂)‖ − 1)², x̂ between a real and a fake row
            pens.append(gradient_penalty(net, interpolate(real, fake, self.rng), cfg.gp, n_x=n_x))
        if cfg.r1 > 0:    # R1: (γ/2)·E‖∇D(x)‖² on real data
            pens.append(r1(net, real, cfg.r1, n_x=n_x))
        if cfg.r2 > 0:    # R2: the same on generated data
            pens.append(r2(net, fake, cfg.r2, n_x=n_x))
        # forward, loss, backward (+ the penalties), then back to θ_D
        d = discriminator_grads(net, self.d_loss, real, fake, pens)
        grads = D.param_grads(d.grads, w)
        p = self.d_prob(d.logits)
        return {"loss": d.value, "grads": grads, "real": float(p[:B].mean()),
                "fake": float(p[B:].mean()), "norm": global_norm(grads)}

    def g_batch(self):
        """G's batch: fresh noise z (B, z_dim), and labels drawn from the class prior (or None)."""
        B, K = self.cfg.batch, self.n_classes
        labels = self.rng.choice(K, size=B, p=self.prior) if K else None
        return self.noise(B), labels

    def g_grads(self, z, labels=None, D=None):
        """G's loss on noise z (B, z_dim) and its gradient w.r.t. θ_G, through D (default self.D)."""
        y = self.onehot(labels)
        g = generator_grads(self.G, self.D if D is None else D, self.g_loss, self.with_label(z, y), y)
        return {"loss": g.value, "grads": g.grads, "norm": global_norm(g.grads)}

    def unrolled(self):
        """D_U for --unroll U: D after U more of its updates, D itself unchanged (unroll.py)."""
        return unrolled_d(self.D, self.opt_d, self.d_step, self.cfg.unroll)

    # --- evaluation --------------------------------------------------------------------------

    # what train_step sums between evaluations (checkpointed in this order)
    WINDOW = ("steps", "d_loss", "g_loss", "d_real", "d_fake", "grad_norm_d", "grad_norm_g")

    def evaluate(self, reset=True):
        """Metrics of G on the fixed noise batch; the losses averaged since the last reset.

        reset=False keeps the sums running (fit's row at a final step off the eval_every grid:
        the next grid row still averages over all the steps since the previous grid row)."""
        n = self.window["steps"]      # steps since the last reset (0: nothing to average)
        row = {"step": self.step}
        row.update({k: v / n if n else math.nan for k, v in self.window.items() if k != "steps"})
        if reset:
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
        """Per-class accuracy on the fixed evaluation labels, as a list (conditional runs): the
        nearest mode's class on a mixture, the judge's digit on digits (judge.py)."""
        if self.data.image_shape:
            return judged_accuracy(x_gen, self.labels_eval).tolist()
        acc = class_accuracy(x_gen, self.labels_eval, self.data.centers, self.data.std)
        return acc["per_class"].tolist()

    def sample_metrics(self, x_gen):
        """Mode coverage (mixtures), W1 (1D) or sliced W1 (2D), per-class accuracy (conditional);
        on digits the judge's verdicts: digits covered, confident share, Fréchet distance…"""
        data, out = self.data, {}
        if data.image_shape:      # digits: a trained classifier counts the kinds (judge.py)
            if not np.isfinite(x_gen).all():      # finite weights, overflowing images
                raise Diverged(f"non-finite generated pixels at step {self.step}")
            out.update(digit_metrics(x_gen))
            if self.n_classes:
                out["class_acc_mean"] = float(np.nanmean(self.class_accuracy(x_gen)))
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

    # --- state: everything a later step depends on ---------------------------------------------

    def state(self):
        """A copy of everything the next steps depend on, as a dict of named parts: the step,
        the loss window, the random generator, θ_G, θ_D, both optimizers, what D keeps besides θ_D
        (D.state_arrays) and the optimistic rule's previous steps. ``load_state`` puts it back;
        runs/checkpoint.py stores it in a file."""
        copied = lambda d: {k: np.array(v, copy=True) for k, v in d.items()}
        return {"step": self.step, "window": dict(self.window), "rng": self.rng.bit_generator.state,
                "G": copied(self.G.params), "D": copied(self.D.params),
                "opt_g": copied(self.opt_g.state_dict()), "opt_d": copied(self.opt_d.state_dict()),
                "D_state": copied(self.D.state_arrays()),
                "prev": {who: copied(p.prev) for who, p in zip("dg", self.players)}
                if self.cfg.update == "optimistic" else {}}

    def load_state(self, state):
        """Restore what ``state`` returned (for a Trainer of the same config)."""
        self.G.load_params(state["G"])
        self.D.mlp.load_params(state["D"])
        self.opt_g.load_state_dict(state["opt_g"])
        self.opt_d.load_state_dict(state["opt_d"])
        self.step = int(state["step"])
        self.window = {k: float(state["window"][k]) for k in self.WINDOW}
        self.rng.bit_generator.state = state["rng"]
        self.D.load_state(state["D_state"])
        for who, player in zip("dg", self.players):
            for k, v in state["prev"].get(who, {}).items():
                player.prev[k][...] = v


def fit(trainer, steps, every=None, on_eval=None, on_step=None, evaluate_first=None,
        stop_signals=(signal.SIGINT,)):
    r"""Train ``steps`` more iterations, evaluating every ``every`` steps; the outer loop of every run.

    every: steps between evaluations (default cfg.eval_every). An evaluation happens at each
    step that is a multiple of ``every`` (the grid), at the last step of this call (so the final
    state is always measured), and before the first step if ``evaluate_first`` (default: the
    trainer is fresh, at step 0; a run resumed from a checkpoint has that row already). A row's
    losses average the steps since the previous grid row: a final row off the grid leaves the
    sums running, so training on later gives the same grid rows as training straight through.
    on_eval(row): called with each evaluation's row (``Trainer.evaluate``); on_step(trainer):
    after every step. Returns the list of rows.

    Divergence: a non-finite loss or parameter raises ``Diverged``, with the trainer put back to
    its state at the last evaluation (the last healthy one).
    Interruption: a KeyboardInterrupt (Ctrl-C) — or any of ``stop_signals`` — lets the step in
    progress finish, then raises KeyboardInterrupt at the step boundary: the trainer is exactly
    as after ``trainer.step`` whole steps, no half-step. A second signal before that boundary
    stops at once, with the trainer put back to its last evaluation. (Signals are caught only in
    the main thread; elsewhere KeyboardInterrupt is left as Python raises it.)
    """
    every = every or trainer.cfg.eval_every
    end, rows, healthy = trainer.step + steps, [], [trainer.state()]

    def evaluate():
        rows.append(trainer.evaluate(reset=trainer.step % every == 0))
        healthy[0] = trainer.state()
        if on_eval:
            on_eval(rows[-1])

    with _deferred(stop_signals) as stop:
        try:
            if trainer.step == 0 if evaluate_first is None else evaluate_first:
                evaluate()
            while trainer.step < end:
                trainer.train_step()
                if on_step:
                    on_step(trainer)
                if trainer.step % every == 0 or trainer.step == end:
                    evaluate()
                if stop.requested:
                    raise KeyboardInterrupt(f"stopped after step {trainer.step}")
            trainer.check_finite()
        except Diverged:
            trainer.load_state(healthy[0])
            raise
        except KeyboardInterrupt:
            if not stop.requested or stop.count > 1:   # mid-step: back to the last evaluation
                trainer.load_state(healthy[0])
            raise
    return rows


class _deferred:
    """Within ``with``: the first of these signals only sets ``requested`` (fit stops at the
    next step boundary); a second one raises KeyboardInterrupt at once. Outside the main thread
    it does nothing, and a signal the process ignores (a sweep's workers ignore Ctrl-C, which
    is their parent's to handle) stays ignored."""

    def __init__(self, signals):
        self.signals, self.requested, self.count, self.saved = signals, False, 0, {}

    def handle(self, signum, frame):
        self.count += 1
        self.requested = True
        if self.count > 1:
            raise KeyboardInterrupt(f"signal {signum} twice: stopped at once")

    def __enter__(self):
        if threading.current_thread() is threading.main_thread():
            for s in self.signals:
                if signal.getsignal(s) is not signal.SIG_IGN:   # an ignored signal stays ignored
                    self.saved[s] = signal.signal(s, self.handle)
        return self

    def __exit__(self, *exc):
        for s, handler in self.saved.items():
            signal.signal(s, handler)
