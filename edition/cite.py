"""How to cite a document of the edition, or one of its paragraphs: ready citations, exports and page metadata.

Pure functions of the settings, an enriched document and the build date; the templates call them.

The plain citation follows Chicago's note style for an archival document published in an edition:

    “<document title>[, <date>],” paragraph <n>. In <edition title>, edited by <A and B>, version <v>.
    <publisher>, <year of the build>. <permalink> (accessed <date of access>).

The whole document is cited with `“<document title>[, <date>].”` as its first sentence. The date is added
only when the title does not already carry it (titles in the style of the Foreign Relations series end
with place and date); an undated document says `n.d.`. Double quotation marks inside the title become
single ones. Each absent part (editors, version, publisher) is left out with the punctuation that would
have introduced it. With no `base_url` the site's address is unknown, so the link and the access date are
left out of everything that leaves the page (the plain citation, CSL-JSON, BibTeX); what the page itself
carries (meta tags, JSON-LD) keeps the site-relative link, which a reader resolves against the page.

Types: a document whose header names a sender and a recipient (telegrams, letters, memoranda addressed to
someone) is correspondence, anything else a manuscript. In CSL that is `personal_communication`, the CSL
type for letters (CSL has no `letter` type: see the `type` enum of the CSL-JSON schema,
citation-style-language/schema, `schemas/input/csl-data.json`; the `csl.types` table of Zotero's schema,
zotero/zotero-schema `schema.json`, maps Zotero's `letter` to it), else `manuscript`; the kind of document
(“Telegram”) is the CSL `genre`. Zotero is told the same through DC.type (see `meta_tags`).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date as Date

from .config import Config
from .model import Document, Metadata

ACCESS_PLACEHOLDER = "[date of access]"

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def permalink(config: Config, document: Document, anchor: str | None = None) -> str:
    """The document's permanent address (with `#anchor` for a passage); site-relative without a base_url."""
    link = f"{config.base_url.rstrip('/')}/{document.url}"
    return f"{link}#{anchor}" if anchor else link


def paragraph_number(document: Document, anchor: str) -> int:
    """The paragraph's position in the document, counted from 1 in reading order."""
    number = document.paragraph_number(anchor)
    if not number:
        raise ValueError(f"{anchor!r} is not the anchor of a paragraph of {document.id}")
    return number


def paragraph_citation(config: Config, document: Document, anchor: str, built: Date,
                       accessed: str | Date = ACCESS_PLACEHOLDER) -> str:
    """A ready citation of one paragraph, in plain text."""
    head = f"“{_with_mark(_cited_title(document.metadata), ',')}” paragraph {paragraph_number(document, anchor)}."
    return _citation(head, config, document, anchor, built, accessed)


def document_citation(config: Config, document: Document, built: Date,
                      accessed: str | Date = ACCESS_PLACEHOLDER) -> str:
    """A ready citation of the whole document, in plain text."""
    head = f"“{_with_mark(_cited_title(document.metadata), '.')}”"
    return _citation(head, config, document, None, built, accessed)


def _citation(head: str, config: Config, document: Document, anchor: str | None, built: Date,
              accessed: str | Date) -> str:
    sentences = [head, _edition_sentence(config), _sentence(_joined([config.publisher, str(built.year)]))]
    if config.base_url:
        sentences.append(f"{permalink(config, document, anchor)} (accessed {_access_date(accessed)}).")
    return " ".join(sentences)


def _edition_sentence(config: Config) -> str:
    """In <edition>, edited by <editors>, version <v>."""
    parts = [f"In {config.title}"]
    if config.editors:
        parts.append(f"edited by {_names_in_prose(config.editors)}")
    if config.version:
        parts.append(f"version {config.version}")
    return _sentence(", ".join(parts))


def _cited_title(metadata: Metadata) -> str:
    """The title in the form it takes inside quotation marks, with the date when the title lacks it."""
    title = _single_quoted(metadata.title)
    written = citation_date(metadata.date)
    if not written:
        return f"{title}, n.d."
    return title if written in title else f"{title}, {written}"


def citation_date(when: str) -> str:
    """'1962-12-13T11:00:00+01:00' → 'December 13, 1962'; 'December 1962' or '1962' for partial dates."""
    parts = _date_parts(when)
    if len(parts) == 3:
        return f"{_MONTHS[parts[1] - 1]} {parts[2]}, {parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0]) if parts else ""


