// minigan live: the lab page's drawing (lab.js, inlined above, unchanged) fed by the server.
// Each frame is lab.py's page data for one snapshot of the current G and D: it goes into DATA
// (and its arrays, decoded, into ARR) and lab.js's show(0) draws it. Controls are POSTs to
// /control; the session's token travels in a header (never a cookie). No libraries.
"use strict";

const TOKEN = new URLSearchParams(location.search).get("token");
const LIVE = { version: DATA.version, run: DATA.live.run, redraws: 0, total: 0, since: performance.now(),
  drawing: false, points: [], labels: [], range: null };
window.LIVE = LIVE;                  // (the tests and the benchmark read the redraw count)

/** A request to the server, with the token; the JSON answer. */
async function api(path, body) {
  const headers = { "X-Minigan-Token": TOKEN };
  const init = body === undefined ? { headers } : { method: "POST", body: JSON.stringify(body),
    headers: { ...headers, "Content-Type": "application/json" } };
  const answer = await fetch(path, init);
  return answer.json();
}

/** A line under the controls: what the last control did, or why it was refused (red). */
function say(text, bad) {
  $("message").textContent = text || "";
  $("message").className = bad ? "bad" : "";
}

/** One control: POST it, show the answer; the next frame shows its effect. */
async function control(action, extra = {}) {
  const answer = await api("/control", { action, ...extra });
  say(answer.message, !answer.ok);
  return answer;
}

// --- frames ---------------------------------------------------------------------------------

/** Put a frame into DATA and ARR as lab.js's page load did; a new run reloads the page (its box
 *  and dataset are new). */
function take(frame) {
  if (frame.live.run !== LIVE.run) { location.reload(); return false; }
  for (const key in ARR) if (!(key in frame)) delete ARR[key];
  for (const key in frame) {
    DATA[key] = frame[key];
    if (frame[key] && frame[key].b64) ARR[key] = decode(frame[key]);
  }
  LIVE.version = frame.version;
  return true;
}

/** The counters, the play button, the game's fields (not the one being edited) and the layers. */
function status(live) {
  const pos = live.position;
  $("d-count").textContent = pos.d; $("g-count").textContent = pos.g;
  $("run").textContent = live.playing ? "❚❚ pause" : "▶ play";
  $("speed").value = String(live.speed);
  for (const [name, value] of Object.entries(live.config)) {
    const input = $(`set-${name}`);
    if (input && input !== document.activeElement) input.value = String(value);
  }
  if (live.message && !$("message").textContent) say(live.message);
  (DATA.layers || []).forEach(([key, , text]) => { if ($(`text-${key}`)) $(`text-${key}`).textContent = text; });
}

/** Draw the current frame (lab.js's show), or the points being drawn. */
function redraw() {
  if (LIVE.drawing) { drawDrawn(); return; }
  show(0);
  const range = DATA.field_range.join();
  if ($("colourbar") && range !== LIVE.range) {     // the colour scale moved: redraw its bar
    const bar = $("colourbar");
    bar.getContext("2d").clearRect(0, 0, bar.width, bar.height);
    drawColourBar(bar);
    LIVE.range = range;
  }
  LIVE.redraws++; LIVE.total++;
  const secs = (performance.now() - LIVE.since) / 1000;
  if (secs > 2) {
    $("fps").textContent = `${(LIVE.redraws / secs).toFixed(1)} redraws/s · frame ${DATA.frame_ms} ms`;
    LIVE.redraws = 0; LIVE.since = performance.now();
  }
}

/** Ask for the next frame when the last is drawn (long polling: frames never pile up). */
async function loop() {
  for (;;) {
    let frame;
    try {
      frame = await api(`/frame?after=${LIVE.version}`);
    } catch (err) {
      say("the session's process has ended (or the network is gone)", true);
      return;
    }
    if (frame.version > LIVE.version || frame.ended) {
      if (!take(frame)) return;
      status(frame.live);
      redraw();
    }
    if (frame.ended) { say(`session ended: the run is in ${frame.live.run_dir}`); return; }
  }
}

// --- the controls ---------------------------------------------------------------------------

$("run").addEventListener("click", () => control($("run").textContent.includes("play") ? "play" : "pause"));
$("one").addEventListener("click", () => control("step"));
$("one-d").addEventListener("click", () => control("step_d"));
$("one-g").addEventListener("click", () => control("step_g"));
$("speed").addEventListener("change", () => control("speed", { n: Number($("speed").value) }));
$("end").addEventListener("click", () => control("stop"));
$("new-seed").addEventListener("click", () => control("restart", { seed: Number($("seed").value) }));
$("new-data").addEventListener("click", () => control("restart", { data: $("dataset").value }));
$("set-loss").addEventListener("change", () =>
  control("set", { changes: { loss: $("set-loss").value }, defaults: $("bring").checked }));
