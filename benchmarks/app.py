"""Browser benchmark of the app against a one-marker baseline, in Debian's Chromium driven by Playwright.

Usage: COHESION_DB=/tmp/bench.duckdb python benchmarks/app.py [--repeats N] [--app-path /] [--root DIR]

One run starts two Streamlit servers on free loopback ports (the app and benchmarks/baseline_one_marker_app.py),
warms each with one unmeasured load, then alternates fresh page loads (a new browser context each: empty HTTP cache,
new Streamlit session) baseline/app so both share the machine's noise, and finally changes the indicator N times.

How "drawn" is detected: MapLibre draws into `.js-plotly-plot canvas.maplibregl-canvas` with
preserveDrawingBuffer=false, so reading that canvas from our own requestAnimationFrame sees a cleared buffer. An init
script instead hooks each MapLibre map's `render` event (fired right after MapLibre issued a frame's draw calls, in the
same task, so the drawing buffer is still intact), copies the canvas at 1/4 scale into a 2D canvas and counts
non-background pixels (opaque, min(r, g, b) < 235, as in tests/test_browser.py) and pixels that changed against a
reference frame. Times are `performance.now()` in the page, i.e. milliseconds since navigation start; they are taken
at the end of MapLibre's frame, about one compositor frame before the pixels reach the screen. Nothing about the
rendering is changed. After each detection an element screenshot cross-checks that the canvas shows drawn pixels.

How "the run finished" is detected: `stApp`'s `data-test-script-state` attribute, which Streamlit's frontend sets
from its script-run state (the state that also drives `[data-testid="stStatusWidget"]`; Streamlit's own e2e tests
wait on it). The status widget itself is a poor clock: it only appears after a run has lasted 500 ms and it fades out
over 200 ms, so it is only reported (did it show?), not timed.

Bytes are Playwright `websocket` `framereceived` payload sizes (decompressed payloads; Streamlit does not enable
websocket compression by default, so they are what crosses the loopback).
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BASELINE = Path(__file__).resolve().parent / "baseline_one_marker_app.py"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--use-angle=swiftshader", "--enable-unsafe-swiftshader", "--no-sandbox",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 900}
BACKGROUND_MIN = 235  # a pixel is background if its darkest channel is >= this (white-bg style, white outlines)
DRAWN_FRACTION_APP = 0.2  # the choropleth covers ~70 % of its canvas; 20 % means "the map is there", not a fleck
CHANGED_FRACTION = 0.02  # share of sampled pixels that must differ from the previous map to count as redrawn

INSTRUMENT_JS = r"""
(() => {
  if (window.__bench) return;
  const B = window.__bench = {wsIn: [], wsOut: [], clicks: [], state: [], samples: [], frames: 0, maps: 0,
                           exception: null};
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
  const label = (e) => (e.target && e.target.closest && (e.target.closest('label,[role=option]') || e.target));
  document.addEventListener('click', (e) => B.clicks.push([performance.now(), (label(e).innerText || '').slice(0, 80)]), true);
  document.addEventListener('keydown', (e) => { if (e.key === 'Enter') B.clicks.push([performance.now(), 'Enter']); }, true);
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
  const sample = (map) => {
    const c = map.getCanvas();
    if (!c || !c.width || !c.height) return;
    const w = Math.max(1, Math.round(c.width / 4)), h = Math.max(1, Math.round(c.height / 4));
    if (off.width !== w || off.height !== h) { off.width = w; off.height = h; }
    ctx.clearRect(0, 0, w, h);
    ctx.drawImage(c, 0, 0, w, h);
    const d = ctx.getImageData(0, 0, w, h).data;
    const cmp = ref ? refPixels(w, h) : null;
    let drawn = 0, changed = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (d[i + 3] > 128 && Math.min(d[i], d[i + 1], d[i + 2]) < BACKGROUND_MIN) drawn++;
      if (cmp && Math.abs(d[i] - cmp[i]) + Math.abs(d[i + 1] - cmp[i + 1]) + Math.abs(d[i + 2] - cmp[i + 2]) > 30) changed++;
    }
    B.frames++;
    B.samples.push({t: performance.now(), drawn: drawn / (w * h), changed: cmp ? changed / (w * h) : null,
                    loaded: map.loaded()});
  };
  const seen = new WeakSet();
  const scan = () => {
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
      const sub = gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
      const map = sub && sub.map;
      if (map && !seen.has(map)) { seen.add(map); B.maps++; map.on('render', () => sample(map)); }
    }
    requestAnimationFrame(scan);
  };
  requestAnimationFrame(scan);
  // Freeze the last sampled frame (still in `off`) as the reference for `changed`.
  B.setRef = () => {
    if (!B.frames) return false;
    ref = document.createElement('canvas');
    ref.width = off.width; ref.height = off.height;
    ref.getContext('2d').drawImage(off, 0, 0);
    refData = null;
    B.samples = [];
    return true;
  };
  B.now = () => performance.now();
  // First render sample (after time t0) that is drawn and, if asked, changed against the reference; or null.
  B.firstDrawn = (t0, minDrawn, minChanged, needLoaded) => {
    for (const s of B.samples) {
      if (s.t < t0 || s.drawn < minDrawn) continue;
      if (minChanged > 0 && !(s.changed >= minChanged)) continue;
      if (needLoaded && !s.loaded) continue;
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


class BenchError(RuntimeError):
    """The benchmark could not measure what it was asked to."""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    name: str
    proc: subprocess.Popen[bytes]
    url: str
    log: Path

    def tail(self, n: int = 15) -> str:
        lines = self.log.read_text(errors="replace").splitlines()
        return "\n".join(lines[-n:])


def start_server(name: str, script: Path, root: Path, logdir: Path) -> Server:
    """Start `streamlit run script` headless on a free loopback port (health is awaited separately)."""
    port = _free_port()
    log = logdir / f"{name}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", "--server.runOnSave", "false"],
            cwd=root, env=os.environ.copy(), stdout=out, stderr=subprocess.STDOUT,
        )
    return Server(name, proc, f"http://127.0.0.1:{port}", log)


