"""The anchor registry, `anchors.lock`: every anchor the edition has published, so that none breaks unnoticed.

A reader's citation ends in an anchor: a document (`documents/secto-8/`) or a citable unit in it
(`#secto-8-p2`). The registry, a plain-text file committed with the texts, lists each published anchor once:

    secto-8-p2 secto-8 5d41402a

that is, the anchor, the document it was published in, and a fingerprint of its text (REGISTRY_HEADER
explains the format to whoever opens the file). When an anchor is no longer in the texts, the build fails
unless the editors have said, on its line, where it went:

    secto-8-p7 secto-8 77aa01bc moved secto-8-p2
    secto-8-p9 secto-8 0c1d2e3f retired duplicate of paragraph 8, removed in 1.1

A moved anchor keeps working: the old page sends its readers to the new place. A fingerprint that changed
is only a warning: paragraphs are corrected, and that is fine. `edition anchors --update` adds the anchors
that are new and records the current fingerprints; it never removes a line.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import sys
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .diagnostics import Diagnostic, element_column, error, warning
from .ids import CITABLE_NAMES, CITABLE_UNITS
from .model import TEI, XML_ID, Document

REGISTRY_NAME = "anchors.lock"
REGISTRY_HEADER = """\
# anchors.lock: every anchor this edition has published, so that no citation breaks unnoticed.
# One anchor per line: <anchor> <document> <fingerprint of its text>. `edition anchors --update` adds new
# anchors and records current fingerprints; it never removes a line. When an anchor leaves the texts, say on
# its line where it went, or the build fails:
#   <anchor> <document> <fingerprint> moved <new anchor or document>
#   <anchor> <document> <fingerprint> retired <reason, in words>
"""
_CITABLE = {f"{{{TEI}}}{name}" for name in CITABLE_UNITS}


@dataclass(slots=True)  # one per paragraph of the edition: a million in a large one, so without a __dict__ each
class Anchor:
    """An anchor in the texts as they are now."""

    id: str
    document: Document
    fingerprint: str
    line: int
    col: int
    kind: str = "document"  # the TEI name of a citable unit

    @property
    def is_document(self) -> bool:
        return self.id == self.document.id

    def href(self) -> str:
        """The anchor's address from any document page (they are all at documents/<id>/)."""
        page = f"../{self.document.id}/index.html"
        return page if self.is_document else f"{page}#{self.id}"

    def describe(self) -> str:
        """The anchor in words, for a reader following it: "paragraph 3 of <title>"."""
        title = self.document.metadata.title or self.document.id
        if self.is_document:
            return title
        if self.document.paragraph_number(self.id):
            return f"paragraph {self.document.paragraph_number(self.id)} of {title}"
        return f"{CITABLE_NAMES.get(self.kind, 'a passage')} ({self.id}) of {title}"


@dataclass(slots=True)
class Entry:
    """One line of the registry."""

    anchor: str
    document: str
    fingerprint: str
    line: int
    moved_to: str = ""
    retired: str = ""


