"""What is derived from the documents once they are valid: metadata, paragraph anchors, registers, chronology."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import date as Date
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from lxml import etree

from . import foreign
from .anchors import citable_units
from .config import Config
from .facts import (Consulted, DocumentFacts, FileFacts, answers_hold, entity_facts, entity_from_facts, packed,
                    shared_metadata, unpacked)
from .ids import CITABLE_NAMES, CITABLE_UNITS
from .model import NS, TEI, XML_ID, Document, Edition, Entity, Mention, Metadata, Withheld

if TYPE_CHECKING:
    from .state import State


def enrich(config: Config, documents: list[Document],
           keep_passages: Callable[[Document], None] = lambda document: None) -> Edition:
    """Gather the edition: registers first, then each document's facts (derived as it was validated, or kept
    from the last build, and derived again where an entry they asked about changed), then the chronology.
    Every tree is let go at the end: what the build needs next is in the facts, and a stage that needs a tree
    reads its file again. The passages of facts derived here are handed to `keep_passages` (the build's
    state)."""
    registers = [d for d in documents if d.kind == "register"]
    texts = [d for d in documents if d.kind == "document"]
    entities = edition_entities(list({d.origin.path: d.origin for d in documents}.values()))
    for document in texts:
        if document.facts is None or not answers_hold(document.facts.asked, entities):
            document.facts = document_facts(document, entities)
            document.origin.file_facts.fresh = True
            keep_passages(document)
        document.metadata = document.facts.metadata_object()
        document.mentions = mentioned_entities(document, entities)
    chronology = sorted(texts, key=lambda d: (d.metadata.date or "9999", d.id))
    link_chronology(chronology)
    entity_namings(chronology, entities)
    keep_document_facts(documents)
    let_trees_go(documents, entities)
    return Edition(config=config, documents=chronology, registers=registers, entities=entities,
                   anchors=document_anchors(texts))


def edition_entities(files: list[Document]) -> dict[str, Entity]:
    """The entries of the registers, in file order (a later file's entry of the same id wins), then those the
    lists of the other files define (the first file's wins, and a register's over any)."""
    entities: dict[str, Entity] = {}
    for register in (f for f in files if f.file_facts.kind == "register"):
        entities.update((e.id, e) for e in file_entities(register))
    for file in (f for f in files if f.file_facts.kind != "register"):
        for entity in file_entities(file):
            entities.setdefault(entity.id, entity)
    return entities


def file_entities(file: Document) -> list[Entity]:
    """The entries a file defines: a register's people, places, organisations and terms, or the lists of a
    volume's text (foreign.py); from its facts when it has them."""
    if file.file_facts is not None:
        return [entity_from_facts(values) for values in file.file_facts.entities]
    if file.kind == "register":
        return list(register_entities([file]).values())
    return list(foreign.list_entities([file]).values())


def file_facts(file: Document) -> FileFacts:
    """What the other files need of a file just parsed, before any is validated or enriched: its ids and the
    entries it defines. The facts of its documents are added once it is valid (document_facts)."""
    return FileFacts(key=file.key, id=file.id, kind=file.kind, includes=[str(p) for p in file.includes],
                     ids=packed(file_ids(file)), entities=[entity_facts(e) for e in file_entities(file)])


def document_facts(document: Document, entities: dict[str, Entity]) -> DocumentFacts:
    """What the build needs of a document's tree, derived from it once (facts.py). The entries it asks about
    are noted with their answers."""
    if document.kind == "register":
        return DocumentFacts(id=document.id, kind=document.kind, root_line=document.root.sourceline or 1)
    consulted = Consulted(entities)
    foreign.adopt_pointers(document, consulted)
    metadata = document_metadata(document, consulted)
    paragraphs = paragraph_ids(document)
    passages = passage_mentions(document, paragraphs)
    return DocumentFacts(
        id=document.id, kind=document.kind, selected=document.file is not None and not document.volume,
        volume=document.volume, metadata=shared_metadata(metadata), paragraph_ids=packed(paragraphs),
        named=packed(named_entries(passages)), passages_digest=passages_digest(passages), passages=passages,
        text_ids=packed(text_ids(document)), citable=packed(word for unit in citable_units(document) for word in unit),
        root_line=document.root.sourceline or 1, tokens=packed(attribute_tokens(document)),
        asked=consulted.asked, shown_digest=_digest([asdict(metadata), paragraphs]))


def keep_document_facts(documents: list[Document]) -> None:
    """Note in each file's facts, for the manifest, the facts of the documents it holds as they now stand
    (some may have been derived again)."""
    held: dict[Path, list[Document]] = {}
    for document in documents:
        held.setdefault(document.origin.path, []).append(document)
    for documents_of_file in held.values():
        documents_of_file[0].origin.file_facts.documents = [d.facts for d in documents_of_file]


def file_ids(file: Document) -> list[str]:
    """Every xml:id the file declares (its XIncludes read in), as the validation's rules look them up."""
    return [str(value) for value in file.loaded_tree().xpath("//@xml:id")]


def let_trees_go(documents: list[Document], entities: dict[str, Entity]) -> None:
    """Release every tree; a tree read again has a volume's pointers adopted as it had here."""
    readers = {id(d.reader): d.reader for d in documents if d.reader is not None}
    for reader in readers.values():
        reader.prepare = lambda document: foreign.adopt_pointers(document, entities)
        for document in reader.documents:
            document.release()


def document_anchors(documents: list[Document]) -> dict[str, list[Document]]:
    """Each document's own id, and each xml:id of the documents' texts that an attribute of some text names,
    with the documents that hold it (more than one where volumes from elsewhere each number their documents
    d1, d2…). An id no attribute names is left out: nothing looks it up (cache.py and transform.py ask only
    for what a document's attributes name), and a large edition has millions of them."""
    named = {token for document in documents for token in unpacked(document.facts.tokens)}
    anchors: dict[str, list[Document]] = {}
    for document in documents:
        anchors.setdefault(document.id, []).append(document)
        for identifier in unpacked(document.facts.text_ids):
            if identifier in named:
                anchors.setdefault(identifier, []).append(document)
    return anchors


def text_ids(document: Document) -> list[str]:
    """The xml:ids within the document's text, but its own."""
    return [identified.get(XML_ID) for text in document.root.iterfind(f"{{{TEI}}}text") for identified in text.iter()
            if identified.get(XML_ID) and identified.get(XML_ID) != document.id]


def attribute_tokens(document: Document) -> list[str]:
    """Every token of every attribute of the document, and each side of a '#' in it: whatever a pointer could
    name (cache.py digests what each names, so a page is remade when the target of one of its links changes).
    An xml:id names the element that bears it, and points nowhere."""
    tokens = set()
    for element in document.root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name == XML_ID:
                continue
            for token in value.split():
                tokens.update(token.split("#"))
    return sorted(tokens)


def register_entities(registers: list[Document]) -> dict[str, Entity]:
    """Every person, place and organisation of the registers, by xml:id."""
    entities = {}
    kinds = {"person": "persName", "place": "placeName", "org": "orgName"}
    for register in registers:
        for kind, name_element in kinds.items():
            for entry in register.root.xpath(f".//tei:{kind}[@xml:id]", namespaces=NS):
                name = entry.find(f"tei:{name_element}", NS)
                note = entry.find("tei:note", NS)
                entities[entry.get(XML_ID)] = Entity(
                    id=entry.get(XML_ID), kind=kind, name=_text(name), note=_text(note),
                    sort_key=_sort_key(name), dates=_life_dates(entry),
                    offices=[_text(o) for o in entry.iterfind("tei:occupation", NS)],
                    other_names=[_text(n) for n in entry.iterfind(f"tei:{name_element}", NS)][1:],
                )
        for item in register.root.xpath(".//tei:standOff//tei:list[@type='gloss']/tei:item[@xml:id]", namespaces=NS):
            term = item.getprevious() if item.getprevious() is not None and item.getprevious().tag == f"{{{TEI}}}label" else None
            entities[item.get(XML_ID)] = Entity(id=item.get(XML_ID), kind="term", name=_text(term) or item.get(XML_ID),
                                                note=_text(item), sort_key=_text(term).casefold())
    return entities


def _sort_key(name) -> str:
    # "Rusk, Dean": surname first where the register marks it, so the index reads as readers look names up.
    if name is None:
        return ""
    surname = name.find("tei:surname", NS)
    key = f"{_text(surname)} {_text(name)}" if surname is not None else _text(name)
    return key.casefold()


def _life_dates(person) -> str:
    birth, death = (person.find(f"tei:{event}", NS) for event in ("birth", "death"))
    years = [(event.get("when") or "")[:4] if event is not None else "" for event in (birth, death)]
    return "–".join(years) if any(years) else ""


def entity_namings(documents: list[Document], entities: dict[str, Entity]) -> None:
    """Give each register entry the documents naming it, in chronological order, and the number of passages."""
    for document in documents:
        for entry, passages in document.facts.named_entries():
            entity = entities.get(entry)
            if entity is not None:
                entity.named_in.append(document)
                entity.counts.append(passages)
                entity.passages += passages


def named_entries(passages: list[list]) -> list:
    """Each entry the passages name, in order of first mention, followed by the number of passages naming it."""
    named: dict[str, set[str]] = {}
    for entry, anchor, *_ in passages:
        named.setdefault(entry, set()).add(anchor)
    return [word for entry, anchors in named.items() for word in (entry, len(anchors))]


def passages_digest(passages: list[list]) -> str:
    return _digest(passages)


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()[:32]


class Passages:
    """The passages naming a register entry, for its pages: from the build's state (state.py), where they are
    kept as each document's facts are derived, or, with no state, from the facts in memory. Each passage is
    counted once (a paragraph naming the entry twice is one passage), in the chronological order of its
    documents; an entry named in most documents of a large edition has hundreds of thousands, read one page at
    a time."""

    def __init__(self, state: State | None = None):
        self.state = state

    def of(self, entity: Entity, held: list[Document], before: int, first: int, last: int) -> list[Mention]:
        """The passages from the `first` to the `last` (counted from 1), which the documents `held` hold, `before`
        passages of the entry coming before theirs (render.entry_pages)."""
        if self.state is None:
            rows = {id(d): _passages_in(d, entity.id) for d in held}
        else:
            rows = {}
            found = self.state.mentions_in(entity.id, [d.id for d in held])
            by_document = {(str(d.origin.path), d.id): d for d in held}
            for path, document_id, anchor, snippet, where in found:
                if (document := by_document.get((path, document_id))) is not None:
                    rows.setdefault(id(document), []).append((anchor, snippet, where))
            rows = {key: _once_each(value) for key, value in rows.items()}
        mentions = [Mention(d, anchor, snippet, where) for d in held for anchor, snippet, where in rows.get(id(d), [])]
        return mentions[first - 1 - before:last - before]


def _passages_in(document: Document, entity_id: str) -> list[tuple[str, str, str]]:
    """The passages of a document's facts in memory naming the entry: (anchor, snippet, where), once each."""
    return _once_each([(a, snippet, where) for e, a, snippet, where in document.facts.passages if e == entity_id])


def _once_each(rows: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The rows, each anchor once (its first passage), in order."""
    anchors: set[str] = set()
    kept = []
    for anchor, snippet, where in rows:
        if anchor not in anchors:
            anchors.add(anchor)
            kept.append((anchor, snippet, where))
    return kept


_CITABLE = {f"{{{TEI}}}{name}" for name in CITABLE_UNITS}
# Left out of a snippet: the source's side of a choice (the reading text is quoted), what the reading view
# leaves out, and notes within the passage (they are passages of their own).
_NOT_QUOTED = {f"{{{TEI}}}{name}" for name in ("sic", "orig", "abbr", "del", "surplus", "note", "fw")}


def passage_mentions(document: Document, paragraphs: list[str]) -> list[list]:
    """Each pointer to an entry ('#' and an id) of a @ref in the text, in order: [the id, the anchor of the
    passage holding it, the words around it, the passage in words]."""
    mentions = []
    passages: dict = {}  # each passage's reading text, worked out once however many names it holds
    for element in document.root.xpath(".//tei:text//*[@ref]", namespaces=NS):
        for token in element.get("ref").split():
            if token.startswith("#"):
                mentions.append([token[1:], *_mention(document, element, paragraphs, passages)])
    return mentions


def _mention(document: Document, name, paragraphs: list[str], passages: dict) -> tuple[str, str, str]:
    holder = next((a for a in name.iterancestors() if a.tag in _CITABLE and a.get(XML_ID)), None)
    anchor = holder.get(XML_ID) if holder is not None else document.id
    number = paragraphs.index(anchor) + 1 if anchor in paragraphs else 0
    where = f"paragraph {number}" if number else CITABLE_NAMES.get(etree.QName(holder).localname, "") \
        if holder is not None else ""
    if holder is not None and holder not in passages:
        passages[holder] = " ".join(_reading_text(holder, top=True).split())
    return anchor, _snippet(passages.get(holder), name), where


def _snippet(text: str | None, name, words: int = 10) -> str:
    """The name with up to `words` words either side, from the reading text (`text`) of the passage holding
    it; the name alone when it stands in no passage."""
    named = " ".join(_reading_text(name, top=True).split())
    if text is None:
        return named
    at = text.find(named)
    if at < 0 or not named:
        return named or text[:120]
    before, after = text[:at], text[at + len(named):]
    # Split off no more than the words kept: a passage can be long, and name many.
    ahead, behind = before.rsplit(maxsplit=words), after.split(maxsplit=words)
    kept_before = " ".join(["…", *ahead[1:]] if len(ahead) > words else ahead)
    kept_after = " ".join([*behind[:words], "…"] if len(behind) > words else behind)
    # The name keeps its spacing: "SECRETARY," stays one word.
    return (kept_before + (" " if before[-1:].isspace() else "") + named
            + (" " if after[:1].isspace() else "") + kept_after).strip()


def _reading_text(element, top: bool = False) -> str:
    if not top and (element.tag in _NOT_QUOTED and (element.tag != f"{{{TEI}}}abbr" or
                                                   element.getparent().find("tei:expan", NS) is not None)):
        return element.tail or ""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            parts.append(_reading_text(child))
        else:
            parts.append(child.tail or "")
    if not top:
        parts.append(element.tail or "")
    return "".join(parts)


def document_metadata(document: Document, entities: dict[str, Entity]) -> Metadata:
    """The header facts a reader sees above the text."""
    header = document.root.find("tei:teiHeader", NS)
    if header is None:  # well-formed TEI from elsewhere may come without one
        header = etree.Element(f"{{{TEI}}}teiHeader")

    def first(path: str):
        return header.find(path, NS)

    sent = "tei:profileDesc/tei:correspDesc/tei:correspAction[@type='sent']"
    received = "tei:profileDesc/tei:correspDesc/tei:correspAction[@type='received']"
    identifier = "tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:msIdentifier"
    sent_date = first(f"{sent}/tei:date")
    when = (sent_date.get("when", "") if sent_date is not None else "") or foreign.date(document)
    return Metadata(
        title=_text(first("tei:fileDesc/tei:titleStmt/tei:title[@type='main']")) or foreign.title(document)
        or _text(first("tei:fileDesc/tei:titleStmt/tei:title")) or document.id,
        date=when,
        date_text=human_date(when) if when else "undated",
        sender=_party(first(sent), entities),
        recipient=_party(first(received), entities),
        classification=_keyword(header, "classification"),
        precedence=_keyword(header, "precedence"),
        distribution=_keyword(header, "distribution"),
        source=_archival_source(first("tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:msIdentifier"))
        or foreign.source_note(document),
        declassification=_declassification(header),
        publication=_citation(first("tei:fileDesc/tei:sourceDesc/tei:listBibl/tei:bibl[@type='publication']"))
        or foreign.publication(document) or _citation(first("tei:fileDesc/tei:sourceDesc/tei:bibl")),
        availability=_text(first("tei:fileDesc/tei:publicationStmt/tei:availability")),
        hands=[(hand.get(XML_ID, ""), _text(hand)) for hand in header.iterfind(".//tei:handNote", NS)],
        withheld=withheld_content(document),
        document_type=_document_type(header),
        senders=_correspondents(first(sent), entities),
        recipients=_correspondents(first(received), entities),
        repository=_text(first(f"{identifier}/tei:repository")),
        collection=_text(first(f"{identifier}/tei:collection")),
        idno=_text(first(f"{identifier}/tei:idno")),
        language=_language(document.root, header),
        summary=_text(first("tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:msContents/tei:summary")),
    )


_UNIT_NAMES = {"char": "character", "word": "word", "line": "line", "paragraph": "paragraph", "page": "page"}


def withheld_content(document: Document) -> Withheld:
    """The passages of the text not declassified (gaps, and the printed notices of texts from elsewhere),
    with their extent added up per unit."""
    gaps = document.root.xpath(".//tei:text//tei:gap[@reason='notDeclassified']", namespaces=NS)
    totals: dict[str, float] = {}
    described = []
    for gap in gaps:
        unit, quantity = gap.get("unit"), gap.get("quantity")
        if unit and quantity:
            try:
                totals[unit] = totals.get(unit, 0) + float(quantity)
                continue
            except ValueError:
                pass
        if gap.get("extent"):
            described.append(gap.get("extent"))
    notices = foreign.withheld_notices(document)
    for quantity, unit, said in notices:
        if unit:
            totals[unit] = totals.get(unit, 0) + quantity
        else:
            described.append(said)
    extent = [_amount(amount, unit) for unit, amount in totals.items()] + described
    agents = [gap.get("agent") for gap in gaps if gap.get("agent")]
    agencies = [(agent, agents.count(agent)) for agent in sorted(set(agents))]
    return Withheld(passages=len(gaps) + len(notices), extent=", ".join(extent), agencies=agencies)


def _amount(amount: float, unit: str) -> str:
    number = int(amount) if amount == int(amount) else amount
    name = _UNIT_NAMES.get(unit, unit)
    return f"{number} {name}{'' if number == 1 else 's'}"


def paragraph_ids(document: Document) -> list[str]:
    """The anchors of the document's paragraphs, in reading order."""
    return [p.get(XML_ID) for p in
            document.root.xpath(".//tei:text/tei:body//tei:p[@xml:id][not(ancestor::tei:note)]", namespaces=NS)]


def mentioned_entities(document: Document, entities: dict[str, Entity]) -> list[Entity]:
    """The register entries the document's text points to, people first, each once, in order of first mention."""
    seen: dict[str, Entity] = {}
    for entry in unpacked(document.facts.named)[::2]:  # entries and their counts, alternately
        entity = entities.get(entry)
        if entity is not None and entity.id not in seen:
            seen[entity.id] = entity
    by_kind: dict[str, list[Entity]] = {"person": [], "org": [], "place": []}
    others: list[Entity] = []
    for entity in seen.values():
        by_kind.get(entity.kind, others).append(entity)
    return [*by_kind["person"], *by_kind["org"], *by_kind["place"], *others]


def link_chronology(documents: list[Document]) -> None:
    """Give each document its neighbours in date order."""
    for before, after in zip(documents, documents[1:]):
        before.next = after
        after.previous = before


def human_date(when: str) -> str:
    """'1962-12-13T11:00:00+01:00' → '13 December 1962, 11:00'; partial dates stay partial."""
    day_part, _, time_part = when.partition("T")
    pieces = day_part.split("-")
    try:
        if len(pieces) == 3:
            text = f"{int(pieces[2])} {Date(2000, int(pieces[1]), 1):%B} {pieces[0]}"
        elif len(pieces) == 2:
            text = f"{Date(2000, int(pieces[1]), 1):%B} {pieces[0]}"
        else:
            text = pieces[0]
    except ValueError:
        return when
    if not time_part:
        return text
    offset = time_part[8:] if len(time_part) > 8 else ""
    zone = " UTC" if offset == "Z" else f" (UTC{offset})" if offset else ""
    return f"{text}, {time_part[:5]}{zone}"


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split()) if element is not None else ""


def _party(action, entities: dict[str, Entity]) -> str:
    if action is None:
        return ""
    names = []
    for name in action.iterfind("tei:persName", NS):
        names.append(_entity_name(name, entities))
    for name in action.iterfind("tei:orgName", NS):
        names.append(_entity_name(name, entities))
    place = action.find("tei:placeName", NS)
    party = "; ".join(n for n in names if n)
    return f"{party} ({_text(place)})" if party and place is not None else party


def _correspondents(action, entities: dict[str, Entity]) -> list[tuple[str, str]]:
    """Each person and organisation of a correspAction, in document order, as (kind, name)."""
    if action is None:
        return []
    kinds = {f"{{{TEI}}}persName": "person", f"{{{TEI}}}orgName": "org"}
    named = [(kinds[child.tag], _entity_name(child, entities)) for child in action if child.tag in kinds]
    return [(kind, name) for kind, name in named if name]


def _document_type(header) -> str:
    description = header.find("tei:fileDesc/tei:sourceDesc/tei:msDesc/tei:physDesc/tei:objectDesc", NS)
    return description.get("form", "") if description is not None else ""


_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _language(root, header) -> str:
    """The language the text is written in: the TEI's own xml:lang, else the first declared in langUsage."""
    declared = header.find("tei:profileDesc/tei:langUsage/tei:language", NS)
    return root.get(_XML_LANG) or (declared.get("ident", "") if declared is not None else "")


def _entity_name(element, entities: dict[str, Entity]) -> str:
    written = _text(element)
    return written or entities.get(element.get("ref", "").lstrip("#"), Entity("", "", "")).name


def _citation(bibl) -> str:
    """A bibliographic reference as text, its pointers written out as their addresses."""
    return " ".join("".join(_citation_parts(bibl)).split()) if bibl is not None else ""


def _citation_parts(element):
    if element.tag == f"{{{TEI}}}ptr":
        yield element.get("target", "")
    yield element.text or ""
    for child in element:
        if isinstance(child.tag, str):
            yield from _citation_parts(child)
        yield child.tail or ""


def _keyword(header, scheme: str) -> str:
    terms = header.iterfind(f"tei:profileDesc/tei:textClass/tei:keywords[@scheme='#{scheme}']/tei:term", NS)
    return "; ".join(_text(t) for t in terms)


def _archival_source(identifier) -> str:
    if identifier is None:
        return ""
    parts = [_text(identifier.find(f"tei:{name}", NS)) for name in ("repository", "collection", "idno")]
    return ", ".join(p for p in parts if p)


def _declassification(header) -> str:
    event = header.find(".//tei:custEvent[@type='declassification']", NS)
    if event is None:
        return ""
    return _text(event) or human_date(event.get("when", ""))
