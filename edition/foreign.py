"""The conventions of TEI written elsewhere, understood where the edition's own are missing: the Foreign
Relations of the United States (FRUS) first. A FRUS document is a `div[@type='document']` of a volume, titled
by its `head`, dated by its `dateline`, with a `note[@type='source']`; its people and terms are lists in the
volume's front matter, pointed to by `persName/@corresp` and `gloss/@target`; text withheld at
declassification is a printed notice such as "[1 line of source text not declassified]"."""

from __future__ import annotations

import re

from .model import NS, TEI, XML_ID, Document, Entity

# Name elements that point to their entry with @corresp, and glossed words that point with @target, where the
# edition's own texts use @ref.
_CORRESP_NAMES = ("persName", "placeName", "orgName", "name", "rs")
_TARGET_TERMS = ("gloss", "term")
# The kind of entry a list item defines, by the element that carries its xml:id.
_DEFINED = {f"{{{TEI}}}persName": "person", f"{{{TEI}}}placeName": "place", f"{{{TEI}}}orgName": "org",
            f"{{{TEI}}}term": "term"}


def part(document: Document):
    """The element a document was selected as from a larger file (None when the document is the file)."""
    if document.file is None or document.volume:
        return None
    return document.root.find("tei:text/tei:body/*", NS)


def list_entities(files: list[Document]) -> dict[str, Entity]:
    """The people, places, organisations and terms defined in lists of the files' texts, as a FRUS volume's
    "List of Persons" and "List of Abbreviations" define them: an item whose first name or term carries an
    xml:id, the rest of the item being its identification."""
    entities: dict[str, Entity] = {}
    for file in files:
        for item in file.root.xpath(".//tei:text//tei:list/tei:item", namespaces=NS):
            defined = next((e for e in item.iter(*_DEFINED) if e.get(XML_ID)), None)
            if defined is None or defined.get(XML_ID) in entities:
                continue
            name = _words(defined)
            entities[defined.get(XML_ID)] = Entity(
                id=defined.get(XML_ID), kind=_DEFINED[defined.tag], name=name, note=_identification(item, defined),
                sort_key=name.casefold())
    return entities


def _identification(item, defined) -> str:
    # "Abrasimov, Pyotr A., Soviet Ambassador…": the item without the name and the comma after it.
    whole = _words(item)
    name = _words(defined)
    rest = whole[whole.find(name) + len(name):] if name and name in whole else whole
    return rest.lstrip(" ,:;–—-").strip()


def adopt_pointers(document: Document, entities: dict[str, Entity]) -> None:
    """Give names that point to an entry with @corresp, and glossed terms that point with @target, the @ref
    the edition's own texts use, so that they link to the registers like any other name. Only pointers to
    known entries are adopted (a @corresp elsewhere may mean something else); the tree is the document's in
    memory, never the file."""
    names = " | ".join(f".//tei:text//tei:{n}[@corresp][not(@ref)]" for n in _CORRESP_NAMES)
    terms = " | ".join(f".//tei:text//tei:{n}[@target][not(@ref)]" for n in _TARGET_TERMS)
    for element in document.root.xpath(f"{names} | {terms}", namespaces=NS):
        pointer = element.get("corresp") or element.get("target")
        known = [t for t in pointer.split() if t.startswith("#") and t[1:] in entities]
        if known:
            element.set("ref", " ".join(known))


def title(document: Document) -> str:
    """A selected document's heading, without its notes: "10. Memorandum of Conversation"."""
    selected = part(document)
    head = selected.find("tei:head", NS) if selected is not None else None
    return _words(head, skip_notes=True) if head is not None else ""


def date(document: Document) -> str:
    """The document's date as ISO 8601 (@when), from where other projects put it: the dateline, the
    volume's date attributes on the document, the header's date of creation."""
    selected = part(document)
    text = document.root.find("tei:text", NS)
    candidates = []
    if text is not None:
        candidates += text.xpath(".//tei:dateline//tei:date/@when | .//tei:opener//tei:date/@when", namespaces=NS)
    if selected is not None:
        candidates += [value for name, value in selected.attrib.items() if name.endswith("doc-dateTime-min")]
    header = document.root.find("tei:teiHeader", NS)
    if header is not None:
        candidates += header.xpath(".//tei:creation/tei:date/@when | .//tei:date[@type='created']/@when",
                                   namespaces=NS)
    return next((str(value) for value in candidates if _ISO_DATE.match(str(value))), "")


_ISO_DATE = re.compile(r"^-?\d{4}(-\d{2}(-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?)?)?$")


def source_note(document: Document) -> str:
    """The printed source note of a FRUS document ("Source: Department of State, Central Files…")."""
    note = document.root.find("tei:text//tei:note[@type='source']", NS)
    # The page labels it already: "Source:" printed at its start would say it twice.
    return re.sub(r"^Source:\s*", "", _words(note)) if note is not None else ""


def publication(document: Document) -> str:
    """Where a selected document is published: its volume's title and its number in the volume."""
    selected = part(document)
    header = document.root.find("tei:teiHeader", NS)
    if selected is None or header is None:
        return ""
    volume = (header.find("tei:fileDesc/tei:titleStmt/tei:title[@type='complete']", NS)
              if header.find("tei:fileDesc/tei:titleStmt/tei:title[@type='complete']", NS) is not None
              else header.find("tei:fileDesc/tei:titleStmt/tei:title", NS))
    name = _words(volume) if volume is not None else ""
    number = selected.get("n")
    return f"{name}, document {number}" if name and number else name


# "[1 line not declassified]", "[1 paragraph (3½ lines) not declassified]", "[name not declassified]"
_NOTICE = re.compile(r"\[([^\[\]]*?)\s*not declassified\]", re.IGNORECASE)
_AMOUNT = re.compile(r"^(\d*)(½?)\s+(line|paragraph|page|word|name|character)s?\b", re.IGNORECASE)


def withheld_notices(document: Document) -> list[tuple[float, str, str]]:
    """Each printed "not declassified" notice of the text as (amount, unit, ""), or (0, "", what it says)
    when it gives no amount ("less than 1 line", "dollar amount"): withheld text, counted like a gap."""
    text = document.root.find("tei:text", NS)
    if text is None:
        return []
    notices = []
    for notice in _NOTICE.finditer(" ".join("".join(text.itertext()).split())):
        said = notice.group(1).strip()
        amount = _AMOUNT.match(said)
        if amount and (amount.group(1) or amount.group(2)):
            number = int(amount.group(1) or 0) + (0.5 if amount.group(2) else 0)
            notices.append((float(number), amount.group(3).lower(), ""))
        else:
            notices.append((0.0, "", said or "text"))
    return notices


def _words(element, skip_notes: bool = False) -> str:
    if element is None:
        return ""
    if not skip_notes:
        return " ".join("".join(element.itertext()).split())
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag != f"{{{TEI}}}note":
            parts.append(_words(child, skip_notes=True))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())

