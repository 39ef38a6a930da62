"""Encoding examples in the Markdown pages: each ```tei block is checked and rendered like a document.

A page documents an encoding convention by example: a fenced block whose info string is `tei <name>` holds a
piece of TEI; the page shows the code and, beneath it, the way the edition renders it in each view. The piece
is wrapped in a small document (EXAMPLE_DOCUMENT) whose header declares what examples may point to, then
validated against the edition's schema and rules like any document, so a page cannot teach an encoding the
build would reject: a wrong example is an error located at its line in the page.

`tei <name>` holds phrase content, wrapped in a paragraph; `tei body <name>` holds the content of a body
(paragraphs, lists, tables, a letter's opener and closer). The name titles the example's golden files in the
tests and makes its ids unique on the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from html import escape
from pathlib import Path

import lxml.html

from .diagnostics import Diagnostic, error
from .load import parse_document
from .model import VIEWS, Document
from .transform import transform_document
from .validate import validate_documents

LANGUAGE = "tei"
NAME = re.compile(r"^[a-z][a-z0-9-]*$")

# The document every example stands in. Its header declares the hands, the editors and the review office that
# examples point to; {fragment} starts on a line of its own, so lines and columns map back to the page.
EXAMPLE_DOCUMENT = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="example-{name}">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title>Encoding example {name}</title>
        <respStmt xml:id="editors"><resp>transcription and notes</resp><name>the editors</name></respStmt>
        <respStmt xml:id="review-office"><resp>declassification review</resp><name>the review office</name></respStmt>
      </titleStmt>
      <publicationStmt><p>An example of the edition's encoding guidelines.</p></publicationStmt>
      <sourceDesc>
        <msDesc>
          <msIdentifier><repository>Example archive</repository><idno>example</idno></msIdentifier>
          <physDesc>
            <handDesc>
              <handNote xml:id="hand-clerk">The registry clerk, in blue ink.</handNote>
              <handNote xml:id="hand-reviewer">The declassification reviewer, in pencil.</handNote>
            </handDesc>
          </physDesc>
        </msDesc>
      </sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>{open}
{fragment}
{close}</body>
  </text>
</TEI>
"""
FRAGMENT_LINE = EXAMPLE_DOCUMENT.split("{fragment}")[0].count("\n") + 1


@dataclass(frozen=True)
class Example:
    """One ```tei block of a page."""

    name: str
    source: str
    page: Path
    line: int  # the page's line holding the fragment's first line
    body: bool  # True: the content of a body; False: phrase content, wrapped in a paragraph

    @property
    def document_id(self) -> str:
        return f"example-{self.name}"

    def document_xml(self) -> str:
        wrap = ("", "") if self.body else (f'<p xml:id="{self.name}-p1">', "</p>")
        return EXAMPLE_DOCUMENT.format(name=self.name, open=wrap[0], fragment=self.source.rstrip("\n"),
                                       close=wrap[1])


def example_from_fence(page: Path, info: str, content: str, fence_line: int) -> Example | None:
    """The example a fenced block holds, or None when it is not a ```tei block."""
    words = info.split()
    if not words or words[0] != LANGUAGE:
        return None
    body = len(words) > 1 and words[1] == "body"
    rest = words[2:] if body else words[1:]
    name = rest[0] if rest else f"line-{fence_line}"
    return Example(name=name, source=content, page=page, line=fence_line + 1, body=body)


def check(example: Example) -> tuple[Document | None, list[Diagnostic]]:
    """The example's document, valid, or what is wrong with it, located in the page."""
    if not NAME.match(example.name):
        return None, [error(example.page, example.line - 1, 1, "example-name",
                            f"example name '{example.name}' is not usable: write ```tei followed by a name in "
                            "lower case letters, digits and hyphens, e.g. ```tei withheld-lines")]
    document, problems = parse_document(example.page, example.document_xml().encode("utf-8"))
    if document is None:
        return None, [_in_page(example, d) for d in problems]
    # An example is not published for citation: its stamps and notes need no ids of their own.
    problems = [d for d in validate_documents([document]) if d.code != "citable-id"]
    return (None if problems else document), [_in_page(example, d) for d in problems]


def render(example: Example, document: Document) -> str:
    """The example as the page shows it: the code, then the text in each view."""
    views = []
    for view in VIEWS:
        html, _ = transform_document(document, view)
        name = f"{example.document_id}--{view}-name"
        views.append(f'<div class="example-view"><p class="example-view-name" id="{name}">{view.capitalize()} view</p>\n'
                     f"{_ids_of_view(html, view, name)}</div>")
    return (f'<figure class="example" id="{example.document_id}">\n'
            f'<pre class="example-source"><code class="language-xml">{escape(example.source)}</code></pre>\n'
            f'<div class="example-views">\n{"".join(views)}\n</div>\n</figure>\n')


def _ids_of_view(html: str, view: str, name: str) -> str:
    # Both views of an example stand on one page, where an id may occur once: each view's ids, and the links
    # within it, get the view's name as a suffix. A labelled region (the notes) is labelled with the view's
    # name too, so the two regions' names differ ("Notes, Reading view").
    fragment = lxml.html.fragment_fromstring(html, create_parent="div")
    for element in fragment.iter():
        if element.get("id"):
            element.set("id", f"{element.get('id')}--{view}")
        if element.get("aria-labelledby"):
            element.set("aria-labelledby", f"{element.get('aria-labelledby')}--{view} {name}")
        if element.get("href", "").startswith("#"):
            element.set("href", f"{element.get('href')}--{view}")
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in fragment)


def _in_page(example: Example, diagnostic: Diagnostic) -> Diagnostic:
    # A problem outside the fragment (in the wrapping document) is placed at the fence.
    offset = diagnostic.line - FRAGMENT_LINE
    inside = 0 <= offset < example.source.count("\n") + 1
    line = example.line + offset if inside else example.line - 1
    message = diagnostic.message if inside else f"{diagnostic.message} (in example '{example.name}')"
    return replace(diagnostic, path=example.page, line=line, col=diagnostic.col if inside else 1,
                   message=message)
