"""Browser benchmark of the app against a one-marker baseline, in Debian's Chromium driven by Playwright.

Usage: COHESION_DB=/tmp/bench.duckdb python benchmarks/app.py [--repeats N] [--app-path /] [--root DIR]

One run starts two Streamlit servers on free loopback ports (the app and benchmarks/baseline_one_marker_app.py),
warms each with one unmeasured load, then alternates fresh page loads (a new browser context each: empty HTTP cache,
new Streamlit session) baseline/app so both share the machine's noise, and finally changes the indicator N times.

How "drawn" is detected: MapLibre draws into `.js-plotly-plot canvas.maplibregl-canvas` with
preserveDrawingBuffer=false, so reading that canvas from our own requestAnimationFrame sees a cleared buffer. An init
script instead hooks each MapLibre map's `render` event (fired right after MapLibre issued a frame's draw calls, in the
same task, so the drawing buffer is still intact). For frames where MapLibre reports every source loaded
(`map.loaded()`) and plotly has sized the canvas to its container, it copies the canvas at 1/4 scale into a 2D canvas
and counts non-background pixels (opaque, min(r, g, b) < 235, as tools/localapp.py's drawn_fraction) and pixels that changed
against a reference frame. A map counts as drawn at the first such frame with non-background pixels: any for the
baseline's marker, >= 20 % of the canvas for the choropleth, and for a redraw >= 2 % of pixels changed. Times are
`performance.now()` in the page (ms since navigation start) when that frame's pixels had been read back: the readback
waits until the GPU (SwiftShader, i.e. CPU) has finished the frame, so this is when the pixels exist, about one
compositor frame before they reach the screen. Rendering is not changed, but a readback blocks the page's main thread
(hundreds of ms here), so reads are limited to loaded frames (usually 1-2 per map) and their count and cost are
printed. After each detection an element screenshot cross-checks that the canvas shows drawn pixels.

Flat maps (the overview's SVG choropleths on a plotly geo subplot) have no WebGL canvas: such a map counts as drawn in
the animation frame after the one in which every choropleth location of the figure has its `<path>` (the frame that
inserted them has been painted by then), and as redrawn when at least 2 % of the paths' fills differ from the
reference drawing. The element screenshot of `.geolayer` is the cross-check.

The overview's London map component (app_pages/svg_map.js: paths made once, filled on a software 2D canvas on each
message) is read back whenever its draw count (`data-draws`) changes; reading a software canvas is cheap (no GPU).
It counts as drawn in the animation frame after a read with >= 20 % drawn pixels (that frame has painted it), and as
redrawn when >= 2 % of pixels differ from the reference read. Its pre-projected paths file (`.paths.json`) is
counted with the GeoJSON fetched over HTTP. The cross-check is an element screenshot of its canvas.

How "the run finished" is detected: `stApp`'s `data-test-script-state` attribute, which Streamlit's frontend sets
from its script-run state (the state that also drives `[data-testid="stStatusWidget"]`; Streamlit's own e2e tests
wait on it). The status widget itself is a poor clock: it only appears after a run has lasted 500 ms and it fades out
over 200 ms (and with this project's `client.toolbarMode = "minimal"` it does not appear at all), so it is only
reported (did it show?), not timed.

indicator_click_to_redraw_ms: from the in-page click event on a new option of the indicator selectbox (LSOA level, the page of
the last app load) to the later of "the run it started finished" and "the map redrawn" (a drawn frame that differs
from the previous map). It is what a user waits for, not server time alone; the parts printed under it split it:
click -> widget message sent, sent -> largest websocket frame handled by the page, sent -> run finished as the page
saw it, and the server share measured on the wire by the proxy (widget message in -> last byte out).

Bytes: `lsoa_map_ws_mb` sums Playwright `websocket` `framereceived` payload sizes, which are the decompressed
payloads. When `server.enableWebsocketCompression` is on, what crosses the wire is less: each server listens behind
a small loopback TCP proxy that counts the server -> browser bytes of websocket connections after the handshake
(frame headers and permessage-deflate included), printed as `wire`. Maps whose GeoJSON is a URL fetch it over HTTP
instead; those responses (`.geojson` in the URL) are summed from Playwright's request sizes (encoded body + headers)
and printed next to the websocket figures, because the bytes have moved, not gone.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.localapp import (  # noqa: E402
    BACKGROUND_MIN,
    CHROMIUM,
    CHROMIUM_ARGS,
    AppStartError,
    drawn_fraction,
    streamlit_server,
)

BASELINE = Path(__file__).resolve().parent / "baseline_one_marker_app.py"
VIEWPORT = {"width": 1400, "height": 900}
DRAWN_FRACTION_APP = 0.2  # the choropleth covers ~70 % of its canvas; 20 % means "the map is there", not a fleck
CHANGED_FRACTION = 0.02  # share of sampled pixels that must differ from the previous map to count as redrawn
OPTION = "[role='listbox'] [role='option']"

INSTRUMENT_JS = r"""
(() => {
  if (window.__bench) return;
  const B = window.__bench = {wsIn: [], wsOut: [], clicks: [], state: [], samples: [], frames: 0, maps: 0,
                           reads: 0, readMs: 0, exception: null};
  const Native = window.WebSocket;
  class BenchWebSocket extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const d = e.data;
        B.wsIn.push([performance.now(), d.byteLength ?? d.size ?? d.length ?? 0]);
      });
    }
    send(data) {
      B.wsOut.push([performance.now(), data.byteLength ?? data.size ?? data.length ?? 0]);
      return super.send(data);
    }
  }
  window.WebSocket = BenchWebSocket;
  const label = (e) => (e.target.closest && e.target.closest('label,[role=option]')) || e.target;
  const onClick = (e) => B.clicks.push([performance.now(), (label(e).innerText || '').slice(0, 80)]);
  document.addEventListener('click', onClick, true);
  let lastState = null;
  const watch = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    const s = app ? app.getAttribute('data-test-script-state') : null;
    if (s !== lastState) { lastState = s; B.state.push([performance.now(), s]); }
    if (!B.exception) {
      const ex = document.querySelector('[data-testid="stException"]');
      if (ex) B.exception = ex.innerText.slice(0, 600);
    }
    const w = document.querySelector('[data-testid="stStatusWidget"]');
    if (w && !B.statusShown && !/exit/.test(w.className)) B.statusShown = performance.now();
  };
  new MutationObserver(watch).observe(document, {childList: true, subtree: true, attributes: true,
                                                 attributeFilter: ['data-test-script-state', 'class']});
  const off = document.createElement('canvas');
  const ctx = off.getContext('2d', {willReadFrequently: true});
  // The reference frame is kept as a canvas so that it can be rescaled if the map canvas was resized.
  let ref = null, refData = null;
  const scaled = document.createElement('canvas');
  const sctx = scaled.getContext('2d', {willReadFrequently: true});
  const refPixels = (w, h) => {
    if (!refData || refData.w !== w || refData.h !== h) {
      scaled.width = w; scaled.height = h;
      sctx.clearRect(0, 0, w, h);
      sctx.drawImage(ref, 0, 0, w, h);
      refData = {w, h, d: sctx.getImageData(0, 0, w, h).data};
    }
    return refData.d;
  };
  // Reading a WebGL canvas back is costly (a synchronous GPU readback, ~10-100 ms with SwiftShader), so pixels are
  // read only for frames that could count: MapLibre reports every source loaded and plotly has sized the canvas
  // (a freshly created map draws its first frames at MapLibre's default 400x300). Other frames are only counted.
  const sample = (map) => {
    const t = performance.now();
    const c = map.getCanvas();
    if (!c || !c.width || !c.height) return;
    const box = map.getContainer(), dpr = window.devicePixelRatio || 1;
    const sized = Math.abs(c.width - box.clientWidth * dpr) <= 2
                  && Math.abs(c.height - box.clientHeight * dpr) <= 2;
    B.frames++;
    if (!sized || !map.loaded()) return;
    const w = Math.max(1, Math.round(c.width / 4)), h = Math.max(1, Math.round(c.height / 4));
    if (off.width !== w || off.height !== h) { off.width = w; off.height = h; }
    ctx.clearRect(0, 0, w, h);
    ctx.drawImage(c, 0, 0, w, h);
    const d = ctx.getImageData(0, 0, w, h).data;
    const cmp = ref ? refPixels(w, h) : null;
    let drawn = 0, changed = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 128 && Math.min(d[i], d[i + 1], d[i + 2]) < BACKGROUND_MIN) drawn++;
      if (cmp && Math.abs(d[i] - cmp[i]) + Math.abs(d[i + 1] - cmp[i + 1])
                 + Math.abs(d[i + 2] - cmp[i + 2]) > 30) changed++;
    }
    const done = performance.now();  // the readback waited for the GPU to finish this frame: its pixels exist now
    B.reads++;
    B.readMs += done - t;
    B.samples.push({t: done, issued: t, drawn: drawn / (w * h), changed: cmp ? changed / (w * h) : null,
                    loaded: true, sized});
  };
  // Flat (SVG) maps on a plotly geo subplot: the map is complete when every choropleth location has its path; it
  // is on screen one frame later (the frame after the one whose animation callback saw it complete has painted).
  // `changed` compares the paths' fills, index by index, with the reference's.
  let svgRef = null, lastSvg = null;
  const svgLast = new WeakMap();  // graph div -> fills of its last recorded complete drawing
  const pendingSvg = [];
  const svgFills = (gd) => {
    const fd = gd._fullData || [];
    const expected = fd.filter(t => t.type === 'choropleth').reduce((n, t) => n + (t._length || 0), 0);
    const paths = gd.querySelectorAll('.choroplethlocation');
    if (!expected || paths.length < expected) return null;
    return Array.from(paths, el => el.getAttribute('fill'));
  };
  // The overview's London map component (app_pages/svg_map.js): a software 2D canvas it fills on each message.
  // When its draw count changes, its pixels are read at 1/4 scale (cheap: no GPU readback); the map counts as drawn
  // in the animation frame after that read (painted by then) when >= 20 % of pixels are drawn, and as redrawn when
  // >= 2 % differ from the reference read.
  const canvasDraws = new WeakMap();
  const pendingCanvas = [];
  let canvasRef = null, lastCanvas = null;
  const cctx = document.createElement('canvas').getContext('2d', {willReadFrequently: true});
  const scanCanvas = (box) => {
    const c = box.querySelector('canvas.cm-paint');
    const draws = box.dataset.draws;
    if (!c || !c.width || !draws || canvasDraws.get(box) === draws) return;
    canvasDraws.set(box, draws);
    const w = Math.max(1, Math.round(c.width / 4)), h = Math.max(1, Math.round(c.height / 4));
    cctx.canvas.width = w; cctx.canvas.height = h;
    cctx.clearRect(0, 0, w, h);
    cctx.drawImage(c, 0, 0, w, h);
    const d = cctx.getImageData(0, 0, w, h).data;
    let drawn = 0, changed = 0;
    const cmp = canvasRef && canvasRef.length === d.length ? canvasRef : null;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 128 && Math.min(d[i], d[i + 1], d[i + 2]) < BACKGROUND_MIN) drawn++;
      if (cmp && Math.abs(d[i] - cmp[i]) + Math.abs(d[i + 1] - cmp[i + 1]) + Math.abs(d[i + 2] - cmp[i + 2])
                 + Math.abs(d[i + 3] - cmp[i + 3]) > 30) changed++;
    }
    B.frames++;
    pendingCanvas.push({d, drawn: drawn / (w * h), changed: canvasRef ? (cmp ? changed / (w * h) : 1) : null});
  };
  const scanSvg = (gd) => {
    const fills = svgFills(gd);
    if (!fills) return;
    const last = svgLast.get(gd);
    if (last && last.length === fills.length && last.every((f, i) => f === fills[i])) return;
    svgLast.set(gd, fills);
    B.frames++;
    pendingSvg.push(fills);
  };
  const seen = new WeakSet();
  const scan = () => {
    const t = performance.now();
    while (pendingSvg.length) {  // seen complete in the previous frame, which has painted by now
      const fills = pendingSvg.shift();
      let changed = null;
      if (svgRef) {
        let n = 0;
        for (let i = 0; i < fills.length; i++) if (fills[i] !== svgRef[i]) n++;
        changed = n / Math.max(fills.length, 1);
      }
      lastSvg = fills;
      B.samples.push({t, issued: t, drawn: 1, changed, loaded: true, sized: true, svg: true});
    }
    while (pendingCanvas.length) {  // read in the previous frame, which has painted by now
      const r = pendingCanvas.shift();
      lastCanvas = r.d;
      B.samples.push({t, issued: t, drawn: r.drawn, changed: r.changed, loaded: true, sized: true, canvas: true});
    }
    for (const box of document.querySelectorAll('.cm-svgmap')) {
      B.maps += seen.has(box) ? 0 : 1; seen.add(box); scanCanvas(box);
    }
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
      const fl = gd._fullLayout;
      if (fl && fl._subplots && fl._subplots.geo && fl._subplots.geo.length) { B.maps += seen.has(gd) ? 0 : 1; seen.add(gd); scanSvg(gd); continue; }
      const sub = fl && fl.map && fl.map._subplot;
      const map = sub && sub.map;
      if (map && !seen.has(map)) { seen.add(map); B.maps++; map.on('render', () => sample(map)); }
    }
    requestAnimationFrame(scan);
  };
  requestAnimationFrame(scan);
  // Freeze the last sampled frame (still in `off`) as the reference for `changed`.
  B.setRef = () => {
    if (lastCanvas) { canvasRef = lastCanvas; B.samples = []; return true; }
    if (lastSvg) { svgRef = lastSvg; B.samples = []; return true; }
    if (!B.reads) return false;
    ref = document.createElement('canvas');
    ref.width = off.width; ref.height = off.height;
    ref.getContext('2d').drawImage(off, 0, 0);
    refData = null;
    B.samples = [];
    return true;
  };
  B.now = () => performance.now();
  B.idle = () => B.state.length > 0 && B.state[B.state.length - 1][1] === 'notRunning';
  // First render sample after t0 that is sized, fully loaded, drawn and (if asked) changed vs the reference.
  B.firstDrawn = (t0, minDrawn, minChanged) => {
    for (const s of B.samples) {
      if (s.t < t0 || s.drawn < minDrawn) continue;
      if (minChanged > 0 && !(s.changed >= minChanged)) continue;
      if (!s.sized || !s.loaded) continue;
      return s;
    }
    return null;
  };
  // The first run that starts after t0 and has finished: [startedAt, finishedAt] or null.
  B.runAfter = (t0) => {
    let start = null;
    for (const [t, s] of B.state) {
      if (t < t0) continue;
      if (start === null && (s === 'running' || s === 'rerunRequested')) start = t;
      else if (start !== null && s === 'notRunning') return [start, t];
    }
    return null;
  };
})();
""".replace("BACKGROUND_MIN", str(BACKGROUND_MIN))


#: Milestones of one app load, in ms after t0 (navigation start or the click), up to the drawn map at t1.
TIMELINE_JS = """([t0, t1]) => {
  const B = window.__bench;
  const ws = B.wsIn.map(m => m[0]).filter(t => t >= t0 && t <= t1);
  const run = B.runAfter(t0);
  const geoEntries = performance.getEntriesByType('resource')
    .filter(e => (e.name.includes('.geojson') || e.name.includes('.paths.json')) && e.startTime >= t0);
  const geo = geoEntries.map(e => e.responseEnd);
  const frame = B.samples.find(s => s.t >= t0);
  const rel = (t) => (t === null || t === undefined ? null : t - t0);
  return {'first ws message': rel(ws[0]), 'run finished': rel(run && run[1]),
          'GeoJSON requested': geoEntries.length ? rel(Math.min(...geoEntries.map(e => e.startTime))) : null,
          'GeoJSON fetched': geo.length ? rel(Math.max(...geo)) : null,
          'first MapLibre frame': rel(frame && frame.t), 'map drawn': t1 - t0};
}"""


class BenchError(RuntimeError):
    """The benchmark could not measure what it was asked to."""


class WireCounter:
    """A loopback TCP proxy in front of one server; counts server -> browser bytes on websocket connections."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.ws_bytes = 0
        #: (time.monotonic(), server -> browser?, bytes) of every websocket chunk, for the server's share of a rerun
        self.events: list[tuple[float, bool, int]] = []
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self._listener.getsockname()[1])
        threading.Thread(target=self._accept, daemon=True, name="wire-accept").start()

    def close(self) -> None:
        self._listener.close()

    def server_span_ms(self, mark: int) -> float | None:
        """From the first browser -> server chunk after event `mark` to the last server -> browser chunk, in ms."""
        events = self.events[mark:]
        up = next((t for t, down, _ in events if not down), None)
        last = max((t for t, down, _ in events if down), default=None)
        return None if up is None or last is None or last < up else (last - up) * 1000

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:  # closed
                return
            try:
                upstream = socket.create_connection(("127.0.0.1", self.target_port), timeout=10)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            conn = {"ws": False, "handshake": False}
            threading.Thread(target=self._pump, args=(client, upstream, conn, False), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, conn, True), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, conn: dict[str, bool], downstream: bool) -> None:
        try:
            while data := src.recv(1 << 16):
                if not downstream and not conn["ws"] and b"upgrade: websocket" in data.lower():
                    conn["ws"] = True  # set before the request is forwarded, so before any response
                if conn["ws"] and not downstream:
                    with self._lock:
                        self.events.append((time.monotonic(), False, len(data)))
                if downstream and conn["ws"]:
                    n = len(data)
                    if not conn["handshake"]:
                        end = data.find(b"\r\n\r\n")
                        n = len(data) - end - 4 if end >= 0 else 0
                        conn["handshake"] = end >= 0
                    with self._lock:
                        self.ws_bytes += n
                        self.events.append((time.monotonic(), True, n))
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()


