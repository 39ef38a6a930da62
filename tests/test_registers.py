"""The registers on the built site: an index per register, a page per entry listing every passage that names
it, names in the texts linked to their entries."""

from __future__ import annotations

import posixpath
import sys
from pathlib import Path

from lxml import etree, html

from conftest import ROOT
from edition.build import build
from sitecheck import broken_links

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import generate  # noqa: E402

TEI = {"tei": "http://www.tei-c.org/ns/1.0"}


def page(site: Path, path: str):
    return html.parse(str(site / path)).getroot()


def words(element) -> str:
    return " ".join(element.text_content().split())


def registered(kind: str) -> list[str]:
    register = etree.parse(str(ROOT / "texts" / "registers.xml"))
    return register.xpath(f"//tei:{kind}/@xml:id", namespaces=TEI)


def test_each_register_has_an_alphabetical_index_with_mention_counts(site) -> None:
    for kind, folder in [("person", "people"), ("org", "organisations"), ("place", "places")]:
        index = page(site, f"{folder}/index.html")
        links = index.xpath("//ul[@class='register-list']/li/a")
        assert sorted(a.get("href").split("/")[0] for a in links) == sorted(registered(kind))
        counts = index.xpath("//ul[@class='register-list']/li/span[@class='count']")
        assert len(counts) == len(links) and all(words(c).split()[1] in ("mention", "mentions") for c in counts)
    listed = [a.get("href").split("/")[0] for a in page(site, "people/index.html").xpath("//ul[@class='register-list']/li/a")]
    register = etree.parse(str(ROOT / "texts" / "registers.xml"))
    surnames = {person.get("{http://www.w3.org/XML/1998/namespace}id"):
                " ".join(person.xpath("string(tei:persName/tei:surname)", namespaces=TEI).split()).casefold()
                for person in register.xpath("//tei:person", namespaces=TEI)}
    assert [surnames[i] for i in listed] == sorted(surnames[i] for i in listed), "people are listed by surname"


def test_an_entity_page_lists_every_passage_that_names_it(site) -> None:
    secto = etree.parse(str(ROOT / "texts" / "secto-8.xml"))
    named = secto.xpath("//tei:text//tei:p[@xml:id][.//*[@ref='#person-bohlen']]/@xml:id", namespaces=TEI)
    assert named == ["secto-8-p1"]
    bohlen = page(site, "people/person-bohlen/index.html")
    assert words(bohlen.xpath("//h1")[0]) == "Charles E. Bohlen (1904–1974)"
    (mention,) = bohlen.xpath("//ol[@class='mention-list']/li")
    (link,) = mention.xpath("a")
    assert link.get("href") == "../../documents/secto-8/index.html#secto-8-p1"
    assert words(mention).startswith("Telegram From Secretary of State Rusk")
    assert ", paragraph 1" in words(mention)
    assert "ACCOMPANIED BY BOHLEN AND TYLER" in words(mention.xpath("blockquote")[0])


def test_every_mention_links_to_an_anchor_that_exists(site) -> None:
    for entity_page in (site / "people").glob("*/index.html"):
        for href in page(site, entity_page.relative_to(site)).xpath("//ol[@class='mention-list']//a/@href"):
            target, _, fragment = href.partition("#")
            document = page(site, (entity_page.parent / target).resolve().relative_to(site.resolve()))
            assert not fragment or document.xpath(f"//*[@id='{fragment}']"), (entity_page, href)


def test_names_in_the_text_link_to_their_entries_with_their_identification(site) -> None:
    secto = page(site, "documents/secto-8/index.html")
    (bohlen,) = secto.xpath("//div[contains(@class, 'tei-text')]//a[@data-ref='person-bohlen']")
    assert bohlen.get("href") == "../../people/person-bohlen/index.html"
    assert bohlen.get("data-note").startswith("American diplomat")
    assert not secto.xpath("//a//a"), "links never nest"


def test_the_menu_lists_the_registers(site) -> None:
    menu = [words(a) for a in page(site, "index.html").xpath("//header//nav//a")]
    assert menu[:5] == ["Home", "Documents", "People", "Organisations", "Places"]


