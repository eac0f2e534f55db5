// minigan lab: replays one training run, snapshot by snapshot, from the numbers in this page.
// Top to bottom: decoding the numbers, the 2D view (one function per layer), the 1D view
// (Goodfellow's Figure 1), the charts of history.csv, the timeline. Canvas 2D, no libraries.
"use strict";

const DATA = JSON.parse(document.getElementById("lab-data").textContent);
const BOX = DATA.bounds;          // the plotting box: [xlo, xhi, ylo, yhi] (2D) or [lo, hi] (1D)

// --- the numbers: typed arrays, quantised and base64-encoded by lab.py's encode -------------

/** An encoded array as numbers: lo + (q − qmin)·(hi − lo)/(qmax − qmin), column by column. */
function decode(enc) {
  const raw = Uint8Array.from(atob(enc.b64), (c) => c.charCodeAt(0));
  const kinds = { u8: [Uint8Array, 0, 255], i16: [Int16Array, -32767, 32767], i8: [Int8Array] };
  const [Type, qmin, qmax] = kinds[enc.type], q = new Type(raw.buffer);
  if (enc.type === "i8") return q;                 // mode and class indices, stored as they are
  const cols = enc.lo.length, out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) {             // −32768: a point that was not finite
    const lo = enc.lo[i % cols], hi = enc.hi[i % cols];
    out[i] = q[i] === -32768 ? NaN : lo + ((q[i] - qmin) / (qmax - qmin)) * (hi - lo);
  }
  return out;
}

const ARR = {};                   // every encoded array (real, fakes, field, ...), decoded once
for (const key in DATA) if (DATA[key] && DATA[key].b64) ARR[key] = decode(DATA[key]);

/** Snapshot i's part of an array recorded once per snapshot (shape [snapshots, ...]). */
function part(key, i) {
  const n = ARR[key].length / DATA[key].shape[0];
  return ARR[key].subarray(i * n, (i + 1) * n);
}

/** A number with 3 significant digits, without trailing zeros (very small or large: 1.23e-5). */
const fmt = (v) => (v !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e5) ? v.toExponential(2)
  : Number(v.toPrecision(3)).toString());

/** A straight line between two points, in pixels. */
function segment(ctx, x0, y0, x1, y1) {
  ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1); ctx.stroke();
}

/** Text at (x, y), its "left" end, "center" or "right" end at x. */
function label(ctx, text, x, y, align = "left") {
  ctx.textAlign = align; ctx.fillText(text, x, y); ctx.textAlign = "left";
}

// --- colours: matplotlib's RdBu_r, as samples.png (blue low, white in the middle, red high) ---

const RDBU = ["#053061", "#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7",
  "#fddbc7", "#f4a582", "#d6604d", "#b2182b", "#67001f"].map((h) =>
  [1, 3, 5].map((k) => parseInt(h.slice(k, k + 2), 16)));

/** The [r, g, b] of a field value on the one colour scale of the replay (lab.py centres the
 *  range on D's level, so that level is white). */
function colourOf(v) {
  const [lo, hi] = DATA.field_range;
  const t = Math.min(Math.max((v - lo) / (hi - lo), 0), 1) * (RDBU.length - 1);
  const k = Math.min(Math.floor(t), RDBU.length - 2), f = t - k;
  return RDBU[k].map((a, ch) => Math.round(a + f * (RDBU[k + 1][ch] - a)));
}

// --- the 2D view, one function per layer ---------------------------------------------------

/** Data coordinates to canvas pixels: equal scales on both axes, the box centred. */
function frameOf(canvas) {
  const s = Math.min(canvas.width / (BOX[1] - BOX[0]), canvas.height / (BOX[3] - BOX[2]));
  const ox = (canvas.width - s * (BOX[1] - BOX[0])) / 2;
  const oy = (canvas.height - s * (BOX[3] - BOX[2])) / 2;
  return { s, px: (x) => ox + (x - BOX[0]) * s, py: (y) => canvas.height - oy - (y - BOX[2]) * s };
}

