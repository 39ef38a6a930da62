"""`edition ids`: give every citable unit of a document's text that has no xml:id one, changing nothing else.

Citable units are the TEI elements named in CITABLE_UNITS, inside `/TEI/text` only (never in the header, never
in a register's standOff). A new id follows ID_PATTERN, `<document id>-<kind><number>`, as in `secto-8-p1`
(paragraph 1) and `secto-8-n3` (note 3): the document id is `/TEI/@xml:id`, the kind is the unit's letter in
CITABLE_UNITS, and each kind is numbered in document order from 1 + the largest number an id of exactly that
form already has in the document. So an existing id is never renumbered, and a number whose id is already
taken anywhere in the file or in the rest of the edition is skipped.

Every other byte of the file stays as it was: lxml cannot say where a start tag begins in the file, so a small
lexer finds the start tags in the decoded text, each is paired with lxml's element in the same place of
document order (their names must agree), and ` xml:id="…"` is inserted right after the tag's last attribute.
The result is parsed again and must differ from the original only by those ids before it replaces the file.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .config import CONFIG_NAME, load_config
from .diagnostics import Diagnostic, ExitCode, Report, element_column, error
from .load import expand_paths, load_document, safe_parser
from .model import TEI, XML_ID, Document

CITABLE_UNITS = {"p": "p", "head": "h", "note": "n", "item": "i", "row": "r", "stamp": "s"}
# Each unit in words, for readers following an anchor or a mention.
CITABLE_NAMES = {"p": "a paragraph", "head": "a heading", "note": "a note", "item": "a list item",
                 "row": "a table row", "stamp": "a stamp"}
"""The citable units of a document's text: TEI element name -> the kind letter their ids carry."""

ID_PATTERN = "{document}-{kind}{number}"
"""The id of a citable unit: document id, hyphen, kind letter (CITABLE_UNITS), number (`secto-8-p1`)."""

