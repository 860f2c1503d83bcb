"""The story's slides: every number equals the value computed by hand from the core and out tables."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from cohesion_metrics.metadata.levels import LEVELS_BY_CODE
from cohesion_metrics.method.classify import RECOMMENDATION_5
from cohesion_metrics.outputs import robustness, story
from cohesion_metrics.read import queries


@pytest.fixture(scope="module")
def slides(con) -> dict[str, story.Slide]:
    return {s.key: s for s in story.slides(con)}


def _one(con, sql: str, params: list | None = None):
    return con.execute(sql, params or []).fetchone()


def test_the_story_has_one_message_per_slide_tied_to_the_report(slides) -> None:
    assert list(slides) == [
        "need_capacity",
        "inclusive_spaces",
        "trust",
        "participation",
        "urgent_needs",
        "priorities",
        "actions",
        "gaps",
    ]
    for s in slides.values():
        assert s.title and s.message and s.illustrates
        assert "Finding" in s.illustrates or "Recommendation" in s.illustrates or "findings" in s.illustrates
    illustrated = " ".join(s.illustrates for s in slides.values())
    for tag in ("Finding 1", "Finding 2", "Finding 3", "Recommendation 2", "Recommendation 5"):
        assert tag in illustrated


def test_need_capacity_slide_counts_priority_wards_and_their_people(con, slides) -> None:
    level = story.story_level(con)
    table, code = LEVELS_BY_CODE[level].table, LEVELS_BY_CODE[level].code_column
    n, n7, pop7, pop = _one(
        con,
        f"""
        SELECT count(*), count(*) FILTER (WHERE o.class_code = 7),
               sum(w.population) FILTER (WHERE o.class_code = 7), sum(w.population)
        FROM out_cohesion__areas o JOIN {table} w ON w.{code} = o.area_code
        WHERE o.area_level = ? AND o.class_code IS NOT NULL""",
        [level],
    )
    numbers = slides["need_capacity"].numbers
    assert (numbers["n_areas"], numbers["n_priority"]) == (n, n7)
    assert numbers["priority_population"] == pytest.approx(pop7)
    assert numbers["priority_population_share"] == pytest.approx(pop7 / pop)
    assert sum(numbers[f"class_{c}"] for c in range(1, 10)) == n
    assert f"{n7} of London's {n} wards" in slides["need_capacity"].message
    assert set(slides["need_capacity"].frames["map"]["class_code"].dropna().astype(int)) <= set(range(1, 10))


def test_inclusive_space_reach_is_residents_weighted_over_lsoa21(con, slides) -> None:
    (london,) = _one(
        con,
        """
        SELECT sum(g.population * v.value) / sum(g.population) FROM core_geo__lsoa21 g
        JOIN core_indicators__values v ON v.area_code = g.lsoa21_code
        WHERE v.area_level = 'lsoa21' AND v.indicator_id = 'pop_within_800m_pct_community'""",
    )
    low_name, low = _one(
        con,
        """
        SELECT b.borough_name, v.value FROM core_indicators__values v JOIN core_geo__borough b
        ON b.borough_code = v.area_code WHERE v.area_level = 'borough'
        AND v.indicator_id = 'pop_within_800m_pct_community' ORDER BY v.value LIMIT 1""",
    )
    numbers = slides["inclusive_spaces"].numbers
    assert numbers["london"] == pytest.approx(london)
    assert (numbers["min_area"], numbers["min"]) == (low_name, pytest.approx(low))
    assert slides["inclusive_spaces"].message.startswith(f"{london:.0f}% of Londoners")
    assert slides["inclusive_spaces"].reference == pytest.approx(london)


@pytest.mark.parametrize(
    "key,indicator", [("trust", story.TRUST_INDICATOR), ("participation", story.TURNOUT_INDICATOR)]
)
def test_borough_slides_name_the_boroughs_without_data(con, slides, key, indicator) -> None:
    missing = [
        r[0]
        for r in con.execute(
            """
        SELECT b.borough_name FROM core_geo__borough b LEFT JOIN core_indicators__values v
        ON v.area_code = b.borough_code AND v.area_level = 'borough' AND v.indicator_id = ?
        WHERE v.value IS NULL ORDER BY 1""",
            [indicator],
        ).fetchall()
    ]
    (median,) = _one(
        con,
        "SELECT median(value) FROM core_indicators__values WHERE area_level = 'borough' AND indicator_id = ?",
        [indicator],
    )
    slide = slides[key]
    assert missing == ["City of London"]
    assert slide.numbers["missing"] == "City of London"
    assert "City of London" in slide.caveat
    assert slide.numbers["median"] == pytest.approx(median)
    assert slide.numbers["n_with_value"] == 32
    assert slide.frames["map"]["value"].isna().sum() == 1  # the gap is kept, not filled


def test_urgent_needs_counts_lsoas_in_englands_most_deprived_decile(con, slides) -> None:
    lsoas, pop, total = _one(
        con,
        """
        SELECT count(*) FILTER (WHERE v.value = 1), sum(g.population) FILTER (WHERE v.value = 1), sum(g.population)
        FROM core_indicators__values v JOIN core_geo__lsoa11 g ON g.lsoa11_code = v.area_code
        WHERE v.area_level = 'lsoa11' AND v.indicator_id = 'imd2019_decile'""",
    )
    numbers = slides["urgent_needs"].numbers
    assert numbers["lsoas"] == lsoas
    assert numbers["population"] == pytest.approx(pop)
    assert numbers["share"] == pytest.approx(pop / total)
    assert slides["urgent_needs"].message.startswith(f"{lsoas} of London's")


def test_priorities_slide_matches_the_priority_table(con, slides) -> None:
    level = story.story_level(con)
    (n_priority,) = _one(con, "SELECT count(*) FROM out_cohesion__priorities WHERE area_level = ?", [level])
    (worst,) = _one(
        con,
        """
        SELECT max(priority_rank_p95) FROM (SELECT * FROM out_cohesion__priorities WHERE area_level = ?
        ORDER BY priority_rank LIMIT ?)""",
        [level, story.PRIORITY_TOP],
    )
    slide = slides["priorities"]
    assert slide.numbers["n_priority"] == n_priority
    assert slide.numbers["worst_p95"] == math.ceil(worst)
    intervals = slide.frames["intervals"]
    assert intervals["priority_rank"].tolist() == list(range(1, story.PRIORITY_TOP + 1))
    assert intervals["label"].str.contains(", ").all()  # "Ward, Borough"
    assert "below London's median cohesion capacity" in slide.caveat and "Hazard exposure" in slide.caveat


def test_action_counts_are_distinct_areas_per_letter(con, slides) -> None:
    counts = story.action_counts(con)
    assert len(counts) == len(queries.scored_levels(con)) * len(RECOMMENDATION_5)
    for level, letter in (("ward", "e"), ("lsoa11", "f"), ("borough", "c")):
        (expected,) = _one(
            con,
            "SELECT count(DISTINCT area_code) FROM out_cohesion__actions WHERE area_level = ? AND action = ?",
            [level, letter],
        )
        got = counts.loc[(counts["level"] == level) & (counts["action"] == letter), "areas"].item()
        assert got == expected
    assert counts.loc[(counts["level"] == "ward") & (counts["action"] == "c"), "areas"].item() == 0
    numbers = slides["actions"].numbers
    wards = story.story_level(con)  # the story's wards: the 2022 wards once scored
    assert numbers["ward_e"] == counts.loc[(counts["level"] == wards) & (counts["action"] == "e"), "areas"].item()
    assert "(c) cannot be triggered for wards" in slides["actions"].caveat


def test_gaps_slide_names_what_is_missing(slides) -> None:
    points = " ".join(slides["gaps"].points)
    assert "flood" in points and "City of London" in points and "police" in points


def test_every_slide_number_is_finite(slides) -> None:
    frame = story.numbers_frame(list(slides.values()))
    assert set(frame["slide"]) == set(slides)
    assert len(frame) > 30


def test_source_titles_follow_the_slide_order(con) -> None:
    line = story.source_titles(con, ("mopac_pas_2022", "iod2019_gla_london"))
    assert line.index("Public Attitude Survey") < line.index("Indices of Deprivation")
    assert story.source_titles(con, ()) == ""


# --- Robustness in words, on hand-made frames -----------------------------------------------------------------------


def test_stability_explanations_give_places_for_the_level() -> None:
    words = robustness.stability_explanations(33)
    assert "at most 5 places" in words["stable"]  # thresholds in places, whatever the number of areas
    assert "at most 20 places" in words["fairly stable"]
    assert "wider than 20 places" in words["uncertain"]
    assert robustness.stability_explanations(4994)["stable"] == words["stable"].replace("of 33 areas", "of 4,994 areas")


def test_stability_summary_counts_labels() -> None:
    table = pd.DataFrame({"need_stability": ["stable", "uncertain", "uncertain", "not scored"]})
    assert robustness.stability_summary(table, "borough") == (
        "Of 4 boroughs: 1 stable, 0 fairly stable, 2 uncertain, 1 not scored."
    )


def test_rank_moves_orders_by_absolute_change_and_signs_it() -> None:
    default = pd.DataFrame({"area_code": list("abcd"), "need_rank": [1, 2, 3, 4]})
    custom = pd.DataFrame({"area_code": list("abcd"), "need_rank": [4, 2, 1, 3], "need_stability": ["stable"] * 4})
    labels = pd.DataFrame({"area_code": list("abcd"), "label": ["A", "B", "C", "D"]})
    moves = robustness.rank_moves(custom, default, labels, top=10)
    assert moves["label"].tolist() == ["A", "C", "D"]  # B does not move; A moves 3, C 2, D 1
    assert moves["places"].tolist() == [-3, 2, 1]  # positive = now ranked as more in need
    assert robustness.rank_moves(default.assign(need_stability="stable"), default, labels).empty


def test_priority_changes_say_who_enters_leaves_and_moves() -> None:
    default = pd.DataFrame(
        {"area_code": list("abcde"), "priority_rank": [1, 2, 3, np.nan, 4], "priority_top10_share": 0.5}
    )
    custom = pd.DataFrame(
        {"area_code": list("abcde"), "priority_rank": [2, 1, np.nan, 3, 4], "priority_top10_share": 0.9}
    )
    labels = pd.DataFrame({"area_code": list("abcde"), "label": list("ABCDE")})
    changes = robustness.priority_changes(custom, default, labels, top=3)
    # Top 3 before: a, b, c; after: b, a, d. d enters, c leaves, a moves down 1, b up 1; e is in neither.
    assert changes["label"].tolist() == ["B", "A", "D", "C"]
    assert changes["change"].tolist() == ["up 1", "down 1", "enters", "leaves"]
    assert changes["rank_now"].isna().tolist() == [False, False, False, True]
    unchanged = robustness.priority_changes(default, default, labels, top=3)
    assert (unchanged["change"] == "stays").all()
