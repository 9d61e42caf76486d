"""Charts drawn by the app: the geometry of simple SVG charts, rendered by the templates
of components in impact/ (each chart comes with a table of the same figures)."""

from dataclasses import dataclass

from shared_apps.referential.formats import french_number

WIDTH = 640
LABEL_WIDTH = 210
BAR_HEIGHT = 22
GAP = 8


@dataclass
class Bar:
    label: str
    value: float | None
    text: str
    x: float = 0
    y: float = 0
    width: float = 0
    height: float = 0
    label_x: float = 0
    label_y: float = 0
    year: str = ""


def number_text(value, unit=""):
    if value is None:
        return "—"
    return f"{french_number(value, 1, trim_zeros=True)}{unit}"


def horizontal(rows, *, unit=""):
    """Bars from the left, one per row, labels on the left and values at the end."""
    top = max((row.value or 0 for row in rows), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 70
    bars = []
    for index, row in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        width = span * (row.value or 0) / top
        bars.append(
            Bar(
                label=row.label,
                value=row.value,
                text=number_text(row.value, unit),
                x=LABEL_WIDTH,
                y=y,
                width=round(width, 1),
                height=BAR_HEIGHT,
                label_x=LABEL_WIDTH + width + 6,
                label_y=y + BAR_HEIGHT * 0.7,
            )
        )
    return {"bars": bars, "width": WIDTH, "height": GAP + len(rows) * (BAR_HEIGHT + GAP)}


def vertical(rows, *, unit="", height=220):
    """Columns, one per row (months), labels under them."""
    top = max((row.value or 0 for row in rows), default=0) or 1
    plot = height - 60
    step = (WIDTH - 20) / max(len(rows), 1)
    bars = []
    for index, row in enumerate(rows):
        column = plot * (row.value or 0) / top
        x = 10 + index * step
        bars.append(
            Bar(
                label=row.label,
                value=row.value,
                text=number_text(row.value, unit),
                x=round(x + step * 0.15, 1),
                y=round(20 + plot - column, 1),
                width=round(step * 0.7, 1),
                height=round(column, 1),
                label_x=round(x + step / 2, 1),
                label_y=height - 24,
            )
        )
        month = row.extra.get("month")
        if month:  # a short month under the column, the year under January and the first
            bars[-1].label = row.label.split(" ")[0]
            bars[-1].year = str(month.year) if month.month == 1 or index == 0 else ""
    return {
        "bars": bars,
        "width": WIDTH,
        "height": height,
        "baseline": 20 + plot,
        "every": max(1, len(rows) // 12),
        "year_y": height - 8,
    }


def lines(rows, series, *, height=220):
    """One polyline per series (a key of row.extra, or "value"), months along x."""
    values = [
        (row.value if key == "value" else row.extra.get(key)) for row in rows for key in series
    ]
    top = max((v for v in values if v is not None), default=0) or 1
    plot = height - 50
    step = (WIDTH - 60) / max(len(rows) - 1, 1)
    result = []
    for key in series:
        points = []
        for index, row in enumerate(rows):
            value = row.value if key == "value" else row.extra.get(key)
            if value is not None:
                x = 40 + index * step
                y = 20 + plot - plot * value / top
                points.append((round(x, 1), round(y, 1)))
        result.append(
            {"key": key, "points": " ".join(f"{x},{y}" for x, y in points), "dots": points}
        )
    labels = [
        {"x": round(40 + index * step, 1), "text": row.label}
        for index, row in enumerate(rows)
        if index % max(1, len(rows) // 6) == 0
    ]
    return {
        "series": result,
        "labels": labels,
        "width": WIDTH,
        "height": height,
        "baseline": 20 + plot,
        "top": number_text(top),
    }
