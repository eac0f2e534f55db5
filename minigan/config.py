r"""The one configuration of a training run: a dataclass, every field commented and validated.

Fields left at ``None`` take the default of the chosen loss (``LOSS_DEFAULTS``) when the config
is resolved, so ``TrainConfig(loss="wgan")`` means RMSProp 5e-5, clip 0.01, n_critic 5 as in
the WGAN paper, while an explicit value always wins. ``minigan train`` makes one command-line
option per field, with the ``help`` below.
"""
from dataclasses import asdict, dataclass, field, fields, replace

from .data import DATASETS, is_points_file
from .layers import ACTIVATIONS, DTYPES
from .losses import LOSSES
from .optim import OPTIMIZERS

# Names and sizes of the remedies' options, validated here; the remedies themselves
# (minigan/remedies/) import them from this file, which imports nothing above the core.
UPDATES = ("alternating", "simultaneous", "extragradient", "optimistic")   # remedies/updates.py
MBSTD_GROUP = 4         # rows per minibatch-std group (ProGAN's official code: mbstd_group_size = 4)


class ConfigError(ValueError):
    """A bad config value; the message names the field and what is allowed."""


# Per-loss defaults, each from its paper unless a toy setting is noted as better (and why).
#   gan/nsgan/lsgan/hinge: Goodfellow et al. use k = 1; instead of their momentum SGD (tuned for
#     MNIST) we take the DCGAN Adam setting (Radford et al. 2016), lr 2e-4, β = (0.5, 0.999), and
#     halve both rates every 4,000 steps — our toy choice, not DCGAN's (which keeps lr constant):
#     on ring8 at batch 512 it keeps 8/8 modes where a constant 2e-4 drops one on some seeds.
#   wgan:    Arjovsky et al. 2017, Algorithm 1 as published: RMSProp α = 5e-5, c = 0.01,
#     n_critic = 5, constant learning rate.
#   wgan-gp: Gulrajani et al. 2017 toy script (gan_toy.py): Adam 1e-4, β = (0.5, 0.9),
#     n_critic = 5, constant learning rate, and the toy λ = 0.1 rather than the paper's λ = 10
#     ("smaller lambda makes things faster for toy tasks"); --gp 10 gives the paper's value.
# docs/defaults.md states these in a table, and a test checks that table against this dict.
_DCGAN_HALVING = dict(k=1, optimizer="adam", lr_d=2e-4, lr_g=2e-4, beta1=0.5, beta2=0.999,
                      lr_half_life=4000, clip=0.0, gp=0.0)
LOSS_DEFAULTS = {
    "gan": _DCGAN_HALVING,
    "nsgan": _DCGAN_HALVING,
    "lsgan": _DCGAN_HALVING,
    "hinge": _DCGAN_HALVING,
    "wgan": dict(k=5, optimizer="rmsprop", lr_d=5e-5, lr_g=5e-5, lr_half_life=0, clip=0.01,
                 gp=0.0, beta1=0.9, beta2=0.999),
    "wgan-gp": dict(k=5, optimizer="adam", lr_d=1e-4, lr_g=1e-4, beta1=0.5, beta2=0.9,
                    lr_half_life=0, clip=0.0, gp=0.1),
}


# Per-dataset defaults: the size of the game. The toys (1D and 2D) share gan_toy.py's network and
# our 12,000-step schedule; the 64-dimensional digits need more noise dimensions and wider layers,
# and learn from 1,438 images, so a smaller batch (REFERENCES: a probe with z 16+10, two layers of
# 256, batch 128 drew recognisable digits in 2,000 steps). docs/defaults.md states both; a test
# checks the page against this dict.
TOY_DEFAULTS = dict(steps=12000, batch=512, z_dim=2, hidden=128, depth=3, eval_samples=2500)
DATA_DEFAULTS = {"digits": dict(steps=10000, batch=128, z_dim=16, hidden=256, depth=2,
                                eval_samples=1000)}


def dataset_defaults(data):
    """The per-dataset defaults of a --data value (a points file is a toy: TOY_DEFAULTS)."""
    return DATA_DEFAULTS.get(data, TOY_DEFAULTS)


def _per_dataset(name, why=""):
    toys, digits = TOY_DEFAULTS[name], DATA_DEFAULTS["digits"][name]
    return f"(default per dataset: {toys} for the toys{why}, {digits} for digits)"


