"""The JAX (jit, CPU) peer of `minigan bench`: the same training workload, timed the same way.

    python docs/perf/jax_peer.py --loss gan --hidden 128 --dtype float64 --threads 1

Workload (identical to `minigan bench` and docs/perf/torch_peer.py):

    data      ring8: 8 Gaussians at 2·(cos 2πk/8, sin 2πk/8), std 0.02; batch B
    noise     z ~ N(0, I), z_dim 2
    G         z_dim → H → … → H → 2   (depth hidden layers, ReLU; linear output)
    D         2 → H → … → H → 1       (same shape; one logit / critic value)
    iteration n_critic D updates, then one G update:
      gan      n_critic 1, Adam 2e-4, betas (0.5, 0.999); D: BCE on logits, G: non-saturating
      wgan     n_critic 5, RMSProp 5e-5 (PyTorch's α = 0.99, ε outside the root), every D weight
               clipped to ±0.01 after each D update
      wgan-gp  n_critic 5, Adam 1e-4, betas (0.5, 0.9); penalty 10·mean_n (‖∇D(x̂_n)‖ − 1)²
               at x̂ = εx + (1 − ε)x̃, one ε ~ U[0, 1] per sample

Written the way a JAX user would write it: the WHOLE iteration — sampling the batches, the
n_critic D updates, the G update — is one function under one `jax.jit`, with optax's optimizers,
so XLA compiles it once and fuses the elementwise work between the matrix products (NumPy and
eager PyTorch cannot). This is the strongest CPU peer. --dtype float64 turns on JAX's 64-bit mode
(jax_enable_x64); float32 runs in JAX's default mode.

Timing: --warmup iterations first (the first one compiles), then `jax.block_until_ready`, then
--iters more, timed up to a second `jax.block_until_ready` (JAX dispatches asynchronously, so the
clock stops only when the last result exists).

Threads (--threads N; 0 leaves XLA at its defaults): XLA has no thread-count setting. Its CPU
client sizes its thread pool ("XLAEigen") by the CPUs the process may run on, and runs the
compiled program on that pool (splitting large products, and running independent operations
side by side). So --threads N restricts the process, before JAX is imported, to N CPUs
(os.sched_setaffinity, Linux only): the pool then has N threads and all of the process's threads
share those N CPUs — a hard limit on the cores used, like OPENBLAS_NUM_THREADS for NumPy, but it
also pins the process to the first N CPUs it may use. Checked with jax 0.10.2 on 2 CPUs: with
the affinity, one pool thread does all the work; XLA_FLAGS=--xla_cpu_multi_thread_eigen=false
(the usual advice) is accepted but does NOT limit the threads — both pool threads still work —
and `intra_op_parallelism_threads=N` is not an XLA flag (passed silently after a --flag, refused
as the first entry). OPENBLAS_* variables do not touch JAX: XLA brings its own matrix kernels,
chosen for the CPU it finds.

Prints one JSON line:
{"peer": "jax", "loss", "hidden", "depth", "batch", "dtype", "threads", "iters_per_s",
 "jax", "optax", "xla_flags"}
(the line docs/perf/compare.py reads). JAX is a benchmark peer only, never a dependency of
minigan: `pip install "jax[cpu]" optax`, in any environment.
"""
import argparse
import json
import math
import os
import time

CLIP = 0.01          # wgan: weight clipping bound
GP_WEIGHT = 10.0     # wgan-gp: λ
LOSSES = ["gan", "wgan", "wgan-gp"]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--loss", choices=LOSSES, default="gan")
    p.add_argument("--hidden", type=int, default=128, help="hidden width H")
    p.add_argument("--depth", type=int, default=3, help="hidden layers per network")
    p.add_argument("--batch", type=int, default=256, help="batch B")
    p.add_argument("--z-dim", type=int, default=2)
    p.add_argument("--iters", type=int, default=200, help="timed iterations")
    p.add_argument("--warmup", type=int, default=20,
                   help="untimed iterations first (the first one compiles)")
    p.add_argument("--threads", type=int, default=0,
                   help="run on N CPUs only (0: all the process may use; see the docstring)")
    p.add_argument("--dtype", choices=["float32", "float64"], default="float64")
    return p.parse_args()


def limit_threads(n):
    """Restrict this process to n CPUs (0: leave it); return the CPU count XLA will see."""
    if n:
        os.sched_setaffinity(0, sorted(os.sched_getaffinity(0))[:n])
    return len(os.sched_getaffinity(0))


