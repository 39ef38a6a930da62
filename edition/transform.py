"""The TEI text of each document turned into its HTML by the one compiled stylesheet, xslt/edition.xsl."""

from __future__ import annotations

import multiprocessing as mp
import os
import posixpath
import threading
from functools import lru_cache
from typing import Callable, Iterator
from urllib.parse import urlsplit

from lxml import etree

from . import cite, resources
from .diagnostics import Diagnostic, warning
from .model import VIEWS, Document, Edition

MESSAGE_PREFIX = "edition:"


@lru_cache(maxsize=1)
def stylesheet() -> etree.XSLT:
    """xslt/edition.xsl compiled once; it imports one module per concern."""
    return etree.XSLT(etree.parse(str(resources.XSLT / "edition.xsl")))


# Below this many documents, starting worker processes costs more than it saves.
PARALLEL_FROM = 64


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
    processes = processes or os.cpu_count() or 1
    chosen = edition.documents if documents is None else documents
    position = {id(d): number for number, d in enumerate(edition.documents)}
    indexes = [position[id(d)] for d in chosen]
    if processes > 1 and len(indexes) >= PARALLEL_FROM and "fork" in mp.get_all_start_methods():
        results = _transform_in_workers(edition, indexes, processes)
    else:
        results = map(_document_views, [edition] * len(indexes), indexes)
    for document, (views, messages, source) in zip(chosen, results):
        document.views.update(views)
        document.messages = messages
        document.source = source if source is not None else document.source
        yield document


_forked: dict = {}  # the edition, as each forked worker inherits it from the build


# Documents handed to the workers at a time, and the most whose HTML may wait for the build to take it: the
# workers transform faster than the build renders and writes, and without a bound, the HTML of a large
# edition would pile up in memory (tens of gigabytes at 100,000 documents).
CHUNK = 4
IN_FLIGHT = 16


def _transform_in_workers(edition: Edition, indexes: list[int], processes: int):
    # Forked workers share the parsed edition with the build (copy-on-write) and the stylesheet compiled
    # before the fork, so nothing but each document's number goes out and its HTML comes back, in order, as
    # each is done.
    stylesheet()
    _forked["edition"] = edition
    window, stopped = threading.Semaphore(processes * IN_FLIGHT), threading.Event()

    def handed_out():  # read by the pool's own thread, which waits here while the window is full
        for index in indexes:
            while not window.acquire(timeout=0.1):
                if stopped.is_set():
                    return
            yield index

    try:
        with mp.get_context("fork").Pool(processes) as pool:
            try:
                for result in pool.imap(_forked_document_views, handed_out(), chunksize=CHUNK):
                    yield result
                    window.release()
            finally:  # before the pool is ended, which waits for its thread to stop waiting on the window
                stopped.set()
    finally:
        _forked.clear()


def _forked_document_views(index: int):
    return _document_views(_forked["edition"], index)


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