/** D's field: D(x) over the box as a heat map — blue where D says "fake", red where it says
 *  "real", white at D's level (D = ½: where D cannot tell them apart). */
function drawField(ctx, fr, field) {
  const n = Math.round(Math.sqrt(field.length)), img = new ImageData(n, n);
  for (let r = 0; r < n; r++) {             // image row 0 is the top: the field's last row
    for (let c = 0; c < n; c++) {
      img.data.set([...colourOf(field[(n - 1 - r) * n + c]), 255], 4 * (r * n + c));
    }
  }
  const off = document.createElement("canvas");
  off.width = off.height = n;
  off.getContext("2d").putImageData(img, 0, 0);
  const cx = (BOX[1] - BOX[0]) / (n - 1), cy = (BOX[3] - BOX[2]) / (n - 1);   // grid spacing
  ctx.drawImage(off, fr.px(BOX[0] - cx / 2), fr.py(BOX[3] + cy / 2), n * cx * fr.s, n * cy * fr.s);
}

/** G's manifold: the z grid pushed through G, a warped mesh (z_dim 1: a line coloured by mode).
 *  Under the samples: the grey mesh, cells whose corners land on one mode filled in its colour;
 *  over them (over): each grid point that reaches a mode, visible when G squeezes cells to slivers. */
function drawManifold(ctx, fr, mesh, mode, over) {
  const colour = (m) => DATA.mode_colours[m + 1], same = (p, q) => mode[p] >= 0 && mode[p] === mode[q];
  const n = Math.round(Math.sqrt(mode.length)), id = (i, j) => i * n + j, P = (k) => [fr.px(mesh[2 * k]), fr.py(mesh[2 * k + 1])];
  if (DATA.z_dim === 1) {
    for (let k = 0; k + 1 < mode.length && !over; k++) {
      ctx.strokeStyle = colour(same(k, k + 1) ? mode[k] : -1); ctx.lineWidth = 1.5;
      segment(ctx, ...P(k), ...P(k + 1));
    }
  } else if (over) {                      // on top of the samples: the points that reach a mode
    mode.forEach((m, k) => { if (m >= 0) { ctx.fillStyle = colour(m); ctx.beginPath(); ctx.arc(...P(k), 2.2, 0, 7); ctx.fill(); } });
  } else {
    ctx.globalAlpha = 0.5;
    for (let i = 0; i + 1 < n; i++) {
      for (let j = 0; j + 1 < n; j++) {
        const c = [id(i, j), id(i, j + 1), id(i + 1, j + 1), id(i + 1, j)];
        if (c.every((k) => same(c[0], k))) { ctx.fillStyle = colour(mode[c[0]]); ctx.beginPath(); c.forEach((k) => ctx.lineTo(...P(k))); ctx.fill(); }
      }
    }
    ctx.globalAlpha = 1; ctx.strokeStyle = "rgba(30, 30, 30, 0.35)"; ctx.lineWidth = 0.7;
    for (let a = 0; a < n; a++) {          // row a: z₂ fixed, z₁ varies; column a: the other way
      ctx.beginPath();
      for (let b = 0; b < n; b++) ctx.lineTo(...P(id(a, b)));
      ctx.moveTo(...P(id(0, a)));
      for (let b = 0; b < n; b++) ctx.lineTo(...P(id(b, a)));
      ctx.stroke();
    }
  }
}

/** Points as small discs: real samples (white, outlined) or fakes (orange, or by class asked). */
function drawPoints(ctx, fr, xy, fill, stroke, labels) {
  ctx.strokeStyle = stroke; ctx.lineWidth = 0.6;
  for (let k = 0; k < xy.length / 2; k++) {
    ctx.fillStyle = labels ? DATA.class_colours[labels[k]] : fill;
    ctx.beginPath(); ctx.arc(fr.px(xy[2 * k]), fr.py(xy[2 * k + 1]), 2.3, 0, 2 * Math.PI); ctx.fill();
    if (stroke) ctx.stroke();
  }
}

