r"""The Trainer replayed against a second, plain statement of Algorithm 1 (Goodfellow et al. 2014).

``Algorithm1`` below is written from the papers, not from ``train.py``: its own loop, its own
logit gradients of every loss, its own Adam/RMSProp/SGD updates, its own WGAN clipping and
learning-rate schedule, and its own gradient penalties (∇ₓD from one backward pass, the
penalty's parameter gradient by central finite differences). It borrows only the library's
``MLP`` — forward and backward, nothing else — and a dataset's ``sample``. Started from the
Trainer's initial weights and a *copy* of its random generator, it must reproduce G and D after
every step to ~1e-10, in float64, on tiny nets. Any mis-wiring — a step out of order, a batch
reused, a penalty in the wrong place, a label on the wrong fake, a schedule on one player only,
an evaluation that touches the training state — moves the weights by far more than that.

One iteration, as the oracle states it (every draw from the one training generator, in order):

    lr_t = lr · 2^(−t / half_life)            for both players (constant if half_life = 0)
    repeat k times:                                           # the discriminator
        x, labels ~ data.sample(B)                            # a fresh real batch
        z ~ N(0, I)  (B, z_dim)                               # fresh noise
        x̃ = G(z | labels)                                      # fakes carry the real labels
        ε ~ U[0, 1]  (B, 1)                                   # wgan-gp only
        descend  L_D(D(x | y), D(x̃ | y)) + penalties           # Adam / RMSProp / SGD step
        clip D's weights to [−c, c]                           # wgan only
    labels ~ Categorical(class prior)  (B,)                   # conditional only
    z ~ N(0, I)  (B, z_dim)
    descend  L_G(D(G(z | y) | y))  in G's parameters only    # D is read, never written

Two of the mode-collapse remedies are restated here too (issue #17): PacGAN packing (D sees m
consecutive samples as one row; the losses average over the B/m packs; WGAN-GP's ε is drawn per
pack) and spectral normalisation (before each D update one power iteration v = Wᵀu/‖Wᵀu‖,
u = Wv/‖Wv‖ per weight matrix; every pass uses W/σ̂, σ̂ = uᵀWv; D's step maps ∂/∂W̄ to ∂/∂W by
(G − ⟨G, W̄⟩uvᵀ)/σ̂). u starts from the trainer's own initial u (drawn from its generator).
"""
import numpy as np
import pytest

from minigan.config import TrainConfig
from minigan.data import get_dataset
from minigan.mlp import MLP
from minigan.train import Trainer

# relative to the largest weight of the network. Not 1e-10: under wgan the gradient of D's output
# bias is −mean(1) + mean(1) = 0 in exact arithmetic, so both sides hold only rounding noise
# (~1e-17), which RMSProp divides by its ε and turns into a ~5e-12 step (seen with G 8 wide and
# D 6 wide: 1.1e-10 relative to clip 0.05). Every mis-wiring in tests/mutants.py moves weights
# by more than 1e-6.
TOL = 1e-9

# --- the oracle's own losses: ∂L/∂(logit), per sample, before the 1/N of the batch mean ------


def sigma(t):
    return 1.0 / (1.0 + np.exp(-t))


# D minimises L_D(t_r, t_f); returns (∂L/∂t_r, ∂L/∂t_f) · N
D_LOSS = {
    # −E log σ(t_r) − E log(1 − σ(t_f))             (−V of Eq. 1: D ascends V)
    "gan": lambda r, f: (-sigma(-r), sigma(f)),
    "nsgan": lambda r, f: (-sigma(-r), sigma(f)),
    # ½E(t_r − 1)² + ½E t_f²                        (least squares, a = 0, b = 1)
    "lsgan": lambda r, f: (r - 1, f),
    # E max(0, 1 − t_r) + E max(0, 1 + t_f)
    "hinge": lambda r, f: (-(r < 1).astype(float), (f > -1).astype(float)),
    # E t_f − E t_r                                 (the critic's −W1 estimate)
    "wgan": lambda r, f: (-np.ones_like(r), np.ones_like(f)),
    "wgan-gp": lambda r, f: (-np.ones_like(r), np.ones_like(f)),
}
# G minimises L_G(t_f); returns ∂L/∂t_f · N
G_LOSS = {
    "gan": lambda f: -sigma(f),                    # E log(1 − σ(t_f))     (saturating, Eq. 1)
    "nsgan": lambda f: -sigma(-f),                 # −E log σ(t_f)         (non-saturating, §3)
    "lsgan": lambda f: f - 1,                      # ½E(t_f − 1)²
    "hinge": lambda f: -np.ones_like(f),           # −E t_f
    "wgan": lambda f: -np.ones_like(f),            # −E t_f
    "wgan-gp": lambda f: -np.ones_like(f),
}


