r"""``minigan lab RUN_DIR``: the page that replays a run step by step — one file, RUN/lab.html.

What GAN Lab shows, over minigan's readable NumPy: real and generated samples, D's field, the push
of G's loss on each fake, G's manifold (the noise grid warped by G, coloured by mode) and the
history.csv curves, with a timeline over the run's snapshots (snapshots.py); in 1D, Goodfellow's
Figure 1. The snapshots are quantised (``encode``) and embedded as JSON; lab.js draws them (canvas
2D, no libraries) and is inlined with lab.css: the page opens from disk with no network. Every
string from the run is HTML-escaped, or travels in the JSON with "<" written \u003c.
"""
import base64
import html
import json
import shlex
from dataclasses import fields
from pathlib import Path

import numpy as np

from .. import __version__
from ..config import TrainConfig
from ..data import to_pixels
from ..metrics import describe
from .curves import reference_lines
from .plots import CRITICS, D_NAME, LEVEL, PROB_LOSSES, PUSH, hist_density
from .zspace import R

HERE = Path(__file__).resolve().parent      # lab.js and lab.css live beside this file
ARROWS = 150        # fakes that get a push arrow (2D)
REAL = 500          # real samples shown (2D); 1D keeps the whole evaluation set
SPAN = 8.0          # int16 coordinates cover the plotting box scaled 8× about its centre
CAP = 3.0           # pushes longer than CAP × the reference size are drawn at that length
TYPES = {"u8": (np.uint8, 0, 255), "i16": (np.int16, -32767, 32767), "i8": (np.int8, None, None)}
COLOURS = {"C0": "#1f77b4", "C1": "#ff7f0e", "0.3": "#4d4d4d"}


# --- numbers, quantised ----------------------------------------------------------------------

def encode(x, lo, hi, kind):
    """x (…, C) as the page decodes it (lab.js decode): value = lo + (q − qmin)·(hi − lo)/(qmax − qmin)
    per column. kind: "u8" (clipped to [lo, hi]), "i16" (−32768 marks a non-finite value) or "i8"
    (stored as it is: mode and class indices). Little-endian bytes in base64."""
    x = np.asarray(x, np.float64)
    dtype, qmin, qmax = TYPES[kind]
    lo, hi = np.broadcast_to(np.float64(lo), x.shape[-1:]), np.broadcast_to(np.float64(hi), x.shape[-1:])
    if kind == "i8":
        q = x.astype(dtype)
    else:
        with np.errstate(invalid="ignore", divide="ignore"):     # (hi = lo: every q is qmin)
            q = np.round(qmin + (x - lo) / (hi - lo) * (qmax - qmin))
        q = np.clip(np.nan_to_num(q, nan=qmin, posinf=qmax, neginf=qmin), qmin, qmax)
        if kind == "i16":
            q[~np.isfinite(x)] = -32768
        q = q.astype(dtype)
    b64 = base64.b64encode(q.astype(q.dtype.newbyteorder("<")).tobytes()).decode()
    return {"type": kind, "shape": list(x.shape), "lo": lo.tolist(), "hi": hi.tolist(), "b64": b64}


def coord_box(bounds):
    """(lo, hi) per axis of the int16 coordinates: the plotting box scaled SPAN× about its centre
    (a fake far outside the box is off the canvas anyway)."""
    b = np.reshape(bounds, (-1, 2))
    mid, half = b.mean(axis=1), (b[:, 1] - b[:, 0]) / 2
    return mid - SPAN * half, mid + SPAN * half


def field_range(loss, fields_):
    """One colour scale for the whole replay: [0, 1] for D(x) = σ(logit); for the other losses
    the 1st to 99th percentile of the trained snapshots' values."""
    if loss in PROB_LOSSES:
        return 0.0, 1.0
    v = np.concatenate([f.ravel() for f in fields_]).astype(np.float64)
    v = v[np.isfinite(v)]
    lo, hi = (np.percentile(v, [1, 99]) if len(v) else (0.0, 1.0))
    if loss in LEVEL:        # centred on D's level, which the page's colour map draws white
        c = LEVEL[loss][0]
        lo, hi = c - max(c - lo, hi - c), c + max(c - lo, hi - c)
    return float(lo), float(hi if hi > lo else lo + 1.0)