# The other tables of defaults, each in one place.
# The mode-collapse study's settings (minigan sweep, the remedies and capacity studies, lesson 5),
# pinned so that a change of minigan train's defaults does not change the study: one network for
# every loss (gan_toy.py's 3 ReLU layers, narrowed to 128 units; z ~ N(0, I₂)), batch 512, and per
# loss (measured reasons in docs/study/README.md):
#   gan, nsgan: D 5× faster than G (lr 1e-3 vs 2e-4, the TTUR idea of Heusel et al. 2017) and
#     lr halving every 8000 steps: the samples become sharp instead of staying smeared rays.
#   wgan: the paper's Algorithm 1 (RMSProp 5e-5, clip 0.01, n_critic 5), constant lr.
#   wgan-gp: n_critic 1 with a 2× faster critic, lr halving every 4000 steps: per CPU second
#     this reached higher quality than n_critic 5 (see docs/study/README.md); --k 5 gives the paper's.
# The 40-run default sweep takes about 40 minutes on 2 cores with --jobs 2.
STUDY_BASE = dict(batch=512, hidden=128, depth=3, z_dim=2, activation="relu", eval_samples=2500)
SWEEP_DEFAULTS = {
    "gan": dict(STUDY_BASE, steps=20000, lr_d=1e-3, lr_g=2e-4, lr_half_life=8000),
    "nsgan": dict(STUDY_BASE, steps=20000, lr_d=1e-3, lr_g=2e-4, lr_half_life=8000),
    "wgan": dict(STUDY_BASE, steps=10000, lr_half_life=0),
    "wgan-gp": dict(STUDY_BASE, steps=15000, k=1, lr_d=1e-3, lr_g=5e-4, lr_half_life=4000),
}
# minigan bench: the workload of the PyTorch and JAX peers (docs/perf/), by the peer's --loss;
# every other field is the loss's default above
BENCH_WORKLOADS = {
    "gan": dict(loss="nsgan"),
    "wgan": dict(loss="wgan"),
    "wgan-gp": dict(loss="wgan-gp", gp=10.0),     # the peer's λ = 10, not the toy default 0.1
}


def _f(default, help_, **kw):
    return field(default=default, metadata={"help": help_, **kw})


