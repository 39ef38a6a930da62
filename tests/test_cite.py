"""Citations of documents and paragraphs (edition/cite.py): golden files for the bundled edition, and checks
of what each citation format must get right.

The golden files in `tests/golden/citations/` are the citations of two bundled documents, built on a fixed
date: `<document>.paragraph.txt` (its second paragraph), `<document>.document.txt`, `<document>.csl.json` and
`<document>.bib`. After an intended change of the citations, rewrite them with

    python tests/regenerate_golden.py citations

and read the diff of `tests/golden/citations/` before committing it.
"""

from __future__ import annotations

import difflib
import itertools
import json
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import pytest
from lxml import etree

from conftest import ROOT
from edition import cite
from edition.build import read_valid_edition
from edition.config import Config
from edition.facts import DocumentFacts, packed
from edition.model import Document, Edition, Metadata

GOLDEN_CITATIONS = Path(__file__).resolve().parent / "golden" / "citations"
BUILT = date(2026, 12, 1)
GOLDEN_DOCUMENTS = ("secto-8", "letter-1965-09-10")

# The property names of a CSL-JSON item, its name and date objects, and its types, as the CSL-JSON schema
# declares them (citation-style-language/schema, schemas/input/csl-data.json; "additionalProperties": false).
CSL_FIELDS = frozenset("""
    type id citation-key categories language journalAbbreviation shortTitle author chair collection-editor
    compiler composer container-author contributor curator director editor editorial-director executive-producer
    guest host interviewer illustrator narrator organizer original-author performer producer recipient
    reviewed-author script-writer series-creator translator accessed available-date event-date issued
    original-date submitted abstract annote archive archive_collection archive_location archive-place authority
    call-number chapter-number citation-number citation-label collection-number collection-title container-title
    container-title-short dimensions division DOI edition event event-title event-place
    first-reference-note-number genre ISBN ISSN issue jurisdiction keyword locator medium note number
    number-of-pages number-of-volumes original-publisher original-publisher-place original-title page page-first
    part part-title PMCID PMID printing publisher publisher-place references reviewed-genre reviewed-title scale
    section source status supplement title title-short URL version volume volume-title volume-title-short
    year-suffix custom
""".split())
CSL_NAME_VARIABLES = frozenset("""
    author chair collection-editor compiler composer container-author contributor curator director editor
    editorial-director executive-producer guest host interviewer illustrator narrator organizer original-author
    performer producer recipient reviewed-author script-writer series-creator translator
""".split())
CSL_NAME_FIELDS = frozenset(
    "family given dropping-particle non-dropping-particle suffix comma-suffix static-ordering literal parse-names"
    .split())
CSL_DATE_VARIABLES = frozenset("accessed available-date event-date issued original-date submitted".split())
CSL_DATE_FIELDS = frozenset("date-parts season circa literal raw".split())
CSL_TYPES = frozenset("""
    article article-journal article-magazine article-newspaper bill book broadcast chapter classic collection
    dataset document entry entry-dictionary entry-encyclopedia event figure graphic hearing interview legal_case
    legislation manuscript map motion_picture musical_score pamphlet paper-conference patent performance
    periodical personal_communication post post-weblog regulation report review review-book software song speech
    standard thesis treaty webpage
""".split())


@lru_cache(maxsize=1)
def bundled_edition() -> Edition:
    """The bundled edition, loaded, validated and enriched as `edition build` does before it writes."""
    edition, report = read_valid_edition(ROOT)
    assert edition is not None, [d.format() for d in report.diagnostics]
    return edition


def bundled(document_id: str) -> Document:
    return next(d for d in bundled_edition().documents if d.id == document_id)