/** An arrow from (x0, y0) to (x1, y1), in pixels. */
function arrow(ctx, x0, y0, x1, y1) {
  const a = Math.atan2(y1 - y0, x1 - x0), h = Math.min(5, 0.45 * Math.hypot(x1 - x0, y1 - y0));
  ctx.beginPath(); ctx.moveTo(x0, y0); ctx.lineTo(x1, y1);
  ctx.moveTo(x1 - h * Math.cos(a - 0.45), y1 - h * Math.sin(a - 0.45)); ctx.lineTo(x1, y1);
  ctx.lineTo(x1 - h * Math.cos(a + 0.45), y1 - h * Math.sin(a + 0.45)); ctx.stroke();
}

/** The push: −∇ₓ of G's loss at each fake — the direction G moves that sample. One scale for
 *  the whole replay: an arrow 1/10 of the box long is a push of size DATA.push_ref (the key). */
function drawPush(ctx, fr, fakes, push) {
  const key = 0.1 * (BOX[1] - BOX[0]) * fr.s, unit = key / DATA.push_ref;   // pixels per unit
  ctx.strokeStyle = "#111"; ctx.lineWidth = 1.1;
  for (let k = 0; k < push.length / 2; k++) {
    const x = fr.px(fakes[2 * k]), y = fr.py(fakes[2 * k + 1]);
    arrow(ctx, x, y, x + unit * push[2 * k], y - unit * push[2 * k + 1]);
  }
  const x = fr.px(BOX[0]) + 10, y = fr.py(BOX[2]) - 14;                // the key, bottom left
  ctx.fillStyle = "rgba(255, 255, 255, 0.85)"; ctx.fillRect(x - 6, y - 12, key + 120, 22);
  arrow(ctx, x, y, x + key, y);
  ctx.fillStyle = "#111"; ctx.font = "12px sans-serif";
  label(ctx, `|push| = ${fmt(DATA.push_ref)}`, x + key + 6, y + 4);
}

/** The 2D view of snapshot i, bottom layer first, inside the plotting box. */
function draw2D(ctx, i, on) {
  const fr = frameOf(ctx.canvas), fakes = part("fakes", i);
  ctx.save();
  ctx.beginPath();
  ctx.rect(fr.px(BOX[0]), fr.py(BOX[3]), (BOX[1] - BOX[0]) * fr.s, (BOX[3] - BOX[2]) * fr.s);
  ctx.clip();                                                   // draw inside the box only
  if (on.field) drawField(ctx, fr, part("field", i));
  if (on.manifold) drawManifold(ctx, fr, part("mesh_x", i), part("mesh_mode", i), false);
  if (on.fakes) drawPoints(ctx, fr, fakes, "#ff7f0e", null, ARR.labels && part("labels", i));
  if (on.real) drawPoints(ctx, fr, ARR.real, "#fff", "#000", null);
  if (on.manifold) drawManifold(ctx, fr, part("mesh_x", i), part("mesh_mode", i), true);
  if (on.push && DATA.push_ref > 0) drawPush(ctx, fr, fakes, part("push", i));
  ctx.restore();
}

// --- the 1D view: Goodfellow et al. 2014, Figure 1 ----------------------------------------

/** The scales of Figure 1: x across, densities (and D if a probability) up, z on a lower line. */
function figure1Frame(canvas) {
  const left = 46, right = canvas.width - 46, top = 16, base = 380;
  const [d0, d1] = DATA.d_axis || [0, DATA.ymax];                  // D's own axis, if it has one
  return { left, right, top, base, zline: 500,
    X: (x) => left + ((x - BOX[0]) / (BOX[1] - BOX[0])) * (right - left),
    Y: (y) => base - (Math.min(y, DATA.ymax) / DATA.ymax) * (base - top),   // taller bars are cut
    D: (v) => base - ((v - d0) / (d1 - d0)) * (base - top) };
}

