"""edition/checktext.py: every word of a document's TEI text, where it occurs, is found in one of its HTML
views, and an occurrence that is not is reported at the element that holds it. The documents are small TEI
texts rendered by the edition's own stylesheet; a loss is made by deleting words from that HTML, or by a
stylesheet with a rule that drops text.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from lxml import etree, html

from edition import resources
from edition.checktext import (
    ElementLoss,
    Loss,
    by_element,
    element_name,
    format_losses,
    html_words,
    mark,
    shortfall,
    tei_words,
    words,
)
from edition.load import parse_document
from edition.model import NS, VIEWS
from edition.transform import transform_document

DOCUMENT = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/ns/1.0" xml:id="case">
  <teiHeader>
    <fileDesc>
      <titleStmt><title>Headerword only in the header</title></titleStmt>
      <publicationStmt><p>Publicationword.</p></publicationStmt>
      <sourceDesc><p>Sourceword.</p></sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>
{body}
    </body>
  </text>
</TEI>"""


def document(body: str):
    """A TEI document whose body is `body` (its first line is line 11 of the file)."""
    parsed, problems = parse_document(Path("texts/case.xml"), DOCUMENT.format(body=body).encode("utf-8"))
    assert parsed is not None, [problem.format() for problem in problems]
    return parsed


def views(parsed) -> dict[str, str]:
    """The document's HTML in each view, as the build makes it."""
    return {view: transform_document(parsed, view)[0] for view in VIEWS}


def without(markup: str, xpath: str) -> str:
    """The HTML with the elements the XPath selects removed, their tails kept."""
    root = html.fragment_fromstring(markup)
    for element in root.xpath(xpath):
        element.drop_tree()
    return html.tostring(root, encoding="unicode")


# --- words -------------------------------------------------------------------------------------------------


def test_words_are_letters_and_digits_with_case_and_apostrophes_set_aside() -> None:
    text = "Roosevelt’s SOVIET-American war—and “peace”, 1962–63: U.S.S.R. ‘quoted’ don't"
    assert words(text) == ["roosevelt's", "soviet", "american", "war", "and", "peace", "1962", "63",
                           "u", "s", "s", "r", "quoted", "don't"]
    assert words("Roosevelt’s") == words("ROOSEVELT'S")
    assert words("cafe\u0301") == words("caf\u00e9") == ["caf\u00e9"]  # decomposed or not, one word


def test_tei_words_are_the_text_and_its_notes_not_the_header_attributes_or_comments() -> None:
    parsed = document('<p rend="attributeword">Alpha <note>Bravo</note> char<!-- commentword -->lie'
                      '<?pi instructionword?> delta</p>')
    assert tei_words(parsed.root) == Counter({"alpha": 1, "bravo": 1, "charlie": 1, "delta": 1})
    assert tei_words(parsed.tree) == tei_words(parsed.root.find("tei:text", NS))


def test_html_words_leave_out_scripts_styles_and_comments() -> None:
    markup = "<div>One <script>var two;</script><style>.three {}</style><!-- four --> five</div>"
    assert html_words(markup) == Counter({"one": 1, "five": 1})
    assert html_words("") == Counter()


# --- shortfall ---------------------------------------------------------------------------------------------

PARAGRAPHS = """      <p>The <persName ref="#p1">Ambassador</persName> said <hi rend="italic">nothing</hi>.</p>
      <p>He left<note>Zephyr blew at noon.</note> and
        <hi rend="italic">Quixotic</hi> plans followed.</p>
      <list><item>first item</item><item>second item</item></list>"""


def test_a_faithful_rendering_loses_nothing() -> None:
    parsed = document(PARAGRAPHS)
    assert sum(tei_words(parsed.root).values()) == 18
    assert shortfall(parsed.root, views(parsed)) == []


def test_a_word_deleted_from_the_html_is_a_loss_at_its_element() -> None:
    parsed = document(PARAGRAPHS)
    doctored = {view: markup.replace("Quixotic", "") for view, markup in views(parsed).items()}
    assert shortfall(parsed.root, doctored) == [Loss(13, "hi", "quixotic", 1)]
    assert format_losses("texts/case.xml", shortfall(parsed.root, doctored)) == [
        'texts/case.xml:13: 1 word of <hi> missing: "quixotic"']


