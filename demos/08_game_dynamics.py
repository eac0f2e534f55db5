# %% [markdown]
# # Lesson 8 — Game dynamics: why GAN training circles instead of settling
#
# **The question.** Gradient descent on one loss goes downhill until it stops. A GAN is two
# players descending two different losses. Does that still stop at the equilibrium — and if
# not, what does it do instead?
#
# The smallest GAN that shows the answer is the **Dirac-GAN** (Mescheder, Geiger, Nowozin 2018;
# `docs/references.md` §6). The data is one point, $p_\text{data} = \delta_0$; the generator is
# one point too, $p_\theta = \delta_\theta$; the discriminator is linear, $D_\psi(x) = \psi x$.
# With $f(t) = -\log(1 + e^{-t})$ the game is
#
# $$L(\theta, \psi) = f(\psi\theta) + f(0),$$
#
# the two-point case of Mescheder et al.'s $L = \mathbb{E}\, f\bigl(D_\psi(\text{fake})\bigr)
# + \mathbb{E}\, f\bigl(-D_\psi(\text{real})\bigr)$: the fake $\theta$ gives $f(\psi\theta)$, the
# real point 0 gives $f(-\psi \cdot 0) = f(0)$. Mind the sign convention: since
# $f(t) = \log\sigma(t)$, the fake term is $\log\sigma(D_\psi(\theta))$, so $D_\psi(x)$ is a logit
# for **"fake"** — $\sigma(\psi x)$ is the probability D gives to $x$ being fake, the reverse of
# Goodfellow's $D$ (lessons 2–5), and $\psi > 0$ means "points right of 0 look fake".
#
# D ascends $L$ in $\psi$, G descends it in $\theta$, and the only equilibrium is
# $\theta = \psi = 0$: G sits on the data and D cannot tell anything apart. The two gradient
# steps together form a vector field $v = (v_\theta, v_\psi)$ on the plane of $(\theta, \psi)$,
# with $f'(t) = \sigma(-t)$:
#
# $$v_\theta = -\psi\, f'(\psi\theta), \qquad v_\psi = \theta\, f'(\psi\theta).$$
#
# Everything below calls `minigan.theory.dirac`, where this field and its variants live.

# %%
import os

import numpy as np

from minigan.pictures.plots import figure
from minigan.theory import dirac

# analytic: about a second, so MINIGAN_FAST (the suite's smoke run) changes nothing here
OUT = os.environ.get("MINIGAN_OUT", "lesson_figures")
os.makedirs(OUT, exist_ok=True)

# %% [markdown]
# ## 1. Linearise at the equilibrium: a rotation
#
# Near $(0, 0)$, $f'(\psi\theta) \approx f'(0) = \tfrac12$, so $v \approx \tfrac12(-\psi, \theta)$.
# Its Jacobian is $J = \begin{pmatrix} 0 & -\frac12 \\ \frac12 & 0 \end{pmatrix}$, with
# eigenvalues $\pm i/2$. We compute $J$ by central differences of the field and compare.

# %%
def c(z):
    """A complex number as text; + 0.0 turns −0 into 0."""
    return f"{z.real + 0.0:.4f} {'+' if z.imag >= 0 else '−'} {abs(z.imag):.4f}i"


J = dirac.numerical_jacobian("GAN")                      # ∂v_i/∂x_j at (0, 0), x = (θ, ψ)
print("Jacobian of the GAN field at the equilibrium:\n", J.round(12) + 0.0)
print("eigenvalues, numerical:      ", ", ".join(c(z) for z in dirac.eigen_numeric("GAN")))
print("eigenvalues, formula ±i·f′(0):", ", ".join(c(z) for z in dirac.eigen_formula(0.5)))

