"""The SVG chart: escaped text, bars in proportion, a text alternative, unique ids."""
import xml.etree.ElementTree as ET

from trainer.hours.chart import ChartRow, hours_chart, hours_text

NS = {"s": "http://www.w3.org/2000/svg"}


def draw(app, rows, chart_id, title) -> str:
    """The chart as the page draws it."""
    macro = app.jinja_env.get_template("hours/_chart.html").module.chart_svg
    return str(macro(hours_chart(rows, chart_id, title)))


def parse(markup) -> ET.Element:
    return ET.fromstring(str(markup))


def test_bars_are_in_proportion_to_the_largest_value(app):
    svg = parse(draw(app, [ChartRow("Direct", 20, 5, 40), ChartRow("Supervision", 6, 0, 12)], "c1", "Hours"))
    approved = [r.get("width") for r in svg.iterfind(".//s:rect[@class='chart-approved']", NS)]
    pending = [r.get("width") for r in svg.iterfind(".//s:rect[@class='chart-pending']", NS)]
    targets = [line.get("x1") for line in svg.iterfind(".//s:line[@class='chart-target']", NS)]
    assert approved == ["48.08%", "14.42%"] and pending == ["12.02%", "0.00%"]
    assert targets == ["96.15%", "28.85%"]
    assert svg.find(".//s:rect[@class='chart-pending']", NS).get("fill") == "url(#c1-hatch)"


def test_text_alternative_and_accessible_name(app):
    svg = parse(draw(app, [ChartRow("Direct", 12.5, 0.25, 40)], "c2", "Hours by requirement"))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "c2-title c2-desc"
    assert svg.find("s:title", NS).text == "Hours by requirement"
    assert svg.find("s:desc", NS).text == "Direct: 12.5 h approved, 0.25 h pending, target 40 h"
    values = [t.text for t in svg.iterfind(".//s:text[@class='chart-value']", NS)]
    assert values == ["12.5 h approved, 0.25 h pending of 40 h"]


def test_labels_are_escaped(app):
    markup = (draw(app, [ChartRow('<script>alert("x")</script>', 1, 0, 2)], 'id"><x', "T & <b>"))
    assert "<script>" not in markup and "&lt;script&gt;" in markup and "T &amp; &lt;b&gt;" in markup
    assert 'id"><x' not in markup
    parse(markup)  # still well-formed


def test_over_target_and_empty_charts_stay_inside(app):
    svg = parse(draw(app, [ChartRow("Done", 50, 10, 40)], "c3", "T"))
    assert svg.find(".//s:rect[@class='chart-approved']", NS).get("width") == "80.13%"
    empty = parse(draw(app, [], "c4", "T"))
    assert empty.find("s:desc", NS).text == "No hour requirements."


def test_hours_text():
    assert [hours_text(v) for v in (40, 12.5, 0.25, 0)] == ["40", "12.5", "0.25", "0"]
