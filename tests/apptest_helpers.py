"""Open the app in Streamlit's AppTest the way a link does: query parameters first, then the page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def open_app(page: str | None = None, *, via_root: bool = False, **params: str | list[str]) -> AppTest:
    """Run app.py with `params` in the URL; open `page` directly (or after the default page, with `via_root`)."""
    at = AppTest.from_file("../app.py", default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    if page is None or via_root:
        at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at
