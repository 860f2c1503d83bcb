"""Your local data: a borough's own spaces, an indicator or custom areas, used in this session only."""

from __future__ import annotations

import html
from dataclasses import replace
from functools import partial
from typing import Any

import pandas as pd
import streamlit as st

from app_pages import _cached as cached
from app_pages import _local as local
from app_pages import _static_geo as static_geo
from app_pages import _upload_inputs as upload_inputs
from app_pages import _widgets as widgets
from cohesion_metrics.figures import maps
from cohesion_metrics.metadata.indicators import PILLARS_BY_ID, SPACE_GROUPS
from cohesion_metrics.read import page_frames
from cohesion_metrics.uploads import analysis, areas_file, indicator_csv, spaces_csv
from cohesion_metrics.uploads.parsing import MAX_UPLOAD_MB
from cohesion_metrics.uploads.parsing import escape_markdown as md

st.title("Your local data")
st.markdown(
    "Bring what the open data does not know: your own community centres and warm spaces, a local survey, or the "
    "areas you plan by. They join the catchments, the priority and the maps, for you alone."
)
st.info(local.PRIVACY, icon=":material/lock:")

spaces_tab, indicator_tab, areas_tab = st.tabs(
    ["Spaces (CSV)", "An indicator (CSV)", "Custom areas (GeoJSON, GeoPackage)"]
)

# --- Spaces -----------------------------------------------------------------------------------------------------------
with spaces_tab:
    st.markdown(
        "One row per space: **name**, **type** (e.g. community centre, library, place of worship, arts centre, youth "
        "centre) and either **latitude/longitude** (WGS84) or British National Grid **easting/northing**. "
        f"Up to {MAX_UPLOAD_MB} MB; UTF-8, UTF-8 with BOM or Windows-1252."
    )
    st.download_button(
        "Example file (CSV)",
        local.template(
            {
                "name": ["Hackney Marsh Community Hall", "Stoke Newington Library"],
                "type": ["community centre", "library"],
                "latitude": [51.5560, 51.5617],
                "longitude": [-0.0336, -0.0757],
            }
        ),
        file_name="spaces-example.csv",
        mime="text/csv",
        on_click="ignore",
    )
    local.uploader("Your spaces", local.SPACES, ["csv", "txt"])
    spaces = local.read_upload(local.SPACES, partial(spaces_csv.read_spaces_csv, lsoas=upload_inputs.lsoa_polygons()))
    if spaces is not None:
        local.show_report(spaces, "spaces")
        found = spaces.result.valid
        catchments = local.space_catchments()
        if catchments is not None:
            change = analysis.catchment_indicator(catchments, page_frames.FAR_INDICATOR)
            names = cached.place_names("lsoa11")
            change["area_name"] = change["area_code"].map(names)
            gained = change[change["change"] > 0].sort_values("change", ascending=False)
            no_longer_far = gained[
                (gained["value_without_uploads"] < page_frames.FAR_BELOW_PCT)
                & (gained["value"] >= page_frames.FAR_BELOW_PCT)
            ]
            st.subheader("What your spaces change")
            community = local.community_spaces(found)
            open_data = upload_inputs.catchment_base().spaces["space_type"].isin(SPACE_GROUPS["community"]).sum()
            joined = page_frames.upload_groups(found)
            if len(joined):
                st.markdown(
                    "How your spaces were counted: "
                    + "; ".join(f"{r.n:,} {r.type_label.lower()} → *{r.group_label}*" for r in joined.itertuples())
                    + "."
                )
            if gained.empty:
                st.info(
                    f"Your {len(community):,} community centres and libraries (of the {len(found):,} spaces kept) add "
                    f"no residents within 800 m of one to the {open_data:,} in the open data: every neighbourhood "
                    "near them already had one that close. Nothing changes on the borough explorer's outlines.",
                    icon=":material/info:",
                )
            else:
                st.markdown(
                    f"With your {len(community):,} community centres and libraries (of the {len(found):,} spaces "
                    f"kept) added to the {open_data:,} in the open data, **{len(gained):,}** neighbourhoods gain "
                    "residents within 800 m of one, and "
                    f"**{len(no_longer_far):,}** are no longer among those where most residents live beyond 800 m. "
                    "The borough explorer now shows your spaces on its map and uses them for its black outlines."
                )
                table = pd.DataFrame(
                    {
                        "Neighbourhood": gained["area_name"],
                        "Code": gained["area_code"],
                        "Residents within 800 m, open data (%)": gained["value_without_uploads"],
                        "With your spaces (%)": gained["value"],
                    }
                )
                widgets.show_table(
                    table, key="catchment_change", width="stretch", height=min(400, 35 * len(table) + 40)
                )
                local.csv_download("This table (CSV)", table.round(1), "your-spaces", "catchment-change")

