r"""The live page: the lab page's canvases and lab.js, fed by the server instead of a file.

lab.js (pictures/) is inlined unchanged: its drawing functions read the global DATA, and its
``show(0)`` draws snapshot 0 of DATA with the layer switches, the noise plane and the charts.
live.js, inlined after it, puts each frame from the server into DATA (one snapshot: lab.py's
``page_data`` of the current G and D) and calls ``show(0)``; the controls are its own. lab.js's
timeline buttons are in the page, hidden (lab.js binds them at load). Strings from the run are
HTML-escaped; the first frame travels in the JSON with "<" written \u003c (lab.script_json).
"""
import html
from pathlib import Path

from .. import __version__
from ..losses import LOSSES
from ..pictures import lab
from ..pictures.plots import D_NAME
from ..remedies.updates import JOINT
from .app import live_datasets
from .session import SETTABLE

HERE = Path(__file__).resolve().parent
LAB = Path(lab.__file__).resolve().parent

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title><style>{css}</style></head>
<body><header><h1>{title}</h1><p class="sub">live: this page drives the training in the terminal's
process · run folder <code id="run-dir">{run_dir}</code></p></header>
<nav id="controls"><button id="run">▶ play</button><button id="one">step one iteration</button>
<button id="one-d">step one D update</button><button id="one-g">step one G update</button>
<label>speed <select id="speed"><option value="0">adaptive</option><option value="1">1 iteration
per redraw</option><option value="10">10 per redraw</option><option value="100">100 per redraw</option>
</select></label><span class="step">step <b id="step">0</b> · D updates <b id="d-count">0</b> · G updates
<b id="g-count">0</b></span><small id="fps"></small><button id="end">end session</button></nav>
<p id="message" role="status"></p>
<main>
<section id="left"><canvas id="view" width="540" height="540"></canvas>{colourbar}
<fieldset id="draw-tools"><legend>your own points</legend><button id="draw">draw</button>
<label>brush <input type="range" id="brush" min="2" max="40" value="12"></label>
<label id="class-pick" {class_hidden}>class <select id="class">{classes}</select></label>
<button id="clear">clear</button><button id="use">train on these points</button>
<button id="export">download CSV</button> <small id="drawn">0 points</small></fieldset>
</section>
<section id="right">
<fieldset id="game"><legend>the game — a change takes effect from the next update</legend>{game}
<p class="note">A new loss brings its defaults (k, learning rates, schedule, clipping, penalty)
unless unticked; the optimizer stays (a new one would start without its state).</p></fieldset>
<fieldset id="new-run"><legend>a new run, in a new folder</legend>
<label>seed <input id="seed" type="number" min="0" value="{seed}"></label><button id="new-seed">restart</button>
<label>dataset <select id="dataset">{datasets}</select></label><button id="new-data">train on it</button></fieldset>
<div id="charts">{charts}</div>
<div id="below"><fieldset id="layers"><legend>layers</legend>
{layers}
</fieldset>{noise}</div>
</section>
</main>
<nav id="timeline" hidden><button id="back"></button><button id="play"></button>
<button id="forward"></button><input type="range" id="slider"><small id="count"></small></nav>
<footer>minigan {version} live: every control is in RUN/events.jsonl;
<code>minigan live --replay RUN --out NEW</code> trains the session again, bit for bit.</footer>
<script type="application/json" id="lab-data">{data}</script>
<script>{js}</script>
</body></html>
"""


def game_fields(cfg):
    """The inputs of the SETTABLE fields, each named set-FIELD, with the current values."""
    e, out = html.escape, []
    for name in SETTABLE:
        v = getattr(cfg, name)
        if name == "loss":
            opts = "".join(f'<option{" selected" if k == v else ""}>{e(k)}</option>' for k in LOSSES)
            out.append(f'<label>loss <select id="set-loss">{opts}</select></label>'
                       '<label><input type="checkbox" id="bring" checked> with its defaults</label>')
        elif name == "update":
            opts = "".join(f'<option{" selected" if k == v else ""}>{e(k)}</option>'
                           for k in ("alternating", *JOINT))
            out.append(f'<label>update <select id="set-update">{opts}</select></label>')
        else:
            kind = "int" if isinstance(v, int) else "float"
            out.append(f'<label>{e(name)} <input id="set-{name}" data-kind="{kind}" type="text" '
                       f'size="7" value="{e(repr(v))}"></label>')
    return "\n".join(out)


def page(live):
    """The live page of the session's current run, as a string (the server sends it)."""
    with live.cond:                    # the newest frame, made by the training thread
        data = {**live.view, "version": live.version}
    t, e = live.session.t, html.escape
    cfg = t.cfg
    layers = [f'<label><input type="checkbox" id="layer-{key}" checked> <b>{e(name)}</b> '
              f'<span id="text-{key}">{e(text)}</span></label>' for key, name, text in data["layers"]]
    datasets = "".join(f'<option{" selected" if d == cfg.data else ""}>{e(d)}</option>'
                       for d in live_datasets())
    classes = "".join(f"<option>{k}</option>" for k in range(t.n_classes))
    return PAGE.format(
        title=e(f"minigan live · {t.data.name} · seed {cfg.seed}"), run_dir=e(live.session.run_dir),
        colourbar=lab.COLOURBAR.format(e(D_NAME.get(cfg.loss, "the raw critic f(x)")))
        if data["dim"] == 2 else "",
        class_hidden="" if t.n_classes else "hidden", classes=classes, game=game_fields(cfg),
        seed=cfg.seed, datasets=datasets, charts='<canvas width="340" height="235"></canvas>' * 4,
        layers="\n".join(layers), version=e(__version__),
        noise=lab.NOISE.format("") if data["has_modes"] and cfg.z_dim > 1 else "",
        data=lab.script_json(data),
        css=(LAB / "lab.css").read_text("utf-8") + (HERE / "live.css").read_text("utf-8"),
        js=(LAB / "lab.js").read_text("utf-8") + "\n" + (HERE / "live.js").read_text("utf-8"))
