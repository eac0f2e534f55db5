"""Numbers quoted in prose come from their results files: each tie below reads the file that holds
the measurement and the page that quotes it, and fails when they disagree (so a study rerun that
moves a number also moves the sentence, or the suite says which sentence to fix).

A number with no results file is written in the text as a dated or versioned measurement
("measured 2026-12-07", "minigan 0.2.0"). Docstrings and CHANGELOG.md are history, not claims.
"""
import csv
import json
import re
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


def quoted(path, *phrases):
    text = prose(path)
    missing = [p for p in phrases if re.sub(r"\s+", " ", p) not in text]
    assert not missing, f"{path} no longer says what its results file says: {missing}"


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


@pytest.mark.parametrize("path", ["README.md", "docs/api.md"])
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
def test_readme_performance_table(loss, hidden, threads):
    table = perf_rows("docs/perf/compare_0.3_native.md" if threads == 1 else
                      "docs/perf/compare_0.3_native_2threads.md")
    (t32, j32), (t64, j64) = table[(loss, hidden, "float32")], table[(loss, hidden, "float64")]
    quoted("README.md", f"| {loss}, H = {hidden} | {threads} | {t32} / {t64} | {j32} / {j64} |")


# --- the default run over seeds (docs/results/default-runs.csv, docs/results/default_runs.py) ----

def test_readme_default_run_table():
    runs = rows("docs/results/default-runs.csv")
    hq = np.array([float(r["high_quality_pct"]) for r in runs])
    modes = " | ".join((f"**{r['modes_captured']}/{r['modes_total']}**"
                        if r["modes_captured"] != r["modes_total"] else
                        f"{r['modes_captured']}/{r['modes_total']}") for r in runs)
    text = (ROOT / "README.md").read_text()
    assert f"| modes captured | {modes} |" in text
    quoted("README.md", "| high-quality samples | " + " | ".join(f"{v:.1f} %" for v in hq) + " |",
           f"Mean {hq.mean():.1f} ± {hq.std(ddof=1) / np.sqrt(len(hq)):.1f} % high quality")


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