def push_scale(pushes):
    """The reference push size: the 95th percentile of |push| over the trained snapshots (the
    page draws it as 1/10 of the box); 0 when there is no finite push."""
    n = np.concatenate([np.linalg.norm(p.astype(np.float64), axis=1) for p in pushes])
    n = n[np.isfinite(n)]
    return float(np.percentile(n, 95)) if len(n) else 0.0


def capped(p, limit):
    """Each push vector with its length cut at limit (direction kept): one outlier may not wreck
    the int16 resolution of all the others."""
    p = p.astype(np.float64)
    n = np.linalg.norm(p, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > limit, p * (limit / n), p)


def page_data(trainer, snaps, history):
    """Everything the page draws, as JSON-ready numbers (strings go into the HTML instead)."""
    data, cfg = trainer.data, trainer.cfg
    if data.image_shape:
        return image_data(trainer, snaps, history)
    box = coord_box(data.bounds)
    stack = lambda key: np.stack([s[key] for s in snaps]).astype(np.float64)
    # the scales come from the trained snapshots: step 0 is D before any update (for wgan,
    # before its weights were first clipped: a critic 1000× larger) and would flatten the rest
    trained = [s for s in snaps if s["step"] > 0] or snaps
    lo, hi = field_range(cfg.loss, [s["field"] for s in trained])
    real = trainer.x_eval if data.dim == 1 else trainer.x_eval[:REAL]
    K = 0 if data.centers is None else len(data.centers)
    out = {"dim": data.dim, "bounds": list(data.bounds), "steps": [int(s["step"]) for s in snaps],
           "real": encode(real, *box, "i16"), "fakes": encode(stack("fakes"), *box, "i16"),
           "field": encode(stack("field")[..., None], lo, hi, "u8"), "field_range": [lo, hi],
           "level": LEVEL[cfg.loss][0] if cfg.loss in LEVEL else None, "z_range": R,
           "mesh_x": encode(stack("mesh_x"), *box, "i16"), "z_dim": cfg.z_dim, "has_modes": K > 0,
           "mesh_mode": encode(stack("mesh_mode")[..., None], 0, 0, "i8"),
           "mode_colours": mode_colours(K), "class_colours": mode_colours(trainer.n_classes)[1:],
           "history": chart_data(cfg, history)}
    if "labels" in snaps[0]:         # conditional runs: the class each fake was asked for
        out["labels"] = encode(stack("labels")[..., None], 0, 0, "i8")
    if data.dim == 2:
        out["push_ref"] = ref = push_scale([s["push"][:ARROWS] for s in trained])
        out["push"] = encode(capped(stack("push")[:, :ARROWS], CAP * ref), -CAP * ref, CAP * ref,
                             "i16")
    else:
        out.update(figure1(trainer, snaps, cfg.loss, lo, hi))
    return out


def image_data(trainer, snaps, history):
    """An image run's page (digits): G's fixed grid per snapshot beside real training images of
    the same digits — D's input has 64 coordinates, so there is no plane, field or manifold."""
    data, cond = trainer.data, trainer.n_classes > 0
    if cond:                # row r: 5 real images of digit r, as G's row r asks for digit r
        real = np.concatenate([data.x[data.labels == r][:5] for r in range(10)])
    else:
        real = data.x[:50]
    grids = np.stack([s["grid"] for s in snaps]).astype(np.float64)
    return {"dim": data.dim, "image": list(data.image_shape), "steps": [int(s["step"]) for s in snaps],
            "grids": encode(grids, 0, 16, "u8"), "real": encode(to_pixels(real), 0, 16, "u8"),
            "conditional": cond, "has_modes": False, "history": chart_data(trainer.cfg, history)}


def figure1(trainer, snaps, loss, lo, hi):
    """1D: p_data on the field's 400 points (None without a density), and one y range for the
    whole replay, as plots.frame_limits: bars taller than 3× p_data's peak are cut."""
    data, pdf = trainer.data, None
    top = max(hist_density(s["fakes"][:, 0].astype(np.float64), data.bounds).max() for s in snaps)
    if data.has_density:
        pdf = data.pdf(np.linspace(*data.bounds, len(snaps[0]["field"])))
        top = min(max(top, pdf.max()), 3 * pdf.max())
    else:
        top = max(top, hist_density(trainer.x_eval[:, 0], data.bounds).max())
    shared, pad = loss in PROB_LOSSES, 0.05 * (hi - lo)   # D(x) a probability: on the density axis
    return {"pdf": None if pdf is None else [round(float(v), 5) for v in pdf],
            "ymax": 1.05 * (max(top, 1.0) if shared else top),
            "d_axis": None if shared else [lo - pad, hi + pad]}


