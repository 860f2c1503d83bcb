"""A one-click borough briefing (PDF) to take into a resilience-planning meeting.

`briefing_content` gathers every figure from the database with the same queries and sentences as the borough
explorer. Page 1 stands alone: the borough, its need and cohesion capacity ranks, the three most important asks
with the figures behind them in plain words (only indicators above London's 70th percentile are cited as reasons),
the map of priorities and inclusive spaces, what the data cannot say, and a pointer to the annex. Pages 2+ are the
annex: the priority neighbourhoods with how sure each is, the pillar profile against London and the statistical
neighbours, the recommendation 5 actions in full with the sources and vintages behind them, the sources, licences
and method. What is missing for the borough is said, never filled in. `build_briefing` lays it out on A4 with
reportlab's built-in Helvetica: no font files, no network.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import io
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd
from matplotlib.lines import Line2D
from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    KeepInFrame,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from cohesion_metrics.db import query
from cohesion_metrics.figures import pillar_profile, png_maps
from cohesion_metrics.metadata.indicators import DATA_GAPS, INDICATORS_BY_ID
from cohesion_metrics.metadata.levels import LEVELS_BY_CODE
from cohesion_metrics.metadata.spaces import SPACE_MAP_GROUPS
from cohesion_metrics.method import framework, uncertainty
from cohesion_metrics.method.classify import RECOMMENDATION_5, WEAK_AT
from cohesion_metrics.outputs import safe_csv
from cohesion_metrics.read import page_frames, queries

APP_NAME = "London cohesion & resilience dashboard"
#: Priority neighbourhoods listed (and numbered on the map); neighbourhoods whose actions are spelled out.
TOP_PRIORITIES, TOP_ACTION_AREAS = 10, 3
#: The three asks on page 1; at most this many "what the data cannot say" notes there (the rest in the annex).
N_ASKS, PAGE1_GAPS = 3, 3
#: What the briefing uses each source for: the values at a level (by its noun), the spaces, the boundaries.
_ROLE_TEXT = {
    "borough": "borough scores, profile and actions",
    "neighbourhood": "neighbourhood scores, priorities and map",
    "spaces": "inclusive spaces on the map",
    "boundaries": "map boundaries",
}


def _possessive(name: str) -> str:
    """The possessive of a place name: Camden's, Tower Hamlets'."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


@dataclass(frozen=True)
class Briefing:
    """Everything a borough briefing says, as figures and sentences taken from the database."""

    borough_code: str
    borough_name: str
    generated_on: dt.date
    #: The borough's `queries.cohesion_areas("borough")` row, and the number of boroughs ranked.
    headline: pd.Series
    n_ranked: int
    #: The neighbourhood level (LSOA 2021 once scored, else LSOA 2011) and its counts.
    level: str
    n_lsoas: int
    n_lsoas_london: int
    #: The borough's priority neighbourhoods, London's priority order (`queries.priorities`).
    priorities: pd.DataFrame
    n_priorities_london: int
    #: Neighbourhoods listed: the priorities, or where there are none those with the most need.
    listed: pd.DataFrame
    profile: pd.DataFrame
    neighbours: pd.DataFrame
    borough_actions: list[str]
    area_actions: list[tuple[str, str, list[str]]]
    asks: list[str]
    action_figures: pd.DataFrame
    spaces: dict[str, int]
    far_from_community: list[str]
    gaps: list[str]
    sources: pd.DataFrame

    @property
    def file_name(self) -> str:
        """The download's file name: ``london-cohesion_camden_briefing_2024-06-01.pdf``."""
        return safe_csv.file_name(self.borough_name, "briefing", ext="pdf", on=self.generated_on)


# --- Content --------------------------------------------------------------------------------------------------------


def _figure_sources(con: duckdb.DuckDBPyConnection, rows: pd.DataFrame, level: str) -> pd.DataFrame:
    """Source id and vintage of the values of `rows`' areas and indicators at `level`, one row each."""
    if rows.empty:
        return pd.DataFrame(columns=["area_code", "indicator", "source_id", "vintage"])
    return query(
        con,
        "SELECT area_code, indicator_id AS indicator, source_id, vintage FROM core_indicators__values "
        "WHERE area_level = ? AND area_code IN (SELECT unnest(?)) AND indicator_id IN (SELECT unnest(?))",
        [level, sorted(set(rows["area_code"])), sorted(set(rows["indicator"]))],
    )