# --- the oracle's own optimizers (PyTorch's formulas, default ε and α) ------------------------

class PlainOptimizer:
    """p ← p − Δ with Adam, RMSProp (α = 0.99) or SGD with momentum; ε = 1e-8; lr per call."""

    def __init__(self, kind, params, beta1, beta2, momentum):
        self.kind, self.b1, self.b2, self.mu, self.t = kind, beta1, beta2, momentum, 0
        self.m = {k: np.zeros_like(p) for k, p in params.items()}
        self.v = {k: np.zeros_like(p) for k, p in params.items()}

    def step(self, params, grads, lr):
        self.t += 1
        for k, p in params.items():
            g, m, v = grads[k], self.m[k], self.v[k]
            if self.kind == "adam":
                m[...] = self.b1 * m + (1 - self.b1) * g
                v[...] = self.b2 * v + (1 - self.b2) * g * g
                m_hat, v_hat = m / (1 - self.b1 ** self.t), v / (1 - self.b2 ** self.t)
                p -= lr * m_hat / (np.sqrt(v_hat) + 1e-8)
            elif self.kind == "rmsprop":
                v[...] = 0.99 * v + 0.01 * g * g
                p -= lr * g / (np.sqrt(v) + 1e-8)
            else:                                   # sgd: b ← μb + g, p ← p − lr·b
                m[...] = self.mu * m + g
                p -= lr * m


# --- the oracle's own gradient penalties ------------------------------------------------------

def input_gradient(D, inputs, n_x):
    """∇ₓD at each row: one backward pass seeded with ∂D/∂D = 1, the first n_x columns (x, not y)."""
    _, cache = D.forward(inputs)
    dx, _ = D.backward(np.ones((len(inputs), 1)), cache, need_params=False)
    return dx[:, :n_x]


def gp_value(g, lam):
    """WGAN-GP: λ·E(‖∇ₓD(x̂)‖ − 1)², with ‖g‖ = √(Σg² + 1e-12) as documented in penalties.py
    (finite at g = 0; without it a slope near 0 — common for a 1-D x — differs at 1e-9)."""
    return lam * np.mean((np.sqrt(np.sum(g * g, axis=1) + 1e-12) - 1) ** 2)


def zero_centred_value(g, gamma):
    """R1 / R2: (γ/2)·E‖∇ₓD‖²."""
    return 0.5 * gamma * np.mean(np.sum(g * g, axis=1))


def penalty_param_grads(D, value, h):
    """∂value()/∂θ for every parameter θ of D by the five-point central difference (error O(h⁴)),
    θ perturbed in place one entry at a time and restored."""
    grads = {}
    for name, p in D.params.items():
        g = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            keep, f = p[i], {}
            for step in (-2, -1, 1, 2):
                p[i] = keep + step * h
                f[step] = value()
            p[i] = keep
            g[i] = (8 * (f[1] - f[-1]) - (f[2] - f[-2])) / (12 * h)
        grads[name] = g
    return grads


# --- Algorithm 1, plainly ---------------------------------------------------------------------

def clone(net, activation):
    """A new MLP of the same shape holding a copy of net's weights (the library does fwd/bwd only)."""
    copy = MLP(net.sizes, activation, rng=np.random.default_rng(0), dtype=np.float64)
    copy.load_params(net.params)
    return copy


def copy_generator(rng):
    """An independent np.random.Generator in the same state as rng."""
    bitgen = rng.bit_generator
    twin = np.random.Generator(type(bitgen)())
    twin.bit_generator.state = bitgen.state
    return twin