def citation_goldens() -> dict[str, str]:
    """Each golden file's name with the text the current code makes for it."""
    config = bundled_edition().config
    files = {}
    for document_id in GOLDEN_DOCUMENTS:
        document = bundled(document_id)
        files[f"{document_id}.paragraph.txt"] = cite.paragraph_citation(
            config, document, document.paragraph_ids[1], BUILT) + "\n"
        files[f"{document_id}.document.txt"] = cite.document_citation(config, document, BUILT) + "\n"
        files[f"{document_id}.csl.json"] = json.dumps(
            cite.csl_json(config, document, BUILT), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        files[f"{document_id}.bib"] = cite.bibtex(config, document, BUILT)
    return files


GOLDEN_NAMES = [f"{document_id}.{kind}" for document_id in GOLDEN_DOCUMENTS
                for kind in ("paragraph.txt", "document.txt", "csl.json", "bib")]


@pytest.mark.parametrize("name", GOLDEN_NAMES)
def test_citation_matches_its_golden_file(name: str) -> None:
    path = GOLDEN_CITATIONS / name
    if not path.exists():
        pytest.fail(f"{path} is missing: create it with `python tests/regenerate_golden.py citations`")
    expected = path.read_text(encoding="utf-8")
    actual = citation_goldens()[name]
    if actual != expected:
        diff = "\n".join(difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), str(path.relative_to(ROOT)), "cited", lineterm=""))
        pytest.fail(f"the citation differs from {name} (if intended: python tests/regenerate_golden.py"
                    f" citations):\n{diff}")


def test_golden_names_are_the_files_written() -> None:
    assert sorted(citation_goldens()) == sorted(GOLDEN_NAMES)
    assert sorted(p.name for p in GOLDEN_CITATIONS.iterdir()) == sorted(GOLDEN_NAMES)


# A document built by hand, for what the bundled edition does not show.

def document(metadata: Metadata, document_id: str = "note-1", paragraphs: list[str] | None = None) -> Document:
    return Document(path=Path(f"{document_id}.xml"), tree=etree.ElementTree(etree.Element("TEI")), source_lines=[],
                    id=document_id, metadata=metadata,
                    facts=DocumentFacts(document_id, "document", paragraph_ids=packed(
                        paragraphs if paragraphs is not None else [f"{document_id}-p1"])))


def correspondence(**changes) -> Metadata:
    facts = dict(title="Note on Berlin", date="1962-12-13", senders=[("person", "Dean Rusk")],
                 recipients=[("org", "Department of State")], document_type="telegram",
                 repository="Department of State",
                 collection="Central Files", idno="762.00/12–1362", classification="Secret", language="en")
    facts.update(changes)
    return Metadata(**facts)


FULL = Config(title="T", editors=["A", "B"], publisher="P", base_url="https://e.org", version="0.1")


def test_permalink_with_and_without_base_url() -> None:
    note = document(correspondence())
    assert cite.permalink(FULL, note) == "https://e.org/documents/note-1/"
    assert cite.permalink(FULL, note, "note-1-p1") == "https://e.org/documents/note-1/#note-1-p1"
    slashed = Config(title="T", base_url="https://e.org/edition/")
    assert cite.permalink(slashed, note, "note-1-p1") == "https://e.org/edition/documents/note-1/#note-1-p1"
    assert cite.permalink(Config(title="T"), note) == "/documents/note-1/"
    assert cite.permalink(Config(title="T"), note, "note-1-p1") == "/documents/note-1/#note-1-p1"


def test_paragraph_numbers_follow_the_paragraph_ids() -> None:
    note = document(correspondence(), paragraphs=["note-1-p7", "note-1-p2", "note-1-p3"])
    assert "” paragraph 1. " in cite.paragraph_citation(FULL, note, "note-1-p7", BUILT)
    assert "” paragraph 2. " in cite.paragraph_citation(FULL, note, "note-1-p2", BUILT)
    assert "#note-1-p2 " in cite.paragraph_citation(FULL, note, "note-1-p2", BUILT)
    with pytest.raises(ValueError, match="not the anchor of a paragraph"):
        cite.paragraph_citation(FULL, note, "note-1-n1", BUILT)


def test_every_part_in_its_place() -> None:
    editors = Config(title="T", editors=["A", "B", "C"], publisher="P", base_url="https://e.org", version="0.1")
    cited = cite.paragraph_citation(editors, document(correspondence()), "note-1-p1", BUILT, accessed=date(2027, 1, 5))
    assert cited == (
        "“Note on Berlin, December 13, 1962,” paragraph 1. In T, edited by A, B, and C, version 0.1. P, 2026."
        " https://e.org/documents/note-1/#note-1-p1 (accessed January 5, 2027).")