@dataclass
class WsCounter:
    """Websocket payload sizes received by one page (Playwright `framereceived`)."""

    sizes: list[int] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload: bytes | str) -> None:
        self.sizes.append(len(payload) if isinstance(payload, bytes) else len(payload.encode("utf-8")))

    def since(self, mark: int) -> tuple[int, int]:
        """Bytes and largest frame received after `mark` (a previous `len(sizes)`)."""
        new = self.sizes[mark:]
        return sum(new), max(new, default=0)


def _is_geometry(url: str) -> bool:
    """Whether a request fetches map geometry: a static GeoJSON or the map component's pre-projected paths file."""
    return ".geojson" in url or ".paths.json" in url


@dataclass
class GeoRequests:
    """Finished HTTP requests for map geometry (`_is_geometry`) of one page."""

    requests: list[Any] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        page.on("requestfinished", lambda r: self.requests.append(r) if _is_geometry(r.url) else None)

    def since(self, mark: int) -> tuple[int, int]:
        """Transferred (encoded body + headers) and decoded bytes of the requests after `mark`."""
        sent = decoded = 0
        for r in self.requests[mark:]:
            sizes = r.sizes()
            sent += sizes["responseBodySize"] + sizes["responseHeadersSize"]
            decoded += len(r.response().body()) if r.response() else 0
        return sent, decoded


