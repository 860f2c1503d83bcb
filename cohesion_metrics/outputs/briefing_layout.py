"""The briefing PDF's building blocks on reportlab: plain-text cells, paragraph styles, tables, images, bullets.

reportlab's built-in Helvetica only (no font files, no network); text outside its encoding is made plain first.
"""

from __future__ import annotations

import contextlib
import html
import io
import re
import threading
from collections.abc import Iterator, Sequence

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    Image,
    Paragraph,
    Table,
    TableStyle,
)

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