def test_absent_settings_leave_no_stray_punctuation() -> None:
    bare = Config(title="T")
    note = document(correspondence())
    assert cite.paragraph_citation(bare, note, "note-1-p1", BUILT) == (
        "“Note on Berlin, December 13, 1962,” paragraph 1. In T. 2026.")
    assert cite.document_citation(bare, note, BUILT) == "“Note on Berlin, December 13, 1962.” In T. 2026."
    stray = re.compile(r",\s*[,.]|\s[,.]|\.\.|\s{2}|\(\s*\)|by\s*[,.]|^\s|\s$")
    for editors, version, publisher, base_url in itertools.product([[], ["A", "B"]], ["", "0.1"], ["", "P"],
                                                                   ["", "https://e.org"]):
        config = Config(title="T", editors=editors, version=version, publisher=publisher, base_url=base_url)
        for citation in (cite.paragraph_citation(config, note, "note-1-p1", BUILT),
                         cite.document_citation(config, note, BUILT)):
            assert not stray.search(citation), citation
            assert ("edited by A and B" in citation) == bool(editors), citation
            assert ("version 0.1" in citation) == bool(version), citation
            assert ("P, 2026." in citation) == bool(publisher), citation
            assert ("(accessed [date of access])." in citation) == bool(base_url), citation


def test_the_date_is_added_only_when_the_title_lacks_it() -> None:
    dated_title = correspondence(title="Telegram From Paris, December 13, 1962 (test document)")
    assert cite.document_citation(FULL, document(dated_title), BUILT).startswith(
        "“Telegram From Paris, December 13, 1962 (test document).” In T")
    undated = document(correspondence(date=""))
    assert cite.document_citation(FULL, undated, BUILT).startswith("“Note on Berlin, n.d.”")
    assert cite.document_citation(FULL, document(correspondence(date="1962-12")), BUILT).startswith(
        "“Note on Berlin, December 1962.”")
    quoted = correspondence(title='On "Skybolt" and “Nassau”')
    assert cite.document_citation(FULL, document(quoted), BUILT).startswith(
        "“On ‘Skybolt’ and ‘Nassau’, December 13, 1962.”")


def test_bibtex_escapes_every_special_character() -> None:
    title = r"Costs {50%} & $5 #1 a_b ~x ^y \z — Café “Nassau”"
    entry = cite.bibtex(FULL, document(correspondence(title=title, senders=[("org", "Smith & Co_")])), BUILT)
    assert ("  title = {Costs \\textbraceleft{}50\\%\\textbraceright{} \\& \\$5 \\#1 a\\_b \\textasciitilde{}x"
            " \\textasciicircum{}y \\textbackslash{}z — Café “Nassau”},") in entry.splitlines()
    assert "  author = {{Smith \\& Co\\_}}," in entry.splitlines()
    values = [line.split(" = ", 1)[1].removesuffix(",") for line in entry.splitlines() if " = " in line]
    assert all(_balanced(value) for value in values), values
    assert "Café" in entry and "\\'" not in entry  # UTF-8 kept, not written as a LaTeX accent


def _balanced(text: str) -> bool:
    """Whether BibTeX, which counts every brace (escaped or not), finds the braces of a value balanced."""
    depth = 0
    for character in text:
        depth += {"{": 1, "}": -1}.get(character, 0)
        if depth < 0:
            return False
    return depth == 0


def test_bibtex_key_and_fields_of_a_bare_edition() -> None:
    assert cite.bibtex_key("dépêche_1.a") == "depeche_1.a"
    assert cite.bibtex_key("a b,c{d}") == "a-b-c-d"
    entry = cite.bibtex(Config(title="T"), document(correspondence(), "dépêche_1"), BUILT)
    assert entry.splitlines()[2] == "@misc{depeche_1,"
    assert "  month = dec," in entry.splitlines()
    names = [line.split(" = ")[0].strip() for line in entry.splitlines() if " = " in line]
    assert names == ["author", "title", "type", "date", "year", "month", "howpublished", "note"]
    assert not re.search(r"= \{\}", entry)


