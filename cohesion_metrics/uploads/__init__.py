"""A session's own local data: reading uploaded files (spaces, an indicator, custom areas) in memory and what the app computes with them."""
