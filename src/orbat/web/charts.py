"""Plotly figures as plain dicts (JSON), drawn in the browser by the bundled plotly.min.js.

The Python plotly package is only used for its JavaScript file; figures are built here by
hand so that the app and the HTML report draw the same charts.
"""
from __future__ import annotations

import html
import json
from typing import Any

KIND_COLOURS = {"government": "#1f77b4", "military": "#d62728", "intelligence": "#9467bd",
                "analyst": "#2ca02c", "media": "#ff7f0e", "ngo": "#17becf",
                "unknown": "#7f7f7f"}
BAND = "rgba(31,119,180,0.18)"
BAND2 = "rgba(31,119,180,0.35)"


def _layout(title: str, ytitle: str, xtitle: str = "") -> dict[str, Any]:
    return {"title": {"text": title, "font": {"size": 15}}, "margin": {"l": 60, "r": 20, "t": 40, "b": 45},
            "xaxis": {"title": {"text": xtitle}}, "yaxis": {"title": {"text": ytitle}, "rangemode": "tozero"},
            "legend": {"orientation": "h", "y": -0.2}, "height": 380, "hovermode": "closest"}


def history_figure(hist: list[dict[str, Any]], points: list[dict[str, Any]], title: str,
                   ytitle: str) -> dict[str, Any]:
    """The pooled band over time (step), its median, and each claim as a point with its own
    10-90% interval, coloured by source kind; ``customdata`` carries the claim's link."""
    xs = [h["date"] for h in hist]
    data: list[dict[str, Any]] = []
    if hist:
        data += [
            {"type": "scatter", "x": xs, "y": [h["p90"] for h in hist], "mode": "lines",
             "line": {"width": 0, "shape": "hv"}, "showlegend": False, "hoverinfo": "skip"},
            {"type": "scatter", "x": xs, "y": [h["p10"] for h in hist], "mode": "lines",
             "line": {"width": 0, "shape": "hv"}, "fill": "tonexty", "fillcolor": BAND,
             "name": "pooled 10-90%"},
            {"type": "scatter", "x": xs, "y": [h["median"] for h in hist], "mode": "lines",
             "line": {"color": "black", "shape": "hv"}, "name": "pooled median"},
        ]
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for p in points:
        by_kind.setdefault(p.get("source_kind") or "unknown", []).append(p)
    for kind, pts in sorted(by_kind.items()):
        data.append({
            "type": "scatter", "mode": "markers", "name": f"claims: {kind}",
            "x": [p["date"] for p in pts], "y": [p["value"] for p in pts],
            "error_y": {"type": "data", "symmetric": False,
                        "array": [max(0.0, p["high"] - p["value"]) for p in pts],
                        "arrayminus": [max(0.0, p["value"] - p["low"]) for p in pts],
                        "color": KIND_COLOURS.get(kind, "#7f7f7f"), "thickness": 1},
            "marker": {"size": 9, "color": KIND_COLOURS.get(kind, "#7f7f7f")},
            "text": [html.escape(f"{p.get('source') or '(writer)'}: {p.get('text', '')}") for p in pts],
            "customdata": [p.get("href", "") for p in pts],
            "hovertemplate": "%{text}<br>%{y:,.0f}<extra></extra>"})
    return {"data": data, "layout": _layout(title, ytitle, "published")}


def fan_figure(table, quantity: str, side: str, front: str) -> dict[str, Any]:
    """A fan chart (5-95% and 25-75% bands, median) of one series of a simulation."""
    d = table[(table.quantity == quantity) & (table.side == side) & (table.front == front)]
    day = [float(v) for v in d.day]

    def col(c):
        return [float(v) for v in d[c]]

    data = [
        {"type": "scatter", "x": day, "y": col("p95"), "mode": "lines", "line": {"width": 0},
         "showlegend": False, "hoverinfo": "skip"},
        {"type": "scatter", "x": day, "y": col("p05"), "mode": "lines", "line": {"width": 0},
         "fill": "tonexty", "fillcolor": BAND, "name": "5-95%"},
        {"type": "scatter", "x": day, "y": col("p75"), "mode": "lines", "line": {"width": 0},
         "showlegend": False, "hoverinfo": "skip"},
        {"type": "scatter", "x": day, "y": col("p25"), "mode": "lines", "line": {"width": 0},
         "fill": "tonexty", "fillcolor": BAND2, "name": "25-75%"},
        {"type": "scatter", "x": day, "y": col("p50"), "mode": "lines",
         "line": {"color": "#1f4e79"}, "name": "median"},
    ]
    label = f"{front}: {side + ' ' if side else ''}{quantity}"
    layout = _layout(label, "km2" if quantity == "territory" else "troops", "day")
    layout.update(height=330, legend={"orientation": "h", "y": -0.28})
    return {"data": data, "layout": layout}


def time_to_event_figure(table, descriptions: dict[str, str]) -> dict[str, Any]:
    """Cumulative probability that each event has happened, by day (over all draws)."""
    data = []
    for event, part in table.groupby("event", sort=False):
        data.append({"type": "scatter", "mode": "lines", "name": html.escape(descriptions.get(event) or event),
                     "x": [float(v) for v in part.day], "y": [float(v) for v in part.cumulative_probability],
                     "line": {"shape": "hv"}})
    layout = _layout("Time to event", "probability it has happened", "day")
    layout["yaxis"].update(range=[0, 1], tickformat=".0%")
    layout.update(height=360, legend={"orientation": "h", "y": -0.25})
    return {"data": data, "layout": layout}


def to_json(fig: dict[str, Any]) -> str:
    """JSON safe to place inside a <script type="application/json"> element."""
    text = json.dumps(_finite(fig), default=str, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _finite(obj: Any) -> Any:
    """NaN and infinities as null (JSON has no NaN)."""
    if isinstance(obj, float):
        return obj if obj == obj and abs(obj) != float("inf") else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj
