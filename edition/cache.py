"""The build cache: each page of the last build, with a digest of everything it was made from, kept in a
manifest beside the site it describes. A rebuild transforms and renders again only the pages whose inputs
changed; the others are carried over from the last site as they are.

A page's inputs are listed where the page is rendered (render.py) and digested here. What every page shares
(the generator, its stylesheets and templates, the settings, the Markdown pages, the build date) makes up the
edition's key: when it changes, nothing is carried over.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Callable

from . import __version__, resources
from .config import CONFIG_NAME, Config
from .diagnostics import Diagnostic, Level
from .facts import DocumentFacts, FileFacts
from .model import Document, Edition, Entity
from .state import FORMAT, State, manifest_text, site_state, state_token
from .write import MADE_WHOLE, OutputError, Spare, check_output_folder, spare_folder



def digest(*inputs) -> str:
    """A hash of JSON-able values (paths and dates as their text)."""
    text = json.dumps(inputs, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def edition_key(config: Config, built, kinds: set[str]) -> str:
    """What every page depends on: the generator's version, its stylesheets and templates, the edition's own
    templates, settings and Markdown pages (the menu), the build date and which registers the edition has."""
    hashed = hashlib.sha256(f"{FORMAT} {__version__} {built} {sorted(kinds)}".encode("utf-8"))
    for folder in (resources.XSLT, resources.TEMPLATES, config.templates_dir, config.pages_dir):
        for path in _files_below(folder):
            hashed.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
            hashed.update(path.read_bytes() + b"\0")
    settings = config.project_dir / CONFIG_NAME
    hashed.update(settings.read_bytes() if settings.is_file() else b"")
    return hashed.hexdigest()


def _files_below(folder: Path | None) -> list[Path]:
    if folder is None or not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file())


def document_inputs(document: Document, edition: Edition, summaries: Summaries) -> list:
    """Everything a document's pages show besides what all pages share: its file and the files it includes
    (their key), what was derived from it, its neighbours in the chronology, each document and register entry
    its attributes may point to (which decides what a volume's pointers adopt), and its moved anchors."""
    return [
        str(document.path), document.id, document.url, document.volume, document.key,
        document.facts.shown_digest,
        [summaries.entity(entity) for entity in document.mentions],
        [summaries.of(document.previous), summaries.of(document.next)],
        _pointed_to(document, edition, summaries),
        [(r.anchor, r.reason, r.target.href() if r.target else "", r.target.describe() if r.target else "")
         for r in edition.redirects.get(document.id, [])],
    ]


def entity_inputs(entity: Entity) -> list:
    """A register entry as pages that name it show it (its own page adds its mentions)."""
    return [entity.id, entity.kind, entity.name, entity.note, entity.sort_key, entity.dates, entity.offices,
            entity.other_names, entity.url]


def document_summary(document: Document) -> list:
    """A document as lists, register pages and other documents' links show it."""
    return [document.id, document.url, str(document.origin.path), document.facts.shown_digest]


class Summaries:
    """The digest of each document's summary and of each register entry's inputs, worked out once per build
    however many pages show it."""

    def __init__(self) -> None:
        self._digests: dict[int, str] = {}
        self._named: dict[int, str] = {}  # a document's summary digest and passages digest, as entry pages use them
        self._pointers: dict[str, str] = {}

    def of(self, document: Document | None) -> str:
        if document is None:
            return ""
        if id(document) not in self._digests:
            self._digests[id(document)] = digest(document_summary(document))
        return self._digests[id(document)]

    def of_all(self, documents: list[Document], passages: bool = False) -> str:
        """One digest of the summaries of `documents` in order (with each one's passages digest): a list or an
        entry page shows thousands of documents, and its inputs are compared by this rather than written out."""
        lines = self._named if passages else self._digests
        words = [lines[id(d)] if id(d) in lines else self._line(d, passages) for d in documents]
        return hashlib.sha256("\n".join(words).encode("ascii")).hexdigest()

    def _line(self, document: Document, passages: bool) -> str:
        if not passages:
            return self.of(document)
        self._named[id(document)] = f"{self.of(document)} {document.facts.passages_digest}"
        return self._named[id(document)]

    def entity(self, entity: Entity) -> str:
        if id(entity) not in self._digests:
            self._digests[id(entity)] = digest(entity_inputs(entity))
        return self._digests[id(entity)]

    def pointer(self, token: str, edition: Edition) -> str:
        """What a pointer to `token` finds: the documents holding it as an anchor, the register entry so named."""
        if token not in self._pointers:
            entity = edition.entities.get(token)
            self._pointers[token] = digest([self.of(d) for d in edition.anchors.get(token, ())],
                                           self.entity(entity) if entity is not None else "")
        return self._pointers[token]


def _pointed_to(document: Document, edition: Edition, summaries: Summaries) -> str:
    # Every token of every attribute, and each side of a '#', looked up as an anchor and as a register entry:
    # more than the stylesheet links, never less, so a page is remade whenever a target of its links changes,
    # appears or goes. An anchor of the document's own text alone stands for nothing its other inputs do not.
    anchors, entities = edition.anchors, edition.entities
    pointers = []
    for token in document.facts.tokens.split():
        holders = anchors.get(token)
        if token in entities or holders and (len(holders) > 1 or holders[0] is not document):
            pointers.append(f"{token} {summaries.pointer(token, edition)}")
    return hashlib.sha256("\n".join(pointers).encode("utf-8")).hexdigest()


class LastBuild:
    """What the last build into a site folder left in its state (state.py): nothing when `clean`, when there
    is none, or none this build can trust."""

    def __init__(self, clean: bool = False):
        self.clean = clean
        self.state: State | None = None
        self.validations = Validations()
        self.files: set[str] = set()  # the files whose facts the state keeps
        self.ids: dict[str, str] = {}  # the ids each file declared, as its kept facts say (when read)
        self.parsed = 0  # files this build parsed, for the lack of kept facts that still hold
        self.site: set[str] = set()  # the files of the last site's pages
        self.spare: Spare | None = None  # the site before the last, to be written over (write.Spare)

    def read(self, site: Path) -> None:
        """Open the state of the site in `site` for this build; a folder edition would not write to (its own
        check, write.check_output_folder, says why when the site is written) has none."""
        if not _ours(site):
            return
        self.state = State(site, clean=self.clean)
        self.validations = Validations(self.state)
        self.files = self.state.files()
        if self.state.trusted:
            self.site = self.state.site_paths()
            self.spare = self._spare(site)

    def _spare(self, site: Path) -> Spare | None:
        """The spare site, when it is the one the last build kept."""
        kept = self.state.spare()
        if kept is None:
            return None
        token, build, only = kept
        folder = spare_folder(site)
        if site_state(folder) != token:
            return None
        return Spare(folder, build, self.site, only)

    @property
    def keeps_spare(self) -> bool:
        """Whether the last site is kept as the spare once this build's is in place: only a site whose pages
        the state describes can be written over."""
        return self.state is not None and self.state.trusted

    def facts(self, path: Path) -> FileFacts | None:
        """What the last build kept of the file (facts.py), if anything."""
        kept = self.state.facts(str(path)) if str(path) in self.files else None
        facts = FileFacts.from_json(json.loads(kept)) if kept is not None else None
        if facts is not None:
            self.ids[str(path)] = facts.ids
        return facts

    def ids_unchanged(self, files: list[Document]) -> bool:
        """Whether the edition has the files of the last build, each declaring the same xml:ids."""
        return self.state is not None and len(files) == len(self.files) and \
            all(self.ids.get(str(f.path)) == f.file_facts.ids for f in files)

    def pages(self, key: str) -> dict[str, tuple[str, str, str]]:
        """The pages of the last build, when it was made with the same edition key."""
        return self.state.pages() if self.state is not None and self.state.key == key else {}

    def keep_passages(self, path: Path, facts: DocumentFacts) -> None:
        """Keep the passages of a document's facts just derived from the file at `path` in the state, and let
        them go (a large edition's passages are not all held at once); with no state, they stay in memory."""
        if self.state is not None:
            self.state.keep_passages(str(path), facts.id, facts.passages)
            facts.passages = []

    def seal(self, written: set[str]) -> None:
        """Commit this build's state, with the files of its site (`written`) and what the last site, kept as
        the spare, has besides: its site is complete, and is swapped in next (state.State.seal)."""
        if self.state is not None:
            self.state.keep_site(written - self.site, self.site - written)
            if self.keeps_spare:
                self.state.keep_spare(sorted(self.site - written))
            self.state.seal()

    def close(self) -> None:
        """Let the state go, as it was unless sealed into the new site."""
        if self.state is not None:
            self.state.close()


def _ours(site: Path) -> bool:
    try:
        check_output_folder(site)
    except OutputError:
        return False
    return True


class Validations:
    """The last build's validation of each file against the edition's own schema: its diagnostics and what its
    rules asked of the other files (validate.IdIndex), under a digest of the file's key (its bytes and those of
    the files it includes) and the schemas. A file is validated again when any of these changed or an answer
    would now differ. While every file declares the ids it declared in the last build (`ids_hold`), every
    answer is the same, and none is asked again."""

    def __init__(self, state: State | None = None):
        self.state = state
        self.validated = 0  # files validated in this build (the others were remembered)
        self.ids_hold = False
        self._schemas = _schemas_key()
        self._kept: dict[str, tuple[str, str]] | None = None  # read when first recalled

    def recall(self, document: Document, answer: Callable[[str], str]) -> list[Diagnostic] | None:
        """The diagnostics of the file's last validation, if they still hold; else None."""
        if self._kept is None:
            self._kept = self.state.validations() if self.state is not None else {}
        path = str(document.path)
        key, diagnostics = self._kept.get(path, (None, "[]"))
        if key != self._key(document) or not self.ids_hold and \
                any(answer(question) != said for question, said in self.state.asked(path).items()):
            return None
        return [_diagnostic(row) for row in json.loads(diagnostics)]

    def keep(self, document: Document, diagnostics: list[Diagnostic], asked: dict[str, str]) -> None:
        self.validated += 1
        if self.state is not None:
            self.state.keep_validation(str(document.path), self._key(document), [_row(d) for d in diagnostics],
                                       dict(asked))

    def _key(self, document: Document) -> str:
        return digest(self._schemas, str(document.path), document.key)


def _schemas_key() -> str:
    hashed = hashlib.sha256(f"{FORMAT} {__version__}".encode("utf-8"))
    for path in _files_below(resources.SCHEMAS):
        hashed.update(path.name.encode("utf-8") + b"\0" + path.read_bytes() + b"\0")
    return hashed.hexdigest()


def page_files(pages: list) -> str:
    """The files a page was written as (render.Page), as the state keeps them."""
    return _text([[page.path, page.canonical] for page in pages])


def page_messages(messages: list[Diagnostic]) -> str:
    """What the stylesheet said of a page, as the state keeps it."""
    return _text([_row(d) for d in messages])


def _text(value) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _row(diagnostic: Diagnostic) -> list:
    return [str(diagnostic.path), diagnostic.line, diagnostic.col, diagnostic.level.value, diagnostic.code,
            diagnostic.message]


def _diagnostic(row: list) -> Diagnostic:
    path, line, col, level, code, message = row
    return Diagnostic(Path(path), line, col, Level(level), code, message)


class Cache:
    """The pages of the last build (when it was made with the same edition key) and this build's, filled in
    as pages are planned and made, and kept in the state (`save`) for the next build."""

    def __init__(self, out: Path, key: str, last: LastBuild, files: list[Document] = ()):
        self.out = out
        self.files = files  # the edition's files, whose facts (facts.py) the state keeps
        self.key = key
        self.last = last
        self.before = last.pages(key)
        self.built = last.state.made() if last.state is not None and last.spare is not None else {}
        # name -> [digest, files, messages], the last two as JSON text (as the state keeps them): a large
        # edition has one entry a document, held for the whole build.
        self.entries: dict[str, list[str]] = {}
        self.carried: set[str] = set()
        self.summaries = Summaries()

    def plan(self, name: str, inputs_digest: str) -> bool:
        """Note what `name` (a document, a list, a register page) is made from in this build; True when the last
        build made it from the same and its files are all still in the site, so they can be carried over."""
        self.entries[name] = [inputs_digest, "[]", "[]"]
        before = self.before.get(name)
        site = str(self.out)  # strings, not Paths: a large edition's rebuild looks for tens of thousands of files
        if before is None or before[0] != inputs_digest or not self.kept(name) and \
                not all(os.path.isfile(f"{site}/{path}") for path, _ in json.loads(before[1])):
            return False
        self.entries[name] = [inputs_digest, before[1], before[2]]
        self.carried.add(name)
        return True

    def carried_over(self, name: str) -> bool:
        return name in self.carried

    def kept(self, name: str) -> bool:
        """Whether the spare holds the files of `name` as the last site has them: it does when the page was
        last made no later than the spare's own build (every build since linked the same files)."""
        spare = self.last.spare
        return spare is not None and self.built.get(name, spare.build + 1) <= spare.build and \
            not name.startswith(MADE_WHOLE)

    def pages(self, name: str) -> list[tuple[str, str]]:
        """The (path, canonical address) of each file of `name`."""
        return [(path, canonical) for path, canonical in json.loads(self.entries[name][1])]

    def made(self, name: str, pages: list, messages: list[Diagnostic] = ()) -> None:
        """Note the pages (render.Page) `name` was written as, and what the stylesheet said of it (said again
        when the files are carried over, so a warning is not lost on a rebuild)."""
        self.entries[name][1:] = [page_files(pages), page_messages(messages)]

    def digest_of(self, name: str) -> str:
        """The digest of what `name` is made from in this build (planned already)."""
        return self.entries[name][0]

    def keep_files(self, name: str, paths: list[str]) -> None:
        """Note the files `name` was written as once the state is saved (a search bundle, indexed after the
        pages are written): kept in the state, sealed with the site."""
        self.entries[name][1] = _text([[path, ""] for path in paths])
        if self.last.state is not None:
            self.last.state.keep_page(name, *self.entries[name])

    def messages(self, name: str) -> list[Diagnostic]:
        return [_diagnostic(row) for row in json.loads(self.entries[name][2])]

    def save(self) -> str:
        """Keep in the state what changed: the pages made anew, the facts of the files read anew, and forget
        what is gone; return the site's note of the state (state.MANIFEST)."""
        state = self.last.state
        pages = {name: entry[0] for name, entry in self.entries.items()}
        files = {str(file.path): file.key for file in self.files}
        token = state_token(pages, files)
        if state is None:
            return manifest_text(token)
        for name, entry in self.entries.items():
            if name not in self.carried:
                state.keep_page(name, *entry)
        for table in ("pages", "made"):
            state.forget(table, "name", [name for name in self.before if name not in self.entries])
        for file in self.files:
            if file.file_facts is not None and (file.file_facts.fresh or str(file.path) not in self.last.files):
                state.keep_file(str(file.path), file.file_facts.as_json())
        gone = [path for path in self.last.files if path not in files]
        for table in ("files", "validations", "mentions"):
            state.forget(table, "path", gone)
        state.finish(self.key, token)
        return manifest_text(token)