def _date_parts(when: str) -> list[int]:
    """Year, month and day of an ISO date, as far as it gives them; empty when there is none to read."""
    match = re.match(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?", when)
    if not match:
        return []
    parts = [int(p) for p in match.groups() if p]
    if len(parts) > 1 and not 1 <= parts[1] <= 12:
        return parts[:1]
    return parts


def _access_date(accessed: str | Date) -> str:
    return citation_date(accessed.isoformat()) if isinstance(accessed, Date) else accessed


def _single_quoted(text: str) -> str:
    """Quotation marks inside a quoted title become single ones, as Chicago nests them."""
    text = text.replace("“", "‘").replace("”", "’")
    pieces = text.split('"')
    return "".join(piece + ("‘’"[i % 2] if i < len(pieces) - 1 else "") for i, piece in enumerate(pieces))


def _with_mark(text: str, mark: str) -> str:
    """Text followed by a comma or full stop, unless it already ends with its own stop."""
    return text if text.endswith((".", "?", "!")) else text + mark


def _sentence(text: str) -> str:
    return _with_mark(text, ".") if text else ""


def _joined(parts: list[str]) -> str:
    return ", ".join(p for p in parts if p)


def _names_in_prose(names: list[str]) -> str:
    """'A', 'A and B', 'A, B, and C'."""
    if len(names) < 3:
        return " and ".join(names)
    return f"{', '.join(names[:-1])}, and {names[-1]}"


def is_correspondence(metadata: Metadata) -> bool:
    """Whether the document went from someone to someone: what makes it a letter for reference managers."""
    return bool(metadata.senders and metadata.recipients)


def archival_reference(metadata: Metadata) -> str:
    """Where the original lies within its repository: collection and reference ('Central Files, 751.11/…')."""
    return _joined([metadata.collection, metadata.idno])


def _language(config: Config, metadata: Metadata) -> str:
    """The document's own language; the site's when its TEI does not say."""
    return metadata.language or config.language


def handling_note(metadata: Metadata) -> str:
    """The markings a cable or memorandum was handled by, each labelled (a bare 'None' would read as no note)."""
    markings = [("Classification", metadata.classification), ("Precedence", metadata.precedence),
                ("Distribution", metadata.distribution)]
    return " ".join(f"{label}: {_sentence(value)}" for label, value in markings if value)


def csl_json(config: Config, document: Document, built: Date) -> dict:
    """The document as one CSL-JSON item (the caller writes the list around it)."""
    metadata = document.metadata
    item = {
        "id": document.id,
        "type": "personal_communication" if is_correspondence(metadata) else "manuscript",
        "genre": metadata.document_type.capitalize(),
        "title": metadata.title,
        # Only display names are known; splitting them into family and given names would be a guess.
        "author": [{"literal": name} for _, name in metadata.senders],
        "recipient": [{"literal": name} for _, name in metadata.recipients],
        "container-title": config.title,
        "editor": [{"literal": name} for name in config.editors],
        "publisher": config.publisher,
        "version": config.version,
        # CSL's `archive_collection` is newer than most processors (and Zotero): the collection goes with
        # the reference into `archive_location`, which they all read.
        "archive": metadata.repository,
        "archive_location": archival_reference(metadata),
        "note": handling_note(metadata),
        "language": _language(config, metadata),
        "URL": permalink(config, document) if config.base_url else "",
        # The release that made this text available; `issued` is the document's own date.
        "available-date": {"date-parts": [[built.year, built.month, built.day]]},
    }
    issued = _date_parts(metadata.date)
    if issued:
        item["issued"] = {"date-parts": [issued]}
    return {key: value for key, value in item.items() if value}


# BibTeX counts braces even when they are escaped as \{ or \}, so a lone brace in a title would unbalance the
# entry: they become text commands whose own braces are balanced.
_BIBTEX_ESCAPES = {
    "\\": r"\textbackslash{}", "{": r"\textbraceleft{}", "}": r"\textbraceright{}", "%": r"\%", "&": r"\&",
    "$": r"\$", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}
_BIBTEX_SPECIAL = re.compile("|".join(re.escape(c) for c in _BIBTEX_ESCAPES))
_BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def bibtex_escape(text: str) -> str:
    """Text as the value of a BibTeX field: every character special to BibTeX or LaTeX written as text."""
    return _BIBTEX_SPECIAL.sub(lambda match: _BIBTEX_ESCAPES[match.group()], text)


def bibtex_key(document_id: str) -> str:
    """The document's id as a citation key: ASCII letters, digits and - _ : . only, for BibTeX 0.99 as for biber."""
    ascii_id = unicodedata.normalize("NFKD", document_id).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9_:.-]+", "-", ascii_id).strip("-") or "document"


def bibtex(config: Config, document: Document, built: Date) -> str:
    """The document as a BibTeX entry.

    `@misc`, not biblatex's `@letter`: `@letter` is one of biblatex's non-standard types, which its standard
    styles set as `@misc` anyway, and classic BibTeX styles do not know it at all. The fields of biblatex's
    `@misc` (`type`, `version`, `organization`, `date`, `url`) are added to those classic BibTeX reads
    (`author`, `title`, `howpublished`, `year`, `month`, `note`); each reader ignores the fields it does not
    know. The edition, with the year of this release, is `howpublished`, since `@misc` has no container.
    """
    metadata = document.metadata
    parts = _date_parts(metadata.date)
    fields = [
        ("author", " and ".join(_bibtex_name(kind, name) for kind, name in metadata.senders)),
        ("title", bibtex_escape(metadata.title)),
        ("type", bibtex_escape(metadata.document_type.capitalize())),
        ("date", "-".join(f"{p:02d}" for p in parts)),
        ("year", str(parts[0]) if parts else ""),
        ("month", _BIBTEX_MONTHS[parts[1] - 1] if len(parts) > 1 else ""),
        ("howpublished", bibtex_escape(_joined([f"In {config.title}", str(built.year)]))),
        ("editor", " and ".join(_bibtex_name("person", name) for name in config.editors)),
        ("version", bibtex_escape(config.version)),
        ("organization", bibtex_escape(config.publisher)),
        # The url field is read verbatim (url and hyperref packages): escaping it would break the link.
        ("url", permalink(config, document) if config.base_url else ""),
        ("note", bibtex_escape(" ".join(_sentence(s) for s in (metadata.source, handling_note(metadata)) if s))),
    ]
    # The month is a macro (dec), unbraced: what both BibTeX and biblatex understand.
    lines = [f"  {name} = {value if name == 'month' else '{' + value + '}'}," for name, value in fields if value]
    return "\n".join([
        "% Encoding: UTF-8. Characters beyond ASCII are written as they are, not as LaTeX accents;",
        "% biber and LaTeX since 2018 read them directly.",
        f"@misc{{{bibtex_key(document.id)},",
        *lines,
        "}",
    ]) + "\n"


