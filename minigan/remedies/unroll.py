r"""First-order unrolled GAN (Metz, Poole, Pfau, Sohl-Dickstein 2017; docs/references.md §9).

G's step is taken against D_U, the discriminator after U further updates, instead of D itself:

    D_0 = D,   D_{i+1} = D_i − Δ(∇ L_D(D_i) on a fresh batch),   i = 0 … U − 1
    G descends L_G(D_U(G(z)))

The U updates are the trainer's own D steps (same optimizer, its state included, clipping,
penalties, spectral normalisation's power iteration, fresh batches from the run's generator);
afterwards θ_D, its optimizer and u, v are put back exactly as they were: D itself is not changed.

*First-order*: G's gradient is ∂L_G/∂θ_G through D_U with D_U held fixed. The exact gradient of
Metz et al. also has a term through the unroll, since D_U depends on θ_G via the fakes of the U
updates (∂D_U/∂θ_G, a second-order term); this variant drops it. It is not implemented here.
"""


def unrolled_d(D, opt, d_step, U):
    """D_U: a frozen copy of D after U more updates by d_step(); D and opt are then put back.

    d_step() is the trainer's own D update (fresh batches from the run's generator, penalties,
    clipping, spectral norm's power iteration); ``opt.save``/``restore`` keep θ_D and the
    optimizer's state, ``D.state_arrays``/``load_state`` spectral norm's u, v.
    """
    saved = opt.save(), {k: v.copy() for k, v in D.state_arrays().items()}
    for _ in range(U):
        d_step()
    frozen = D.frozen()
    opt.restore(saved[0])
    D.load_state(saved[1])
    return frozen
