r"""Finite-difference gradient checks (CS231n's ``gradient_check.py``, autograd's projection test).

Central differences have error O(h²): in float64 with h = 1e-5 a correct analytic gradient
agrees to a relative error of ~1e-9 or less; a wrong one is off by ~1e-2 or more.

    num = numeric_grad(lambda: f(x), x)      # perturbs x in place, restores it
    rel_error(num, analytic)                  # expect < 1e-7
"""
import numpy as np


def rel_error(a, b):
    r"""‖a − b‖ / max(1e-8, ‖a‖ + ‖b‖): relative error of the whole array, with a 1e-8 floor.

    Norm-wise rather than entry by entry: an entry that happens to be ~1e-6 carries the same
    absolute round-off (~1e-11) as the others, which entry-wise would read as a large relative
    error. A wrong formula moves the norm by far more than round-off does.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(np.linalg.norm(a - b) / max(1e-8, np.linalg.norm(a) + np.linalg.norm(b)))


def numeric_grad(f, x, h=1e-5):
    r"""∂f/∂x_i ≈ (f(x + h·e_i) − f(x − h·e_i)) / 2h for a scalar function f() of the array x.

    x is perturbed in place, one entry at a time, and restored; f reads x (e.g. a live
    parameter array of a network). Returns an array shaped like x.
    """
    grad = np.zeros(x.shape, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = x[i]
        x[i] = old + h
        fp = float(f())
        x[i] = old - h
        fm = float(f())
        x[i] = old
        grad[i] = (fp - fm) / (2 * h)
    return grad


def grad_close(analytic, numeric, value, tol=1e-7, h=1e-5):
    r"""rel_error < tol — or, for a gradient so small that the central difference's own round-off
    dominates it, an absolute error within 10× that round-off.

    Each entry of (f(x + h) − f(x − h))/2h carries ~ulp(f)/h ≈ 2e-16·|f|/h of error: with
    h = 1e-5 a true gradient of 1e-6 under a value f ≈ 10 is only known to ~1e-4 relative. A
    wrong formula misses by far more than that floor. value: f at x (its size sets the floor).
    """
    floor = 2e-15 / h * max(1.0, abs(value)) * np.sqrt(np.size(analytic))
    return rel_error(analytic, numeric) < tol or float(np.linalg.norm(
        np.asarray(analytic, np.float64) - numeric)) < floor


def numeric_grad_array(f, x, dout, h=1e-5):
    r"""Numeric VJP of an array-valued f(): ∂⟨dout, f⟩/∂x (a random dout checks the whole Jacobian)."""
    return numeric_grad(lambda: np.sum(f() * dout), x, h)


def projection_check(f, vjp, x, rng, h=1e-5):
    r"""Whole-function check by random projection (HIPS/autograd ``check_vjp``).

    For random u (output-shaped) and v (input-shaped):
        analytic = ⟨v, Jᵀu⟩ = ⟨v, vjp(u)⟩,
        numeric  = (⟨u, f(x + h·v)⟩ − ⟨u, f(x − h·v)⟩) / 2h.
    f(x) -> array, vjp(u) -> array shaped like x. Returns (analytic, numeric, rel_error).
    """
    y = f(x)
    u = rng.standard_normal(np.shape(y))
    v = rng.standard_normal(np.shape(x))
    analytic = float(np.sum(v * vjp(u)))
    numeric = float((np.sum(u * f(x + h * v)) - np.sum(u * f(x - h * v))) / (2 * h))
    return analytic, numeric, rel_error(analytic, numeric)
