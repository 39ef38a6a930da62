"""What the build knows of each file without its tree: its ids, its register entries, and for each document
it holds, the metadata, paragraphs, mentions and anchors that enrichment derived from it (enrich.py).

Facts are kept in the build's manifest (cache.py). A file whose bytes, and the bytes of the files it
includes, are those of the last build is not parsed again: its documents stand on their facts, and a
document's tree is read from its file again only when a stage needs it (load.Reader). A document's facts also
note what they asked of the register entries (`Consulted`): when an answer changes, they are derived anew.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields

from .model import Entity, Metadata, Withheld


# Lists of ids, tokens and counts are kept as one string of words each, separated by spaces (an xml:id or a
# token has none): a large edition holds the facts of every document for the whole build, and one string
# takes a fifth of the memory of a list of strings, and is read from the state at a fraction of the time.


def _shared(value):
    """The value with each of its strings interned: a classification, a repository, an availability statement
    read from the state is otherwise a string of its own in each of 100,000 documents."""
    if isinstance(value, str):
        return sys.intern(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_shared(item) for item in value)
    if isinstance(value, dict):
        return {name: _shared(item) for name, item in value.items()}
    return value


def shared_metadata(metadata: Metadata) -> Metadata:
    """The metadata with its strings interned (`_shared`)."""
    for name, value in vars(metadata).items():
        setattr(metadata, name, _shared(value))
    return metadata


def packed(words) -> str:
    """Words (ids, tokens, numbers) as one string."""
    return " ".join(map(str, words))


def unpacked(text: str) -> list[str]:
    return text.split()


@dataclass
class DocumentFacts:
    """What enrichment derived from one document's tree (a whole file, a selected part of one, or a register)."""

    id: str
    kind: str  # "document" | "register"
    selected: bool = False  # a part of a larger file
    volume: bool = False  # the rest of such a file
    # model.Metadata, as a dict when read from the state, until first asked for (`metadata_object`).
    metadata: dict | Metadata = field(default_factory=dict)
    paragraph_ids: str = ""  # the anchors of the paragraphs, in reading order (packed)
    # The entries the text points to ('#' in a @ref), in order of first mention, each followed by the number
    # of passages naming it (packed). The passages themselves ([entry id, anchor, snippet, where]) are kept in
    # the build's state, not here (state.py): only the page of an entry shows them. `passages` holds them from
    # derivation until then; `passages_digest` says whether they changed.
    named: str = ""
    passages_digest: str = ""
    passages: list[list] = field(default_factory=list)
    text_ids: str = ""  # the xml:ids of the text but the document's own (packed)
    citable: str = ""  # anchor, fingerprint, line, column and element of each citable unit (packed)
    root_line: int = 1
    tokens: str = ""  # every token of every attribute, each side of a '#' (packed)
    asked: dict = field(default_factory=dict)  # register entry id -> its name when asked (None: no such entry)
    # A digest of the metadata and paragraphs, worked out once: what other pages show of the document
    # (cache.document_summary) is compared by it, without the metadata being written out again each build.
    shown_digest: str = ""

    def metadata_object(self) -> Metadata:
        if isinstance(self.metadata, Metadata):
            return self.metadata
        # Metadata's shape is known: its strings interned field by field, without `_shared` walking each value
        # (this runs for every document of the edition on every build).
        intern = sys.intern
        values = {name: intern(value) if type(value) is str else value for name, value in self.metadata.items()}
        withheld = values["withheld"]
        values["withheld"] = Withheld(withheld["passages"], intern(withheld["extent"]),
                                      [(intern(agency), count) for agency, count in withheld["agencies"]])
        for name in ("hands", "senders", "recipients"):
            values[name] = [(intern(first), intern(second)) for first, second in values[name]]
        self.metadata = Metadata(**values)  # held once: the dict is let go
        return self.metadata

    def named_entries(self) -> Iterator[tuple[str, int]]:
        """Each entry the text names, with the number of passages naming it."""
        words = unpacked(self.named)
        return zip(words[::2], map(int, words[1::2]))

    def citable_anchors(self) -> list[str]:
        """The xml:id of each citable unit."""
        return unpacked(self.citable)[::5]

    def citable_units(self) -> Iterator[tuple[str, str, int, int, str]]:
        """Each citable unit with an xml:id: (anchor, fingerprint, line, column, element)."""
        words = unpacked(self.citable)
        for at in range(0, len(words), 5):
            anchor, printed, line, column, element = words[at:at + 5]
            yield anchor, printed, int(line), int(column), element

    def as_json(self) -> dict:
        kept = {name: value for name, value in vars(self).items() if name != "passages"}
        if isinstance(self.metadata, Metadata):
            kept["metadata"] = asdict(self.metadata)
        return kept


