// The London map component (app_pages/_svg_map.py): draws each area's <path> once from a pre-projected paths file
// (cohesion_metrics/svg_paths.py, fetched once and cached by the browser) and on every rerun only recolours them from
// a values-only message. Hover: a light tooltip (name, code, formatted value, rank). Click: the area code goes back
// to Python as the trigger value "clicked". No network beyond this server, no fonts.
const SVGNS = "http://www.w3.org/2000/svg";
const files = new Map(); // url -> Promise of the parsed paths file (shared by every map on the page)
const states = new WeakMap(); // parentElement -> state of its mounted map
const CSS = `
.cm-svgmap { position: relative; width: 100%; height: 100%; min-height: 360px; font-family: sans-serif; }
.cm-svgmap svg { position: absolute; inset: 0; width: calc(100% - 120px); height: 100%; }
.cm-svgmap path.cm-area { stroke: #ffffff; stroke-width: 0.15; cursor: pointer; }
.cm-svgmap path.cm-area:hover { stroke: #000000; stroke-width: 0.8; }
.cm-svgmap g.cm-hi path { fill: none; stroke: #000000; stroke-width: 1.1; pointer-events: none; }
.cm-svgmap g.cm-outlines path { fill: none; stroke: #3d3d3d; stroke-width: 0.7; pointer-events: none; }
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
  const svg = document.createElementNS(SVGNS, "svg");
  svg.setAttribute("viewBox", `0 0 ${paths.w} ${paths.h}`);
  svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
  svg.setAttribute("role", "img");
  // One string of markup: the browser parses thousands of paths far faster than createElementNS one by one.
  const areas = paths.d.map((d, i) => `<path class="cm-area" data-i="${i}" d="${d}"/>`).join("");
  svg.innerHTML = `<g class="cm-areas" stroke="#ffffff" stroke-width="0.15">${areas}</g>`
    + '<g class="cm-hi" fill="none" stroke="#000000" stroke-width="1.1" pointer-events="none"></g>'
    + '<g class="cm-outlines" fill="none" stroke="#3d3d3d" stroke-width="0.7" pointer-events="none"></g>';
  const tip = document.createElement("div");
  tip.className = "cm-tip";
  const legend = document.createElement("div");
  legend.className = "cm-legend";
  box.append(svg, legend, tip);
  root.appendChild(box);
  return {box, svg, tip, legend, paths, els: svg.querySelectorAll("path.cm-area"), msg: null, outlines: null};
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
  st.svg.style.width = m.kind === "classes" ? "100%" : "";  // the classes legend sits beside the map, on the page
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
  const m = st.msg;
  const hi = [];
  for (let i = 0; i < st.els.length; i++) {
    const v = m.values[i];
    st.els[i].setAttribute("fill", colourOf(m, v));
    if (m.highlight !== null && v === m.highlight) hi.push(st.paths.d[i]);
  }
  st.svg.querySelector("g.cm-hi").innerHTML = hi.length ? `<path d="${hi.join("")}"/>` : "";
  st.box.dataset.n = String(st.els.length);
  st.box.dataset.measure = m.measure;
  drawLegend(st);
}

function drawOutlines(st, outlines) {
  const g = st.svg.querySelector("g.cm-outlines");
  g.innerHTML = outlines ? `<path d="${outlines.d.join("")}"/>` : "";
}

function listen(st, setTriggerValue) {
  const areaAt = (e) => (e.target && e.target.classList && e.target.classList.contains("cm-area")
    ? Number(e.target.dataset.i) : null);
  st.svg.addEventListener("mousemove", (e) => {
    const i = areaAt(e);
    if (i === null || !st.msg) { st.tip.style.display = "none"; return; }
    st.tip.innerHTML = tooltipText(st, i);
    const r = st.box.getBoundingClientRect();
    const x = e.clientX - r.left, y = e.clientY - r.top;
    st.tip.style.display = "block";
    st.tip.style.left = `${Math.min(x + 14, r.width - st.tip.offsetWidth - 4)}px`;
    st.tip.style.top = `${Math.max(4, y - st.tip.offsetHeight - 10)}px`;
  });
  st.svg.addEventListener("mouseleave", () => { st.tip.style.display = "none"; });
  st.svg.addEventListener("click", (e) => {
    const i = areaAt(e);
    if (i !== null) setTriggerValue("clicked", st.paths.code[i]);
  });
}

export default function (component) {
  const {data, parentElement, setTriggerValue} = component;
  if (!data) return;
  addStyle();
  const msg = {...data, values: decode(data.values, Float32Array), ranks: decode(data.ranks, Int16Array), extra: null};
  if (data.kind === "classes") { // class codes and scores in hundredths, one byte each: 0 and 255 mean no data
    msg.values = Float32Array.from(decode(data.values, Uint8Array), (c) => (c ? c : NaN));
    msg.extra = Float32Array.from(decode(data.extra, Uint8Array), (x) => (x === 255 ? NaN : x / 100));
  }
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
    listen(st, setTriggerValue);
    drawOutlines(st, outlines);
    states.set(parentElement, st);
    apply(st);
  }).catch((err) => {
    parentElement.textContent = `The map could not be drawn: ${err.message}`;
  });
}
