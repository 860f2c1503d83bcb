"""URL state: the query-parameter keys the widgets bind to, and hand-written links that use codes.

Shareable state lives in the URL: widgets use `bind="query-params"` with these keys (also the widget keys), so a
copied link opens the same view. Session state holds nothing else.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

#: URL query-parameter keys (also the widget keys).
BOROUGH, LEVEL, INDICATOR, PRESET, METHOD = "borough", "level", "indicator", "weights", "method"
#: More URL keys: the boroughs compared, the story slide, and one custom weight per pillar ("w_<pillar id>").
BOROUGHS, SLIDE, WEIGHT_PREFIX = "boroughs", "slide", "w_"
#: URL keys of the borough explorer: what its LSOA map shows, and which space layers are on.
MEASURE, SPACES = "measure", "spaces"


def default_first(options: list[str], default: str) -> list[str]:
    """`options` with `default` moved to the front (a widget's default), if it is offered."""
    return [default, *(o for o in options if o != default)] if default in options else options


def code_from_url(key: str, codes: list[str]) -> None:
    """Let a hand-written link use codes (``?level=lsoa11``, ``?borough=E09000012``) for a bound widget.

    Bound widgets keep their *labels* in the URL, so a copied link opens the same view as it is. A code is not a
    label: on the session's first run it is put into session state before the widget is drawn, and the widget
    starts there (Streamlit drops the code from the URL). On later runs a value that is not the default and is
    missing from the URL is assigned again, which makes Streamlit write its label back into the URL, so a link
    copied after any interaction restores the whole view. Call just before the widget; `codes[0]` is its default.
    """
    value = st.query_params.get(key)
    if key not in st.session_state:
        if value in codes:
            st.session_state[key] = value
    elif key not in st.query_params and st.session_state[key] in codes[1:]:
        st.session_state[key] = st.session_state[key]


def url_selectbox(
    label: str, codes: list[str], *, key: str, format_func: Callable[[str], str], help: str | None = None
) -> str:
    """A select box bound to the URL under `key` that also opens at a code in a hand-written link (`code_from_url`)."""
    code_from_url(key, codes)
    return str(st.selectbox(label, codes, format_func=format_func, key=key, bind="query-params", help=help))


def codes_from_url(key: str, codes: list[str]) -> bool:
    """`code_from_url` for a multiselect: ``?boroughs=E09000012&boroughs=E09000007`` (or comma-separated codes).

    On the session's first run, codes found in the URL become the widget's value; return whether the widget's
    value is in session state (so the caller passes no `default`, which Streamlit refuses beside a state value).
    """
    if key not in st.session_state:
        found = [v.strip() for raw in st.query_params.get_all(key) for v in raw.split(",")]
        picked = list(dict.fromkeys(v for v in found if v in codes))
        if picked:
            st.session_state[key] = picked
    return key in st.session_state
