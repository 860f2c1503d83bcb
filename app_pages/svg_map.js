// The London map component (app_pages/_svg_map.py): makes each area's Path2D once from a pre-projected paths file
// (cohesion_metrics/figures/svg_paths.py, fetched once and cached by the browser) and on every rerun only refills them on a
// software 2D canvas from a values-only message. Hover: a light tooltip (name, code, formatted value, rank). Click:
// the area code goes back to Python as the trigger value "clicked". No network beyond this server, no fonts.
const files = new Map(); // url -> Promise of the parsed paths file (shared by every map on the page)
const states = new WeakMap(); // parentElement -> state of its mounted map
const CSS = `
.cm-svgmap { position: relative; width: 100%; height: 100%; min-height: 360px; font-family: sans-serif; }
.cm-svgmap canvas.cm-paint { position: absolute; left: 0; top: 0; }
.cm-svgmap .cm-tip { position: absolute; display: none; pointer-events: none; background: #ffffff; color: #1a1a1a;
  border: 1px solid #8c8c8c; border-radius: 4px; padding: 4px 8px; font-size: 15px; line-height: 1.35;
  max-width: 340px; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.25); z-index: 2; }
.cm-svgmap .cm-legend { position: absolute; right: 0; top: 10%; width: 112px; font-size: 15px; color: #1a1a1a; }
.cm-svgmap .cm-legend-title { font-size: 14px; margin-bottom: 4px; }
.cm-svgmap .cm-legend-bar { float: left; width: 16px; height: 220px; border: 1px solid #8c8c8c; }
.cm-svgmap .cm-legend-ticks { float: left; height: 222px; margin-left: 6px; display: flex;
  flex-direction: column; justify-content: space-between; }
.cm-svgmap .cm-legend-nodata { clear: both; padding-top: 8px; font-size: 14px; }
.cm-svgmap .cm-legend-nodata i { display: inline-block; width: 14px; height: 14px; vertical-align: -2px; }
`;

function addStyle() {
  if (document.getElementById("cm-svgmap-style")) return;
  const el = document.createElement("style");
  el.id = "cm-svgmap-style";
  el.textContent = CSS;
  document.head.appendChild(el);
}

function load(url) {
  if (!files.has(url)) files.set(url, fetch(url).then((r) => {
    if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
    return r.json();
  }));
  return files.get(url);
}

function decode(b64, Type) {
  if (!b64) return null;
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return new Type(bytes.buffer);
}

const fmt = (v, digits) => (Number.isFinite(v)
  ? v.toLocaleString("en-GB", {maximumFractionDigits: digits, minimumFractionDigits: digits}) : "no data");

function colourOf(msg, v) {
  if (!Number.isFinite(v)) return msg.no_data;
  if (msg.kind === "classes") return msg.palette[Math.round(v)] || msg.no_data;
  const n = msg.palette.length;
  const span = msg.vmax - msg.vmin || 1;
  let t = (v - msg.vmin) / span;
  if (msg.reverse) t = 1 - t;
  return msg.palette[Math.max(0, Math.min(n - 1, Math.round(t * (n - 1))))];
}

function mount(root, paths) {
  root.innerHTML = "";
  const box = document.createElement("div");
  box.className = "cm-svgmap";
  // A 2D canvas kept in software (willReadFrequently): filling ~4,800 paths there takes tens of ms, where the same
  // SVG paths went through GPU raster (SwiftShader on a laptop without WebGL) for seconds on every recolour.
  const canvas = document.createElement("canvas");
  canvas.className = "cm-paint";
  canvas.setAttribute("role", "img");
  const ctx = canvas.getContext("2d", {willReadFrequently: true});
  const tip = document.createElement("div");
  tip.className = "cm-tip";
  const legend = document.createElement("div");
  legend.className = "cm-legend";
  box.append(canvas, legend, tip);
  root.appendChild(box);
  // Path2D objects and bounding boxes (for hover hit tests), made once per paths file.
  const shapes = paths.d.map((d) => new Path2D(d));
  const boxes = paths.d.map((d) => {
    const n = d.match(/-?[0-9.]+/g) || [];
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (let k = 0; k + 1 < n.length; k += 2) {
      const x = +n[k], y = +n[k + 1];
      if (x < x0) x0 = x; if (x > x1) x1 = x; if (y < y0) y0 = y; if (y > y1) y1 = y;
    }
    return [x0, y0, x1, y1];
  });
  const st = {box, canvas, ctx, tip, legend, paths, shapes, boxes, msg: null, outlines: null, fit: null, draws: 0};
  new ResizeObserver(() => { if (st.msg) draw(st); }).observe(box);
  return st;
}

