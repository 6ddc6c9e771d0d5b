"""Markdown to safe HTML: Python-Markdown, then the nh3 allow-list sanitizer.

The sanitizer's output is the only HTML from content that templates print as it is: it is
marked ``Markup`` here, where it is made, and Jinja's autoescape escapes everything else."""

from __future__ import annotations

import markdown
import nh3
from markupsafe import Markup

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "s", "strong", "sub", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul", "figure", "figcaption", "span",
}
_ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "abbr": {"title"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
}

_md = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")


def sanitize(html: str) -> Markup:
    return Markup(nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer",
    ))


def render(text: str, demote: int = 0) -> Markup:
    """Render Markdown to sanitized HTML; ``demote`` shifts headings down (h1 → h2...)."""
    html = _md.reset().convert(text)
    if demote:
        for level in range(6 - demote, 0, -1):
            html = html.replace(f"<h{level}", f"<h{level + demote}").replace(f"</h{level}>", f"</h{level + demote}>")
    return sanitize(html)
