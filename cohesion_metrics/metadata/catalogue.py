"""The source catalogue: every data source the product uses, declared once.

Each entry says what the source is, who publishes it, where the official file is downloaded, its
licence and attribution, its vintage and geography, the files expected (with sha256), and the loader
that reads them. No URL appears anywhere else in the code.

A loader is named "module:function"; it takes the folder holding the source's files and returns a
dict of table name -> DataFrame (GeoDataFrame for geometries), validated.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cohesion_metrics.metadata.checksums import CHECKSUMS

OGL = "Open Government Licence v3.0"
ODBL = "Open Database License (ODbL) 1.0"
OGL_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
ODBL_URL = "https://opendatacommons.org/licenses/odbl/1-0/"
ONS_OS_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2021."
)


@dataclass(frozen=True)
class SourceFile:
    """One file as published: its path inside the source folder, checksum, and official download."""

    name: str
    sha256: str
    size: int
    #: Official download URL; None where the publisher offers no stable direct link (fetch explains).
    url: str | None = None
    #: Path of this file inside the zip at `url`, if the download is a zip.
    member: str | None = None


@dataclass(frozen=True)
class Source:
    """One published dataset and how the project reads it."""

    id: str
    title: str
    publisher: str
    page_url: str
    licence: str
    attribution: str
    vintage: str
    geography: str
    #: Code vintage of the area keys, e.g. "LSOA 2011"; None for point data.
    code_vintage: str | None
    #: Folder name of the source in ../shared/data (and under data/raw/<id>/<vintage>/).
    folder: str
    loader: str
    used_for: str
    files: tuple[SourceFile, ...] = field(default_factory=tuple)
    caveat: str = ""
    licence_url: str = OGL_URL

    def load(self, folder: Path, *, check_counts: bool = True) -> dict[str, Any]:
        """Run this source's loader on `folder` and return its tables (`check_counts`: the published counts)."""
        module_name, func_name = self.loader.split(":")
        func: Callable[..., dict[str, Any]] = getattr(importlib.import_module(module_name), func_name)
        return func(folder, check_counts=check_counts)


def _files(folder: str, urls: dict[str, tuple[str | None, str | None]] | None = None) -> tuple[SourceFile, ...]:
    """The catalogued files of `folder`, with download URL and zip member where known."""
    urls = urls or {}
    return tuple(SourceFile(name, sha, size, *urls.get(name, (None, None))) for name, sha, size in CHECKSUMS[folder])


def _only(
    folder: str, names: set[str], urls: dict[str, tuple[str | None, str | None]] | None = None
) -> tuple[SourceFile, ...]:
    return tuple(f for f in _files(folder, urls) if f.name in names)


def _shapefile_parts(stem: str, exts: tuple[str, ...] = (".shp", ".shx", ".dbf", ".prj", ".cpg")) -> set[str]:
    return {stem + e for e in exts}


_IOD19 = "https://assets.publishing.service.gov.uk/government/uploads/system/uploads/attachment_data/file/"
_GLA_GIS_ZIP = (
    "https://data.london.gov.uk/download/statistical-gis-boundary-files-london/"
    "9ba8c833-6370-4b11-abdc-314aa020d5e0/statistical-gis-boundaries-london.zip"
)
_GEOFABRIK = "https://download.geofabrik.de/europe/great-britain/england/greater-london-latest-free.shp.zip"
_NOMIS = "https://www.nomisweb.co.uk/output/census/2021/"
_GIS_STEMS = (
    "London_Borough_Excluding_MHW",
    "London_Ward_CityMerged",
    "LSOA_2011_London_gen_MHW",
    "MSOA_2011_London_gen_MHW",
)
_CENSUS_TABLES = (
    "ts004",
    "ts006",
    "ts007a",
    "ts037",
    "ts065",
    "ts067",
    *(f"ts0{n}" for n in ("03", "11", "19", "25", "29", "38", "39", "52")),
)
_OSM_LAYERS = ("gis_osm_pofw_free_1", "gis_osm_pofw_a_free_1")

