"""The indicator registry is complete and consistent, and the database holds every declared indicator."""

from __future__ import annotations

import pytest

from cohesion_metrics import db
from cohesion_metrics.build import derived_indicators
from cohesion_metrics.metadata.catalogue import SOURCES_BY_ID
from cohesion_metrics.metadata.indicators import (
    INDICATORS,
    PILLARS,
    PILLARS_BY_ID,
    get_indicator,
    registry_frame,
    require_level,
)
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE


@pytest.mark.parametrize("ind", INDICATORS, ids=lambda i: i.id)
def test_entry_is_complete(ind) -> None:
    assert ind.label and ind.definition.endswith((".", ")")) and ind.unit
    assert ind.pillar in PILLARS_BY_ID
    assert ind.source_id in SOURCES_BY_ID
    assert ind.levels and set(ind.levels) <= set(LEVELS_BY_CODE)
    if ind.in_composite:
        assert ind.higher_is_more_need is not None and ind.pillar != "context"
    if ind.numerator:
        assert ind.denominator and ind.table and ind.levels[0] == "lsoa21"


def test_ids_unique_and_lookup_suggests() -> None:
    assert len({i.id for i in INDICATORS}) == len(INDICATORS)
    with pytest.raises(KeyError, match="imd2019_score"):
        get_indicator("imd2019_scor")


def test_diversity_is_never_scored() -> None:
    born = get_indicator("born_outside_uk_pct")
    assert born.pillar == "context" and born.higher_is_more_need is None and not born.in_composite


def test_every_scored_pillar_has_default_indicators() -> None:
    pillars = {i.pillar for i in INDICATORS if i.in_composite}
    assert pillars == {p.id for p in PILLARS if p.role != "context"}


def test_registry_frame_one_row_per_indicator() -> None:
    frame = registry_frame()
    assert list(frame["indicator_id"]) == [i.id for i in INDICATORS]


def test_database_has_every_indicator_at_every_declared_level(app_db) -> None:
    con = db.connect(app_db, read_only=True)
    empty = [(i.id, level) for i, level, n in derived_indicators.registry_coverage(con) if n == 0]
    con.close()
    assert empty == []


def test_a_level_the_indicator_does_not_exist_at_is_a_clear_error(app_db) -> None:
    from cohesion_metrics.read import queries

    with pytest.raises(ValueError, match=r"exists at \['borough'\]"):
        require_level("turnout_2022_pct", "lsoa11")
    con = db.connect(app_db, read_only=True)
    with pytest.raises(ValueError, match="does not exist at level 'ward'"):
        queries.indicator_values(con, "life_satisfaction_2018_19", "ward")
    assert queries.indicator_values(con, "life_satisfaction_2018_19", "borough")["value"].notna().sum() == 32
    con.close()
