"""The package's layers: each module imports only from its own layer or those below, and no import cycle exists."""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

from cohesion_metrics import LAYERS

PACKAGE = Path(__file__).resolve().parent.parent / "cohesion_metrics"
LAYER_OF = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def module_name(path: Path) -> str:
    """`cohesion_metrics.method.framework` for cohesion_metrics/method/framework.py."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imported_modules(source: str) -> set[str]:
    """The package's modules that `source` imports (type-only imports included): `from a.b import c` names
    `a.b.c` when that is a module, else `a.b`."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0, "use absolute imports: from cohesion_metrics... import ..."
            module = node.module or ""
            for alias in node.names:
                full = f"{module}.{alias.name}"
                found.add(full if full in MODULES else module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m in MODULES}


def layer(module: str) -> int:
    """The layer of a module; the package's face (`cohesion_metrics` itself) is below them all."""
    parts = module.split(".")
    return -1 if len(parts) == 1 else LAYER_OF[parts[1]]


GRAPH = {m: imported_modules(p.read_text()) - {m} for m, p in MODULES.items()}


def test_every_module_is_in_a_declared_layer() -> None:
    outside = [m for m in MODULES if "." in m and m.split(".")[1] not in LAYER_OF]
    assert not outside, f"not in cohesion_metrics.LAYERS: {outside}"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_only_its_own_layer_or_below(module: str) -> None:
    upward = sorted(t for t in GRAPH[module] if layer(t) > layer(module))
    assert not upward, f"{module} imports from a higher layer: {upward}"


def test_no_import_cycle() -> None:
    graphlib.TopologicalSorter(GRAPH).prepare()  # raises CycleError naming the cycle


def test_the_rules_catch_a_violation() -> None:
    """The checks themselves: an upward import is seen, and a cycle raises."""
    upward = imported_modules("from cohesion_metrics.figures import maps\n")
    assert upward == {"cohesion_metrics.figures.maps"}
    assert layer("cohesion_metrics.figures.maps") > layer("cohesion_metrics.method.framework")
    with pytest.raises(graphlib.CycleError):
        graphlib.TopologicalSorter({"a": {"b"}, "b": {"a"}}).prepare()


def test_no_streamlit_in_the_package() -> None:
    for module, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text())):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else []
            names += [a.name for a in node.names] if isinstance(node, ast.Import) else []
            assert not any(n.split(".")[0] == "streamlit" for n in names), module
