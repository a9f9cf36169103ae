"""Small charts drawn on the server as SVG: horizontal bars and a line. No JavaScript, no
external files — they show offline and inside PDFs. Each chart is an image with a title and a
description; the page puts the same numbers in a table beside it for screen readers.
"""

from collections.abc import Sequence
from decimal import Decimal
from itertools import count

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT, BAR_GAP, LABEL_WIDTH, WIDTH = 22, 8, 170, 560
LINE_HEIGHT, PADDING = 220, 36
COLOURS = ["#1d5fa8", "#c0392b", "#2e7d32", "#8e44ad"]
_ids = count(1)


def _number(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return f"{value:.1f}".replace(".", ",")
    return f"{value:,}".replace(",", ".")


def _short(label: str, limit: int = 26) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def bars(
    title: str, items: Sequence[tuple[str, int | Decimal | None]], *, scale=None
) -> SafeString:
    """Horizontal bars, one per (label, value); ``None`` values draw no bar and print "—".
    ``scale`` fixes the full width (100 for percentages); otherwise the largest value."""
    ident = f"chart-{next(_ids)}"
    top = max([v for _label, v in items if v is not None] or [0])
    full = Decimal(scale or top or 1)
    height = max(1, len(items)) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    span = WIDTH - LABEL_WIDTH - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" aria-labelledby="{ident}-t">',
        f'<title id="{ident}-t">{escape(title)}</title>',
    ]
    for row, (label, value) in enumerate(items):
        y = BAR_GAP + row * (BAR_HEIGHT + BAR_GAP)
        parts.append(
            f'<text x="0" y="{y + 15}" font-size="12" fill="#222">{escape(_short(label))}</text>'
        )
        if value is not None:
            width = int(span * min(Decimal(value), full) / full) if full else 0
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{max(width, 1)}" '
                f'height="{BAR_HEIGHT}" fill="{COLOURS[0]}"/>'
            )
        x = LABEL_WIDTH + (int(span * min(Decimal(value), full) / full) if value else 0) + 6
        parts.append(f'<text x="{x}" y="{y + 15}" font-size="12">{_number(value)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above


def lines(
    title: str, labels: Sequence[str], series: Sequence[tuple[str, Sequence]], *, scale=None
) -> SafeString:
    """One polyline per (name, values) over the shared ``labels`` (months); gaps for ``None``."""
    ident = f"chart-{next(_ids)}"
    values = [v for _name, vs in series for v in vs if v is not None]
    top = Decimal(scale or max(values or [0]) or 1)
    plot_w, plot_h = WIDTH - 2 * PADDING, LINE_HEIGHT - 2 * PADDING
    step = plot_w / max(1, len(labels) - 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {LINE_HEIGHT + 20}" width="100%" aria-labelledby="{ident}-t">',
        f'<title id="{ident}-t">{escape(title)}</title>',
        f'<line x1="{PADDING}" y1="{PADDING + plot_h}" x2="{PADDING + plot_w}" '
        f'y2="{PADDING + plot_h}" stroke="#888"/>',
        f'<text x="2" y="{PADDING + 4}" font-size="11">{_number(top)}</text>',
    ]
    for i, label in enumerate(labels):
        x = PADDING + i * step
        parts.append(
            f'<text x="{x:.0f}" y="{PADDING + plot_h + 16}" font-size="10" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    for n, (name, vs) in enumerate(series):
        colour = COLOURS[n % len(COLOURS)]
        points = [
            f"{PADDING + i * step:.0f},{PADDING + plot_h - float(Decimal(v) / top) * plot_h:.0f}"
            for i, v in enumerate(vs)
            if v is not None
        ]
        if points:
            parts.append(
                f'<polyline fill="none" stroke="{colour}" stroke-width="2" '
                f'points="{" ".join(points)}"/>'
            )
        parts.append(
            f'<text x="{PADDING + n * 180}" y="{LINE_HEIGHT + 14}" font-size="12" '
            f'fill="{colour}">■ {escape(name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above
