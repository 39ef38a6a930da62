"""Reading TEI files safely: no network, no DTDs, no external entities, bounded entity expansion and depth,
XIncludes only from inside the edition; line numbers kept."""

from __future__ import annotations

import copy
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from lxml import etree

from .diagnostics import Diagnostic, element_column, error, warning
from .facts import FileFacts
from .model import NS, TEI, XML_ID, Document

XINCLUDE = "http://www.w3.org/2001/XInclude"
_INCLUDE_DEPTH = 10


@dataclass(frozen=True)
class Reading:
    """How files are read: the folder XIncludes must stay inside (None: the including file's own folder), and
    whether libxml2's safety limits on depth and size are lifted (the `huge_tree` setting)."""

    inside: Path | None = None
    huge_tree: bool = False
    selector: str = ""  # the `document` setting: which elements of a file are documents of their own

    def salt(self) -> bytes:
        """What, besides a file's bytes, shapes what is read from it."""
        return f"{self.huge_tree}\0{self.selector}".encode("utf-8")


def safe_parser(huge_tree: bool = False) -> etree.XMLParser:
    # A fresh parser per file: lxml's parser keeps its error log between files. Internal entities are
    # expanded (an editor's &mdash; is text, not lost), within libxml2's amplification limit; external ones
    # never are, and neither DTDs nor anything on the network are loaded.
    return etree.XMLParser(
        resolve_entities="internal",
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=huge_tree,
        remove_comments=False,
    )


