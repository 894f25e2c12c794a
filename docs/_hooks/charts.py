"""SVG charts of the benchmark result file (``benchmarks/results.json``), drawn at build time.

Plain SVG written by hand: no plotting library, no font to download, readable in both of the
site's colour schemes (text uses ``currentColor``).
"""

from __future__ import annotations

from html import escape
from statistics import median
from typing import Any

from benchmarks.report import _label
from benchmarks.targets import inprocess_table, scale_table

# The frameworks compared, in the report's order, with one colour each.
COLOURS = {
    "accord": "#3f51b5",
    "fastapi": "#009485",
    "litestar": "#e0a100",
    "litestar-msgspec": "#c2185b",
    "starlette": "#9e9e9e",
}
NAMES = {
    "accord": "Accord",
    "fastapi": "FastAPI",
    "litestar": "Litestar",
    "litestar-msgspec": "Litestar + msgspec",
    "starlette": "Starlette (hand-written)",
}
FONT = 'font-family="system-ui, sans-serif" font-size="12" fill="currentColor"'
WIDTH = 760


def _svg(height: int, title: str, body: list[str]) -> str:
    return "\n".join(
        [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
            f'width="{WIDTH}" height="{height}" role="img" color="#444">',
            f"<title>{escape(title)}</title>",
            *body,
            "</svg>",
            "",
        ]
    )


def _legend(y: int, apps: list[str]) -> list[str]:
    parts, x = [], 10
    for app in apps:
        parts.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{COLOURS[app]}"/>')
        parts.append(f'<text x="{x + 18}" y="{y}" {FONT}>{escape(NAMES[app])}</text>')
        x += 30 + 8 * len(NAMES[app])
    return parts


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 100 else f"{value:.1f}"


def inprocess_chart(doc: dict[str, Any]) -> str:
    """Grouped bars: CPU µs per request for each endpoint, one bar per framework.

    Each endpoint is scaled on its own (its slowest framework spans the bar area), so a 9 µs
    endpoint and a 1,000 µs one are both readable.
    """
    data = inprocess_table(doc)
    apps = [a for a in COLOURS if any(a in row for row in data.values())]
    bar, gap, left, right = 14, 18, 190, 80
    body = _legend(20, apps)
    y = 40
    for key, row in data.items():
        values = {a: row[a] for a in apps if row.get(a) is not None}
        if not values:
            continue
        top = max(v for v in values.values() if v is not None)
        body.append(
            f'<text x="10" y="{y + bar * len(apps) / 2 + 4}" {FONT}>{escape(_label(key))}</text>'
        )
        for i, app in enumerate(apps):
            value = values.get(app)
            if value is None:
                continue
            length = (WIDTH - left - right) * value / top
            yy = y + i * bar
            body.append(
                f'<rect x="{left}" y="{yy}" width="{length:.1f}" height="{bar - 2}" '
                f'fill="{COLOURS[app]}"><title>{escape(NAMES[app])}: {_number(value)} µs'
                "</title></rect>"
            )
            body.append(
                f'<text x="{left + length + 4:.1f}" y="{yy + bar - 4}" {FONT}>'
                f"{_number(value)}</text>"
            )
        y += bar * len(apps) + gap
    title = "In-process CPU microseconds per request (median; lower is better)"
    return _svg(y, title, body)