def mode_colours(K):
    """K + 1 CSS colours: grey (no mode), then a hue circle as zspace.mode_colors (neighbouring
    modes of a ring get neighbouring hues), without importing matplotlib."""
    import colorsys
    rgb = [(0.82, 0.82, 0.82)] + [tuple(0.85 * c for c in colorsys.hsv_to_rgb(k / max(K, 1), 1, 1))
                                  for k in range(K)]
    return ["#%02x%02x%02x" % tuple(round(255 * c) for c in col) for col in rgb]


def chart_data(cfg, history):
    """The four charts of history.png: {"step": [...], "charts": [{title, log, series: [[name,
    colour, values]], refs: [[y, label, colour]]}]}, values to 6 digits, NaN as null. The page
    draws the names as canvas text, which never parses HTML."""
    history = dict(history)
    if "modes_captured" in history:
        history["modes_frac"] = history["modes_captured"] / history["modes_total"]
    h = {k: [float(f"{v:.6g}") if np.isfinite(v) else None for v in col] for k, col in history.items()}
    refs = {k: [[y, label, COLOURS[c]] for y, label, c in v] for k, v in reference_lines(cfg).items()}
    pair = lambda a, b, names: [[names[0], "#1f77b4", h.get(a)], [names[1], "#ff7f0e", h.get(b)]]
    who = "critic" if cfg.loss in CRITICS else "D"
    charts = [{"title": "D and G loss (mean since the previous row)", "refs": refs["loss"],
               "series": pair("d_loss", "g_loss", ("D loss", "G loss"))},
              {"title": f"mean {who} output on real and on fake", "refs": refs["d_out"],
               "series": pair("d_real", "d_fake", (f"{who}(real)", f"{who}(fake)"))},
              {"title": "gradient norm of each player's loss (log scale)", "log": True,
               "series": pair("grad_norm_d", "grad_norm_g", ("‖∇θ_D‖", "‖∇θ_G‖"))}]
    if "digits_covered" in h:       # an image run: the judge's verdicts (judge.py)
        frac = [None if c is None else c / 10 for c in h["digits_covered"]]
        series = [["digits covered (fraction of 10)", "#2ca02c", frac],
                  ["judged surely (fraction)", "#9467bd", h["confident_frac"]]]
        if "class_acc_mean" in h:
            series.append(["asked-for digit drawn (mean)", "#8c564b", h["class_acc_mean"]])
        charts.append({"title": "what the judge reads in G's samples", "series": series,
                       "ymin": 0, "ymax": 1})
    elif "modes_frac" in h:
        series = [["modes captured (fraction)", "#2ca02c", h["modes_frac"]],
                  ["high-quality fraction", "#9467bd", h["high_quality_frac"]]]
        if "class_acc_mean" in h:
            series.append(["per-class accuracy", "#8c564b", h["class_acc_mean"]])
        charts.append({"title": "sample quality on the fixed noise", "series": series, "ymin": 0,
                       "ymax": 1})
    else:
        key = "w1" if "w1" in h else "sliced_w"
        charts.append({"title": f"{'W1' if key == 'w1' else 'sliced W1'} to the real data (log scale)",
                       "log": True, "series": [[key, "#000000", h.get(key)]]})
    return {"step": h.get("step", []), "charts": charts}


# --- the words: every string from the run is escaped here -------------------------------------

def train_command(cfg, run_dir):
    """The `minigan train` command of this run: the options whose value differs from the default.
    loss and hidden set other fields' defaults (per-loss optimizer, hidden_g), so the defaults
    compared with are those of a config with the run's loss and hidden."""
    base = {k: cfg[k] for k in ("data", "loss", "hidden") if k in cfg}
    ref = TrainConfig(**base).resolved()
    plain = TrainConfig(data=cfg.get("data", "ring8")).resolved()     # the dataset's defaults
    words = ["minigan", "train"]
    for f in fields(TrainConfig):        # (a field newer than the run's config.json: its default)
        v = cfg.get(f.name, getattr(ref, f.name))
        default = f.default if f.name == "data" else getattr(plain, f.name)
        if v != getattr(ref, f.name) or (f.name in base and v != default):
            words += [f"--{f.name.replace('_', '-')}"] + ([] if v is True else [str(v)])
    return " ".join(shlex.quote(w) for w in words + ["--out", run_dir])