def wait_healthy(server: Server, timeout_s: float = 60) -> None:
    """Wait for /_stcore/health, or raise with the server's log tail."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise BenchError(f"{server.name} server exited with {server.proc.returncode}:\n{server.tail()}")
        try:
            with urllib.request.urlopen(server.url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise BenchError(f"{server.name} server not healthy within {timeout_s:.0f} s:\n{server.tail()}")


def stop_server(server: Server) -> None:
    """Terminate the one process we started, then kill it if it lingers."""
    if server.proc.poll() is None:
        server.proc.terminate()
        try:
            server.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait(timeout=10)


@dataclass
class WsCounter:
    """Sums websocket payload sizes received by one page (Playwright `framereceived`)."""

    bytes: int = 0
    frames: int = 0
    sizes: list[int] = field(default_factory=list)

    def attach(self, page: Any) -> None:
        page.on("websocket", lambda ws: ws.on("framereceived", self._frame))

    def _frame(self, payload: bytes | str) -> None:
        n = len(payload) if isinstance(payload, bytes) else len(payload.encode("utf-8"))
        self.bytes += n
        self.frames += 1
        self.sizes.append(n)


def drawn_fraction(png: bytes) -> float:
    """Share of an element screenshot's pixels that are not background (cross-check of the in-page detector)."""
    from PIL import Image

    img = Image.open(io.BytesIO(png)).convert("RGB")
    data = img.tobytes()
    n = len(data) // 3
    return sum(1 for i in range(0, len(data), 3) if min(data[i], data[i + 1], data[i + 2]) < BACKGROUND_MIN) / n


