"""Checks on the built site of the bundled edition: (page, XPath, expected) as a reader would verify them."""


import pytest
from lxml import etree, html

from conftest import ROOT, shared
from edition.build import build

TEI = {"tei": "http://www.tei-c.org/ns/1.0"}
SECTO = "documents/secto-8/index.html"
SECTO_DIPLOMATIC = "documents/secto-8/diplomatic.html"


@pytest.fixture(scope="module")
def secto(site):
    return html.parse(str(site / SECTO)).getroot()


@pytest.fixture(scope="module")
def secto_diplomatic(site):
    return html.parse(str(site / SECTO_DIPLOMATIC)).getroot()


@pytest.fixture(scope="module")
def secto_tei():
    return etree.parse(str(ROOT / "texts" / "secto-8.xml"))


def text_of(element) -> str:
    return " ".join(element.text_content().split())


def test_pages_exist(site):
    for page in ["index.html", "documents/index.html", SECTO, "method/index.html", "static/edition.css"]:
        assert (site / page).is_file(), page


def test_every_paragraph_id_of_the_tei_is_an_html_id_with_a_pilcrow(secto, secto_tei):
    ids = secto_tei.xpath("//tei:text//tei:p/@xml:id", namespaces=TEI)
    assert ids == ["secto-8-p1", "secto-8-p2", "secto-8-p3"]
    for number, paragraph_id in enumerate(ids, start=1):
        (paragraph,) = secto.xpath(f"//*[@id='{paragraph_id}']")
        (pilcrow,) = paragraph.xpath("a[@class='pilcrow']")
        assert pilcrow.get("href") == f"#{paragraph_id}"
        assert text_of(pilcrow) == f"¶{number}"


def test_five_page_markers_in_order(secto_diplomatic, secto):
    markers = secto_diplomatic.xpath("//*[contains(concat(' ', @class, ' '), ' pb ')]")
    assert [text_of(m) for m in markers] == [f"[Page {n}]" for n in range(1, 6)]
    assert [m.get("id") for m in markers] == [f"secto-8-page-{n}" for n in range(1, 6)]
    in_reading = secto.xpath("//*[contains(concat(' ', @class, ' '), ' pb ')]")
    assert [text_of(m) for m in in_reading] == [f"[p. {n}]" for n in range(1, 6)]


def test_each_stamp_is_shown_with_its_kind_and_text(secto, secto_tei):
    stamps = secto_tei.xpath("//tei:text//tei:stamp", namespaces=TEI)
    shown = secto.xpath("//span[contains(concat(' ', @class, ' '), ' stamp ')]")
    assert len(shown) == len(stamps) >= 12
    for tei_stamp, html_stamp in zip(stamps, shown):
        assert f"stamp-{tei_stamp.get('type')}" in html_stamp.get("class")
        assert text_of(html_stamp).startswith(f"Stamp ({tei_stamp.get('type')})")
        for word in "".join(tei_stamp.itertext()).split():
            assert word in text_of(html_stamp)


@pytest.mark.parametrize("words", [
    "FILED MAR 21 1963", "REVIEWED BY handwritten: 87", "11/27/90", "Control: 5860", "DECLASSIFIED", "03115387030",
])
def test_stamp_texts_on_the_page(secto, words):
    stamps = " ".join(text_of(s) for s in secto.xpath("//span[contains(@class, 'stamp')]"))
    assert words in stamps


def test_handwriting_is_marked_as_such_not_by_colour(secto):
    additions = secto.xpath("//section[@class='text']//span[contains(concat(' ', @class, ' '), ' add ')]")
    written = {text_of(a.xpath(".//span[@class='hand']")[0]) for a in additions}
    assert {"35-31", "87", "11/27/90", "EUR", "400", "33-5 sides"} <= written
    for addition in additions:
        assert text_of(addition).startswith("handwritten:")


def test_diplomatic_view_keeps_the_original_and_reading_view_the_correction(secto_diplomatic, secto):
    diplomatic = text_of(secto_diplomatic.xpath("//section[@class='text']")[0])
    assert "EXPECT sic: THEY THEY COULD" in diplomatic and "OFF sic: C EACH" in diplomatic
    assert secto_diplomatic.xpath("//abbr[.='RPT'][@title='REPEAT']")
    reading = text_of(secto.xpath("//section[@class='text']")[0])
    assert "EXPECT corrected: THEY COULD" in reading and "OFF corrected: OF EACH" in reading
    assert "NOT REPEAT NOT" in reading and "THEY THEY" not in reading


def test_metadata_header(secto):
    rows = {text_of(d.find("dt")): text_of(d.find("dd")) for d in secto.xpath("//dl[@class='metadata']/div")}
    assert rows["Date"] == "13 December 1962, 11:00 (UTC+01:00)"
    assert rows["Classification"] == "Secret"
    assert "751.11/12–1362" in rows["Archival source"]
    assert "1990" in rows["Declassification"]
    assert rows["Published in"].startswith("Foreign Relations of the United States, 1961–1963, Volume XIII, "
                                           "Western Europe and Canada, document 261, pp. 739–742 "
                                           "(https://history.state.gov/historicaldocuments/frus1961-63v13/d261).")
    assert rows["From"] == "Dean Rusk (Paris)"
    assert rows["To"] == "Department of State (Washington)"


