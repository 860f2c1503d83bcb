"""What a build did: each stage timed with its row count, the inputs' checksums, and the warnings."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

Log = Callable[[str], None]


@dataclass
class BuildReport:
    """What the build did: per-stage rows and seconds, input checksums, warnings."""

    stages: list[tuple[str, int, float]] = field(default_factory=list)
    input_checksums: dict[str, dict[str, str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def seconds(self) -> float:
        """Total seconds over all stages."""
        return sum(s for _, _, s in self.stages)


@contextlib.contextmanager
def stage(report: BuildReport, name: str, log: Log) -> Iterator[list[int]]:
    """Time a stage; the body appends its row count to the yielded list."""
    rows: list[int] = []
    start = time.perf_counter()
    yield rows
    seconds = time.perf_counter() - start
    report.stages.append((name, sum(rows), seconds))
    log(f"  {name:<38} {sum(rows):>9,} rows {seconds:7.2f} s")