/** Bars of a histogram of values over the box, as a density of all N values (plots.hist_density). */
function drawBars(ctx, fr, values, fill) {
  const h = new Float32Array(80), w = (fr.right - fr.left) / h.length, span = BOX[1] - BOX[0];
  for (const v of values) {
    const k = Math.floor(((v - BOX[0]) / span) * h.length);
    if (k >= 0 && k < h.length) h[k] += h.length / (values.length * span);
  }
  ctx.fillStyle = fill;
  h.forEach((v, k) => ctx.fillRect(fr.left + k * w, fr.Y(v), w - 0.5, fr.base - fr.Y(v)));
}

/** A curve sampled at n points spread evenly over the box; y(k) is its height in pixels. */
function drawCurve(ctx, fr, n, y, colour, dash) {
  ctx.strokeStyle = colour; ctx.lineWidth = 2; ctx.setLineDash(dash); ctx.beginPath();
  for (let k = 0; k < n; k++) ctx.lineTo(fr.X(BOX[0] + (k * (BOX[1] - BOX[0])) / (n - 1)), y(k));
  ctx.stroke(); ctx.setLineDash([]);
}

/** Figure 1 of snapshot i: p_data (dotted), p_g (green bars), D (blue dashed), z → G(z) below. */
function draw1D(ctx, i, on) {
  const fr = figure1Frame(ctx.canvas), f = part("field", i), pdf = DATA.pdf;
  ctx.save(); ctx.beginPath(); ctx.rect(fr.left, 0, fr.right - fr.left, 999); ctx.clip();  // the x range only
  if (on.fakes) drawBars(ctx, fr, part("fakes", i), "rgba(44, 160, 44, 0.55)");
  if (on.real && pdf) drawCurve(ctx, fr, pdf.length, (k) => fr.Y(pdf[k]), "#000", [2, 3]);
  if (on.real && !pdf) drawBars(ctx, fr, ARR.real, "rgba(0, 0, 0, 0.25)");
  if (on.field) drawCurve(ctx, fr, f.length, (k) => fr.D(f[k]), "#1f77b4", [7, 4]);
  if (on.field && DATA.level !== null) drawCurve(ctx, fr, 2, () => fr.D(DATA.level), "#1f77b4", [1, 3]);
  if (on.manifold) drawZMap(ctx, fr, part("mesh_x", i), part("mesh_mode", i));
  ctx.restore();
  axes1D(ctx, fr);
}

/** The axes of Figure 1: x along the bottom, density on the left, D's own range if it has one. */
function axes1D(ctx, fr) {
  ctx.strokeStyle = ctx.fillStyle = "#000"; ctx.lineWidth = 1; ctx.font = "11px sans-serif";
  segment(ctx, fr.left, fr.top, fr.left, fr.base);
  segment(ctx, fr.left, fr.base, fr.right, fr.base);
  for (const x of [0, 1, 2, 3, 4].map((k) => BOX[0] + (k * (BOX[1] - BOX[0])) / 4)) {
    ctx.fillStyle = "#fff"; ctx.fillRect(fr.X(x) - 16, fr.base + 3, 32, 14);    // over z → G(z)
    ctx.fillStyle = "#000"; label(ctx, fmt(x), fr.X(x), fr.base + 14, "center");
  }
  label(ctx, "x", fr.right + 8, fr.base + 4);
  label(ctx, fmt(DATA.ymax), 4, fr.top + 4); label(ctx, "0", 30, fr.base);
  const [d0, d1] = DATA.d_axis || [];                             // D on its own axis: its range
  if (DATA.d_axis) label(ctx, `D: ${fmt(d0)} (bottom) … ${fmt(d1)} (top)`, fr.right, fr.top, "right");
}

/** Figure 1's lower part: a grid of z on a line, each joined to G(z) on the x axis, coloured by
 *  the mode G(z) lands on (grey: none). For z_dim ≥ 2 the line is z₁, with z₂… = 0. */