def load_document(path: Path, reading: Reading = Reading()) -> tuple[Document | None, list[Diagnostic]]:
    """Parse one TEI file into a Document, or return why it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [error(path, 1, 1, "unreadable", f"cannot read the file: {exc.strerror}")]
    return parse_document(path, data, reading)


def file_signature(path: Path, reading: Reading) -> list:
    """What changes whenever a file's bytes do, without reading them (as git's index does): its size, its
    modification and change times (a write sets the change time, whatever it does to the other), its inode,
    and how it is read. Empty when it cannot be known."""
    try:
        stat = path.stat()
    except OSError:
        return []
    return [stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, reading.salt().decode("utf-8")]


def read_known(path: Path, reading: Reading, known: FileFacts | None,
               signature: list | None = None) -> tuple[Document | None, list[Diagnostic]]:
    """A file as `load_document` reads it; unparsed, standing on the facts the last build `known` of it, when
    its bytes and those of the files it includes are the same, and unread when its `signature` (taken before
    anything is read) is the one kept with them."""
    if known is None:
        return load_document(path, reading)
    includes = [Path(p) for p in known.includes]
    if signature and not includes and signature == known.signature:
        return _standing(path, reading, known, known.key, includes), []
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [error(path, 1, 1, "unreadable", f"cannot read the file: {exc.strerror}")]
    key = file_key(data, includes, reading.salt())
    if key != known.key:
        return parse_document(path, data, reading)
    return _standing(path, reading, known, key, includes), []


def _standing(path: Path, reading: Reading, known: FileFacts, key: str, includes: list[Path]) -> Document:
    file = Document(path=path, tree=None, source_lines=None, source=None, key=key, includes=includes,
                    file_facts=known)
    file.reader = Reader(path, reading, [file])
    return file


class Reader:
    """Reads a file again as the build first read it, and gives its documents back their trees, sources and
    lines: the documents of a file whose facts were kept, or whose tree was let go. `prepare` is applied to
    each document's new tree (enrich.py adopts a volume's pointers)."""

    def __init__(self, path: Path, reading: Reading, documents: list[Document]):
        self.path = path
        self.reading = reading
        self.documents = documents  # the file's Document, then the other documents it holds
        self.prepare = lambda document: None

    def restore(self) -> None:
        file, _ = load_document(self.path, self.reading)
        again = [file, *[d for d in held_documents(file, self.reading.selector) if d is not file]] if file else []
        # Until the documents a file holds are known (a file just parsed), only the file is read again.
        if file is None or file.key != self.documents[0].key or len(self.documents) not in (1, len(again)):
            raise ChangedFile(self.path)
        for mine, read in zip(self.documents, again):
            mine.tree, mine.source, mine.source_lines = read.tree, read.source, read.source_lines
            if mine.kind == "document":
                self.prepare(mine)

    def release_all(self) -> None:
        for document in self.documents:
            document.release()

    def release(self, document: Document) -> None:
        """Let go of a document's tree; of the file's too once none of the documents it holds has one."""
        document.release()
        if all(d.tree is None for d in self.documents[1:]):
            self.documents[0].release()


class ChangedFile(Exception):
    """A file changed on disk while the edition was being built."""

    def __init__(self, path: Path):
        super().__init__(f"{path} changed while the edition was being built")
        self.path = path

    def __reduce__(self):  # raised in a worker (workers.py), it reaches the build with its path
        return ChangedFile, (self.path,)


def attach_reader(file: Document, held: list[Document], reading: Reading) -> None:
    """Let the documents read from `file` be read again from it (see Reader)."""
    reader = Reader(file.path, reading, [file, *[d for d in held if d is not file]])
    for document in reader.documents:
        document.reader = reader
        document.key = file.key


def parse_document(path: Path, data: bytes, reading: Reading = Reading()) -> tuple[Document | None, list[Diagnostic]]:
    """Parse the bytes of one TEI file (read from `path`, which diagnostics name) into a Document."""
    if _looks_binary(data):
        return None, [error(path, 1, 1, "not-well-formed",
                            "not well-formed XML: this is a binary file, not text: replace it with the TEI "
                            "document, or remove it from the texts")]
    try:
        tree = etree.ElementTree(etree.fromstring(data, safe_parser(reading.huge_tree)))
    except etree.XMLSyntaxError as exc:
        return None, [_syntax_diagnostic(path, exc, data)]
    root = tree.getroot()
    if root.tag != f"{{{TEI}}}TEI":
        return None, [_not_tei(path, root)]
    text = _decode(data, tree.docinfo.encoding)
    included: list[Path] = []
    problems = include_parts(tree, path, reading.inside or path.parent, reading, text.splitlines(), included=included)
    if problems:
        return None, problems
    document = Document(path=path, tree=tree, source_lines=text.splitlines(), source=data, includes=included)
    document.key = file_key(data, included, reading.salt())
    document.id = root.get(XML_ID) or path.stem
    has_text = root.find(f"{{{TEI}}}text") is not None
    document.kind = "document" if has_text else "register"
    return document, []


_BYTE_ORDER_MARKS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def _looks_binary(data: bytes) -> bool:
    """A file with NUL bytes that is not UTF-16 or UTF-32 (with or without a byte order mark) is no text."""
    head = data[:4096]
    if b"\x00" not in head or head.startswith(_BYTE_ORDER_MARKS):
        return False
    return not (head.startswith((b"<\x00", b"\x00<")) or head.startswith((b"\x00\x00\x00<", b"<\x00\x00\x00")))


def _decode(data: bytes, encoding: str | None) -> str:
    """The file as text in the encoding the parser found, for locating columns in its lines."""
    try:
        return data.decode(encoding or "utf-8")
    except (LookupError, UnicodeDecodeError):
        return data.decode("utf-8", errors="replace")


def _syntax_diagnostic(path: Path, exc: etree.XMLSyntaxError, data: bytes) -> Diagnostic:
    line, col = exc.position if exc.position else (1, 1)
    raw = re.sub(r", line \d+, column \d+$", "", exc.msg or "not well-formed XML")
    text = _decode(data, None)
    undefined = re.match(r"^Entity '(\S+)' not defined$", raw)
    external = _external_entities(text)
    if undefined and undefined.group(1) in external:
        return error(path, line, col, "external-entity",
                     f"the entity &{undefined.group(1)}; is declared external ({external[undefined.group(1)]}): "
                     "edition never reads a file or address that an entity names: write the text itself here "
                     "and remove the declaration")
    if "amplification" in raw:
        line, col = _first_entity_declaration(text) or (line, col)
        return error(path, line, col, "entity-expansion",
                     "the entities declared here expand to far more text than the file holds (a \"billion "
                     "laughs\"), so the file is refused: write the text itself instead of entities within "
                     "entities")
    if raw.startswith("Excessive depth"):
        return error(path, line, col, "too-deep",
                     "elements are nested more than 256 deep here, deeper than any TEI document needs (was the "
                     "file generated wrongly?): correct the nesting, or, if the file is genuine, set "
                     "huge_tree = true in edition.toml")
    if "XML_PARSE_HUGE" in raw or "huge" in raw.lower():
        return error(path, line, col, "too-large",
                     f"the file is beyond the parser's safety limits ({raw}): correct the file, or, if it is "
                     "genuine, set huge_tree = true in edition.toml")
    return error(path, line, col, "not-well-formed", f"not well-formed XML: {_plain_syntax_message(raw)}")


_ENTITY_DECLARATION = re.compile(
    r"<!ENTITY\s+(?:%\s+)?([^\s%;]+)\s+((?:SYSTEM|PUBLIC)\s+(?:\"[^\"]*\"|'[^']*')(?:\s+(?:\"[^\"]*\"|'[^']*'))?)?")


def _external_entities(text: str) -> dict[str, str]:
    """The entities the file's DOCTYPE declares as external: name -> their SYSTEM or PUBLIC identifier."""
    return {m.group(1): " ".join(m.group(2).split()) for m in _ENTITY_DECLARATION.finditer(text) if m.group(2)}


