"""Uploaded inclusive spaces: a CSV of name, type and coordinates, placed in London's LSOAs (see `parsing`)."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj

from cohesion_metrics import errors
from cohesion_metrics.metadata.spaces import SPACE_MAP_GROUPS, SPACE_TYPE_GROUP, SPACE_TYPE_LABELS
from cohesion_metrics.settings import ANALYSIS_CRS, DISPLAY_CRS, LONDON_BNG_BOUNDS, LONDON_WGS84_BOUNDS
from cohesion_metrics.uploads.cells import (
    MAX_NAME_CHARS,
    UploadResult,
    clean_text,
    find_column,
    formula_note,
    list_names,
    normalise_header,
    parse_number,
    reject_row,
    rejected_frame,
)
from cohesion_metrics.uploads.parsing import Table, read_table

#: Accepted spellings of each space type (normalised: lower case, words joined by "_").
TYPE_ALIASES: dict[str, str] = {
    **{t: t for t in SPACE_TYPE_GROUP},
    **{normalise_header(label): t for t, label in SPACE_TYPE_LABELS.items()},
    "community": "community_centre",
    "community_center": "community_centre",
    "community_hall": "community_centre",
    "community_space": "community_centre",
    "village_hall": "community_centre",
    "neighbourhood_centre": "community_centre",
    "youth_center": "youth_centre",
    "youth_club": "youth_centre",
    "libraries": "library",
    "faith": "place_of_worship",
    "worship": "place_of_worship",
    "faith_building": "place_of_worship",
    "church": "place_of_worship",
    "chapel": "place_of_worship",
    "mosque": "place_of_worship",
    "synagogue": "place_of_worship",
    "temple": "place_of_worship",
    "gurdwara": "place_of_worship",
    "mandir": "place_of_worship",
    "culture": "arts_centre",
    "arts": "arts_centre",
    "arts_center": "arts_centre",
    "museum": "museum_gallery",
    "public_gallery": "museum_gallery",
    "theater": "theatre",
    "live_music": "music_venue",
    "lgbt": "lgbt_venue",
    "lgbtq": "lgbt_venue",
    "lgbtqi": "lgbt_venue",
    "lgbtqia": "lgbt_venue",
    "skatepark": "skate_park",
}
ALLOWED_TYPES = ", ".join(SPACE_TYPE_LABELS[t].lower() for t in SPACE_TYPE_GROUP)
_NAME = ("name", "site_name", "venue_name", "space_name", "organisation", "organisation_name", "venue", "site", "title")
_TYPE = ("type", "space_type", "category", "kind", "venue_type", "site_type", "facility_type", "use")
_LAT = ("lat", "latitude")
_LON = ("lon", "lng", "long", "longitude")
_EAST = ("easting", "eastings", "east", "bng_easting", "os_easting", "grid_easting")
_NORTH = ("northing", "northings", "north", "bng_northing", "os_northing", "grid_northing")
_X, _Y = ("x", "x_coord", "x_coordinate", "xcoord"), ("y", "y_coord", "y_coordinate", "ycoord")
#: Plausible medians: British latitudes and longitudes, and London eastings and northings (generous).
_LAT_RANGE, _LON_RANGE = (49.0, 61.0), (-9.0, 2.5)
_EAST_RANGE, _NORTH_RANGE = (450_000.0, 620_000.0), (120_000.0, 240_000.0)
_TO_BNG = pyproj.Transformer.from_crs(DISPLAY_CRS, ANALYSIS_CRS, always_xy=True)
_TO_WGS84 = pyproj.Transformer.from_crs(ANALYSIS_CRS, DISPLAY_CRS, always_xy=True)


def space_type(text: str) -> str | None:
    """The app's space type for a user's type text ("Community Centre", "church", "libraries"), or None."""
    key = normalise_header(text)
    return TYPE_ALIASES.get(key) or (TYPE_ALIASES.get(key[:-1]) if key.endswith("s") else None)


def _inside(v: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= v <= bounds[1]


@dataclass(frozen=True)
class _Coords:
    first: str  # column of latitude / easting / y-as-read
    second: str
    crs: str  # "wgs84" (first = latitude, second = longitude) or "bng" (first = easting, second = northing)


def _coordinate_columns(table: Table, frame: pd.DataFrame, file_name: str, notes: list[str]) -> _Coords:
    """Choose the coordinate columns and their CRS from the headers and the values' ranges."""
    header = table.header
    find = {
        role: find_column(header, aliases, role=role, file_name=file_name)
        for role, aliases in (
            ("latitude", _LAT),
            ("longitude", _LON),
            ("easting", _EAST),
            ("northing", _NORTH),
            ("x coordinate", _X),
            ("y coordinate", _Y),
        )
    }
    lat, lon, east, north, x, y = find.values()
    if bool(lat) != bool(lon) and not (east and north):
        have, need = ("latitude", "longitude") if lat else ("longitude", "latitude")
        raise errors.UploadError(
            f"there is a {have} column ({lat or lon!r}) but no {need} column.",
            path=file_name,
            fix=f"add a '{need}' column, or give British National Grid 'easting' and 'northing' instead.",
        )
    if bool(east) != bool(north) and not (lat and lon):
        raise errors.UploadError(
            f"there is an {'easting' if east else 'northing'} column but no {'northing' if east else 'easting'}.",
            path=file_name,
            fix="give both easting and northing (British National Grid metres), or latitude and longitude.",
        )

    def median(col: str) -> float:
        decimal_comma = table.decimal_comma(col)
        values = [parse_number(v, decimal_comma=decimal_comma) for v in frame[col]]
        numbers = [v for v in values if v is not None]
        if not numbers:
            raise errors.UploadError(
                "the column holds no numbers.", path=file_name, column=col, fix="fill in the coordinates as numbers."
            )
        return float(np.median(numbers))

    if lat and lon:
        if east and north:
            notes.append(f"Used {lat!r}/{lon!r} (WGS84); the easting/northing columns were ignored.")
        return _unless_misread(_Coords(lat, lon, "wgs84"), (median(lat), median(lon)), file_name)
    if east and north:
        return _unless_misread(_Coords(east, north, "bng"), (median(east), median(north)), file_name)
    if x and y:
        m_x, m_y = median(x), median(y)
        if _inside(m_x, _LON_RANGE) and _inside(m_y, _LAT_RANGE):
            notes.append(f"Read {x!r}/{y!r} as longitude/latitude (WGS84 degrees), from their values.")
            return _Coords(y, x, "wgs84")
        if _inside(m_x, _EAST_RANGE) and _inside(m_y, _NORTH_RANGE):
            notes.append(f"Read {x!r}/{y!r} as British National Grid easting/northing (metres), from their values.")
            return _Coords(x, y, "bng")
        raise errors.UploadError(
            f"the x/y columns ({x!r} around {m_x:.6g}, {y!r} around {m_y:.6g}) are neither London longitude/latitude "
            "nor London easting/northing.",
            path=file_name,
            column=x,
            fix="name the columns 'latitude' and 'longitude' (WGS84) or 'easting' and 'northing' (British National "
            "Grid).",
        )
    raise errors.UploadError(
        f"no coordinate columns: found {list_names(header)}.",
        path=file_name,
        fix="add 'latitude' and 'longitude' (WGS84 degrees) or 'easting' and 'northing' (British National Grid).",
    )


