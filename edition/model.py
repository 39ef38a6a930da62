"""The objects that flow through the pipeline: one Document per TEI file, one Edition holding them all."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lxml import etree

from .config import Config

TEI = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"tei": TEI}


VIEWS = ("reading", "diplomatic")  # the first is the default page; each has its own page file


def view_page(view: str) -> str:
    """The file name of a document's page in a view, within the document's folder."""
    return "index.html" if view == VIEWS[0] else f"{view}.html"


@dataclass
class Withheld:
    """What was withheld at declassification: passages, their total extent, the agencies that withheld them."""

    passages: int = 0
    extent: str = ""  # e.g. "3 lines, 1 paragraph"
    agencies: list[tuple[str, int]] = field(default_factory=list)  # (agency, passages it withheld)

    def __str__(self) -> str:
        if not self.passages:
            return "nothing"
        text = f"{self.passages} passage{'s' if self.passages != 1 else ''}"
        text += f": {self.extent}" if self.extent else ""
        named = [f"{agency}: {count} of {self.passages}" for agency, count in self.agencies]
        return text + (f" (withholding agency named for {'; '.join(named)})" if named else "")


@dataclass
class Metadata:
    """What the document page's header and the documents list show about a document."""

    title: str = ""
    date: str = ""  # ISO 8601, as in @when; sorts chronologically
    date_text: str = ""  # the date as a reader reads it
    sender: str = ""
    recipient: str = ""
    classification: str = ""
    precedence: str = ""
    distribution: str = ""
    source: str = ""
    declassification: str = ""
    publication: str = ""
    availability: str = ""
    withheld: Withheld = field(default_factory=Withheld)
    hands: list[tuple[str, str]] = field(default_factory=list)  # (xml:id, description) of each handNote
    # The structured facts citations need, which the display strings above flatten.
    document_type: str = ""  # objectDesc/@form: telegram, letter, memorandum, form
    senders: list[tuple[str, str]] = field(default_factory=list)  # (kind: person | org, name), without the place
    recipients: list[tuple[str, str]] = field(default_factory=list)  # (kind: person | org, name), without the place
    repository: str = ""  # msIdentifier: the archive holding the original
    collection: str = ""  # msIdentifier: the collection or file series within it
    idno: str = ""  # msIdentifier: the original's reference within the collection
    language: str = ""  # the document's language (an IETF tag)
    summary: str = ""  # msContents/summary


@dataclass
class Mention:
    """One place where a document's text names a register entry: the paragraph (or other anchor) it is in."""

    document: Document
    anchor: str  # the xml:id of the paragraph (or citable unit) holding the name, or the document's id
    snippet: str  # the words around the name
    where: str = ""  # the passage in words: "paragraph 2", "a note", "a stamp"; "" for the document's furniture


@dataclass
class Entity:
    """A person, place or organisation from a register."""

    id: str
    kind: str  # person | place | org | term (a glossary entry)
    name: str
    note: str = ""
    sort_key: str = ""  # surname first for people, so an index reads alphabetically
    dates: str = ""  # "1909–1994" for a person
    offices: list[str] = field(default_factory=list)  # occupations, for a person
    other_names: list[str] = field(default_factory=list)  # abbreviations and other forms of the name
    # Derived from the documents, not kept with the entry: the documents naming it (in chronological order),
    # in how many passages in each and in all, and those passages themselves, filled only while its page is
    # made (Passages).
    named_in: list[Document] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    passages: int = 0
    mentions: list[Mention] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The entity's page within the site."""
        return f"{REGISTER_FOLDERS[self.kind]}/{self.id}/"


# Where each register is published, and its heading.
REGISTER_FOLDERS = {"person": "people", "org": "organisations", "place": "places", "term": "glossary"}
REGISTER_TITLES = {"person": "People", "org": "Organisations", "place": "Places", "term": "Glossary"}


