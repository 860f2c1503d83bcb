"""Getting the official files and reading them unchanged: download and verify, find raw files, read each published layout into frames, check what crosses in."""