def test_the_documents_list_is_chronological_grouped_and_filterable(site) -> None:
    import json
    listing = page(site, "documents/index.html")
    dates = [t.get("datetime")[:10] for t in listing.xpath("//table[@class='document-list']//time")]
    assert dates == sorted(dates) and len(dates) == 5
    assert [words(h) for h in listing.xpath("//section[@class='year']/h2")] == ["1962", "1963", "1964", "1965", "1971"]
    assert words(listing.xpath("//section[@class='year'][1]/h3")[0]) == "December 1962"
    filters = {words(p.xpath("span[@class='facet']")[0]): [words(a) for a in p.xpath("a")]
               for p in listing.xpath("//nav[@class='filters']/p")}
    assert list(filters) == ["Type:", "Classification:", "Withheld text:", "Person:"]
    assert filters["Type:"] == ["Form", "Letter", "Memorandum", "Telegram"]
    telegrams = page(site, "documents/type/telegram/index.html")
    titles = [words(a) for a in telegrams.xpath("//table//a")]
    assert len(titles) == 2 and any("SECTO 8" in t for t in titles)
    assert telegrams.xpath("//nav[@class='filters']//a[@aria-current='page']/@href") == ["../../../documents/type/telegram/index.html"]
    rusk = page(site, "documents/person/person-rusk/index.html")
    assert [words(a) for a in rusk.xpath("//table//a")] == [t for t in [words(a) for a in listing.xpath("//table//a")] if "SECTO 8" in t]
    listed = json.loads((site / "documents/documents.json").read_text(encoding="utf-8"))
    assert [d["date"][:10] for d in listed] == dates
    assert listed[0] == {"id": "secto-8", "title": listed[0]["title"], "date": "1962-12-13T11:00:00+01:00",
                         "type": "telegram", "classification": "Secret",
                         "url": "https://edition.example.org/documents/secto-8/"}


def test_a_document_may_not_take_the_name_of_a_list_folder(tmp_path, run) -> None:
    import shutil
    project = tmp_path / "edition"
    shutil.copytree(ROOT / "tests" / "editions" / "valid", project)
    path = project / "texts" / "earlier.xml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('xml:id="earlier"', 'xml:id="person"', 1), encoding="utf-8")
    code, _, err = run(["build"], cwd=project)
    assert code == 1 and "error: the document id 'person' is the name of a folder of the documents list" in err


def test_site_furniture_404_robots_and_sitemap(site) -> None:
    missing = page(site, "404.html")
    assert missing.xpath("//a[.='the list of documents']/@href") == ["https://edition.example.org/documents/index.html"]
    assert (site / "robots.txt").read_text() == "User-agent: *\nAllow: /\nSitemap: https://edition.example.org/sitemap.xml\n"
    sitemap = etree.parse(str(site / "sitemap.xml"))
    locations = sitemap.xpath("//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"})
    # Each page once, at its canonical address: a document's diplomatic view is the document's page.
    pages = {p.relative_to(site).as_posix().removesuffix("index.html").removesuffix("diplomatic.html")
             for p in site.rglob("*.html") if p.name != "404.html"}
    assert sorted(locations) == sorted("https://edition.example.org/" + p for p in pages)


def test_every_page_names_its_canonical_address(site) -> None:
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        canonical = page(site, relative).xpath("/html/head/link[@rel='canonical']/@href")
        if relative == "404.html":
            assert canonical == [], "a page served at any missing address has no address of its own"
            continue
        expected = relative.removesuffix("index.html").removesuffix("diplomatic.html")
        assert canonical == [f"https://edition.example.org/{expected}"], relative


def test_downloads_are_the_tei_as_committed(site) -> None:
    import zipfile
    sources = sorted((ROOT / "texts").glob("*.xml"))
    with zipfile.ZipFile(site / "downloads/edition-tei.zip") as archive:
        assert sorted(archive.namelist()) == [f"texts/{p.name}" for p in sources]
        for path in sources:
            assert archive.read(f"texts/{path.name}") == path.read_bytes()
            etree.fromstring(archive.read(f"texts/{path.name}"))  # well-formed XML
    secto = page(site, "documents/secto-8/index.html")
    assert secto.xpath("//a[.='TEI source']/@href") == ["secto-8.xml"]
    assert (site / "documents/secto-8/secto-8.xml").read_bytes() == (ROOT / "texts/secto-8.xml").read_bytes()
    listing = page(site, "documents/index.html")
    assert listing.xpath("//p[@class='downloads']/a/@href") == ["../downloads/edition-tei.zip", "../documents/documents.json"]