@dataclass
class Results:
    baseline_first_map: list[float] = field(default_factory=list)
    app_first_map: list[float] = field(default_factory=list)
    app_nav_first_map: list[float] = field(default_factory=list)
    app_mode: str = ""
    app_timeline: list[dict[str, float | None]] = field(default_factory=list)
    baseline_timeline: list[dict[str, float | None]] = field(default_factory=list)
    lsoa_ws: list[int] = field(default_factory=list)
    lsoa_ws_largest: list[int] = field(default_factory=list)
    lsoa_wire: list[int] = field(default_factory=list)
    lsoa_geo_http: list[tuple[int, int]] = field(default_factory=list)
    rerun: list[float] = field(default_factory=list)
    rerun_parts: list[tuple[float, float, float, float]] = field(default_factory=list)
    rerun_server: list[float] = field(default_factory=list)
    rerun_ws: list[int] = field(default_factory=list)
    rerun_wire: list[int] = field(default_factory=list)
    status_shown: bool = False
    reads: list[tuple[int, float]] = field(default_factory=list)  # pixel reads and their ms, per app load
    notes: list[str] = field(default_factory=list)


@dataclass
class Bench:
    """One browser, two servers, the results so far."""

    browser: Any
    app_url: str
    baseline_url: str
    wire: WireCounter  # in front of the app
    timeout_s: float
    res: Results = field(default_factory=Results)

    @property
    def ms(self) -> float:
        return self.timeout_s * 1000

    def _context(self) -> Any:
        context = self.browser.new_context(viewport=VIEWPORT)
        context.add_init_script(INSTRUMENT_JS)
        return context

    def wait(self, page: Any, expression: str, arg: Any, what: str) -> Any:
        """Poll a `__bench` expression of `a` each animation frame until truthy; fail fast on a Streamlit exception."""
        js = (
            f"(a) => window.__bench && (window.__bench.exception ? {{exception: window.__bench.exception}} "
            f": ({expression}))"
        )
        try:
            result = page.wait_for_function(js, arg=arg, timeout=self.ms).json_value()
        except Exception as exc:  # Playwright's TimeoutError, or the page went away
            state = page.evaluate(
                "() => window.__bench && {maps: window.__bench.maps, "
                "state: window.__bench.state.slice(-4), last: window.__bench.samples.slice(-1)}"
            )
            raise BenchError(f"no {what} within {self.timeout_s:.0f} s at {page.url}; page state: {state}") from exc
        if isinstance(result, dict) and "exception" in result:
            raise BenchError(f"Streamlit exception while waiting for {what} at {page.url}:\n{result['exception']}")
        return result

    def click_and_time(self, page: Any, locator: Any) -> float:
        """Click; return the in-page time of the click event (ms since navigation start)."""
        page.evaluate("() => 0")  # let Playwright deliver every websocket frame event received so far
        t_ref = page.evaluate("() => window.__bench.now()")
        locator.click(timeout=self.ms)
        return float(page.evaluate("(t) => window.__bench.clicks.find(c => c[0] >= t)[0]", t_ref))

    @staticmethod
    def shot_check(page: Any, min_fraction: float, what: str) -> None:
        canvas = (
            page.query_selector(".cm-svgmap canvas.cm-paint")
            or page.query_selector(".js-plotly-plot canvas.maplibregl-canvas")
            or page.query_selector(".js-plotly-plot .geolayer")
        )
        frac = drawn_fraction(canvas.screenshot()) if canvas else 0.0
        if frac < min_fraction:
            print(f"  warning: {what}: the in-page detector saw a drawn map; an element screenshot is {frac:.2%} drawn")

    def load_baseline(self, record: bool = True) -> float:
        """Navigation -> first MapLibre frame showing the marker, in seconds."""
        context = self._context()
        try:
            page = context.new_page()
            page.goto(self.baseline_url + "/", wait_until="commit", timeout=self.ms)
            s = self.wait(page, "window.__bench.firstDrawn(0, 1e-9, 0)", None, "drawn baseline marker")
            self.shot_check(page, 1e-5, "baseline")
            if record:
                self.res.baseline_timeline.append(page.evaluate(TIMELINE_JS, [0.0, float(s["t"])]))
            return float(s["t"]) / 1000
        finally:
            context.close()

    def load_app(self, path: str, record: bool, keep_open: bool = False) -> tuple[Any, Any, WsCounter] | None:
        """One fresh load of the overview at the LSOA level (via ?level= if the page reads it, else the radio)."""
        context = self._context()
        try:
            page = context.new_page()
            ws, geo = WsCounter(), GeoRequests()
            ws.attach(page)
            geo.attach(page)
            wire0 = self.wire.ws_bytes
            sep = "&" if "?" in path else "?"
            page.goto(f"{self.app_url}{path}{sep}level=lsoa11", wait_until="commit", timeout=self.ms)
            first = self.wait(page, "window.__bench.firstDrawn(0, a, 0)", DRAWN_FRACTION_APP, "first drawn map")
            self.wait(page, "window.__bench.runAfter(0)", None, "end of the first run")
            checked = page.locator(".st-key-level label:has(input:checked)").first.inner_text(timeout=self.ms)
            if "LSOA" in checked:
                mode = f"navigation to {path}{sep}level=lsoa11 -> first drawn LSOA map (the page reads ?level=)"
                t0, t_drawn = 0.0, float(first["t"])
                page.evaluate("() => 0")
                lsoa_bytes, largest = ws.since(0)
                wire, geo_http = self.wire.ws_bytes - wire0, geo.since(0)
            else:
                mode = (
                    f"click on the LSOA radio -> redrawn LSOA map ({path}{sep}level=lsoa11 was loaded first; "
                    "the page ignores ?level= and drew the borough map)"
                )
                if not page.evaluate("() => window.__bench.setRef()"):
                    raise BenchError("no borough map frame to compare the LSOA map against")
                mark, wire0, geo_mark = len(ws.sizes), self.wire.ws_bytes, len(geo.requests)
                t_click = self.click_and_time(page, page.locator(".st-key-level label").filter(has_text="LSOA"))
                drawn = self.wait(
                    page,
                    "window.__bench.firstDrawn(a[0], a[1], a[2])",
                    [t_click, DRAWN_FRACTION_APP, CHANGED_FRACTION],
                    "redrawn LSOA map",
                )
                self.wait(page, "window.__bench.runAfter(a)", t_click, "end of the LSOA run")
                page.evaluate("() => 0")
                t0, t_drawn = t_click, float(drawn["t"])
                lsoa_bytes, largest = ws.since(mark)
                wire, geo_http = self.wire.ws_bytes - wire0, geo.since(geo_mark)
            self.shot_check(page, 0.05, "app")
            timeline = page.evaluate(TIMELINE_JS, [t0, t_drawn])
            reads = page.evaluate("() => [window.__bench.reads, window.__bench.readMs]")
            if record:
                self.res.app_mode = mode
                self.res.app_first_map.append((t_drawn - t0) / 1000)
                self.res.app_timeline.append(timeline)
                self.res.reads.append((int(reads[0]), float(reads[1])))
                self.res.app_nav_first_map.append(float(first["t"]) / 1000)
                self.res.lsoa_ws.append(lsoa_bytes)
                self.res.lsoa_ws_largest.append(largest)
                self.res.lsoa_wire.append(wire)
                self.res.lsoa_geo_http.append(geo_http)
            if keep_open:
                kept = (context, page, ws)
                context = None  # the caller closes it
                return kept
            return None
        finally:
            if context is not None:
                context.close()

    def indicator_reruns(self, page: Any, ws: WsCounter, n: int, deadline: float) -> None:
        """Change the indicator n times at the LSOA level; time click -> run finished and map redrawn."""
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        select = page.locator(".st-key-indicator input[role='combobox']").first
        for i in range(n):
            if time.monotonic() > deadline:
                self.res.notes.append(f"time budget reached after {i} indicator changes")
                break
            self.wait(page, "window.__bench.idle()", None, "the app to be idle before an indicator change")
            current = select.input_value(timeout=self.ms).strip()
            texts: list[str] = []
            for _ in range(3):  # a rerun that lands while the list is open closes it again
                select.click(timeout=self.ms)
                with contextlib.suppress(PlaywrightTimeout):
                    page.wait_for_selector(OPTION, timeout=5000)
                    # the virtualised list may show its first option a frame before the rest
                    page.wait_for_function(f"document.querySelectorAll({OPTION!r}).length > 1", timeout=5000)
                    texts = page.locator(OPTION).all_inner_texts()
                if texts:
                    break
            choices = [k for k, t in enumerate(texts) if t.strip() != current]
            if not choices:
                raise BenchError(f"the indicator selectbox offers no other option (it listed {len(texts)})")
            target = page.locator(OPTION).nth(choices[(i * 3 + 1) % len(choices)])  # a stride: maps differ in kind
            if not page.evaluate("() => window.__bench.setRef()"):
                raise BenchError("no map frame to compare against before the indicator change")
            mark, wire0, wire_mark = len(ws.sizes), self.wire.ws_bytes, len(self.wire.events)
            t_click = self.click_and_time(page, target)
            drawn = self.wait(
                page,
                "window.__bench.firstDrawn(a[0], a[1], a[2])",
                [t_click, DRAWN_FRACTION_APP, CHANGED_FRACTION],
                "redrawn map after the indicator change",
            )
            run = self.wait(page, "window.__bench.runAfter(a)", t_click, "end of the indicator run")
            page.evaluate("() => 0")
            t_sent, t_big = page.evaluate(
                "([t, t1]) => { const B = window.__bench; const sent = (B.wsOut.find(m => m[0] >= t) || [t])[0];"
                " const got = B.wsIn.filter(m => m[0] >= sent && m[0] <= t1);"
                " return [sent, got.reduce((a, m) => (m[1] > a[1] ? m : a), [sent, 0])[0]]; }",
                [t_click, float(run[1])],
            )
            t_drawn, t_done = float(drawn["t"]), float(run[1])
            self.res.rerun.append(max(t_drawn, t_done) - t_click)
            self.res.rerun_parts.append((t_sent - t_click, t_big - t_sent, t_done - t_sent, t_drawn - t_click))
            self.res.rerun_ws.append(ws.since(mark)[0])
            self.res.rerun_wire.append(self.wire.ws_bytes - wire0)
            server = self.wire.server_span_ms(wire_mark)
            if server is not None:
                self.res.rerun_server.append(server)
        self.res.status_shown = bool(page.evaluate("() => window.__bench.statusShown || 0"))