def careless_stylesheet() -> etree.XSLT:
    """A stylesheet that imports the edition's and adds a rule writing nothing for a name, as a careless new
    rule would."""
    return etree.XSLT(etree.XML(f"""<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
        xmlns:tei="http://www.tei-c.org/ns/1.0">
      <xsl:import href="{(resources.XSLT / 'edition.xsl').resolve().as_uri()}"/>
      <xsl:template match="tei:persName"/>
    </xsl:stylesheet>"""))


def test_a_rule_that_drops_text_is_caught() -> None:
    transformer = careless_stylesheet()
    parsed = document(PARAGRAPHS)
    rendered = {view: str(transformer(parsed.tree, view=etree.XSLT.strparam(view))) for view in VIEWS}
    assert format_losses("texts/case.xml", shortfall(parsed.root, rendered)) == [
        'texts/case.xml:11: 1 word of <persName> missing: "ambassador"']


def test_a_rule_that_drops_text_drops_the_mark_of_each_word_it_drops() -> None:
    """Given the careless stylesheet to render the marked copy too, as the build gives the check its own, the
    name's mark is missing from the marked views themselves."""
    transformer = careless_stylesheet()

    def render(tree, view: str) -> str:
        return str(transformer(tree, view=etree.XSLT.strparam(view)))

    parsed = document(PARAGRAPHS)
    rendered = {view: render(parsed.tree, view) for view in VIEWS}
    assert shortfall(parsed.root, rendered, render) == [Loss(11, "persName", "ambassador", 1)]


def test_each_side_of_a_choice_may_show_in_one_view_only() -> None:
    parsed = document("""      <p>A <choice><sic>mistaek</sic><corr>mistake</corr></choice>,
        an <choice><abbr>approx</abbr><expan>approximately</expan></choice>
        and a <choice><orig>colour</orig><reg>color</reg></choice>.</p>""")
    rendered = views(parsed)
    source, edition = {"mistaek", "approx", "colour"}, {"mistake", "approximately", "color"}
    reading, diplomatic = html_words(rendered["reading"]), html_words(rendered["diplomatic"])
    assert source.isdisjoint(reading) and edition <= set(reading)
    assert edition.isdisjoint(diplomatic) and source <= set(diplomatic)
    assert shortfall(parsed.root, rendered) == []
    # One view alone lacks the other's side: the union of the views is what counts.
    assert {(loss.element, loss.word) for loss in shortfall(parsed.root, {"reading": rendered["reading"]})} == {
        ("sic", "mistaek"), ("abbr", "approx"), ("orig", "colour")}
    assert {(loss.element, loss.word) for loss in shortfall(parsed.root, {"diplomatic": rendered["diplomatic"]})} \
        == {("corr", "mistake"), ("expan", "approximately"), ("reg", "color")}


def test_each_reading_of_a_choice_is_found_in_the_view_that_shows_it() -> None:
    """No view shows both readings: "THEY THEY" corrected to "THEY" is found as two in one view, one in the
    other, and a repetition one view drops is lost where it is."""
    parsed = document("      <p>COULD EXPECT <choice><sic>THEY THEY</sic><corr>THEY</corr></choice> COULD</p>")
    rendered = views(parsed)
    assert tei_words(parsed.root)["they"] == 3
    assert shortfall(parsed.root, rendered) == []
    doctored = {**rendered, "diplomatic": rendered["diplomatic"].replace("THEY THEY", "THEY")}
    assert shortfall(parsed.root, doctored) == [Loss(11, "sic", "they", 1)]


def test_the_same_word_in_parts_that_different_views_show_is_no_loss() -> None:
    """Each view shows four of the five "0", no view all five: each occurrence is shown by one view."""
    parsed = document('      <p xml:id="x-p1">0 <choice><abbr>0 </abbr><expan>0 0 </expan></choice>'
                      '<choice><abbr>0 0 </abbr><expan>0 </expan></choice></p>')
    rendered = views(parsed)
    assert [html_words(rendered[view])["0"] for view in VIEWS] == [4, 4]
    assert shortfall(parsed.root, rendered) == []