_UNIT_TAGS = [f"{{{TEI}}}{name}" for name in CITABLE_UNITS]
_WHITESPACE = " \t\r\n"
_NAME_ENDS = _WHITESPACE + "/>=\"'"
# Byte order marks XML parsers recognise, with the codec that reads what follows them.
_BOMS = [(codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")]


def units_without_id(root) -> list:
    """The citable units (CITABLE_UNITS) in the text of the TEI document `root` that have no xml:id."""
    text = root.find(f"{{{TEI}}}text")
    if text is None:
        return []
    return [unit for unit in text.iter(*_UNIT_TAGS) if unit.get(XML_ID) is None]


def unit_id(document_id: str, unit, number: int) -> str:
    """The id ID_PATTERN gives a citable unit with this number in the document."""
    return ID_PATTERN.format(document=document_id, kind=_kind(unit), number=number)


@dataclass
class Numbering:
    """The ids one document gains, in document order, and the file's bytes with them inserted."""

    path: Path
    ids: list[str]
    data: bytes

    def describe(self, dry_run: bool) -> str:
        """What the document gains, for its line of output: `4 ids added (x-p3, x-p4, x-n2, x-s1)`."""
        return f"{_count(len(self.ids), 'id')} {'to add' if dry_run else 'added'} ({', '.join(self.ids)})"


@dataclass
class IdsRun:
    """What `edition ids` found and did: the documents numbered, those already complete, every problem."""

    report: Report = field(default_factory=Report)
    numbered: list[Numbering] = field(default_factory=list)  # documents that gain ids
    written: list[Numbering] = field(default_factory=list)  # of those, the ones whose file was replaced
    complete: int = 0  # documents whose citable units all had an id already
    unwritten: int = 0  # documents whose file could not be replaced

    @property
    def added(self) -> int:
        return sum(len(numbering.ids) for numbering in self.numbered)

    @property
    def exit_code(self) -> ExitCode:
        if self.unwritten:
            return ExitCode.OUTPUT
        return ExitCode.INVALID if self.report.errors else ExitCode.OK

    def summary(self, dry_run: bool) -> str:
        """The run's last line of output: how many ids were added where, or why nothing was written."""
        documents = _count(len(self.numbered), "document")
        if self.exit_code is ExitCode.INVALID:
            return f"ids failed: {_count(len(self.report.errors), 'error')}: no file was written"
        if self.exit_code is ExitCode.OUTPUT:
            return f"ids failed: {_count(self.unwritten, 'file')} could not be written"
        if dry_run:
            return f"dry run: {_count(self.added, 'id')} would be added in {documents}; no file was written"
        if self.numbered:
            rest = f"; {_count(self.complete, 'other document')} needed none" if self.complete else ""
            return f"{_count(self.added, 'id')} added in {documents}{rest}"
        return f"no ids to add: every citable unit of {_count(self.complete, 'document')} has an id"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"


def number_files(paths: list[Path], project_dir: Path, write: bool = True) -> IdsRun:
    """Give ids to the citable units of the given files (the edition's texts when none are given).

    Every file is read and every new id chosen before any file is written; if any file has an error,
    none is written. With write=False nothing is ever written: the run says what would be added.
    """
    run = IdsRun()
    sources = []
    for path in _files(paths, project_dir, run.report):
        source, problems = load_document(path)
        run.report.extend(problems)
        if source is not None:
            sources.append(source)
    taken = _edition_ids(project_dir, sources)
    for source in sources:
        numbering, problems = _number(source, taken)
        run.report.extend(problems)
        if numbering is not None and numbering.ids:
            run.numbered.append(numbering)
        elif numbering is not None:
            run.complete += 1
    if write and not run.report.errors:
        _write_all(run)
    return run


def _files(paths: list[Path], project_dir: Path, report: Report) -> list[Path]:
    if paths:
        # A file named twice (or also inside a named folder) is numbered once, or its second numbering would win.
        unique: dict[Path, Path] = {}
        for path in expand_paths(paths):
            unique.setdefault(path.resolve(), path)
        return list(unique.values())
    config, problems = load_config(project_dir)
    report.extend(problems)
    if config is None:
        return []
    files = config.text_files()
    if not files:
        report.extend([error(project_dir / CONFIG_NAME, 1, 1, "no-texts",
                             f"no TEI files match texts = {config.texts}: add files or correct the pattern")])
    return files


def _edition_ids(project_dir: Path, sources: list[Document]) -> set[str]:
    """Every xml:id in the files being numbered and in the edition's other files: ids are unique edition-wide."""
    taken = {xml_id for source in sources for xml_id in _ids_in(source.tree)}
    if not (project_dir / CONFIG_NAME).is_file():
        return taken
    config, _ = load_config(project_dir)
    numbered = {source.path.resolve() for source in sources}
    for path in config.text_files() if config is not None else []:
        if path.resolve() not in numbered:
            document, _ = load_document(path)
            taken |= _ids_in(document.tree) if document is not None else set()
    return taken


def _ids_in(tree) -> set[str]:
    return {element.get(XML_ID) for element in tree.iter(etree.Element) if element.get(XML_ID) is not None}


def _number(source: Document, taken: set[str]) -> tuple[Numbering | None, list[Diagnostic]]:
    """The ids a document gains and its new bytes; None for a register, which has no text to number."""
    root = source.tree.getroot()
    if root.find(f"{{{TEI}}}text") is None:
        return None, []
    units = units_without_id(root)
    if not units:
        return Numbering(source.path, [], source.source), []
    document_id = root.get(XML_ID)
    if document_id is None:
        return None, [_no_document_id(source)]
    ids = _choose_ids(document_id, units, _ids_in(source.tree), taken)
    try:
        data = _insert_ids(source, dict(zip(units, ids)))
    except _Refusal as refusal:
        return None, [error(source.path, refusal.line, refusal.col, refusal.code, refusal.message)]
    taken.update(ids)
    return Numbering(source.path, ids, data), []


def _kind(unit) -> str:
    return CITABLE_UNITS[etree.QName(unit).localname]


def _choose_ids(document_id: str, units: list, in_document: set[str], taken: set[str]) -> list[str]:
    """A new id for each unit, in document order, numbered per kind after the largest number in the document."""
    next_number = {kind: _largest_number(document_id, kind, in_document) + 1 for kind in CITABLE_UNITS.values()}
    ids = []
    for unit in units:
        kind = _kind(unit)
        while unit_id(document_id, unit, next_number[kind]) in taken:
            next_number[kind] += 1
        ids.append(unit_id(document_id, unit, next_number[kind]))
        next_number[kind] += 1
    return ids


def _largest_number(document_id: str, kind: str, ids: set[str]) -> int:
    form = re.compile(re.escape(ID_PATTERN.format(document=document_id, kind=kind, number="")) + "([0-9]+)")
    return max((int(match.group(1)) for match in map(form.fullmatch, ids) if match), default=0)


def _no_document_id(source: Document) -> Diagnostic:
    line, col = element_column(source.source_lines, source.tree.getroot())
    return error(source.path, line, col, "document-id",
                 f"this document's <TEI> has no xml:id, so its new ids cannot be named: add "
                 f"xml:id=\"{source.path.stem}\" (or the document's id) to <TEI>, then run edition ids again")


class _Refusal(Exception):
    """A file edition ids will not rewrite, with the place and the reason."""

    def __init__(self, code: str, message: str, line: int = 1, col: int = 1):
        super().__init__(message)
        self.code, self.message, self.line, self.col = code, message, line, col


# --- the file as text, in its own encoding -------------------------------------------------------------------

@dataclass
class _Decoded:
    bom: bytes
    codec: str
    text: str

    def encode(self, text: str) -> bytes:
        # Only inserted ids can hold characters the encoding lacks; a character reference keeps their value.
        return self.bom + text.encode(self.codec, errors="xmlcharrefreplace")


def _decoded(data: bytes, tree) -> _Decoded:
    """The file's text, read with its byte order mark or else the encoding it declares (UTF-8 by default)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _Decoded(bom, codec, data[len(bom):].decode(codec))
    codec = tree.docinfo.encoding or "utf-8"
    return _Decoded(b"", codec, data.decode(codec))


def _decodable(source: Document) -> bool:
    try:
        decoded = _decoded(source.source, source.tree)
    except (LookupError, UnicodeError):
        return False
    return decoded.encode(decoded.text) == source.source


def _insert_ids(source: Document, new_ids: dict) -> bytes:
    """The file's bytes with ` xml:id="…"` inserted in the start tag of each unit, and nothing else changed."""
    if not _decodable(source):
        raise _Refusal("ids-encoding", "edition ids cannot read and write this file's encoding without changing "
                       "it: save the file as UTF-8, or add the ids by hand")
    decoded = _decoded(source.source, source.tree)
    insertions = [(tag.attributes_end, f' xml:id="{new_ids[element]}"')
                  for tag, element in _paired(decoded.text, source.tree) if element in new_ids]
    data = decoded.encode(_spliced(decoded.text, insertions))
    _check_only_ids_added(source.tree, data, new_ids)
    return data


def _spliced(text: str, insertions: list[tuple[int, str]]) -> str:
    pieces, previous = [], 0
    for offset, inserted in insertions:
        pieces += [text[previous:offset], inserted]
        previous = offset
    return "".join(pieces) + text[previous:]


def _check_only_ids_added(tree, data: bytes, new_ids: dict) -> None:
    """Refuse the new bytes unless they parse to the same elements and attributes, plus exactly the new ids."""
    try:
        after = etree.fromstring(data, safe_parser()).getroottree()
    except etree.XMLSyntaxError:
        after = None
    before_elements = list(tree.iter(etree.Element))
    after_elements = list(after.iter(etree.Element)) if after is not None else []
    same = len(before_elements) == len(after_elements) and all(
        old.tag == new.tag and dict(new.attrib) == _with_new_id(old, new_ids)
        for old, new in zip(before_elements, after_elements)
    )
    if not same:
        raise _Refusal("ids-unmatched", "edition ids could not insert the ids without changing something else, "
                       "so the file was left as it was: add the ids by hand, and report this as a bug")


def _with_new_id(element, new_ids: dict) -> dict:
    attributes = dict(element.attrib)
    if element in new_ids:
        attributes[XML_ID] = new_ids[element]
    return attributes


def _paired(text: str, tree):
    """Each start tag of the text with lxml's element in the same place of document order; refuse a mismatch."""
    tags = _start_tags(text)
    elements = list(tree.iter(etree.Element))
    for index, element in enumerate(elements):
        tag = tags[index] if index < len(tags) else None
        if tag is None or tag.name != _qualified_name(element):
            line, col = _position(text, tag.start) if tag else (element.sourceline or 1, 1)
            found = f"the start tag <{tag.name}>" if tag else "no start tag"
            raise _Refusal("ids-unmatched", f"edition ids found {found} where the parser has <"
                           f"{_qualified_name(element)}>, so the file was left as it was: add the ids by hand, "
                           "and report this as a bug", line, col)
        yield tag, element
    if len(tags) > len(elements):
        line, col = _position(text, tags[len(elements)].start)
        raise _Refusal("ids-unmatched", f"edition ids found a start tag <{tags[len(elements)].name}> the parser "
                       "does not have, so the file was left as it was: add the ids by hand, and report this "
                       "as a bug", line, col)


def _qualified_name(element) -> str:
    return f"{element.prefix}:{etree.QName(element).localname}" if element.prefix else etree.QName(element).localname


def _position(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


# --- the lexer: where each start tag is in the text -----------------------------------------------------------

@dataclass(frozen=True)
class _StartTag:
    name: str  # as written, with its prefix if any
    start: int  # offset of its `<`
    attributes_end: int  # offset just after the name or the last attribute value: where an attribute goes
    end: int  # offset just after its `>`


def _start_tags(text: str) -> list[_StartTag]:
    """Every start tag (and empty-element tag) of a well-formed document, in document order.

    Comments, CDATA sections, processing instructions, the XML declaration, the DOCTYPE (with its internal
    subset) and end tags are stepped over whole, so a `<p>` inside any of them is not taken for a tag.
    """
    tags, position = [], text.find("<")
    while position != -1:
        if text.startswith("<!--", position):
            position = _after(text, "-->", position + 4)
        elif text.startswith("<![CDATA[", position):
            position = _after(text, "]]>", position + 9)
        elif text.startswith("<?", position):
            position = _after(text, "?>", position + 2)
        elif text.startswith("<!DOCTYPE", position):
            position = _after_doctype(text, position + 9)
        elif text.startswith("</", position):
            position = _after(text, ">", position + 2)
        else:
            tags.append(_start_tag(text, position))
            position = tags[-1].end
        position = text.find("<", position)
    return tags


def _after(text: str, terminator: str, position: int) -> int:
    found = text.find(terminator, position)
    if found == -1:
        raise _unexpected(text, position, f"'{terminator}' never comes")
    return found + len(terminator)


def _after_doctype(text: str, position: int) -> int:
    # Quoted system and public ids may hold `>` or `[`; the internal subset may hold `>` anywhere.
    while position < len(text):
        char = text[position]
        if char in "\"'":
            position = _after(text, char, position + 1)
        elif char == "[":
            position = _after_internal_subset(text, position + 1)
        elif char == ">":
            return position + 1
        else:
            position += 1
    raise _unexpected(text, position, "the DOCTYPE never ends")


def _after_internal_subset(text: str, position: int) -> int:
    # Entity values and attribute defaults are quoted and may hold `]`, `>` and `<`; so may comments and PIs.
    while position < len(text):
        if text.startswith("<!--", position):
            position = _after(text, "-->", position + 4)
        elif text.startswith("<?", position):
            position = _after(text, "?>", position + 2)
        elif text[position] in "\"'":
            position = _after(text, text[position], position + 1)
        elif text[position] == "]":
            return position + 1
        else:
            position += 1
    raise _unexpected(text, position, "the DOCTYPE's internal subset never ends")


def _start_tag(text: str, start: int) -> _StartTag:
    name_end = _name_end(text, start + 1)
    position = attributes_end = name_end
    while True:
        position = _skip_whitespace(text, position)
        if text.startswith("/>", position):
            return _StartTag(text[start + 1:name_end], start, attributes_end, position + 2)
        if text.startswith(">", position):
            return _StartTag(text[start + 1:name_end], start, attributes_end, position + 1)
        position = _skip_whitespace(text, _name_end(text, position))
        if not text.startswith("=", position):
            raise _unexpected(text, position, "an attribute without '='")
        position = _skip_whitespace(text, position + 1)
        quote = text[position:position + 1]
        if quote not in ("\"", "'"):
            raise _unexpected(text, position, "an attribute value without quotes")
        position = attributes_end = _after(text, quote, position + 1)


def _name_end(text: str, position: int) -> int:
    end = position
    while end < len(text) and text[end] not in _NAME_ENDS:
        end += 1
    if end == position:
        raise _unexpected(text, position, "a name was expected")
    return end


def _skip_whitespace(text: str, position: int) -> int:
    while position < len(text) and text[position] in _WHITESPACE:
        position += 1
    return position


def _unexpected(text: str, position: int, what: str) -> _Refusal:
    line, col = _position(text, min(position, len(text)))
    return _Refusal("ids-unmatched", f"edition ids cannot read the markup here ({what}), so the file was left "
                    "as it was: add the ids by hand, and report this as a bug", line, col)


# --- writing ------------------------------------------------------------------------------------------------

def _write_all(run: IdsRun) -> None:
    for numbering in run.numbered:
        try:
            replace_file(numbering.path, numbering.data)
            run.written.append(numbering)
        except OSError as exc:
            run.unwritten += 1
            run.report.extend([error(numbering.path, 1, 1, "unwritable",
                                     f"cannot write the file: {exc.strerror or exc}: make the file and its folder "
                                     "writable, then run edition ids again")])


def replace_file(path: Path, data: bytes) -> None:
    """Replace a file's content in one step, keeping its permissions: a crash leaves the old file or the new one."""
    target = path.resolve()  # through a symbolic link to the file it names, which must stay a link
    if not os.access(target, os.W_OK):
        raise PermissionError(13, "the file is read-only")
    mode = stat.S_IMODE(target.stat().st_mode)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    # The rename itself is durable only once the folder is synced; not every system can open a folder.
    with contextlib.suppress(OSError):
        handle = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)
