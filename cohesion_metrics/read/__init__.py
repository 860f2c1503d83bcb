"""Reading the built database for the app: queries that return plain frames, and the page-ready frames and text made from them."""