def _action_rows(con: duckdb.DuckDBPyConnection, level: str, area_code: str, area_name: str) -> pd.DataFrame:
    """The figures behind an area's recommendation 5 actions with their sources and vintages."""
    acts = queries.actions(con, level, area_code)
    acts = acts[acts["value"].notna()].drop_duplicates(["action", "indicator"])
    origin = _figure_sources(con, acts, level)
    out = acts.merge(origin, on=["area_code", "indicator"], how="left")
    return pd.DataFrame(
        {
            "area": area_name,
            "level": level,
            "action": out["action"].map(lambda a: f"({a}) {RECOMMENDATION_5[str(a)]}"),
            "indicator": out["indicator"].map(lambda i: INDICATORS_BY_ID[str(i)].label),
            "value": [
                page_frames.format_value(float(v), INDICATORS_BY_ID[str(i)].unit)
                for v, i in zip(out["value"], out["indicator"], strict=True)
            ],
            "percentile": out["percentile"].astype("float64"),
            "source_id": out["source_id"],
            # A space-based figure also counts spaces from other sources (places of worship from OpenStreetMap).
            "source_ids": [
                tuple(dict.fromkeys([s, *png_maps.space_source_ids(con, [str(i)])])) if isinstance(s, str) else ()
                for s, i in zip(out["source_id"], out["indicator"], strict=True)
            ],
            "vintage": out["vintage"],
        }
    )


def _sources(con: duckdb.DuckDBPyConnection, lsoa_codes: Sequence[str], level: str = "lsoa11") -> pd.DataFrame:
    """The sources behind the briefing's figures and map, one row each.

    Columns of `png_maps.source_rows`, with vintage_used from the values only, roles ("values;spaces"...) and
    used_for, in words.
    """
    parts = [
        png_maps.source_rows(
            con, "borough", [i.id for i in framework.default_indicators("borough")], boundaries=False
        ).assign(level="borough"),
        png_maps.source_rows(
            con,
            level,
            [i.id for i in framework.default_indicators(level)] + [page_frames.FAR_INDICATOR],
            area_codes=list(lsoa_codes),
            spaces=True,
        ).assign(level=level),
    ]
    rows = pd.concat(parts, ignore_index=True)
    rows["used_for"] = [
        _ROLE_TEXT[LEVELS_BY_CODE[lvl].noun if role == "values" else role]
        for lvl, role in zip(rows["level"], rows["role"], strict=True)
    ]
    values = rows[rows["role"] == "values"]
    vintages = values.groupby("source_id", sort=False)["vintage_used"].agg(lambda v: "; ".join(dict.fromkeys(v)))
    used = rows.groupby("source_id", sort=False)["used_for"].agg(lambda v: "; ".join(dict.fromkeys(v)))
    first = rows.drop_duplicates("source_id").set_index("source_id")
    roles = rows.groupby("source_id", sort=False)["role"].agg(lambda v: ";".join(dict.fromkeys(v))).rename("roles")
    out = first.drop(columns=["role", "level", "used_for", "vintage_used"]).join(vintages).join(used).join(roles)
    out["vintage_used"] = out["vintage_used"].fillna(out["vintage"])
    return out.reset_index().sort_values("title", kind="stable").reset_index(drop=True)


