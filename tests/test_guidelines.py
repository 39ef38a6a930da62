"""The encoding guidelines page (site/pages/encoding.md) cannot drift from the code.

Every ```tei example in it is validated against edition.rng and edition.sch, and its rendering in each view is
compared with a golden file, `tests/golden/guidelines/<example>.<view>.html` (rewrite them with
`python tests/regenerate_golden.py`, then read the diff). The page documents every sign issue 3 lists, and a
wrong example fails the build at its line in the page.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lxml import etree, html

from conftest import ROOT
from edition import examples
from edition.render import markdown
from test_golden import GOLDEN, VIEWS, normalise, stylesheet

GUIDELINES = ROOT / "site" / "pages" / "encoding.md"
TEI = "http://www.tei-c.org/ns/1.0"

# Every sign an editor may encode and the guidelines must show (issue 3, "Every sign reaches the page").
SIGNS = """gap space damage unclear supplied del add subst choice sic corr abbr expan orig reg surplus handShift
    hi lb cb pb fw stamp note table row cell list item opener closer dateline salute signed postscript seg
    foreign q quote desc""".split()
# The closed lists of edition.sch: each value is shown by an example.
GAP_REASONS = "notDeclassified illegible damage faded omitted missing".split()
GAP_UNITS = "char word line paragraph page".split()
STAMP_TYPES = "received sent filed declassified review classification exemption routing control office date".split()


def guideline_examples() -> list[examples.Example]:
    """The ```tei examples of the guidelines page, in page order."""
    found = []
    for token in markdown().parse(GUIDELINES.read_text(encoding="utf-8")):
        if token.type == "fence" and token.map is not None:
            example = examples.example_from_fence(GUIDELINES, token.info, token.content, token.map[0] + 1)
            if example is not None:
                found.append(example)
    return found


def example_params():
    return [pytest.param(example, id=example.name) for example in guideline_examples()]


def expected_file(example: examples.Example, view: str) -> Path:
    return GOLDEN / "guidelines" / f"{example.name}.{view}.html"


def render_example(example: examples.Example, view: str) -> str:
    """What the stylesheet makes of the example's document in one view, as the golden cases compare it."""
    tree = etree.ElementTree(etree.fromstring(example.document_xml().encode("utf-8")))
    return str(stylesheet()(tree, view=etree.XSLT.strparam(view),
                            **{"document-id": etree.XSLT.strparam(example.document_id)}))


def example_elements(example: examples.Example) -> etree._Element:
    return etree.fromstring(example.document_xml().encode("utf-8")).find(f"{{{TEI}}}text")


@pytest.mark.parametrize("example", example_params())
def test_example_is_valid(example: examples.Example) -> None:
    document, problems = examples.check(example)
    assert [d.format() for d in problems] == []
    assert document is not None


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("example", example_params())
def test_example_renders_as_its_golden_file(example: examples.Example, view: str) -> None:
    expected = expected_file(example, view)
    assert expected.is_file(), f"no golden file {expected.relative_to(ROOT)}: run python tests/regenerate_golden.py"
    assert normalise(render_example(example, view)) == expected.read_text(encoding="utf-8").rstrip("\n")


def test_examples_have_names_of_their_own() -> None:
    names = [example.name for example in guideline_examples()]
    assert len(names) == len(set(names))
    assert all(not name.startswith("line-") for name in names), "name every example: ```tei <name>"


def test_every_golden_file_belongs_to_an_example() -> None:
    names = {example.name for example in guideline_examples()}
    files = {path.name.split(".")[0] for path in (GOLDEN / "guidelines").glob("*.html")}
    assert files == names


def test_the_guidelines_show_every_sign() -> None:
    shown = {etree.QName(element).localname
             for example in guideline_examples() for element in example_elements(example).iter(f"{{{TEI}}}*")}
    assert sorted(set(SIGNS) - shown) == []


def test_the_guidelines_show_every_value_of_the_closed_lists() -> None:
    gaps = [gap for example in guideline_examples() for gap in example_elements(example).iter(f"{{{TEI}}}gap")]
    stamps = [s for example in guideline_examples() for s in example_elements(example).iter(f"{{{TEI}}}stamp")]
    assert sorted(set(GAP_REASONS) - {gap.get("reason") for gap in gaps}) == []
    assert sorted(set(GAP_UNITS) - {gap.get("unit") for gap in gaps}) == []
    assert sorted(set(STAMP_TYPES) - {stamp.get("type") for stamp in stamps}) == []


def test_the_guidelines_show_a_blackout_a_later_stamp_a_checkbox_and_a_margin_note() -> None:
    sources = " ".join(example.source for example in guideline_examples())
    assert 'rend="blackout" type="redaction"><gap' in sources
    assert '<add resp="#review-office"><stamp' in sources
    assert "☐" in sources and '<add hand="#hand-clerk">☒</add>' in sources
    assert '<note place="margin" hand=' in sources


def test_the_built_page_shows_each_example_in_both_views(site: Path) -> None:
    page = html.parse(str(site / "encoding" / "index.html")).getroot()
    figures = page.xpath("//figure[@class='example']")
    assert [figure.get("id") for figure in figures] == [e.document_id for e in guideline_examples()]
    for figure in figures:
        assert [p.text for p in figure.xpath(".//p[@class='example-view-name']")] == ["Reading view", "Diplomatic view"]
        assert figure.xpath(".//div[contains(@class, 'view-reading')]")
        assert figure.xpath(".//div[contains(@class, 'view-diplomatic')]")
    ids = page.xpath("//@id")
    assert sorted({i for i in ids if ids.count(i) > 1}) == []
    withheld = page.xpath("//figure[@id='example-withheld-lines']//span[@class='gap']")
    assert [" ".join(g.text_content().split()) for g in withheld] == ["[2 lines not declassified]"] * 2


def test_a_wrong_example_fails_the_build_at_its_line(tmp_path: Path, run) -> None:
    project = tmp_path / "edition"
    shutil.copytree(ROOT / "texts", project / "texts")
    shutil.copy(ROOT / "edition.toml", project / "edition.toml")
    (project / "site" / "pages").mkdir(parents=True)
    (project / "site" / "pages" / "encoding.md").write_text(
        "# Guidelines\n\nA gap.\n\n```tei bad-gap\nSOME <gap quantity=\"2\" unit=\"line\"/> TEXT\n```\n",
        encoding="utf-8")
    code, _, err = run(["build"], cwd=project)
    assert code == 1
    assert "site/pages/encoding.md:6:6: error: this gap gives no reason, so a reader cannot tell why text is missing: add reason=" in err
    assert not (project / "_site").exists()


def test_an_example_name_must_be_usable_and_unique(tmp_path: Path) -> None:
    from edition.render import render_page
    page = tmp_path / "page.md"
    text = "```tei Bad_Name\nA\n```\n\n```tei twice\nB\n```\n\n```tei twice\nC\n```\n"
    _, problems = render_page(markdown(), page, text)
    assert [(d.line, d.code) for d in problems] == [(1, "example-name"), (9, "example-name")]