def test_meta_tags_declare_one_title_and_the_zotero_type() -> None:
    secto = bundled("secto-8")
    tags = cite.meta_tags(bundled_edition().config, secto)
    assert [content for _, name, content in tags if name == "citation_title"] == [secto.metadata.title]
    assert [content for _, name, content in tags if name == "DC.type"] == ["letter"]
    # og:type "website" would outrank DC.type in Zotero and make the page a web page.
    assert [content for _, name, content in tags if name == "og:type"] == ["article"]
    assert ("name", "citation_date", "1962/12/13") in tags
    assert ("name", "citation_public_url", "https://edition.example.org/documents/secto-8/") in tags
    assert all((attribute == "property") == name.startswith("og:") for attribute, name, _ in tags)
    assert all(content for _, _, content in tags)
    form = cite.meta_tags(bundled_edition().config, bundled("form-1971-02-05"))
    authors = [content for _, name, content in form if name == "citation_author"]
    assert authors == ["Ruth Abernathy", "Historical Office"]
    memo = cite.meta_tags(FULL, document(correspondence(recipients=[])))
    assert [content for _, name, content in memo if name == "DC.type"] == ["manuscript"]


def test_json_ld_describes_an_archival_component_of_the_edition() -> None:
    data = cite.json_ld(bundled_edition().config, bundled("secto-8"))
    assert json.loads(json.dumps(data)) == data
    assert "ArchiveComponent" in data["@type"]
    assert data["holdingArchive"] == {"@type": "ArchiveOrganization", "name": "Department of State"}
    assert data["identifier"] == "Central Files, 751.11/12–1362"
    assert data["url"] == "https://edition.example.org/documents/secto-8/"
    assert data["dateCreated"] == "1962-12-13T11:00:00+01:00"
    assert data["creator"] == [{"@type": "Person", "name": "Dean Rusk"}]
    assert data["recipient"] == [{"@type": "Organization", "name": "Department of State"}]
    assert data["isPartOf"]["version"] == "0.1"
    assert data["inLanguage"] == "en"
    manuscript = cite.json_ld(Config(title="T"), document(correspondence(recipients=[], repository="")))
    assert manuscript["@type"] == "ArchiveComponent"
    assert "recipient" not in manuscript and "holdingArchive" not in manuscript
    assert manuscript["isPartOf"] == {"@type": "CreativeWork", "name": "T"}


def test_csl_json_uses_only_the_fields_of_the_schema() -> None:
    for item in [cite.csl_json(bundled_edition().config, d, BUILT) for d in bundled_edition().documents] + [
            cite.csl_json(Config(title="T"), document(correspondence(recipients=[])), BUILT)]:
        assert json.loads(json.dumps(item)) == item
        assert set(item) <= CSL_FIELDS, set(item) - CSL_FIELDS
        assert item["type"] in CSL_TYPES
        for name in set(item) & CSL_NAME_VARIABLES:
            assert all(set(person) <= CSL_NAME_FIELDS for person in item[name]), item[name]
        for name in set(item) & CSL_DATE_VARIABLES:
            assert set(item[name]) <= CSL_DATE_FIELDS, item[name]
        assert all(value not in ("", [], {}) for value in item.values()), item
    manuscript = cite.csl_json(Config(title="T"), document(correspondence(recipients=[])), BUILT)
    assert manuscript["type"] == "manuscript" and "URL" not in manuscript and "editor" not in manuscript


def test_metadata_carries_the_facts_citations_need() -> None:
    secto = bundled("secto-8").metadata
    assert (secto.document_type, secto.senders, secto.recipients) == (
        "telegram", [("person", "Dean Rusk")], [("org", "Department of State")])
    assert (secto.repository, secto.collection, secto.idno) == (
        "Department of State", "Central Files", "751.11/12–1362")
    assert secto.language == "en"
    assert secto.summary.startswith("Secretary of State Rusk, in Paris")
    form = bundled("form-1971-02-05").metadata
    assert form.senders == [("person", "Ruth Abernathy"), ("org", "Historical Office")]