def briefing_content(
    con: duckdb.DuckDBPyConnection, borough_code: str, *, generated_on: dt.date | None = None
) -> Briefing:
    """Gather a borough's briefing from the database: figures, sentences, gaps and sources."""
    boroughs = queries.boroughs(con)
    names = dict(zip(boroughs["borough_code"], boroughs["borough_name"], strict=True))
    if borough_code not in names:
        raise ValueError(f"unknown borough code {borough_code!r}: expected one of {min(names)}..{max(names)}")
    name = names[borough_code]
    areas = queries.cohesion_areas(con, "borough")
    row = areas.set_index("area_code").loc[borough_code]
    near = queries.neighbours(con, borough_code)

    level = neighbourhood_level(con)
    lsoa_london = queries.cohesion_areas(con, level)
    lsoa = lsoa_london[lsoa_london["borough_code"] == borough_code].reset_index(drop=True)
    need = page_frames.get_measure(page_frames.NEED)
    frame = page_frames.measure_frame(lsoa, need, names)
    every_priority = queries.priorities(con, level, top=None, borough_code=borough_code)
    london_priorities = int(
        query(con, "SELECT count(*) AS n FROM out_cohesion__priorities WHERE area_level = ?", [level])["n"].iloc[0]
    )
    listed = every_priority.head(TOP_PRIORITIES) if len(every_priority) else frame.head(5)

    # What is missing for this borough; the data gaps London-wide ("Missing: ...") go under Method instead.
    gaps = page_frames.borough_gaps(row, name, len(near), measured=page_frames.pillars_with_scores(areas))
    gaps += [n for n in page_frames.gaps(level, need, frame, lsoa) if not n.startswith("Missing: ")]
    if len(every_priority) == 0:
        gaps.append(
            f"None of {_possessive(name)} neighbourhoods has cohesion capacity below London's median: no priority "
            "neighbourhoods are listed or numbered on the map."
        )

    borough_actions = page_frames.describe_actions(queries.actions(con, "borough", borough_code), "borough")
    figures = [_action_rows(con, "borough", borough_code, name)]
    area_actions: list[tuple[str, str, list[str]]] = []
    for code, area_name in zip(listed["area_code"].head(TOP_ACTION_AREAS), listed["area_name"], strict=False):
        area_actions.append(
            (str(code), str(area_name), page_frames.describe_actions(queries.actions(con, level, code), level))
        )
        figures.append(_action_rows(con, level, str(code), str(area_name)))

    spaces = png_maps.borough_spaces(con, borough_code)
    far = page_frames.far_from_community(queries.indicator_values(con, page_frames.FAR_INDICATOR, level, borough_code))
    profile = pillar_profile.profile_frame(areas, borough_code, near["borough_code"].tolist(), names)
    return Briefing(
        borough_code=borough_code,
        borough_name=name,
        generated_on=generated_on or dt.date.today(),
        headline=row,
        n_ranked=int(areas["need_rank"].notna().sum()),
        level=level,
        n_lsoas=len(lsoa),
        n_lsoas_london=int(lsoa_london["need_rank"].notna().sum()),
        priorities=every_priority,
        n_priorities_london=london_priorities,
        listed=listed,
        profile=profile,
        neighbours=near,
        borough_actions=borough_actions,
        area_actions=area_actions,
        asks=three_asks(name, every_priority, borough_actions, area_actions),
        action_figures=pd.concat(figures, ignore_index=True),
        spaces={g: int((spaces["group"] == g).sum()) for g in SPACE_MAP_GROUPS},
        far_from_community=far,
        gaps=gaps,
        sources=_sources(con, lsoa["area_code"].tolist(), level),
    )


def neighbourhood_level(con: duckdb.DuckDBPyConnection) -> str:
    """The briefing's neighbourhood level: LSOA 2021 once it is scored, else LSOA 2011 (the IoD2019 vintage)."""
    return "lsoa21" if "lsoa21" in queries.scored_levels(con) else "lsoa11"


def three_asks(
    name: str,
    priorities: pd.DataFrame,
    borough_actions: Sequence[str],
    area_actions: Sequence[tuple[str, str, list[str]]],
) -> list[str]:
    """The three most important asks, in plain words with the figures behind them.

    First where (the first priority neighbourhoods, with how sure the first is), then what to fund: the borough's
    first recommendation 5 actions, then those of its first priority neighbourhood, until there are three.
    """
    asks: list[str] = []
    if len(priorities):
        first = priorities.head(3)
        places = ", ".join(str(a) for a in first["area_name"])
        share = first["priority_top10_share"].iloc[0]
        sure = (
            f"; {first['area_name'].iloc[0]} is {page_frames.top10_sentence(float(share))}"
            if pd.notna(share) and share > 0
            else ""
        )
        asks.append(
            f"**Embed cohesion first in {places}**: the most need among {_possessive(name)} neighbourhoods whose "
            f"cohesion capacity is below London's median (London priority {_int(first['priority_rank'].iloc[0])}"
            f"{sure})."
        )
    for line in [*borough_actions, *(line for _, _, lines in area_actions[:1] for line in lines)]:
        if len(asks) >= N_ASKS:
            break
        if line not in asks:
            asks.append(line)
    return asks


# --- Charts ---------------------------------------------------------------------------------------------------------