def _misreading(a: float, b: float, crs: str) -> str | None:
    """How a pair read as `crs` looks misread: "swapped", "other crs" or None.

    "swapped": it fits London the other way round; "other crs": metres read as degrees, or degrees as metres.
    """
    if crs == "wgs84":
        swapped, other = _inside(a, _LON_RANGE) and _inside(b, _LAT_RANGE), abs(a) > 1000 and abs(b) > 1000
    else:
        swapped, other = _inside(a, _NORTH_RANGE) and _inside(b, _EAST_RANGE), abs(a) <= 180 and abs(b) <= 180
    return "swapped" if swapped else "other crs" if other else None


#: A point outside London, by the CRS it was read in and how it looks misread.
_OUTSIDE_HINTS = {
    ("wgs84", "swapped"): "outside London: latitude and longitude look swapped",
    ("wgs84", "other crs"): "outside London: these look like easting/northing metres, not degrees",
    ("bng", "swapped"): "outside London: easting and northing look swapped",
    ("bng", "other crs"): "outside London: these look like degrees, not easting/northing metres",
}
#: Named coordinate columns whose medians look misread: (problem, fix), with the columns' names {a}, {b}, their
#: medians {m_a}, {m_b} and those medians in whole metres {around_a}, {around_b}.
_MISREAD_COLUMNS = {
    ("wgs84", "swapped"): (
        "the latitude and longitude look swapped: {a!r} is around {m_a:.3g} and {b!r} around {m_b:.3g}, but "
        "London's latitude is about 51.5 and its longitude about -0.1.",
        "swap the two column headings.",
    ),
    ("wgs84", "other crs"): (
        "the latitude/longitude columns hold values around {around_a} and {around_b}: these are British National "
        "Grid metres, not degrees.",
        "rename {a!r} and {b!r} to 'easting' and 'northing' (check which is which).",
    ),
    ("bng", "swapped"): (
        "the easting and northing look swapped: {a!r} is around {m_a:,.0f} and {b!r} around {m_b:,.0f}, but "
        "London's eastings are about 530,000 and its northings about 180,000.",
        "swap the two column headings.",
    ),
    ("bng", "other crs"): (
        "the easting/northing columns hold values around {m_a:.3g} and {m_b:.3g}: these are degrees "
        "(latitude/longitude), not British National Grid metres.",
        "rename {a!r} and {b!r} to 'longitude' and 'latitude' (check which is which).",
    ),
}


