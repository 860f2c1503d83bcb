"""A real browser (Debian's Chromium via Playwright) loads every page; the overview map draws pixels."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tools.localapp import CHROMIUM, CHROMIUM_ARGS, drawn_fraction, is_streamlit_base_path_probe, streamlit_server

ROOT = Path(__file__).resolve().parents[2]
LOCAL = ("http://127.0.0.1", "data:", "blob:", "about:")

pytestmark = pytest.mark.browser  # one worker runs this module and tests/pages/test_download_race.py: one server

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI needs Debian's chromium at /usr/bin/chromium (.ci/run installs it)")
    pytest.skip("browser test: /usr/bin/chromium not installed (apt-get install chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def context(browser):
    """One browser context for the module's pages: they share the HTTP cache, so the app's scripts load once."""
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    yield ctx
    ctx.close()


def _painted(page) -> None:
    """Wait two animation frames: what the last change drew is on screen."""
    page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


def _open(context, url: str, size: tuple[int, int] | None = None, timeout_ms: int = 60_000):
    """A new page of `context` at `url` (in a `size` window), once its first run has finished; and its errors."""
    page = context.new_page()
    if size is not None:
        page.set_viewport_size({"width": size[0], "height": size[1]})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: None if r.url.startswith(LOCAL) else errors.append(f"off-machine request {r.url}"))
    page.on("response", lambda r: errors.append(f"HTTP {r.status} {r.url}") if r.status >= 400 else None)

    def on_console(message) -> None:
        if message.type == "error":
            errors.append(f"{message.text} {message.location.get('url', '')}")

    page.on("console", on_console)
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_selector("[data-testid='stApp'] h1", timeout=timeout_ms)
    page.wait_for_function(SCRIPT_DONE, timeout=timeout_ms)  # the first run has finished (its title is drawn)
    return page, errors


# Deep links first, on a fresh server: they must open inside the app's frame.
PAGES = [
    ("/borough", "Borough explorer"),
    ("/compare", "Compare boroughs"),
    ("/weights", "Weights & robustness"),
    ("/story", None),
    ("/methodology", "Data & methodology"),
    ("/local", "Your local data"),
]


@pytest.mark.parametrize("path,heading", PAGES)
def test_pages_load_without_console_errors(app_server, context, path, heading) -> None:
    page, errors = _open(context, app_server + path)
    if heading is not None:
        assert page.locator("h1").first.inner_text().strip() == heading
    # the app's own frame (navigation + sidebar), not Streamlit's legacy pages/ mode
    assert "Where to embed social cohesion" in page.locator("[data-testid='stSidebar']").inner_text()
    assert page.locator("[data-testid='stException']").count() == 0
    page.wait_for_load_state("networkidle")  # components and images have loaded (or failed) by now
    assert [e for e in errors if not is_streamlit_base_path_probe(e)] == []
    page.close()


#: The overview map component (app_pages/svg_map.js) has drawn at least once.
MAP_DRAWN = "document.querySelector('.cm-svgmap[data-draws]') !== null"


def _distinct_colours(png: bytes) -> int:
    import io

    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB").reduce(4)
    return len({c for _, c in image.getcolors(maxcolors=1 << 16) or []})


def test_overview_map_draws_every_neighbourhood_hovers_and_recolours_in_place(app_server, context) -> None:
    """The London-wide LSOA map component: its canvas painted in many colours, with a legend and a hover label;
    changing what to map repaints the same mounted canvas (no new element, no geometry resent) in new colours."""
    page, errors = _open(context, app_server + "/?level=lsoa11&indicator=need")  # the default page lives at /
    page.wait_for_function(MAP_DRAWN, timeout=60_000)
    assert page.locator(".cm-svgmap").get_attribute("data-n") == "4835"  # a path per neighbourhood
    layer = page.locator(".cm-svgmap canvas.cm-paint").first
    before = layer.screenshot()
    drawn = drawn_fraction(before)
    assert drawn > 0.2, f"only {drawn:.1%} of the map is drawn"
    assert _distinct_colours(before) >= 10  # a colour scale, not one fill
    assert "Need" in page.locator(".cm-svgmap .cm-legend").inner_text()  # our colour legend
    box = layer.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] * 0.45, box["y"] + box["height"] * 0.45)
    label = page.locator(".cm-svgmap .cm-tip")
    label.wait_for(state="visible", timeout=10_000)
    text = label.text_content() or ""
    assert "rank" in text and "E01" in text  # name, code, value, rank
    assert " · " in text  # the place name ("<LSOA> · <ward>") comes from the paths file

    page.mouse.move(0, 0)  # the hover label off the map before the repaint is compared
    page.evaluate("document.querySelector('.cm-svgmap canvas.cm-paint').dataset.mark = 'kept'")
    select = page.locator(".st-key-indicator input[role='combobox']").first
    select.click()
    page.locator("[role='listbox'] [role='option']").first.click()  # the need x capacity classes
    page.wait_for_function("document.querySelector('.cm-svgmap').dataset.measure !== 'need'", timeout=60_000)
    _painted(page)
    after = layer.screenshot()
    assert page.evaluate("document.querySelector('.cm-svgmap canvas.cm-paint').dataset.mark") == "kept"  # same node
    assert after != before and drawn_fraction(after) > 0.2
    assert [e for e in errors if not is_streamlit_base_path_probe(e)] == []
    page.close()


@pytest.fixture(scope="module")
def tower_hamlets(app_server, context):
    """The borough explorer on Tower Hamlets, opened once for the tests that read its map or download from it."""
    page, errors = _open(context, app_server + "/borough?borough=E09000030")
    yield page, errors
    page.close()


def _drawn_within(page, element, minimum: float, timeout_s: float = 15.0) -> float:
    """The element's drawn share, once it exceeds `minimum` (WebGL paints over several frames) or at the timeout."""
    deadline = time.monotonic() + timeout_s
    while True:
        drawn = drawn_fraction(element.screenshot())
        if drawn > minimum or time.monotonic() > deadline:
            return drawn
        page.wait_for_timeout(250)


