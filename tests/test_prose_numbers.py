"""Numbers quoted in prose come from their results files: each tie below reads the file that holds
the measurement and the page that quotes it, and fails when they disagree (so a study rerun that
moves a number also moves the sentence, or the suite says which sentence to fix).

A number with no results file is written in the text as a dated or versioned measurement
("measured 2026-12-07", "minigan 0.2.0"). Docstrings of package code and CHANGELOG.md are
history, not claims.

What a lesson prints is kept by docs/results/lessons.py in docs/results/lessons/ (full and fast
mode) and its time in docs/results/lessons.csv; the ties below read those. `python
tests/test_prose_numbers.py` runs every tie and prints how many numbers each page has tied.
"""
import ast
import csv
import hashlib
import json
import math
import re
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]


def prose(path):
    """The page's text with markdown emphasis dropped and white space folded to single spaces."""
    return re.sub(r"\s+", " ", (ROOT / path).read_text(encoding="utf-8").replace("**", ""))


def rows(path):
    with open(ROOT / path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


TIED = {}                  # page -> the phrases tied so far in this process (for the count)


def quoted(path, *phrases, text=None):
    """Each phrase (white space folded) occurs in the page; text: the page's prose if not a file."""
    text = prose(path) if text is None else text
    phrases = [re.sub(r"\s+", " ", p) for p in phrases]
    missing = [p for p in phrases if p not in text]
    assert not missing, f"{path} no longer says what its results file says: {missing}"
    TIED.setdefault(str(path), set()).update(phrases)


# --- the capacity study (docs/capacity/capacity-cells.csv) ---------------------------------------

def capacity_ranges():
    cells = [(int(r["hidden_d"]), int(r["hidden_g"]), float(r["modes_captured_mean"]))
             for r in rows("docs/capacity/capacity-cells.csv")]
    span = lambda ms: f"{min(ms):.1f}–{max(ms):.1f}"
    d_wider = span([m for d, g, m in cells if d > g])
    g_wider = span([m for d, g, m in cells if g > d])
    equal = [m for d, g, m in sorted(cells) if d == g]
    return d_wider, g_wider, span(equal), ", ".join(f"{m:.1f}" for m in equal)


def test_capacity_verdict():
    d_wider, g_wider, equal, each = capacity_ranges()
    quoted("docs/capacity/README.md",
           f"{d_wider} of 8 modes, against {g_wider} where G is wider and {equal} where the "
           f"widths match (16, 64, 256: {each}")
    quoted("README.md", f"({d_wider} of 8 modes where D is wider, {g_wider} where G is, {equal} "
                        f"at equal widths)")


# --- the mode-collapse study (docs/study/summary.csv, summary.md, the mode traces) ----------------

def study(data, loss):
    r = next(r for r in rows("docs/study/summary.csv") if r["data"] == data and r["loss"] == loss)
    return float(r["modes_captured_mean"]), 100 * float(r["high_quality_frac_mean"])


def test_study_table_is_the_summary():
    summary = [line for line in (ROOT / "docs/study/summary.md").read_text().splitlines()
               if line.startswith("| ring8") or line.startswith("| grid25")]
    assert len(summary) == 8
    quoted("docs/study/README.md", *summary)


def test_study_prose():
    (_, gan_r), (_, ns_r), (_, gp_r) = study("ring8", "gan"), study("ring8", "nsgan"), study("ring8", "wgan-gp")
    (ns_m, ns_g), (gan_m, gan_g), (_, gp_g) = study("grid25", "nsgan"), study("grid25", "gan"), study("grid25", "wgan-gp")
    quoted("docs/study/README.md",
           f"(nsgan: {ns_g:.1f} % HQ, {ns_m:.1f} modes; gan: {gan_g:.1f} %, {gan_m:.1f})",
           f"WGAN-GP is precise on ring8 ({gp_r:.1f} %, with gan's {gan_r:.1f} % and nsgan's "
           f"{ns_r:.1f} %) but reaches only {gp_g:.1f} % on grid25")


def test_study_mode_trace():
    a = np.array([[float(v) for v in r.values()] for r in rows("docs/study/mode_trace_ring8_gan_seed4.csv")])
    late = a[a[:, 0] >= 300]
    captured = (late[:, 2:] > 0).sum(axis=1)
    low = int(captured.min())
    quoted("docs/study/README.md",
           f"between {low} and {int(captured.max())} after the first few hundred steps; {low} at step "
           f"{int(late[captured.argmin(), 0]):,}")


# --- the remedies study (docs/remedies/STAGE.csv) --------------------------------------------------

def test_remedies_headline():
    r = next(r for r in rows("docs/remedies/confirm.csv") if r["remedy"] == "wgan-gp-x4")
    hq, se = 100 * float(r["high_quality_frac"]), 100 * float(r["high_quality_frac_se"])
    modes, total = float(r["modes_captured"]), int(r["modes_total"])
    quoted("docs/remedies/README.md", f"wgan-gp-x4: {modes:.1f} / {total}, {hq:.1f} ± {se:.1f} %",
           f"needs with WGAN-GP: {hq:.1f} ± {se:.1f} % on the held-out seeds")


# --- threads from Python (docs/perf/threads_api.json) ----------------------------------------------

def test_threads_from_python():
    m = json.loads((ROOT / "docs/perf/threads_api.json").read_text())
    span = lambda v: f"{min(v):.1f}–{max(v):.1f} s"
    quoted("docs/api.md",
           f"NumPy's default two threads took {span(m['seconds']['default'])} (median "
           f"{m['median']['default']:.1f} s)",
           f"{span(m['seconds']['set_threads'])} (median {m['median']['set_threads']:.1f} s)",
           f"for {m['steps']:,} steps")


@pytest.mark.parametrize("path", ["README.md", "docs/api.md", "docs/results/README.md",
                                  "docs/study/README.md", "docs/capacity/README.md",
                                  "docs/remedies/README.md"])
def test_dated_measurements_say_when(path):
    """A number measured once, without a results file, says when (or with which version)."""
    for sentence in re.split(r"(?<=[.!?:])\s+(?=[A-Z*`(])", prose(path)):
        if "measured" in sentence and re.search(r"\d+(\.\d+)? ?(s|%)\b", sentence):
            assert re.search(r"20\d\d-\d\d-\d\d|minigan \d+\.\d+|docs/\S+\.(json|csv)", sentence) or \
                "below" in sentence or "over seeds" in sentence, sentence


# --- performance (docs/perf/compare_0.3_native*.md, written by docs/perf/compare.py) --------------

def perf_rows(path):
    """{(loss, hidden, dtype): (ratio vs torch, ratio vs jax)} of a compare.py table."""
    out = {}
    for line in (ROOT / path).read_text().splitlines():
        cells = [c.strip().strip("*") for c in line.strip("|").split("|")]
        if len(cells) > 8 and cells[1].isdigit():
            out[(cells[0], int(cells[1]), cells[2])] = (cells[5], cells[8])
    return out


@pytest.mark.parametrize("loss, hidden, threads", [("gan", 128, 1), ("gan", 512, 1),
                                                   ("wgan-gp", 128, 1), ("gan", 128, 2)])
def test_performance_table(loss, hidden, threads):
    table = perf_rows("docs/perf/compare_0.3_native.md" if threads == 1 else
                      "docs/perf/compare_0.3_native_2threads.md")
    (t32, j32), (t64, j64) = table[(loss, hidden, "float32")], table[(loss, hidden, "float64")]
    quoted("docs/results/README.md",
           f"| {loss}, H = {hidden} | {threads} | {t32} / {t64} | {j32} / {j64} |")


def test_readme_performance_summary():
    """The README's one sentence: the span of every one-thread ratio, against each peer."""
    ratios = perf_rows("docs/perf/compare_0.3_native.md").values()
    span = lambda v: f"{min(v):.2f}–{max(v):.2f}×"
    torch, jax = span([float(t[:-1]) for t, _ in ratios]), span([float(j[:-1]) for _, j in ratios])
    assert len(ratios) == 8                 # gan and wgan-gp, H = 128 and 512, float32 and float64
    quoted("README.md", f"on one thread its training step runs at {torch} the speed of PyTorch's "
                        f"and {jax} that of a JAX peer compiled whole under jax.jit")


def test_threads_measurement():
    """No results file (docs/results/README.md says when it was measured); the numbers agree with
    each other and with the README's "58 s"."""
    text = prose("docs/results/README.md")
    q1, q2, busy, ratio, forced = map(float, re.search(
        r"took (\S+) and (\S+) s quiet .* and (\S+) s beside one busy-looping process "
        r"\((\S+)× its quiet time\); with two threads forced beside the same process it took "
        r"(\S+) s \(measured 2026-12-02 with minigan 0\.3\.0", text).groups())
    assert f"{busy / ((q1 + q2) / 2):.2f}" == f"{ratio:.2f}" and forced > busy
    quoted("README.md", f"in about a minute ({(q1 + q2) / 2:.0f} s, measured with minigan 0.3.0")


# --- the default run over seeds (docs/results/default-runs.csv, docs/results/default_runs.py) ----

def test_default_run_table():
    runs = rows("docs/results/default-runs.csv")
    hq = np.array([float(r["high_quality_pct"]) for r in runs])
    modes = " | ".join((f"**{r['modes_captured']}/{r['modes_total']}**"
                        if r["modes_captured"] != r["modes_total"] else
                        f"{r['modes_captured']}/{r['modes_total']}") for r in runs)
    text = (ROOT / "docs/results/README.md").read_text()
    assert f"| modes captured | {modes} |" in text
    quoted("docs/results/README.md", "| modes captured | " + modes.replace("**", "") + " |",
           "| high-quality samples | " + " | ".join(f"{v:.1f} %" for v in hq) + " |",
           f"Mean {hq.mean():.1f} ± {hq.std(ddof=1) / np.sqrt(len(hq)):.1f} % high quality",
           "); seed " + ", ".join(r["seed"] for r in runs if r["modes_captured"] != r["modes_total"])
           + " drops a mode")


def test_readme_default_run_sentence():
    runs = rows("docs/results/default-runs.csv")
    hq = np.array([float(r["high_quality_pct"]) for r in runs])
    dropped = [r for r in runs if r["modes_captured"] != r["modes_total"]]
    lost = int(dropped[0]["modes_total"]) - int(dropped[0]["modes_captured"])
    assert len(dropped) == 1 and lost == 1, "the sentence speaks of one seed dropping one mode"
    quoted("README.md",
           f"Over seeds {runs[0]['seed']}–{runs[-1]['seed']} (`minigan train --seed S`) the default "
           f"run keeps all {runs[0]['modes_total']} modes on {len(runs) - 1} seeds (seed "
           f"{dropped[0]['seed']} drops one",
           f"and {hq.mean():.1f} ± {hq.std(ddof=1) / np.sqrt(len(hq)):.1f} % of its samples are "
           f"of high quality",
           f"on seed 0's final state the {hq[0]:.1f} % high-quality fakes",
           f"while the {100 - hq[0]:.1f} % that lie between the modes")


# --- the theory lab (docs/theory/checks.txt, written by `minigan theory --out docs/theory`) -------

def checks():
    """{check name: (left, right, notes)} of checks.txt's table."""
    lines = (ROOT / "docs/theory/checks.txt").read_text(encoding="utf-8").splitlines()
    head = next(line for line in lines if line.startswith("claim "))
    at = [head.index(w) for w in ("check", "left", "right", "|diff|", "notes")]
    out = {}
    for line in lines[lines.index(head) + 2:]:
        if line[:1].isdigit():
            get = lambda a, b: line[at[a]:at[b]].strip() if b is not None else line[at[a]:].strip()
            out[get(0, 1)] = (get(1, 2), get(2, 3), line[head.index("spread"):].strip())
    return out


def test_theory_quadrature_and_time():
    lines = (ROOT / "docs/theory/checks.txt").read_text(encoding="utf-8").splitlines()
    head = next(line for line in lines if line.startswith("claim "))
    cut = lambda line, a, b: line[head.index(a):head.index(b)].strip()
    diff = {cut(line, "check", "left"): (cut(line, "left", "right"), cut(line, "right", "|diff|"),
                                         cut(line, "|diff|", "tol"))
            for line in lines if line[:1].isdigit()}
    both, right, _ = diff["V(D*,G) = −log4 + 2·JSD, N(0,1) vs N(1,2²)"]
    gauss = next(k for k in diff if "Gaussians N(0,1) vs N(μ,σ²)" in k)
    mix = next(k for k in diff if k.endswith("mixtures"))
    mad, _, worst_seed = diff["learned: max|D̂ − D*| where p+q has mass"]
    seconds = float(re.search(r"checks passed \((\S+) s\)", lines[-1])[1])
    prior = re.search(r"E\|D\*_½ − D\*_π\| = (\S+) \(least over seeds\)", "\n".join(lines))[1]
    assert both == right and 40 <= seconds <= 90, "the page says the full run takes about a minute"
    quoted("docs/theory.md", f"both {both.replace('-', '−')} (our quadrature",
           f"worst of {gauss.split()[5]} Gaussian pairs {diff[gauss][2]}, {mix.split()[5]} mixtures "
           f"{diff[mix][2]};",
           f"where the densities have mass {float(mad):.3f} (worst seed {float(worst_seed):.3f})",
           f"ignoring the prior would cost at least {prior};", "the full run about a minute")


def e(v, digits):
    """1 significant figure in e-notation as the page writes it: 7e-6, 2.2e-5."""
    return f"{float(v):.{digits}e}".replace("e-0", "e-").replace("e+0", "e+")


def test_theory_table():
    c = checks()
    v, cg, notes = c["learned: V(D̂,G) → C(G) after 2000 D steps"]
    gap, _, gap_notes = c["learned: gap C − V(D̂) closes, step 2000 / step 200"]
    before, after = re.search(r"C − V = (\S+) → (\S+) \(mean\)", gap_notes).groups()
    sd = re.search(r"sd (\S+);", notes)[1]
    eg, ed = c["π=0.8: Bayes P̂(real|x) (generative) vs D*_π = πp/(πp+(1−π)q)"][0], \
        c["π=0.8: D̂ maximising pooled BCE = −V_π vs D*_π"][0]
    ag, bayes, _ = c["gauss2: generative accuracy = Bayes accuracy"]
    ad = c["gauss2: discriminative accuracy = Bayes accuracy"][0]
    moons = c["moons: acc(discriminative) − acc(generative)"][0]
    djsd, _, djsd_notes = c["Gaussians: ∂JSD/∂θ ≈ 0 at θ = 1"]
    w1 = c["lines: W1(P_0, P_θ) = |θ| at θ = 0.5"][0]
    dg = c["D near-perfect: mean D(G(z)) after 10000 D steps"][0]
    sat, _, sat_notes = c["saturating: ‖∇G‖ after 10000 / after 1 D step → 0"]
    ns, _, ns_notes = c["non-saturating: ‖∇G‖ after 10000 / after 1 (no vanishing)"]
    wg = c["WGAN (clip 0.01): ‖∇G‖ after 10000 / after 1 (no vanishing)"][0]
    sim, alt = c["GAN simultaneous: spirals out, d_2000 ≥ d_0"][0], c["GAN alternating: circles, d_2000 = d_0 ± 5%"][0]
    r1 = c["R1 γ=0.3 simultaneous: converges"][0]
    g0, g1 = re.search(r"‖∇G‖ (\S+) → (\S+)", sat_notes).groups()
    at_sigma = float(re.search(r"θ = σ: (\S+)", djsd_notes)[1])
    ns_sd = float(re.search(r"sd (\S+);", ns_notes)[1])
    quoted("docs/theory.md",
           f"V(D̂, G) = {float(v):.4f} (sd {e(sd, 1)}) vs C(G) = {float(cg):.4f}".replace("-1", "−1"),
           f"{before} after 200 steps → {after} after 2,000 (ratio {float(gap):.3f}",
           f"mean \\|error\\| {float(eg):.4f} (generative) and {float(ed):.4f} (discriminative)",
           f"accuracies {float(ag):.4f} (generative) and {float(ad):.4f} (discriminative) vs the "
           f"Bayes {float(bayes):.4f}",
           f"the discriminative one is {float(moons):.3f} more accurate",
           f"({e(djsd, 1)} at θ = 1, against {at_sigma:.2f} at θ = σ)",
           f"({float(w1):.3f} vs 0.5;",
           f"D(G(z)) → {e(dg, 0)}",
           f"falls to {100 * float(sat):.1f} % of its start ({g0} → {float(g1):.3f})",
           f"grows {float(ns):.0f}× (sd {ns_sd:.0f})",
           f"WGAN's (clip 0.01) grows {float(wg):.0f}×",
           f"(1.41 → {float(sim):.2f} in 2,000 steps), alternating ones circle ({float(alt):.3f}), "
           f"R1 converges ({e(r1, 0)})")


# --- helpers for the ties below ---------------------------------------------------------------------

WORDS = "zero one two three four five six seven eight nine ten".split()
PERFECT_2D = 100 * (1 - math.exp(-4.5))      # % HQ of a perfect sampler in 2-D: P(‖ε‖ ≤ 3σ)
PERFECT_1D = 100 * math.erf(3 / math.sqrt(2))  # and in 1-D: P(|ε| ≤ 3σ)


def span(values, fmt=".1f", sep="–"):
    return f"{min(values):{fmt}}{sep}{max(values):{fmt}}"


def md_rows(path):
    """The data rows of every markdown table of a generated page (header and rule lines left out)."""
    lines = (ROOT / path).read_text(encoding="utf-8").splitlines() + [""]
    return [line for line, after in zip(lines, lines[1:]) if line.startswith("| ")
            and not after.startswith("|---")]


# --- the mode-collapse study, beyond the table (docs/study/runs.csv, summary.csv, the traces) -------

STUDY = "docs/study/README.md"


def study_runs(data, loss, key=None):
    rs = sorted((r for r in rows("docs/study/runs.csv") if r["data"] == data and r["loss"] == loss),
                key=lambda r: int(r["seed"]))
    return rs if key is None else [float(r[key]) for r in rs]


def summary(data, loss, key):
    return float(next(r for r in rows("docs/study/summary.csv")
                      if r["data"] == data and r["loss"] == loss)[key])


def test_study_runs_and_version():
    runs = rows("docs/study/runs.csv")
    version = re.search(r"\(minigan (\S+), NumPy", (ROOT / "docs/study/summary.md").read_text())[1]
    quoted(STUDY, f"It trains {len(runs)} runs",
           f"({sum(float(r['seconds']) for r in runs):,.0f} s of training in all)",
           f"Measured with minigan {version}:", f"Our measurements (minigan {version})",
           f"{PERFECT_2D:.1f} % HQ (in 2D")


def test_study_beside_the_papers():
    quoted(STUDY, *[f"| minigan {loss} | "
                    + " | ".join(f"{summary(d, loss, 'modes_captured_mean'):.1f} / "
                                 f"{100 * summary(d, loss, 'high_quality_frac_mean'):.1f}"
                                 for d in ("ring8", "grid25")) + " | this study"
                    for loss in ("gan", "nsgan", "wgan", "wgan-gp")])


def test_study_verdicts():
    hq = lambda d, loss: [100 * v for v in study_runs(d, loss, "high_quality_frac")]
    modes = lambda d, loss: [int(v) for v in study_runs(d, loss, "modes_captured")]
    ns, gan = modes("ring8", "nsgan"), modes("ring8", "gan")
    count = lambda ms, k: WORDS[ms.count(k)]
    worst = min(range(len(gan)), key=gan.__getitem__)
    kl = lambda d, loss: summary(d, loss, "mode_kl_mean")
    gans_kl = [kl(d, loss) for d in ("ring8", "grid25") for loss in ("gan", "nsgan")]
    wgan_hq = [100 * summary(d, "wgan", "high_quality_frac_mean") for d in ("ring8", "grid25")]
    quoted(STUDY,
           f"ends anywhere between {span(hq('ring8', 'gan'), '.0f', ' % and ')} % HQ",
           f"nsgan's final HQ on ring8 lies between {span(hq('ring8', 'nsgan'), '.1f', ' % and ')} % "
           f"on all five seeds",
           f"nsgan keeps 8/8 on {count(ns, 8)} seeds, 7/8 on {count(ns, 7)} and 6/8 on "
           f"{count(ns, 6)}; gan keeps 8/8 on {count(gan, 8)} seeds, while its seed {worst} loses "
           f"{WORDS[8 - gan[worst]]} modes for good and ends at {gan[worst]}/8",
           f"On grid25, gan keeps {span(modes('grid25', 'gan'), 'd')} of 25 modes and nsgan "
           f"{span(modes('grid25', 'nsgan'), 'd')}",
           f"`wgan` 8/8 on every seed and {span(modes('grid25', 'wgan'), 'd')} of 25, `wgan-gp` 8/8 "
           f"and 25/25 on every seed",
           f"(mode KL {kl('ring8', 'wgan-gp'):.3f} and {kl('grid25', 'wgan-gp'):.2f} against "
           f"{span(gans_kl, '.2f')} for the GANs)",
           f"{wgan_hq[0]:.0f} % and {wgan_hq[1]:.0f} % HQ")
    assert set(modes("ring8", "wgan")) == set(modes("ring8", "wgan-gp")) == {8}
    assert set(modes("grid25", "wgan-gp")) == {25}


def test_study_what_changed_and_goals():
    s = lambda d, loss, key="modes_captured_mean", f=1: f"{f * summary(d, loss, key):.1f}"
    hq = lambda d, loss: s(d, loss, "high_quality_frac_mean", 100)
    gp_ring = [100 * v for v in study_runs("ring8", "wgan-gp", "high_quality_frac")]
    ns_modes = study_runs("ring8", "nsgan", "modes_captured")
    quoted(STUDY, f"ring8 gan 7.0 → {s('ring8', 'gan')} modes and 69.2 → {hq('ring8', 'gan')} % HQ",
           f"ring8 nsgan 7.6 → {s('ring8', 'nsgan')} modes ({hq('ring8', 'nsgan')} % HQ both)",
           f"grid25 nsgan 12.2 → {s('grid25', 'nsgan')} modes",
           f"ring8 wgan 41.8 → {hq('ring8', 'wgan')} % HQ",
           f"wgan-gp 94.7 → {hq('ring8', 'wgan-gp')} % (ring8) and 64.6 → {hq('grid25', 'wgan-gp')} %",
           f"(8/8 on every seed, {span(gp_ring)} %)",
           f"HQ met (nsgan {hq('ring8', 'nsgan')} %), modes not ({s('ring8', 'nsgan')} of 8; 8/8 on "
           f"{WORDS[ns_modes.count(8)]} seeds of five)",
           f"WGAN-GP covers 25/25 but with {hq('grid25', 'wgan-gp')} % HQ; nsgan has the precision "
           f"({hq('grid25', 'nsgan')} %) but keeps {s('grid25', 'nsgan')} modes",
           f"to {summary('grid25', 'gan', 'modes_captured_mean'):.0f})")
    assert min(gp_ring) >= 90 > 100 * summary("grid25", "wgan-gp", "high_quality_frac_mean")


def trace(seed):
    return np.loadtxt(ROOT / f"docs/study/mode_trace_ring8_gan_seed{seed}.csv", delimiter=",",
                      skiprows=1)


def test_study_quality_crash_of_seed_3():
    a = trace(3)
    i = int(np.diff(a[:, 1]).argmin())                  # the steepest fall between two records
    late = a[a[:, 0] > a[-1, 0] - 10000, 1] < 0.5
    dips = int(late[0] + np.sum(late[1:] & ~late[:-1]))
    quoted(STUDY, f"seed 3 fell from {100 * a[i, 1]:.0f} % to {100 * a[i + 1, 1]:.0f} % HQ between "
                  f"steps {a[i, 0]:,.0f} and {a[i + 1, 0]:,.0f}, and its HQ dropped below 50 % "
                  f"{WORDS[dips]} times in the last 10,000 steps, each time recovering, to end at "
                  f"{100 * a[-1, 1]:.0f} %")


def test_study_mode_hopping_of_seed_4():
    a, run = trace(4), study_runs("ring8", "gan")[4]
    end = a[-1]
    assert (end[1], int(end[2:].astype(bool).sum())) == (float(run["high_quality_frac"]),
                                                         int(run["modes_captured"]))
    last = {m: int(a[a[:, 2 + m] > 0, 0].max()) for m in range(8) if end[2 + m] == 0}
    counts = {m: int(c) for m, c in enumerate(end[2:])}
    order = sorted((c, m) for m, c in counts.items() if c)[::-1]
    few = [m for c, m in order if c == order[-1][0]]
    captured = a[:, 2:] > 0
    first = a[a[:, 0] < 10000, 1]
    quoted(STUDY, f"({100 * end[1]:.1f} % HQ, {int(captured[-1].sum())}/8)",
           "For its first 10,000 steps its samples are smeared (HQ below 10 %",
           ", ".join(f"mode {m} is last captured at step {s:,}" if k == 0 else f"mode {m} at step {s:,}"
                      for k, (m, s) in enumerate(sorted(last.items()))),
           f"(HQ rises to about {100 * a[a[:, 0] >= 10000, 1].max():.0f} %)",
           "the final generator puts " + ", ".join(
               f"{c} of its 2,500 samples on mode {m}" if k == 0 else f"{c} on mode {m}"
               for k, (c, m) in enumerate(order[:-len(few)])) +
           f" and only {order[-1][0]} each on modes {few[1]} and {few[0]}; "
           f"{100 * (1 - end[1]):.0f} % lie between the modes",
           f"changes between {int(np.any(captured[1:] != captured[:-1], axis=1).sum())} of the "
           f"{len(a) - 1} consecutive records")
    assert first.max() < 0.10


# --- the capacity study, beyond the verdict (docs/capacity/*-cells.csv, *-runs.csv) ---------------

CAPACITY = "docs/capacity/README.md"


def cells(name):
    """{(row, col): row of docs/capacity/NAME-cells.csv as floats}, keyed by the two axes."""
    out = {}
    for r in rows(f"docs/capacity/{name}-cells.csv"):
        a, b = list(r)[:2]
        out[(float(r[a]), float(r[b]))] = {k: float(v) for k, v in r.items()}
    return out


def pm(r, key, digits=1):
    return f"{r[key + '_mean']:.{digits}f} ± {r[key + '_se']:.{digits}f}"


def test_capacity_tables():
    text = prose(CAPACITY)
    for (d, g), r in sorted(cells("capacity").items()):
        row = (f"| {d:.0f} | {g:.0f} | {pm(r, 'modes_captured')} | {pm(r, 'hq')} | "
               f"{pm(r, 'hq_spread')} | {pm(r, 'crashes')} | ")
        quoted(CAPACITY, row)
        verdict = text.split(row, 1)[1].split(" |", 1)[0]   # by the rules fixed before running:
        unstable = r["hq_spread_mean"] > 3 or r["crashes_mean"] >= 1
        collapsed = r["modes_captured_mean"] < 7
        assert ("unstable" in verdict) == unstable and ("collapsed" in verdict) == collapsed and \
            ("steady" in verdict) == (not unstable), (row, verdict)
    balance = [f"| {lr / 2e-4:g} | {k:.0f} | {pm(r, 'modes_captured')} | {pm(r, 'hq')} | "
               f"{pm(r, 'hq_spread')} | {pm(r, 'crashes')} |"
               for (lr, k), r in sorted(cells("balance").items())]
    quoted(CAPACITY, *balance)


def test_capacity_prose():
    c, b = cells("capacity"), cells("balance")
    spread = lambda d: " → ".join(f"{c[(d, g)]['hq_spread_mean']:.1f}" for g in (16, 64, 256))
    worst = max(c, key=lambda k: c[k]["hq_spread_mean"])
    modes = lambda cell: f"{cell['modes_captured_mean']:.1f}"
    bal_spread = [r["hq_spread_mean"] for r in b.values()]
    best = max(b, key=lambda k: b[k]["hq_mean"])
    secs = lambda r: f"{r['seconds_mean']:.0f}"
    runs = len(rows("docs/capacity/capacity-runs.csv")) + len(rows("docs/capacity/balance-runs.csv"))
    assert worst == (256, 256) and best == (1e-3, 1)
    quoted(CAPACITY,
           f"a D trained 25× harder (5× the learning rate, 5 steps per G step) keeps "
           f"{modes(b[(1e-3, 5)])} modes against {modes(b[(4e-5, 1)])} for a D trained 5× more slowly",
           f"(HQ spread {spread(16)} points as G goes 16 → 64 → 256 beside a 16-wide D, "
           f"{spread(256)} beside a 256-wide D)",
           f"the *matched* pair 256/256 ({c[worst]['hq_spread_mean']:.1f} points, "
           f"{c[worst]['crashes_mean']:.1f} crashes per run)",
           f"D 256 against G 16 ({c[(256, 16)]['hq_spread_mean']:.1f} points) — steady because it "
           f"has collapsed onto {c[(256, 16)]['modes_captured_mean']:.0f} modes",
           f"2,500 samples at 90 % high quality give a binomial ±"
           f"{100 * math.sqrt(0.9 * 0.1 / 2500):.1f} points",
           f"(HQ spread {span(bal_spread, '.0f')} points at width 128)",
           f"the fewer modes survive ({modes(b[(4e-5, 1)])} at 0.2× with k = 1, "
           f"{modes(b[(1e-3, 5)])} at 5× with k = 5)",
           f"buys the best quality of the six ({b[best]['hq_mean']:.1f} %) for "
           f"{max(r['modes_captured_mean'] for r in b.values()) - b[best]['modes_captured_mean']:.1f} "
           f"of a mode",
           f"The {runs} runs were trained",
           f"({secs(c[(16, 16)])} s for 16/16 up to {pm(c[(256, 16)], 'seconds', 0)} s for 256/16)",
           f"256/16's modes {pm(c[(256, 16)], 'modes_captured')})")


# --- the remedies study, beyond the headline (docs/remedies/STAGE.csv and STAGE.md) ----------------

REMEDIES = "docs/remedies/README.md"


def stage(name):
    """{(data, remedy): row of docs/remedies/NAME.csv, numbers as floats}."""
    num = lambda v: float(v) if re.fullmatch(r"[-\d.e]+|nan", v) else v
    return {(r["data"], r["remedy"]): {k: num(v) for k, v in r.items()}
            for r in rows(f"docs/remedies/{name}.csv")}


def hq(r, se=False):
    return f"{100 * r['high_quality_frac']:.1f}" + (
        f" ± {100 * r['high_quality_frac_se']:.1f}" if se else "")


def test_remedies_tables_are_the_stages():
    """Every row of every table the stages wrote (the published numbers beside ours included)."""
    for name in ("screen", "tune", "report", "confirm"):
        quoted(REMEDIES, *md_rows(f"docs/remedies/{name}.md"))
    quoted(REMEDIES, *[f"| {d} | 0 | {r['modes_captured']:.0f} / {r['modes_total']:.0f} | "
                       f"{hq(r)} | {r['seconds']:.0f} |"        # the probe ran seed 0 only
                       for (d, _), r in stage("probe").items()])


def test_remedies_targets_and_time():
    rep, con = stage("report"), stage("confirm")
    x2r, x2g, sr, sg = rep[("ring8", "wgan-gp-x2")], rep[("grid25", "wgan-gp-x2")], \
        rep[("ring8", "spectral-x2")], rep[("grid25", "spectral-x2")]
    x4 = con[("grid25", "wgan-gp-x4")]
    stages = {s: stage(s) for s in ("screen", "tune", "report", "probe", "confirm")}
    runs = {s: int(sum(r["runs"] for r in v.values())) for s, v in stages.items()}
    minutes = {s: sum(r["runs"] * r["seconds"] for r in v.values()) / 60 for s, v in stages.items()}
    names = {"screen": "the screen", "tune": "the tune", "report": "the report", "probe": "the probe",
             "confirm": "the confirmation"}
    every = all(r["all_modes_runs"] == r["runs"] for v in (rep, con) for r in v.values())
    assert every and x4["seconds"] < 600 and x4["steps"] == 80000
    quoted(REMEDIES, f"wgan-gp-x2: 8/8 on {x2r['all_modes_runs']:.0f} of {x2r['runs']:.0f}, "
                     f"{hq(x2r, True)} %", f"spectral-x2: 8/8 on {sr['all_modes_runs']:.0f} of "
                     f"{sr['runs']:.0f}, {hq(sr, True)} %",
           f"wgan-gp-x2: 25.0 / 25, {hq(x2g, True)} %", f"spectral-x2: 25.0 / 25, {hq(sg, True)} %",
           "Every configuration in the table keeps every mode on every held-out seed",
           f"Four times the budget — {x4['steps']:,.0f} iterations, under 10 minutes on one core",
           f"# {runs['screen']} runs, {minutes['screen']:.0f} core-minutes",
           "; ".join(f"{names[s]} {runs[s]} runs, {minutes[s]:.0f}" + (" core-minutes" if k == 0
                                                                      else "")
                     for k, s in enumerate(names)),
           f"— {sum(minutes.values()):.0f} core-minutes in all, "
           f"{sum(minutes.values()) / 120:.1f} hours of 2 cores",
           f"the screen, tune and report alone took "
           f"{sum(minutes[s] for s in ('screen', 'tune', 'report')) / 120:.1f})")


def test_remedies_stage_prose():
    sc, tu, rep = stage("screen"), stage("tune"), stage("report")
    s = lambda remedy: sc[("ring8", remedy)]
    t = lambda data, remedy: tu[(data, remedy)]
    m = lambda r, se=False: f"{r['modes_captured']:.1f}" + (f" ± {r['modes_captured_se']:.1f}"
                                                             if se else "")
    nsgan_ring = [100 * t("ring8", r)["high_quality_frac"] for r in ("pacgan4", "spectral", "r1")]
    nsgan_grid = [100 * t("grid25", r)["high_quality_frac"] for r in ("spectral", "r1")]
    pac = [t("grid25", r) for r in ("pacgan4", "wgan-gp+pacgan4")]
    gain = 100 * (t("grid25", "spectral-x2")["high_quality_frac"] -
                  t("grid25", "spectral")["high_quality_frac"])
    more = math.ceil((94 - 100 * t("grid25", "spectral-x2")["high_quality_frac"]) / round(gain))
    x8 = max(t(d, "spectral-x2")["seconds"] for d in ("ring8", "grid25")) * 4 / 60
    assert s("mbstd")["modes_captured_se"] == 0 and all(r["all_modes_runs"] == 0 for r in pac)
    quoted(REMEDIES,
           f"{len(sc)} configurations.", f"Configurations tried so far: {len(sc)}.",
           f"TTUR alone keeps all 8 on {s('ttur')['all_modes_runs']:.0f} seed of "
           f"{s('ttur')['runs']:.0f} ({m(s('ttur'), True)} modes)",
           f"WGAN-GP is the best ({hq(s('wgan-gp'), True)} %", f"with a perfect sampler at "
           f"{PERFECT_2D:.1f} %", f"PacGAN4 {hq(s('pacgan4'))} %, spectral norm {hq(s('spectral'))} "
           f"%, R1 (γ = 0.1) {hq(s('r1'))} %, against {hq(s('ttur'))} % for TTUR",
           f"minibatch std ({s('mbstd')['modes_captured']:.0f} modes on every seed, as TTUR), "
           f"optimistic ({m(s('optimistic'))} modes)",
           f"so {s('unrolled5')['steps']:,.0f} iterations: {m(s('unrolled5'))} modes, "
           f"{hq(s('unrolled5'))} %", f"whose {s('extragradient')['steps']:,.0f} iterations",
           f"({hq(s('extragradient'))} % high quality, though {m(s('extragradient'))} modes)",
           f"lowers quality ({hq(s('wgan-gp+spectral'))} %)",
           f"({s('pacgan4')['seconds']:.0f} s against {s('ttur')['seconds']:.0f} s for TTUR)",
           f"the best by far in quality ({hq(t('grid25', 'wgan-gp'), True)} %)",
           f"({hq(t('grid25', 'spectral'), True)} % and {hq(t('grid25', 'r1'), True)} %); R1's modes "
           f"are less even (mode KL {t('grid25', 'r1')['mode_kl']:.3f} against "
           f"{t('grid25', 'spectral')['mode_kl']:.3f})",
           f"with nsgan ({m(pac[0], True)} modes, {hq(pac[0], True)} %) and with WGAN-GP "
           f"({m(pac[1], True)}, {hq(pac[1], True)} %)",
           f"({m(pac[0])} of 25 modes, {100 * pac[0]['high_quality_frac']:.0f} % HQ)",
           f"(ring8 {hq(t('ring8', 'spectral'))} against {hq(t('ring8', 'r1'))} %, grid25 "
           f"{hq(t('grid25', 'spectral'))} against {hq(t('grid25', 'r1'))} %",
           f"wgan-gp-x2 reaches {hq(t('ring8', 'wgan-gp-x2'), True)} % on ring8 and "
           f"{hq(t('grid25', 'wgan-gp-x2'), True)} % on grid25 (from {hq(t('ring8', 'wgan-gp'))} and "
           f"{hq(t('grid25', 'wgan-gp'))} %), spectral-x2 {hq(t('ring8', 'spectral-x2'), True)} % and "
           f"{hq(t('grid25', 'spectral-x2'), True)} % (from {hq(t('ring8', 'spectral'))} and "
           f"{hq(t('grid25', 'spectral'))} %)",
           f"(ring8 {hq(rep[('ring8', 'wgan-gp-x2')], True)} % against "
           f"{hq(t('ring8', 'wgan-gp-x2'), True)}; grid25 {hq(rep[('grid25', 'wgan-gp-x2')], True)} "
           f"against {hq(t('grid25', 'wgan-gp-x2'), True)})",
           f"On grid25 it reaches {hq(rep[('grid25', 'spectral-x2')], True)} %",
           f"grid25 % HQ of WGAN-GP went {hq(t('grid25', 'wgan-gp'))} → "
           f"{hq(t('grid25', 'wgan-gp-x2'))} for 1× → 2× the budget on the tuning seeds, and "
           f"{hq(rep[('grid25', 'wgan-gp-x2')])} → {hq(stage('confirm')[('grid25', 'wgan-gp-x4')])}"
           f" for 2× → 4× on the held-out seeds",
           f"(≤ {max(100 * r['high_quality_frac'] for r in pac):.0f} % HQ, never all 25 modes)",
           f"take nsgan from {m(s('ttur'))} (mean) to 8/8 ring8 modes on every seed, but at "
           f"{span(nsgan_ring, '.0f')} % HQ against the baseline's {hq(s('ttur'))} %; on grid25 "
           f"spectral norm and R1 keep all 25 modes at {span(nsgan_grid, '.0f')} % HQ",
           f"spectral-x2 gains {gain:.0f} points on grid25 from doubling "
           f"({hq(t('grid25', 'spectral'))} → {hq(t('grid25', 'spectral-x2'))} on the tuning seeds)",
           f"if each doubling kept adding {gain:.0f} points, 94 % would take {WORDS[more]} more (x8: "
           f"about {x8:.0f} minutes a run")


def test_remedies_per_seed_numbers_agree_with_the_means():
    """The per-seed numbers (no results file: dated on the page) must average to the stage's mean."""
    text = prose(REMEDIES)
    x4, rep = stage("confirm")[("grid25", "wgan-gp-x4")], stage("report")
    seeds = [float(v) for v in re.search(r"94\.7 ± 0\.4 % high quality \(([\d., ]+)\)",
                                         text)[1].split(", ")]
    assert len(seeds) == x4["runs"]
    assert f"{np.mean(seeds):.1f}" == hq(x4) and \
        f"{np.std(seeds, ddof=1) / math.sqrt(len(seeds)):.1f}" == f"{100 * x4['high_quality_frac_se']:.1f}"
    sx2 = rep[("ring8", "spectral-x2")]
    dropped = float(re.search(r"seed 7 scored (\S+) %", text)[1])
    others = (sx2["runs"] * 100 * sx2["high_quality_frac"] - dropped) / (sx2["runs"] - 1)
    pac = {r.split(" | ")[0][2:]: r for r in md_rows("docs/remedies/report.md")}["PacGAN4"]
    pac_grid = float(re.search(r"\| [\d.]+ ± [\d.]+ / ([\d.]+) ± [\d.]+ \| PacGAN", pac)[1])
    assert f"wgan-gp-x4: 25.0 / 25, {hq(x4, True)} % ({span(seeds)})" in text
    quoted(REMEDIES, f"every held-out seed and {hq(x4, True)} % high quality (",
           f"without it the mean would be {others:.1f} %",
           f"but {pac_grid - 100 * rep[('grid25', 'wgan-gp-x2')]['high_quality_frac']:.1f} points less "
           f"precise than PacGAN4 on grid25",
           f"(the probe's seed 0 gave {hq(stage('probe')[('ring8', 'wgan-gp-x4')])} %)")


def test_remedies_where_table():
    """where.py's table has no results file (dated on the page); its first column is the % HQ of
    the tuning table, each row sums to 100 %, and the prose's shares are its cells."""
    tu, table = stage("tune"), {}
    lines = (ROOT / REMEDIES).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| runs | d ≤ 3σ (HQ) |"))
    for line in lines[start + 2:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in line.strip(" |").split("|")]
        table[cells[0]] = [float(c) for c in cells[1:]]
    perfect = [PERFECT_2D, 100 * (math.exp(-4.5) - math.exp(-18)), 0, 0]
    assert [f"{v:.1f}" for v in table.pop("a perfect sampler")] == [f"{v:.1f}" for v in perfect]
    assert len(table) == 9
    for name, shares in table.items():
        data, remedy = name.split()
        assert f"{shares[0]:.1f}" == hq(tu[(data, remedy)]), name
        assert abs(sum(shares) - 100) <= 0.25, name
    between = lambda name: sum(table[name][2:])
    quoted(REMEDIES, *[f"| {name} | {hq(tu[tuple(name.split())])} |" for name in table],
           f"between-mode share on grid25 ({between('grid25 wgan-gp'):.1f} → "
           f"{between('grid25 wgan-gp-x2'):.1f} %)",
           f"({table['ring8 wgan-gp-x2'][1]:.1f} % at twice the budget",
           f"near or below a perfect sampler's {perfect[1]:.1f} %")


# --- the lessons (what they print: docs/results/lessons/, written by docs/results/lessons.py) -------

def lesson(name):
    """(the lesson's prose and comments, white space folded; its printout; its fast printout)."""
    path = f"demos/{name}.py"
    text = re.sub(r"\s+", " ", re.sub(r"(?m)^\s*# ?", "", (ROOT / path).read_text(encoding="utf-8")))
    out = lambda suffix: (ROOT / f"docs/results/lessons/{name}{suffix}").read_text(encoding="utf-8")
    return path, text, out(".txt"), out(".fast.txt")


def lesson_times():
    return {r["lesson"]: r for r in rows("docs/results/lessons.csv")}


def test_lessons_printouts_are_complete():
    """Every recorded lesson has both printouts; a lesson not recorded yet is named in a warning
    (its prose is not checked, nor its time against the README's)."""
    names = sorted(p.stem for p in (ROOT / "demos").glob("[0-9][0-9]_*.py"))
    recorded = sorted(lesson_times())
    assert set(recorded) <= set(names) and recorded[:8] == names[:8], recorded
    for name in recorded:
        for suffix in (".txt", ".fast.txt"):
            assert (ROOT / f"docs/results/lessons/{name}{suffix}").read_text().strip(), name
    if set(names) - set(recorded):
        warnings.warn(f"no printout of {sorted(set(names) - set(recorded))}: run python "
                      f"docs/results/lessons.py " + " ".join(n[:2] for n in set(names) - set(recorded)))


def test_readme_lesson_times():
    times = lesson_times().values()
    slowest = max(float(r["cpu_seconds"]) for r in times)
    fast = max(float(r["fast_cpu_seconds"]) for r in times)
    assert slowest <= 90 and fast <= 10, (slowest, fast)        # "a few seconds": at most 10
    quoted("README.md", "(`python demos/NN_name.py`, ≤ 90 s on one core)",
           "`MINIGAN_FAST=1` runs any lesson in a few seconds")


def test_lesson_1():
    path, text, out, _ = lesson("01_discriminative_vs_generative")
    err = {k: float(v) for k, v in re.findall(r"^(\S.*?)\s+E\|· − D\*_π\| = (\S+)$", out, re.M)}
    ratio = err["ignoring the prior, D*_½"] / max(err["generative"], err["discriminative (pooled BCE)"])
    w = int(re.search(r"width=(\d+)", out)[1])                 # MLP([2, w, w, 1])
    quoted(path, f"the posterior that ignores the prior is {int(ratio)} times or more further off",
           f"the MLP has {3 * w + w * w + w + w + 1} weights to fit", text=text)


def test_lesson_2():
    path, text, out, fast = lesson("02_minimax_game")
    closed = lambda o: int(re.search(r"D alone closed (\d+) % of the gap", o)[1])
    std = float(re.search(r"panel \(d\), step \d+: p_g mean \S+, std (\S+)", out)[1])
    assert abs(closed(fast) - 100 / 3) <= 8, "the prose says the fast mode closes about a third"
    assert std < 0.5, "the prose says the full run's p_g is narrower than p_data"
    quoted(path, f"nearly all the way ({closed(out)} % of the gap in our run", "only about a third",
           "(in the full run it is narrower;", text=text)


def test_lesson_3():
    path, text, out, _ = lesson("03_optimal_discriminator")
    c = re.search(r"recorded value \(ours\)\s+= (\S+)", out)[1]
    assert re.search(r"V\(D\*, G\) by quadrature\s+= (\S+)", out)[1] == c
    pairs = re.search(r"^(\d+) pairs:", out, re.M)[1]
    quoted(path, f"Both should give {c.replace('-', '−')},", f"`optimal_d.family()` holds {pairs} pairs",
           text=text)
    quoted("docs/math.md", f"C(G) = {c.replace('-', '−')}")


def test_lesson_5():
    path, text, out, _ = lesson("05_mode_collapse")
    n, of = map(int, re.search(r"D 10× faster .*: collapsed to one mode on (\d+) of (\d+) seeds", out)
                .groups())
    runs = re.search(r"^(\d+) runs, (\d+) minutes of training", out, re.M)
    seconds = sum(float(r["seconds"]) for r in rows("docs/study/runs.csv"))
    assert n > of / 2, "lessons 5 and 7 say the faster D collapses most seeds"
    assert runs[1] == str(len(rows("docs/study/runs.csv"))) and runs[2] == f"{seconds / 60:.0f}"
    quoted(path, "a 10× faster D collapses most seeds to a single mode",
           f"scores $1 - e^{{-9/2}} = {PERFECT_2D:.1f}\\,\\%$ HQ in 2-D ({PERFECT_1D:.1f} % in 1-D)",
           f"with the perfect sampler's {PERFECT_2D:.1f} % dashed", text=text)
    quoted("demos/07_conditional.py", "the setting that sent most seeds to a single mode",
           text=lesson("07_conditional")[1])


def test_lesson_6():
    path, text, out, _ = lesson("06_wasserstein")
    clip_k = [float(line.split()[-1]) for line in out.splitlines() if re.match(r"\s+\d\.\d\d \|", line)]
    grid_max = float(re.search(r"weight clipping.*?on the grid:\s+mean \S+\s+max (\S+)", out, re.S)[1])
    k10 = re.search(r"gradient penalty.*?at interpolates:\s+mean (\S+)", out, re.S)[1]
    w1, slope = re.search(r"W1 ≈ (\S+);  predicted slope with λ = 0.1: \S+;  measured: (\S+)", out).groups()
    times = re.search(r"about (\S+) × W1", out)[1]
    assert min(1 / k for k in clip_k) >= 1000 and 1 / grid_max >= 1000
    quoted(path, "a thousand or more times too small", "a slope thousands of times below 1 everywhere",
           f"its measured mean slope (about {k10} in our run), so $W_1 \\approx$ estimate $/ k_{{10}}$, "
           f"about {float(w1):.1f}.",
           f"$k = 1 + {float(w1):.1f}/0.2 \\approx {1 + round(float(w1), 1) / 0.2:.0f}$",
           f"The critic is then {float(slope):.0f}-Lipschitz", f"reports about ${float(times):.0f}\\,W_1$",
           text=text)


def test_lesson_7_time():
    path, text, _, _ = lesson("07_conditional")
    assert float(lesson_times()["07_conditional"]["cpu_seconds"]) < 60   # the whole lesson, at that
    quoted(path, "so that both train in well under a minute", text=text)


def test_lesson_8():
    path, text, out, _ = lesson("08_game_dynamics")
    lo, hi = re.search(r"between (\S+) and (\S+) along the run from \(1, 1\)", out).groups()
    n = float(re.search(r"1\. predicted (\S+) steps", out)[1])
    long = json.loads((ROOT / "docs/results/dirac-long.json").read_text())
    assert long["steps"] == 2500 * 2000
    quoted(path, f"it swings between about {float(lo):.2f} and {float(hi):.2f} (printed below)",
           f"Run it 2,500 times longer, {long['steps'] / 1e6:.0f} million steps",
           f"the orbit creeps out to a distance of about {long['distance_end']:.1f}",
           f"\\approx {n:.0f}$ steps", text=text)


# --- the GAN in one file (a dated measurement: no results file) -------------------------------------

ONE_FILE = "demos/gan_in_one_file.py"
ONE_FILE_CODE = "dac9b74ce5d4b0e1"        # the digest of the code that was measured on 2026-12-02


def code_digest(text):
    """A digest of a module's code: its syntax tree without docstrings (comments are not in it),
    the same under any Python that parses it the same way."""
    def form(node):
        if isinstance(node, ast.AST):
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and \
                    isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
                body = body[1:]                                   # a docstring: prose, not code
            fields = {f: body if f == "body" else getattr(node, f, None) for f in node._fields}
            return type(node).__name__ + "(" + ",".join(
                f"{f}={form(v)}" for f, v in fields.items()
                if v is not None and v != [] and not isinstance(v, ast.expr_context)) + ")"
        if isinstance(node, list):
            return "[" + ",".join(form(v) for v in node) + "]"
        return repr(node)
    return hashlib.sha256(form(ast.parse(text)).encode()).hexdigest()[:16]


def test_one_file_gan_table_is_dated_and_still_describes_the_code():
    source = (ROOT / ONE_FILE).read_text(encoding="utf-8")
    doc = ast.get_docstring(ast.parse(source))
    head, table = doc.split("\n\n    seed ", 1)
    assert re.search(r"Measured 20\d\d-\d\d-\d\d", head.split("\n\n")[-1]), "the table says when"
    assert code_digest(source) == ONE_FILE_CODE, (
        f"{ONE_FILE}'s arithmetic changed since its table was measured: rerun the five seeds "
        f"(python {ONE_FILE} --seed S), update the table and its date, then ONE_FILE_CODE here")
    hq = [float(v) for v in re.search(r"% HQ ([\d. ]+?) mean", re.sub(r"\s+", " ", table))[1].split()]
    quoted(ONE_FILE, f"mean {np.mean(hq):.1f}", text=prose(ONE_FILE))


def test_one_file_gan_beside_the_package():
    runs = rows("docs/results/default-runs.csv")
    hq = np.mean([float(r["high_quality_pct"]) for r in runs])
    quoted(ONE_FILE, f"gives {', '.join(r['modes_captured'] for r in runs)} modes and {hq:.1f} % HQ on "
                     f"average over the same seeds (docs/results/default-runs.csv)",
           "the package's default in 58 s (the README's measurement)")
    quoted("README.md", "(58 s, measured with minigan 0.3.0")


def test_perfect_sampler():
    """A perfect sampler's % HQ, as each page writes it (a number of the metric, not of a run)."""
    quoted("docs/math.md", f"a perfect sampler: {PERFECT_1D / 100:.4f} (1-D), 1 − e^{{−9/2}} = "
                           f"{PERFECT_2D / 100:.4f} (2-D)")
    quoted("demos/07_conditional.py", f"$1 - e^{{-9/2}} = {PERFECT_2D:.1f}\\,\\%$ in 2-D "
                                      f"({PERFECT_1D:.1f} % in 1-D)",
           f"the perfect sampler's {PERFECT_2D:.1f} %", text=lesson("07_conditional")[1])
    quoted(REMEDIES, f"(a perfect sampler scores {PERFECT_2D:.1f} %)")


def test_readme_remedies_sentence():
    rep, con = stage("report"), stage("confirm")
    x2r, x2g, x4 = rep[("ring8", "wgan-gp-x2")], rep[("grid25", "wgan-gp-x2")], \
        con[("grid25", "wgan-gp-x4")]
    pac = {r.split(" | ")[0][2:]: r for r in md_rows("docs/remedies/report.md")}["PacGAN4"]
    pac_grid = re.search(r"\| [\d.]+ ± [\d.]+ / ([\d.]+) ± [\d.]+ \| PacGAN", pac)[1]
    assert x2r["evals"] == x2g["evals"] and x4["all_modes_runs"] == x4["runs"] and \
        x4["seconds"] + 2 * x4["seconds_se"] < 600          # "under 10 minutes a run"
    quoted("README.md",
           f"WGAN-GP at {x2r['evals']:,.0f} evaluations reaches {hq(x2r)} % on ring8 and {hq(x2g)} % "
           f"on grid25, and at {x4['evals']:,.0f} (under 10 minutes a run on one core) {hq(x4)} % on "
           f"grid25 with all {x4['modes_total']:.0f} modes on every held-out seed — ahead of "
           f"PacGAN4's published {pac_grid} %")


def count(tied=None):
    """{page: how many numbers its tied phrases hold}: every number written in digits (not one
    inside a name such as ring8), a phrase that is part of a longer tied phrase counted once."""
    number = re.compile(r"(?<![\w.])[−-]?\d(?:[\d,]*\d)?(?:\.\d+)?(?:e[−-]?\d+)?(?!\w)")
    out = {}
    for page, phrases in (TIED if tied is None else tied).items():
        keep = [p for p in phrases if not any(p != q and p in q for q in phrases)]
        out[page] = sum(len(number.findall(p)) for p in keep)
    return out


if __name__ == "__main__":
    # python tests/test_prose_numbers.py: run every tie in this process and count what it tied
    failed = pytest.main([__file__, "-q", "-n", "0", "-p", "no:cacheprovider"])
    module = next(m for name, m in sys.modules.items()
                  if name.endswith("test_prose_numbers") and m is not sys.modules["__main__"])
    counts = count(module.TIED)
    for page, n in sorted(counts.items()):
        print(f"{n:5d}  {page}")
    print(f"{sum(counts.values()):5d}  numbers tied to their results files")
    sys.exit(failed)


def test_remedies_what_did_not_help_and_the_papers():
    sc = stage("screen")
    s = lambda remedy: sc[("ring8", remedy)]
    pac = {r.split(" | ")[0][2:]: r for r in md_rows("docs/remedies/report.md")}["PacGAN4"]
    pac_modes, pac_modes_se, pac_hq, pac_hq_se = re.search(
        r"\| ([\d.]+) ± ([\d.]+) / ([\d.]+) ± ([\d.]+) \| PacGAN", pac).groups()
    quoted(REMEDIES, f"minibatch std ({s('mbstd')['modes_captured']:.0f} of 8 ring8 modes on every "
                     f"seed, as the baseline), optimistic updates "
                     f"({s('optimistic')['modes_captured']:.1f}), first-order unrolling with 5 "
                     f"steps ({s('unrolled5')['modes_captured']:.1f} modes, {hq(s('unrolled5'))} %: "
                     f"at equal gradient evaluations it gets {s('unrolled5')['steps']:,.0f} "
                     f"iterations), extragradient ({hq(s('extragradient'))} % HQ: its "
                     f"{s('extragradient')['steps']:,.0f} iterations",
           f"penalty ({hq(s('wgan-gp+spectral'))} %), and PacGAN4 on grid25",
           f"ahead of PacGAN4's {pac_hq} ± {pac_hq_se} (below)",
           f"ahead of PacGAN4's {pac_modes} ± {pac_modes_se} / {pac_hq} ± {pac_hq_se};",
           f"more modes on grid25 than PacGAN4's {pac_modes} —")


# --- docs/perf/README.md: its tables are the compare files', its ranges computed from them --------

PERF = ROOT / "docs" / "perf"


def _md_rows(lines):
    return [[c.strip() for c in ln.strip().strip("|").split("|")] for ln in lines
            if ln.startswith("| ") and not ln.startswith("| loss")]


def _perf_table(source):
    """The table docs/perf/README.md shows under the line naming `source`."""
    lines = (PERF / "README.md").read_text(encoding="utf-8").splitlines()
    start = next(i for i, ln in enumerate(lines) if f"(`{source}`)" in ln)
    block = []
    for ln in lines[start + 1:]:
        if block and not ln.startswith("|"):
            break
        if ln.startswith("|"):
            block.append(ln)
    return _md_rows(block)


@pytest.mark.parametrize("source", ["compare_0.3_native.md", "compare_0.3_native_2threads.md",
                                    "compare_0.3_haswell.md"])
def test_perf_page_tables_are_the_compare_files(source):
    shown = _perf_table(source)
    assert shown and shown == _md_rows((PERF / source).read_text(encoding="utf-8").splitlines())


def test_perf_page_ranges_come_from_the_tables():
    text = " ".join((PERF / "README.md").read_text(encoding="utf-8").split())
    ratio = lambda c: float(c.strip("*×"))
    pct = lambda c: float(c.rstrip(" %"))

    def span(rows, col, f, fmt, dtype=None, loss=None):
        vals = [f(r[col]) for r in rows if dtype in (None, r[2]) and loss in (None, r[0])]
        return fmt.format(min(vals), max(vals))
    one, two = _perf_table("compare_0.3_native.md"), _perf_table("compare_0.3_native_2threads.md")
    x, p = "{:.2f}–{:.2f}×", "{:.0f}–{:.0f} %"
    for claim in (span(one, 5, ratio, x, "float32"), span(one, 5, ratio, x, "float64"),
                  span(one, 8, ratio, x, "float32"), span(one, 8, ratio, x, "float64"),
                  span(two, 5, ratio, x), span(two, 8, ratio, x), span(two, 11, pct, p),
                  span(one, 11, pct, p, loss="gan")):
        assert claim in text, claim


# --- docs/digits.md: the digits study's tables and prose, from docs/digits/ ------------------------

DIGITS = ROOT / "docs" / "digits"


def _flat(text):
    return " ".join(text.split())


def _digits_summary(stage):
    with open(DIGITS / stage / "summary.csv") as f:
        return {r["group"]: r for r in csv.DictReader(f)}


def _digits_runs():
    rows = []
    for stage in ("default", "search", "collapse", "cgan"):
        with open(DIGITS / stage / "runs.csv") as f:
            rows += list(csv.DictReader(f))
    return rows


@pytest.mark.parametrize("stage", ["default", "search", "collapse", "cgan"])
def test_digits_tables_are_the_summaries(stage):
    from minigan.studies.digits import markdown, read_summary
    table = markdown(read_summary(DIGITS / stage / "summary.csv"))
    assert table == (DIGITS / stage / "table.md").read_text()
    assert table in (ROOT / "docs" / "digits.md").read_text(encoding="utf-8")


def test_digits_prose():
    from minigan.judge import PERFECT_CONFIDENT, REAL_FRECHET
    page = _flat((ROOT / "docs" / "digits.md").read_text(encoding="utf-8"))
    d, c = _digits_summary("default"), _digits_summary("collapse")
    g = _digits_summary("cgan")["cgan (nsgan)"]
    choice = json.loads((DIGITS / "search" / "choice.json").read_text())
    runs = _digits_runs()
    f = lambda x, n=1, s=1: f"{float(x) * s:.{n}f}"
    lo_hi = lambda v: (lambda xs: (min(xs), max(xs)))([float(x) for x in v])
    span = lambda r: f"{r['digits_covered_min']}–{r['digits_covered_max']}"
    mean, sd = REAL_FRECHET[1000]
    claims = [
        f"{100 * PERFECT_CONFIDENT:.1f} % judged surely, a Fréchet distance of {mean:.2f} ± {sd:.2f}",
        f"dropped one digit on one seed ({d['nsgan @ defaults']['digits_covered_min']} of 10)",
        f"(down to {d['pacgan4 @ defaults']['digits_covered_min']})",
        f"read surely {f(d['wgan-gp @ defaults']['confident_frac'], 1, 100)} % of the time against "
        f"{f(d['gan @ defaults']['confident_frac'], 1, 100)} % for the GAN",
        f"its Fréchet distance, {f(d['wgan-gp @ defaults']['frechet'], 2)},",
        f"(Fréchet {f(d['pacgan4 @ defaults']['frechet'], 2)})",
        f"({f(d['pacgan4 @ defaults']['confident_frac'], 1, 100)} %)",
        f"the {len(choice['tried'])}th of {choice['of']}, **{choice['setting']}**",
        f"covered {f(choice['digits_covered'])} of 10",
        f"keeps {f(c['gan @ z2']['digits_covered'])} of 10 (range {span(c['gan @ z2'])})",
        f"the non-saturating GAN {f(c['nsgan @ z2']['digits_covered'])} ({span(c['nsgan @ z2'])})",
        f"PacGAN4 {f(c['pacgan4 @ z2']['digits_covered'])} ({span(c['pacgan4 @ z2'])})",
        f"WGAN-GP keeps {f(c['wgan-gp @ z2']['digits_covered'])} ({span(c['wgan-gp @ z2'])}), with a "
        f"digit KL of {f(c['wgan-gp @ z2']['digit_kl'], 3)} against {f(c['gan @ z2']['digit_kl'], 3)}",
        f"at {f(c['wgan-gp @ z2']['confident_frac'], 1, 100)} % judged surely",
        f"({f(c['pacgan4 @ z2']['digits_covered'])} against {f(c['nsgan @ z2']['digits_covered'])} "
        f"for the nsgan",
        f"every one of the {len(runs)} runs",
        f"is {min(float(r['nn_train']) for r in runs):.2f}–{max(float(r['nn_train']) for r in runs):.2f}",
        f"in {f(g['class_acc_mean'], 1, 100)} % of the samples",
        f"no digit below {min(float(g[f'acc_{k}']) for k in range(10)) * 100:.1f} %",
        f"{f(g['confident_frac'], 1, 100)} % of its samples are read surely",
        "Per digit (mean over the seeds, % asked-for digit read): "
        + ", ".join(f"{k}: {f(g[f'acc_{k}'], 1, 100)}" for k in range(10)),
        f"— {len(runs)} runs —",
        f"add up to {sum(float(r['seconds']) for r in runs) / 60:.0f} minutes",
        "comes closest ({:.2f}–{:.2f})".format(*lo_hi(r["nn_train"] for r in runs
                                                     if r["run"].startswith("cgan"))),
    ]
    for claim in claims:
        assert claim in page, claim
    assert max(float(r["copied_frac"]) for r in runs) == 0.0 and "not one sample" in page
    assert all(float(r["nn_train"]) > 2.03 for r in runs)


def test_the_judges_quoted_numbers():
    """97.5 % held-out accuracy, every digit ≥ 94 %, the held-out median 2.03 and 1.1 % copies."""
    from minigan.judge import copy_radius, digit_judge, nearest_train
    from minigan.data import digits
    held = digits("held_out")
    judge = digit_judge()
    acc = judge.accuracy(held.x, held.labels)
    per = [judge.accuracy(held.x[held.labels == k], held.labels[held.labels == k]) for k in range(10)]
    dist = nearest_train(held.x).dist
    copies = np.mean(dist < copy_radius())
    page = _flat((ROOT / "docs" / "digits.md").read_text(encoding="utf-8"))
    guide = _flat((ROOT / "docs" / "guide.md").read_text(encoding="utf-8"))
    for text in (page, guide):
        assert f"{100 * acc:.1f} % of the held-out" in text
    assert f"every digit ≥ {int(100 * min(per))} %" in page
    assert f"more than the held-out images' {np.median(dist):.2f}" in page
    assert f"against {100 * copies:.1f} % for real unseen images" in page
    assert f"and {100 * copies:.1f} % copies" in page


def test_readme_digits_numbers():
    readme = _flat((ROOT / "README.md").read_text(encoding="utf-8"))
    d, c = _digits_summary("default"), _digits_summary("collapse")
    g = _digits_summary("cgan")["cgan (nsgan)"]
    cov = lambda rows: [float(r["digits_covered"]) for r in rows]
    z2 = cov([c[k] for k in ("gan @ z2", "nsgan @ z2", "pacgan4 @ z2")])
    seed0 = next(r for r in _digits_runs() if r["run"] == "default-nsgan-seed0")
    for claim in (f"every GAN keeps {min(cov(d.values())):.1f}–{max(cov(d.values())):.1f} of 10 digits",
                  f"PacGAN keep {min(z2):.1f}–{max(z2):.1f} and WGAN-GP "
                  f"{float(c['wgan-gp @ z2']['digits_covered']):.1f}",
                  f"the digit asked for {100 * float(g['class_acc_mean']):.1f} % of the time",
                  f"here {int(float(seed0['digits_covered']))} of 10 digits"):
        assert claim in readme, claim


def test_live_speed_table_is_the_benchmarks():
    guide = (ROOT / "docs" / "guide.md").read_text(encoding="utf-8")
    for name in ("live.json", "live_1thread.json", "live_2threads.json"):
        b = json.loads((PERF / name).read_text())
        row = (f"| {b['train_steps_per_s']} | {b['live_steps_per_s']} | {100 * b['ratio']:.0f} % | "
               f"{b['redraws_per_s']} | [{name}](perf/{name}) |")
        assert row in guide, row
    one, quiet = (json.loads((PERF / n).read_text()) for n in ("live_1thread.json", "live.json"))
    flat = _flat(guide)
    assert f"costs {100 - 100 * one['ratio']:.0f} % of the training speed" in flat
    assert f"it trains at {100 * quiet['ratio']:.0f} % — just under the 80 %" in flat