class Entries(Mapping):
    """The registry's entries by anchor. A large edition's registry has millions of lines: an ordinary one (an
    anchor, its document, a fingerprint of eight hex digits or "-") is held as one number, its document's
    place in a list, its fingerprint and its line packed, and its Entry is made when asked for. A line that
    says where its anchor went is held as its Entry."""

    _FINGERPRINT = re.compile(r"[0-9a-f]{8}|-")
    _NO_TEXT = 1 << 32  # the fingerprint "-" of a document's own anchor
    # The packed number, from its lowest bit: the line (31 bits), the fingerprint (33), whether the anchor is
    # live in the texts (1, `mark_live`), the document's place in the list.
    _TEXT, _LIVE, _DOCUMENT = 31, 64, 65

    def __init__(self) -> None:
        self._held: dict[str, int | Entry] = {}
        self._documents: list[str] = []
        self._numbers: dict[str, int] = {}

    def add(self, entry: Entry) -> None:
        ordinary = not (entry.moved_to or entry.retired) and entry.line < 1 << 31 and \
            self._FINGERPRINT.fullmatch(entry.fingerprint)
        self._held[entry.anchor] = self._packed(entry.document, entry.fingerprint) | entry.line \
            if ordinary else entry

    def add_plain(self, anchor: str, document: str, fingerprint: str, line: int) -> bool:
        """Hold an ordinary line not held yet (most of a registry); False when it is not one (`add` it)."""
        if anchor in self._held or line >= 1 << 31 or not self._FINGERPRINT.fullmatch(fingerprint):
            return False
        self._held[anchor] = self._packed(document, fingerprint) | line
        return True

    def unchanged(self, anchor: str, document: str, fingerprint: str) -> bool | None:
        """Whether the anchor's entry is an ordinary line naming this document and fingerprint; None when the
        anchor has no entry."""
        held = self._held.get(anchor)
        if held is None:
            return None
        number = self._numbers.get(document)
        return type(held) is int and number is not None and self._FINGERPRINT.fullmatch(fingerprint) is not None \
            and held >> self._TEXT & ~(1 << self._LIVE - self._TEXT) == \
            (number << self._DOCUMENT - self._TEXT | (self._NO_TEXT if fingerprint == "-" else int(fingerprint, 16)))

    def mark_live(self, anchor: str, document: str) -> bool:
        """Note that the anchor is in the texts, in `document`, when its entry is an ordinary line naming that
        document; False, and nothing noted, otherwise."""
        held = self._held.get(anchor)
        if type(held) is not int or self._documents[held >> self._DOCUMENT] != document:
            return False
        self._held[anchor] = held | 1 << self._LIVE
        return True

    def live_in(self, anchor: str) -> str | None:
        """The document the anchor was marked live in, if it was."""
        held = self._held.get(anchor)
        return self._documents[held >> self._DOCUMENT] if type(held) is int and held >> self._LIVE & 1 else None

    def _packed(self, document: str, fingerprint: str) -> int:
        number = self._numbers.get(document)
        if number is None:
            number = self._numbers[document] = len(self._documents)
            self._documents.append(document)
        text = self._NO_TEXT if fingerprint == "-" else int(fingerprint, 16)
        return number << self._DOCUMENT | text << self._TEXT

    def __getitem__(self, anchor: str) -> Entry:
        held = self._held[anchor]
        if type(held) is not int:
            return held
        text = held >> self._TEXT & (1 << self._LIVE - self._TEXT) - 1
        return Entry(anchor, self._documents[held >> self._DOCUMENT], "-" if text == self._NO_TEXT else f"{text:08x}",
                     held & (1 << self._TEXT) - 1)

    def __contains__(self, anchor) -> bool:
        return anchor in self._held

    def __iter__(self) -> Iterator[str]:
        return iter(self._held)

    def __len__(self) -> int:
        return len(self._held)


@dataclass
class Registry:
    """The registry as read: its entries by anchor, and where it is."""

    path: Path
    entries: Entries = field(default_factory=Entries)
    exists: bool = False


def _new_file_mode() -> int:
    umask = os.umask(0)  # read by setting it: there is no other way
    os.umask(umask)
    return 0o666 & ~umask


@dataclass
class Redirect:
    """What readers of a departed anchor are told: where it went (a live anchor) or why it was retired."""

    anchor: str
    document: str  # the document it was published in: the page that must still answer for it
    target: Anchor | None = None
    reason: str = ""


