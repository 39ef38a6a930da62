"""TEI written elsewhere builds into an edition: the settings `schema` and `document`, a volume split into a
page per document, FRUS conventions (title, date, source note, registers from the volume's lists, links into
volumes, "not declassified" notices), on a fixture of our own (tests/editions/foreign/) and on the real FRUS
volumes and documents of ../shared/corpus."""

from __future__ import annotations

import shutil

import pytest
from lxml import etree, html

from conftest import EDITIONS, shared
from sitecheck import broken_links

TEI = {"tei": "http://www.tei-c.org/ns/1.0"}


def words(element) -> str:
    return " ".join(element.text_content().split())


@pytest.fixture(scope="module")
def foreign_site(tmp_path_factory):
    from edition.build import build

    out = tmp_path_factory.mktemp("foreign") / "_site"
    result = build(EDITIONS / "foreign", out)
    assert result.exit_code == 0, [d.format() for d in result.report.diagnostics]
    assert [d.code for d in result.report.diagnostics if d.code != "registry-missing"] == ["schema-none"]
    return out


def page(site, path):
    return html.parse(str(site / path)).getroot()


def test_each_selected_document_has_its_page_named_after_its_id(foreign_site):
    # d1 is in both volumes: the file's name becomes a folder above it; d2 is unique. Each volume's page
    # (named after its file) holds the rest of it.
    assert sorted(p.parent.relative_to(foreign_site / "documents").as_posix()
                  for p in (foreign_site / "documents").rglob("diplomatic.html")) == [
        "d2", "vol-a", "vol-a/d1", "vol-b", "vol-b/d1"]
    assert page(foreign_site, "documents/vol-a/d1/index.html").xpath("//article/@id") == ["d1"]
    assert broken_links(foreign_site) == []


def test_a_frus_document_gets_its_title_date_source_and_volume(foreign_site):
    d1 = page(foreign_site, "documents/vol-a/d1/index.html")
    assert words(d1.xpath("//h1")[0]) == "1. Telegram From Secretary of State Rusk to the Department"
    facts = {words(dt): words(dt.getnext()) for dt in d1.xpath("//dl[contains(@class, 'metadata')]//dt")}
    assert facts["Date"] == "12 December 1962, 15:00 (UTC+01:00)"
    assert facts["Archival source"] == "Invented Files, 1/12-1262. Secret."
    assert facts["Published in"] == "Invented Relations, Volume A, document 1"
    assert facts["Withheld at declassification"] == "1 passage: 1 line"
    listing = page(foreign_site, "documents/index.html")
    assert [words(a) for a in listing.xpath("//table[@class='document-list']//td[2]/a")] == [
        "1. Telegram From Secretary of State Rusk to the Department", "2. Memorandum for the Record",
        "1. Letter From the Ambassador", "Invented Relations, Volume A", "Invented Relations, Volume B"]


def test_a_volumes_page_holds_its_front_matter_and_leads_to_its_documents(foreign_site):
    volume = page(foreign_site, "documents/vol-a/index.html")
    text = volume.xpath("//div[contains(@class, 'tei-text')]")[0]
    assert "Secretary of State" in words(text) and "List of Abbreviations" in words(text)
    assert [(words(a), a.get("href")) for a in text.xpath(".//a[contains(@class, 'ref')]")] == [
        ("1. Telegram From Secretary of State Rusk to the Department", "d1/index.html"),
        ("2. Memorandum for the Record", "../d2/index.html")]