def _wait(page: Any, expression: str, arg: Any, timeout_s: float, what: str) -> Any:
    """Poll a `__bench` predicate each animation frame; fail fast on a Streamlit exception."""
    js = f"(a) => window.__bench && (window.__bench.exception ? {{exception: window.__bench.exception}} : ({expression}))"
    try:
        result = page.wait_for_function(js, arg=arg, timeout=timeout_s * 1000).json_value()
    except Exception as exc:  # Playwright's TimeoutError, or the page went away
        state = page.evaluate("() => window.__bench && {maps: window.__bench.maps, state: window.__bench.state.slice(-4),"
                              " last: window.__bench.samples.slice(-1)}")
        raise BenchError(f"timed out after {timeout_s:.0f} s waiting for {what} at {page.url}; page state: {state}") from exc
    if isinstance(result, dict) and "exception" in result:
        raise BenchError(f"Streamlit exception while waiting for {what} at {page.url}:\n{result['exception']}")
    return result


def _map_shot_check(page: Any, min_fraction: float) -> None:
    canvas = page.query_selector(".js-plotly-plot canvas.maplibregl-canvas")
    frac = drawn_fraction(canvas.screenshot()) if canvas else 0.0
    if frac < min_fraction:
        print(f"  warning: in-page detector saw a drawn map but the element screenshot is {frac:.2%} drawn")


@dataclass
class Results:
    baseline_first_map: list[float] = field(default_factory=list)
    app_first_map: list[float] = field(default_factory=list)
    app_nav_first_map: list[float] = field(default_factory=list)
    app_mode: str = ""
    lsoa_ws: list[int] = field(default_factory=list)
    lsoa_ws_largest: list[int] = field(default_factory=list)
    rerun: list[float] = field(default_factory=list)
    rerun_parts: list[tuple[float, float, float]] = field(default_factory=list)
    rerun_ws: list[int] = field(default_factory=list)
    status_shown: int = 0
    notes: list[str] = field(default_factory=list)


def load_baseline(browser: Any, server: Server, timeout_s: float) -> float:
    """Navigation to the first MapLibre frame showing the marker, in seconds."""
    context = browser.new_context(viewport=VIEWPORT)
    try:
        context.add_init_script(INSTRUMENT_JS)
        page = context.new_page()
        page.goto(server.url + "/", wait_until="commit", timeout=timeout_s * 1000)
        s = _wait(page, "a.B.firstDrawn(0, 1e-9, 0, false)".replace("a.B", "window.__bench"), None, timeout_s,
                  "the baseline marker")
        _map_shot_check(page, 1e-5)
        return float(s["t"]) / 1000
    finally:
        context.close()


def _radio_level(page: Any) -> str:
    return page.locator(".st-key-level label:has(input:checked)").first.inner_text().strip()


def load_app(browser: Any, server: Server, path: str, timeout_s: float, res: Results | None,
             keep_open: bool = False) -> Any:
    """One fresh load of the overview page at the LSOA level; records into `res` unless it is a warm-up."""
    context = browser.new_context(viewport=VIEWPORT)
    page = None
    try:
        context.add_init_script(INSTRUMENT_JS)
        page = context.new_page()
        ws = WsCounter()
        ws.attach(page)
        sep = "&" if "?" in path else "?"
        page.goto(f"{server.url}{path}{sep}level=lsoa11", wait_until="commit", timeout=timeout_s * 1000)
        first = _wait(page, "window.__bench.firstDrawn(0, a, 0, true)", DRAWN_FRACTION_APP, timeout_s,
                      "the first map")
        _wait(page, "window.__bench.runAfter(0)", None, timeout_s, "the first run to finish")
        page.wait_for_selector(".st-key-level input:checked", timeout=timeout_s * 1000, state="attached")
        level = _radio_level(page)
        if "LSOA" in level:
            mode = "navigation to /overview?level=lsoa11 -> first drawn LSOA map (the page reads ?level=)"
            t_first = float(first["t"]) / 1000
            page.evaluate("() => 0")  # flush Playwright's event queue so every frame has been counted
            lsoa_bytes, largest = ws.bytes, max(ws.sizes, default=0)
        else:
            mode = ("click on the LSOA radio -> redrawn LSOA map (the page ignores ?level=, so the borough map "
                    "loads first)")
            if not page.evaluate("() => window.__bench.setRef()"):
                raise BenchError("no map frame to compare the LSOA map against")
            page.evaluate("() => 0")
            before_bytes, before_frames = ws.bytes, ws.frames
            t_ref = page.evaluate("() => window.__bench.now()")
            page.locator(".st-key-level label").filter(has_text="LSOA").first.click(timeout=timeout_s * 1000)
            t_click = page.evaluate("(t) => window.__bench.clicks.filter(c => c[0] >= t)[0][0]", t_ref)
            drawn = _wait(page, "window.__bench.firstDrawn(a[0], a[1], a[2], true)",
                          [t_click, DRAWN_FRACTION_APP, CHANGED_FRACTION], timeout_s, "the redrawn LSOA map")
            _wait(page, "window.__bench.runAfter(a)", t_click, timeout_s, "the LSOA run to finish")
            page.evaluate("() => 0")
            t_first = (float(drawn["t"]) - t_click) / 1000
            lsoa_bytes = ws.bytes - before_bytes
            largest = max(ws.sizes[before_frames:], default=0)
        _map_shot_check(page, 0.05)
        if res is not None:
            res.app_mode = mode
            res.app_first_map.append(t_first)
            res.app_nav_first_map.append(float(first["t"]) / 1000)
            res.lsoa_ws.append(lsoa_bytes)
            res.lsoa_ws_largest.append(largest)
        if keep_open:
            return context, page, ws
        return None
    finally:
        if not keep_open:
            context.close()