# --- An indicator -----------------------------------------------------------------------------------------------------
with indicator_tab:
    st.markdown(
        'One row per area: an **LSOA 2021** or **LSOA 2011 code** (E01…; a header with "21" or codes made in 2021 '
        "read as LSOA 2021) or a **ward code** (E05…, the 2022 wards or the GLA 2014 wards) and one numeric column, "
        "e.g. a local survey's share of residents who feel they belong. It can join need or cohesion capacity in a "
        "pillar, with the weight you choose, and so the priority."
    )
    local.uploader("Your indicator", local.INDICATOR, ["csv", "txt"])
    read_indicator = partial(indicator_csv.read_indicator_csv, known_codes=upload_inputs.area_codes())
    upload = local.read_upload(local.INDICATOR, read_indicator)
    if upload is not None:
        columns = upload.result.value_columns
        if len(columns) > 1:
            column = st.selectbox(
                "Column to use", columns, index=columns.index(upload.result.value_column), key="local_value_column"
            )
            if column != upload.result.value_column:  # read the same bytes again for the chosen column
                upload = replace(upload, result=read_indicator(upload.data, upload.file_name, value_column=column))
        local.show_report(upload, "areas")
        result = upload.result
        level = result.level
        many = page_frames.LEVEL_NOUNS[level][1]
        st.markdown(
            f"Read **{md(result.value_column)}** by {page_frames.LEVEL_NOUNS[level][0]} code: {result.n_covered:,} of London's "
            f"{result.n_total:,} {many} have a value."
        )
        pillars = [p for p in cached.scored_pillars(level) if p != "diversity"]
        col1, col2, col3 = st.columns(3)
        pillar = col1.selectbox(
            "Pillar it measures", pillars, format_func=lambda p: PILLARS_BY_ID[p].label, key="local_pillar"
        )
        direction = col2.radio(
            "A higher value means", ["more need", "less need"], horizontal=True, key="local_direction"
        )
        share = col3.slider(
            "Its share of the framework's weight",
            0,
            50,
            10,
            step=5,
            format="%d%%",
            key="local_share",
            help="The other indicators keep their relative weights on the rest.",
        )

        def rerank() -> tuple[pd.DataFrame, Any]:
            run = analysis.assess_with_local_indicator(
                cached.indicator_matrix(level),
                level,
                result.series(),
                pillar=pillar,
                higher_is_more_need=direction == "more need",
                share=share / 100,
                n_draws=200,
            )
            table, frame = analysis.rank_changes(
                cached.cohesion_areas(level), run, result.series(), cached.borough_names()
            )
            figure = maps.measure_map(
                static_geo.geo_url(level),
                frame,
                label="Priority with your indicator",
                unit="0-1",
                higher_is_more_need=True,
                has_interval=True,
                outlines=static_geo.geo_url("borough") if level != "borough" else None,
                flat=True,
                outline_codes=list(cached.borough_names()),
                colorbar_title="Priority: need (0-1)",
            )
            return table, figure

        moved, figure = local.derived(
            local.INDICATOR, "reranked", rerank, result.value_column, pillar, direction, share
        )
        st.subheader(f"The priority with your indicator ({share}% of the weight)")
        st.caption(
            f"Your {len(result.valid):,} {many} in London's priority list (1 = first; only places below London's "
            f"median cohesion capacity are listed), your indicator in the {PILLARS_BY_ID[pillar].label} pillar. "
            "Areas without your value are scored on the other indicators. How sure: the share of 200 re-runs with "
            "other reasonable weights in which a place is in London's top 10; likely rank range: 5th to 95th "
            "percentile."
        )
        map_col, table_col = st.columns([5, 3])
        map_col.plotly_chart(  # built for this session only: kept in its state, never in a shared cache
            figure,
            width="stretch",
            config=static_geo.flat_map_config({"displaylogo": False, "scrollZoom": True}),
            key="local_priority_map",
        )
        yours = moved[moved["Your value"].notna()]
        table_col.dataframe(yours, hide_index=True, width="stretch", height=min(560, 35 * len(yours) + 40))
        with table_col:
            local.csv_download(f"All {len(moved):,} {many} (CSV)", moved, "your-indicator", level, "priority")

# --- Custom areas -----------------------------------------------------------------------------------------------------
with areas_tab:
    st.markdown(
        "Polygons of the areas you plan by (e.g. neighbourhood forums, primary care networks) as **GeoJSON** or "
        "**GeoPackage**, in WGS84 or British National Grid, with a name column. Each area gets the "
        "population-weighted mean of the neighbourhoods whose population-weighted centre lies in it."
    )
    local.uploader("Your areas", local.AREAS, ["geojson", "json", "gpkg"])
    areas = local.read_upload(local.AREAS, partial(areas_file.read_areas, london=upload_inputs.london_outline()))
    if areas is not None:
        local.show_report(areas, "areas")
        if len(areas.result.valid):
            valid = areas.result.valid

            def summarise() -> tuple[Any, Any]:
                summary = analysis.aggregate_over_areas(valid, upload_inputs.lsoa_summary_table())
                figure = maps.measure_map(
                    # outlines simplified to 2 m for the map: a detailed file is not sent to the browser in full
                    maps.frame_geojson(valid.assign(geometry=valid.geometry.simplify(2.0)), "area_id"),
                    # names from the file go into plotly's hover labels, which read HTML tags: shown as text
                    analysis.area_summary_frame(summary).assign(area_name=lambda f: f["area_name"].map(html.escape)),
                    label="Need, mean of its neighbourhoods",
                    unit="0-1",
                    higher_is_more_need=True,
                    outlines=static_geo.geo_url("borough"),
                    colorbar_title="Need (0-1)",
                )
                return summary, figure

            summary, figure = local.derived(local.AREAS, "summary", summarise)
            for note in summary.notes:  # they may quote area names
                st.caption(md(note))
            table = local.areas_table(summary.table)
            st.plotly_chart(
                figure, width="stretch", config={"displaylogo": False, "scrollZoom": True}, key="local_areas_map"
            )
            st.dataframe(table, hide_index=True, width="stretch")
            local.csv_download("This table (CSV)", table, "your-areas", "summary")
