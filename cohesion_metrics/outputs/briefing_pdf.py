"""The briefing laid out on A4 with reportlab's built-in Helvetica (no font files, no network): `render_pdf`.

Page 1 stands alone: the borough, its ranks, the three asks, the map and what the data cannot say. Pages 2+ are the
annex: priorities with how sure each is, the pillar profile, the actions in full, sources, licences and method.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pandas as pd
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepInFrame,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
)

from cohesion_metrics.figures import map_sources
from cohesion_metrics.metadata.indicators import DATA_GAPS
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE
from cohesion_metrics.metadata.spaces import SPACE_MAP_GROUPS
from cohesion_metrics.method import framework, measures
from cohesion_metrics.method.classify import WEAK_AT
from cohesion_metrics.outputs.briefing_content import (
    APP_NAME,
    PAGE1_GAPS,
    Briefing,
    _int,
    _possessive,
)
from cohesion_metrics.outputs.briefing_layout import (
    _FONT,
    _FRAME_WIDTH,
    _MUTED,
    _binary_streams,
    _bullets,
    _image,
    _plain,
    _section,
    _styles,
    _table,
    _text,
)
from cohesion_metrics.read import page_text


def _score(value: object) -> str:
    return "no data" if value is None or pd.isna(value) else f"{float(value):.2f}"  # type: ignore[arg-type]


def _headline(b: Briefing) -> str:
    r, name = b.headline, _text(b.borough_name)
    if pd.isna(r["need_rank"]):
        reason = f" ({_text(r['flag_reason'])})" if r.get("flag_reason") else ""
        rank = f"<b>{name}</b> has no need score{reason}."
    else:
        likely = page_text.likely_range(pd.Series([r["need_rank_p05"]]), pd.Series([r["need_rank_p95"]])).iloc[0]
        rank = (
            f"<b>{name}</b> ranks <b>{_int(r['need_rank'])} of {b.n_ranked}</b> boroughs for need (urgent needs, "
            f"root causes and vulnerability; 1 = most need; likely {_text(likely)} over "
            f"{framework.DEFAULT_DRAWS:,} re-runs with other reasonable weights)"
            + (
                f" and {_int(r['capacity_rank'])} of {b.n_ranked} for cohesion capacity (1 = least)."
                if pd.notna(r["capacity_rank"])
                else "."
            )
        )
    cls = (
        f" Need against cohesion capacity: <b>{_text(r['class_label'])}</b> (need {_score(r['need'])}, cohesion "
        f"capacity {_score(r['capacity'])}, both 0-1)."
        if isinstance(r["class_label"], str) and r["class_label"]
        else " Need against cohesion capacity: not classed (no data)."
    )
    return rank + cls


def _facts(b: Briefing) -> list[str]:
    sp = b.spaces
    labels = {g: label for g, (label, _, _) in SPACE_MAP_GROUPS.items()}
    counted = sum(n for g, n in sp.items() if SPACE_MAP_GROUPS[g][2])
    return [
        f"**{b.n_lsoas}** neighbourhoods ({LEVELS_BY_CODE[b.level].in_sentence}); **{len(b.priorities)}** of them are "
        f"priorities, with cohesion capacity below London's median (London: {b.n_priorities_london:,} of "
        f"{b.n_lsoas_london:,}).",
        f"**{counted:,}** inclusive spaces: "
        + ", ".join(f"{labels[g].lower()} {sp[g]:,}" for g in ("community", "faith", "culture"))
        + f". {labels['not_counted']}: {sp['not_counted']:,}.",
        f"In **{len(b.far_from_community)}** of {b.n_lsoas} neighbourhoods fewer than half of residents live within "
        f"800 m (straight line) of a community centre or library.",
    ]


def _priority_table(b: Briefing, st: dict[str, ParagraphStyle]) -> Table:
    if len(b.priorities):
        likely = page_text.likely_range(
            b.listed["priority_rank_p05"], b.listed["priority_rank_p95"], b.n_priorities_london
        )
        sure = page_text.certainty_words(b.listed["priority_top10_share"])
        rows = [
            [k, r.area_name, r.area_code, _int(r.priority_rank), _score(r.need), _score(r.capacity), s, lk]
            for k, (r, s, lk) in enumerate(zip(b.listed.itertuples(), sure, likely, strict=True), start=1)
        ]
        header = [
            "Map no.",
            "Neighbourhood",
            "Code",
            "London priority",
            "Need (0-1)",
            "Cohesion capacity (0-1)",
            page_text.TOP10_HEADING,
            page_text.RANGE_HEADING,
        ]
        return _table(header, rows, (12, 33, 22, 17, 16, 20, 30, 24), st)
    likely = page_text.likely_range(b.listed["rank_p05"], b.listed["rank_p95"])
    sure = page_text.certainty_words(b.listed["top10_share"])
    rows = [
        [r.area_name, r.area_code, _score(r.value), _int(r.rank), s, lk]
        for r, s, lk in zip(b.listed.itertuples(), sure, likely, strict=True)
    ]
    header = [
        "Neighbourhood",
        "Code",
        "Need (0-1)",
        "London need rank",
        page_text.TOP10_HEADING,
        page_text.RANGE_HEADING,
    ]
    return _table(header, rows, (40, 24, 20, 24, 36, 30), st)


def _profile_table(b: Briefing, st: dict[str, ParagraphStyle]) -> Table:
    p = b.profile
    rows = []
    for label, part in p.groupby("label", sort=False):
        own = part.loc[part["kind"] == "borough", "score"].iloc[0]
        london = part.loc[part["kind"] == "london", "score"].iloc[0]
        near = part.loc[part["kind"] == "neighbour", "score"].dropna()
        span = f"{near.min():.2f} to {near.max():.2f}" if len(near) else "none"
        diff = "" if pd.isna(own) else f"{own - london:+.2f}"
        rows.append([label, _score(own), _score(london), diff, span])
    header = [
        "Score (0 = least need in London, 1 = most; capacity pillars: 1 = least capacity)",
        b.borough_name,
        "London average",
        "Difference",
        "Statistical neighbours (range)",
    ]
    return _table(header, rows, (62, 26, 24, 20, 42), st)


def _figures_table(b: Briefing, st: dict[str, ParagraphStyle]) -> Table | Paragraph:
    """Each indicator quoted in the actions once per level: where its values come from, and their vintage."""
    f = b.action_figures.drop_duplicates(["level", "indicator"])
    if f.empty:
        return Paragraph("No figure points to a recommendation 5 action here.", st["body"])
    titles = b.sources.set_index("source_id")["title"].to_dict()
    where = {
        "borough": f"{b.borough_name} (borough)",
        b.level: f"neighbourhoods ({LEVELS_BY_CODE[b.level].in_sentence})",
    }
    rows = [
        [
            r.indicator,
            where.get(str(r.level), str(r.level)),
            "; ".join(titles.get(s, s) for s in r.source_ids) or "not recorded",
            r.vintage if isinstance(r.vintage, str) else "not recorded",
        ]
        for r in f.sort_values(["indicator", "level"], kind="stable").itertuples()
    ]
    return _table(["Indicator", "Values for", "Source", "Vintage of the values"], rows, (50, 36, 56, 32), st)


def _sources_table(b: Briefing, st: dict[str, ParagraphStyle]) -> Table:
    rows = []
    for r in b.sources.itertuples():
        vintage = r.vintage if r.vintage_used == r.vintage else f"{r.vintage}; values: {r.vintage_used}"
        rows.append(
            [
                Paragraph(f"<b>{_text(r.title)}</b><br/>{_text(r.publisher)}", st["cell"]),
                vintage,
                r.licence,
                r.used_for,
            ]
        )
    return _table(["Source and publisher", "Vintage", "Licence", "Used here for"], rows, (70, 38, 34, 32), st)


def _layer_sources(b: Briefing) -> str:
    """The map layers' sources with their vintages: "Cultural Infrastructure Map (November 2022); ..."."""
    layers = b.sources[b.sources["roles"].str.contains("spaces|boundaries")]
    return "; ".join(f"{map_sources.short_title(r.title)} ({r.vintage})" for r in layers.itertuples())


