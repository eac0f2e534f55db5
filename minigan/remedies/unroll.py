r"""First-order unrolled GAN (Metz, Poole, Pfau, Sohl-Dickstein 2017; docs/references.md §9).

G's step is taken against D_K, the discriminator after K further updates, instead of D itself:

    D_0 = D,   D_{i+1} = D_i − Δ(∇ L_D(D_i) on a fresh batch),   i = 0 … K − 1
    G descends L_G(D_K(G(z)))

The K updates are the trainer's own D steps (same optimizer, its state included, clipping,
penalties, spectral normalisation's power iteration, fresh batches from the run's generator);
afterwards θ_D, its optimizer and u, v are put back exactly as they were: D itself is not changed.

*First-order*: G's gradient is ∂L_G/∂θ_G through D_K with D_K held fixed. The exact gradient of
Metz et al. also has a term through the unroll, since D_K depends on θ_G via the fakes of the K
updates (∂D_K/∂θ_G, a second-order term); this variant drops it. It is not implemented here.
"""


def unrolled_d(D, opt, d_step, K):
    """D_K: a frozen copy of D after K more updates by d_step(); D and opt are then put back.

    d_step() is the trainer's own D update (fresh batches from the run's generator, penalties,
    clipping, spectral norm's power iteration); ``opt.save``/``restore`` keep θ_D and the
    optimizer's state, ``D.state_arrays``/``load_state`` spectral norm's u, v.
    """
    saved = opt.save(), {k: v.copy() for k, v in D.state_arrays().items()}
    for _ in range(K):
        d_step()
    frozen = D.frozen()
    opt.restore(saved[0])
    D.load_state(saved[1])
    return frozen