def fingerprint(text: str) -> str:
    """Eight hex digits of a hash of the text with its spacing normalised: reflowing lines does not change it."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8")).hexdigest()[:8]


class LiveAnchors(Mapping):
    """Every anchor the texts publish now, by id: each document, and each citable unit of its text with an
    xml:id (as the documents' facts list them, `citable_units`). Its Anchor is made when asked for, or one
    document at a time (`units`, `each`). A large edition publishes millions of anchors: an anchor that
    `registry` lists in the document it is in is only marked live in the registry's entries, and only the
    others (new anchors, moved ones) are held here, with the document holding each."""

    def __init__(self, documents: list[Document], registry: Registry | None = None):
        self._documents = [document for document in documents if document.kind == "document"]
        self._by_id = {document.id: document for document in self._documents}
        self._entries = registry.entries if registry is not None else Entries()
        self._holders: dict[str, Document] = {}
        for document in self._documents:
            for anchor in (document.id, *document.facts.citable_anchors()):
                # An id two documents declare is the last one's: a holder here comes before a mark.
                if self._entries.mark_live(anchor, document.id):
                    self._holders.pop(anchor, None)
                else:
                    self._holders[anchor] = document

    def _holder(self, key: str) -> Document | None:
        holder = self._holders.get(key)
        if holder is None and (named := self._entries.live_in(key)) is not None:
            holder = self._by_id[named]
        return holder

    def __getitem__(self, key: str) -> Anchor:
        document = self._holder(key)
        if document is None:
            raise KeyError(key)
        return next((anchor for anchor in self._of(document) if anchor.id == key), None) or self._document(document)

    def __contains__(self, key) -> bool:
        return self._holder(key) is not None

    def __iter__(self) -> Iterator[str]:
        for unit in self.units():
            yield unit[0]

    def __len__(self) -> int:
        return sum(1 for _ in self.units())

    def __bool__(self) -> bool:
        return bool(self._documents)  # every document is an anchor

    def held(self) -> Iterator[str]:
        """The anchors held here: all but those the registry lists in the document they are in."""
        return iter(self._holders)

    def each(self) -> Iterator[Anchor]:
        """Every live anchor, made as it comes, a document after the other."""
        return (Anchor(*unit) for unit in self.units())

    def units(self, documents: list[Document] | None = None) -> Iterator[tuple[str, Document, str, int, int, str]]:
        """What each live anchor (of `documents`, or of all) is made of (Anchor's fields), a document after the
        other."""
        holder = self._holder
        for document in self._documents if documents is None else documents:
            if holder(document.id) is document:
                yield document.id, document, "-", document.facts.root_line, 1, "document"
            for anchor, printed, line, col, kind in document.facts.citable_units():
                if holder(anchor) is document:
                    yield anchor, document, printed, line, col, kind

    @staticmethod
    def _document(document: Document) -> Anchor:
        # A document's title may be corrected freely: its anchor has no text to compare ("-").
        return Anchor(document.id, document, "-", document.facts.root_line, 1)

    @staticmethod
    def _of(document: Document) -> list[Anchor]:
        return [Anchor(anchor, document, printed, line, col, kind)
                for anchor, printed, line, col, kind in document.facts.citable_units()]


def live_anchors(documents: list[Document], registry: Registry | None = None) -> LiveAnchors:
    """Every anchor the texts publish now (LiveAnchors), to be held to `registry`."""
    return LiveAnchors(documents, registry)


def citable_units(document: Document) -> list[list]:
    """Each citable unit of the document's text with an xml:id: [anchor, fingerprint, line, column, element]."""
    units = []
    for text in document.root.iterfind(f"{{{TEI}}}text"):
        for unit in text.iter(*_CITABLE):
            if unit.get(XML_ID):
                line, col = element_column(document.lines(), unit)
                units.append([unit.get(XML_ID), fingerprint("".join(unit.itertext())), line, col,
                              etree.QName(unit).localname])
    return units


def read_registry(project_dir: Path) -> tuple[Registry, list[Diagnostic]]:
    """The registry of the edition in project_dir; an absent file is an empty registry. It is read a line at a
    time: a large edition's registry has millions of lines, and its whole text and the list of its lines were
    held at once beside the entries made of them."""
    registry = Registry(project_dir / REGISTRY_NAME)
    problems: list[Diagnostic] = []
    try:
        with registry.path.open(encoding="utf-8") as lines:
            registry.exists = True
            for number, line in enumerate(lines, start=1):
                if line.strip() and not line.lstrip().startswith("#"):
                    problems.extend(_register(registry, number, line))
    except FileNotFoundError:
        return registry, []
    except (OSError, UnicodeDecodeError) as exc:
        return Registry(registry.path), [error(registry.path, 1, 1, "registry-unreadable",
                                               f"cannot read the anchor registry as UTF-8 text: {exc}")]
    return registry, problems


def _register(registry: Registry, number: int, line: str) -> list[Diagnostic]:
    words = line.split()
    if len(words) == 3 and registry.entries.add_plain(*words, number):
        return []
    entry, problem = _entry(registry.path, number, line)
    if problem:
        return [problem]
    if entry.anchor in registry.entries:
        return [error(registry.path, number, 1, "registry-duplicate",
                      f"anchor '{entry.anchor}' is already registered on line "
                      f"{registry.entries[entry.anchor].line}: keep one of the two lines")]
    registry.entries.add(entry)
    return []


def _entry(path: Path, number: int, line: str) -> tuple[Entry | None, Diagnostic | None]:
    words = line.split()
    if len(words) < 3:
        return None, error(path, number, 1, "registry-syntax",
                           "a registry line needs an anchor, its document and a fingerprint, separated by spaces")
    entry = Entry(words[0], sys.intern(words[1]), words[2], number)  # a document's name, once for all its anchors
    rest = words[3:]
    if not rest:
        return entry, None
    col = line.index(rest[0]) + 1
    if rest[0] == "moved" and len(rest) == 2:
        entry.moved_to = rest[1].removeprefix("#")
    elif rest[0] == "retired" and len(rest) > 1:
        entry.retired = " ".join(rest[1:])
    else:
        return None, error(path, number, col, "registry-syntax",
                           f"'{' '.join(rest)}' is not a destination: write 'moved <anchor>' (one anchor or "
                           "document id) or 'retired <reason>' after the fingerprint")
    return entry, None


def check(registry: Registry, anchors: LiveAnchors) -> tuple[list[Diagnostic], list[Redirect]]:
    """Every registered anchor still published, moved to a published one, or retired; and what readers of the
    departed ones are to be told. The live anchors are compared one document at a time; the problems are said
    in the registry's order."""
    changed = changes(registry, anchors)
    entries = registry.entries
    problems, redirects = [], []
    for anchor in entries:
        if anchor in anchors:
            problems.extend(changed.get(anchor, ()))
            continue
        entry = entries[anchor]
        if entry.retired:
            redirects.append(Redirect(entry.anchor, entry.document, reason=entry.retired))
        elif entry.moved_to:
            target, problem = _destination(registry, entry, anchors)
            if problem:
                problems.append(problem)
            else:
                redirects.append(Redirect(entry.anchor, entry.document, target=target))
        else:
            problems.append(error(registry.path, entry.line, 1, "anchor-disappeared",
                                  f"anchor '{entry.anchor}' of document '{entry.document}' was published but is "
                                  "no longer in the texts, so citations of it would break: restore it, or say "
                                  f"where it went by adding 'moved <anchor>' or 'retired <reason>' to this line"))
    return problems, redirects


def changes(registry: Registry, anchors: LiveAnchors,
            documents: list[Document] | None = None) -> dict[str, list[Diagnostic]]:
    """What the registry says of each live anchor (of `documents`, or of all) that its entry no longer
    describes, by anchor: a changed text, another document, an anchor registered as gone."""
    changed: dict[str, list[Diagnostic]] = {}
    entries = registry.entries
    for unit in anchors.units(documents) if entries else ():
        # An entry that names the anchor's document and text as they are says nothing: no Anchor is made for it.
        if entries.unchanged(unit[0], unit[1].id, unit[2]) is False and \
                (found := _changed(registry, entries[unit[0]], Anchor(*unit))):
            changed[unit[0]] = found
    return changed


def document_changes(registry: Registry, anchors: LiveAnchors, document: Document) -> list[Diagnostic]:
    """What the registry says of the document's live anchors (`changes`), in the registry's order."""
    found = changes(registry, anchors, [document])
    return [problem for anchor in sorted(found, key=lambda anchor: registry.entries[anchor].line)
            for problem in found[anchor]]


def _changed(registry: Registry, entry: Entry, live: Anchor) -> list[Diagnostic]:
    if entry.moved_to or entry.retired:
        return [error(registry.path, entry.line, 1, "anchor-returned",
                      f"anchor '{entry.anchor}' is registered as {'moved' if entry.moved_to else 'retired'} "
                      f"but is in the texts again ({live.document.path.name}:{live.line}): remove the "
                      "destination from this line, or the id from the text")]
    if live.document.id != entry.document:
        return [error(registry.path, entry.line, 1, "anchor-changed-document",
                      f"anchor '{entry.anchor}' was published in document '{entry.document}' but is now in "
                      f"'{live.document.id}', so citations of it lead to the wrong page: give the unit a new id, "
                      f"and record this one as 'moved <new id>'")]
    if live.fingerprint != entry.fingerprint:
        return [warning(live.document.path, live.line, live.col, "anchor-text-changed",
                        f"the text of '{entry.anchor}' has changed since it was registered: fine for a "
                        f"correction; if it is now a different passage, give it a new id and record this one as "
                        f"moved; run `edition anchors --update` to record the new text")]
    return []


def _destination(registry: Registry, entry: Entry, anchors: LiveAnchors) -> tuple[Anchor | None, Diagnostic | None]:
    """The live anchor a chain of moves ends at, or why there is none."""
    seen, current = {entry.anchor}, entry
    while current.moved_to not in anchors:
        following = registry.entries.get(current.moved_to)
        if following is None or not following.moved_to or following.moved_to in seen:
            return None, error(registry.path, entry.line, 1, "anchor-moved-nowhere",
                               f"anchor '{entry.anchor}' is recorded as moved to '{current.moved_to}', which is "
                               "not an anchor of the texts: name an id or document that exists")
        seen.add(following.anchor)
        current = following
    return anchors[current.moved_to], None


def unregistered(registry: Registry, anchors: LiveAnchors) -> list[str]:
    """The anchors in the texts that the registry does not list yet."""
    return [anchor for anchor in anchors.held() if anchor not in registry.entries]


def unregistered_warning(registry: Registry, anchors: LiveAnchors) -> list[Diagnostic]:
    """One warning when anchors are published that the registry does not protect yet."""
    if not registry.exists:
        if not anchors:
            return []
        return [warning(registry.path, 1, 1, "registry-missing",
                        "there is no anchor registry yet, so nothing stops a published anchor from breaking: run "
                        f"`edition anchors --update` to create {REGISTRY_NAME}, and commit it")]
    new = unregistered(registry, anchors)
    if not new:
        return []
    names = ", ".join(new[:3]) + (", …" if len(new) > 3 else "")
    return [warning(registry.path, 1, 1, "anchors-unregistered",
                    f"{len(new)} anchor(s) of the texts are not registered yet ({names}): run "
                    f"`edition anchors --update` and commit {REGISTRY_NAME}")]


def updated_text(registry: Registry, anchors: LiveAnchors) -> tuple[str, int, int]:
    """The registry with new anchors added and fingerprints brought up to date; how many added and updated."""
    lines = registry.path.read_text(encoding="utf-8").splitlines() if registry.exists else REGISTRY_HEADER.splitlines()
    updated = 0
    for entry in registry.entries.values():
        live = anchors.get(entry.anchor)
        if live is not None and live.fingerprint != entry.fingerprint and not (entry.moved_to or entry.retired):
            words = lines[entry.line - 1].split()
            lines[entry.line - 1] = " ".join([*words[:2], live.fingerprint, *words[3:]])
            updated += 1
    new = [anchor for anchor in anchors.each() if anchor.id not in registry.entries]
    lines.extend(f"{anchor.id} {anchor.document.id} {anchor.fingerprint}" for anchor in new)
    return "\n".join(lines) + "\n", len(new), updated


def write_registry(path: Path, text: str) -> None:
    """Replace the registry in one step: a reader never finds it half-written. It keeps its permissions, and a
    new one gets those of any new file (the temporary file it is written as would be readable by its owner
    alone)."""
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else _new_file_mode()
    handle, temporary = tempfile.mkstemp(prefix=".anchors-", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
