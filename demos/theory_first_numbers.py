r"""The theory lab's first numbers, by hand: C(G) two ways, and the Dirac-GAN's eigenvalues.

    python demos/theory_first_numbers.py

Expected (docs/references.md §1 and §6): both sides of C(G) = −log 4 + 2·JSD give −1.1299444150 for
p_data = N(0, 1), p_g = N(1, 2²); the Dirac-GAN Jacobian has eigenvalues ±0.5i without a
penalty and −γ/2 ± √(γ²/4 − 1/4) with R1. ``minigan theory`` runs every check and draws them.
"""
import numpy as np

from minigan.data import Gaussian1D
from minigan.theory import dirac, optimal_d

# 1) Goodfellow et al. 2014, Theorem 1: the value of the game at the optimal D
p, q, w = optimal_d.densities(Gaussian1D(0, 1), Gaussian1D(1, 2))      # on a grid, normalised
d_star = optimal_d.optimal_d(p, q)                                      # p / (p + q)
print(f"D*(0) = {d_star[np.argmin(np.abs(optimal_d.GRID))]:.6f}")
print(f"V(D*, G) by quadrature  = {optimal_d.value_at_optimum(p, q, w):.10f}")
print(f"−log 4 + 2·JSD(p ‖ q)   = {optimal_d.c_from_jsd(p, q):.10f}")
print(f"recorded value (ours)  = {optimal_d.REFERENCE_C:.10f}")

# 2) Mescheder et al. 2018: the Jacobian of the Dirac-GAN vector field at the equilibrium
def c(z):
    return f"{z.real + 0.0:.6f}{z.imag + 0.0:+.6f}i"       # + 0.0 turns −0 into 0


for method, gamma in (("GAN", 0.0), ("R1", 0.3), ("R1", 2.0)):
    num = dirac.eigen_numeric(method, gamma=gamma)           # finite differences of v
    ref = dirac.eigen_formula(0.5, gamma)                    # −γ/2 ± √(γ²/4 − f′(0)²)
    print(f"{method:3s} γ = {gamma:3.1f}: numerical {c(num[0])}, {c(num[1])}"
          f"   formula {c(ref[0])}, {c(ref[1])}")
