"""The inclusive-space taxonomy, declared once: every space type, its label and its group, and what each group counts.

Pubs and commercial galleries are shown on maps, never counted as inclusive in the indicators.
"""

from __future__ import annotations

#: Every space type and its plain label.
SPACE_TYPE_LABELS = {
    "community_centre": "Community centre",
    "library": "Library",
    "youth_centre": "Youth centre",
    "place_of_worship": "Place of worship",
    "arts_centre": "Arts centre",
    "museum_gallery": "Museum or public gallery",
    "theatre": "Theatre",
    "cinema": "Cinema",
    "music_venue": "Music venue",
    "dance_venue": "Dance venue",
    "lgbt_venue": "LGBT+ venue",
    "outdoor_cultural_space": "Outdoor cultural space",
    "skate_park": "Skate park",
    "pub": "Pub",
    "commercial_gallery": "Commercial gallery",
}
#: Inclusive-space groups: the types each counts.
SPACE_GROUPS: dict[str, tuple[str, ...]] = {
    # Youth centres are community venues; only uploads have them (no official open layer was found).
    "community": ("community_centre", "library", "youth_centre"),
    "faith": ("place_of_worship",),
    "culture": (
        "arts_centre",
        "museum_gallery",
        "theatre",
        "cinema",
        "music_venue",
        "dance_venue",
        "lgbt_venue",
        "outdoor_cultural_space",
        "skate_park",
    ),
}
SPACE_GROUPS["any"] = tuple(t for types in SPACE_GROUPS.values() for t in types)
#: Each group in a sentence ("residents within 800 m of a community centre or library").
SPACE_GROUP_LABELS = {
    "any": "any inclusive space",
    "community": "a community centre or library",
    "faith": "a place of worship",
    "culture": "an arts or cultural venue",
}
#: Inclusive-space map groups: what each shows and whether it counts as inclusive in the indicators.
SPACE_MAP_GROUPS: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "community": ("Community centres & libraries", SPACE_GROUPS["community"], True),
    "faith": ("Places of worship", SPACE_GROUPS["faith"], True),
    "culture": ("Arts & culture", SPACE_GROUPS["culture"], True),
    "not_counted": ("Pubs & commercial galleries (not counted)", ("pub", "commercial_gallery"), False),
}
#: The map group of each space type.
SPACE_TYPE_GROUP = {t: g for g, (_, types, _) in SPACE_MAP_GROUPS.items() for t in types}