def main():
    a = parse_args()
    threads = limit_threads(a.threads)

    import jax                       # imported only now: the thread limit must come first
    import jax.numpy as jnp
    import optax
    jax.config.update("jax_enable_x64", a.dtype == "float64")
    dt = jnp.float64 if a.dtype == "float64" else jnp.float32
    B, z_dim = a.batch, a.z_dim

    def init_mlp(key, n_in, n_out):
        """n_in → hidden (× depth) → n_out as [(W, b), …], PyTorch's default initialisation."""
        widths = [n_in] + [a.hidden] * a.depth + [n_out]
        params = []
        for d_in, d_out in zip(widths[:-1], widths[1:]):
            key, kw, kb = jax.random.split(key, 3)
            bound = 1 / math.sqrt(d_in)
            params.append((jax.random.uniform(kw, (d_in, d_out), dt, -bound, bound),
                           jax.random.uniform(kb, (d_out,), dt, -bound, bound)))
        return params

    def mlp(params, x):
        for W, b in params[:-1]:
            x = jax.nn.relu(x @ W + b)
        W, b = params[-1]
        return x @ W + b

    # ring of 8 Gaussians (radius 2, std 0.02)
    angles = 2 * math.pi * jnp.arange(8) / 8
    centers = (2 * jnp.stack([jnp.cos(angles), jnp.sin(angles)], 1)).astype(dt)   # (8, 2)

    def sample(key):
        k1, k2 = jax.random.split(key)
        k = jax.random.randint(k1, (B,), 0, 8)                                   # (B,)
        return centers[k] + 0.02 * jax.random.normal(k2, (B, 2), dt)             # (B, 2)

    # loss -> (critic steps per G step, optimizer of each player)
    if a.loss == "gan":
        n_critic, make_opt = 1, lambda: optax.adam(2e-4, b1=0.5, b2=0.999)
    elif a.loss == "wgan":           # PyTorch's RMSprop: α = 0.99, v̂ = √v + ε
        n_critic, make_opt = 5, lambda: optax.rmsprop(5e-5, decay=0.99, eps=1e-8,
                                                      eps_in_sqrt=False)
    else:
        n_critic, make_opt = 5, lambda: optax.adam(1e-4, b1=0.5, b2=0.9)
    opt_d, opt_g = make_opt(), make_opt()

    def gradient_penalty(D, real, fake, key):
        """mean_n (‖∇ₓD(x̂_n)‖₂ − 1)², x̂ = εx + (1 − ε)x̃, ε ~ U[0, 1] per row; differentiable.
        The rows of D are independent, so ∇ of the sum is every row's own gradient."""
        eps = jax.random.uniform(key, (B, 1), dt)                                # (B, 1)
        x_hat = eps * real + (1 - eps) * fake                                    # (B, 2)
        grad = jax.grad(lambda x: mlp(D, x).sum())(x_hat)                        # (B, 2)
        return jnp.mean((jnp.sqrt(jnp.sum(grad ** 2, axis=1)) - 1) ** 2)

    def d_loss(D, real, fake, key):
        if a.loss == "gan":         # −E log σ(D(x)) − E log(1 − σ(D(x̃))), on logits
            return (jnp.mean(jax.nn.softplus(-mlp(D, real)))
                    + jnp.mean(jax.nn.softplus(mlp(D, fake))))
        loss = jnp.mean(mlp(D, fake)) - jnp.mean(mlp(D, real))                  # E f(x̃) − E f(x)
        if a.loss == "wgan-gp":
            loss = loss + GP_WEIGHT * gradient_penalty(D, real, fake, key)
        return loss

    def g_loss(G, D, z):
        t_f = mlp(D, mlp(G, z))
        if a.loss == "gan":         # non-saturating: −E log σ(D(G(z)))
            return jnp.mean(jax.nn.softplus(-t_f))
        return -jnp.mean(t_f)

    @jax.jit
    def iteration(G, D, state_g, state_d, key):
        """One training iteration, compiled whole: n_critic D updates, then one G update."""
        # 1) discriminator / critic: n_critic updates on fresh batches (the loop is unrolled)
        for _ in range(n_critic):
            key, k_real, k_z, k_eps = jax.random.split(key, 4)
            real = sample(k_real)
            fake = mlp(G, jax.random.normal(k_z, (B, z_dim), dt))   # no gradient to G
            grads = jax.grad(d_loss)(D, real, fake, k_eps)
            updates, state_d = opt_d.update(grads, state_d, D)
            D = optax.apply_updates(D, updates)
            if a.loss == "wgan":
                D = jax.tree.map(lambda w: jnp.clip(w, -CLIP, CLIP), D)
        # 2) generator: one update through the current D
        key, k_z = jax.random.split(key)
        grads = jax.grad(g_loss)(G, D, jax.random.normal(k_z, (B, z_dim), dt))
        updates, state_g = opt_g.update(grads, state_g, G)
        G = optax.apply_updates(G, updates)
        return G, D, state_g, state_d, key

    key, k_g, k_d = jax.random.split(jax.random.PRNGKey(0), 3)
    G, D = init_mlp(k_g, z_dim, 2), init_mlp(k_d, 2, 1)
    state = (G, D, opt_g.init(G), opt_d.init(D), key)

    for _ in range(a.warmup):        # the first call compiles
        state = iteration(*state)
    jax.block_until_ready(state)
    t0 = time.perf_counter()
    for _ in range(a.iters):
        state = iteration(*state)
    jax.block_until_ready(state)
    seconds = time.perf_counter() - t0
    print(json.dumps({"peer": "jax", "loss": a.loss, "hidden": a.hidden, "depth": a.depth,
                      "batch": a.batch, "dtype": a.dtype, "threads": threads,
                      "iters_per_s": a.iters / seconds, "jax": jax.__version__,
                      "optax": optax.__version__, "xla_flags": os.environ.get("XLA_FLAGS", "")}))


if __name__ == "__main__":
    main()