def _stats(xs: list[float], fmt: str = "{:.2f}") -> str:
    return f"median={fmt.format(statistics.median(xs))} min={fmt.format(min(xs))} max={fmt.format(max(xs))} n={len(xs)}"


def report(res: Results) -> None:
    """Print the plain result lines (whatever was measured)."""
    if res.app_first_map and res.baseline_first_map:
        app, base = statistics.median(res.app_first_map), statistics.median(res.baseline_first_map)
        print(
            f"first_map_s app median={app:.2f} baseline median={base:.2f} ratio={app / base:.2f} (goal <= 1.3, issue 12)"
        )
        print(f"  app {_stats(res.app_first_map)}; baseline {_stats(res.baseline_first_map)}")
        print(f"  app measured as: {res.app_mode}")
        print(f"  app navigation -> first drawn map (whatever level loads first) {_stats(res.app_nav_first_map)}")
        for who, timelines in (("app", res.app_timeline), ("baseline", res.baseline_timeline)):
            if not timelines:
                continue
            parts = []
            for name in timelines[0]:
                xs = [t[name] for t in timelines if t.get(name) is not None]
                parts.append(f"{name} {statistics.median(xs):.0f}" if xs else f"{name} -")
            print(f"  {who} load timeline (median ms after navigation or click): {'; '.join(parts)}")
        if res.reads:
            n, ms = (statistics.median(x) for x in zip(*res.reads, strict=True))
            print(f"  detector overhead per app load (median): {n:.0f} pixel reads, {ms:.0f} ms of main thread")
    if res.lsoa_ws:
        mb = [b / 1e6 for b in res.lsoa_ws]
        print(f"lsoa_map_ws_mb={statistics.median(mb):.2f} (goal <= 0.6)")
        print(
            f"  {_stats(mb)}; largest frame median={statistics.median(res.lsoa_ws_largest) / 1e6:.2f} MB; "
            f"wire (after permessage-deflate, if on) median={statistics.median(res.lsoa_wire) / 1e6:.2f} MB"
        )
        sent, decoded = (statistics.median(x) / 1e6 for x in zip(*res.lsoa_geo_http, strict=True))
        print(
            f"  plus GeoJSON fetched over HTTP during that load: {sent:.2f} MB transferred ({decoded:.2f} MB decoded)"
        )
    if res.rerun:
        print(
            f"indicator_click_to_redraw_ms median={statistics.median(res.rerun):.0f} (goal <= 500; what a user waits for)"
        )
        print(f"  {_stats(res.rerun, '{:.0f}')}; status widget shown: {'yes' if res.status_shown else 'no'}")
        sent, big, done, drawn = (statistics.median(x) for x in zip(*res.rerun_parts, strict=True))
        print(
            f"  parts (median ms): click->widget msg sent {sent:.0f}; sent->largest frame handled {big:.0f}; "
            f"sent->run finished (browser view) {done:.0f}; click->map redrawn {drawn:.0f}"
        )
        if res.rerun_server:
            print(f"  server share (wire, widget msg in -> last byte out) {_stats(res.rerun_server, '{:.0f}')} ms")
        print(
            f"  ws received per indicator change median={statistics.median(res.rerun_ws) / 1e6:.3f} MB "
            f"(wire {statistics.median(res.rerun_wire) / 1e6:.3f} MB; goal <= 0.1 MB)"
        )
    for note in res.notes:
        print(f"note: {note}")