@dataclass
class TrainConfig:
    data: str = _f("ring8", "toy distribution, digits (8 × 8 handwritten digits, 64 columns), or a "
                   ".csv/.npy file of your own 1D or 2D points (copied into the run folder)",
                   choices=list(DATASETS))
    loss: str = _f("nsgan", "GAN objective (gan = Goodfellow's minimax with the saturating G "
                   "loss, nsgan = non-saturating)", choices=list(LOSSES))
    steps: int = _f(None, "generator updates (each after k discriminator updates) "
                    + _per_dataset("steps"))
    batch: int = _f(None, "samples per batch, real and fake alike; gan_toy.py: 256, and 512 keeps "
                    "all 8 ring modes where 256 drops one (measured) "
                    + _per_dataset("batch"))
    z_dim: int = _f(None, "noise dimension, z ~ N(0, I) " + _per_dataset("z_dim", " as gan_toy.py"))
    hidden: int = _f(None, "width of every hidden layer of G and D (--hidden-g, --hidden-d set one) "
                     + _per_dataset("hidden"))
    hidden_g: int = _f(None, "width of G's hidden layers (default: --hidden)")
    hidden_d: int = _f(None, "width of D's hidden layers (default: --hidden)")
    depth: int = _f(None, "hidden layers in G and in D " + _per_dataset("depth", " as gan_toy.py"))
    activation: str = _f("relu", "hidden activation of G and D", choices=list(ACTIVATIONS))
    k: int = _f(None, "D (critic) updates per G update, n_critic in the WGAN papers "
                "(default per loss: 1 for gan/nsgan/lsgan/hinge, 5 for wgan/wgan-gp)")
    optimizer: str = _f(None, "optimizer of both players (default per loss: adam for "
                        "gan/nsgan/lsgan/hinge/wgan-gp, rmsprop for wgan)", choices=list(OPTIMIZERS))
    lr_d: float = _f(None, "learning rate of D (default per loss: 2e-4 for gan/nsgan/lsgan/hinge, "
                     "5e-5 for wgan, 1e-4 for wgan-gp)")
    lr_g: float = _f(None, "learning rate of G (default per loss: 2e-4 for gan/nsgan/lsgan/hinge, "
                     "5e-5 for wgan, 1e-4 for wgan-gp)")
    beta1: float = _f(None, "Adam β1 (default per loss: 0.5 for gan/nsgan/lsgan/hinge/wgan-gp, "
                      "0.9 for wgan)")
    beta2: float = _f(None, "Adam β2 (default per loss: 0.999 for gan/nsgan/lsgan/hinge/wgan, "
                      "0.9 for wgan-gp)")
    lr_half_life: int = _f(None, "halve both learning rates every this many steps, 0 = constant; "
                           "a function of the step alone, so a resumed run follows the same "
                           "schedule (default per loss: 4000 for gan/nsgan/lsgan/hinge, "
                           "0 for wgan/wgan-gp)")
    momentum: float = _f(0.9, "SGD momentum (optimizer sgd only)")
    clip: float = _f(None, "clip D's weights to [-clip, clip] after each update (0 = off) "
                     "(default per loss: 0.01 for wgan, 0 for gan/nsgan/lsgan/hinge/wgan-gp)")
    gp: float = _f(None, "gradient-penalty weight λ of wgan-gp: 0.1 is gan_toy.py's toy value, "
                   "the paper's is 10 (default per loss: 0.1 for wgan-gp, "
                   "0 for gan/nsgan/lsgan/hinge/wgan)")
    r1: float = _f(0.0, "R1 penalty γ on real data, (γ/2)·E‖∇D‖² (0 = off)")
    r2: float = _f(0.0, "R2 penalty γ on generated data (0 = off)")
    conditional: bool = _f(False, "condition G and D on the class label (one-hot)")
    # the mode-collapse remedies (issue #17), all off by default
    spectral_norm: bool = _f(False, "spectral normalisation of D's weights, W/σ̂(W), one power "
                             "iteration per D update (Miyato et al. 2018)")
    pack: int = _f(1, "PacGAN: D judges packs of this many samples, all real or all fake; must "
                   "divide --batch (1 = off; Lin et al. 2018: 2 to 4)")
    mbstd_layer: int = _f(0, "minibatch std (groups of 4) appended to the output of D's hidden "
                          "layer L, 1 = the first (0 = off; Karras et al. 2018)")
    update: str = _f("alternating", "alternating = Algorithm 1 (k D steps, then G); simultaneous, "
                     "extragradient, optimistic: both players from the same point, k = 1",
                     choices=list(UPDATES))
    unroll: int = _f(0, "first-order unrolled GAN: G steps against a copy of D after this many "
                     "more D updates, no gradient through the unroll (0 = off; Metz et al. 2017)")
    seed: int = _f(0, "seed of the one random generator everything is drawn from")
    dtype: str = _f("float32", "float32 or float64, end to end", choices=list(DTYPES))
    eval_every: int = _f(250, "steps between evaluations (history row, checkpoint)")
    eval_samples: int = _f(None, "generated samples per evaluation "
                           + _per_dataset("eval_samples", " as VEEGAN and PacGAN"))

    def resolved(self):
        """A copy with every None replaced by the dataset's, then the loss's default; validated."""
        self.validate_names()
        base = replace(self, **{k: v for k, v in dataset_defaults(self.data).items()
                                if getattr(self, k) is None})
        d = {**LOSS_DEFAULTS[self.loss], "hidden_g": base.hidden, "hidden_d": base.hidden}
        cfg = replace(base, **{k: v for k, v in d.items() if getattr(base, k) is None})
        cfg.validate()
        return cfg

    def validate_names(self):
        for f in fields(self):
            allowed = f.metadata.get("choices")
            v = getattr(self, f.name)
            if f.name == "data" and is_points_file(v):
                continue                       # a file of points (points.py), not a name
            if allowed and v is not None and v not in allowed:
                raise ConfigError(f"{f.name}: {v!r} is not one of {', '.join(allowed)}")

    def validate(self):
        """Raise ConfigError naming the field and the allowed range of the first bad value."""
        self.validate_names()
        ints = dict(steps=0, batch=1, z_dim=1, hidden=1, hidden_g=1, hidden_d=1, depth=0, k=1, eval_every=1, lr_half_life=0,
                    eval_samples=1, seed=0, pack=1, mbstd_layer=0, unroll=0)
        for name, low in ints.items():
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < low:
                raise ConfigError(f"{name}: must be an integer ≥ {low}, got {v!r}")
        checks = dict(lr_d=(0, False), lr_g=(0, False), beta1=(0, True), beta2=(0, True),
                      momentum=(0, True), clip=(0, True), gp=(0, True), r1=(0, True), r2=(0, True))
        for name, (low, closed) in checks.items():
            v = getattr(self, name)
            ok = isinstance(v, (int, float)) and not isinstance(v, bool) and v == v and v != float("inf")
            if not ok or v < low or (v == low and not closed):
                rel = "≥" if closed else ">"
                raise ConfigError(f"{name}: must be a finite number {rel} {low}, got {v!r}")
        for name in ("beta1", "beta2", "momentum"):
            if getattr(self, name) >= 1:
                raise ConfigError(f"{name}: must be < 1, got {getattr(self, name)!r}")
        if self.gp > 0 and self.loss != "wgan-gp":
            raise ConfigError("gp: the gradient penalty belongs to --loss wgan-gp "
                              "(for gan/nsgan use --r1 or --r2)")
        if self.loss == "wgan-gp" and self.gp == 0:
            raise ConfigError("gp: wgan-gp needs a penalty weight > 0")
        self.validate_remedies()

    def validate_remedies(self):
        """The remedies' values and the combinations that are refused, one line each."""
        if not isinstance(self.spectral_norm, bool):
            raise ConfigError(f"spectral_norm: must be true or false, got {self.spectral_norm!r}")
        if self.spectral_norm and self.clip > 0:
            raise ConfigError("spectral_norm: weight clipping already bounds D's weights; "
                              "use one of them (--clip 0)")
        if self.batch % self.pack:
            raise ConfigError(f"pack: {self.pack} does not divide --batch {self.batch} "
                              f"(D judges whole packs)")
        if self.pack > 1 and self.conditional:
            raise ConfigError("pack: packing is not defined for --conditional runs (which label "
                              "would a pack carry?)")
        if self.mbstd_layer > self.depth:
            raise ConfigError(f"mbstd_layer: must be a hidden layer of D, 1 to {self.depth} "
                              f"(0 = off), got {self.mbstd_layer}")
        if self.mbstd_layer and (self.batch // self.pack) % MBSTD_GROUP:
            raise ConfigError(f"mbstd_layer: D's {self.batch // self.pack} rows per batch (--batch "
                              f"/ --pack) must be divisible by the group size {MBSTD_GROUP}")
        if self.mbstd_layer and (self.gp > 0 or self.r1 > 0 or self.r2 > 0):
            raise ConfigError("mbstd_layer: the gradient penalties assume each row's output depends "
                              "on its own row only, which a group statistic breaks (--gp/--r1/--r2 0)")
        if self.update != "alternating" and self.k != 1:
            raise ConfigError(f"k: --update {self.update} takes one step of each player per "
                              f"iteration; k > 1 belongs to --update alternating (use --k 1)")
        if self.unroll and self.update != "alternating":
            raise ConfigError(f"unroll: unrolling is defined for --update alternating only, "
                              f"got {self.update}")

    def to_dict(self):
        """Every field, and the format version of this layout (config.json, checkpoints)."""
        return {"format": FORMAT, **asdict(self)}

    @classmethod
    def from_dict(cls, d):
        """Inverse of to_dict, for this format or an older one; unknown keys are an error."""
        d = upgrade(d)
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(d) - names)
        if unknown:
            raise ConfigError(f"unknown config field(s): {', '.join(unknown)}")
        return cls(**d)


# The layout of a config dict. Each change of layout adds a step to ``upgrade``, so a run folder
# written by an older minigan still loads, resumes and samples (tests/test_compat.py keeps a
# folder made by 0.2.0):
#   1  minigan ≤ 0.2.0, no "format" key; one width for G and D ("hidden")
#   2  "hidden_g" and "hidden_d": each player's own width
#   3  the remedies: spectral_norm, pack, mbstd_layer, update, unroll (absent: off)
FORMAT = 3


def upgrade(d):
    """A config dict of any format as a dict of the current one (without the "format" key)."""
    d = dict(d)
    version = d.pop("format", 1)
    if not isinstance(version, int) or not 1 <= version <= FORMAT:
        raise ConfigError(f"config format {version!r} is not one this minigan reads (1 to {FORMAT}); "
                          f"a newer minigan wrote it")
    if version < 2:       # 1 -> 2: both players had the one width of "hidden"
        d.setdefault("hidden_g", d.get("hidden"))
        d.setdefault("hidden_d", d.get("hidden"))
    # 2 -> 3: nothing to do; the new fields' defaults (all off) are what an older run ran
    return d
