"""The TEI text of each document turned into its HTML by the one compiled stylesheet, xslt/edition.xsl."""

from __future__ import annotations

import posixpath
from functools import lru_cache
from typing import Callable, Iterator
from urllib.parse import urlsplit

from lxml import etree

from . import cite, resources, workers
from .diagnostics import Diagnostic, warning
from .model import VIEWS, Document, Edition

MESSAGE_PREFIX = "edition:"


@lru_cache(maxsize=1)
def stylesheet() -> etree.XSLT:
    """xslt/edition.xsl compiled once; it imports one module per concern."""
    return etree.XSLT(etree.parse(str(resources.XSLT / "edition.xsl")))


def transform(edition: Edition, processes: int | None = None, documents: list[Document] | None = None,
              done: Callable[[int], None] | None = None) -> list[Diagnostic]:
    """Give every document (or only those of `documents`) its text as HTML in each view, and what the
    stylesheet said of it; return all it said. Large editions are transformed on a pool of worker processes,
    one per core unless `processes` says otherwise. `done(1)` is told of each document transformed."""
    diagnostics: list[Diagnostic] = []
    for document in transformed(edition, documents, processes):
        if done is not None:
            done(1)
        diagnostics.extend(document.messages)  # a message repeated by both views is reported once (Report.sorted)
    return diagnostics


def transformed(edition: Edition, documents: list[Document] | None = None,
                processes: int | None = None) -> Iterator[Document]:
    """Each document (or each of `documents`) in turn, in order, as soon as it has its views and messages."""
    for document, _ in transformed_and_made(edition, documents, processes):
        yield document


def transformed_and_made(edition: Edition, documents: list[Document] | None = None, processes: int | None = None,
                         make: Callable[[Document], object] | None = None,
                         keep_views: bool = True) -> Iterator[tuple[Document, object]]:
    """Each document (or each of `documents`) in turn, in order, with its messages and what `make(document)`
    made of it once it had its views (None without `make`). Large editions are transformed on the workers
    (workers.py), and `make` runs there too, beside the transform, so that the build's own process only
    writes what they made; without `keep_views`, a document comes without its views, which then need not
    travel back."""
    chosen = edition.documents if documents is None else documents
    position = {id(d): number for number, d in enumerate(edition.documents)}
    stylesheet()  # compiled once, before the workers are forked
    results = workers.in_order(lambda index: _document_made(edition, index, make, keep_views),
                               [position[id(d)] for d in chosen], processes)
    for document, (views, messages, source, made) in zip(chosen, results):
        document.views.update(views)
        document.messages = messages
        document.source = source if source is not None else document.source
        yield document, made


def _document_made(edition: Edition, index: int, make: Callable[[Document], object] | None,
                   keep_views: bool) -> tuple[dict[str, str], list[Diagnostic], bytes | None, object]:
    """A document's views, messages and TEI (_document_views), and what `make` made of it. What `make`
    raises in a worker (a template's error) is raised again in the build by the pool."""
    views, messages, source = _document_views(edition, index)
    if make is None:
        return views, messages, source, None
    keep_views = keep_views or not workers.in_worker()
    document = edition.documents[index]
    document.views, document.messages = views, messages
    document.source = source if source is not None else document.source
    try:
        made = make(document)
    finally:  # the worker's copy of the document holds nothing more once it is done
        document.views = {}
        if document.reader is not None and workers.in_worker():
            document.reader.release(document)
    return (views if keep_views else {}), messages, (source if keep_views else None), made


def _document_views(edition: Edition, index: int) -> tuple[dict[str, str], list[Diagnostic], bytes | None]:
    """A document's HTML in each view, what the stylesheet said, and a selected document's TEI (made from
    the tree read here, so the build need not read its file again to publish it)."""
    document = edition.documents[index]
    views, diagnostics = {}, []
    for view in VIEWS:
        views[view], messages = transform_document(document, view, edition)
        diagnostics.extend(messages)
    source = document.tei() if document.file is not None and not document.volume else None
    if document.reader is not None:
        document.reader.release(document)
    return views, diagnostics, source