INDICATOR_INPUT = ".st-key-indicator input[role='combobox']"


def _open_indicator(page: Any, timeout_s: float) -> list[Any]:
    page.locator(INDICATOR_INPUT).first.click(timeout=timeout_s * 1000)
    page.wait_for_selector("[role='listbox'] [role='option']", timeout=timeout_s * 1000)
    return page.locator("[role='listbox'] [role='option']").all()


def indicator_reruns(page: Any, ws: WsCounter, n: int, timeout_s: float, res: Results, deadline: float) -> None:
    """Change the indicator n times (LSOA level); time click -> run finished and map redrawn."""
    for i in range(n):
        if time.monotonic() > deadline:
            res.notes.append(f"time budget reached after {i} indicator changes")
            break
        current = page.locator(INDICATOR_INPUT).first.input_value(timeout=timeout_s * 1000).strip()
        options = [o for o in _open_indicator(page, timeout_s) if o.inner_text().strip() != current]
        if not options:
            raise BenchError("the indicator selectbox offers no other option")
        # Step through the visible options with a stride so consecutive maps differ (score vs decile vs rank ...).
        target = options[(i * 3 + 1) % len(options)]
        if not page.evaluate("() => window.__bench.setRef()"):
            raise BenchError("no map frame to compare against before the indicator change")
        page.evaluate("() => 0")
        before_bytes = ws.bytes
        t_ref = page.evaluate("() => window.__bench.now()")
        target.click(timeout=timeout_s * 1000)
        t_click = page.evaluate("(t) => window.__bench.clicks.filter(c => c[0] >= t)[0][0]", t_ref)
        drawn = _wait(page, "window.__bench.firstDrawn(a[0], a[1], a[2], true)",
                      [t_click, DRAWN_FRACTION_APP, CHANGED_FRACTION], timeout_s, "the map after the indicator change")
        run = _wait(page, "window.__bench.runAfter(a)", t_click, timeout_s, "the indicator run to finish")
        page.evaluate("() => 0")
        t_sent = page.evaluate("(t) => (window.__bench.wsOut.find(m => m[0] >= t) || [t])[0]", t_click)
        end = max(float(drawn["t"]), float(run[1]))
        res.rerun.append(end - t_click)
        res.rerun_parts.append((t_sent - t_click, float(run[1]) - t_sent, float(drawn["t"]) - t_click))
        res.rerun_ws.append(ws.bytes - before_bytes)
    shown = page.evaluate("() => window.__bench.statusShown || null")
    res.status_shown = 1 if shown else 0


def _stats(xs: list[float], fmt: str = "{:.2f}") -> str:
    return (f"median={fmt.format(statistics.median(xs))} min={fmt.format(min(xs))} max={fmt.format(max(xs))} "
            f"n={len(xs)}")


