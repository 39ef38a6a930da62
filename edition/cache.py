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
from dataclasses import asdict
from pathlib import Path

from lxml import etree

from . import __version__, resources
from .config import CONFIG_NAME, Config
from .diagnostics import Diagnostic, Level
from .model import Document, Edition, Entity

MANIFEST = ".edition-build.json"
FORMAT = 1  # raised whenever what a digest covers changes, so an older manifest is not trusted


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
    """Everything a document's pages show besides what all pages share: its text as parsed (after XInclude
    and the adoption of a volume's own lists), its file, what was derived from it, its neighbours in the
    chronology, each document and register entry its attributes may point to, and its moved anchors."""
    return [
        str(document.path), document.id, document.url, document.volume,
        hashlib.sha256(etree.tostring(document.tree)).hexdigest(),
        hashlib.sha256(document.source).hexdigest(),
        asdict(document.metadata), document.paragraph_ids,
        [entity_inputs(entity) for entity in document.mentions],
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
    return [document.id, document.url, str(document.origin.path), asdict(document.metadata),
            document.paragraph_ids]


class Summaries:
    """The digest of each document's summary, worked out once per build however many pages show it."""

    def __init__(self) -> None:
        self._digests: dict[int, str] = {}

    def of(self, document: Document | None) -> str:
        if document is None:
            return ""
        if id(document) not in self._digests:
            self._digests[id(document)] = digest(document_summary(document))
        return self._digests[id(document)]


def _pointed_to(document: Document, edition: Edition, summaries: Summaries) -> dict:
    # Every token of every attribute, and each side of a '#', looked up as an anchor and as a register entry:
    # more than the stylesheet links, never less, so a page is remade whenever a target of its links changes,
    # appears or goes.
    tokens = set()
    for element in document.root.iter():
        if not isinstance(element.tag, str):
            continue
        for value in element.attrib.values():
            for token in value.split():
                tokens.update(token.split("#"))
    found = {}
    for token in tokens:
        holders = edition.anchors.get(token)
        entity = edition.entities.get(token)
        if holders or entity:
            found[token] = [[summaries.of(d) for d in holders or []],
                            entity_inputs(entity) if entity else []]
    return found


class Cache:
    """The last build's manifest (when the output folder has one made from the same edition key) and this
    build's, filled in as pages are planned and made."""

    def __init__(self, out: Path, key: str, clean: bool = False):
        self.out = out
        self.key = key
        self.before: dict[str, dict] = {} if clean else _read_manifest(out, key)
        self.entries: dict[str, dict] = {}
        self.carried: set[str] = set()
        self.summaries = Summaries()

    def plan(self, name: str, inputs_digest: str) -> bool:
        """Note what `name` (a document, a list, a register page) is made from in this build; True when the last
        build made it from the same and its files are all still in the site, so they can be carried over."""
        self.entries[name] = {"digest": inputs_digest, "pages": [], "messages": []}
        before = self.before.get(name)
        if before is None or before["digest"] != inputs_digest or \
                not all((self.out / path).is_file() for path, _ in before["pages"]):
            return False
        self.entries[name] = before
        self.carried.add(name)
        return True

    def carried_over(self, name: str) -> bool:
        return name in self.carried

    def pages(self, name: str) -> list[tuple[str, str]]:
        """The (path, canonical address) of each file of `name`."""
        return [(path, canonical) for path, canonical in self.entries[name]["pages"]]

    def made(self, name: str, pages: list, messages: list[Diagnostic] = ()) -> None:
        """Note the pages (render.Page) `name` was written as, and what the stylesheet said of it (said again when the
        files are carried over, so a warning is not lost on a rebuild)."""
        self.entries[name]["pages"] = [[page.path, page.canonical] for page in pages]
        self.entries[name]["messages"] = [[str(d.path), d.line, d.col, d.level.value, d.code, d.message]
                                          for d in messages]

    def messages(self, name: str) -> list[Diagnostic]:
        return [Diagnostic(Path(path), line, col, Level(level), code, message)
                for path, line, col, level, code, message in self.entries[name]["messages"]]

    def manifest(self) -> str:
        return json.dumps({"format": FORMAT, "key": self.key, "entries": self.entries}, sort_keys=True,
                          ensure_ascii=False, indent=0) + "\n"


def _read_manifest(out: Path, key: str) -> dict[str, dict]:
    # Only a manifest of the same format and key is trusted; anything unreadable means a full build.
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or manifest.get("key") != key:
        return {}
    entries = manifest.get("entries")
    return entries if isinstance(entries, dict) else {}