def _method(st: dict[str, ParagraphStyle]) -> list[Flowable]:
    text = (
        framework.method_summary() + " Likely rank ranges are the 5th to 95th percentile of the rank over "
        f"{framework.DEFAULT_DRAWS:,} re-runs with other reasonable weights and normalisations, and 'in London's top "
        "10 in N% of re-runs' counts how often a place stays in the top 10: stable when the range is at most "
        f"{measures.STABLE_MAX_PLACES} places wide, fairly stable at most {measures.FAIRLY_STABLE_MAX_PLACES}, "
        "otherwise uncertain. Hazard exposure (flood, heat, air) is shown beside need, never averaged into it. A "
        f"recommendation 5 action is listed where its pillar is among the {100 - WEAK_AT:.0f}% of areas most in "
        f"need, citing only indicators above London's {framework.REASON_ABOVE:.0f}th percentile. Nothing measured "
        "only for boroughs (trust, turnout) is shown for a neighbourhood. Distances are straight lines, which "
        "understate walking distance; "
        "the spaces data may be incomplete and say nothing of opening hours or who feels welcome. These are "
        "indicators to prompt local knowledge, not a verdict on any community."
    )
    gaps = [f"{g.what}: {g.why}" for g in DATA_GAPS]
    return [
        Paragraph(_text(text), st["body"]),
        Spacer(1, 3),
        Paragraph("Not available as open data:", st["h3"]),
        *_bullets(gaps, st["small"]),
    ]