def run(args: argparse.Namespace, logdir: Path) -> Results:
    """Start the servers and the browser, measure, always stop the servers."""
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    res = Results()
    with contextlib.ExitStack() as stack:
        # The file watcher is off in both servers so that neither polls the tree during the measurements.
        urls = [
            stack.enter_context(
                streamlit_server(
                    script,
                    cwd=args.root,
                    log=logdir / f"{name}.log",
                    extra_args=("--server.runOnSave", "false"),
                    name=name,
                )
            )
            for name, script in [("app", args.root / "app.py"), ("baseline", BASELINE)]
        ]
        # The browser talks to each server through a byte-counting proxy (both, so both pay the same hop).
        proxies = [WireCounter(int(url.rsplit(":", 1)[1])) for url in urls]
        for w in proxies:
            stack.callback(w.close)
        app_url, baseline_url = (f"http://127.0.0.1:{w.port}" for w in proxies)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                bench = Bench(browser, app_url, baseline_url, proxies[0], args.timeout, res)
                # Unmeasured warm-ups. Loading '/' first puts the server in st.navigation mode (a first request
                # for /overview on a fresh server runs pages/overview.py alone, as a legacy pages/ page) and
                # fills the app's st.cache_data for both levels.
                bench.load_baseline(record=False)
                bench.load_app("/", record=False)
                kept = None
                for i in range(args.repeats):
                    if time.monotonic() > started + 0.7 * args.budget:
                        res.notes.append(f"time budget: stopped after {i} load pairs")
                        break
                    res.baseline_first_map.append(bench.load_baseline())
                    kept = bench.load_app(args.app_path, record=True, keep_open=i == args.repeats - 1)
                if kept:
                    context, page, ws = kept
                    try:
                        bench.indicator_reruns(page, ws, args.repeats, started + args.budget)
                    finally:
                        context.close()
            finally:
                browser.close()
    return res