def test_the_volumes_lists_become_registers_and_names_link_to_them(foreign_site):
    people = page(foreign_site, "people/index.html")
    assert [words(a) for a in people.xpath("//article//li/a")] == ["de Gaulle, Charles", "Rusk, Dean"]
    rusk = page(foreign_site, "people/p_RD1/index.html")
    assert words(rusk.xpath("//p[@class='identification']")[0]) == "Secretary of State"
    # Each passage once: d1 (its head and closer, which are no paragraph, count as the document) and d2.
    assert len(rusk.xpath("//ol[@class='mention-list']/li")) == 2
    glossary = page(foreign_site, "glossary/t_Secto1/index.html")
    assert words(glossary.xpath("//p[@class='identification']")[0]) == "series indicator for telegrams from the Secretary"
    d1 = page(foreign_site, "documents/vol-a/d1/index.html")
    assert d1.xpath("//a[contains(@class, 'name')][.='De Gaulle']/@href") == ["../../../people/p_DGC1/index.html"]
    assert d1.xpath("//a[contains(@class, 'gloss')][.='Secto']/@href") == ["../../../glossary/t_Secto1/index.html"]


def test_links_between_documents_and_into_volumes(foreign_site):
    d1 = page(foreign_site, "documents/vol-a/d1/index.html")
    assert d1.xpath("//a[.='Document 2']/@href") == ["../../d2/index.html"]
    assert d1.xpath("//a[.='the other volume']/@href") == ["../../vol-b/d1/index.html"]
    (outside,) = d1.xpath("//*[.='a volume not here']")
    assert outside.tag == "span" and outside.get("title") == "points to elsewhere#d9, which is not part of this edition"


def test_elements_without_a_rule_keep_their_words(foreign_site):
    d1 = page(foreign_site, "documents/vol-a/d1/index.html")
    assert "Words in an element of another namespace, with TEI inside." in words(d1.xpath("//main")[0])
    d2 = page(foreign_site, "documents/d2/index.html")
    assert "A cast list, which the edition has no rule for." in words(d2.xpath("//main")[0])


def test_check_text_reports_the_words_a_page_would_lose(run, tmp_path):
    from edition.build import read_valid_edition, text_losses
    from edition.transform import transform

    project = tmp_path / "edition"
    shutil.copytree(EDITIONS / "foreign", project)
    code, out, err = run(["build", "--check-text"], cwd=project)
    assert code == 0, err
    assert "text checked: every word of the 5 documents' texts (" in out
    # A stylesheet that dropped a name and a note would be caught, element by element.
    edition, _ = read_valid_edition(project)
    transform(edition)
    (d2,) = [d for d in edition.documents if d.id == "d2"]
    d2.views = {view: html.replace(">Rusk<", "><") for view, html in d2.views.items()}
    problems, checked = text_losses(edition)
    assert checked > 100
    assert [p.format().replace(str(project) + "/", "") for p in problems] == [
        'texts/vol-a.xml:40:1: error: 1 word of <persName> in document d2 shown in neither view: "rusk": the '
        "stylesheets or templates drop them; report it with this file [text-lost]"]


def settings_problems(run, tmp_path, settings: str) -> tuple[int, list[str]]:
    project = tmp_path / "edition"
    shutil.copytree(EDITIONS / "foreign", project)
    (project / "edition.toml").write_text(settings)
    code, _, err = run(["build"], cwd=project)
    return code, [line for line in err.splitlines() if ": error: " in line]


def test_wrong_settings_are_located_with_what_to_do(run, tmp_path):
    code, lines = settings_problems(run, tmp_path, 'title = "T"\nschema = "tei_lite.rng"\ndocument = "//tei:div[@type="\n')
    assert code == 1
    assert lines == [
        "edition.toml:2:1: error: schema 'tei_lite.rng' is not a file: write \"edition\" (the edition's own schema), "
        "\"none\" (well-formedness only), or the path of a RELAX NG file relative to edition.toml [config-schema]",
        "edition.toml:3:1: error: document '//tei:div[@type=' is not an XPath expression (Invalid expression): "
        "write one that selects the documents, e.g. \"//tei:div[@type='document']\" [config-document]",
    ]


