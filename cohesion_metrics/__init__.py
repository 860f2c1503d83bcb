"""Domain logic for the London cohesion & resilience dashboard (no Streamlit imports).

The package is in layers, lowest first (see CONTRIBUTING.md): a module imports from its own layer and the layers
below it, never from a layer above, and no import cycle exists (`tests/test_layers.py` checks both).
"""

__version__ = "0.1.0"

#: Layers, lowest first; each entry names the top-level modules or subpackages in it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("errors", "settings", "files", "db"),
    ("metadata",),
    ("extract",),
    ("method",),
    ("build",),
    ("read",),
    ("figures",),
    ("outputs",),
    ("uploads",),
    ("__main__",),
)