def _first_entity_declaration(text: str) -> tuple[int, int] | None:
    found = _ENTITY_DECLARATION.search(text)
    if found is None:
        return None
    line = text.count("\n", 0, found.start()) + 1
    return line, found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1


def file_key(data: bytes, includes: list[Path], salt: bytes = b"") -> str:
    """A digest of a file's bytes, of the bytes of each file its XIncludes read and of how it is read (`salt`):
    while it is unchanged, so is everything read from the file."""
    hashed = hashlib.sha256(salt + b"\0" + data)
    for included in includes:
        try:
            part = included.read_bytes()
        except OSError:
            part = b"\0missing"
        hashed.update(f"\0{included}\0".encode("utf-8") + hashlib.sha256(part).digest())
    return hashed.hexdigest()


def include_parts(tree, path: Path, inside: Path, reading: Reading, lines: list[str], depth: int = 0,
                  included: list[Path] | None = None) -> list[Diagnostic]:
    """Replace each xi:include by the file it names (parse="xml", the whole file; parse="text", its text).
    Only files inside `inside` are read: never an address, never a file outside the edition. Each file read
    is added to `included`."""
    problems = []
    included = [] if included is None else included
    for include in list(tree.iter(f"{{{XINCLUDE}}}include")):
        target, problem = _include_target(include, path, inside, depth)
        if problem is None:
            included.append(target)
            problem = _replace_include(include, target, inside, reading, depth, included)
        if problem is not None:
            line, col = element_column(lines, include)
            problems.append(error(path, line, col, "xinclude", problem))
    return problems


def _include_target(include, path: Path, inside: Path, depth: int) -> tuple[Path | None, str | None]:
    href = (include.get("href") or "").strip()
    if include.get("xpointer") is not None:
        return None, "xi:include with xpointer is not supported: include a whole file"
    if not href:
        return None, "xi:include has no href: name the file to include"
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", href):
        return None, f"xi:include names an address ({href}): only files inside the edition's folder are included"
    target = (path.parent / href).resolve()
    if not target.is_relative_to(inside.resolve()):
        return None, f"xi:include names {href}, which is outside the edition's folder: copy the file into the edition"
    if not target.is_file():
        return None, f"xi:include names {href}, which does not exist: correct the href"
    if depth >= _INCLUDE_DEPTH:
        return None, f"xi:include nests more than {_INCLUDE_DEPTH} files deep (does a file include itself?)"
    return target, None


