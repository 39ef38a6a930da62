"""Reading TEI files safely: no network, no DTDs, no external entities; line numbers kept."""

from __future__ import annotations

import copy
import re
from collections import Counter
from pathlib import Path

from lxml import etree

from .diagnostics import Diagnostic, error, warning
from .model import NS, TEI, XML_ID, Document


def safe_parser() -> etree.XMLParser:
    # A fresh parser per file: lxml's parser keeps its error log between files.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
    )


def load_document(path: Path) -> tuple[Document | None, list[Diagnostic]]:
    """Parse one TEI file into a Document, or return why it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, [error(path, 1, 1, "unreadable", f"cannot read the file: {exc.strerror}")]
    return parse_document(path, data)


def parse_document(path: Path, data: bytes) -> tuple[Document | None, list[Diagnostic]]:
    """Parse the bytes of one TEI file (read from `path`, which diagnostics name) into a Document."""
    try:
        tree = etree.ElementTree(etree.fromstring(data, safe_parser()))
    except etree.XMLSyntaxError as exc:
        return None, [_syntax_diagnostic(path, exc)]
    root = tree.getroot()
    if root.tag != f"{{{TEI}}}TEI":
        return None, [_not_tei(path, root)]
    text = _decode(data, tree.docinfo.encoding)
    document = Document(path=path, tree=tree, source_lines=text.splitlines(), source=data)
    document.id = root.get(XML_ID) or path.stem
    has_text = root.find(f"{{{TEI}}}text") is not None
    document.kind = "document" if has_text else "register"
    return document, []


def _decode(data: bytes, encoding: str | None) -> str:
    """The file as text in the encoding the parser found, for locating columns in its lines."""
    try:
        return data.decode(encoding or "utf-8")
    except (LookupError, UnicodeDecodeError):
        return data.decode("utf-8", errors="replace")


def _syntax_diagnostic(path: Path, exc: etree.XMLSyntaxError) -> Diagnostic:
    line, col = exc.position if exc.position else (1, 1)
    message = _plain_syntax_message(re.sub(r", line \d+, column \d+$", "", exc.msg or "not well-formed XML"))
    return error(path, line, col, "not-well-formed", f"not well-formed XML: {message}")


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


def select_documents(files: list[Document], selector: str, config_path: Path) -> tuple[list[Document], list[Diagnostic]]:
    """The documents the files hold: each file is one document, or, with a `document` selector (an XPath),
    each element it selects is one, in a TEI tree of its own with the file's header. A file in which the
    selector finds nothing stays one document; registers (files without a text) stay as they are. Where two
    files give a document the same id, its page goes in a folder named after its file."""
    if not selector:
        _name_pages(files)
        return files, []
    select = etree.XPath(selector, namespaces=NS)
    documents, problems = [], []
    for file in files:
        if file.kind == "register":
            documents.append(file)
            continue
        try:
            found = [node for node in select(file.tree) if isinstance(node, etree._Element)]
        except etree.XPathError as exc:
            problems.append(error(config_path, 1, 1, "config-document",
                                  f"document '{selector}' cannot be evaluated in {file.path.name} ({exc}): "
                                  "correct the XPath"))
            continue
        selected = [_selected(file, element, n) for n, element in enumerate(found, 1) if element is not file.root]
        documents.extend(selected)
        if not found or file.root in found:
            documents.append(file)
        elif selected:
            documents.append(_rest_of_volume(file, select, selected))
    _name_pages(documents)
    return documents, problems


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
