"""The method, as pure functions over frames: composite scores, rank uncertainty, pillar checks, classes and priorities, area summaries, neighbours, the 2011 to 2021 carry, independent checks."""