function drawZMap(ctx, fr, mesh, mode) {
  const n = DATA.z_dim === 1 ? mesh.length : Math.round(Math.sqrt(mesh.length));
  const row = DATA.z_dim === 1 ? 0 : Math.floor(n / 2) * n;          // the middle row: z₂ = 0
  const Z = (k) => fr.left + (k / (n - 1)) * (fr.right - fr.left);
  for (let k = 0; k < n; k += Math.max(1, Math.round(n / 33))) {
    ctx.strokeStyle = DATA.mode_colours[mode[row + k] + 1];
    segment(ctx, Z(k), fr.zline, fr.X(mesh[row + k]), fr.base);
  }
  ctx.strokeStyle = ctx.fillStyle = "#000";
  segment(ctx, fr.left, fr.zline, fr.right, fr.zline);
  label(ctx, `z = ${fmt(-DATA.z_range)}`, fr.left, fr.zline + 16);
  label(ctx, `z = ${fmt(DATA.z_range)}`, fr.right, fr.zline + 16, "right");
}

/** The noise plane, z₁ across and z₂ up, each grid point coloured by the mode G(z) lands on. */
function drawNoisePlane(canvas, mode) {
  const ctx = canvas.getContext("2d"), n = Math.round(Math.sqrt(mode.length)), c = canvas.width / n;
  const x = (j) => Math.round(j * c), y = (i) => canvas.height - Math.round(i * c);
  for (let k = 0; k < mode.length; k++) {          // k = i·n + j: row i is z₂, column j is z₁
    const i = Math.floor(k / n), j = k % n;
    ctx.fillStyle = DATA.mode_colours[mode[k] + 1];
    ctx.fillRect(x(j), y(i + 1), x(j + 1) - x(j), y(i) - y(i + 1));
  }
}

// --- the charts of history.csv, with a cursor at the current step ----------------------------

/** One chart: its series against the step, dotted equilibrium values, the cursor, a legend. */
function drawChart(canvas, chart, step) {
  const ctx = canvas.getContext("2d"), W = canvas.width, H = canvas.height, steps = DATA.history.step;
  const L = 52, R = 10, T = 22, B = 95, last = Math.max(steps[steps.length - 1] || 0, 1);
  const refs = chart.refs || [], f = chart.log ? Math.log10 : (v) => v;
  const all = chart.series.flatMap((s) => s[2] || []).concat(refs.map((r) => r[0]))
    .filter((v) => v !== null && (!chart.log || v > 0));
  let lo = chart.ymin ?? Math.min(...all), hi = chart.ymax ?? Math.max(...all);
  if (!(hi > lo)) [lo, hi] = all.length ? [lo - 1, lo + 1] : [0, 1];   // flat, or no rows yet
  const X = (s) => L + (s / last) * (W - L - R);
  const Y = (v) => H - B - ((f(v) - f(lo)) / (f(hi) - f(lo))) * (H - T - B);
  ctx.clearRect(0, 0, W, H);
  ctx.font = "bold 12px sans-serif"; ctx.fillStyle = "#000"; ctx.fillText(chart.title, 4, 13);
  ctx.font = "11px sans-serif"; ctx.strokeStyle = "#888"; ctx.lineWidth = 1;
  ctx.strokeRect(L, T, W - L - R, H - T - B);
  label(ctx, fmt(hi), L - 3, T + 9, "right"); label(ctx, fmt(lo), L - 3, H - B, "right");  // y range
  label(ctx, "0", L, H - B + 13); label(ctx, `step ${last}`, W - R, H - B + 13, "right");   // steps
  ctx.setLineDash([2, 3]);
  refs.forEach(([y, , colour]) => { ctx.strokeStyle = colour; segment(ctx, L, Y(y), W - R, Y(y)); });
  ctx.setLineDash([]); ctx.lineWidth = 1.5;
  for (const [, colour, values] of chart.series) {
    ctx.strokeStyle = colour; ctx.beginPath();
    (values || []).forEach((v, k) => (v === null ? (ctx.stroke(), ctx.beginPath()) : ctx.lineTo(X(steps[k]), Y(v))));
    ctx.stroke();
  }
  ctx.strokeStyle = "#d62728"; ctx.lineWidth = 1; segment(ctx, X(step), T, X(step), H - B);  // cursor
  chartLegend(ctx, chart.series, refs, steps.indexOf(step), H - B + 30);
}

