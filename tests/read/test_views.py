"""Page-ready frames and sentences: measures offered per level, ranks, gaps, and recommendation 5 in words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cohesion_metrics.metadata.indicators import INDICATORS_BY_ID
from cohesion_metrics.read import page_frames, page_text

NAMES = {"E09000001": "City of London", "E09000002": "Barking and Dagenham", "E09000003": "Barnet"}


def _areas() -> pd.DataFrame:
    """Three boroughs of a hand-made framework run; the City lacks trust and participation."""
    return pd.DataFrame(
        {
            "area_name": list(NAMES.values()),
            "borough_code": list(NAMES),
            "area_code": list(NAMES),
            "need": [0.6, 0.9, 0.1],
            "need_rank": [2, 1, 3],
            "need_rank_p05": [1.0, 1.0, 2.0],
            "need_rank_p95": [3.0, 2.0, 3.0],
            "need_stability": ["uncertain", "stable", "fairly stable"],
            "need_top10_share": [1.0, 1.0, 0.934],
            "capacity": [0.7, 0.2, 0.8],
            "capacity_rank": [2, 1, 3],
            "hazard": [0.9, 0.5, 0.2],
            "hazard_rank": [1, 2, 3],
            "coverage": [0.6, 1.0, 1.0],
            "flagged": [False, False, False],
            "flag_reason": ["", "", ""],
            "class_code": [9, 7, 3],
            "class_label": ["high need / high capacity", "high need / low capacity", "low need / high capacity"],
            "exposed": [False, True, False],
            "pillar__trust": [np.nan, 0.8, 0.1],
            "pillar__participation": [np.nan, 0.6, 0.3],
            "pillar__hazard_air": [0.9, 0.5, 0.2],
        }
    )


def test_measures_offered_follow_the_level() -> None:
    lsoa = page_frames.measures_for(["hazard_heat", "urgent_needs"], ["tree_canopy_pct", "imd2019_score"])
    ids = [m.id for m in lsoa]
    # The need x cohesion capacity classes are the default view, then the four measures.
    assert ids[:5] == ["need_capacity", "need", "capacity", "hazard", "priority"]
    assert "pillar__trust" not in ids and {"pillar__hazard_heat", "pillar__urgent_needs"} <= set(ids)
    assert ids.index("tree_canopy_pct") < ids.index("imd2019_score")  # hazard pillar before context
    assert page_frames.get_measure("tree_canopy_pct").option.startswith("Heat exposure · ")
    assert page_frames.get_measure("trust_agree_the_police_listen_to_the_concerns_of_local_people").option.startswith(
        "Trust: police listen"
    )  # no "Trust · Trust: ..."
    with pytest.raises(KeyError, match="unknown measure"):
        page_frames.get_measure("nonsense")


def test_pillars_with_scores_skips_empty_columns() -> None:
    areas = _areas().assign(pillar__trust=np.nan)
    assert page_frames.pillars_with_scores(areas) == ["participation", "hazard_air"]


def test_measure_frame_ranks_by_need() -> None:
    pillar = page_frames.measure_frame(_areas(), page_frames.get_measure("pillar__trust"), NAMES)
    assert pillar["area_code"].tolist() == ["E09000002", "E09000003", "E09000001"]  # missing last
    assert pillar["rank"].tolist()[:2] == [1, 2] and pd.isna(pillar["rank"].iloc[2])
    canopy = pd.DataFrame({"area_code": list(NAMES), "value": [4.0, 20.0, 30.0]})
    ind = page_frames.measure_frame(_areas(), page_frames.get_measure("tree_canopy_pct"), NAMES, canopy)
    assert ind["area_code"].iloc[0] == "E09000001" and ind["rank"].iloc[0] == 1  # least canopy = most need
    classes = page_frames.measure_frame(_areas(), page_frames.get_measure("need_capacity"), NAMES)
    assert classes["class_label"].iloc[0] == "high need / low capacity"
    with pytest.raises(ValueError, match="pass its values"):
        page_frames.measure_frame(_areas(), page_frames.get_measure("tree_canopy_pct"), NAMES)


def test_display_table_headings_and_interval() -> None:
    need = page_frames.get_measure("need")
    table = page_frames.display_table(page_frames.measure_frame(_areas(), need, NAMES), need)
    assert list(table.columns) == [
        "Area",
        "Need (urgent needs, root causes and vulnerability) (0-1)",
        "Rank (1 = most need)",
        "How sure: in London's top 10 in",
        "Likely rank range",
        "Code",
    ]  # boroughs: no Borough
    assert table["Area"].iloc[0] == "Barking and Dagenham"
    # Certainty in words, the likely range as a second column.
    assert table["How sure: in London's top 10 in"].tolist() == ["100% of re-runs", "100% of re-runs", "93% of re-runs"]
    assert table["Likely rank range"].tolist() == ["1–2", "1–3", "2–3"]


def test_gaps_name_the_city_and_the_hazard_gap() -> None:
    areas = _areas()
    trust = page_frames.get_measure("pillar__trust")
    notes = page_frames.gaps("borough", trust, page_frames.measure_frame(areas, trust, NAMES), areas)
    assert notes[0].startswith("No value for City of London")
    need = page_frames.get_measure("need")
    notes = page_frames.gaps("borough", need, page_frames.measure_frame(areas, need, NAMES), areas)
    text = " ".join(notes)
    assert "City of London's score rests on 60%" in text and "trust" in text
    assert "Flood" in text  # the hazard pillar's data gap


def test_borough_gaps_for_the_city_only() -> None:
    rows = _areas().set_index("area_code")
    city = page_text.borough_gaps(rows.loc["E09000001"], "City of London", 0)
    assert len(city) == 1 and "*trust*" in city[0] and "no statistical neighbours" in city[0]
    assert "no election in May 2022" in city[0]
    assert page_text.borough_gaps(rows.loc["E09000003"], "Barnet", 5) == []


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (23.44, "% of residents", "23.4%"),
        (812.4, "metres", "812 m"),
        (1249.6, "metres", "1,250 m"),
        (0.2049, "proportion of residents", "20.5%"),
        (1.53, "km", "1.5 km"),
        (12.45, "per 10,000 residents", "12.4 per 10,000 residents"),
        (4835.0, "rank of 32,844", "4,835"),
        (0.3712, "score", "0.37"),
        (float("nan"), "score", "no data"),
    ],
)
def test_format_value(value: float, unit: str, text: str) -> None:
    assert page_text.format_value(value, unit) == text


def test_actions_become_sentences_with_their_figures() -> None:
    actions = pd.DataFrame(
        {
            "area_code": "E09000002",
            "action_rank": [1, 1, 2],
            "action": ["e", "e", "a"],
            "action_label": ["Urgent needs and root causes"] * 2 + ["Inclusive spaces"],
            "pillar": ["urgent_needs", "urgent_needs", "inclusive_spaces"],
            "pillar_percentile": [96.9, 96.9, 71.9],
            "indicator": ["income2019_score", "health2019_score", "nearest_space_m_community"],
            "value": [0.2049, 0.37, 545.0],
            "percentile": [96.9, 100.0, 59.4],
        }
    )
    first, second = page_text.describe_actions(actions, "borough")
    assert first == (
        "**(e) Urgent needs and root causes** (pillar score is higher than 96% of boroughs): income "
        "deprivation 20.5%, higher than 96% of boroughs; health deprivation and disability 0.37, the "
        "highest of all boroughs."
    )
    assert second.startswith("**(a) Inclusive spaces** (pillar score is higher than 71% of boroughs): distance to the")
    assert "545 m" in second
    assert INDICATORS_BY_ID["nearest_space_m_community"].higher_is_more_need is True


def test_capacity_building_sentence() -> None:
    actions = pd.DataFrame(
        {
            "area_code": "E01",
            "action_rank": [1],
            "action": ["f"],
            "action_label": ["Capacity building"],
            "pillar": ["connections"],
            "pillar_percentile": [80.0],
            "indicator": ["tree_canopy_pct"],
            "value": [3.0],
            "percentile": [90.0],
        }
    )
    (sentence,) = page_text.describe_actions(actions, "lsoa11")
    assert sentence.startswith(
        "**(f) Capacity building** (every cohesion-capacity pillar is among the 30% of neighbourhoods most in need"
    )
    assert "tree canopy cover 3.0%, lower than 90% of neighbourhoods" in sentence


def test_priorities_in_plain_english() -> None:
    pri = pd.DataFrame(
        {
            "priority_rank": [1],
            "area_code": ["E01"],
            "area_name": ["Camden 023D"],
            "borough_code": ["E09000002"],
            "need": [0.966],
            "capacity": [0.0212],
            "priority_top10_share": [0.934],
            "priority_rank_p05": [1.0],
            "priority_rank_p95": [12.4],
            "exposed": [True],
        }
    )
    table = page_text.describe_priorities(pri, NAMES)
    row = table.iloc[0]
    assert row["Borough"] == "Barking and Dagenham" and row["Likely rank range"] == "1–12"
    assert row["How sure: in London's top 10 in"] == "93% of re-runs"
    assert row["Need (0-1)"] == 0.97 and row["Cohesion capacity (0-1)"] == 0.02
    assert row["Exposed to hazards"] == "yes"


def test_certainty_words_and_likely_range() -> None:
    assert page_text.top10_sentence(0.934) == "in London's top 10 in 93% of re-runs"
    assert page_text.top10_sentence(float("nan")) == ""
    lo, hi = pd.Series([9.0, 1200.4, np.nan, 3.0]), pd.Series([233.0, 4835.0, 2.0, 3.0])
    assert page_text.likely_range(lo, hi).tolist() == ["9–233", "1,200–4,835", "", "3"]
    assert page_text.likely_range(lo, hi, listed=2_497).tolist() == ["9–233", "1,200–not listed", "", "3"]


def test_spaces_grouped_with_pubs_not_counted() -> None:
    spaces = pd.DataFrame(
        {
            "space_id": ["1", "2", "3"],
            "name": ["Hall", None, "The Crown"],
            "space_type": ["community_centre", "place_of_worship", "pub"],
            "source_id": "gla_cim",
            "lsoa11_code": ["E01000001"] * 3,
            "lon": [-0.1] * 3,
            "lat": [51.5] * 3,
        }
    )
    frame = page_frames.spaces_frame(spaces, {"E01000001": "City of London 001A"})
    assert frame["group"].tolist() == ["community", "faith", "not_counted"]
    assert frame["counted"].tolist() == [True, True, False] and frame["name"].iloc[1] == "(unnamed)"
    table = page_frames.spaces_table(frame)
    assert table["Counted as inclusive"].tolist() == ["yes", "yes", "no"]
    catchment = pd.DataFrame({"area_code": ["a", "b", "c"], "value": [49.9, 50.0, np.nan]})
    assert page_frames.far_from_community(catchment) == ["a"]