def transform_document(document: Document, view: str = VIEWS[0],
                       edition: Edition | None = None) -> tuple[str, list[Diagnostic]]:
    """The HTML of one document's text in one view, and the stylesheet's messages about it; with the edition,
    its pointers to other documents linked and its paragraphs given their citations."""
    transformer = stylesheet()
    result = transformer(document.loaded_tree(), **{"document-id": etree.XSLT.strparam(document.id),
                                           "view": etree.XSLT.strparam(view)})
    root = result.getroot()
    if root is None:
        return "", _messages(document, transformer.error_log)
    attach_notes(root)
    leave_document_id_to_page(root, document)
    if edition is not None:
        resolve_volume_links(root, document, edition)
        link_other_documents(root, document, edition.anchors)
        link_names(root, document, edition)
        add_citation_panels(root, document, edition)
    return etree.tostring(root, method="html", encoding="unicode"), _messages(document, transformer.error_log)


def leave_document_id_to_page(root, document: Document) -> None:
    """A selected document's element carries the document's id (FRUS: div xml:id="d10"), which the page
    already gives the whole document: one id, once on the page."""
    for element in root.iter():
        if isinstance(element.tag, str) and element.get("id") == document.id:
            del element.attrib["id"]


def link_other_documents(root, document: Document, anchors: dict[str, Document]) -> None:
    """Turn the stylesheet's unresolved pointers (data-target: an id not on this page) into links when the id
    is another document or a place in one. The stylesheet sees one document only; the edition knows where
    every other one is published."""
    for pointer in root.iterfind(".//*[@data-target]"):
        anchor = pointer.get("data-target")
        target = holder(anchors, anchor, document)
        if target is None or target is document:
            continue
        fragment = "" if anchor == target.id else f"#{anchor}"
        pointer.tag = "a"
        pointer.set("href", f"{page_link(document, target)}{fragment}")
        del pointer.attrib["data-target"]
        if "ptr" in pointer.get("class", "").split():
            _name_target(pointer, target, anchor)


def holder(anchors: dict[str, list[Document]], anchor: str, document: Document) -> Document | None:
    """The document holding an anchor: the one from the same file when several hold it."""
    holders = anchors.get(anchor, [])
    same_file = [d for d in holders if d.origin is document.origin]
    return (same_file or holders or [None])[0]


def page_link(document: Document, target: Document) -> str:
    """The address of another document's page, relative to this document's page."""
    return posixpath.relpath(target.url, document.url) + "/index.html"


def resolve_volume_links(root, document: Document, edition: Edition) -> None:
    """Relative targets of the TEI (relative to the file, not to the site) that name a document: FRUS's way
    into its volumes ("frus1961-63v14#d277": a volume, a document) leads to that document's page when the
    edition has it. Any other relative target would lead nowhere on the site, so it becomes plain text that
    says where it points."""
    for link in root.iterfind(".//a[@href]"):
        href = link.get("href")
        if urlsplit(href).scheme or href.startswith("#"):
            continue
        volume, _, anchor = href.partition("#")
        target = next((d for d in edition.anchors.get(anchor or volume, [])
                       if not anchor or d.origin.path.stem == volume), None)
        if target is not None:
            fragment = "" if not anchor or anchor == target.id else f"#{anchor}"
            link.set("href", f"{page_link(document, target)}{fragment}")
            continue
        link.tag = "span"
        del link.attrib["href"]
        link.set("class", f"{link.get('class', '')} outside-edition".strip())
        link.set("title", f"points to {href}, which is not part of this edition")


def _name_target(pointer, target: Document, anchor: str) -> None:
    # A ptr has no words of its own; the stylesheet showed its bare target ("#memcon-1963-04-02"), which the
    # edition can now name: the document's title, and the paragraph's number when it points to one.
    for child in list(pointer):
        pointer.remove(child)
    name = target.metadata.title or target.id
    if target.paragraph_number(anchor):
        name += f", paragraph {target.paragraph_number(anchor)}"
    pointer.text = name


