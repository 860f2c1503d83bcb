"""The area levels, declared once: names in each context, geometry table, published count, vintage, uses.

`LEVELS` is in the order the app offers them (current geography first); `LEVELS_BY_CODE` looks one up.
"""

from __future__ import annotations

from dataclasses import dataclass

#: The vintage of the current geography; the other is "IoD2019 vintage".
CURRENT = "current"


@dataclass(frozen=True)
class Level:
    """One area level and every way the app, files and messages name it."""

    code: str
    #: The plain-English name (app, briefing, methodology page).
    label: str
    #: The level pickers' name (one line on a 1366 px laptop).
    short_label: str
    noun: str
    nouns: str
    #: What tells the level from its namesake in a map title: "neighbourhood (LSOA 2021)"; empty for boroughs.
    boundaries: str
    #: The areas in a sentence after their count: "4,994 neighbourhoods (LSOA 2021)", "680 wards (2022 wards)".
    in_sentence: str
    #: The areas on a story slide: "Of 680 wards: ...".
    in_story: str
    #: The `area_level` cell of a downloaded file.
    in_file: str
    #: The level in an upload's messages: "Read as LSOA 2021 codes".
    in_upload: str
    #: The `geography` cell of a downloaded file: the boundary set behind the areas.
    geography: str
    #: The core_geo table and its code and name columns.
    table: str
    code_column: str
    name_column: str
    #: London's areas at this level as published (the build checks it).
    count: int
    #: Coverage-simplification tolerance (metres) of the display geometries.
    display_tolerance_m: float
    #: CURRENT or "IoD2019 vintage".
    vintage: str
    #: The ward level whose name follows a neighbourhood's ("Camden 023D · Bloomsbury"); None for other levels.
    ward_level: str | None
    #: The kind of GSS code of its areas: "lsoa", "ward" or "borough".
    code_kind: str

    @property
    def map_title(self) -> str:
        """How a map title names the areas: "neighbourhood (LSOA 2021)", "borough"."""
        return f"{self.noun} ({self.boundaries})" if self.boundaries else self.noun


LEVELS: tuple[Level, ...] = (
    Level(
        code="lsoa21",
        label="Neighbourhood (LSOA 2021)",
        short_label="LSOA 2021",
        noun="neighbourhood",
        nouns="neighbourhoods",
        boundaries="LSOA 2021",
        in_sentence="LSOA 2021",
        in_story="neighbourhoods (LSOA 2021)",
        in_file="LSOA 2021",
        in_upload="LSOA 2021",
        geography="LSOA 2021 (4,994, ONS boundaries)",
        table="core_geo__lsoa21",
        code_column="lsoa21_code",
        name_column="lsoa21_name",
        count=4994,
        display_tolerance_m=5.0,
        vintage=CURRENT,
        ward_level="ward22",
        code_kind="lsoa",
    ),
    Level(
        code="ward22",
        label="Ward (2022 boundaries)",
        short_label="Ward 2022",
        noun="ward",
        nouns="wards",
        boundaries="2022 boundaries",
        in_sentence="2022 wards",
        in_story="wards",
        in_file="ward (2022)",
        in_upload="2022 ward",
        geography="Wards drawn in 2022, City of London as one unit (ONS May 2025 ward boundaries)",
        table="core_geo__ward22",
        code_column="ward22_code",
        name_column="ward22_name",
        # 679 outside the City plus the City as one unit.
        count=680,
        display_tolerance_m=10.0,
        vintage=CURRENT,
        ward_level=None,
        code_kind="ward",
    ),
    Level(
        code="borough",
        label="Borough",
        short_label="Borough",
        noun="borough",
        nouns="boroughs",
        boundaries="",
        in_sentence="boroughs",
        in_story="boroughs",
        in_file="borough",
        in_upload="borough",
        geography="London boroughs (33, GLA statistical GIS boundaries)",
        table="core_geo__borough",
        code_column="borough_code",
        name_column="borough_name",
        count=33,
        display_tolerance_m=25.0,
        vintage=CURRENT,
        ward_level=None,
        code_kind="borough",
    ),
    Level(
        code="lsoa11",
        label="Neighbourhood, LSOA 2011 (IoD2019 vintage)",
        short_label="LSOA 2011 (IoD2019)",
        noun="neighbourhood",
        nouns="neighbourhoods",
        boundaries="LSOA 2011",
        in_sentence="LSOA 2011",
        in_story="neighbourhoods (LSOA 2011)",
        in_file="LSOA 2011",
        in_upload="LSOA 2011 (neighbourhood)",
        geography="LSOA 2011 (4,835, GLA statistical GIS boundaries; IoD2019 vintage)",
        table="core_geo__lsoa11",
        code_column="lsoa11_code",
        name_column="lsoa11_name",
        count=4835,
        display_tolerance_m=5.0,
        vintage="IoD2019 vintage",
        ward_level="ward",
        code_kind="lsoa",
    ),
    Level(
        code="ward",
        label="Ward (2014 boundaries, IoD2019 vintage)",
        short_label="Ward 2014 (IoD2019)",
        noun="ward",
        nouns="wards",
        boundaries="2014 boundaries",
        in_sentence="2014 wards",
        in_story="wards (2014 boundaries)",
        in_file="ward (2014)",
        in_upload="ward",
        geography="Wards as at 2014, City of London merged (625, GLA statistical GIS boundaries; IoD2019 vintage)",
        table="core_geo__ward",
        code_column="ward_code",
        name_column="ward_name",
        count=625,
        display_tolerance_m=10.0,
        vintage="IoD2019 vintage",
        ward_level=None,
        code_kind="ward",
    ),
)
LEVELS_BY_CODE = {level.code: level for level in LEVELS}
#: The levels the framework's default run scores, in the order the app offers them.
SCORED_LEVELS = tuple(level.code for level in LEVELS)
#: The levels an uploaded indicator may be keyed by, in the order ties go: the IoD2019 vintage first (a file whose
#: codes fit both LSOA vintages and whose header does not say "21" is read as LSOA 2011), then the current levels.
UPLOAD_LEVELS = ("lsoa11", "ward", "lsoa21", "ward22")


def get_level(code: str) -> Level:
    """The level with this code; ValueError naming the levels for any other."""
    try:
        return LEVELS_BY_CODE[code]
    except KeyError:
        raise ValueError(f"unknown area level {code!r}; choose one of {sorted(LEVELS_BY_CODE)}") from None