# how the field's colours are scaled: one scale for a replay (field_range), each frame's own live
REPLAY_SCALE = "One colour scale for the whole replay, set by the trained snapshots (step 0 may clip)"


def layer_rows(trainer, data, scale=REPLAY_SCALE):
    """(id, name, what it shows) of each layer switch: the 2D view, or Figure 1 in 1D. scale:
    the sentence on the field's colour scale (the live page's frames have their own)."""
    cfg, level, K = trainer.cfg, LEVEL.get(trainer.cfg.loss), trainer.n_classes
    d = ("the raw critic f(x): only its differences mean something — add a constant and nothing "
         "changes" if cfg.loss in CRITICS else D_NAME[cfg.loss])
    pack, mbstd = cfg.pack, cfg.mbstd_layer
    if pack > 1 or mbstd:     # D judges packs or groups: "D at x" as Discriminator.at_points defines it
        d += (f" — at x: D's verdict on x packed with {pack - 1} copies of itself" if pack > 1 else
              " — at x: D's verdict on a group of 4 copies of x") + ", what a G collapsed onto x shows it"
    if data.get("image"):
        rows = "row r asks for digit r, the same noise in every row" if K else "fixed noise"
        return [("fakes", "G's images (left)", f"G on 50 of the fixed noise vectors ({rows}), each "
                 "8 × 8 image a point in 64 dimensions; D's input has 64 coordinates, so there is "
                 "no plane to shade with its field: history.png's judge and this grid show what "
                 "G has learned"),
                ("real", "real images (right)", "training images" + (" of the same digit as the "
                 "row" if K else "") + ", for comparison")]
    if data["dim"] == 1:
        return [("real", "p_data (dotted)", "the data's density" if data["pdf"] else
                 "histogram of the real samples (grey; no closed-form density)"),
                ("fakes", "p_g (green bars)", "histogram of G(z) on the fixed noise"),
                ("field", "D (blue dashed)", d + (f"; dotted: {level[1]}" if level else "")),
                ("manifold", "z → G(z)", "a grid of z on the lower line, each joined to where G puts "
                 "it on the x axis" + (" (z₁, with z₂… = 0)" if cfg.z_dim > 1 else "")
                 + (", class 0" if K else "") + "; colour: the mode it lands on")]
    grid = ("a line of z over [−3, 3]" if cfg.z_dim == 1 else "a grid of (z₁, z₂) over [−3, 3]²"
            + (", a 2-D slice z₃… = 0 through the origin" if cfg.z_dim > 2 else ""))
    return [("field", "D's field", d + (f"; white: {level[1]}" if level else "") + ". " + scale),
            ("manifold", "G's manifold", f"{grid} mapped by G{' for class 0' if K else ''}: each "
             "grid point that lands on a mode a dot in that mode's colour (drawn over the samples), "
             "cells whose four corners land on one mode filled with it; grey lines: the mesh. "
             "A trained G squeezes whole regions of z onto each mode, so the coloured dots pile "
             "up on the modes, and the long grey lines are the few z that G maps between modes "
             "(the inset shows the same colours on the noise plane)"),
            ("real", "real samples", "white: the fixed evaluation set"),
            ("fakes", "generated samples", "G(z) on the fixed noise, "
             + ("coloured by the class asked" if K else "orange")),
            ("push", "the push", f"−∇ₓ(G loss) at each fake {PUSH[cfg.loss]}: the direction G moves "
             "that sample. Length ∝ size, one scale for the whole replay (key bottom left; capped at "
             f"{CAP:g}× it): arrows that shrink while fakes are still off the data show saturation")]


def summary(run_dir, cfg, steps, metrics=None):
    """The subtitle: where the run is, how far it got, and its final metrics if it finished."""
    text = f"{run_dir} · {len(steps)} snapshots, steps {steps[0]}–{steps[-1]}"
    if metrics:
        return text + " · final: " + ", ".join(describe(metrics))
    return text + f" of {cfg.steps} planned (no metrics.json: interrupted, or still training)"


