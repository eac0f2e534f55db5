// minigan lab, image runs (the digits): G's fixed grid per snapshot, beside real images.
// Loaded before lab.js on an image run's page (lab.py); lab.js's show() calls drawImages.
// Each image is h × w grey levels 0–16, drawn as squares: ink dark on white, as written.
"use strict";

/** Images k0…k0+n−1 of a flat (…, h·w) pixel array, cols to a row, from (x0, y0). */
function drawTiles(ctx, pixels, k0, n, cols, x0, y0, size) {
  const [h, w] = DATA.image, cell = size / (w + 1);
  for (let k = 0; k < n; k++) {
    const r = Math.floor(k / cols), c = k % cols;
    for (let i = 0; i < h * w; i++) {
      const v = pixels[(k0 + k) * h * w + i], g = Math.round(255 * (1 - v / 16));
      ctx.fillStyle = `rgb(${g},${g},${g})`;
      ctx.fillRect(x0 + c * size + (i % w) * cell, y0 + r * size + Math.floor(i / w) * cell,
                   Math.ceil(cell), Math.ceil(cell));
    }
  }
}

/** Snapshot i: G's images on the left half (the first 5 of each row of its 10 × 10 grid: a
 * conditional run's row r asks for digit r), real training images on the right. */
function drawImages(ctx, i, on) {
  const W = ctx.canvas.width, half = W / 2, size = half / 5, grid = part("grids", i);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, W, ctx.canvas.height);
  if (on.fakes) for (let r = 0; r < 10; r++) drawTiles(ctx, grid, r * 10, 5, 5, 0, r * size, size);
  if (on.real) drawTiles(ctx, ARR.real, 0, 50, 5, half, 0, size);
  ctx.strokeStyle = "#888888";
  segment(ctx, half, 0, half, ctx.canvas.height);
}
