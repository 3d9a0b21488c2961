"""Server-rendered SVG charts: valid SVG, points where the data says, labels escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from web.practice.charts import Point, line_chart, pace_chart

NS = {"s": "http://www.w3.org/2000/svg"}


def test_pace_chart_draws_every_window_and_the_good_band() -> None:
    series = [
        {"start": 0.0, "end": 10.0, "value": 100},
        {"start": 5.0, "end": 15.0, "value": 150},
        {"start": 10.0, "end": 20.0, "value": 200},
    ]
    svg = pace_chart(
        series,
        {"slow_below": 110, "fast_above": 170},
        title="속도 <빠름>",
        description="d",
        unit_label="wpm",
        chart_id="c1",
    )
    root = ET.fromstring(svg)
    assert root.get("viewBox") == "0 0 640 300" and root.get("role") == "img"
    title = root.find("s:title", NS)
    assert title is not None and title.text == "속도 <빠름>"  # escaped in the markup, intact when parsed
    circles = root.findall("s:circle", NS)
    assert len(circles) == 3
    ys = [float(c.attrib["cy"]) for c in circles]
    assert ys[0] > ys[1] > ys[2]  # faster is higher
    xs = [float(c.attrib["cx"]) for c in circles]
    assert xs[0] < xs[1] < xs[2]
    band = root.find("s:rect", NS)
    assert band is not None and float(band.attrib["height"]) > 0
    assert root.find("s:polyline", NS) is not None


def test_progress_chart_labels_sessions_and_handles_one_point() -> None:
    svg = line_chart([Point(0, 4.0, "11.25")], title="t", description="d", y_label="", x_is_time=False)
    root = ET.fromstring(svg)
    assert len(root.findall("s:circle", NS)) == 1 and root.find("s:polyline", NS) is None
    assert "11.25" in svg
    many = line_chart(
        [Point(i, float(i), f"d{i}") for i in range(7)],
        title="t",
        description="d",
        y_label="",
        x_is_time=False,
    )
    labels = [t.text for t in ET.fromstring(many).findall("s:text", NS)]
    assert "d0" in labels and "d6" in labels and "d3" in labels and "d1" not in labels