function fitTo(st) {
  const dpr = window.devicePixelRatio || 1;
  const wide = st.msg && st.msg.kind === "classes"; // the classes legend sits beside the map, on the page
  const cw = Math.max(1, st.box.clientWidth - (wide ? 0 : 120)), ch = Math.max(1, st.box.clientHeight);
  if (st.canvas.width !== Math.round(cw * dpr) || st.canvas.height !== Math.round(ch * dpr)) {
    st.canvas.width = Math.round(cw * dpr);
    st.canvas.height = Math.round(ch * dpr);
    st.canvas.style.width = `${cw}px`;
    st.canvas.style.height = `${ch}px`;
  }
  const k = Math.min(cw / st.paths.w, ch / st.paths.h);
  st.fit = {k, dx: (cw - st.paths.w * k) / 2, dy: (ch - st.paths.h * k) / 2, dpr};
}

function draw(st) {
  fitTo(st);
  const {ctx, msg: m, fit} = st;
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.clearRect(0, 0, st.canvas.width, st.canvas.height);
  ctx.setTransform(fit.k * fit.dpr, 0, 0, fit.k * fit.dpr, fit.dx * fit.dpr, fit.dy * fit.dpr);
  const byColour = new Map(); // one fillStyle change per colour, not per area
  for (let i = 0; i < st.shapes.length; i++) {
    const c = colourOf(m, m.values[i]);
    if (!byColour.has(c)) byColour.set(c, []);
    byColour.get(c).push(i);
  }
  for (const [c, idx] of byColour) {
    ctx.fillStyle = c;
    for (const i of idx) ctx.fill(st.shapes[i]);
  }
  ctx.lineJoin = "round";
  if (m.kind === "classes" || st.shapes.length < 1000) { // white edges where areas are large enough to show them
    ctx.strokeStyle = "#ffffff";
    ctx.lineWidth = 0.3 / fit.k;
    for (const p of st.shapes) ctx.stroke(p);
  }
  if (m.highlight !== null) {
    ctx.strokeStyle = "#000000";
    ctx.lineWidth = 1.4 / fit.k;
    for (let i = 0; i < st.shapes.length; i++) if (m.values[i] === m.highlight) ctx.stroke(st.shapes[i]);
  }
  if (m.exposed) { // high need, low capacity and exposed: a yellow outline over the black one
    ctx.strokeStyle = m.exposed_colour;
    ctx.lineWidth = 2.2 / fit.k;
    for (let i = 0; i < st.shapes.length; i++) if (m.exposed[i]) ctx.stroke(st.shapes[i]);
  }
  if (st.outlines) {
    ctx.strokeStyle = "#3d3d3d";
    ctx.lineWidth = 0.9 / fit.k;
    for (const p of st.outlines) ctx.stroke(p);
  }
  st.draws++;
  st.box.dataset.draws = String(st.draws);
}

function areaAtPoint(st, clientX, clientY) {
  const r = st.canvas.getBoundingClientRect();
  const x = (clientX - r.left - st.fit.dx) / st.fit.k, y = (clientY - r.top - st.fit.dy) / st.fit.k;
  st.ctx.setTransform(1, 0, 0, 1, 0, 0);
  for (let i = 0; i < st.shapes.length; i++) {
    const b = st.boxes[i];
    if (x < b[0] || x > b[2] || y < b[1] || y > b[3]) continue;
    if (st.ctx.isPointInPath(st.shapes[i], x, y)) return i;
  }
  return null;
}

function tooltipText(st, i) {
  const m = st.msg, p = st.paths;
  const v = m.values[i];
  let html = `<b>${p.name[i]}</b> (${p.code[i]})<br>`;
  if (m.kind === "classes") {
    html += Number.isFinite(v) ? `${m.class_labels[Math.round(v)] || ""}<br>need ${fmt(m.extra[2 * i], 2)}, `
      + `cohesion capacity ${fmt(m.extra[2 * i + 1], 2)} (0-1)` : "no data";
    return html;
  }
  html += `${m.label}: ${fmt(v, m.digits)}${m.unit ? ` (${m.unit})` : ""}`;
  if (m.ranks && Number.isFinite(v)) {
    const k = m.rank_cols;
    const r = m.ranks[k * i];
    if (r > 0) html += `<br>rank ${r.toLocaleString("en-GB")} of ${m.rank_n.toLocaleString("en-GB")} ${m.rank_words}`;
    if (k === 3 && m.ranks[k * i + 1] > 0) {
      html += `<br>likely rank ${m.ranks[k * i + 1].toLocaleString("en-GB")} to `
        + `${m.ranks[k * i + 2].toLocaleString("en-GB")} (5-95%)`;
    }
  }
  return html;
}