def test_another_schema_validates_the_files(run, tmp_path):
    project = tmp_path / "edition"
    shutil.copytree(EDITIONS / "foreign", project)
    # A grammar of another project's that admits any element with any content, except <castList>.
    (project / "other.rng").write_text("""<grammar xmlns="http://relaxng.org/ns/structure/1.0">
  <start><ref name="any"/></start>
  <define name="any"><element><anyName><except><name ns="http://www.tei-c.org/ns/1.0">castList</name></except></anyName>
    <ref name="content"/></element></define>
  <define name="content"><zeroOrMore><choice><attribute><anyName/></attribute><text/><ref name="any"/></choice></zeroOrMore></define>
</grammar>""")
    (project / "edition.toml").write_text('title = "T"\nschema = "other.rng"\ndocument = "//tei:div[@type=\'document\']"\n')
    code, _, err = run(["build"], cwd=project)
    assert code == 1
    errors = [line for line in err.splitlines() if ": error: " in line]
    # Only the file with a castList fails (libxml2 places the error where the grammar's choice failed), and
    # the message does not send the reader to the edition's own schema guide.
    assert errors and all(e.startswith("texts/vol-a.xml:") and "[schema]" in e for e in errors), errors
    assert not any("schemas/README.md" in e for e in errors)
    (project / "texts" / "vol-a.xml").write_text((project / "texts" / "vol-a.xml").read_text()
                                                 .replace("castList", "list").replace("castItem", "item"))
    code, _, err = run(["build"], cwd=project)
    assert code == 0, err


# ---- The real FRUS volumes and documents ------------------------------------------------------------------


def build_corpus(tmp_path, folder: str, settings: str):
    from edition.build import build

    project = tmp_path / "edition"
    shutil.copytree(shared(folder), project / "texts", ignore=shutil.ignore_patterns("*.md", "*.tsv"))
    (project / "edition.toml").write_text(settings)
    result = build(project, project / "_site", check_text=True)
    assert result.exit_code == 0, "\n".join(d.format() for d in result.report.errors[:20])
    assert result.words_checked > 10_000
    return project


def test_the_frus_volumes_build_a_page_per_document_with_their_registers(tmp_path):
    project = build_corpus(tmp_path, "corpus/frus", 'title = "FRUS"\nschema = "none"\n'
                                                    'document = "//tei:div[@type=\'document\']"\n')
    site = project / "_site"
    missing_pages, missing_people, missing_terms = [], [], []
    for volume in sorted((project / "texts").glob("*.xml")):
        tree = etree.parse(str(volume))
        ids = tree.xpath("//tei:div[@type='document']/@xml:id", namespaces=TEI)
        for document_id in ids:
            pages = list((site / "documents").glob(f"{document_id}/index.html")) + \
                list((site / "documents").glob(f"{volume.stem}/{document_id}/index.html"))
            if not pages or page(site, pages[0].relative_to(site)).xpath(f"//*[@id='{document_id}']") == []:
                missing_pages.append(f"{volume.name}#{document_id}")
        people = tree.xpath("//tei:list/tei:item//tei:persName/@xml:id", namespaces=TEI)
        terms = tree.xpath("//tei:list/tei:item//tei:term/@xml:id", namespaces=TEI)
        missing_people += [p for p in people if not (site / "people" / p / "index.html").is_file()]
        missing_terms += [t for t in terms if not (site / "glossary" / t / "index.html").is_file()]
    assert (missing_pages, missing_people, missing_terms) == ([], [], [])
    assert broken_links(site) == []


def test_the_single_frus_documents_and_the_archival_documents_build(tmp_path):
    project = build_corpus(tmp_path, "corpus/frus-docs", 'title = "FRUS documents"\nschema = "none"\n'
                                                         'texts = "texts/**/*.xml"\n')
    site = project / "_site"
    sources = sorted((project / "texts").rglob("*.xml"))
    assert len(list((site / "documents").rglob("diplomatic.html"))) == len(sources)
    assert broken_links(site) == []
    archival = build_corpus(tmp_path / "archival", "corpus/frus-history-documents",
                            'title = "Archival documents"\nschema = "none"\n')
    assert len(list((archival / "_site" / "documents").rglob("diplomatic.html"))) == 9
    assert broken_links(archival / "_site") == []
