"""Your local data: a borough's own spaces, an indicator or custom areas, used in this session only."""

from __future__ import annotations

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
from cohesion_metrics.metadata.indicators import PILLARS_BY_ID
from cohesion_metrics.uploads import catchment_change, guide, indicator_csv, local_results, spaces_csv, worker
from cohesion_metrics.uploads.cells import escape_markdown as md

st.title("Your local data")
st.markdown(guide.INTRO)
st.info(local.PRIVACY, icon=":material/lock:")

spaces_tab, indicator_tab, areas_tab = st.tabs(guide.TABS)

# --- Spaces -----------------------------------------------------------------------------------------------------------
with spaces_tab:
    st.markdown(guide.SPACES_FORMAT)
    st.download_button(
        "Example file (CSV)",
        local.template(guide.SPACES_EXAMPLE),
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
            said = catchment_change.spaces_change(
                catchments, cached.place_names("lsoa11"), found, upload_inputs.catchment_base().spaces
            )
            st.subheader("What your spaces change")
            if said.counted:
                st.markdown(said.counted)
            if said.table is None:
                st.info(said.summary, icon=":material/info:")
            else:
                st.markdown(said.summary)
                table = said.table
                widgets.show_table(
                    table, key="catchment_change", width="stretch", height=min(400, 35 * len(table) + 40)
                )
                local.csv_download("This table (CSV)", table.round(1), "your-spaces", "catchment-change")

# --- An indicator -----------------------------------------------------------------------------------------------------
with indicator_tab:
    st.markdown(guide.INDICATOR_FORMAT)
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
        st.markdown(guide.indicator_read(result.value_column, level, result.n_covered, result.n_total))
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
            help=guide.SHARE_HELP,
        )

        def rerank() -> tuple[pd.DataFrame, Any]:
            return local_results.priority_with_indicator(
                cached.indicator_matrix(level),
                cached.cohesion_areas(level),
                cached.borough_names(),
                result.series(),
                level=level,
                pillar=pillar,
                higher_is_more_need=direction == "more need",
                share=share / 100,
                geo=static_geo.geo_url(level),
                borough_geo=static_geo.geo_url("borough"),
            )

        moved, figure = local.derived(
            local.INDICATOR, "reranked", rerank, result.value_column, pillar, direction, share
        )
        st.subheader(f"The priority with your indicator ({share}% of the weight)")
        st.caption(guide.indicator_priority_caption(len(result.valid), level, PILLARS_BY_ID[pillar].label))
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
            local.csv_download(guide.all_areas_label(len(moved), level), moved, "your-indicator", level, "priority")

# --- Custom areas -----------------------------------------------------------------------------------------------------
with areas_tab:
    st.markdown(guide.AREAS_FORMAT)
    local.uploader("Your areas", local.AREAS, ["geojson", "json", "gpkg"])
    upload_inputs.upload_worker()
    # read in a worker process: the memory a large file churns goes back to the system when it exits
    areas = local.read_upload(local.AREAS, partial(worker.read_areas, london=upload_inputs.london_outline()))
    if areas is not None:
        local.show_report(areas, "areas")
        if len(areas.result.valid):
            valid = areas.result.valid

            def summarise() -> tuple[Any, Any]:
                lsoas = upload_inputs.lsoa_summary_table()
                return local_results.areas_summary(valid, lsoas, static_geo.geo_url("borough"))

            summary, figure = local.derived(local.AREAS, "summary", summarise)
            for note in summary.notes:  # they may quote area names
                st.caption(md(note))
            table = local.areas_table(summary.table)
            st.plotly_chart(
                figure, width="stretch", config={"displaylogo": False, "scrollZoom": True}, key="local_areas_map"
            )
            st.dataframe(table, hide_index=True, width="stretch")
            local.csv_download("This table (CSV)", table, "your-areas", "summary")