def _bibtex_name(kind: str, name: str) -> str:
    """A person's name as written; an organisation's in braces, so BibTeX does not split it into first and last."""
    escaped = bibtex_escape(name)
    return f"{{{escaped}}}" if kind == "org" else escaped


def meta_tags(config: Config, document: Document) -> list[tuple[str, str, str]]:
    """The (attribute, name, content) of each <meta> of the document page's head, for reference managers.

    Zotero reads these with its Embedded Metadata translator (zotero/translators, `Embedded Metadata.js`):
    `citation_title` alone would make it guess a journal article. `DC.title` and `DC.type` go to its RDF
    translator (`RDF.js`, `detectType`), which takes a dc:type that is the name of a Zotero item type
    (`ZU.itemTypeExists`) as the item type: `letter` for correspondence, `manuscript` for any other archival
    document. That choice ranks above the Highwire guess but below an `og:type` of `website` (Zotero's
    `webpage`), so `og:type` is `article`, which Zotero only treats as a fallback guess; Highwire tags that
    name a container (`citation_journal_title` and the like) would override it too, and are not given.
    """
    metadata = document.metadata
    link = permalink(config, document)
    tags = [("name", "citation_title", metadata.title)]
    tags += [("name", "citation_author", name) for _, name in metadata.senders]
    tags += [
        ("name", "citation_date", "/".join(f"{p:02d}" for p in _date_parts(metadata.date))),
        ("name", "citation_publisher", config.publisher),
        ("name", "citation_public_url", link),
        ("name", "citation_fulltext_html_url", link),
        ("name", "citation_language", _language(config, metadata)),
        ("name", "DC.title", metadata.title),
        ("name", "DC.type", zotero_type(metadata)),
        ("property", "og:title", metadata.title),
        ("property", "og:type", "article"),
        ("property", "og:url", link),
        ("property", "og:site_name", config.title),
        ("property", "og:description", metadata.summary or _cited_title(metadata)),
    ]
    return [(attribute, name, content) for attribute, name, content in tags if content]


def zotero_type(metadata: Metadata) -> str:
    """The Zotero item type the page declares in DC.type."""
    return "letter" if is_correspondence(metadata) else "manuscript"


def json_ld(config: Config, document: Document) -> dict:
    """The document as schema.org JSON-LD: an archival component, held by its repository, part of the edition.

    Correspondence is also typed `Message`, the schema.org type that has `sender` and `recipient`:
    `ArchiveComponent` alone has no property for the recipient.
    """
    metadata = document.metadata
    link = permalink(config, document)
    item = {
        "@context": "https://schema.org",
        "@type": ["ArchiveComponent", "Message"] if is_correspondence(metadata) else "ArchiveComponent",
        "@id": link,
        "url": link,
        "name": metadata.title,
        "description": metadata.summary,
        "dateCreated": metadata.date,
        "creator": [_agent(kind, name) for kind, name in metadata.senders],
        "identifier": archival_reference(metadata),
        "inLanguage": _language(config, metadata),
        "isPartOf": _edition(config),
    }
    if metadata.repository:
        item["holdingArchive"] = {"@type": "ArchiveOrganization", "name": metadata.repository}
    if is_correspondence(metadata):
        item["sender"] = item["creator"]
        item["recipient"] = [_agent(kind, name) for kind, name in metadata.recipients]
        item["dateSent"] = metadata.date
    return {key: value for key, value in item.items() if value}


def _agent(kind: str, name: str) -> dict:
    return {"@type": "Organization" if kind == "org" else "Person", "name": name}


def _edition(config: Config) -> dict:
    edition = {
        "@type": "CreativeWork",
        "name": config.title,
        "description": config.subtitle,
        "version": config.version,
        "url": f"{config.base_url.rstrip('/')}/" if config.base_url else "",
        "editor": [{"@type": "Person", "name": name} for name in config.editors],
        "publisher": {"@type": "Organization", "name": config.publisher} if config.publisher else {},
    }
    return {key: value for key, value in edition.items() if value}
