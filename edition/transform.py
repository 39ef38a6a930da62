"""The TEI text of each document turned into its HTML by the one compiled stylesheet, xslt/edition.xsl."""

from __future__ import annotations

from functools import lru_cache

from lxml import etree

from . import resources
from .diagnostics import Diagnostic, warning
from .model import VIEWS, Document, Edition

MESSAGE_PREFIX = "edition:"


@lru_cache(maxsize=1)
def stylesheet() -> etree.XSLT:
    """xslt/edition.xsl compiled once; it imports one module per concern."""
    return etree.XSLT(etree.parse(str(resources.XSLT / "edition.xsl")))


def transform(edition: Edition) -> list[Diagnostic]:
    """Give every document its text as HTML in each view; return what the stylesheet reported."""
    diagnostics: list[Diagnostic] = []
    for document in edition.documents:
        for view in VIEWS:
            document.views[view], messages = transform_document(document, view)
            diagnostics.extend(messages)  # a message repeated by both views is reported once (Report.sorted)
    return diagnostics


def transform_document(document: Document, view: str = VIEWS[0]) -> tuple[str, list[Diagnostic]]:
    """The HTML of one document's text in one view, and the stylesheet's messages about it."""
    transformer = stylesheet()
    result = transformer(document.tree, **{"document-id": etree.XSLT.strparam(document.id),
                                           "view": etree.XSLT.strparam(view)})
    html = etree.tostring(result.getroot(), method="html", encoding="unicode") if result.getroot() is not None else ""
    return html, _messages(document, transformer.error_log)


def _messages(document: Document, log) -> list[Diagnostic]:
    # lxml cannot tell xsl:message from a libxslt warning, so our own messages carry a prefix. The log's line
    # numbers are the stylesheet's, not the document's, so the message is placed at the document's start.
    found = []
    for entry in log:
        text = entry.message.strip()
        if text.startswith(MESSAGE_PREFIX):
            found.append(warning(document.path, 1, 1, "transform", text[len(MESSAGE_PREFIX):].strip()))
    return found