def _unless_misread(coords: _Coords, medians: tuple[float, float], file_name: str) -> _Coords:
    """The named columns `coords`, unless their `medians` look swapped or in the other CRS (UploadError)."""
    m_a, m_b = medians
    how = _misreading(m_a, m_b, coords.crs)
    if how is None:
        return coords
    problem, fix = _MISREAD_COLUMNS[(coords.crs, how)]
    names = {"a": coords.first, "b": coords.second, "m_a": m_a, "m_b": m_b}
    names |= {"around_a": _around(m_a), "around_b": _around(m_b)}
    raise errors.UploadError(problem.format(**names), path=file_name, column=coords.first, fix=fix.format(**names))


def _why_outside(a: float, b: float, crs: str) -> str:
    """A hint for a point outside London: swapped coordinates, or the other CRS."""
    how = _misreading(a, b, crs)
    return _OUTSIDE_HINTS[(crs, how)] if how else "outside London"


def _around(value: float) -> str:
    """A median for a message: whole metres, or 3 significant figures when huge (a hostile 1e308 stays short)."""
    return f"{value:,.0f}" if abs(value) < 1e9 else f"{value:.3g}"


def read_spaces_csv(data: bytes, file_name: str, lsoas: gpd.GeoDataFrame) -> UploadResult:
    """Read a CSV of inclusive spaces and place each in its London LSOA 2011.

    Columns (headers matched case-insensitively, common variants accepted): a name, a type (an app space type or
    a common word for one, e.g. "Community centre", "church", "library"), and latitude/longitude (WGS84) or
    easting/northing (British National Grid); x/y are read when their values say which. `lsoas` are the London
    LSOA 2011 polygons in EPSG:27700 with columns lsoa11_code and borough_code (and optionally ward_code), e.g.
    `upload_analysis.lsoa_polygons(con)`.

    `valid` is a GeoDataFrame of points in EPSG:27700 with columns row, space_id ("upload:<row>"), name,
    space_type, type_label, group (community, faith, culture or not_counted), counted, source_id ("upload"),
    easting, northing, lon, lat, lsoa11_code, borough_code (, ward_code), geometry. Rows are rejected for a blank
    name, a blank or unknown type, blank or non-numeric coordinates, a point outside London, or a repeat of an
    earlier row (same name, type and position to the metre).
    """
    missing = {"lsoa11_code", "borough_code"} - set(lsoas.columns)
    if missing:
        raise ValueError(f"lsoas lacks column(s) {sorted(missing)}")
    table = read_table(data, file_name)
    frame, notes, rejected = table.frame(), table.notes, table.rejected
    name_col = find_column(table.header, _NAME, role="name", file_name=file_name)
    type_col = find_column(table.header, _TYPE, role="type", file_name=file_name)
    absent = [role for role, col in (("name", name_col), ("type", type_col)) if col is None]
    if absent or name_col is None or type_col is None:
        raise errors.UploadError(
            f"no {' or '.join(absent)} column: found {list_names(table.header)}.",
            path=file_name,
            fix="add a 'name' column and a 'type' column (e.g. community centre, library, place of worship).",
        )
    coords = _coordinate_columns(table, frame, file_name, notes)
    decimal_comma = (table.decimal_comma(coords.first), table.decimal_comma(coords.second))
    keep: list[dict[str, object]] = []
    columns = (frame[name_col], frame[type_col], frame[coords.first], frame[coords.second])
    for r, *cells in zip(frame.index, *columns, strict=True):
        record, problems = _check_row(int(r), [str(c) for c in cells], (name_col, type_col, coords), decimal_comma)
        rejected += problems
        if record:
            keep.append(record)
    valid = _place_spaces(pd.DataFrame(keep, columns=["row", "name", "space_type", "a", "b", "where"]), coords, lsoas)
    outside = valid["lsoa11_code"].isna()
    for r, where, why in zip(
        valid.loc[outside, "row"], valid.loc[outside, "where"], valid.loc[outside, "why"], strict=True
    ):
        rejected.append(reject_row(int(r), f"{coords.first}/{coords.second}", where, why))
    valid = valid[~outside]
    key = valid["name"].str.casefold() + "|" + valid["space_type"] + "|" + valid["easting"].round(0).astype(str)
    key = key + "|" + valid["northing"].round(0).astype(str)
    first_row = valid.groupby(key)["row"].transform("min")
    dupes = valid["row"] != first_row
    for r, name, first in zip(valid.loc[dupes, "row"], valid.loc[dupes, "name"], first_row[dupes], strict=True):
        rejected.append(reject_row(int(r), name_col, name, f"duplicate of row {first}"))
    valid = valid[~dupes]
    if valid.empty:
        notes.append("No row could be used: see the rejected rows.")
    notes += formula_note(valid["name"])
    long_names = [r for r in keep if str(r["name"]).endswith("…")]
    if long_names:
        notes.append(f"{len(long_names)} name(s) longer than {MAX_NAME_CHARS} characters were cut.")
    notes.append(
        f"{len(valid)} space(s) kept, {len({r['row'] for r in rejected})} row(s) rejected; coordinates read as "
        + ("WGS84 latitude/longitude." if coords.crs == "wgs84" else "British National Grid easting/northing.")
    )
    out = valid.drop(columns=["a", "b", "where", "why"]).reset_index(drop=True)
    return UploadResult(gpd.GeoDataFrame(out, geometry="geometry", crs=ANALYSIS_CRS), rejected_frame(rejected), notes)