function drawLegend(st) {
  const m = st.msg;
  if (m.kind === "classes" && m.exposed && m.exposed.some((x) => x)) { // the 3 x 3 key is beside the map
    st.legend.style.display = "";
    st.legend.innerHTML = `<div class="cm-legend-nodata"><i style="background:none;border:3px solid ${m.exposed_colour}">`
      + "</i> high need, low capacity and exposed (hazard in London's top third)</div>";
    return;
  }
  if (m.kind === "classes" || !m.palette.length) { st.legend.style.display = "none"; return; }
  const stops = (m.reverse ? [...m.palette].reverse() : m.palette).join(",");
  st.legend.style.display = "";
  st.legend.innerHTML = `<div class="cm-legend-title">${m.legend_title}</div>`
    + `<div class="cm-legend-bar" style="background:linear-gradient(to top,${stops})"></div>`
    + `<div class="cm-legend-ticks"><span>${fmt(m.vmax, m.digits)}</span><span>${fmt((m.vmin + m.vmax) / 2, m.digits)}`
    + `</span><span>${fmt(m.vmin, m.digits)}</span></div>`
    + `<div class="cm-legend-nodata"><i style="background:${m.no_data}"></i> no data</div>`;
}

function recolour(st) {
  draw(st);
  st.box.dataset.n = String(st.shapes.length);
  st.box.dataset.measure = st.msg.measure;
  drawLegend(st);
}

function listen(st, setTriggerValue) {
  let pending = null;
  st.canvas.addEventListener("mousemove", (e) => {
    if (pending) return; // one hit test per frame
    pending = requestAnimationFrame(() => {
      pending = null;
      const i = st.msg ? areaAtPoint(st, e.clientX, e.clientY) : null;
      if (i === null) { st.tip.style.display = "none"; st.canvas.style.cursor = ""; return; }
      st.canvas.style.cursor = "pointer";
      st.tip.innerHTML = tooltipText(st, i);
      const r = st.box.getBoundingClientRect();
      const x = e.clientX - r.left, y = e.clientY - r.top;
      st.tip.style.display = "block";
      st.tip.style.left = `${Math.min(x + 14, r.width - st.tip.offsetWidth - 4)}px`;
      st.tip.style.top = `${Math.max(4, y - st.tip.offsetHeight - 10)}px`;
    });
  });
  st.canvas.addEventListener("mouseleave", () => { st.tip.style.display = "none"; });
  st.canvas.addEventListener("click", (e) => {
    const i = areaAtPoint(st, e.clientX, e.clientY);
    if (i !== null) setTriggerValue("clicked", st.paths.code[i]);
  });
}

export default function (component) {
  const {data, parentElement, setTriggerValue} = component;
  if (!data) return;
  addStyle();
  const classes = data.kind === "classes"; // class codes and scores in hundredths, one byte each: 0, 255 = no data
  const msg = {...data,
    values: classes ? Float32Array.from(decode(data.values, Uint8Array), (c) => (c ? c : NaN))
      : decode(data.values, Float32Array),
    ranks: classes ? null : decode(data.ranks, Int16Array),
    extra: classes ? Float32Array.from(decode(data.extra, Uint8Array), (x) => (x === 255 ? NaN : x / 100)) : null,
    exposed: classes && data.exposed ? decode(data.exposed, Uint8Array) : null};
  let st = states.get(parentElement);
  const apply = (s) => {
    s.msg = msg;
    recolour(s);
  };
  if (st && st.url === data.url && parentElement.contains(st.box)) { apply(st); return; }
  const token = {};
  states.set(parentElement, {pending: token});
  Promise.all([load(data.url), data.outline_url ? load(data.outline_url) : null]).then(([paths, outlines]) => {
    const cur = states.get(parentElement);
    if (!cur || cur.pending !== token) return; // a newer message replaced this one
    st = mount(parentElement, paths);
    st.url = data.url;
    st.outlines = outlines ? outlines.d.map((d) => new Path2D(d)) : null;
    listen(st, setTriggerValue);
    states.set(parentElement, st);
    apply(st);
  }).catch((err) => {
    parentElement.textContent = `The map could not be drawn: ${err.message}`;
  });
}