def test_notes_are_numbered_with_back_links(secto):
    notes = secto.xpath("//section[@class='notes']//li")
    assert len(notes) >= 2
    for note in notes:
        back = note.xpath(".//a[@class='note-back']")[0].get("href")
        assert secto.xpath(f"//*[@id='{back[1:]}']"), back


def test_register_entries_of_the_people_mentioned(secto):
    names = [text_of(dt) for dt in secto.xpath("//section[@class='mentions']//dt")]
    assert any("Rusk" in n for n in names) and any("Gaulle" in n for n in names)


def test_documents_list_has_date_title_classification(site):
    listing = html.parse(str(site / "documents/index.html")).getroot()
    (row,) = listing.xpath("//table[@class='document-list']/tbody/tr[td/a[contains(., 'SECTO 8')]]")
    cells = [text_of(c) for c in row.xpath("td")]
    assert cells[0] == "13 December 1962, 11:00 (UTC+01:00)" and "SECTO 8" in cells[1] and cells[2] == "Secret"


def test_every_word_of_the_transcription_reaches_the_diplomatic_page(secto_diplomatic):
    """The seed transcription, word for word (case and punctuation aside), is in the diplomatic page's text."""
    secto = secto_diplomatic
    seed = shared("seed/SECTO-8-1962-12-13.txt")
    import re
    words = lambda s: re.findall(r"[A-Za-z0-9☐☒]+", s)  # noqa: E731
    # Text nodes joined with spaces: a note number or the next table cell must not glue onto a word.
    page = set(words(" ".join(secto.xpath("//section[@class='text']")[0].itertext())))
    missing = [w for w in words(seed.read_text(encoding="utf-8").replace("<i>", " ").replace("</i>", " "))
               if w not in page]
    assert missing == []


def test_chronology_links_documents_in_date_order(tmp_path):
    out = tmp_path / "_site"
    assert build(ROOT / "tests" / "editions" / "valid", out).exit_code == 0
    earlier = html.parse(str(out / "documents/earlier/index.html")).getroot()
    later = html.parse(str(out / "documents/later/index.html")).getroot()
    assert earlier.xpath("//a[@rel='next']/@href") == ["../../documents/later/index.html"]
    assert not earlier.xpath("//a[@rel='prev']")
    assert later.xpath("//a[@rel='prev']/@href") == ["../../documents/earlier/index.html"]
    listing = html.parse(str(out / "documents/index.html")).getroot()
    assert [text_of(a) for a in listing.xpath("//tbody//a")] == ["The earlier telegram", "The later memorandum"]


def test_every_declared_hand_is_described_on_the_page(secto, secto_tei):
    declared = secto_tei.xpath("//tei:handNote/@xml:id", namespaces=TEI)
    described = secto.xpath("//section[@class='hands']//div/@id")
    assert described == declared and len(declared) == 3
    additions = secto.xpath("//section[@class='text']//span[contains(concat(' ', @class, ' '), ' add ')]")
    used = {a.get("data-hand") for a in additions}
    assert used <= set(described)


def test_withheld_content_is_summarised_and_listed(tmp_path):
    out = tmp_path / "_site"
    assert build(ROOT / "tests" / "editions" / "valid", out).exit_code == 0
    later = html.parse(str(out / "documents/later/index.html")).getroot()
    rows = {text_of(d.find("dt")): text_of(d.find("dd")) for d in later.xpath("//dl[@class='metadata']/div")}
    assert rows["Withheld at declassification"] == "2 passages: 2 lines, 1 paragraph (withholding agency named for CIA: 1 of 2)"
    listing = html.parse(str(out / "documents/index.html")).getroot()
    withheld_column = {text_of(r.xpath("td[2]")[0]): text_of(r.xpath("td[4]")[0])
                       for r in listing.xpath("//tbody/tr")}
    assert withheld_column == {"The earlier telegram": "—", "The later memorandum": "2 lines, 1 paragraph"}
    narrowed = html.parse(str(out / "documents/withheld/index.html")).getroot()
    assert [text_of(a) for a in narrowed.xpath("//tbody//a")] == ["The later memorandum"]
    assert narrowed.xpath("//tbody//a/@href") == ["../../documents/later/index.html"]


def test_both_views_have_pages_with_the_same_anchors_and_a_switch(site):
    reading = html.parse(str(site / "documents/secto-8/index.html")).getroot()
    diplomatic = html.parse(str(site / "documents/secto-8/diplomatic.html")).getroot()
    anchors = "//section[@class='text']//*[@id]/@id"
    assert reading.xpath(anchors) == diplomatic.xpath(anchors)
    assert reading.xpath("//div[contains(@class, 'tei-text')]/@class")[0].endswith("view-reading")
    assert diplomatic.xpath("//div[contains(@class, 'tei-text')]/@class")[0].endswith("view-diplomatic")
    for page, current in ((reading, "reading"), (diplomatic, "diplomatic")):
        switch = {a.get("data-view"): a for a in page.xpath("//nav[@class='views']//a")}
        assert {v: a.get("href") for v, a in switch.items()} == {"reading": "index.html", "diplomatic": "diplomatic.html"}
        assert switch[current].get("aria-current") == "page"
        assert page.xpath("//script/@src") == ["../../static/view.js", "../../static/cite.js", "../../static/names.js"]