def _check_row(
    r: int, cells: list[str], columns: tuple[str, str, _Coords], decimal_comma: tuple[bool, bool]
) -> tuple[dict[str, object] | None, list[dict[str, object]]]:
    """Check one row's name, type and coordinates: the record to keep, or None, and the problems found.

    `decimal_comma` says, for each coordinate column, whether its commas are decimal commas.
    """
    name_col, type_col, coords = columns
    raw_name, raw_type, first, second = cells
    problems: list[dict[str, object]] = []
    name = clean_text(raw_name)
    if not name:
        problems.append(reject_row(r, name_col, raw_name, "name is blank"))
    kind = space_type(raw_type) if raw_type else None
    if not raw_type:
        problems.append(reject_row(r, type_col, raw_type, f"type is blank; use one of: {ALLOWED_TYPES}"))
    elif kind is None:
        reason = f"unknown type {clean_text(raw_type, 40)!r}; use one of: {ALLOWED_TYPES}"
        problems.append(reject_row(r, type_col, raw_type, reason))
    numbers: list[float] = []
    for col, text, comma in ((coords.first, first, decimal_comma[0]), (coords.second, second, decimal_comma[1])):
        value = parse_number(text, decimal_comma=comma) if text else None
        if not text:
            problems.append(reject_row(r, col, text, f"{col} is blank"))
        elif value is None:
            problems.append(reject_row(r, col, text, f"{col} is not a number"))
        else:
            numbers.append(value)
    if problems:
        return None, problems
    record = {
        "row": r,
        "name": name,
        "space_type": kind,
        "a": numbers[0],
        "b": numbers[1],
        "where": f"{first}, {second}",
    }
    return record, []