def _line_chart(
    series: dict[str, dict[int, float]], title: str, y_label: str, x_label: str
) -> str:
    sizes = sorted({size for points in series.values() for size in points})
    top = max(v for points in series.values() for v in points.values())
    left, right, upper, lower = 70, 30, 40, 50
    height = 320
    plot_w, plot_h = WIDTH - left - right, height - upper - lower
    body = _legend(20, list(series))

    def x_of(size: int) -> float:
        return left + plot_w * (sizes.index(size) / max(len(sizes) - 1, 1))

    def y_of(value: float) -> float:
        return upper + plot_h * (1 - value / top)

    for tick in range(5):
        value = top * tick / 4
        y = y_of(value)
        body.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="currentColor" stroke-opacity="0.15"/>'
        )
        body.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" {FONT}>'
                    f"{_number(value)}</text>")
    for size in sizes:
        body.append(f'<text x="{x_of(size):.1f}" y="{height - lower + 18}" text-anchor="middle" '
                    f"{FONT}>{size:,}</text>")
    body.append(f'<text x="{left + plot_w / 2}" y="{height - 8}" text-anchor="middle" {FONT}>'
                f"{escape(x_label)}</text>")
    body.append(f'<text x="14" y="{upper + plot_h / 2}" text-anchor="middle" {FONT} '
                f'transform="rotate(-90 14 {upper + plot_h / 2})">{escape(y_label)}</text>')
    for app, points in series.items():
        coords = " ".join(f"{x_of(s):.1f},{y_of(v):.1f}" for s, v in sorted(points.items()))
        body.append(f'<polyline points="{coords}" fill="none" stroke="{COLOURS[app]}" '
                    'stroke-width="2.5"/>')
        for size, value in sorted(points.items()):
            body.append(
                f'<circle cx="{x_of(size):.1f}" cy="{y_of(value):.1f}" r="4" '
                f'fill="{COLOURS[app]}"><title>{escape(NAMES[app])}, {size:,} routes: '
                f"{_number(value)}</title></circle>"
            )
    return _svg(height, title, body)


def scale_chart(doc: dict[str, Any]) -> str:
    """Lines: µs for a request to the last route, against the number of routes."""
    series = {
        app: {int(size): value for size, value in sizes.items() if value is not None}
        for app, sizes in scale_table(doc).items()
        if app in COLOURS
    }
    return _line_chart(
        {a: p for a, p in series.items() if p},
        "CPU microseconds for a request to the last route, by number of routes",
        "µs per request",
        "routes in the app",
    )


def startup_series(doc: dict[str, Any]) -> dict[str, dict[int, float]]:
    """{app: {routes: median start-up seconds}} from the result file's start-up runs: the
    realistic app's curve when the file has it, else the scale app's single size."""
    startup = doc.get("startup") or doc.get("scale", {}).get("startup", {})
    series: dict[str, dict[int, float]] = {}
    for app, runs in startup.items():
        by_size: dict[int, list[float]] = {}
        for run in runs:
            if "startup_s" in run and "routes" in run:
                by_size.setdefault(int(run["routes"]), []).append(float(run["startup_s"]))
        if app in COLOURS and by_size:
            series[app] = {size: median(values) for size, values in by_size.items()}
    return series


def startup_chart(doc: dict[str, Any]) -> str:
    """Start-up seconds (import and registration) against the number of routes.

    With one route count in the file, the chart is one bar per framework at that count.
    """
    series = startup_series(doc)
    sizes = sorted({size for points in series.values() for size in points})
    if len(sizes) > 1:
        return _line_chart(
            series, "Start-up seconds (import + route registration), by number of routes",
            "seconds", "routes in the app"
        )
    bar, left, right = 22, 190, 80
    body = _legend(20, list(series))
    top = max(points[sizes[0]] for points in series.values())
    y = 40
    for app, points in series.items():
        value = points[sizes[0]]
        length = (WIDTH - left - right) * value / top
        body.append(f'<text x="10" y="{y + bar - 7}" {FONT}>{escape(NAMES[app])}</text>')
        body.append(f'<rect x="{left}" y="{y}" width="{length:.1f}" height="{bar - 4}" '
                    f'fill="{COLOURS[app]}"/>')
        body.append(f'<text x="{left + length + 4:.1f}" y="{y + bar - 7}" {FONT}>'
                    f"{value:.2f} s</text>")
        y += bar
    title = f"Start-up seconds with {sizes[0]:,} routes (import + registration)"
    return _svg(y + 10, title, body)


CHARTS = {
    "charts/inprocess.svg": inprocess_chart,
    "charts/scale.svg": scale_chart,
    "charts/startup.svg": startup_chart,
}