class Algorithm1:
    """Algorithm 1 for config ``cfg`` as the test wrote it (every field explicit, not resolved by
    the library), started from Trainer t's initial weights and a copy of its random state."""

    def __init__(self, cfg, t):
        assert None not in vars(cfg).values(), "give the oracle every hyperparameter explicitly"
        self.cfg = c = cfg
        self.data = get_dataset(c.data)
        self.K = self.data.n_classes if c.conditional else 0
        self.prior = getattr(self.data, "weights", None)       # None: classes equally likely
        self.G, self.D = clone(t.G, c.activation), clone(t.D.mlp, c.activation)
        self.rng = copy_generator(t.rng)
        hyper = (c.beta1, c.beta2, c.momentum)
        self.opt_G = PlainOptimizer(c.optimizer, self.G.params, *hyper)
        self.opt_D = PlainOptimizer(c.optimizer, self.D.params, *hyper)
        self.iteration = 0
        self.uv = {k: (t.D.spectral.u[k].copy(), t.D.spectral.v[k].copy()) for k in t.D.spectral.u} if c.spectral_norm else {}
        self.logits = {"real": [], "fake (D step)": [], "fake (G step)": []}   # for sanity checks

    def with_label(self, v, labels):
        """[v, one-hot(labels)] when conditional, v otherwise."""
        return v if not self.K else np.concatenate([v, np.eye(self.K)[labels]], axis=1)

    def seen(self):
        """The D every pass uses: D itself, or a copy holding W/σ̂ with σ̂ = uᵀWv (spectral norm)."""
        if not self.uv:
            return self.D
        seen = clone(self.D, self.cfg.activation)
        for k, (u, v) in self.uv.items():
            seen.params[k][...] = self.D.params[k] / (u @ self.D.params[k] @ v)
        return seen

    def step(self):
        """One iteration: the rate of iteration t (both players), k D updates, one G update."""
        c = self.cfg
        decay = 0.5 ** (self.iteration / c.lr_half_life) if c.lr_half_life else 1.0
        for _ in range(c.k):
            self.d_step(c.lr_d * decay)
        self.g_step(c.lr_g * decay)
        self.iteration += 1

    def d_step(self, lr):
        """Sample a real batch and noise; descend D's loss (+ penalties); clip (wgan)."""
        c, B, m = self.cfg, self.cfg.batch, self.cfg.pack
        for k, (u, v) in self.uv.items():                          # spectral norm: power iteration
            W = self.D.params[k]
            v = W.T @ u / np.linalg.norm(W.T @ u)
            self.uv[k] = (W @ v / np.linalg.norm(W @ v), v)
        D = self.seen()
        x, labels = self.data.sample(B, self.rng)                  # m examples from the data
        z = self.rng.standard_normal((B, c.z_dim))                  # m noise samples
        x_fake = self.G(self.with_label(z, labels))                # fakes: the real batch's labels
        real, fake = self.with_label(x, labels), self.with_label(x_fake, labels)
        real, fake = real.reshape(B // m, -1), fake.reshape(B // m, -1)   # packs of m samples
        # the loss: its logit gradients, back-propagated through D, real and fake separately
        t_r, cache_r = D.forward(real)
        t_f, cache_f = D.forward(fake)
        d_r, d_f = D_LOSS[c.loss](t_r, t_f)
        self.logits["real"].append(t_r)
        self.logits["fake (D step)"].append(t_f)
        grads_r = D.backward(d_r / len(t_r), cache_r)[1]
        grads_f = D.backward(d_f / len(t_f), cache_f)[1]
        grads = {k: grads_r[k] + grads_f[k] for k in D.params}
        # the penalties, on ∇ₓD at their own points, all at D's current weights
        n_x = self.data.dim * m
        penalties = []
        if c.gp > 0:             # WGAN-GP: at x̂ = εx + (1 − ε)x̃, one ε per pair (of packs), same label
            eps = self.rng.uniform(0.0, 1.0, size=(B // m, 1))
            x_hat = self.with_label(eps * x.reshape(B // m, -1) + (1 - eps) * x_fake.reshape(B // m, -1),
                                    labels)
            penalties.append(lambda: gp_value(input_gradient(D, x_hat, n_x), c.gp))
        if c.r1 > 0:             # R1: on the real batch
            penalties.append(lambda: zero_centred_value(input_gradient(D, real, n_x), c.r1))
        if c.r2 > 0:             # R2: on the fake batch
            penalties.append(lambda: zero_centred_value(input_gradient(D, fake, n_x), c.r2))
        # a smooth D allows a wide step (less round-off); a ReLU D a narrow one (no kink crossed)
        h = 1e-5 if c.activation in ("relu", "leaky_relu") else 1e-3
        for value in penalties:
            for k, g in penalty_param_grads(D, value, h).items():
                grads[k] = grads[k] + g
        for k, (u, v) in self.uv.items():                          # ∂/∂W̄ -> ∂/∂W (u, v fixed)
            W_bar, sigma = D.params[k], u @ self.D.params[k] @ v
            grads[k] = (grads[k] - np.sum(grads[k] * W_bar) * np.outer(u, v)) / sigma
        # the update, then WGAN's clipping
        self.opt_D.step(self.D.params, grads, lr)
        if c.clip > 0:
            for p in self.D.params.values():
                p[...] = np.clip(p, -c.clip, c.clip)

    def g_step(self, lr):
        """Sample labels (conditional) and noise; descend G's loss through D, in G only."""
        c, B = self.cfg, self.cfg.batch
        labels = self.rng.choice(self.K, size=B, p=self.prior) if self.K else None   # ~ prior
        z = self.rng.standard_normal((B, c.z_dim))
        x_fake, cache_g = self.G.forward(self.with_label(z, labels))
        D = self.seen()                                             # no power iteration here
        t_f, cache_d = D.forward(self.with_label(x_fake, labels).reshape(B // c.pack, -1))
        self.logits["fake (G step)"].append(t_f)
        dx, _ = D.backward(G_LOSS[c.loss](t_f) / len(t_f), cache_d)  # D's own gradient: discarded
        dx = dx.reshape(B, -1)                                     # unpack: each sample's slice
        _, grads = self.G.backward(dx[:, :self.data.dim], cache_g)
        self.opt_G.step(self.G.params, grads, lr)


# --- helpers ------------------------------------------------------------------------------------

BASE = dict(steps=3, hidden=8, hidden_g=8, hidden_d=6, depth=2, batch=16, z_dim=2, dtype="float64", eval_samples=64, seed=3,
            k=2, lr_half_life=2, optimizer="adam", lr_d=3e-3, lr_g=2e-3, beta1=0.5,
            beta2=0.9, clip=0.0, gp=0.0)


def config(**kw):
    return TrainConfig(**{**BASE, **kw})


def assert_same(t, o, step):
    """G's and D's weights agree to TOL (relative to each network's largest weight), and both
    generators have made the same draws."""
    for who, mine, theirs in (("G", t.G, o.G), ("D", t.D, o.D)):
        scale = max(np.abs(q).max() for q in theirs.params.values())
        for k, p in mine.params.items():
            err = np.abs(p - theirs.params[k]).max() / scale
            assert err < TOL, f"{who}.{k} after step {step}: relative error {err:.1e}"
    assert t.rng.bit_generator.state == o.rng.bit_generator.state, \
        f"after step {step}: the trainer drew a different amount of randomness than Algorithm 1"


def replay(cfg, steps=3, between=None):
    """Run a Trainer and the oracle side by side on cfg, comparing after every step."""
    t = Trainer(cfg)
    o = Algorithm1(cfg, t)
    for s in range(1, steps + 1):
        t.train_step()
        o.step()
        if between:
            between(t)
        assert_same(t, o, s)
    return o


# --- the tests ----------------------------------------------------------------------------------

@pytest.mark.parametrize("loss, extra", [
    ("gan", {}),
    ("nsgan", dict(depth=1)),
    ("lsgan", {}),
    ("hinge", dict(seed=2, lr_d=3e-2, lr_g=3e-2)),              # a seed where every hinge bends
    ("wgan", dict(optimizer="rmsprop", clip=0.05, lr_d=1e-3, lr_g=5e-4, k=3, lr_half_life=0)),
    ("wgan-gp", dict(gp=1.0, k=3)),
])
def test_every_loss_follows_algorithm1(loss, extra):
    """k = 2–3 D steps then one G step, each loss's own gradients, the halving schedule on both
    players (half-life 2; wgan: constant lr), WGAN's clipping after every D update, WGAN-GP's
    penalty at the interpolates: 3 steps agree with the oracle."""
    o = replay(config(loss=loss, **extra))
    if loss == "hinge":      # else max(0, 1 ∓ t) would be indistinguishable from a straight line
        seen = {k: np.concatenate(v) for k, v in o.logits.items()}
        assert (seen["real"] >= 1).any() and (seen["fake (D step)"] <= -1).any() \
            and (seen["fake (G step)"] >= 1).any()


@pytest.mark.parametrize("loss, which, activation", [
    ("nsgan", "r1", "relu"), ("nsgan", "r2", "relu"),
    ("lsgan", "r1", "tanh"), ("gan", "r2", "softplus"),      # curved: the f″ terms matter
])
def test_zero_centred_penalties_on_their_own_data(loss, which, activation):
    """R1 penalises ∇ₓD on the real batch, R2 on the fake batch, added to D's loss only."""
    replay(config(loss=loss, activation=activation, **{which: 2.0}))


@pytest.mark.parametrize("data, loss, extra", [
    ("ring8", "nsgan", {}),
    ("mixture1d", "gan", dict(r1=1.0)),                      # unequal class weights 0.2/0.5/0.3
    ("mixture1d", "wgan-gp", dict(gp=1.0)),
    ("ring8", "wgan", dict(optimizer="rmsprop", clip=0.05, r2=1.0, depth=1, activation="tanh",
                           lr_half_life=0)),
])
def test_conditional_follows_algorithm1(data, loss, extra):
    """D sees [x, y] for the real batch and [G(z | y), y] for its fakes (the same labels); the G
    step draws its labels from the class prior; penalties constrain ∇ₓD, not the label slope."""
    replay(config(data=data, loss=loss, conditional=True, **extra))


@pytest.mark.parametrize("optimizer, momentum", [("sgd", 0.9), ("sgd", 0.0), ("rmsprop", 0.9)])
def test_each_optimizer_follows_algorithm1(optimizer, momentum):
    """Both players' updates are the plain SGD(-momentum) / RMSProp formulas at the scheduled lr."""
    replay(config(loss="nsgan", optimizer=optimizer, momentum=momentum, lr_d=5e-2, lr_g=2e-2))


@pytest.mark.parametrize("loss", ["gan", "lsgan", "hinge", "wgan", "wgan-gp"])
def test_every_loss_at_its_scale(loss):
    """Under plain SGD a step is lr·∇L itself (Adam and RMSProp hide a gradient's scale): each
    loss's gradients and the penalty's weight are pinned in size, not only in direction."""
    replay(config(loss=loss, optimizer="sgd", momentum=0.5, lr_d=5e-2, lr_g=2e-2,
                  gp=1.0 if loss == "wgan-gp" else 0.0, clip=0.5 if loss == "wgan" else 0.0))


@pytest.mark.parametrize("data, conditional", [("ring8", False), ("mixture1d", True)])
def test_evaluation_between_steps_changes_nothing(data, conditional):
    """evaluate() after every step leaves the trajectory exactly that of Algorithm 1 without it:
    no draw from the training generator, no touch of weights or optimizer state."""
    replay(config(data=data, conditional=conditional, lr_half_life=1), steps=3,
           between=lambda t: t.evaluate())


def test_evaluation_uses_the_fixed_set():
    """evaluate() measures G on one fixed set — noise, then real samples (whose labels G is asked
    for) — drawn from the sibling of the training generator, the same at every call: W1 between
    G(z_eval | labels_eval) and x_eval, computed here from sorted samples."""
    cfg = config(data="mixture1d", conditional=True, eval_samples=200)
    t = Trainer(cfg)
    ev = np.random.default_rng(np.random.SeedSequence(cfg.seed).spawn(2)[1])
    z = ev.standard_normal((200, cfg.z_dim))
    x_eval, labels = get_dataset("mixture1d").sample(200, ev)
    o = Algorithm1(cfg, t)
    for _ in range(2):
        t.train_step()
        o.step()
        first, second = t.evaluate(), t.evaluate()
        expected = np.mean(np.abs(np.sort(o.G(o.with_label(z, labels))[:, 0])
                                  - np.sort(x_eval[:, 0])))
        assert first["w1"] == pytest.approx(expected, rel=1e-9)
        assert second["w1"] == first["w1"]


@pytest.mark.parametrize("loss, extra", [
    ("nsgan", dict(spectral_norm=True)),
    ("wgan-gp", dict(spectral_norm=True, gp=1.0, activation="tanh")),     # penalty through W/σ̂
    ("lsgan", dict(pack=4)),
    ("wgan-gp", dict(pack=2, gp=1.0, k=3)),                              # ε per pack
    ("hinge", dict(pack=2, spectral_norm=True, seed=2, lr_d=3e-2, lr_g=3e-2)),
])
def test_packing_and_spectral_norm_follow_algorithm1(loss, extra):
    """PacGAN's packs and spectral normalisation's W/σ̂, as restated in this file's docstring."""
    replay(config(loss=loss, **extra))


def test_two_dimensional_evaluation_is_repeatable():
    """On 2-D data (sliced W1, mode coverage) two evaluations at the same weights agree exactly."""
    t = Trainer(config(data="ring8", conditional=True, eval_samples=200))
    t.train_step()
    a, b = t.evaluate(), t.evaluate()
    assert {k: v for k, v in a.items() if k in ("sliced_w", "class_acc_mean", "mode_kl")} == \
        {k: v for k, v in b.items() if k in ("sliced_w", "class_acc_mean", "mode_kl")}