def profile_png(profile: pd.DataFrame, *, width_px: int = 1380, height_px: int = 560) -> bytes:
    """The pillar profile as a dot plot (as `pillar_profile.profile_chart`): borough, neighbours, London average."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    dpi = width_px / 6.9
    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi, facecolor="#ffffff")
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.36, 0.22, 0.61, 0.74))
    labels = list(dict.fromkeys(profile["label"]))
    y = {label: len(labels) - 1 - k for k, label in enumerate(labels)}
    near = profile[profile["kind"] == "neighbour"].dropna(subset=["score"])
    ax.scatter(
        near["score"],
        near["label"].map(y),
        s=40,
        facecolors="none",
        edgecolors=pillar_profile.NEIGHBOUR_COLOUR,
        linewidths=1.3,
        zorder=3,
    )
    london = profile[profile["kind"] == "london"]
    ax.scatter(
        london["score"],
        london["label"].map(y),
        marker="|",
        s=260,
        color=pillar_profile.LONDON_COLOUR,
        linewidths=2.2,
        zorder=4,
    )
    borough = profile[profile["kind"] == "borough"]
    shown = borough.dropna(subset=["score"])
    ax.scatter(
        shown["score"],
        shown["label"].map(y),
        s=85,
        color=pillar_profile.BOROUGH_COLOUR,
        edgecolors="#ffffff",
        linewidths=0.8,
        zorder=5,
    )
    for label in borough.loc[borough["score"].isna(), "label"]:
        ax.text(0.01, y[label], "no data for this borough", va="center", fontsize=7.5, color="#555555")
    ax.set_yticks(list(y.values()), list(y.keys()), fontsize=8)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.6, len(labels) - 0.4)
    ax.tick_params(axis="x", labelsize=7.5)
    ax.set_xlabel("Score: 0 = least need in London, 1 = most", fontsize=8)
    ax.grid(axis="x", color="#e3e3e3", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    who = str(borough["who"].iloc[0])
    handles = [
        Line2D([], [], ls="", marker="o", ms=7, mfc=pillar_profile.BOROUGH_COLOUR, mec="#ffffff", label=who),
        Line2D(
            [],
            [],
            ls="",
            marker="|",
            ms=12,
            mew=2.2,
            color=pillar_profile.LONDON_COLOUR,
            label="London average (33 boroughs)",
        ),
    ]
    if len(near):
        handles.append(
            Line2D(
                [],
                [],
                ls="",
                marker="o",
                ms=6,
                mfc="none",
                mec=pillar_profile.NEIGHBOUR_COLOUR,
                mew=1.3,
                label="Statistical neighbours",
            )
        )
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.01, 0.0), ncols=3, fontsize=7.5, frameon=False)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()


# --- Layout ---------------------------------------------------------------------------------------------------------

#: Characters the built-in fonts (WinAnsi) lack, with what to print instead.
_PLAIN = str.maketrans({"→": "->", "←": "<-", "≥": ">=", "≤": "<=", "−": "-", "\u2009": " ", "\u202f": " ", "≈": "~"})
_FONT, _BOLD = "Helvetica", "Helvetica-Bold"
_INK, _MUTED, _RULE = colors.HexColor("#1a1a1a"), colors.HexColor("#555555"), colors.HexColor("#bbbbbb")
_FRAME_WIDTH = A4[0] - 36 * mm


def _plain(value: object) -> str:
    """Text a built-in font can print: characters outside WinAnsi replaced."""
    return str(value).translate(_PLAIN).encode("cp1252", errors="replace").decode("cp1252")


def _text(value: object) -> str:
    """Text safe for a Paragraph in a built-in font: markup escaped, characters outside WinAnsi replaced."""
    return html.escape(_plain(value), quote=False)


def _md(text: str) -> str:
    """The app's light markdown (**bold**, *italic*) as Paragraph markup."""
    out = _text(text)
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    return re.sub(r"\*(.+?)\*", r"<i>\1</i>", out)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=_FONT, fontSize=9.2, leading=12.2, textColor=_INK, alignment=TA_LEFT)
    return {
        "body": base,
        "title": ParagraphStyle("title", base, fontName=_BOLD, fontSize=18, leading=22, spaceAfter=2),
        "subtitle": ParagraphStyle("subtitle", base, fontSize=9.5, textColor=_MUTED, spaceAfter=8),
        "h2": ParagraphStyle("h2", base, fontName=_BOLD, fontSize=12.5, leading=15, spaceBefore=10, spaceAfter=4),
        "h3": ParagraphStyle(
            "h3", base, fontName=_BOLD, fontSize=9.6, leading=12, spaceBefore=6, spaceAfter=2, keepWithNext=1
        ),
        "small": ParagraphStyle("small", base, fontSize=7.8, leading=10, textColor=_MUTED),
        "cell": ParagraphStyle("cell", base, fontSize=7.9, leading=9.6),
        "head": ParagraphStyle("head", base, fontName=_BOLD, fontSize=7.9, leading=9.6),
        "warn": ParagraphStyle("warn", base, fontSize=8.8, leading=11.5, textColor=colors.HexColor("#7a3e00")),
    }


def _table(
    header: Sequence[str], rows: Sequence[Sequence[object]], widths_mm: Sequence[float], st: dict[str, ParagraphStyle]
) -> Table:
    """A plain table: bold header repeated on each page, thin rules, every cell a wrapped Paragraph."""
    data = [[Paragraph(_text(h), st["head"]) for h in header]]
    data += [[c if isinstance(c, Flowable) else Paragraph(_text(c), st["cell"]) for c in r] for r in rows]
    table = Table(data, colWidths=[w * mm for w in widths_mm], repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, _INK),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, _RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 2.2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
                ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return table