def test_markdown_pages_have_footnotes_and_heading_anchors(tmp_path) -> None:
    from edition.render import markdown, render_page
    body, problems = render_page(markdown(), tmp_path / "p.md", "# T\n\n## A section\n\nText.[^1]\n\n[^1]: A footnote.\n")
    root = html.fromstring(f"<div>{body}</div>")
    assert problems == []
    assert root.xpath("//h2/@id") == ["a-section"]
    assert root.xpath("//sup[@class='footnote-ref']/a/@href") == ["#fn1"]
    assert words(root.xpath("//li[@id='fn1']")[0]).startswith("A footnote.")


def test_the_glossary_is_a_register_like_the_others(site) -> None:
    glossary = page(site, "glossary/index.html")
    register = etree.parse(str(ROOT / "texts" / "registers.xml"))
    terms = register.xpath("//tei:list[@type='gloss']/tei:label", namespaces=TEI)
    assert sorted(words(a) for a in glossary.xpath("//ul[@class='register-list']/li/a")) == sorted(t.text for t in terms)
    secto = page(site, "glossary/term-secto/index.html")
    assert words(secto.xpath("//h1")[0]) == "SECTO"
    assert secto.xpath("//ol[@class='mention-list']//a/@href") == ["../../documents/secto-8/index.html"]
    document = page(site, "documents/secto-8/index.html")
    (term,) = document.xpath("//div[contains(@class, 'tei-text')]//a[@data-ref='term-secto']")
    assert term.get("href") == "../../glossary/term-secto/index.html" and term.get("data-note").startswith("Series indicator")
    assert "Glossary" in [words(a) for a in document.xpath("//header//nav//a")]


def test_the_menu_follows_the_menu_setting(tmp_path, run) -> None:
    import shutil
    project = tmp_path / "edition"
    shutil.copytree(ROOT / "texts", project / "texts")
    shutil.copytree(ROOT / "site" / "pages", project / "site" / "pages")
    shutil.copy(ROOT / "anchors.lock", project / "anchors.lock")
    settings = (ROOT / "edition.toml").read_text(encoding="utf-8")
    (project / "edition.toml").write_text(settings + 'menu = ["search", "documents", "method"]\n', encoding="utf-8")
    code, _, _ = run(["build"], cwd=project)
    assert code == 0
    home = page(project / "_site", "index.html")
    assert [words(a) for a in home.xpath("//header//nav//a")] == ["Home", "Search", "Documents", "Editorial method"]
    (project / "edition.toml").write_text(settings + 'menu = ["documents", "letters"]\n', encoding="utf-8")
    code, _, err = run(["build"], cwd=project)
    line = len(settings.splitlines()) + 1
    assert code == 1
    assert err.splitlines()[0].startswith(f"edition.toml:{line}:1: error: menu entry 'letters' is not a part of this site: use one of documents, people,")


def _followed(site: Path, first: str, rows: str) -> list[tuple[str, list[str]]]:
    """Each page of a list from its first, by its pager's Next link: the page's path and its rows' links,
    each resolved to a path in the site."""
    pages, path = [], first
    while path is not None:
        root = page(site, path)
        folder = posixpath.dirname(path)
        links = [posixpath.normpath(posixpath.join(folder, a.get("href"))) for a in root.xpath(rows)]
        pages.append((path, links))
        following = root.xpath("(//nav[@class='pager'])[1]//a[@rel='next']/@href")
        path = posixpath.normpath(posixpath.join(folder, following[0])) if following else None
    return pages