@dataclass
class FileFacts:
    """What the build knows of one TEI file: its key, the files it includes, every xml:id it declares, the
    register entries it defines, and the documents it holds."""

    key: str
    id: str = ""
    kind: str = "document"
    includes: list[str] = field(default_factory=list)
    ids: str = ""  # every xml:id it declares (packed)
    entities: list[dict] = field(default_factory=list)  # model.Entity without mentions
    documents: list[DocumentFacts] = field(default_factory=list)
    # The file's size, modification and change times, inode and how it was read (load.file_signature), taken
    # before its bytes were read for `key`: while they are the same, so are the bytes, and the file is not read
    # at all. Empty for a file that includes others (their bytes count too).
    signature: list = field(default_factory=list)
    fresh: bool = field(default=True, compare=False)  # derived in this build, not read from the last one's

    def as_json(self) -> dict:
        # The facts are JSON already: no copy is made (dataclasses.asdict would copy every list and string).
        kept = {name: value for name, value in vars(self).items() if name != "fresh"}
        return {**kept, "documents": [d.as_json() for d in self.documents]}

    @classmethod
    def from_json(cls, value) -> FileFacts | None:
        """The facts as the manifest kept them; None when they are not in this version's shape."""
        try:
            documents = [DocumentFacts(**d) for d in value["documents"]]
            facts = cls(**{**value, "documents": documents, "fresh": False})
            if not all(isinstance(getattr(facts, name), str) for name in ("ids", "key")):
                return None
            [Entity(**e) for e in facts.entities]
        except (TypeError, KeyError):
            return None
        return facts


_DERIVED = {"named_in", "counts", "passages", "mentions"}  # an entry's, from the documents, not from its register


def entity_facts(entity: Entity) -> dict:
    return {f.name: getattr(entity, f.name) for f in fields(Entity) if f.name not in _DERIVED}


def entity_from_facts(values: dict) -> Entity:
    return Entity(**{**values, "offices": list(values["offices"]), "other_names": list(values["other_names"])})


class Consulted(Mapping):
    """The register entries as a document's enrichment sees them, each entry asked about noted with its name
    (None when there is no such entry), so its facts can be trusted later only while the answers hold."""

    def __init__(self, entities: Mapping[str, Entity]):
        self.entities = entities
        self.asked: dict[str, str | None] = {}

    def __getitem__(self, key: str) -> Entity:
        entity = self.entities.get(key)
        self.asked[key] = entity.name if entity is not None else None
        if entity is None:
            raise KeyError(key)
        return entity

    def __contains__(self, key) -> bool:
        return self.get(key) is not None

    def __iter__(self) -> Iterator[str]:
        raise TypeError("a document's enrichment asks for entries by id; it does not list them")

    def __len__(self) -> int:
        return len(self.entities)


def answers_hold(asked: dict, entities: Mapping[str, Entity]) -> bool:
    """Whether every entry asked about has the same answer now."""
    for key, name in asked.items():
        entity = entities.get(key)
        if (entity.name if entity is not None else None) != name:
            return False
    return True
