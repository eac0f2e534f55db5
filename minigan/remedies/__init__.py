"""The mode-collapse remedies (docs/remedies/, docs/references.md §9), each in its own file.

Parts of D (built in discriminator.py from the config's options):
    packing.py        PacGAN: D judges packs of m samples              --pack m
    mbstd.py          the minibatch-std layer inside D                 --mbstd-layer L
    spectral.py       D's weights normalised, W̄ = W/σ̂                --spectral-norm
Penalties on D's input gradient (double backprop):
    penalties.py      WGAN-GP, R1, R2                                  --gp, --r1, --r2
How the two players move:
    updates.py        simultaneous, extragradient, optimistic          --update
    unroll.py         G steps against D after K more updates           --unroll K

They import the core below them (layers, mlp, optim, config) and nothing above; train.py builds
D from them and calls the update rules.
"""


def __getattr__(name):
    # 0.3's `minigan.remedies` was the remedies *study* (now minigan.studies.remedies, the
    # `minigan remedies` command); its names still resolve here for one release (until 0.5)
    import importlib
    import warnings
    study = importlib.import_module("minigan.studies.remedies")
    if name.startswith("__") or not hasattr(study, name):
        raise AttributeError(f"module 'minigan.remedies' has no attribute {name!r}")
    warnings.warn(f"minigan.remedies.{name}: the remedies study moved to minigan.studies.remedies "
                  f"in 0.4; this name goes away in 0.5", DeprecationWarning, stacklevel=2)
    return getattr(study, name)