def test_long_lists_and_entries_are_split_into_pages_that_together_show_everything(tmp_path, monkeypatch) -> None:
    import edition.render

    project = tmp_path / "edition"
    generate(project, 12, seed=2)
    assert build(project, tmp_path / "whole", search_index=False).exit_code == 0
    monkeypatch.setattr(edition.render, "PER_PAGE", 5)
    assert build(project, tmp_path / "paged", search_index=False).exit_code == 0
    whole, paged = tmp_path / "whole", tmp_path / "paged"
    assert not page(whole, "documents/index.html").xpath("//nav[@class='pager']")

    rows = "//table[@class='document-list']//td[2]/a"
    (everything,) = _followed(whole, "documents/index.html", rows)
    pages = _followed(paged, "documents/index.html", rows)
    assert [path for path, _ in pages] == ["documents/index.html", "documents/pages/2/index.html",
                                           "documents/pages/3/index.html"]
    assert [link for _, links in pages for link in links] == everything[1] and len(everything[1]) == 12
    second = page(paged, "documents/pages/2/index.html")
    assert words(second.xpath("//title")[0]).startswith("Documents, page 2 of 3 ·")
    assert words(second.xpath("//nav[@class='pager']/p")[0]) == "6–10 of 12:"
    assert second.xpath("//nav[@class='pager'][1]//a[@aria-current='page']/text()") == ["2"]
    assert second.xpath("//link[@rel='canonical']/@href") == ["index.html"]

    entries = sorted(site_page.relative_to(whole).as_posix() for site_page in (whole / "people").glob("*/index.html"))
    mentions = "//ol[@class='mention-list']/li/a"
    named = {entry: _followed(whole, entry, mentions)[0][1] for entry in entries}
    busiest = max(entries, key=lambda entry: len(named[entry]))
    assert len(named[busiest]) > 10
    for entry in entries:
        pages = _followed(paged, entry, mentions)
        assert [link for _, links in pages for link in links] == named[entry]
        assert len(pages) == max(1, -(-len(named[entry]) // 5))
        assert [bool(page(paged, path).xpath("//article[@data-pagefind-body]")) for path, _ in pages] == \
               [True] + [False] * (len(pages) - 1), "search indexes an entry once, on its first page"
    assert page(paged, busiest.replace("index.html", "pages/2/index.html")).xpath(
        "//ol[@class='mention-list']/@start") == ["6"]
    assert broken_links(paged) == []


def test_the_home_page_lists_the_first_documents_of_a_long_edition_and_leads_to_the_rest(tmp_path, monkeypatch):
    import edition.render

    project = tmp_path / "edition"
    generate(project, 12, seed=2)
    monkeypatch.setattr(edition.render, "PER_PAGE", 5)
    assert build(project, tmp_path / "site", search_index=False).exit_code == 0
    home = page(tmp_path / "site", "index.html")
    rows = [a.get("href") for a in home.xpath("//table[@class='document-list']//td[2]/a")]
    first = [posixpath.normpath(posixpath.join("documents", a.get("href"))) for a in
             page(tmp_path / "site", "documents/index.html").xpath("//table[@class='document-list']//td[2]/a")]
    assert rows == first and len(rows) == 5
    (note,) = home.xpath("//section[@aria-labelledby='documents-heading']/p")
    assert words(note).startswith("The first 5 of 12 documents") and note.xpath("a/@href") == ["documents/index.html"]


def test_each_page_of_an_entry_holds_the_documents_of_its_passages(monkeypatch) -> None:
    import edition.render
    from edition.model import Entity

    monkeypatch.setattr(edition.render, "PER_PAGE", 3)
    entity = Entity("person-x", "person", "X", named_in=list("abcde"), counts=[2, 3, 1, 4, 2], passages=12)
    pages = [(p.pager.first, p.pager.last, "".join(p.documents), p.before) for p in edition.render.entry_pages(entity)]
    # a holds passages 1-2, b 3-5, c 6, d 7-10, e 11-12.
    assert pages == [(1, 3, "ab", 0), (4, 6, "bc", 2), (7, 9, "d", 6), (10, 12, "de", 6)]
    unnamed = Entity("person-y", "person", "Y")
    assert [(p.pager.number, p.documents, p.before) for p in edition.render.entry_pages(unnamed)] == [(1, [], 0)]