def test_a_deletion_and_an_expansion_of_the_same_word_are_each_found() -> None:
    """The reading view shows the expansion's REPEAT, the diplomatic view the deleted one; neither stands in
    for the other when its own view loses it."""
    parsed = document('      <p xml:id="x-p1"><del>REPEAT</del>\n'
                      '        <choice><abbr>RPT</abbr><expan>REPEAT</expan></choice></p>')
    rendered = views(parsed)
    assert [html_words(rendered[view])["repeat"] for view in VIEWS] == [1, 1]
    assert shortfall(parsed.root, rendered) == []
    reading_lost = {**rendered, "reading": rendered["reading"].replace("REPEAT", "")}
    assert shortfall(parsed.root, reading_lost) == [Loss(12, "expan", "repeat", 1)]
    diplomatic_lost = {**rendered, "diplomatic": rendered["diplomatic"].replace(">REPEAT<", "><")}
    assert shortfall(parsed.root, diplomatic_lost) == [Loss(11, "del", "repeat", 1)]


def test_the_editions_own_labels_do_not_stand_in_for_lost_words() -> None:
    parsed = document("""      <p>The stamp reads <stamp type="received">Received</stamp>.</p>
      <table><row role="label"><cell>Office symbol</cell></row><row><cell>S/S</cell></row></table>""")
    rendered = views(parsed)
    assert "Stamp (received)" in rendered["reading"]
    assert shortfall(parsed.root, rendered) == []  # a table's label cells are the document's words
    doctored = {view: markup.replace("The stamp reads", "The reads") for view, markup in rendered.items()}
    assert shortfall(parsed.root, doctored) == [Loss(11, "p", "stamp", 1)]


def test_deleted_words_show_in_the_diplomatic_view_only() -> None:
    parsed = document("      <p>Keep <del>struck</del> this.</p>")
    rendered = views(parsed)
    assert "struck" not in html_words(rendered["reading"])
    assert shortfall(parsed.root, rendered) == []
    assert shortfall(parsed.root, {"reading": rendered["reading"]}) == [Loss(11, "del", "struck", 1)]


def test_notes_count() -> None:
    parsed = document(PARAGRAPHS)
    doctored = {view: without(markup, "//section[@class='notes']") for view, markup in views(parsed).items()}
    assert format_losses("texts/case.xml", shortfall(parsed.root, doctored)) == [
        'texts/case.xml:12: 4 words of <note> missing: "at", "blew", "noon", "zephyr"']


def test_the_header_does_not_count() -> None:
    parsed = document(PARAGRAPHS)
    header = {"headerword", "publicationword", "sourceword"}
    assert header.isdisjoint(tei_words(parsed.root))
    assert header.isdisjoint(html_words(views(parsed)["reading"]))
    assert shortfall(parsed.root, views(parsed)) == []


def test_a_selected_element_counts_alone() -> None:
    parsed = document('      <div><p>Alpha bravo.</p></div>\n      <div><p>Charlie delta.</p></div>')
    second = parsed.root.findall(".//tei:div", NS)[1]
    only_second = {"reading": "<div><p>Charlie delta.</p></div>"}
    assert shortfall(second, only_second) == []
    assert [loss.word for loss in shortfall(parsed.root, only_second)] == ["alpha", "bravo"]


def test_a_word_missing_more_often_than_shown_is_counted() -> None:
    parsed = document("      <p>Echo echo echo.</p>")
    losses = shortfall(parsed.root, {"reading": "<p>echo</p>"})
    assert losses == [Loss(11, "p", "echo", 2)]
    assert format_losses("texts/case.xml", losses) == ['texts/case.xml:11: 2 words of <p> missing: "echo" ×2']


def test_a_word_written_twice_is_lost_where_the_view_lacks_it() -> None:
    parsed = document("""      <p>Meeting of the <term>Union</term> delegates.</p>
      <p>Statement by the <gloss>Union</gloss> minister.</p>""")
    rendered = {view: without(markup, "//span[@class='gloss']") for view, markup in views(parsed).items()}
    assert shortfall(parsed.root, rendered) == [Loss(12, "gloss", "union", 1)]


