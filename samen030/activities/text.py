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


def plain_text_converter() -> markdown.Markdown:
    """A Markdown converter to pass to plain_text() when converting thousands of texts (exports): building the
    parser costs more than converting one short description. Not for sharing between threads."""
    return markdown.Markdown()


def plain_text(text: str, *, converter: markdown.Markdown | None = None) -> str:
    """The description without any markup, for feeds, metadata and JSON-LD."""
    html = converter.reset().convert(text) if converter is not None else markdown.markdown(text)
    return nh3.clean(html, tags=set()).strip()
