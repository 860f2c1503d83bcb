"""Declarations, read by every other layer: sources and their checksums, levels, pillars, indicators, space types, the database schema, number and place styles."""