def _replace_include(include, target: Path, inside: Path, reading: Reading, depth: int,
                     included: list[Path]) -> str | None:
    data = target.read_bytes()
    if include.get("parse", "xml") == "text":
        part = data.decode(include.get("encoding") or "utf-8", errors="replace")
        _put_text(include, part)
        return None
    try:
        part_tree = etree.ElementTree(etree.fromstring(data, safe_parser(reading.huge_tree)))
    except etree.XMLSyntaxError as exc:
        return f"the included file {target.name} is not well-formed XML: {exc.msg}"
    nested = include_parts(part_tree, target, inside, reading, _decode(data, None).splitlines(), depth + 1,
                           included)
    if nested:
        return f"the included file {target.name} cannot be included: {nested[0].message}"
    part = part_tree.getroot()
    part.tail = include.tail
    include.getparent().replace(include, part)
    return None


def _put_text(include, text: str) -> None:
    parent, previous = include.getparent(), include.getprevious()
    text += include.tail or ""
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent.text = (parent.text or "") + text
    parent.remove(include)


def _not_tei(path: Path, root) -> Diagnostic:
    qname = etree.QName(root)
    if qname.localname == "TEI":
        what = f"its root element TEI is in the namespace '{qname.namespace or ''}'"
        todo = f'declare xmlns="{TEI}" on the root element'
    else:
        what = f"its root element is <{qname.localname}>"
        todo = f'a TEI file starts with <TEI xmlns="{TEI}">'
    return error(path, root.sourceline or 1, 1, "not-tei", f"not a TEI document: {what}; {todo}")


_SYNTAX_MESSAGES = [
    (r"^Opening and ending tag mismatch: (\S+) line (\d+) and (\S+)$",
     r"<\1> opened on line \2 is closed by </\3>: close <\1> first, or correct the end tag"),
    (r"^Premature end of data in tag (\S+) line (\d+)$",
     r"the file ends before <\1> (opened on line \2) is closed: add its end tag"),
    (r"^Document is empty$", "the file is empty or holds no XML: write the TEI document, or remove the file"),
    (r"^Extra content at the end of the document$",
     "there is content after the root element's end tag: move it inside the root element or remove it"),
    (r"^Invalid bytes in character encoding$",
     "the bytes here are not in the encoding the file declares (UTF-8 if it declares none): "
     "save the file as UTF-8, or declare its real encoding"),
    (r"^Start tag expected, '<' not found$",
     "the file does not begin with XML (is it a TEI file at all?): replace it with the TEI document or remove it"),
    (r"^xml:id : attribute value (.*) is not an NCName$",
     r"xml:id '\1' is not a name XML allows: use letters, digits, hyphens, underscores and full stops, "
     r"starting with a letter"),
    (r"^Entity '(\S+)' not defined$",
     r"the entity &\1; is not defined: write the character itself (TEI files are UTF-8)"),
]


def _plain_syntax_message(message: str) -> str:
    for pattern, replacement in _SYNTAX_MESSAGES:
        if re.search(pattern, message):
            return re.sub(pattern, replacement, message)
    return f"{message}: correct the XML at this place"


def expand_paths(paths: list[Path]) -> list[Path]:
    """The XML files the paths name: a file as given, a folder searched through (sorted)."""
    files = []
    for path in paths:
        files.extend(sorted(path.rglob("*.xml")) if path.is_dir() else [path])
    return files


def select_documents(files: list[Document], reading: Reading,
                     config_path: Path) -> tuple[list[Document], list[Diagnostic]]:
    """The documents the files hold: each file is one document, or, with a `document` selector (an XPath),
    each element it selects is one, in a TEI tree of its own with the file's header. A file in which the
    selector finds nothing stays one document; registers (files without a text) stay as they are. Where two
    files give a document the same id, its page goes in a folder named after its file. A file whose facts
    the last build kept holds the documents they list, unread."""
    documents, problems = [], []
    selector = reading.selector
    for file in files:
        try:
            if file.file_facts is not None:
                held = parts_from_facts(file)
            else:
                held = held_documents(file, selector)
                attach_reader(file, held, reading)
        except etree.XPathError as exc:
            problems.append(error(config_path, 1, 1, "config-document",
                                  f"document '{selector}' cannot be evaluated in {file.path.name} ({exc}): "
                                  "correct the XPath"))
            continue
        documents.extend(held)
    _name_pages(documents)
    return documents, problems


