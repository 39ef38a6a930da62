"""Golden tests of the stylesheets: each small TEI document renders to exactly its expected HTML.

A case is a set of files in `tests/golden/<module>/`: `<case>.xml`, a complete TEI document (minimal header)
that exercises the rules of one stylesheet module, and for each view of the text (`VIEWS`, the stylesheet's
`view` parameter) `<case>.<view>.html`, the fragment `xslt/edition.xsl` must produce for it in that view.
Both sides are normalised before they are compared (see `normalise`), so the expected files can be indented
for reading.

After an intended change of rendering, rewrite every expected file from the current stylesheets with

    python tests/regenerate_golden.py

and read the diff of `tests/golden/` before committing it: the expected files are the specification.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
STYLESHEET = ROOT / "xslt" / "edition.xsl"
GOLDEN = Path(__file__).resolve().parent / "golden"

# HTML elements that start a block box: whitespace at their edges is not rendered, so it is not compared.
BLOCK_ELEMENTS = frozenset(
    "address article aside blockquote caption dd div dl dt figure footer h1 h2 h3 h4 h5 h6 header li main"
    " nav ol p section table tbody td tfoot th thead tr ul".split()
)
# HTML elements that have no content and no end tag; any other element is written <x></x> when empty.
VOID_ELEMENTS = frozenset("area base br col embed hr img input link meta source track wbr".split())
INDENT = "  "
# The values of the stylesheet's `view` parameter; the first is its default.
VIEWS = ("diplomatic", "reading")


@lru_cache(maxsize=1)
def stylesheet() -> etree.XSLT:
    """The edition's stylesheet, compiled once per test session."""
    return etree.XSLT(etree.parse(str(STYLESHEET)))


def render(source: Path, **parameters: str) -> str:
    """The HTML fragment the edition makes of one TEI document, as the stylesheet serialises it."""
    params = {name: etree.XSLT.strparam(value) for name, value in parameters.items()}
    return str(stylesheet()(etree.parse(str(source)), **params))


def golden_cases() -> list[Path]:
    """Every golden case's TEI input, by module folder and name."""
    return sorted(GOLDEN.glob("*/*.xml"))


def expected_file(source: Path, view: str) -> Path:
    """The expected HTML of a golden case in one view: `<case>.<view>.html` beside `<case>.xml`."""
    return source.parent / f"{source.stem}.{view}.html"


def normalise(markup: str) -> str:
    """A canonical text of an HTML fragment, equal for two fragments a browser renders alike.

    Runs of whitespace become one space, whitespace at the edges of block elements is dropped (a browser
    does not render it), attributes are sorted, every block element stands on lines of its own, indented
    by depth, and an empty element is written as HTML needs it (<td></td>, not <td/>).
    """
    root = etree.fromstring(markup.encode("utf-8"))
    for node in root.iter():
        node.text = _collapse(node.text) if not isinstance(node, etree._Comment) else node.text
        node.tail = _collapse(node.tail)
    for element in root.iter(tag=etree.Element):
        _sort_attributes(element)
        if element.tag in BLOCK_ELEMENTS:
            _trim_block_edges(element)
    for element in root.iter(tag=etree.Element):
        if element.tag not in VOID_ELEMENTS and not len(element) and not element.text:
            element.text = ""
    _indent(root, 0)
    return etree.tostring(root, encoding="unicode")


def _collapse(text: str | None) -> str | None:
    return re.sub(r"[ \t\r\n]+", " ", text) if text else text


def _strip(text: str | None, side: str) -> str | None:
    if text is None:
        return None
    stripped = text.lstrip(" ") if side == "left" else text.rstrip(" ")
    return stripped or None


def _trim_block_edges(block: etree._Element) -> None:
    block.text = _strip(block.text, "left")
    if len(block):
        block[-1].tail = _strip(block[-1].tail, "right")
    else:
        block.text = _strip(block.text, "right")
    previous = block.getprevious()
    if previous is not None:
        previous.tail = _strip(previous.tail, "right")
    elif block.getparent() is not None:
        block.getparent().text = _strip(block.getparent().text, "right")
    block.tail = _strip(block.tail, "left")


def _sort_attributes(element: etree._Element) -> None:
    attributes = sorted(element.attrib.items())
    element.attrib.clear()
    for name, value in attributes:
        element.set(name, value)


def _indent(element: etree._Element, level: int) -> None:
    """Put every block on lines of its own: whitespace beside a block is not rendered, so this changes nothing."""
    inner = "\n" + INDENT * (level + 1)
    for child in element:
        if _is_block(child):
            previous = child.getprevious()
            if previous is None:
                element.text = _ending_with(element.text, inner)
            else:
                previous.tail = _ending_with(previous.tail, inner)
            child.tail = inner + (child.tail or "")
        if isinstance(child.tag, str):
            _indent(child, level + 1)
    if len(element) and _is_block(element[-1]) and element[-1].tail == inner:
        element[-1].tail = "\n" + INDENT * level


def _is_block(node: etree._Element) -> bool:
    return isinstance(node.tag, str) and node.tag in BLOCK_ELEMENTS


def _ending_with(text: str | None, whitespace: str) -> str:
    text = text or ""
    return text if text.endswith(whitespace) else text + whitespace


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("source", golden_cases(), ids=lambda path: f"{path.parent.name}/{path.stem}")
def test_golden_case(source: Path, view: str) -> None:
    expected_path = expected_file(source, view)
    if not expected_path.exists():
        pytest.fail(f"{expected_path} is missing: write it, or create it with `python tests/regenerate_golden.py`")
    expected = normalise(expected_path.read_text(encoding="utf-8")).splitlines()
    actual = normalise(render(source, view=view)).splitlines()
    if actual != expected:
        diff = "\n".join(
            difflib.unified_diff(expected, actual, str(expected_path.relative_to(ROOT)), "rendered", lineterm="")
        )
        pytest.fail(
            f"{source.relative_to(ROOT)} renders differently in the {view} view from its expected HTML"
            f" (if the change is intended: python tests/regenerate_golden.py):\n{diff}"
        )


def test_the_default_view_is_the_first() -> None:
    source = GOLDEN / "signs" / "readings.xml"
    assert render(source) == render(source, view=VIEWS[0])


def test_no_expected_file_without_a_case_and_a_view() -> None:
    known = {expected_file(source, view) for source in golden_cases() for view in VIEWS}
    # The guidelines' examples have their own folder and check (tests/test_guidelines.py).
    files = {path for path in GOLDEN.glob("*/*.html") if path.parent.name != "guidelines"}
    assert sorted(str(path.relative_to(GOLDEN)) for path in files - known) == []


def test_every_module_has_a_golden_case() -> None:
    modules = {path.stem for path in STYLESHEET.parent.glob("*.xsl")} - {"edition", "behaviours"}
    covered = {path.parent.name for path in golden_cases()}
    assert sorted(modules - covered) == [], "stylesheet modules without a golden case in tests/golden/<module>/"


def test_normalise_keeps_what_a_browser_renders() -> None:
    spaced = '<div class="x">\n  <p>A <span b="2" a="1">B</span>  C</p>\n  <ul> <li>one</li> </ul>\n</div>'
    tight = '<div class="x"><p>A <span a="1" b="2">B</span> C</p><ul><li>one</li></ul></div>'
    assert normalise(spaced) == normalise(tight)
    assert normalise("<p>A <span>B</span></p>") != normalise("<p>A<span>B</span></p>")
    assert normalise(normalise(spaced)) == normalise(spaced)