@dataclass
class Document:
    """One TEI file: its source, its parsed tree and, as the pipeline advances, what was derived from it.

    Once the edition is enriched, what the build needs of each document is in its `facts`, and its tree, source
    and lines are let go (`release`): a document's tree is read again from its file (`reader`) when a stage
    needs it, so that a large edition is never held in memory all at once."""

    path: Path
    tree: etree._ElementTree | None
    source_lines: list[str] | None
    source: bytes | None = b""  # the file as read, published as it is (TEI download, the edition's zip)
    id: str = ""
    kind: str = "document"  # "document" (has a text) or "register" (a standOff of people, places, orgs)
    metadata: Metadata = field(default_factory=Metadata)
    mentions: list[Entity] = field(default_factory=list)
    previous: Document | None = None
    next: Document | None = None
    views: dict[str, str] = field(default_factory=dict)  # the text's HTML in each view, by view name
    messages: list = field(default_factory=list)  # what the stylesheet said of the text (warnings)
    # A document selected within a larger file (a FRUS volume's div[@type='document']) stands in a TEI tree of
    # its own, the file's header around it; `file` is the file it came from (None: the document is the file).
    file: Document | None = None
    # The rest of such a file (a volume's front and back matter), with links to its documents in their place.
    volume: bool = False
    # Its page's folder below documents/: its id, or "<file name>/<id>" where two files hold the same id.
    name: str = ""

    # What the build knows of the document without its tree (facts.DocumentFacts), and the file it can be
    # read again from (facts.Reader); a digest of the file's bytes and of the files it includes (`key`).
    facts: object = None
    file_facts: object = None  # the file's facts.FileFacts, on the document that is the file
    reader: object = None
    key: str = ""
    includes: list[Path] = field(default_factory=list)  # the files its XIncludes read, nested ones too

    @property
    def root(self):
        return self.loaded_tree().getroot()

    def loaded_tree(self) -> etree._ElementTree:
        """The document's tree, read again from its file if it was let go."""
        if self.tree is None:
            self.reader.restore()
        return self.tree

    def lines(self) -> list[str]:
        """The file's lines, for placing a diagnostic."""
        if self.source_lines is None:
            self.reader.restore()
        return self.source_lines

    def tei(self) -> bytes:
        """The document's TEI as published: the file's bytes, or a selected document's own tree."""
        if self.source is None:
            if self.file is None or self.volume:
                return self.path.read_bytes()
            self.reader.restore()
        return self.source

    def release(self) -> None:
        """Let go of the tree, the source and the lines, which `reader` can give back."""
        if self.reader is not None:
            self.tree = self.source_lines = self.source = None

    @property
    def url(self) -> str:
        """The document page's path within the site."""
        return f"documents/{self.name or self.id}/"

    @property
    def origin(self) -> Document:
        """The file as read: the document itself, or the file it was selected from."""
        return self.file or self

    @property
    def paragraph_ids(self) -> list[str]:
        """The anchors of the document's paragraphs, in reading order, as its facts (facts.py) keep them."""
        return self.facts.paragraph_ids.split() if self.facts is not None else []

    def paragraph_number(self, anchor: str) -> int:
        """The paragraph's position in the document, counted from 1 in reading order; 0 if it is none."""
        paragraphs = self.paragraph_ids
        return paragraphs.index(anchor) + 1 if anchor in paragraphs else 0


@dataclass
class Edition:
    """Everything the site is made of, gathered before a single file is written."""

    config: Config
    documents: list[Document]
    registers: list[Document] = field(default_factory=list)
    entities: dict[str, Entity] = field(default_factory=dict)
    # Which document holds each xml:id of the documents' texts (a document's own id included), so a pointer
    # in one document to another, or to a paragraph of another, becomes a link to its page.
    anchors: dict[str, list[Document]] = field(default_factory=dict)
    # Anchors published once and gone from the texts since, by the document they were published in, with
    # where each went (anchors.Redirect): that document's page still answers for them.
    redirects: dict[str, list] = field(default_factory=dict)
    built: date = field(default_factory=date.today)  # the build's date, shown on every page and in citations
