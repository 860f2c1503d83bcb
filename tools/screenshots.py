"""Full-page screenshots of every app page in Debian's Chromium, with a check for exceptions and console errors.

Usage: COHESION_DB=/tmp/bench.duckdb python tools/screenshots.py --out artifacts/screens
       [--sizes 1400x900,1920x1080] [--pages overview,borough,...] [--root DIR]

Starts the app once on a free loopback port. Without --pages it visits every page declared in app.py with
`st.Page(..., url_path="...")`; the default page (default=True, or the first page if none is marked) is visited at
`/`, because st.navigation serves the default page at the root URL (its url_path then only reserves the name, and
`/<url_path>` opens a "Page not found" dialog). A name given with --pages is visited literally at `/<name>`.

For each page and size, a fresh browser context loads the page, waits for the script run to finish, for an h1, and
for every plotly MapLibre map to have drawn a fully loaded frame, waits --settle seconds more, then grows the viewport
to the height of Streamlit's scrolling `stMain` (Playwright's full_page only sees the fixed-height document) and
saves `<out>/<page>_<W>x<H>.png`. It prints the file names and the browser console errors per page.

Exit status 1 if a page shows a Streamlit exception (`[data-testid="stException"]`), has no h1, logs console errors
or page errors, or a map does not draw in time. One kind of console error is ignored and listed as such: the 404s for
`/<page>/_stcore/health` and `/<page>/_stcore/host-config` that Streamlit's frontend itself requests while it probes
for its base path on any non-root URL (streamlit/streamlit#7074).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.localapp import CHROMIUM, CHROMIUM_ARGS, is_streamlit_base_path_probe, streamlit_server  # noqa: E402

MAX_HEIGHT = 16_000  # px; Chromium cannot capture taller surfaces reliably

#: Tracks the script-run state, a Streamlit exception, and whether each plotly MapLibre map drew a loaded frame.
INSTRUMENT_JS = r"""
(() => {
  if (window.__shots) return;
  const S = window.__shots = {ran: false, done: false, exception: null};
  new MutationObserver(() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const st = app && app.getAttribute('data-test-script-state');
    if (st === 'running' || st === 'rerunRequested') { S.ran = true; S.done = false; }
    if (S.ran && st === 'notRunning') S.done = true;
    const ex = document.querySelector('[data-testid="stException"]');
    S.exception = ex ? ex.innerText.slice(0, 800) : null;
  }).observe(document, {childList: true, subtree: true, attributes: true,
                        attributeFilter: ['data-test-script-state']});
  const off = document.createElement('canvas');
  const ctx = off.getContext('2d', {willReadFrequently: true});
  const drawn = new WeakMap();  // MapLibre map -> whether it drew a loaded, non-blank frame
  const mapsOf = (gd) => {
    const fl = gd._fullLayout;
    const ids = (fl && fl._subplots && fl._subplots.map) || [];
    return ids.map(id => fl[id] && fl[id]._subplot && fl[id]._subplot.map);  // undefined until plotly built it
  };
  const watchMap = (map) => {
    drawn.set(map, false);
    // The canvas has preserveDrawingBuffer=false: read it inside MapLibre's own render event.
    map.on('render', () => {
      if (drawn.get(map) || !map.loaded()) return;
      const c = map.getCanvas();
      const w = Math.max(1, c.width >> 2), h = Math.max(1, c.height >> 2);
      off.width = w; off.height = h;
      ctx.drawImage(c, 0, 0, w, h);
      const d = ctx.getImageData(0, 0, w, h).data;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] > 128 && Math.min(d[i], d[i + 1], d[i + 2]) < 235) { drawn.set(map, true); break; }
      }
    });
  };
  const scan = () => {
    for (const gd of document.querySelectorAll('.js-plotly-plot')) {
      for (const map of mapsOf(gd)) if (map && !drawn.has(map)) watchMap(map);
    }
    requestAnimationFrame(scan);
  };
  requestAnimationFrame(scan);
  // Ready: the run finished, every plotly chart is built, and each of its maps drew a loaded, non-blank frame.
  S.ready = () => {
    if (S.exception) return {exception: S.exception};
    if (!S.done) return false;
    // Lazily loaded element code (plotly among it) shows a skeleton until its chunk has loaded.
    if (document.querySelector('[data-testid="stSkeleton"]')) return false;
    let maps = 0;
    for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
      const gd = chart.querySelector('.js-plotly-plot');
      if (!gd || !gd._fullLayout) return false;
      for (const map of mapsOf(gd)) {
        if (!map || !drawn.get(map) || !map.loaded()) return false;
        maps++;
      }
    }
    return {maps, charts: document.querySelectorAll('[data-testid="stPlotlyChart"]').length};
  };
  S.pending = () => [`skeletons=${document.querySelectorAll('[data-testid="stSkeleton"]').length}`].concat(
    [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].map(chart => {
    const gd = chart.querySelector('.js-plotly-plot');
    if (!gd || !gd._fullLayout) return 'chart not built';
    return mapsOf(gd).map(m => (!m ? 'map not created' : `drawn=${drawn.get(m)} loaded=${m.loaded()}`)).join(',');
  }));
  // Height of the page's content: Streamlit scrolls inside [data-testid="stMain"], not the document.
  S.contentHeight = () => {
    const main = document.querySelector('[data-testid="stMain"]');
    const inner = main ? main.scrollHeight + main.getBoundingClientRect().top : 0;
    return Math.ceil(Math.max(document.documentElement.scrollHeight, inner));
  };
})();
"""


def parse_sizes(text: str) -> list[tuple[int, int]]:
    """Parse "1400x900,1920x1080" into [(1400, 900), (1920, 1080)]."""
    sizes = []
    for part in text.split(","):
        m = re.fullmatch(r"\s*(\d+)\s*[xX]\s*(\d+)\s*", part)
        if not m or int(m[1]) == 0 or int(m[2]) == 0:
            raise ValueError(f"bad size {part!r}: use WIDTHxHEIGHT, e.g. 1400x900")
        sizes.append((int(m[1]), int(m[2])))
    return sizes


def discover_pages(source: str) -> list[tuple[str, str]]:
    """(name, URL path) of each `st.Page(..., url_path="...")` call in an app's source, in order.

    The default page (default=True, else the first page) gets the path "/" because st.navigation serves it there.
    Calls without a literal url_path are skipped: their path is inferred by Streamlit and not worth guessing.
    """
    pages: list[tuple[str, bool]] = []
    for call in re.finditer(r"st\.Page\(((?:[^()]|\([^()]*\))*)\)", source):
        args = call.group(1)
        path = re.search(r"""url_path\s*=\s*(["'])([^"']+)\1""", args)
        if path:
            pages.append((path.group(2).strip("/"), bool(re.search(r"default\s*=\s*True", args))))
    if not pages:
        return []
    default = next((i for i, (_, d) in enumerate(pages) if d), 0)
    return [(name, "/" if i == default else f"/{name}") for i, (name, _) in enumerate(pages)]


@dataclass
class Visit:
    """What one page produced over all sizes."""

    name: str
    files: list[Path] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # console errors and page errors
    ignored: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # exception, no h1, map not drawn
    h1: str = ""
    charts: int = 0
    maps: int = 0


@dataclass
class Shooter:
    """A browser and the settings shared by every screenshot."""

    browser: Any
    out: Path
    timeout_s: float
    settle_s: float

    def shoot(self, url: str, visit: Visit, size: tuple[int, int]) -> None:
        """Load one page at one size in a fresh context; record problems and console errors; save the PNG."""
        _shoot(self.browser, url, visit, size, self)


def _shoot(browser: Any, url: str, visit: Visit, size: tuple[int, int], opts: Shooter) -> None:
    out, timeout_s, settle_s = opts.out, opts.timeout_s, opts.settle_s
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        context.add_init_script(INSTRUMENT_JS)
        page = context.new_page()

        def on_console(msg: Any) -> None:
            if msg.type != "error":
                return
            where = (msg.location or {}).get("url", "")
            line = f"{msg.text} [{where}]" if where else msg.text
            (visit.ignored if is_streamlit_base_path_probe(msg.text, where) else visit.errors).append(line)

        page.on("console", on_console)
        page.on("pageerror", lambda exc: visit.errors.append(f"page error: {exc}"))
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        try:
            ready = page.wait_for_function(
                "() => window.__shots && window.__shots.ready()", timeout=timeout_s * 1000
            ).json_value()
        except Exception:  # Playwright's TimeoutError
            state = page.evaluate(
                "() => window.__shots && {run_finished: window.__shots.done, charts: window.__shots.pending()}"
            )
            visit.problems.append(
                f"{width}x{height}: not ready within {timeout_s:.0f} s (run finished and maps drawn): {state}"
            )
            ready = {}
        if isinstance(ready, dict) and ready.get("exception"):
            visit.problems.append(f"{width}x{height}: Streamlit exception: {ready['exception']}")
        if isinstance(ready, dict):
            visit.maps = max(visit.maps, int(ready.get("maps", 0)))
            visit.charts = max(visit.charts, int(ready.get("charts", 0)))
        h1 = page.locator("[data-testid='stApp'] h1").first
        try:
            visit.h1 = h1.inner_text(timeout=5000).strip()
        except Exception:  # no h1 within 5 s
            visit.problems.append(f"{width}x{height}: no h1")
        page.wait_for_timeout(settle_s * 1000)
        full = min(MAX_HEIGHT, max(height, int(page.evaluate("() => window.__shots.contentHeight()"))))
        if full > height:
            page.set_viewport_size({"width": width, "height": full})
            page.wait_for_timeout(500)  # let the layout and any map resize settle
            try:
                page.wait_for_function("() => window.__shots.ready()", timeout=timeout_s * 1000)
            except Exception:  # keep the screenshot; the earlier check already reported a map that never drew
                visit.problems.append(f"{width}x{height}: maps not redrawn after growing the viewport to {full}px")
        path = out / f"{visit.name or 'root'}_{width}x{height}.png"
        page.screenshot(path=str(path), full_page=True)
        visit.files.append(path)
        if page.locator("[data-testid='stException']").count():
            text = page.locator("[data-testid='stException']").first.inner_text()[:800]
            if not any("Streamlit exception" in p for p in visit.problems):
                visit.problems.append(f"{width}x{height}: Streamlit exception: {text}")
    finally:
        context.close()


def main() -> int:
    """Parse the arguments, run the app, shoot every page at every size; 1 if any page failed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for the PNG files (created)")
    parser.add_argument("--sizes", default="1400x900,1920x1080", help="viewport sizes, WIDTHxHEIGHT,...")
    parser.add_argument("--pages", default=None, help="url paths to visit, comma-separated (default: from app.py)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose app.py is run")
    parser.add_argument("--timeout", type=float, default=60, help="seconds for a page to finish and draw")
    parser.add_argument("--settle", type=float, default=1.0, help="extra seconds before each screenshot")
    args = parser.parse_args()
    try:
        sizes = parse_sizes(args.sizes)
    except ValueError as exc:
        parser.error(str(exc))
    if args.pages:
        targets = [(p.strip().strip("/"), "/" + p.strip().strip("/")) for p in args.pages.split(",") if p.strip()]
    else:
        targets = discover_pages((args.root / "app.py").read_text(encoding="utf-8"))
        if not targets:
            parser.error(f"no st.Page(..., url_path=...) calls found in {args.root / 'app.py'}; pass --pages")
        default = [name for name, path in targets if path == "/"]
        if default:
            print(f"note: {default[0]} is the default page; st.navigation serves it at /")
    if not Path(CHROMIUM).exists():
        print(f"error: {CHROMIUM} not found (apt-get install chromium)", file=sys.stderr)
        return 2
    if "COHESION_DB" not in os.environ:
        print("note: COHESION_DB is not set; the app uses its default database path", file=sys.stderr)
    args.out.mkdir(parents=True, exist_ok=True)

    from playwright.sync_api import sync_playwright

    visits: list[Visit] = []
    with (
        tempfile.TemporaryDirectory(prefix="screens-") as tmp,
        streamlit_server(args.root / "app.py", cwd=args.root, log=Path(tmp) / "app.log") as base,
        sync_playwright() as pw,
    ):
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            # Load / first: until some session has run app.py (and so st.navigation), Streamlit treats the
            # pages/ folder as a legacy multipage app and would run a requested page's file on its own.
            Shooter(browser, Path(tmp), args.timeout, 0).shoot(base + "/", Visit("warm-up"), sizes[0])
            shooter = Shooter(browser, args.out, args.timeout, args.settle)
            for name, path in targets:
                visit = Visit(name)
                for size in sizes:
                    shooter.shoot(base + path, visit, size)
                visits.append(visit)
                report_visit(visit, path)
        finally:
            browser.close()
    failed = [v.name for v in visits if v.problems or v.errors]
    print(
        f"{len(visits)} pages, {sum(len(v.files) for v in visits)} screenshots in {args.out}; "
        + (f"FAILED: {', '.join(failed)}" if failed else "no exceptions, no console errors")
    )
    return 1 if failed else 0


def report_visit(visit: Visit, path: str) -> None:
    """Print one page's files, heading and errors."""
    print(f"{path}  h1={visit.h1!r}  plotly charts={visit.charts} maps drawn={visit.maps}")
    for f in visit.files:
        print(f"  {f}")
    for p in visit.problems:
        print(f"  PROBLEM {p}")
    for e in dict.fromkeys(visit.errors):
        print(f"  CONSOLE ERROR {e}")
    for e in dict.fromkeys(visit.ignored):
        print(f"  ignored (Streamlit base-path probe, streamlit/streamlit#7074): {e}")


if __name__ == "__main__":
    sys.exit(main())