def script_rerun_ms(root: Path, repeats: int) -> list[float]:
    """Server-side page script time after an indicator change at LSOA level (AppTest, no browser or wire)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(root / "app.py"), default_timeout=60)
    at.query_params["level"] = "lsoa11"
    at.run()

    def measure() -> Any:
        return next(s for s in at.selectbox if s.key == "indicator")

    options = measure().options
    times = []
    for option in options[1 : repeats + 1]:
        start = time.perf_counter()
        measure().set_value(option).run()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="fresh loads per server, and indicator changes")
    parser.add_argument(
        "--app-path",
        default="/",
        help="URL path of the overview page. st.navigation serves the default page at '/'; "
        "'/overview' opens a 'Page not found' dialog that blocks the widgets",
    )
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose app.py is measured")
    parser.add_argument("--timeout", type=float, default=45, help="seconds allowed for any single wait")
    parser.add_argument(
        "--budget",
        type=float,
        default=165,
        help="seconds; no new load pair after 70 %% of it, no new indicator change after it",
    )
    args = parser.parse_args()
    if "COHESION_DB" not in os.environ:
        print("note: COHESION_DB is not set; the app uses its default database path", file=sys.stderr)
    if not Path(CHROMIUM).exists():
        print(f"error: {CHROMIUM} not found (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import Error as PlaywrightError

    started, load_before = time.monotonic(), os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-app-") as logdir:
        res = Results()
        try:
            res = run(args, Path(logdir))
        except (AppStartError, BenchError, PlaywrightError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    report(res)
    scripts = script_rerun_ms(args.root, args.repeats)
    print(
        f"indicator_rerun_script_ms median={statistics.median(scripts):.0f} (goal <= 150: the server rerun, page "
        f"script only, AppTest, LSOA level; the wire share above adds Streamlit's send) {_stats(scripts, '{:.0f}')}"
    )
    print(
        f"elapsed_s={time.monotonic() - started:.0f}; machine: {os.cpu_count()} CPUs, 1-min load average "
        f"{load_before:.1f} before and {os.getloadavg()[0]:.1f} after (other work on the box adds noise)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