$("set-update").addEventListener("change", () => control("set", { changes: { update: $("set-update").value } }));
document.querySelectorAll("#game input[data-kind]").forEach((input) => input.addEventListener("change", () => {
  // a number as typed (the server's config check says what is wrong); text stays text
  const text = input.value.trim(), number = Number(text);
  const value = text !== "" && Number.isFinite(number) ? number : text;
  control("set", { changes: { [input.id.slice(4)]: value } });
}));

// --- your own points: click or drag on the plane, a brush of random points around the mouse ----

/** Canvas pixels to data coordinates: the inverse of lab.js's frameOf (2D) or figure1Frame (1D). */
function toData(event) {
  const canvas = $("view"), r = canvas.getBoundingClientRect();
  const mx = ((event.clientX - r.left) * canvas.width) / r.width;
  const my = ((event.clientY - r.top) * canvas.height) / r.height;
  if (DATA.dim === 1) {
    const fr = figure1Frame(canvas);
    return [[BOX[0] + ((mx - fr.left) / (fr.right - fr.left)) * (BOX[1] - BOX[0])], 1 / (fr.right - fr.left) * (BOX[1] - BOX[0])];
  }
  const fr = frameOf(canvas);
  return [[BOX[0] + (mx - fr.px(BOX[0])) / fr.s, BOX[2] + (fr.py(BOX[2]) - my) / fr.s], 1 / fr.s];
}

/** Three points spread uniformly over the brush (a disc in 2D, an interval in 1D). */
function brush(event) {
  const [[x, y], perPixel] = toData(event), r = Number($("brush").value) * perPixel;
  for (let k = 0; k < 3; k++) {
    const a = 2 * Math.PI * Math.random(), d = r * Math.sqrt(Math.random());
    LIVE.points.push(DATA.dim === 1 ? [x + r * (2 * Math.random() - 1)] : [x + d * Math.cos(a), y + d * Math.sin(a)]);
    LIVE.labels.push(Number($("class").value || 0));
  }
  $("drawn").textContent = `${LIVE.points.length} points`;
  drawDrawn();
}

/** The drawn points on an empty plane (2D: discs; 1D: a histogram over Figure 1's axes). */
function drawDrawn() {
  const ctx = $("view").getContext("2d");
  ctx.clearRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  if (DATA.dim === 1) {
    const fr = figure1Frame(ctx.canvas);
    drawBars(ctx, fr, LIVE.points.map((p) => p[0]), "rgba(44, 160, 44, 0.7)");
    axes1D(ctx, fr);
    return;
  }
  const fr = frameOf(ctx.canvas), flat = LIVE.points.flat();
  ctx.strokeStyle = "#999"; ctx.strokeRect(fr.px(BOX[0]), fr.py(BOX[3]), (BOX[1] - BOX[0]) * fr.s, (BOX[3] - BOX[2]) * fr.s);
  drawPoints(ctx, fr, flat, "#2ca02c", "#000", DATA.class_colours.length ? LIVE.labels : null);
}

let pressed = false;
$("view").addEventListener("mousedown", (e) => { if (LIVE.drawing) { pressed = true; brush(e); } });
$("view").addEventListener("mousemove", (e) => { if (LIVE.drawing && pressed) brush(e); });
window.addEventListener("mouseup", () => { pressed = false; });
$("draw").addEventListener("click", () => {
  LIVE.drawing = !LIVE.drawing;
  $("draw").textContent = LIVE.drawing ? "back to training" : "draw";
  $("view").classList.toggle("drawing", LIVE.drawing);
  redraw();
});
$("clear").addEventListener("click", () => { LIVE.points = []; LIVE.labels = []; $("drawn").textContent = "0 points"; redraw(); });
$("use").addEventListener("click", () => control("restart", { points: LIVE.points, labels: LIVE.labels }));

/** The drawn points as the CSV that --data reads: x[,y][,label], one point a row. */
function pointsCSV() {
  const head = ["x", "y"].slice(0, DATA.dim).concat(DATA.class_colours.length ? ["label"] : []);
  const rows = LIVE.points.map((p, k) => p.concat(DATA.class_colours.length ? [LIVE.labels[k]] : []).join(","));
  return [head.join(",")].concat(rows).join("\n") + "\n";
}

$("export").addEventListener("click", () => {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([pointsCSV()], { type: "text/csv" }));
  link.download = "points.csv";
  link.click();
  URL.revokeObjectURL(link.href);
});

status(DATA.live);
loop();