def _footer(name: str, generated: dt.date) -> Callable[[Canvas, Any], None]:
    def draw(canvas: Canvas, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(_FONT, 7.5)
        canvas.setFillColor(_MUTED)
        line = f"{name}: cohesion briefing · generated {generated.isoformat()} · {APP_NAME}"
        canvas.drawString(18 * mm, 10 * mm, _plain(line))
        canvas.drawRightString(A4[0] - 18 * mm, 10 * mm, f"page {doc.page}")
        canvas.restoreState()

    return draw


def _page_one(b: Briefing, map_png: bytes, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """Page 1, which stands alone: borough, headline, three asks, the map, what the data cannot say, the annex."""
    name, d = b.borough_name, b.generated_on
    asks = b.asks or [f"No pillar of {name} or of its neighbourhoods is among London's 30% most in need."]
    caveat = (
        "These are indicators to prompt local knowledge, not a verdict on any community; hazard exposure is shown "
        "beside need, never in it."
    )
    cannot = [*b.gaps[:PAGE1_GAPS], caveat]
    image = _image(map_png, _FRAME_WIDTH * 0.86)
    caption = (
        f"Neighbourhoods ({LEVELS_BY_CODE[b.level].in_sentence}) by need against cohesion capacity, London thirds: orange "
        "rises with need, blue with lack of capacity; black outline: high need with low capacity"
        + (", numbered as in the annex's priority table" if len(b.priorities) else "")
        + ". Points: community centres and libraries, places of worship, arts and culture venues. "
        f"Sources: {_layer_sources(b)}."
    )
    content: list[Flowable] = [
        Paragraph(_text(f"{name}: social cohesion and resilience briefing"), st["title"]),
        Paragraph(
            _text(f"Generated {d.day} {d:%B %Y} ({d.isoformat()}) from the {APP_NAME} · borough code {b.borough_code}"),
            st["subtitle"],
        ),
        Paragraph(_headline(b), st["body"]),
        Paragraph("The three most important asks", st["h3"]),
        *_bullets([f"{k}. {a}" for k, a in enumerate(asks, start=1)], st["body"]),
        Spacer(1, 3),
        image,
        Paragraph(_text(caption), st["small"]),
        Paragraph(_text(f"What the data cannot say for {name}"), st["h3"]),
        *_bullets(cannot, st["warn"]),
        Spacer(1, 3),
        Paragraph(
            _text(
                "Annex (pages 2 onwards): the priority neighbourhoods with how sure each rank is, the pillar profile "
                "against London and statistical neighbours, what to fund in full with the figures behind it, every "
                "source with its vintage and licence, and the method."
            ),
            st["small"],
        ),
    ]
    frame_height = A4[1] - 31 * mm - 2 * mm
    return [KeepInFrame(_FRAME_WIDTH, frame_height, content, mode="shrink"), PageBreak()]


def _annex_opening(b: Briefing, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    purpose = (
        f"Where to embed social cohesion in {_possessive(b.borough_name)} resilience plans (London Resilience, "
        "Building Resilient Communities: The Case for Social Cohesion, recommendation 2) and what to fund there "
        "(recommendation 5). Figures are the dashboard's default run on official open data; the sources and "
        "vintages behind each are listed below."
    )
    rest = b.gaps[PAGE1_GAPS:]
    return [
        Paragraph(_text("Annex"), st["h2"]),
        Paragraph(_text(purpose), st["small"]),
        Spacer(1, 3),
        *_bullets(_facts(b), st["body"]),
        *([Paragraph(_text("Also missing"), st["h3"]), *_bullets(rest, st["warn"])] if rest else []),
    ]


def _profile_section(b: Briefing, chart_png: bytes, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    near = b.neighbours["borough_name"].tolist()
    text = (
        f"Statistical neighbours, the boroughs with the most similar profile: {', '.join(near)}."
        if near
        else f"{b.borough_name} has no statistical neighbours: its profile lacks pillars the others have."
    )
    return [
        *_section("Pillar profile", st, 110),
        Paragraph(_text(text), st["body"]),
        KeepTogether([_image(chart_png, _FRAME_WIDTH * 0.92), _profile_table(b, st)]),
    ]


def _priorities_section(b: Briefing, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    name, pri = b.borough_name, len(b.priorities)
    if pri:
        which = f"the first {len(b.listed)}" if pri > len(b.listed) else "all of them"
        intro = (
            f"{pri} of {_possessive(name)} {b.n_lsoas} neighbourhoods have cohesion capacity below London's median; "
            f"{which}, in London's priority order (need, highest first: capacity decides eligibility only). How "
            f"sure: the share of {framework.DEFAULT_DRAWS:,} re-runs in which the place stays in London's top 10; "
            "likely rank range: the 5th to 95th percentile of its priority rank."
        )
    else:
        intro = (
            f"None of {_possessive(name)} neighbourhoods has cohesion capacity below London's median. Its "
            f"{len(b.listed)} neighbourhoods with the most need instead (1 = most need in London):"
        )
    return [
        *_section("Priority neighbourhoods", st),
        Paragraph(_text(intro), st["body"]),
        Spacer(1, 3),
        _priority_table(b, st),
    ]


def _actions_section(b: Briefing, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    weak = f"{100 - WEAK_AT:.0f}%"
    out = _section("What to fund: recommendation 5", st)
    if b.borough_actions:
        out += [Paragraph(_text(f"{b.borough_name} as a whole:"), st["h3"]), *_bullets(b.borough_actions, st["body"])]
    else:
        text = f"No pillar of {b.borough_name} is among the {weak} of boroughs most in need; see its neighbourhoods."
        out.append(Paragraph(_text(text), st["body"]))
    for code, area_name, lines in b.area_actions:
        out.append(Paragraph(_text(f"{area_name} ({code}):"), st["h3"]))
        none = f"No pillar among the {weak} of London's neighbourhoods most in need."
        out += _bullets(lines, st["body"]) if lines else [Paragraph(_text(none), st["body"])]
    return [*out, Paragraph("Where these figures come from", st["h3"]), _figures_table(b, st)]


def _sources_section(b: Briefing, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    attributions = " ".join(dict.fromkeys(str(a) for a in b.sources["attribution"] if a))
    out = [
        *_section("Sources, vintages and licences", st),
        _sources_table(b, st),
        Spacer(1, 4),
        Paragraph("<b>Attribution.</b> " + _text(attributions), st["small"]),
    ]
    caveats = [f"{r.title}: {r.caveat}" for r in b.sources.itertuples() if isinstance(r.caveat, str) and r.caveat]
    if caveats:
        out += [Spacer(1, 3), Paragraph("<b>Source caveats.</b> " + _text(" ".join(caveats)), st["small"])]
    return out


def render_pdf(b: Briefing, map_png: bytes, profile_chart_png: bytes) -> bytes:
    """Lay out a briefing on A4 (built-in Helvetica; identical input gives identical bytes)."""
    st = _styles()
    story = [
        *_page_one(b, map_png, st),
        *_annex_opening(b, st),
        *_priorities_section(b, st),
        *_profile_section(b, profile_chart_png, st),
        *_actions_section(b, st),
        *_sources_section(b, st),
        *_section("Method and caveats", st),
        *_method(st),
    ]
    name, d = b.borough_name, b.generated_on
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=15 * mm,
        bottomMargin=16 * mm,
        title=f"{name}: social cohesion and resilience briefing ({d.isoformat()})",
        author=APP_NAME,
        subject=f"Where to embed social cohesion in {_possessive(name)} resilience plans, and what to fund",
        creator=APP_NAME,
        invariant=True,
    )
    on_page = _footer(name, d)
    with _binary_streams():
        doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buf.getvalue()
