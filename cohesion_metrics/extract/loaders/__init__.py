"""Loaders: read the official file layouts unchanged, validate them, return tidy frames."""