def _section(title: str, st: dict[str, ParagraphStyle], room_mm: float = 40) -> list[Flowable]:
    """A section heading that starts a new page when less than `room_mm` is left below it."""
    return [CondPageBreak(room_mm * mm), Paragraph(_text(title), st["h2"])]


def _bullets(items: Sequence[str], style: ParagraphStyle) -> list[Flowable]:
    """One bulleted paragraph per item (plain paragraphs, so a heading kept with the next one keeps its list)."""
    bullet = ParagraphStyle(f"{style.name}-bullet", style, leftIndent=11, bulletIndent=2, spaceAfter=1.5)
    return [Paragraph(_md(i), bullet, bulletText="•") for i in items]


def _image(png: bytes, width: float) -> Image:
    from PIL import Image as PILImage

    with PILImage.open(io.BytesIO(png)) as img:
        w, h = img.size
    return Image(io.BytesIO(png), width=width, height=width * h / w)


def _int(value: object) -> str:
    return "n/a" if value is None or pd.isna(value) else f"{float(value):.0f}"  # type: ignore[arg-type]


def _score(value: object) -> str:
    return "no data" if value is None or pd.isna(value) else f"{float(value):.2f}"  # type: ignore[arg-type]


def _headline(b: Briefing) -> str:
    r, name = b.headline, _text(b.borough_name)
    if pd.isna(r["need_rank"]):
        reason = f" ({_text(r['flag_reason'])})" if r.get("flag_reason") else ""
        rank = f"<b>{name}</b> has no need score{reason}."
    else:
        likely = page_frames.likely_range(pd.Series([r["need_rank_p05"]]), pd.Series([r["need_rank_p95"]])).iloc[0]
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
        likely = page_frames.likely_range(
            b.listed["priority_rank_p05"], b.listed["priority_rank_p95"], b.n_priorities_london
        )
        sure = page_frames.certainty_words(b.listed["priority_top10_share"])
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
            page_frames.TOP10_HEADING,
            page_frames.RANGE_HEADING,
        ]
        return _table(header, rows, (12, 33, 22, 17, 16, 20, 30, 24), st)
    likely = page_frames.likely_range(b.listed["rank_p05"], b.listed["rank_p95"])
    sure = page_frames.certainty_words(b.listed["top10_share"])
    rows = [
        [r.area_name, r.area_code, _score(r.value), _int(r.rank), s, lk]
        for r, s, lk in zip(b.listed.itertuples(), sure, likely, strict=True)
    ]
    header = [
        "Neighbourhood",
        "Code",
        "Need (0-1)",
        "London need rank",
        page_frames.TOP10_HEADING,
        page_frames.RANGE_HEADING,
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
    return "; ".join(f"{png_maps.short_title(r.title)} ({r.vintage})" for r in layers.itertuples())


def _method(st: dict[str, ParagraphStyle]) -> list[Flowable]:
    text = (
        framework.method_summary() + " Likely rank ranges are the 5th to 95th percentile of the rank over "
        f"{framework.DEFAULT_DRAWS:,} re-runs with other reasonable weights and normalisations, and 'in London's top "
        "10 in N% of re-runs' counts how often a place stays in the top 10: stable when the range is at most "
        f"{uncertainty.STABLE_MAX_PLACES} places wide, fairly stable at most {uncertainty.FAIRLY_STABLE_MAX_PLACES}, "
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


_RL_CONFIG_LOCK = threading.Lock()


@contextlib.contextmanager
def _binary_streams() -> Iterator[None]:
    """Write binary streams, not ASCII85, while building a PDF.

    Smaller files, and reportlab's pure-Python ASCII85 encoder took a third of the build time. reportlab reads the
    setting from its global config, hence the lock.
    """
    with _RL_CONFIG_LOCK:
        before = rl_config.useA85
        rl_config.useA85 = 0
        try:
            yield
        finally:
            rl_config.useA85 = before


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


def build_briefing(con: duckdb.DuckDBPyConnection, borough_code: str, *, generated_on: dt.date | None = None) -> bytes:
    """A borough's briefing as PDF bytes: content from the database, the map and profile drawn offline."""
    b = briefing_content(con, borough_code, generated_on=generated_on)
    map_png = png_maps.render_priority_map_png(con, borough_code, level=b.level, numbered=TOP_PRIORITIES)
    return render_pdf(b, map_png, profile_png(b.profile))