def test_borough_webgl_map_draws(tower_hamlets) -> None:
    """The borough map is MapLibre (WebGL, SwiftShader here): its canvas has drawn pixels."""
    page, errors = tower_hamlets
    canvas = page.wait_for_selector("[class*='st-key-borough_map'] canvas.maplibregl-canvas", timeout=60_000)
    drawn = _drawn_within(page, canvas, 0.1)
    # the borough is fitted to the smallest map frame (1366 x 768): in this 1400 x 900 window it fills less of it
    assert drawn > 0.1, f"only {drawn:.1%} of the map canvas is drawn"
    assert [e for e in errors if not is_streamlit_base_path_probe(e)] == []


def test_upload_of_local_spaces_in_the_browser(app_server, context) -> None:
    """A real upload through Streamlit's file endpoint: the report appears, with the rejected rows."""
    page, errors = _open(context, app_server + "/local")
    data = b"name,type,latitude,longitude\nHall,community centre,51.5155,-0.0922\nGym,gym,51.52,-0.1\n"
    page.locator("[data-testid='stFileUploader'] input[type='file']").first.set_input_files(
        {"name": "our spaces.csv", "mimeType": "text/csv", "buffer": data}
    )
    page.get_by_text("our spaces.csv: 1 space kept, 1 row rejected").wait_for(timeout=60_000)
    page.wait_for_function(SCRIPT_DONE, timeout=60_000)  # the report is drawn before the rest of the run
    # the rejected rows are drawn in a canvas table; its download button says the report is there
    assert page.get_by_role("button", name="Rejected rows and reasons (CSV)").count() == 1
    assert page.locator("[data-testid='stException']").count() == 0
    assert [e for e in errors if not is_streamlit_base_path_probe(e)] == []
    page.close()


def test_briefing_and_downloads_with_one_click(tower_hamlets, tmp_path) -> None:
    """The borough briefing (PDF), slide map (PNG), table (CSV) and map layer (GeoPackage) are made on click."""
    import io

    from PIL import Image
    from pypdf import PdfReader

    page, errors = tower_hamlets
    with page.expect_download(timeout=60_000) as pdf_download:
        page.get_by_role("button", name="Briefing for Tower Hamlets (PDF)").click()
    pdf = pdf_download.value
    assert pdf.suggested_filename.startswith("london-cohesion_tower-hamlets_briefing_")
    text = "".join(p.extract_text() for p in PdfReader(pdf.path()).pages)
    assert "Tower Hamlets: social cohesion and resilience briefing" in text and "Priority neighbourhoods" in text
    assert "The three most important asks" in text

    with page.expect_download(timeout=60_000) as png_download:
        page.get_by_role("button", name="Map for slides (PNG)").click()
    png = png_download.value
    assert png.suggested_filename.startswith("london-cohesion_tower-hamlets_lsoa21_")  # the default neighbourhoods
    assert Image.open(io.BytesIO(Path(png.path()).read_bytes())).size == (1920, 1080)

    import pandas as pd
    import pyogrio

    with page.expect_download(timeout=60_000) as csv_download:
        page.get_by_role("button", name="Table (CSV)").click()
    table = pd.read_csv(csv_download.value.path())
    assert len(table) == 169 and table["borough_name"].eq("Tower Hamlets").all()  # its LSOA 2021s
    assert table["sources"].str.contains("Census 2021").all() and table["geography"].str.contains("LSOA 2021").all()
    with page.expect_download(timeout=60_000) as gpkg_download:
        page.get_by_role("button", name="Map layer (GeoPackage)").click()
    gpkg = tmp_path / gpkg_download.value.suggested_filename
    gpkg_download.value.save_as(gpkg)
    layer = pyogrio.read_dataframe(gpkg)
    assert gpkg.suffix == ".gpkg" and layer.crs.to_epsg() == 27700
    assert sorted(layer["area_code"]) == sorted(table["area_code"])
    assert [e for e in errors if not is_streamlit_base_path_probe(e)] == []