# %% [markdown]
# **What $\pm i/2$ says, in words.** Real parts are the pull towards (negative) or away from
# (positive) the equilibrium; imaginary parts are rotation. Here the real parts are zero: the
# game neither attracts nor repels, it **turns around its equilibrium** at angular speed ½.
# The reason is visible in $v \approx \tfrac12(-\psi, \theta)$: the velocity is always at right
# angles to the position. Follow it from the start $(1, 1)$ — anticlockwise in the picture
# below. G is right of the data ($\theta > 0$), so D, ascending $L$, raises $\psi$
# ($v_\psi = \theta f' > 0$): it learns to call the right side **fake**. G, descending $L$, moves
# to where D's fake score is lower: left ($v_\theta = -\psi f' < 0$ while $\psi > 0$). It keeps
# going left as long as $\psi > 0$, and $\psi$ only starts to fall once G is left of the data
# ($v_\psi < 0$ for $\theta < 0$): so G overshoots. D then lowers $\psi$ below 0 — now the left
# side looks fake — which pushes G right, back past the data; and so on.
# Each player's best move changes the other's target, and neither move points home.
#
# In continuous time the distance $\sqrt{\theta^2 + \psi^2}$ is exactly conserved (its time
# derivative is $2\theta\psi(f' - f') = 0$). What a computer does with that orbit depends on how
# the steps are taken:
#
# - **simultaneous** steps, $x_{t+1} = x_t + h\,v(x_t)$: near 0 this multiplies $x$ by
#   $I + hJ$, whose eigenvalues $1 \pm ih/2$ have modulus $\sqrt{1 + h^2/4} > 1$ — every step
#   lands a little outside the circle it started on: **the orbit spirals out**;
# - **alternating** steps, G first and then D with G's new $\theta$:
#   $\theta' = \theta + h\,v_\theta(\theta, \psi)$, then $\psi' = \psi + h\,v_\psi(\theta', \psi)$
#   (Algorithm 1 with $k = 1$ moves D first: the same alternation, started half a step later).
#   Near 0 the step is two shears, $\psi' = \psi + \tfrac h2\theta'$ after
#   $\theta' = \theta - \tfrac h2\psi$, each of determinant 1; so the **linearised** step map
#   $\begin{pmatrix} 1 & -h/2 \\ h/2 & 1 - h^2/4 \end{pmatrix}$ has determinant exactly 1 — it
#   preserves area — and trace $2 - h^2/4 \in (-2, 2)$, which puts both eigenvalues on the unit
#   circle: near the equilibrium **the orbit circles**, on a closed ellipse, forever. Farther
#   out the determinant is no longer exactly 1 ($f'$ changes along the step): along the run
#   from $(1, 1)$ it swings between about 0.95 and 1.05 (printed below). Over each turn the
#   swings nearly cancel, so this orbit too circles for the 2,000 steps drawn; only over
#   millions of steps does it creep outwards;
# - **R1** (a zero-centred gradient penalty on real data, $\tfrac{\gamma}{2}\psi^2$ here) adds
#   $-\gamma\psi$ to $v_\psi$. The eigenvalues become $-\gamma/2 \pm \sqrt{\gamma^2/4 - 1/4}$,
#   with a negative real part: friction. **The orbit converges.**

# %%
H, N = dirac.H, dirac.N_STEPS                   # step size 0.1, 2000 steps, from (θ, ψ) = (1, 1)
GAMMA = dirac.GAMMA                            # R1 weight γ = 0.3
runs = {
    "GAN, simultaneous steps": dirac.trajectory("GAN", "sim"),
    "GAN, alternating steps": dirac.trajectory("GAN", "alt"),
    f"GAN + R1 (γ = {GAMMA:g}), simultaneous": dirac.trajectory("R1", "sim", gamma=GAMMA),
}
d0 = float(np.hypot(*dirac.START))
for name, path in runs.items():
    d = dirac.distance(path)
    print(f"{name:36s} distance to (0, 0): start {d[0]:.3f}, after {N} steps {d[-1]:.3g} "
          f"(range on the way {d.min():.3g} … {d.max():.3g})")
num = ", ".join(c(z) for z in dirac.eigen_numeric("R1", gamma=GAMMA))
ref = ", ".join(c(z) for z in dirac.eigen_formula(0.5, GAMMA))
print(f"R1 eigenvalues, numerical: {num};  formula −γ/2 ± √(γ²/4 − 1/4): {ref}")


