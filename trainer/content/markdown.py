"""The one Markdown renderer: Python-Markdown, then nh3 with an explicit allow-list.

Raw HTML in the source is escaped (shown as text), never passed through; nh3
then removes anything outside the allow-list, so script, style, iframes, event
handlers and javascript:/data: links cannot reach a page.
"""
import html as htmllib
from dataclasses import dataclass

import markdown as pymarkdown
import nh3
from markdown.extensions.toc import slugify

# Part of every content hash: bump it when the output changes, so a sync re-renders.
RENDERER_VERSION = "1"
TOC_LEVELS = (2, 3)
RESERVED_IDS = {"main", "module-body", "objectives-title", "status-side", "status-end"}  # the page's own ids

TAGS = {"p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
        "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub",
        "div", "img", "dl", "dt", "dd", "abbr", "del"}
ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"align"}, "td": {"align"},
    "li": {"id"}, "sup": {"id"},
    **{f"h{n}": {"id"} for n in range(1, 7)},
}
CLASSES = {"div": {"footnote"}, "a": {"footnote-ref", "footnote-backref"}}
URL_SCHEMES = {"http", "https", "mailto"}  # and relative links, which have no scheme


@dataclass(frozen=True)
class TocEntry:
    """A heading in the table of contents."""

    level: int
    id: str
    title: str


@dataclass(frozen=True)
class Rendered:
    """Sanitised HTML and its table of contents."""

    html: str
    toc: tuple[TocEntry, ...]


def _slugify(value: str, separator: str) -> str:
    slug = slugify(value, separator) or "section"
    return f"section-{slug}" if slug in RESERVED_IDS else slug


def _converter() -> pymarkdown.Markdown:
    md = pymarkdown.Markdown(
        extensions=["tables", "footnotes", "toc", "sane_lists"],
        extension_configs={"toc": {"toc_depth": "2-3", "slugify": _slugify},
                           "footnotes": {"USE_DEFINITION_ORDER": True},
                           "tables": {"use_align_attribute": True}},
        output_format="html",
    )
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def _flatten(tokens) -> list[TocEntry]:
    entries = []
    for token in tokens:
        if token["level"] in TOC_LEVELS:
            entries.append(TocEntry(token["level"], token["id"], htmllib.unescape(token["name"])))
        entries.extend(_flatten(token["children"]))
    return entries


def sanitise(html: str) -> str:
    """Keep only allow-listed tags, attributes, classes and link schemes."""
    return nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, allowed_classes=CLASSES,
                     url_schemes=URL_SCHEMES, clean_content_tags={"script", "style"},
                     link_rel="noopener noreferrer", strip_comments=True)


def render(text: str) -> Rendered:
    """Markdown to sanitised HTML, with headings anchored and listed for a table of contents."""
    md = _converter()
    html = md.convert(text)
    return Rendered(html=sanitise(html), toc=tuple(_flatten(md.toc_tokens)))