def _messages(document: Document, log) -> list[Diagnostic]:
    # lxml cannot tell xsl:message from a libxslt warning, so our own messages carry a prefix. The log's line
    # numbers are the stylesheet's, not the document's, so the message is placed at the document's start.
    found = []
    for entry in log:
        text = entry.message.strip()
        if text.startswith(MESSAGE_PREFIX):
            found.append(warning(document.path, 1, 1, "transform", text[len(MESSAGE_PREFIX):].strip()))
    return found


def add_citation_panels(root, document: Document, edition: Edition) -> None:
    """Give each paragraph, after its pilcrow, a ready citation of it: shown when the paragraph is the page's
    target (the pilcrow links there), so it needs no script; a script adds a copy button and the date."""
    paragraphs = set(document.paragraph_ids)
    for paragraph in root.iterfind(".//*[@data-n][@id]"):
        anchor = paragraph.get("id")
        if anchor not in paragraphs:
            continue
        citation = cite.paragraph_citation(edition.config, document, anchor, edition.built)
        panel = etree.SubElement(paragraph, "span", {"class": "cite-panel", "data-pagefind-ignore": "all"})
        label = etree.SubElement(panel, "span", {"class": "cite-label"})
        label.text = f"Cite paragraph {cite.paragraph_number(document, anchor)}: "
        _citation_text(panel, citation, f"cite-{anchor}")
        button = etree.SubElement(panel, "button", {"type": "button", "class": "cite-copy",
                                                    "data-citation": f"cite-{anchor}", "hidden": "hidden"})
        button.text = "Copy citation"


def _citation_text(parent, citation: str, element_id: str) -> None:
    # The date of access is the reader's: a placeholder, in an element of its own that the script fills in.
    text = etree.SubElement(parent, "span", {"class": "cite-text", "id": element_id})
    before, found, after = citation.partition(cite.ACCESS_PLACEHOLDER)
    text.text = before
    if found:
        date = etree.SubElement(text, "span", {"class": "access-date"})
        date.text = cite.ACCESS_PLACEHOLDER
        date.tail = after


def link_names(root, document: Document, edition: Edition) -> None:
    """Make each name that points to a register entry a link to the entry's page, carrying its short
    identification (shown in a popover on hover and focus by names.js). A name already inside a link, or holding
    one (a note reference), stays as it is: links cannot nest."""
    for name in root.iterfind(".//*[@data-ref]"):
        entity = next((edition.entities[i] for i in name.get("data-ref").split() if i in edition.entities), None)
        if entity is None or name.tag != "span" or name.find(".//a") is not None \
                or any(a.tag == "a" for a in name.iterancestors()):
            continue
        name.tag = "a"
        name.set("href", f"{'../' * document.url.count('/')}{entity.url}index.html")
        if entity.note:
            name.set("data-note", entity.note if len(entity.note) <= 200 else entity.note[:199] + "…")


def attach_notes(root) -> None:
    """Move the reference of each note attached by @target (data-attach) to the end of the passage it is
    attached to, so it reads like an inline note; a target not on the page leaves it where the note stands."""
    ids = {element.get("id"): element for element in root.iter() if isinstance(element.tag, str) and element.get("id")}
    for reference in root.iterfind(".//a[@data-attach]"):
        passage = ids.get(reference.attrib.pop("data-attach"))
        if passage is None or passage in reference.iterancestors():
            continue
        _detach(reference)
        pilcrow = passage.find("a[@class='pilcrow']")
        if pilcrow is not None:  # a paragraph: the reference goes before its pilcrow, after its words
            pilcrow.addprevious(reference)
        else:
            passage.append(reference)


def _detach(element) -> None:
    # Removing an lxml element removes its tail text too: hand the tail to what came before it.
    parent, tail = element.getparent(), element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    element.tail = None
    parent.remove(element)
