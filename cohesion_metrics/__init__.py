"""Domain logic for the London cohesion & resilience dashboard (no Streamlit imports)."""

__version__ = "0.1.0"
