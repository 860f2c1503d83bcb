"""Load test over loopback: N websocket sessions doing what a room of planners does, at once.

Usage: python benchmarks/load.py [--sessions 20] [--rounds 1] [--race] [--root CHECKOUT] [--set KEY=VALUE ...]

Starts the app on a free 127.0.0.1 port (database: COHESION_DB, else data/cohesion.duckdb) and opens N sessions
(tools/wsclient.py: Streamlit's own websocket protocol, as a browser tab, without drawing). Each session, started
together, runs the sequence
  overview at LSOA level -> three changes of "What to map" -> a borough (the explorer) -> its "Table (CSV)" download
and the script prints, per interaction, the median and 95th percentile of the time from request to "script finished"
(or to the last byte of the file), the errors, and the server's resident memory before, at its peak and after.

--race: one session downloads the borough's CSV, GeoPackage, slide PNG and briefing PDF (made on click) ten times
each while 10 other sessions rerun pages without pause; prints how many files arrived (goal: all).

--set runner.postScriptGC=false (repeatable) passes a Streamlit config option to the server, to measure a lever
against the project's .streamlit/config.toml.

Bounded: at most 50 sessions, 5 rounds, and every request times out after 120 s. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.localapp import rss_mb, streamlit_server  # noqa: E402
from tools.wsclient import Session, SessionError  # noqa: E402

MAX_SESSIONS, MAX_ROUNDS = 50, 5
BOROUGHS = ("E09000030", "E09000012", "E09000007", "E09000022", "E09000028")
RACE_FILES = ("Table (CSV)", "Map layer (GeoPackage)", "Map for slides (PNG)")


class Memory:
    """Samples the server's RSS every 0.2 s in a thread: before, peak, last."""

    def __init__(self, pid: int) -> None:
        """Start sampling `pid`."""
        self.pid, self.before, self.peak, self.last = pid, rss_mb(pid), 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.last = rss_mb(self.pid)
            self.peak = max(self.peak, self.last)
            time.sleep(0.2)

    def stop(self) -> None:
        """Stop sampling."""
        self._stop.set()
        self._thread.join()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (Linux /proc), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def one_session(url: str, k: int, rounds: int, times: dict[str, list[float]], errors: list[str]) -> None:
    """The planner's sequence, `rounds` times, recording seconds per interaction."""
    try:
        with Session(url) as s:
            for _ in range(rounds):
                run = s.rerun("overview", "level=lsoa11")
                times["overview at LSOA level"].append(run.seconds)
                errors.extend(run.exceptions)
                box = "What to map"
                for n in range(3):
                    _, options = run.selectboxes[box]
                    s.choose(run, box, options[(n + 1 + k) % len(options)])
                    run = s.rerun("overview", "level=lsoa11")
                    times["change what to map"].append(run.seconds)
                    errors.extend(run.exceptions)
                s.widgets.clear()
                run = s.rerun("borough", f"borough={BOROUGHS[k % len(BOROUGHS)]}")
                times["open a borough"].append(run.seconds)
                errors.extend(run.exceptions)
                start = time.perf_counter()
                data = s.download(run, "Table (CSV)")
                times["download its CSV"].append(time.perf_counter() - start)
                if not data.startswith(b"area_code"):
                    errors.append("CSV download: not a CSV")
    except (SessionError, OSError, KeyError, TimeoutError) as exc:
        errors.append(f"session {k}: {type(exc).__name__}: {exc}")


def load(url: str, sessions: int, rounds: int) -> tuple[dict[str, list[float]], list[str]]:
    """Run `sessions` planners at once; their times and errors."""
    times: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    threads = [
        threading.Thread(target=one_session, args=(url, k, rounds, times, errors), daemon=True) for k in range(sessions)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    return times, errors


def race(url: str, others: int = 10, repeats: int = 10) -> tuple[int, int, list[str]]:
    """One session downloads files made on click while `others` rerun; (arrived, tried, errors)."""
    stop = threading.Event()
    errors: list[str] = []

    def rerun_forever(k: int) -> None:
        try:
            with Session(url) as s:
                while not stop.is_set():
                    s.rerun(("compare", "overview", "borough")[k % 3], f"borough={BOROUGHS[k % len(BOROUGHS)]}")
        except (SessionError, OSError, TimeoutError) as exc:
            errors.append(f"rerunning session {k}: {exc}")

    threads = [threading.Thread(target=rerun_forever, args=(k,), daemon=True) for k in range(others)]
    for t in threads:
        t.start()
    arrived = tried = 0
    with Session(url) as s:
        run = s.rerun("borough", "borough=E09000030")
        labels = (*RACE_FILES, next(label for label in run.downloads if label.startswith("Briefing")))
        for _ in range(repeats):
            for label in labels:
                tried += 1
                try:
                    s.download(run, label)
                    arrived += 1
                except SessionError as exc:
                    errors.append(f"{label}: {exc}")
    stop.set()
    for t in threads:
        t.join(timeout=120)
    return arrived, tried, errors


def main() -> int:
    """Parse arguments, run, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--race", action="store_true", help="the download race instead of the planners' sequence")
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout whose app.py is served (a baseline)")
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="a Streamlit option")
    args = parser.parse_args()
    options = [part for kv in args.set for part in (f"--{kv.split('=', 1)[0]}", kv.split("=", 1)[1])]
    sessions, rounds = min(args.sessions, MAX_SESSIONS), min(args.rounds, MAX_ROUNDS)
    started: list = []
    root = args.root.resolve()
    with streamlit_server(root / "app.py", cwd=root, env=dict(os.environ), started=started, extra_args=options) as url:
        with Session(url) as warm:  # build caches once, as the first visitor of the day does
            warm.rerun("overview", "level=lsoa11")
            warm.rerun("borough", "borough=E09000030")
        memory = Memory(started[0].pid)
        cpu, start = cpu_seconds(started[0].pid), time.perf_counter()
        times: dict[str, list[float]] = {}
        if args.race:
            arrived, tried, errors = race(url)
            print(f"download race: {arrived} of {tried} files arrived ({100 * arrived / tried:.0f} %) while 10 "
                  "other sessions reran")  # fmt: skip
        else:
            times, errors = load(url, sessions, rounds)
            print(f"{sessions} sessions x {rounds} round(s) over loopback, {os.cpu_count()} CPU(s)", *args.set)
            for name, xs in times.items():
                q = statistics.quantiles(xs, n=20) if len(xs) > 1 else xs * 19
                print(f"  {name:24s} n={len(xs):3d}  p50 {statistics.median(xs):6.2f} s  p95 {q[18]:6.2f} s")
        wall, cpu = time.perf_counter() - start, cpu_seconds(started[0].pid) - cpu
        memory.stop()
        print(f"errors: {len(errors)}" + "".join(f"\n  {e}" for e in errors[:10]))
        print(f"server RSS: {memory.before:.0f} MB before, {memory.peak:.0f} MB peak, {memory.last:.0f} MB after")
        runs = sum(len(xs) for name, xs in times.items() if not name.startswith("download")) if not args.race else 0
        per_run = f" ({1000 * cpu / runs:.0f} ms a run)" if runs else ""
        print(f"wall time {wall:.1f} s; server CPU {cpu:.1f} s{per_run}")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