def held_documents(file: Document, selector: str) -> list[Document]:
    """The documents one file holds (see select_documents); raises etree.XPathError for a selector that cannot
    be evaluated."""
    if not selector or file.kind == "register":
        return [file]
    select = _selector(selector)
    found = [node for node in select(file.tree) if isinstance(node, etree._Element)]
    selected = [_selected(file, element, n) for n, element in enumerate(found, 1) if element is not file.root]
    if not found or file.root in found:
        return [*selected, file]
    return [*selected, _rest_of_volume(file, select, selected)] if selected else []


@lru_cache(maxsize=4)
def _selector(selector: str) -> etree.XPath:
    return etree.XPath(selector, namespaces=NS)


def parts_from_facts(file: Document) -> list[Document]:
    """The documents of a file the last build read, as its facts list them (the file itself, or the documents
    selected from it and the rest of the file), none of them parsed."""
    file.id, file.kind = file.file_facts.id, file.file_facts.kind
    held = []
    for facts in file.file_facts.documents:
        if not facts.selected and not facts.volume:
            file.facts = facts
            held.append(file)
            continue
        held.append(Document(path=file.path, tree=None, source_lines=None, source=None, id=facts.id,
                             kind=facts.kind, file=file, volume=facts.volume, facts=facts, key=file.key,
                             reader=file.reader))
    file.reader.documents = [file, *[d for d in held if d is not file]]
    return held


def _selected(file: Document, element, number: int) -> Document:
    """One selected element as a document: the file's header and the element, as TEI/text/body/element (or
    the element itself when it is a TEI of a teiCorpus). Copies keep their source lines, so diagnostics and
    anchors still point into the file."""
    if element.tag == f"{{{TEI}}}TEI":
        tei = copy.deepcopy(element)
    else:
        tei = etree.Element(f"{{{TEI}}}TEI", nsmap=file.root.nsmap)
        header = file.root.find("tei:teiHeader", NS)
        if header is not None:
            tei.append(copy.deepcopy(header))
        body = etree.SubElement(etree.SubElement(tei, f"{{{TEI}}}text"), f"{{{TEI}}}body")
        part = copy.deepcopy(element)
        part.tail = None
        body.append(part)
    tei.sourceline = element.sourceline
    document = Document(path=file.path, tree=etree.ElementTree(tei), source_lines=file.source_lines,
                        source=etree.tostring(tei, xml_declaration=True, encoding="UTF-8"), file=file)
    document.id = element.get(XML_ID) or f"{file.path.stem}-{number}"
    return document


def _rest_of_volume(file: Document, select: etree.XPath, selected: list[Document]) -> Document:
    """What a file holds besides its selected documents (a volume's preface, lists, index) as a document of
    its own, named after the file, each selected document standing in it as a link to its page: so no word
    of the file is left out of the site."""
    tree = copy.deepcopy(file.tree)
    for element, document in zip([n for n in select(tree) if isinstance(n, etree._Element)], selected):
        link = etree.Element(f"{{{TEI}}}p")
        ref = etree.SubElement(link, f"{{{TEI}}}ref", target=f"#{document.id}")
        head = element.find("tei:head", NS)
        ref.text = " ".join(_text_without_notes(head).split()) if head is not None else document.id
        link.tail = element.tail
        element.getparent().replace(element, link)
    volume = Document(path=file.path, tree=tree, source_lines=file.source_lines, source=file.source, file=file,
                      volume=True)
    volume.id = file.root.get(XML_ID) or file.path.stem
    return volume


def _text_without_notes(element) -> str:
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag != f"{{{TEI}}}note":
            parts.append(_text_without_notes(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _name_pages(documents: list[Document]) -> None:
    # An id given by two files (document 1 of two volumes) would give two pages one address.
    # The file's name (a selected document), or its folder's (a whole file), tells them apart.
    counts = Counter(d.id for d in documents if d.kind == "document")
    for document in documents:
        qualifier = document.path.stem if document.file is not None else document.path.parent.name
        document.name = f"{qualifier}/{document.id}" if counts[document.id] > 1 else document.id