SOURCES: tuple[Source, ...] = (
    Source(
        id="iod2019_mhclg",
        title="English Indices of Deprivation 2019: Files 1, 2 and 10",
        publisher="Ministry of Housing, Communities & Local Government",
        page_url="https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019",
        licence=OGL,
        attribution="Contains public sector information licensed under the Open Government Licence v3.0 (MHCLG, IoD2019).",
        vintage="2019",
        geography="LSOA 2011 (England; London used) and local authority districts 2019",
        code_vintage="LSOA 2011",
        folder="iod2019",
        loader="cohesion_metrics.extract.loaders.iod:load_iod2019_mhclg",
        used_for="IMD and domain ranks and deciles; File 10 borough summaries to check our aggregation.",
        files=_only(
            "iod2019",
            {
                "File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx",
                "File_2_-_IoD2019_Domains_of_Deprivation.xlsx",
                "File_10_-_IoD2019_Local_Authority_District_Summaries__lower-tier__.xlsx",
            },
            {
                "File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx": (
                    _IOD19 + "833970/File_1_-_IMD2019_Index_of_Multiple_Deprivation.xlsx",
                    None,
                ),
                "File_2_-_IoD2019_Domains_of_Deprivation.xlsx": (
                    _IOD19 + "833973/File_2_-_IoD2019_Domains_of_Deprivation.xlsx",
                    None,
                ),
                "File_10_-_IoD2019_Local_Authority_District_Summaries__lower-tier__.xlsx": (
                    _IOD19 + "833995/File_10_-_IoD2019_Local_Authority_District_Summaries__lower-tier__.xlsx",
                    None,
                ),
            },
        ),
    ),
    Source(
        id="iod2019_gla_london",
        title="Indices of Deprivation 2019 for London (GLA workbook)",
        publisher="Greater London Authority (London Datastore), from MHCLG IoD2019",
        page_url="https://data.london.gov.uk/dataset/indices-of-deprivation",
        licence=OGL,
        attribution="Contains public sector information licensed under the Open Government Licence v3.0 (GLA; MHCLG IoD2019).",
        vintage="2019",
        geography="LSOA 2011, London (4,835)",
        code_vintage="LSOA 2011",
        folder="iod2019",
        loader="cohesion_metrics.extract.loaders.iod:load_iod2019_gla",
        used_for="IoD2019 scores for the IMD and its domains, sub-domains, IDACI/IDAOPI, mid-2015 population denominators, underlying indicators.",
        files=_only("iod2019", {"ID 2019 for London.xlsx"}),
        caveat=(
            "The stored copy's 'IMD 2019' sheet names its first column 'geography code' instead of 'LSOA code (2011)'; "
            "its ranks were checked against MHCLG Files 2 and 10."
        ),
    ),
    Source(
        id="iod2025_mhclg",
        title="English Indices of Deprivation 2025: Files 1 and 3",
        publisher="Ministry of Housing, Communities & Local Government",
        page_url="https://www.gov.uk/government/statistics/english-indices-of-deprivation-2025",
        licence=OGL,
        attribution="Contains public sector information licensed under the Open Government Licence v3.0 (MHCLG, IoD2025).",
        vintage="2025",
        geography="LSOA 2021 (England; London used), local authority districts 2024",
        code_vintage="LSOA 2021",
        folder="iod2025",
        loader="cohesion_metrics.extract.loaders.iod:load_iod2025_mhclg",
        used_for="IMD 2025, IDACI and IDAOPI ranks and deciles (no scores were published in these files).",
        files=_files(
            "iod2025",
            {
                "File_1_IoD2025_Index_of_Multiple_Deprivation.xlsx": (
                    "https://assets.publishing.service.gov.uk/media/691dece32c6b98ecdbc500d5/File_1_IoD2025_Index_of_Multiple_Deprivation.xlsx",
                    None,
                ),
                "File_3_IoD2025_Supplementary_Indices_IDACI_and_IDAOPI.xlsx": (
                    "https://assets.publishing.service.gov.uk/media/691ded0a21ef5aaa6543efe9/File_3_IoD2025_Supplementary_Indices_IDACI_and_IDAOPI.xlsx",
                    None,
                ),
            },
        ),
    ),
    Source(
        id="gla_gis_boundaries",
        title="Statistical GIS Boundary Files for London (boroughs, wards, LSOA 2011, MSOA 2011)",
        publisher="Greater London Authority (London Datastore), from ONS and Ordnance Survey",
        page_url="https://data.london.gov.uk/dataset/statistical-gis-boundary-files-london",
        licence=OGL,
        attribution="Contains National Statistics data © Crown copyright and database right 2012; Contains Ordnance Survey data © Crown copyright and database right 2012.",
        vintage="2011 (wards as at 2014, City of London merged)",
        geography="Borough, ward, LSOA 2011, MSOA 2011; British National Grid",
        code_vintage="LSOA 2011",
        folder="london_statistical_gis_boundaries",
        loader="cohesion_metrics.extract.loaders.geography:load_gla_boundaries",
        used_for="The 2011 area geometries and hierarchy (LSOA to ward to borough) behind every map.",
        files=_only(
            "london_statistical_gis_boundaries",
            {f"ESRI/{name}" for stem in _GIS_STEMS for name in _shapefile_parts(stem)},
            {
                f"ESRI/{name}": (_GLA_GIS_ZIP, f"statistical-gis-boundaries-london/ESRI/{name}")
                for stem in _GIS_STEMS
                for name in _shapefile_parts(stem)
            },
        ),
    ),
    Source(
        id="ons_lsoa21_ward25_boundaries",
        title="LSOA (Dec 2021) and Wards (May 2025) boundaries, London cut",
        publisher="Office for National Statistics (Open Geography Portal); London cut by drkane/geo-lookups",
        page_url="https://geoportal.statistics.gov.uk/",
        licence=OGL,
        attribution=ONS_OS_ATTRIBUTION,
        vintage="LSOA Dec 2021; wards May 2025",
        geography="LSOA 2021 (4,994) and wards May 2025 (704), London; WGS84",
        code_vintage="LSOA 2021",
        folder="lsoa2021_ward2025_london_geojson",
        loader="cohesion_metrics.extract.loaders.geography:load_lsoa21_ward25_boundaries",
        used_for="2021 LSOA geometries for Census 2021 and IoD2025 values.",
        files=_files("lsoa2021_ward2025_london_geojson"),
        caveat="A third-party London cut of the ONS generalised (BGC) boundaries, not an ONS-published file layout.",
    ),
    Source(
        id="ons_lsoa11_lsoa21_lookup",
        title="LSOA (2011) to LSOA (2021) to Local Authority District (2022) exact-fit lookup",
        publisher="Office for National Statistics (Open Geography Portal)",
        page_url="https://geoportal.statistics.gov.uk/",
        licence=OGL,
        attribution=ONS_OS_ATTRIBUTION,
        vintage="2022",
        geography="LSOA 2011 to LSOA 2021, England and Wales",
        code_vintage="LSOA 2011 and 2021",
        folder="ons_lookups",
        loader="cohesion_metrics.extract.loaders.geography:load_lsoa11_lsoa21_lookup",
        used_for="Placing 2021 values on 2011 areas only where the change indicator says the LSOA is unchanged (U).",
        files=_only(
            "ons_lookups",
            {"LSOA_(2011)_to_LSOA_(2021)_to_Local_Authority_District_(2022)_Lookup_for_England_and_Wales.csv"},
        ),
    ),
    Source(
        id="ons_lsoa21_ward23_lookup",
        title="LSOA (2021) to Ward (2023) to LAD (2023) best-fit lookup",
        publisher="Office for National Statistics (Open Geography Portal)",
        page_url="https://geoportal.statistics.gov.uk/",
        licence=OGL,
        attribution=ONS_OS_ATTRIBUTION,
        vintage="2023",
        geography="LSOA 2021 to ward (May 2023), England and Wales",
        code_vintage="LSOA 2021",
        folder="ons_lookups",
        loader="cohesion_metrics.extract.loaders.geography:load_lsoa21_ward23_lookup",
        used_for="Matching 2022 election results to current (post-2022) wards.",
        files=_only(
            "ons_lookups",
            {"Lower_Layer_Super_Output_Area_(2021)_to_Ward_(2023)_to_LAD_(2023)_Lookup_in_England_and_Wales.csv"},
        ),
    ),
    Source(
        id="ons_lsoa21_pwc",
        title="LSOA (Dec 2021) population-weighted centroids",
        publisher="Office for National Statistics (Open Geography Portal)",
        page_url="https://geoportal.statistics.gov.uk/",
        licence=OGL,
        attribution=ONS_OS_ATTRIBUTION,
        vintage="2021",
        geography="LSOA 2021 centroids, England and Wales; British National Grid",
        code_vintage="LSOA 2021",
        folder="ons_lsoa2021_centroids",
        loader="cohesion_metrics.extract.loaders.geography:load_lsoa21_centroids",
        used_for="Where residents of each 2021 LSOA live, for distance to inclusive spaces.",
        files=_files("ons_lsoa2021_centroids"),
    ),
    Source(
        id="census2021_lsoa",
        title=(
            "Census 2021 topic summaries TS003, TS004, TS006, TS007A, TS011, TS019, TS025, TS029, TS037, TS038, "
            "TS039, TS052, TS065, TS067 (LSOA)"
        ),
        publisher="Office for National Statistics, via Nomis",
        page_url="https://www.nomisweb.co.uk/sources/census_2021_bulk",
        licence=OGL,
        attribution="Source: Office for National Statistics, Census 2021, licensed under the Open Government Licence v3.0.",
        vintage="2021",
        geography="LSOA 2021, England and Wales (London used)",
        code_vintage="LSOA 2021",
        folder="census2021_nomis_lsoa",
        loader="cohesion_metrics.extract.loaders.census:load_census2021_lsoa",
        used_for=(
            "Population, age, country of birth, health, disability, unpaid care, household composition and "
            "deprivation, overcrowding, address a year ago, household language and English proficiency, employment "
            "history and qualifications by 2021 LSOA."
        ),
        caveat=(
            "Small cells are perturbed independently per table, so totals differ slightly between tables: each rate "
            "uses its own table's total. Some tables carry subtotals beside their parts."
        ),
        files=_files(
            "census2021_nomis_lsoa",
            {
                f"census2021-{t}-lsoa.csv": (f"{_NOMIS}census2021-{t}.zip", f"census2021-{t}-lsoa.csv")
                for t in _CENSUS_TABLES
            },
        ),
    ),
    Source(
        id="census2021_ts021_msoa",
        title="Census 2021 TS021 Ethnic group (MSOA)",
        publisher="Office for National Statistics, via Nomis",
        page_url="https://www.nomisweb.co.uk/sources/census_2021_bulk",
        licence=OGL,
        attribution="Source: Office for National Statistics, Census 2021, licensed under the Open Government Licence v3.0.",
        vintage="2021",
        geography="MSOA 2021, England and Wales (London used)",
        code_vintage="MSOA 2021",
        folder="census2021_nomis_msoa",
        loader="cohesion_metrics.extract.loaders.census:load_census2021_ts021_msoa",
        used_for="Context only: the ethnic make-up of neighbourhoods. Diversity is never scored as a deficit.",
        files=_files(
            "census2021_nomis_msoa",
            {"census2021-ts021-msoa.csv": (f"{_NOMIS}census2021-ts021.zip", "census2021-ts021-msoa.csv")},
        ),
    ),
    Source(
        id="gla_cim",
        title="Cultural Infrastructure Map (13 layers incl. community centres, libraries, pubs)",
        publisher="Greater London Authority (London Datastore)",
        page_url="https://data.london.gov.uk/dataset/cultural-infrastructure-map",
        licence=OGL,
        attribution="Contains Greater London Authority data (Cultural Infrastructure Map), OGL v3.0; some layers carry third-party rights (e.g. Music Venue Trust, UCL Urban Laboratory).",
        vintage="November 2022",
        geography="Points, Greater London (BNG and WGS84 coordinates)",
        code_vintage=None,
        folder="gla_cultural_infrastructure_map",
        loader="cohesion_metrics.extract.loaders.spaces:load_gla_cim",
        used_for="Inclusive spaces: community centres, libraries, arts, music and other cultural venues, pubs.",
        files=_files("gla_cultural_infrastructure_map"),
    ),
    Source(
        id="osm_pofw",
        title="OpenStreetMap places of worship, Greater London (Geofabrik free shapefile)",
        publisher="© OpenStreetMap contributors; extract by Geofabrik GmbH",
        page_url="https://download.geofabrik.de/europe/great-britain/england/greater-london.html",
        licence=ODBL,
        attribution="© OpenStreetMap contributors, available under the Open Database License (ODbL).",
        vintage="2019-08-21",
        geography="Points and polygons, Greater London; WGS84",
        code_vintage=None,
        folder="osm_geofabrik_greater_london_2019",
        loader="cohesion_metrics.extract.loaders.spaces:load_osm_pofw",
        used_for="Inclusive spaces: places of worship (polygons become points).",
        files=_files(
            "osm_geofabrik_greater_london_2019",
            {
                f"{layer}{ext}": (_GEOFABRIK, f"{layer}{ext}")
                for layer in _OSM_LAYERS
                for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg")
            },
        ),
        caveat="A 2019 snapshot; Geofabrik's download is always the latest extract, so a fresh fetch gives newer data with a new checksum.",
        licence_url=ODBL_URL,
    ),
    Source(
        id="gla_borough_profiles",
        title="London Borough Profiles (2017 edition)",
        publisher="Greater London Authority (London Datastore)",
        page_url="https://data.london.gov.uk/dataset/london-borough-profiles",
        licence=OGL,
        attribution="Contains Greater London Authority data, OGL v3.0.",
        vintage="2017 (most indicators 2014-2016)",
        geography="Boroughs (33)",
        code_vintage="LAD",
        folder="london_borough_profiles",
        loader="cohesion_metrics.extract.loaders.profiles:load_borough_profiles",
        used_for="Borough context: volunteering, main language, well-being 2011-14, 2014 turnout.",
        files=_files("london_borough_profiles"),
    ),
    Source(
        id="gla_ward_profiles",
        title="Ward Profiles and Atlas (2015 edition)",
        publisher="Greater London Authority (London Datastore)",
        page_url="https://data.london.gov.uk/dataset/ward-profiles-and-atlas",
        licence=OGL,
        attribution="Contains Greater London Authority data, OGL v3.0.",
        vintage="2015 (indicators 2011-2015)",
        geography="Wards as in the GLA statistical boundaries (625)",
        code_vintage="Ward (pre-2018)",
        folder="london_ward_profiles",
        loader="cohesion_metrics.extract.loaders.profiles:load_ward_profiles",
        used_for="Ward context: households where no one has English as a first language, 2012 mayoral turnout, open space.",
        files=_only("london_ward_profiles", {"ward-profiles-excel-version.xls"}),
    ),
    Source(
        id="ec_local_elections_2022",
        title="Electoral data, local elections 5 May 2022 (England)",
        publisher="The Electoral Commission",
        page_url="https://www.electoralcommission.org.uk/research-reports-and-data/our-reports-and-data-past-elections-and-referendums",
        licence=OGL,
        attribution="Contains Electoral Commission data licensed under the Open Government Licence v3.0.",
        vintage="May 2022",
        geography="Wards (May 2022 boundaries), named not coded; London boroughs except the City",
        code_vintage="Ward (2022, names)",
        folder="electoral_commission_2022_local_elections",
        loader="cohesion_metrics.extract.loaders.elections:load_ec_2022",
        used_for="Participation: ward turnout at the 2022 borough elections.",
        files=_files("electoral_commission_2022_local_elections"),
    ),
    Source(
        id="mopac_pas_2022",
        title="Public Attitude Survey: borough results exported from MOPAC's Public Voice dashboard",
        publisher="Mayor's Office for Policing and Crime",
        page_url="https://www.london.gov.uk/programmes-strategies/mayors-office-policing-and-crime/data-and-statistics/public-voice-dashboard",
        licence="Unclear (the dashboard states no licence; MOPAC data on the London Datastore is OGL v3.0)",
        attribution="Source: MOPAC Public Attitude Survey, via the Public Voice dashboard (exported June 2022).",
        vintage="12 months to June 2022",
        geography="Boroughs (32; no City of London), named not coded",
        code_vintage="LAD (names)",
        folder="mopac_public_voice_dashboard_exports_2022",
        loader="cohesion_metrics.extract.loaders.surveys:load_mopac_pas",
        used_for="Trust: confidence in local policing (the only trust measures available).",
        files=_files("mopac_public_voice_dashboard_exports_2022"),
        caveat="User exports of an official dashboard, not a published download; trust in police is only one side of trust.",
    ),
    Source(
        id="ons_aps_wellbeing",
        title="Personal well-being by borough (ONS Annual Population Survey)",
        publisher="Greater London Authority, from the Office for National Statistics",
        page_url="https://data.london.gov.uk/dataset/subjective-personal-well-being-borough",
        licence=OGL,
        attribution="Source: Office for National Statistics, Annual Population Survey; compiled by the GLA. OGL v3.0.",
        vintage="2011/12 to 2018/19",
        geography="Boroughs (City of London suppressed)",
        code_vintage="LAD",
        folder="ons_aps_personal_wellbeing_borough",
        loader="cohesion_metrics.extract.loaders.surveys:load_aps_wellbeing",
        used_for="Well-being: life satisfaction, worthwhile, happiness and anxiety (mean scores).",
        files=_files("ons_aps_personal_wellbeing_borough"),
    ),
    Source(
        id="gla_tree_canopy",
        title="Curio Canopy: tree canopy cover by LSOA",
        publisher="Greater London Authority (London Datastore)",
        page_url="https://data.london.gov.uk/dataset/curio-canopy",
        licence=OGL,
        attribution="Contains Greater London Authority data (Curio Canopy), OGL v3.0.",
        vintage="Aerial imagery c. 2016-2018",
        geography="LSOA 2011, London",
        code_vintage="LSOA 2011",
        folder="gla_tree_canopy_lsoa",
        loader="cohesion_metrics.extract.loaders.canopy:load_tree_canopy",
        used_for="Environment context: canopy cover (a cooling proxy, not a heat-risk index).",
        files=_files("gla_tree_canopy_lsoa"),
        caveat="The `_kmsq` columns hold square metres.",
    ),
    Source(
        id="tfl_ptal_2015",
        title="Public Transport Accessibility Levels (PTAL) 2015, average per LSOA",
        publisher="Transport for London (London Datastore)",
        page_url="https://data.london.gov.uk/dataset/public-transport-accessibility-levels",
        licence=OGL,
        attribution="Contains Transport for London data (PTAL 2015), OGL v3.0.",
        vintage="2015 network",
        geography="LSOA 2011, London (4,835)",
        code_vintage="LSOA 2011",
        folder="tfl_ptal_lsoa2011",
        loader="cohesion_metrics.extract.loaders.ptal:load_ptal",
        used_for="Urgent needs: low public-transport access (limited access to essential services).",
        files=_files("tfl_ptal_lsoa2011"),
        caveat="PTAL band text mixes '1a'/'6b' with '2.00000'...'5.00000'; normalised to the band.",
    ),
    Source(
        id="brc_flood_fz3",
        title="British Red Cross (derived from EA Flood Zone 3): residents in Flood Zone 3 by LSOA",
        publisher="British Red Cross (Resilience Index), from Environment Agency and ONS data",
        page_url="https://github.com/britishredcrosssociety/resilience-index",
        licence="Creative Commons Attribution 4.0 (CC BY 4.0); inputs OGL v3.0",
        attribution=(
            "British Red Cross Resilience Index; contains Environment Agency and ONS data © Crown copyright "
            "and database right."
        ),
        vintage="EA Flood Zone 3 c. 2020; population mid-2019",
        geography="LSOA 2011, England, Wales and Northern Ireland (London: 706 listed LSOAs)",
        code_vintage="LSOA 2011",
        folder="brc_flood_risk_lsoa2011",
        loader="cohesion_metrics.extract.loaders.flood:load_brc_flood",
        used_for="Hazard exposure: share of residents living in Flood Zone 3.",
        files=_files("brc_flood_risk_lsoa2011"),
        caveat=(
            "Rivers and sea only, flood defences ignored (undefended exposure, not likelihood); no surface-water "
            "flooding, London's main flood risk. Whole output areas count as exposed by their centroid. LSOAs not "
            "listed have no resident in Flood Zone 3. Not an Environment Agency statistic."
        ),
        licence_url="https://creativecommons.org/licenses/by/4.0/",
    ),
    Source(
        id="gla_ward_wellbeing",
        title="London Ward Well-Being Scores (2013 edition, equal weights)",
        publisher="Greater London Authority (London Datastore)",
        page_url="https://data.london.gov.uk/dataset/london-ward-well-being-scores",
        licence=OGL,
        attribution="Contains Greater London Authority data (London Ward Well-Being Scores), OGL v3.0.",
        vintage="2009 to 2013",
        geography="Wards (2014 boundaries, the City as one unit), London (625)",
        code_vintage="Ward (2014)",
        folder="gla_ward_wellbeing",
        loader="cohesion_metrics.extract.loaders.ward_wellbeing:load_gla_ward_wellbeing",
        used_for="An independent check of the need score (Spearman's rho); never an input to it.",
        files=_files("gla_ward_wellbeing"),
        caveat="A CSV export of the GLA workbook's Scores sheet, made by a third party; higher = better well-being.",
    ),
)

SOURCES_BY_ID: dict[str, Source] = {s.id: s for s in SOURCES}


def get_source(source_id: str) -> Source:
    """The catalogue entry for `source_id`; KeyError lists the known ids."""
    try:
        return SOURCES_BY_ID[source_id]
    except KeyError:
        raise KeyError(f"unknown source {source_id!r}; known: {sorted(SOURCES_BY_ID)}") from None
