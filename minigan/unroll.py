r"""First-order unrolled GAN (Metz, Poole, Pfau, Sohl-Dickstein 2017; docs/references.md §9).

G's step is taken against D_K, the discriminator after K further updates, instead of D itself:

    D_0 = D,   D_{i+1} = D_i − Δ(∇ L_D(D_i) on a fresh batch),   i = 0 … K − 1
    G descends L_G(D_K(G(z)))

The K updates are the trainer's own D steps (same optimizer, its state included, clipping,
penalties, spectral normalisation's power iteration, fresh batches from the run's generator);
afterwards D, its optimizer and u, v are put back exactly as they were: D itself is not changed.

*First-order*: G's gradient is ∂L_G/∂θ_G through D_K with D_K held fixed. The exact gradient of
Metz et al. also has a term through the unroll, since D_K depends on θ_G via the fakes of the K
updates (∂D_K/∂θ_G, a second-order term); this variant drops it. It is not implemented here.
"""
import copy

import numpy as np


def unrolled_d(trainer, K):
    """A copy of D's network (as the passes see it) after K more D updates; trainer.D unchanged."""
    saved = save_d(trainer)
    for _ in range(K):
        trainer.d_step()
    net, _ = trainer.critic()
    net = copy.deepcopy(net)
    restore_d(trainer, saved)
    return net


def save_d(trainer):
    """D's parameters, D's optimizer state and spectral normalisation's u, v, copied."""
    sn = trainer.sn.state_arrays() if trainer.sn else {}
    return ({k: p.copy() for k, p in trainer.D.params.items()},
            {k: np.array(v, copy=True) for k, v in trainer.opt_d.state_dict().items()},
            {k: v.copy() for k, v in sn.items()})


def restore_d(trainer, saved):
    params, state, sn = saved
    trainer.D.load_params(params)
    trainer.opt_d.load_state_dict(state)
    if trainer.sn:
        trainer.sn.load_state(sn)