#: What an attacker puts in a file name, a header, a value column, an area or layer name: colour, bold, a link, a
#: remote image (a request from every viewer's browser; here to a closed loopback port), maths and autolinks.
PAYLOAD = ":red[**HACKED**] [click](http://127.0.0.1:9/x) ![](http://127.0.0.1:9/p.png) $x^2$ www.example.com"


def test_markdown_in_uploaded_names_is_shown_as_text(app_server, context) -> None:
    """File, column and area names are shown literally: no link, colour, bold or image, and no remote request."""
    import json

    page, errors = _open(context, app_server + "/local")
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.route(lambda url: not url.startswith(LOCAL) or ":9/" in url, lambda route: route.abort())  # never sent
    uploads = page.locator("[data-testid='stFileUploader'] input[type='file']")
    spaces = f'name,type,latitude,longitude,"{PAYLOAD.replace(chr(34), "")}"\nHall,community centre,51.5155,-0.0922,1\n'
    uploads.nth(0).set_input_files(
        {"name": f"{PAYLOAD}.csv", "mimeType": "text/csv", "buffer": (spaces + "Gym,gym,51.52,-0.1,2\n").encode()}
    )
    page.get_by_text("space kept, 1 row rejected").first.wait_for(timeout=60_000)
    page.get_by_role("tab", name="Custom areas (GeoJSON, GeoPackage)").click()
    ring = [[-0.095, 51.513], [-0.091, 51.513], [-0.091, 51.517], [-0.095, 51.517], [-0.095, 51.513]]
    areas = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": PAYLOAD},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            },
            {
                "type": "Feature",
                "properties": {"name": PAYLOAD},
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            },
        ],
    }
    uploads.nth(2).set_input_files(
        {"name": f"{PAYLOAD}.geojson", "mimeType": "application/json", "buffer": json.dumps(areas).encode()}
    )
    page.get_by_text("2 areas kept").first.wait_for(timeout=60_000)
    page.wait_for_function(SCRIPT_DONE, timeout=60_000)
    main = page.locator("[data-testid='stMain']")
    text = main.inner_text().replace("\u2060", "")  # the word joiners that stop autolinks
    assert ":red[**HACKED**]" in text and "[click](http://127.0.0.1:9/x)" in text  # shown literally
    links = main.locator("a[href*='127.0.0.1:9'], a[href*='example.com']")
    assert links.count() == 0, [links.nth(i).evaluate("e => e.parentElement.outerHTML") for i in range(links.count())]
    assert main.locator("img[src*='127.0.0.1:9']").count() == 0
    assert main.locator("[class*='katex']").count() == 0
    colour = "[data-testid='stMarkdownColoredText'], span[style*='color'], strong:text-is('HACKED')"
    assert main.locator(colour).count() == 0
    assert [u for u in requests if not u.startswith(LOCAL) or ":9/" in u] == []
    assert [e for e in errors if not is_streamlit_base_path_probe(e)] == []
    page.close()


