"""Compare boroughs: two to six side by side on need, cohesion capacity, priority, class, pillars and indicators."""

from __future__ import annotations

import streamlit as st

from app_pages._cached import borough_comparison, boroughs, cohesion_areas, pillar_means, scored_pillars
from app_pages._url import BOROUGHS, codes_from_url
from cohesion_metrics.figures import charts
from cohesion_metrics.outputs import compare_tables, safe_csv
from cohesion_metrics.outputs.robustness import stability_explanations
from cohesion_metrics.read import page_frames

MIN_BOROUGHS, MAX_BOROUGHS = 2, 6

st.title("Compare boroughs")
st.caption(
    "Put two to six boroughs side by side: need, cohesion capacity and priority with how sure each rank is, the "
    "need x capacity class, pillar scores and the indicators behind them. Scores and percentiles are relative to "
    "London's 33 boroughs."
)

names = boroughs().set_index("borough_code")["borough_name"]
areas = page_frames.ranked_on(cohesion_areas("borough"), "need").set_index("area_code")
default = list(areas.sort_values("need_rank").index[:MIN_BOROUGHS])
in_state = codes_from_url(BOROUGHS, list(names.index))  # a hand-written link may use codes, like the other pages
chosen = st.multiselect(
    f"Boroughs ({MIN_BOROUGHS} to {MAX_BOROUGHS})",
    list(names.index),
    default=None if in_state else default,
    format_func=names.__getitem__,
    key=BOROUGHS,
    bind="query-params",
    placeholder="Choose boroughs…",
)
if len(chosen) > MAX_BOROUGHS:
    st.warning(
        f"Comparing at most {MAX_BOROUGHS} boroughs: showing the first {MAX_BOROUGHS} of {len(chosen)}. "
        "Remove some to choose which."
    )
    chosen = chosen[:MAX_BOROUGHS]

if len(chosen) < MIN_BOROUGHS:
    st.info(f"Choose at least {MIN_BOROUGHS} boroughs to compare (you have {len(chosen)}).")
else:
    picked = areas.loc[chosen].assign(area_name=[names[c] for c in chosen])
    n = len(areas)

    st.subheader("Need, cohesion capacity, priority and class")
    words = stability_explanations(n)
    st.dataframe(
        compare_tables.summary(picked),
        hide_index=True,
        width="stretch",
        column_config={
            "Indicator coverage": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0, format="percent"),
        },
    )
    st.plotly_chart(
        charts.rank_interval_chart(picked.reset_index(), n_areas=n, label_col="area_name", full_range=True),
        width="stretch",
        config={"displaylogo": False},
    )
    st.caption(" ".join(words[s] for s in dict.fromkeys(picked["stability"])))

    st.subheader("Pillar scores")
    st.caption(
        "0 = least need in London, 1 = most (for the capacity pillars: 1 = least capacity; percentile-rank scores, "
        "default equal pillar weights). Dashed "
        'line: the London mean over the boroughs with a score. "no data": no indicator of that pillar for '
        "the borough."
    )
    st.plotly_chart(
        charts.pillar_small_multiples(picked.reset_index(), pillar_means("borough"), scored_pillars("borough")),
        width="stretch",
        config={"displaylogo": False},
    )

    st.subheader("Key indicators")
    long = borough_comparison(tuple(chosen))
    table = charts.comparison_table(long)
    missing = compare_tables.missing_indicators(long)
    for borough, labels in missing.items():
        st.caption(f"**{borough}**: no data for {len(labels)} indicator(s): {'; '.join(labels)}.")
    pct_cols = compare_tables.percentile_columns(table)
    value_cols = [*picked["area_name"], "London median"]
    shown = compare_tables.shown_values(table, value_cols)
    text_width = {c: max(8 * len(c) + 36, 90) for c in ["Unit", "Higher means", "Vintage", "Pillar", *value_cols]}
    st.dataframe(
        shown.set_index("Indicator"),
        width="stretch",
        height=36 * (len(table) + 1) + 4,
        placeholder="no data",
        column_config={
            **{
                c: st.column_config.ProgressColumn(
                    c,
                    min_value=0,
                    max_value=100,
                    format="%.0f",
                    help="Need-oriented London percentile: 100 = most need.",
                    width=max(8 * len(c) + 36, 120),
                )
                for c in pct_cols
            },
            **{c: st.column_config.Column(c, width=w) for c, w in text_width.items()},
            "Indicator": st.column_config.Column("Indicator", width=340),
        },
    )
    st.caption(
        "Percentile: where the borough sits among the 33 for that indicator, turned so that 100 = most "
        "need. Units and vintages as published; the registry on Data & methodology defines each indicator."
    )
    st.download_button(
        "Download the comparison (CSV)",
        safe_csv.to_csv_bytes(compare_tables.download_table(table, value_cols)),
        file_name=safe_csv.csv_file_name("compare", *picked["area_name"]),
        mime="text/csv",
    )