def _place_spaces(frame: pd.DataFrame, coords: _Coords, lsoas: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Project to BNG, join to the LSOA polygons (lowest code on a shared edge, as the build) and explain misses."""
    a, b = frame["a"].to_numpy(dtype=float), frame["b"].to_numpy(dtype=float)
    if coords.crs == "wgs84":
        ok = (np.abs(a) <= 90) & (np.abs(b) <= 180)
        east, north = _TO_BNG.transform(np.where(ok, b, 0.0), np.where(ok, a, 0.0))
        east, north = np.where(ok, east, np.nan), np.where(ok, north, np.nan)
        lon, lat = b, a
    else:
        east, north = a, b
        lon, lat = _TO_WGS84.transform(east, north)
    box = LONDON_BNG_BOUNDS
    near = (east >= box[0]) & (east <= box[2]) & (north >= box[1]) & (north <= box[3])
    out = frame.assign(easting=east, northing=north, lon=lon, lat=lat)
    out["type_label"] = out["space_type"].map(SPACE_TYPE_LABELS)
    out["group"] = out["space_type"].map(SPACE_TYPE_GROUP)
    out["counted"] = out["group"].map({g: c for g, (_, _, c) in SPACE_MAP_GROUPS.items()}).astype(bool)
    out["space_id"] = "upload:" + out["row"].astype(str)
    out["source_id"] = "upload"
    points = gpd.GeoDataFrame(
        out, geometry=gpd.points_from_xy(np.where(near, east, np.nan), np.where(near, north, np.nan)), crs=ANALYSIS_CRS
    )
    codes = [c for c in ("lsoa11_code", "ward_code", "borough_code") if c in lsoas.columns]
    polygons = lsoas[[*codes, "geometry"]].to_crs(ANALYSIS_CRS)
    hits = gpd.sjoin(points[near], polygons, predicate="intersects", how="inner")
    hits = hits.sort_values("lsoa11_code", kind="stable")
    hits = hits[~hits.index.duplicated(keep="first")]
    for col in codes:
        points[col] = hits[col].reindex(points.index)
    points["why"] = [
        "" if isinstance(code, str) else _why_outside(x, y, coords.crs)
        for code, x, y in zip(points["lsoa11_code"], a, b, strict=True)
    ]
    points = points.set_geometry(gpd.points_from_xy(east, north, crs=ANALYSIS_CRS))
    _check_wgs84_bounds(points)
    order = ["row", "space_id", "name", "space_type", "type_label", "group", "counted", "source_id"]
    return points[[*order, "easting", "northing", "lon", "lat", *codes, "a", "b", "where", "why", "geometry"]]


def _check_wgs84_bounds(points: gpd.GeoDataFrame) -> None:
    """Sanity: every point placed in an LSOA lies inside London's WGS84 box (else the LSOA polygons are wrong)."""
    box = LONDON_WGS84_BOUNDS
    placed = points[points["lsoa11_code"].notna()]
    bad = ~placed["lon"].between(box[0], box[2]) | ~placed["lat"].between(box[1], box[3])
    if bad.any():
        raise ValueError("lsoas are not London LSOA polygons in EPSG:27700: a placed point lies outside London")
