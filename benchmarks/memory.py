"""Server memory for large uploads: three browser tabs each upload a 16 MB GeoJSON of custom areas, then close.

Usage: python benchmarks/memory.py [--tabs 3] [--mb 16] [--wait 90]

Starts the app on a free 127.0.0.1 port, warms its shared caches with one small upload in a tab it closes (once its
areas summary is shown: the LSOA table it reads is cached for every session), opens the tabs in Debian's Chromium
(Playwright), uploads one synthetic file per tab (500 detailed polygons in London, written by this script) on "Your
local data", waits for each report, closes the tabs and then samples the server's resident memory every 5 s. Prints
RSS before, its peak while the files were processed (sampled every 0.1 s), the peak's excess over the start per MB
uploaded, and RSS after the tabs closed; and the same for the server's child processes (the forkserver and the
workers that read the files, `uploads.worker`; their PSS, as workers share the forkserver's pages), which are not in
the server's figure.
Goals: peak excess at most 10x the files' size; back within 50 MB of the start within 60 s of closing.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.localapp import CHROMIUM, CHROMIUM_ARGS, rss_mb, streamlit_server  # noqa: E402


def synthetic_geojson(mb: float, tab: int) -> bytes:
    """About `mb` MB of GeoJSON: 500 round areas on a grid over central London, each ring of many points."""
    n_features = 500
    points = max(8, int(mb * 1e6 / n_features / 25))
    features = []
    for i in range(n_features):
        cx, cy = -0.30 + (i % 25) * 0.02, 51.40 + (i // 25) * 0.012
        ring = [
            [round(cx + 0.008 * math.cos(2 * math.pi * k / points), 7), round(cy + 0.005 * math.sin(2 * math.pi * k / points), 7)]
            for k in range(points)
        ]  # fmt: skip
        ring.append(ring[0])
        features.append(
            {"type": "Feature", "properties": {"name": f"Tab {tab} area {i}"}, "geometry": {"type": "Polygon", "coordinates": [ring]}}
        )  # fmt: skip
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def children_mb(pid: int) -> float:
    """Memory of a process's descendants (the forkserver and its workers), summed, in MB of PSS: a worker shares
    the pages it was forked with, which RSS would count once per worker."""
    total = 0.0
    for child in psutil.Process(pid).children(recursive=True):
        with contextlib.suppress(psutil.Error):  # gone meanwhile
            total += child.memory_full_info().pss / 2**20
    return total


class Peak:
    """Samples a process's RSS, and its descendants' summed, every 0.1 s in a thread."""

    def __init__(self, pid: int) -> None:
        """Start sampling."""
        self.pid, self.peak, self.children = pid, rss_mb(pid), children_mb(pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb(self.pid))
            self.children = max(self.children, children_mb(self.pid))
            time.sleep(0.1)

    def stop(self) -> float:
        """Stop; the peak in MB."""
        self._stop.set()
        self._thread.join()
        return self.peak


def main() -> int:
    """Run the tabs and print the figures."""
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tabs", type=int, default=3)
    parser.add_argument("--mb", type=float, default=16.0)
    parser.add_argument("--wait", type=float, default=90.0, help="seconds to watch memory after the tabs close")
    args = parser.parse_args()
    tabs, wait = min(args.tabs, 6), min(args.wait, 300.0)
    files = [synthetic_geojson(min(args.mb, 19.0), t) for t in range(tabs)]
    total_mb = sum(len(f) for f in files) / 1e6
    started: list = []
    with (
        streamlit_server(ROOT / "app.py", cwd=ROOT, env=dict(os.environ), started=started) as url,
        sync_playwright() as p,
    ):
        pid = started[0].pid
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        warm = browser.new_page()  # a small upload first: the shared caches it fills are not per-upload memory
        warm.route(lambda u: not u.startswith(url), lambda route: route.abort())
        warm.goto(url + "/local", wait_until="domcontentloaded")
        warm.wait_for_selector("[data-testid='stFileUploader']", timeout=120_000)
        warm.get_by_role("tab", name="Custom areas (GeoJSON, GeoPackage)").click()
        warm.locator("[data-testid='stFileUploader'] input[type='file']").nth(2).set_input_files(
            {"name": "warm.geojson", "mimeType": "application/json", "buffer": synthetic_geojson(0.1, 9)}
        )
        warm.get_by_text("warm.geojson: ").first.wait_for(timeout=300_000)
        warm.get_by_text("This table (CSV)").first.wait_for(timeout=300_000)  # the areas summary: shared caches
        warm.close()
        pages = []
        for _ in range(tabs):  # open every tab first: the start figure includes their sessions
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.route(lambda u: not u.startswith(url), lambda route: route.abort())  # loopback only
            page.goto(url + "/local", wait_until="domcontentloaded")
            page.wait_for_selector("[data-testid='stFileUploader']", timeout=120_000)
            page.get_by_role("tab", name="Custom areas (GeoJSON, GeoPackage)").click()
            pages.append(page)
        time.sleep(3)
        before, children_before = rss_mb(pid), children_mb(pid)
        peak = Peak(pid)
        start = time.perf_counter()
        for t, (page, data) in enumerate(zip(pages, files, strict=True)):
            page.locator("[data-testid='stFileUploader'] input[type='file']").nth(2).set_input_files(
                {"name": f"tab{t}.geojson", "mimeType": "application/json", "buffer": data}
            )
        for t, page in enumerate(pages):
            page.get_by_text(f"tab{t}.geojson: ").first.wait_for(timeout=600_000)
        processed = time.perf_counter() - start
        top = peak.stop()
        loaded = rss_mb(pid)
        for page in pages:
            page.close()
        browser.close()
        closed = time.perf_counter()
        after = []
        while time.perf_counter() - closed < wait:
            time.sleep(5)
            after.append((time.perf_counter() - closed, rss_mb(pid), children_mb(pid)))
    print(f"{tabs} tabs x {total_mb / tabs:.1f} MB GeoJSON ({total_mb:.1f} MB), processed in {processed:.1f} s")
    print(f"server RSS: {before:.0f} MB before, {top:.0f} MB peak (+{top - before:.0f} MB = "
          f"{(top - before) / total_mb:.1f}x the files), {loaded:.0f} MB with the uploads held")  # fmt: skip
    print(f"server's child processes (forkserver, workers), PSS: {children_before:.0f} MB before, "
          f"{peak.children:.0f} MB peak, {after[-1][2] if after else float('nan'):.0f} MB at the end")  # fmt: skip
    print("after the tabs closed: " + ", ".join(f"{s:.0f} s {m:.0f} MB" for s, m, _ in after))
    back = next((s for s, m, _ in after if m <= before + 0.25 * (loaded - before)), None)
    print(f"back within 25% of the start after {back:.0f} s" if back is not None else "not back within the wait")
    near = next((s for s, m, _ in after if m <= before + 50), None)
    goal = f"goals: peak excess {(top - before) / total_mb:.1f}x (at most 10x), "
    print(goal + (f"back within 50 MB of the start after {near:.0f} s (within 60 s)" if near is not None else
                  "not back within 50 MB of the start within the wait"))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