def step_det(x, mode, eps=1e-6):
    """det ∂x'/∂x of one (nonlinear) step x → x' of the GAN field, by central differences."""
    J = np.zeros((2, 2))
    for j in range(2):
        e = np.zeros(2)
        e[j] = eps
        J[:, j] = (dirac.trajectory("GAN", mode, start=x + e, n=1)[1]
                   - dirac.trajectory("GAN", mode, start=x - e, n=1)[1]) / (2 * eps)
    return np.linalg.det(J)


shear_g, shear_d = np.array([[1, -H / 2], [0, 1]]), np.array([[1, 0], [H / 2, 1]])
M_alt, M_sim = shear_d @ shear_g, np.eye(2) + H * J     # linearised step maps at (0, 0)
print(f"linearised step maps: alternating det {np.linalg.det(M_alt):.6f}, |eigenvalues| "
      f"{np.abs(np.linalg.eigvals(M_alt)).round(6).tolist()};  simultaneous det "
      f"{np.linalg.det(M_sim):.6f} = 1 + h²/4")
dets = [step_det(x, "alt") for x in runs["GAN, alternating steps"]]
print(f"nonlinear alternating step: det {step_det(np.array([1e-4, 0.0]), 'alt'):.6f} near (0, 0); "
      f"between {min(dets):.3f} and {max(dets):.3f} along the run from (1, 1)")

# %% [markdown]
# ## 2. The picture
#
# **How to read it.** Left and middle: the plane of the two players' parameters, $\theta$
# (where G puts its point) across and $\psi$ (D's slope) up — in the upper half D scores points
# right of the data as fake, in the lower half points left of it. Grey stream lines are the
# vector field $v$ — the direction both players' gradients move $(\theta, \psi)$ together, here
# anticlockwise; the star is the equilibrium; each coloured line is one training run from the
# black dot. Right: the
# distance to the equilibrium over the steps (log scale), with the start distance as the
# reference: above it is "diverging", on it is "circling", falling to 0 is "converging".

# %%
COLORS = {"GAN, simultaneous steps": "tab:red", "GAN, alternating steps": "tab:blue",
          f"GAN + R1 (γ = {GAMMA:g}), simultaneous": "tab:green"}
fig = figure(16, 5.4)
ax_gan, ax_r1, ax_d = fig.subplots(1, 3)
lim = 3.2
g = np.linspace(-lim, lim, 41)
TH, PS = np.meshgrid(g, g)
for ax, method, title in ((ax_gan, "GAN", "GAN: the field turns around (0, 0)\n"
                           "simultaneous steps spiral out, alternating ones circle"),
                          (ax_r1, "R1", f"GAN + R1 (γ = {GAMMA:g}): friction\n"
                           "the field spirals in, and so does training")):
    vt, vp = dirac.field(method, TH, PS, gamma=GAMMA)
    ax.streamplot(g, g, vt, vp, color="0.75", density=0.9, linewidth=0.7, arrowsize=0.8)
    for name, path in runs.items():
        if ("R1" in name) == (method == "R1"):
            ax.plot(path[:, 0], path[:, 1], color=COLORS[name], lw=1.3, label=name)
    ax.plot(*dirac.START, "ko", ms=5, label="start (θ, ψ) = (1, 1)")
    ax.plot(0, 0, "k*", ms=13, label="equilibrium: G on the data, D = ½ everywhere")
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.set_xlabel("θ: where G puts its sample (data at 0)")
    ax.set_ylabel("ψ: D's slope; D_ψ(x) = ψ·x is a 'fake' logit\n"
                  "(ψ > 0: D calls x > 0 fake, ψ < 0: x < 0)")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7, loc="lower left")
steps = np.arange(N + 1)
for name, path in runs.items():
    d = dirac.distance(path)
    ax_d.plot(steps, d, color=COLORS[name], lw=1.5, label=name)
    ax_d.annotate(f"{d[-1]:.3g}", (N, d[-1]), xytext=(4, 0), textcoords="offset points",
                  va="center", fontsize=8, color=COLORS[name])