def report(res: Results) -> None:
    """Print the plain result lines."""
    if res.app_first_map and res.baseline_first_map:
        app, base = statistics.median(res.app_first_map), statistics.median(res.baseline_first_map)
        print(f"first_map_s app median={app:.2f} baseline median={base:.2f} ratio={app / base:.2f} (goal <= 1.15)")
        print(f"  app {_stats(res.app_first_map)}; baseline {_stats(res.baseline_first_map)}")
        print(f"  app measured as: {res.app_mode}")
        print(f"  app navigation -> first drawn map (default level) {_stats(res.app_nav_first_map)}")
    if res.lsoa_ws:
        mb = [b / 1e6 for b in res.lsoa_ws]
        print(f"lsoa_map_ws_mb={statistics.median(mb):.2f} (goal <= 0.6)")
        print(f"  {_stats(mb)}; largest frame median={statistics.median(res.lsoa_ws_largest) / 1e6:.2f} MB")
    if res.rerun:
        print(f"indicator_rerun_ms median={statistics.median(res.rerun):.0f} (goal <= 150)")
        print(f"  {_stats(res.rerun, '{:.0f}')}; status widget shown: {'yes' if res.status_shown else 'no'}")
        sent, run, drawn = zip(*res.rerun_parts, strict=True)
        print(f"  parts (median ms): click->widget msg sent {statistics.median(sent):.0f}, "
              f"sent->run finished in browser {statistics.median(run):.0f}, "
              f"click->map redrawn {statistics.median(drawn):.0f}")
        print(f"  ws received per indicator change median={statistics.median(res.rerun_ws) / 1e6:.2f} MB")
    for note in res.notes:
        print(f"note: {note}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="fresh loads per target and indicator changes")
    parser.add_argument("--app-path", default="/",
                        help="URL path of the overview page; '/' because st.navigation serves the default page "
                             "there ('/overview' shows a 'Page not found' dialog)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose app.py is measured")
    parser.add_argument("--timeout", type=float, default=45, help="seconds for any single wait")
    parser.add_argument("--budget", type=float, default=170, help="stop starting new repeats after this many seconds")
    args = parser.parse_args()
    if "COHESION_DB" not in os.environ:
        print("note: COHESION_DB is not set; the app uses its default database path", file=sys.stderr)
    if not Path(CHROMIUM).exists():
        print(f"error: {CHROMIUM} not found (apt-get install chromium)", file=sys.stderr)
        return 2
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    deadline = started + args.budget
    res = Results()
    servers: list[Server] = []
    with tempfile.TemporaryDirectory(prefix="bench-app-") as logdir:
        try:
            servers = [start_server("app", args.root / "app.py", args.root, Path(logdir)),
                       start_server("baseline", BASELINE, args.root, Path(logdir))]
            for s in servers:
                wait_healthy(s)
            app, base = servers
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    # Warm-ups: a load of '/' puts the server in st.navigation mode (see the report) and fills
                    # the app's st.cache_data; neither is counted.
                    load_baseline(browser, base, args.timeout)
                    load_app(browser, app, "/", args.timeout, None)
                    kept = None
                    for i in range(args.repeats):
                        if time.monotonic() > deadline:
                            res.notes.append(f"time budget reached after {i} load pairs")
                            break
                        res.baseline_first_map.append(load_baseline(browser, base, args.timeout))
                        last = i == args.repeats - 1
                        kept = load_app(browser, app, args.app_path, args.timeout, res, keep_open=last)
                    if kept:
                        context, page, ws = kept
                        try:
                            indicator_reruns(page, ws, args.repeats, args.timeout, res, deadline)
                        finally:
                            context.close()
                finally:
                    browser.close()
        except (BenchError, PlaywrightError) as exc:
            report(res)
            print(f"error: {exc}", file=sys.stderr)
            return 1
        finally:
            for s in servers:
                stop_server(s)
    report(res)
    print(f"elapsed_s={time.monotonic() - started:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