def script_json(obj):
    """JSON that is safe inside <script>: "<", ">" and "&" occur only in its strings, written as
    \\u003c etc., so no "</script>" or "<!--" can appear."""
    text = json.dumps(obj, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title><style>{css}</style></head>
<body><header><h1>{title}</h1><p class="sub">{summary}</p>
<details open><summary>config.json: every field of this run</summary><dl id="config">{config}</dl></details>
</header>
<nav id="timeline"><button id="back">◀ step back</button><button id="play">▶ play</button>
<button id="forward">step forward ▶</button><input type="range" id="slider" min="0" max="0" value="0">
<span class="step">step <b id="step">0</b> <small id="count"></small></span></nav>
<main>
<section id="left"><canvas id="view" width="540" height="540"></canvas>{colourbar}</section>
<section id="right"><div id="charts">{charts}</div>
<div id="below"><fieldset id="layers"><legend>layers</legend>
{layers}
</fieldset>{noise}</div>
</section>
</main>
<footer>{made} with minigan {version}. Everything is in this one file: it needs no network.</footer>
<script type="application/json" id="lab-data">{data}</script>
<script>{js}</script>
</body></html>
"""
COLOURBAR = '<div id="legend"><canvas id="colourbar" width="250" height="34"></canvas><p>{}</p></div>'
NOISE = ('<figure id="noise"><canvas id="zplane" width="150" height="150"></canvas><figcaption>'
         'the noise plane (z₁, z₂), coloured by the mode G(z) lands on (grey: none){}</figcaption>'
         '</figure>')


def page(trainer, snaps, history, run_dir, made_by=None, metrics=None, typed=()):
    """lab.html of a run, as a string: the template with every part filled in (strings escaped,
    numbers as JSON).

    trainer: the run's Trainer (its config and data; its weights are not read — the snapshots
    hold what is drawn); snaps: the recorded snapshots, in step order (snapshots.py); history:
    history.csv's columns ({column: array}); run_dir: the folder named on the page; made_by:
    the command named in the footer (default: the run's own minigan train command); metrics:
    the final metrics of a finished run (None: interrupted, or still training); typed: the
    commands that trained the run, as typed (RUN/command.txt; else the equivalent command).
    """
    data = page_data(trainer, snaps, history)
    e, cfg, K = html.escape, trainer.cfg, trainer.n_classes
    cfg_dict = cfg.to_dict()
    if typed:               # as the user typed them; the folder they resolved to, apart
        run = ("Run made by " + ", then ".join(f"<code>{e(c)}</code>" for c in typed)
               + f" (run folder <code>{e(run_dir)}</code>)")
    else:
        run = f"Run made by the equivalent of <code>{e(train_command(cfg_dict, run_dir))}</code>"
    made = run + (f" · page made by <code>{e(made_by)}</code>" if made_by else "")
    layers = [f'<label><input type="checkbox" id="layer-{key}" checked> <b>{e(name)}</b> '
              f'<span>{e(text)}</span></label>' for key, name, text in layer_rows(trainer, data)]
    note = (" — a slice z₃… = 0" if cfg.z_dim > 2 else "") + (", class 0" if K else "")
    return PAGE.format(
        title=e(f"minigan lab · {trainer.data.name} · {cfg.loss} · seed {cfg.seed}"),
        summary=e(summary(run_dir, cfg, data["steps"], metrics)), made=made,
        config="".join(f"<div><dt>{e(str(k))}</dt><dd>{e(str(v))}</dd></div>"
                       for k, v in sorted(cfg_dict.items())),
        layers="\n".join(layers), version=e(__version__),
        colourbar=COLOURBAR.format(e(D_NAME.get(cfg.loss, "the raw critic f(x)"))) if data["dim"] == 2 else "",
        noise=NOISE.format(e(note)) if data["has_modes"] and cfg.z_dim > 1 else "",
        charts='<canvas width="340" height="235"></canvas>' * 4, data=script_json(data),
        css=(HERE / "lab.css").read_text("utf-8"),
        js="\n".join((HERE / f).read_text("utf-8") for f in
                      (["digits.js"] if data.get("image") else []) + ["lab.js"]))
