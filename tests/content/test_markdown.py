"""The one Markdown renderer: what survives sanitising, and what never does."""
from html.parser import HTMLParser

import pytest

from trainer.content.markdown import render, sanitise


class Elements(HTMLParser):
    """Every element and attribute in a piece of HTML (text, including escaped markup, is ignored)."""

    def __init__(self, html: str):
        super().__init__()
        self.tags, self.attributes, self.comments = [], [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]

    def handle_comment(self, data):
        self.comments.append(data)


DANGEROUS = [
    "Hello <script>alert(1)</script>",
    "<script>\nalert(1)\n</script>\n\nText",
    '<img src="x" onerror="alert(1)">',
    'Click <a href="#" onclick="steal()">here</a>',
    "[win](javascript:alert(1))",
    "[win](JaVaScRiPt:alert(1))",
    "[win](  javascript:alert(1))",
    "[page](data:text/html;base64,PHNjcmlwdD4=)",
    "![pixel](data:image/png;base64,AAAA)",
    '<iframe src="https://example.org"></iframe>',
    "<style>body { display: none }</style>",
    '<div style="position:fixed">cover</div>',
    "<!-- hidden --> text",
    "<object data='x.swf'></object>",
    '<svg onload="alert(1)"></svg>',
]


@pytest.mark.parametrize("source", DANGEROUS)
def test_dangerous_input_is_removed_or_inert(source):
    found = Elements(render(source).html)
    assert not set(found.tags) & {"script", "style", "iframe", "object", "embed", "svg"}
    assert not [a for a in found.attributes if a[1].startswith("on") or a[1] == "style"]
    assert not [a for a in found.attributes if a[1] in ("href", "src")
                and a[2].strip().lower().startswith(("javascript:", "data:"))]
    assert not found.comments


def test_raw_html_shows_as_text_rather_than_markup():
    assert "&lt;b&gt;bold&lt;/b&gt;" in render("a <b>bold</b> claim").html


def test_sanitiser_drops_event_handlers_and_bad_schemes_from_html_it_is_given():
    html = sanitise('<p onmouseover="x()">Hi <a href="javascript:x()">a</a> <a href="vbscript:y">b</a></p>'
                    '<script>z()</script>')
    assert html == '<p>Hi <a rel="noopener noreferrer">a</a> <a rel="noopener noreferrer">b</a></p>'


@pytest.mark.parametrize("link", ["https://example.org/x", "http://example.org", "mailto:staff@example.org",
                                  "../other-module", "#section"])
def test_safe_links_keep_their_target(link):
    assert f'href="{link}"' in render(f"[go]({link})").html


def test_headings_get_anchors_and_a_table_of_contents():
    rendered = render("Intro\n\n## Fish & chips\n\ntext\n\n### Sub point\n\n#### Too deep\n\n## Main\n")
    assert '<h2 id="fish-chips">Fish &amp; chips</h2>' in rendered.html
    assert [(t.level, t.id, t.title) for t in rendered.toc] == [
        (2, "fish-chips", "Fish & chips"), (3, "sub-point", "Sub point"), (2, "section-main", "Main")]


def test_tables_render_with_alignment_attributes_not_styles():
    html = render("| a | b |\n|:--|--:|\n| 1 | 2 |\n").html
    assert '<table>' in html and '<th align="left">a</th>' in html and '<td align="right">2</td>' in html
    assert "style=" not in html


def test_footnotes_render_in_the_order_they_are_defined():
    html = render("- one[^a]\n\nMain text.[^b]\n\n[^a]: First note.\n[^b]: Second note.\n").html
    assert '<sup id="fnref:a"><a class="footnote-ref" href="#fn:a"' in html
    assert '<div class="footnote">' in html and '<li id="fn:a">' in html
    assert html.index("First note") < html.index("Second note")
