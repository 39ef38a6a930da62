"""TEI the edition was not written for builds into a readable page, and no word of it is lost (issue 7): the
FRUS documents and the Office of the Historian's archival documents beside the project, and a document of
elements the stylesheets have no rule for (tests/golden/foreign/unruled-tei.xml, also a golden case).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from lxml import etree, html

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import shared  # noqa: E402

from edition.checktext import format_losses, shortfall, tei_words  # noqa: E402
from edition.load import parse_document  # noqa: E402
from edition.model import VIEWS  # noqa: E402
from edition.transform import stylesheet, transform_document  # noqa: E402

UNRULED = Path(__file__).resolve().parent / "golden" / "foreign" / "unruled-tei.xml"

# HTML elements that make a block, and those that admit phrasing content only.
BLOCKS = frozenset("address article aside blockquote dd div dl dt figure footer h1 h2 h3 h4 h5 h6 header hr li"
                   " main nav ol p section table tbody td th thead tr ul".split())
PHRASING_ONLY = frozenset("a abbr b cite code data del dfn em h1 h2 h3 h4 h5 h6 i ins kbd mark p q s small span"
                          " strong sub sup time u var".split())


def load(path: Path):
    document, problems = parse_document(path, path.read_bytes())
    assert document is not None, [problem.format() for problem in problems]
    return document


def stylesheet_output(document, view: str) -> etree._Element:
    """The fragment as the stylesheet writes it (XML), before the build serialises it as HTML."""
    result = stylesheet()(document.tree, **{"document-id": etree.XSLT.strparam(document.id),
                                            "view": etree.XSLT.strparam(view)})
    return result.getroot()


def blocks_in_phrasing(root: etree._Element) -> list[str]:
    """Each block element that stands inside an element admitting phrasing content only."""
    found = []
    for element in root.iter(tag=etree.Element):
        phrasing = next((a.tag for a in element.iterancestors() if a.tag in PHRASING_ONLY), None)
        if element.tag in BLOCKS and phrasing:
            found.append(f"<{element.tag} class={element.get('class')!r}> inside <{phrasing}>")
    return found


def reparsed_differently(root: etree._Element) -> bool:
    """Whether a browser's parser, reading the fragment as the build writes it, would build another tree (it
    closes a <p> at a <div>, leaves a self-closed <span/> open...)."""
    def shape(top):
        return [(e.tag, None if e is top else e.getparent().tag) for e in top.iter() if isinstance(e.tag, str)]

    reparsed = html.fragment_fromstring(etree.tostring(root, method="html", encoding="unicode"))
    return shape(reparsed) != shape(root)


def structure_problems(document) -> list[str]:
    problems = []
    for view in VIEWS:
        root = stylesheet_output(document, view)
        problems += [f"{view}: {problem}" for problem in blocks_in_phrasing(root)]
        if reparsed_differently(root):
            problems.append(f"{view}: an HTML parser reads the fragment as another tree")
    return problems


def test_the_structure_checks_find_what_they_look_for() -> None:
    bad = etree.fromstring('<div><p>a<div>b</div></p><em><ul><li>c</li></ul></em><span>d</span></div>')
    assert blocks_in_phrasing(bad) == ["<div class=None> inside <p>", "<ul class=None> inside <em>",
                                       "<li class=None> inside <em>"]
    assert reparsed_differently(bad)
    assert not reparsed_differently(etree.fromstring("<div><p>a<span>b</span></p><br/></div>"))


# --- a document of elements without rules ------------------------------------------------------------------


def test_no_word_of_the_unruled_document_is_lost() -> None:
    document = load(UNRULED)
    rendered = {view: transform_document(document, view)[0] for view in VIEWS}
    assert sum(tei_words(document.root).values()) > 150
    assert format_losses("unruled-tei.xml", shortfall(document.root, rendered)) == []


def test_the_unruled_document_keeps_blocks_out_of_phrasing() -> None:
    assert structure_problems(load(UNRULED)) == []


# (XPath over the stylesheet's output, what it must find): what the stylesheets make of what TEI allows but
# the edition's own texts do not use.
RENDERINGS = [
    # A heading holding a list is a div that says it is a heading.
    ("//section/*[1][@class='head']/@role", ["heading"]),
    ("count(//*[@class='head'][ul])", 1.0),
    # The texts of a group are blocks of the one text: paragraphs and notes numbered through, one notes list.
    ("count(//div[contains(@class, 'tei-text')])", 1.0),
    ("//div[@class='tei-group']/div[@class='text']//p/@data-n", ["13", "14"]),
    ("count(//section[@class='notes'])", 1.0),
    # A pointer to a page break's or a line's xml:id lands on it.
    ("//a[@href='#unruled-pb1']/following::*[@id='unruled-pb1']/@class", ["anchor"]),
    ("count(//*[@id='unruled-lb1'])", 1.0),
    # An element of another vocabulary is classed by its namespace, never as a TEI element of its name.
    ("//*[@data-namespace='http://www.w3.org/2000/svg']/@class", ["ns-svg", "ns-text", "ns-title"]),
    # Handwriting holding a list, and a list without items, keep their content in a div.
    ("//div[@class='add']/div[@class='hand']/ul/li/text()", ["delta two added"]),
    ("//div[@class='list']/span[@class='tei-headLabel']/text()", ["lima two"]),
    # Cast lists, persons and title parts are blocks of their own, not words run together.
    ("count(//div[@class='tei-castItem'])", 3.0),
    ("count(//div[@class='tei-person'])", 1.0),
]


@pytest.mark.parametrize("view", VIEWS)
def test_what_the_stylesheets_make_of_unruled_tei(view: str) -> None:
    root = stylesheet_output(load(UNRULED), view)
    for xpath, expected in RENDERINGS:
        found = root.xpath(xpath)
        assert (found if isinstance(found, float) else [str(value) for value in found]) == expected, xpath


@pytest.mark.parametrize("view", VIEWS)
def test_hi_renditions_become_html_where_html_has_them(view: str) -> None:
    root = stylesheet_output(load(UNRULED), view)
    renditions = {element.get("class"): element.tag
                  for element in root.xpath("//*[@data-n='3']/*[starts-with(@class, 'hi ')]")}
    assert renditions == {"hi hi-smallcaps": "span", "hi hi-superscript": "sup", "hi hi-subscript": "sub",
                          "hi hi-strong": "strong", "hi hi-underline": "span", "hi hi-italic": "em"}


# --- the corpus beside the project -------------------------------------------------------------------------

CORPORA = ["corpus/frus-docs", "corpus/frus-history-documents", "corpus/frus/frus1961-63v13-d261.xml"]


@pytest.mark.parametrize("corpus", CORPORA)
def test_no_word_of_real_tei_is_lost_and_its_html_holds(corpus: str) -> None:
    """Every document of the corpus, through both views: no word lost, no block where HTML wants a phrase.
    The FRUS documents are not valid against the edition's schema; the stylesheets must not need them to be."""
    found = shared(corpus)
    paths = sorted(found.rglob("*.xml")) if found.is_dir() else [found]
    assert paths, f"no TEI files in ../shared/{corpus}"
    losses, problems, counted = [], [], 0
    for path in paths:
        document = load(path)
        rendered = {view: transform_document(document, view)[0] for view in VIEWS}
        counted += sum(tei_words(document.root).values())
        losses += format_losses(str(path.relative_to(found.parent)), shortfall(document.root, rendered))
        problems += [f"{path.name}: {problem}" for problem in structure_problems(document)]
    assert counted > 1000
    assert losses == [], f"{len(losses)} elements lost words:\n" + "\n".join(losses[:50])
    assert problems == [], "\n".join(problems[:50])
