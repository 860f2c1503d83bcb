"""A minimal Streamlit session over the websocket, as a browser tab would drive it: for load tests on loopback.

It speaks Streamlit's own protocol (the `streamlit.proto` messages): a rerun with a page, a query string and the
widget values chosen so far; the elements of the run (selectboxes and download buttons are kept); and a download
button's click (a deferred file: the server makes it and answers with a URL, which is then fetched over HTTP).
Only 127.0.0.1 and localhost are accepted as servers.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import ClientConnection, connect

LOOPBACK = ("127.0.0.1", "localhost")


class SessionError(RuntimeError):
    """The server did not finish a run, or answered a request with an error."""


@dataclass
class Run:
    """What one script run sent: seconds taken, exceptions shown, selectboxes and download buttons by label."""

    seconds: float
    exceptions: list[str] = field(default_factory=list)
    selectboxes: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # label -> (widget id, options)
    downloads: dict[str, str] = field(default_factory=dict)  # label -> deferred file id, or "url:" + media URL
    n_bytes: int = 0


class Session:
    """One browser-like session of the app at `base_url` (http://127.0.0.1:PORT)."""

    def __init__(self, base_url: str, timeout_s: float = 120.0) -> None:
        """Open the websocket (loopback only)."""
        host = urlsplit(base_url).hostname
        if host not in LOOPBACK:
            raise ValueError(f"only loopback servers are driven, not {host!r}")
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.widgets: dict[str, str] = {}  # widget id -> string value (selectboxes)
        self.session_id = ""  # the server's id of this session (from its first new_session message)
        self.ws: ClientConnection = connect(
            self.base_url.replace("http", "ws", 1) + "/_stcore/stream", max_size=None, open_timeout=timeout_s
        ).__enter__()

    def __enter__(self) -> Session:
        """Use as `with Session(url) as s:`; the websocket closes on leaving."""
        return self

    def __exit__(self, *_exc: object) -> None:
        """Close the websocket."""
        self.close()

    def close(self) -> None:
        """Close the websocket: the server ends the session."""
        self.ws.close()

    def rerun(self, page: str = "", query: str = "") -> Run:
        """Run the script for `page` (its url path, "" for the default) with `query` and the widget values set."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query
        state.page_name = page
        for widget_id, value in self.widgets.items():
            w = state.widget_states.widgets.add()
            w.id = widget_id
            w.string_value = value
        start = time.perf_counter()
        self.ws.send(msg.SerializeToString())
        run = Run(0.0)
        deadline = time.monotonic() + self.timeout_s
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise SessionError(f"no script_finished within {self.timeout_s:.0f} s ({page}?{query})")
            raw = self.ws.recv(timeout=remaining)
            data = raw if isinstance(raw, bytes) else raw.encode()
            run.n_bytes += len(data)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.session_id = self.session_id or fwd.new_session.initialize.session_id
            elif kind == "delta" and fwd.delta.WhichOneof("type") == "new_element":
                self._element(fwd.delta.new_element, run)
            elif kind == "script_finished":
                run.seconds = time.perf_counter() - start
                return run

    def _element(self, element: object, run: Run) -> None:
        kind = element.WhichOneof("type")  # type: ignore[attr-defined]
        if kind == "exception":
            run.exceptions.append(element.exception.message)  # type: ignore[attr-defined]
        elif kind == "selectbox":
            box = element.selectbox  # type: ignore[attr-defined]
            run.selectboxes[box.label] = (box.id, list(box.options))
        elif kind == "download_button":
            button = element.download_button  # type: ignore[attr-defined]
            run.downloads[button.label] = button.deferred_file_id or "url:" + button.url

    def choose(self, run: Run, label: str, option: str) -> None:
        """Set the selectbox `label` (as found in `run`) to `option` for the next rerun."""
        widget_id, options = run.selectboxes[label]
        if option not in options:
            raise SessionError(f"{option!r} is not an option of {label!r}")
        self.widgets[widget_id] = option

    def download(self, run: Run, label: str) -> bytes:
        """Click the download button `label` of `run` and fetch its file, as the browser does; SessionError if not."""
        return self.fetch(self.click(run, label), label)

    def click(self, run: Run, label: str) -> str:
        """Click the download button `label`: the URL of its file (made now by the server if made on click)."""
        target = run.downloads[label]
        url = target[4:] if target.startswith("url:") else self._deferred_url(target)
        full = url if url.startswith("http") else self.base_url + "/" + url.lstrip("/")
        if urlsplit(full).hostname not in LOOPBACK:
            raise SessionError(f"refusing a download from {full}")
        return full

    def fetch(self, url: str, label: str = "") -> bytes:
        """GET a file the server handed over (SessionError on an HTTP error, e.g. 404 when it was deleted)."""
        try:
            with urllib.request.urlopen(url, timeout=self.timeout_s) as response:
                return bytes(response.read())
        except urllib.error.HTTPError as exc:
            raise SessionError(f"HTTP {exc.code} for {label or url!r}") from exc

    def _deferred_url(self, file_id: str) -> str:
        msg = BackMsg()
        request = msg.backend_operation_request
        request.request_id = uuid.uuid4().hex
        request.session_id = self.session_id
        request.deferred_file.file_id = file_id
        self.ws.send(msg.SerializeToString())
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            fwd = ForwardMsg()
            fwd.ParseFromString(self.ws.recv(timeout=deadline - time.monotonic()))  # type: ignore[arg-type]
            if fwd.WhichOneof("type") == "backend_operation_response":
                response = fwd.backend_operation_response
                if response.request_id != request.request_id:
                    continue
                if response.error_msg:
                    raise SessionError(f"deferred file failed: {response.error_msg}")
                return str(response.deferred_file.url)
        raise SessionError("no answer to the download click")
