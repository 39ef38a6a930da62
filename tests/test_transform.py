"""What transform.py adds to the stylesheet's HTML: notes attached by @target placed at their passage."""

from __future__ import annotations

from pathlib import Path

from lxml import html

from edition.load import parse_document
from edition.transform import transform_document

DOCUMENT = """<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="case">
  <teiHeader><fileDesc><titleStmt><title>Attached notes</title></titleStmt>
    <publicationStmt><p>Test.</p></publicationStmt><sourceDesc><p>Test.</p></sourceDesc></fileDesc></teiHeader>
  <text>
    <body>
      <p xml:id="case-p1">The <seg xml:id="case-seg">contested clause</seg> stands here, then more text.</p>
      <p xml:id="case-p2">A second paragraph.</p>
    </body>
    <back>
      <div type="notes">
        <note type="editorial" xml:id="case-n1" target="#case-seg">On the clause.</note>
        <note type="editorial" xml:id="case-n2" target="#case-p2">On the whole paragraph.</note>
        <note type="editorial" xml:id="case-n3" target="#case-nowhere-on-this-page">Kept where it stands.</note>
      </div>
    </back>
  </text>
</TEI>
"""


def rendered(tmp_path: Path):
    document, problems = parse_document(tmp_path / "case.xml", DOCUMENT.encode("utf-8"))
    assert problems == []
    markup, _ = transform_document(document, "reading")
    return html.fromstring(markup), document


def test_a_note_attached_by_target_is_referenced_at_the_end_of_its_passage(tmp_path) -> None:
    root, _ = rendered(tmp_path)
    (seg,) = root.xpath("//*[@id='case-seg']")
    assert seg.xpath("a[@class='note-ref']/@href") == ["#case-n1"]
    assert " ".join(seg.text_content().split()) == "contested clause1"
    (paragraph,) = root.xpath("//*[@id='case-p2']")
    assert [a.get("class") for a in paragraph.xpath("a")] == ["note-ref", "pilcrow"]
    assert root.xpath("//*[@id='case-p1']")[0].text_content().count("then more text.") == 1
    assert not root.xpath("//*[@data-attach]")
    # The note's body stays in the notes, numbered by its position, linked both ways.
    assert root.xpath("//li[@id='case-n1']/a[@class='note-back']/@href") == ["#case-n1-ref"]


def test_a_note_whose_passage_is_not_on_the_page_stays_where_it_stands(tmp_path) -> None:
    root, _ = rendered(tmp_path)
    (reference,) = root.xpath("//a[@href='#case-n3']")
    assert reference.getparent().get("id") != "case-p1" and reference.xpath("ancestor::*[contains(@class, 'back')]")