SIZES = [(1366, 768), (1920, 1080)]  # a council laptop and a projector


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(
    "path,key",
    [("/?level=lsoa11", "overview_map"), ("/borough?borough=E09000012", "borough_map")],
    ids=["overview", "borough"],
)
def test_the_map_is_wholly_on_the_first_screen_and_takes_most_of_it(app_server, context, path, key, size) -> None:
    width, height = size
    page, _ = _open(context, app_server + path, size)
    # the overview's map is the map component (a canvas it paints), the borough's a plotly chart
    inner = "canvas.cm-paint" if key == "overview_map" else ".js-plotly-plot"
    chart = page.locator(f".st-key-{key} {inner}").first
    chart.wait_for(timeout=60_000)
    # the chart takes its frame's height once Streamlit has measured the frame (a frame or two after it draws)
    page.wait_for_function(
        "([sel, h]) => { const c = document.querySelector(sel);"
        " return c && c.getBoundingClientRect().height >= 0.6 * h; }",
        arg=[f".st-key-{key} {inner}", height],
        timeout=15_000,
    )
    if key == "overview_map":  # drawn and coloured, not only laid out
        page.wait_for_function(MAP_DRAWN, timeout=60_000)
        assert drawn_fraction(chart.screenshot()) > 0.2
    _painted(page)
    box = chart.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["y"] >= 0, box
    assert box["x"] + box["width"] <= width and box["y"] + box["height"] <= height, (box, size)
    assert box["height"] >= 0.6 * height and box["width"] >= 0.5 * width, (box, size)
    page.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_no_story_slide_scrolls_in_presentation_mode_and_the_arrows_step(app_server, context, size) -> None:
    width, height = size
    page, _ = _open(context, app_server + "/story?present=1", size)
    # Presentation mode hides the sidebar and header (our CSS, applied once the page has run): raises if they stay.
    page.wait_for_selector("[data-testid='stSidebar']", state="hidden", timeout=15_000)
    page.wait_for_selector("[data-testid='stHeader']", state="hidden", timeout=15_000)
    n = page.locator(".st-key-story-nav [data-testid='stButtonGroup'] button").count()
    assert n == 8
    for number in range(1, n + 1):
        title = page.locator(".st-key-story h1").first.inner_text()
        page.wait_for_function(SCRIPT_DONE, timeout=60_000)
        if page.locator(".st-key-slide-figure-0 .geolayer").count():  # plotly stretches a map to its frame after layout
            page.wait_for_function(
                "h => { const p = document.querySelector('.st-key-slide-figure-0 .js-plotly-plot');"
                " return p && p.getBoundingClientRect().height >= h; }",
                arg=0.6 * height,
                timeout=15_000,
            )
        scroll, client = page.evaluate(
            "() => { const m = document.querySelector('[data-testid=stMain]'); return [m.scrollHeight, m.clientHeight]; }"
        )
        assert scroll <= client + 1, f"slide {number} ({title}) scrolls at {width}x{height}: {scroll} > {client}"
        figure = page.locator(".st-key-slide-figure-0 .js-plotly-plot")
        if figure.count() and page.locator(".st-key-slide-figure-0 .geolayer").count():  # a map
            box = figure.first.bounding_box()
            assert box is not None and box["height"] >= 0.6 * height, (number, box)
        if number < n:
            page.keyboard.press("ArrowRight")  # the Next button's shortcut
            page.wait_for_function(
                "t => { const h = document.querySelector('.st-key-story h1'); return h && h.innerText !== t; }",
                arg=title,
                timeout=30_000,
            )
            page.wait_for_function(SCRIPT_DONE, timeout=60_000)
    page.close()


SCRIPT_DONE = "document.querySelector('[data-testid=stApp]').getAttribute('data-test-script-state') === 'notRunning'"
TOAST_COUNTER = """
(() => {
  window.__toasts = [];
  new MutationObserver(() => {
    for (const t of document.querySelectorAll('[data-testid="stToast"]')) {
      if (!t.__seen) { t.__seen = true; window.__toasts.push(t.innerText); }
    }
  }).observe(document, {childList: true, subtree: true});
})();
"""


def test_build_toast_once_per_server_in_the_building_session_never_on_a_rerun(browser, tmp_path) -> None:
    """A fresh server without a database: the first session builds it and is told once; reruns and others are not."""
    import re

    fresh = tmp_path / "fresh.duckdb"
    with streamlit_server(ROOT / "app.py", cwd=ROOT, env={**os.environ, "COHESION_DB": str(fresh)}) as url:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        context.add_init_script(TOAST_COUNTER)
        first, _ = _open(context, url + "/", timeout_ms=90_000)  # the building session
        first.wait_for_function("window.__toasts.length > 0", timeout=30_000)
        assert fresh.is_file()
        for label, many in (("Ward 2022", "wards"), ("Borough", "boroughs")):  # two reruns of the building session
            first.locator(".st-key-level label").filter(has_text=label).click()
            # the top-ten heading is drawn after app.py would toast: once it names the new level, the rerun is past it
            first.get_by_text(re.compile(rf"Where to embed cohesion first: the top \w+ {many}$")).wait_for(
                timeout=60_000
            )
            first.wait_for_function(SCRIPT_DONE, timeout=60_000)
        toasts = first.evaluate("window.__toasts")
        assert len(toasts) == 1, toasts
        assert re.fullmatch(r"Data ready \(built from the embedded snapshot in \d+\.\d s\)", toasts[0].strip()), toasts
        second, _ = _open(context, url + "/")  # another session on the same server
        assert second.evaluate("window.__toasts") == []
        context.close()
