"""Descriptions are written in Markdown; we turn them into HTML and keep only a small, safe set of tags."""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_SCHEMES = {"http", "https", "mailto", "tel"}


def render_markdown(text: str) -> str:
    """Markdown -> sanitised HTML: no scripts, no event handlers, no javascript: links; links get rel=nofollow."""
    html = markdown.markdown(text, extensions=["sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener",
        strip_comments=True,
    )


def plain_text(text: str) -> str:
    """The description without any markup, for feeds, metadata and JSON-LD."""
    return nh3.clean(markdown.markdown(text), tags=set()).strip()