def test_a_word_broken_across_lines_is_found_in_its_parts() -> None:
    """The reading view joins the word, the diplomatic view breaks it where the paper does; the checker
    counts the parts, which the diplomatic view shows."""
    parsed = document('      <p>An exam<lb break="no"/>ple here.</p>')
    rendered = views(parsed)
    assert "example" in html_words(rendered["reading"])
    assert {"exam", "ple"} <= set(html_words(rendered["diplomatic"]))
    assert shortfall(parsed.root, rendered) == []


def test_a_gaps_description_that_repeats_its_placeholder_is_shown_by_it() -> None:
    """The stylesheet leaves out a desc that only repeats the placeholder: the one decision it makes on the
    words themselves. Its words stay unmarked, and the placeholder's words show them."""
    parsed = document('      <p>Before <gap reason="notDeclassified" quantity="2" unit="line">'
                      '<desc>[2 lines not declassified]</desc></gap> after.</p>')
    rendered = views(parsed)
    assert "[2 lines not declassified]" in rendered["reading"]
    assert 'class="desc"' not in rendered["reading"]
    assert [occurrence.word for occurrence in mark(parsed.root).unmarked] == ["2", "lines", "not", "declassified"]
    assert shortfall(parsed.root, rendered) == []
    doctored = {view: markup.replace("[2 lines not declassified]", "[]") for view, markup in rendered.items()}
    assert shortfall(parsed.root, doctored) == [Loss(11, "desc", word, 1)
                                                for word in ("2", "declassified", "lines", "not")]


def test_the_marked_copy_keeps_all_but_the_words() -> None:
    """Spaces and punctuation stay where they are, so that the stylesheet decides alike; a word running
    across a comment is one mark; the document itself is not changed."""
    parsed = document('      <p>Keep <del>struck</del>, don’t!  <hi>exam<lb break="no"/>ple</hi>'
                      ' char<!-- c -->lie</p>')
    marking = mark(parsed.root)
    marked = marking.tree.find(".//tei:text//tei:p", NS).xpath("string()")
    assert marked == "\ue0000\ue001 \ue0001\ue001, \ue0002\ue001!  \ue0003\ue001\ue0004\ue001 \ue0005\ue001"
    found = [(occurrence.written, occurrence.word, element_name(occurrence.holder)) for occurrence in marking.marked]
    assert found == [("Keep", "keep", "p"), ("struck", "struck", "del"), ("don’t", "don't", "p"),
                     ("exam", "exam", "hi"), ("ple", "ple", "hi"), ("charlie", "charlie", "p")]
    assert parsed.root.find(".//tei:text//tei:p", NS).xpath("string()") == "Keep struck, don’t!  example charlie"
    assert shortfall(parsed.root, views(parsed)) == []


def test_elements_of_other_vocabularies_are_named_by_their_prefix() -> None:
    parsed = document('      <p>See <frus:attachment>Tab Alpha</frus:attachment> and'
                      ' <flag xmlns="urn:example">Bravo</flag> and <plain xmlns="">Charlie</plain>.</p>')
    names = [element_name(element) for element in parsed.root.iterfind(".//tei:p/*", NS)]
    assert names == ["frus:attachment", "{urn:example}flag", "plain"]
    doctored = {view: markup.replace("Tab Alpha", "") for view, markup in views(parsed).items()}
    assert format_losses("texts/case.xml", shortfall(parsed.root, doctored)) == [
        'texts/case.xml:11: 2 words of <frus:attachment> missing: "alpha", "tab"']


def test_losses_are_reported_by_element_in_source_order() -> None:
    losses = [Loss(41, "hi", "foo"), Loss(41, "hi", "bar"), Loss(7, "frus:attachment", "baz", 3)]
    assert format_losses("texts/x.xml", losses) == [
        'texts/x.xml:7: 3 words of <frus:attachment> missing: "baz" ×3',
        'texts/x.xml:41: 2 words of <hi> missing: "bar", "foo"',
    ]
    assert by_element(losses) == [ElementLoss(7, "frus:attachment", 3, '"baz" ×3'),
                                  ElementLoss(41, "hi", 2, '"bar", "foo"')]
    assert format_losses("texts/x.xml", []) == []
