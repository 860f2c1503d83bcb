"""Figures: plotly maps and charts, static PNG maps, the SVG map component's data, and the GeoJSON files the browser fetches."""