ax_d.axhline(d0, color="k", ls=":", lw=1.2, label="start distance √2 (a circle stays here)")
ax_d.set_yscale("log")
ax_d.set_ylim(1e-14, 20)
ax_d.set_xlim(0, 1.12 * N)
ax_d.set_xlabel(f"step (step size h = {H:g})")
ax_d.set_ylabel("distance to equilibrium √(θ² + ψ²) (log scale)")
ax_d.set_title("out, round, in: the same game, three ways to step", fontsize=10)
ax_d.legend(fontsize=7, loc="lower left")
fig.suptitle("The Dirac-GAN: eigenvalues ±i/2 make the game rotate around its equilibrium; "
             "only a penalty (R1) makes it converge")
fig.savefig(os.path.join(OUT, "08_dirac_gan.png"))
fig

# %% [markdown]
# Two details in the picture are worth a second look. The red spiral grows fast at first and
# then slowly: far from 0, $f'(\psi\theta)$ is small when $\psi\theta$ is large, so the field
# weakens — but it never turns inwards. And the blue circle is not perfectly round: near the
# equilibrium, alternating steps conserve area, not distance, so the orbit is a slightly tilted
# ellipse that closes on itself. The run from $(1, 1)$ is already a little outside that linear
# regime, yet over the 2,000 steps drawn it still closes on itself: its distance swings in the
# range printed above and does not drift. (Run it 2,500 times longer, 5 million steps, and the
# nonlinear step's determinant, not exactly 1, shows: the orbit creeps out to a distance of
# about 2.9 — `python docs/results/dirac_long.py`, docs/results/dirac-long.json.)
#
# ## 3. Exercise
#
# In the linear regime (start very close to 0) each simultaneous step multiplies the distance by
# $|1 + h \cdot i/2| = \sqrt{1 + h^2/4}$.
#
# 1. With $h = 0.1$, after how many simultaneous steps has the distance doubled?
# 2. For which $\gamma$ does R1 stop the rotation altogether (both eigenvalues real)?
#
# Work it out on paper, then run the checking cell.
#
# <details><summary>Solution</summary>
#
# 1. $\left(1 + h^2/4\right)^{n/2} = 2$ gives $n = 2\ln 2 / \ln(1 + h^2/4)
#    = 2 \cdot 0.6931 / 0.0024969 \approx 555$ steps. (A rotation that "only" leaks
#    0.125 % per step doubles in a few hundred steps: training for long makes it worse.)
# 2. The eigenvalues $-\gamma/2 \pm \sqrt{\gamma^2/4 - 1/4}$ are real when
#    $\gamma^2/4 \ge 1/4$, i.e. $\gamma \ge 1$. For $\gamma < 1$ the game still turns, but
#    spirals in; at $\gamma = 1$ both eigenvalues are $-\tfrac12$ (critical damping).
#
# </details>

# %%
n_double = 2 * np.log(2) / np.log(1 + H**2 / 4)
small = dirac.trajectory("GAN", "sim", start=(1e-3, 0.0), n=round(n_double))
ratio = dirac.distance(small)[-1] / 1e-3
print(f"1. predicted {n_double:.1f} steps; after {round(n_double)} steps from 1e-3 the distance "
      f"grew {ratio:.4f}×")
assert abs(ratio - 2) < 1e-2, ratio
for gamma in (0.9, 1.0, 1.1):
    lam = dirac.eigen_numeric("R1", gamma=gamma)
    print(f"2. γ = {gamma}: eigenvalues {c(lam[0])}, {c(lam[1])}   "
          f"rotating: {abs(lam[0].imag) > 1e-6}")
assert abs(dirac.eigen_numeric("R1", gamma=0.9)[0].imag) > 0.1
assert max(abs(z.imag) for z in dirac.eigen_numeric("R1", gamma=1.1)) < 1e-6
print("both answers check out")

# %% [markdown]
# ## What you should now be able to say
#
# At its equilibrium the GAN game's Jacobian has eigenvalues $\pm i/2$: the dynamics rotate
# around the equilibrium instead of descending into it, so simultaneous gradient steps spiral
# outwards, alternating steps circle (near the equilibrium their linearised step map has
# determinant exactly 1), and it takes something like a zero-centred
# penalty (R1), which adds a negative real part, to make training actually converge.