def test_stylesheet_messages_become_warnings_on_the_document():
    from edition.load import load_document
    from edition.transform import transform_document

    document, problems = load_document(ROOT / "texts" / "secto-8.xml")
    html_text, messages = transform_document(document, "no-such-view")
    assert problems == [] and "view-diplomatic" in html_text
    assert [(m.path, m.line, m.col, m.level.value, m.code, m.message) for m in messages] == [
        (document.path, 1, 1, "warning", "transform",
         'unknown view "no-such-view" (the views are diplomatic and reading); the diplomatic view is rendered')
    ]


def test_pointers_to_other_documents_link_to_their_pages(site):
    form = html.parse(str(site / "documents/form-1971-02-05/index.html")).getroot()
    (ref,) = form.xpath("//a[contains(@class, 'ref')][contains(., 'Ocean Weather Stations')]")
    assert ref.get("href") == "../memcon-1963-04-02/index.html"
    (ptr,) = form.xpath("//a[contains(@class, 'ptr')]")
    assert ptr.get("href") == "../memcon-1963-04-02/index.html#memcon-1963-04-02-p1"
    assert text_of(ptr).startswith("Memorandum of Conversation: Ocean Weather Station")
    assert text_of(ptr).endswith(", paragraph 1")
    memcon = html.parse(str(site / "documents/memcon-1963-04-02/index.html")).getroot()
    assert memcon.xpath("//*[@id='memcon-1963-04-02-p1']")
    assert not form.xpath("//*[@data-target]")


def test_every_page_shows_the_version_and_build_date(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    result = build(ROOT, tmp_path / "_site")
    assert result.exit_code == 0
    for page in ["index.html", SECTO, SECTO_DIPLOMATIC, "documents/index.html", "encoding/index.html"]:
        footer = html.parse(str(tmp_path / "_site" / page)).getroot().xpath("//footer")[0]
        assert "version 0.1" in text_of(footer), page
        assert footer.xpath(".//time/@datetime") == ["2023-11-14"], page
        assert "built 14 November 2023" in text_of(footer), page


def test_every_paragraph_offers_its_citation_with_its_permalink(secto):
    for number, anchor in enumerate(["secto-8-p1", "secto-8-p2", "secto-8-p3"], start=1):
        (paragraph,) = secto.xpath(f"//*[@id='{anchor}']")
        (panel,) = paragraph.xpath("span[@class='cite-panel']")
        assert text_of(panel.xpath("span[@class='cite-label']")[0]) == f"Cite paragraph {number}:"
        (citation,) = panel.xpath(f"span[@class='cite-text'][@id='cite-{anchor}']")
        words = text_of(citation)
        assert f"paragraph {number}. In Paris, December 1962: Telegrams of the Department of State, version 0.1." in words
        assert words.endswith(f"https://edition.example.org/documents/secto-8/#{anchor} (accessed [date of access]).")
        assert citation.xpath("span[@class='access-date']/text()") == ["[date of access]"]
        assert panel.xpath("button[@data-citation]/@data-citation") == [f"cite-{anchor}"]


def test_the_document_is_citable_and_its_citation_downloadable(site, secto):
    import json
    (block,) = secto.xpath("//section[@class='cite-document']")
    assert text_of(block.xpath(".//p[@id='cite-document']")[0]).startswith(
        "“Telegram From Secretary of State Rusk to the Department of State (SECTO 8), Paris, December 13, 1962.”")
    assert sorted(block.xpath(".//a[@download]/@href")) == [
        "../../downloads/edition-tei.zip", "citation.bib", "citation.json", "secto-8.xml"]
    (item,) = json.loads((site / "documents/secto-8/citation.json").read_text(encoding="utf-8"))
    assert (item["id"], item["URL"]) == ("secto-8", "https://edition.example.org/documents/secto-8/")
    assert (site / "documents/secto-8/citation.bib").read_text(encoding="utf-8").count("@misc{secto-8,") == 1


def test_document_pages_carry_metadata_for_reference_managers(secto):
    import json
    assert secto.xpath("//meta[@name='citation_title']/@content") == [
        "Telegram From Secretary of State Rusk to the Department of State (SECTO 8), Paris, December 13, 1962"]
    assert secto.xpath("//meta[@name='DC.type']/@content") == ["letter"]
    assert secto.xpath("//meta[@property='og:url']/@content") == ["https://edition.example.org/documents/secto-8/"]
    assert secto.xpath("//link[@rel='canonical']/@href") == ["https://edition.example.org/documents/secto-8/"]
    (data,) = secto.xpath("//script[@type='application/ld+json']/text()")
    record = json.loads(data)
    assert "ArchiveComponent" in record["@type"] and record["holdingArchive"]["@type"] == "ArchiveOrganization"