/** The legend under a chart: each series with its value at the cursor, then the dotted lines. */
function chartLegend(ctx, series, refs, row, y) {
  series.forEach(([name, colour, values], k) => {
    const v = values && row >= 0 ? values[row] : null;
    ctx.fillStyle = colour; ctx.fillRect(4, y + 14 * k - 4, 14, 3);
    ctx.fillStyle = "#000"; ctx.fillText(`${name}: ${v === null ? "–" : fmt(v)}`, 24, y + 14 * k);
  });
  refs.forEach(([, text, colour], k) => {
    ctx.fillStyle = colour; ctx.fillText(`····  ${text}`, 4, y + 14 * (series.length + k), ctx.canvas.width - 8);
  });
}

/** The one colour scale of the replay, D's level marked on it. */
function drawColourBar(canvas) {
  const ctx = canvas.getContext("2d"), [lo, hi] = DATA.field_range, W = canvas.width - 60;
  const X = (v) => 30 + (W * (v - lo)) / (hi - lo);
  for (let k = 0; k <= W; k++) {
    ctx.fillStyle = `rgb(${colourOf(lo + ((hi - lo) * k) / W)})`;
    ctx.fillRect(30 + k, 2, 1.5, 14);
  }
  ctx.fillStyle = "#000"; ctx.font = "11px sans-serif";
  const marks = DATA.level === null ? [lo, hi] : [lo, DATA.level, hi];
  marks.forEach((v) => { label(ctx, fmt(v), X(v), 30, "center"); ctx.fillRect(X(v) - 1, 0, 2, 18); });
}

// --- the timeline -----------------------------------------------------------------------------

const $ = (id) => document.getElementById(id);
const boxes = document.querySelectorAll("#layers input");
let current = 0, timer = null;

/** Show snapshot i: the step number, the view, the noise plane and the chart cursors. */
function show(i) {
  current = Math.min(Math.max(i, 0), DATA.steps.length - 1);
  $("slider").value = current;
  $("step").textContent = DATA.steps[current];
  $("count").textContent = `snapshot ${current + 1} of ${DATA.steps.length}`;
  const ctx = $("view").getContext("2d"), on = {};
  boxes.forEach((box) => { on[box.id.slice("layer-".length)] = box.checked; });
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  (DATA.image ? drawImages : DATA.dim === 2 ? draw2D : draw1D)(ctx, current, on);   // digits.js
  if ($("zplane")) drawNoisePlane($("zplane"), part("mesh_mode", current));
  const charts = document.querySelectorAll("#charts canvas");
  DATA.history.charts.forEach((c, k) => drawChart(charts[k], c, DATA.steps[current]));
}

/** Play: one snapshot every 300 ms until the last; pressing again pauses. */
function play() {
  if (timer) { clearInterval(timer); timer = null; $("play").textContent = "▶ play"; return; }
  if (current === DATA.steps.length - 1) show(0);
  $("play").textContent = "❚❚ pause";
  timer = setInterval(() => (current === DATA.steps.length - 1 ? play() : show(current + 1)), 300);
}

$("slider").max = DATA.steps.length - 1;
$("slider").addEventListener("input", () => show(Number($("slider").value)));
$("back").addEventListener("click", () => show(current - 1));
$("forward").addEventListener("click", () => show(current + 1));
$("play").addEventListener("click", play);
boxes.forEach((box) => box.addEventListener("change", () => show(current)));
if ($("colourbar")) drawColourBar($("colourbar"));
show(0);
