"""The stylesheets keep their design: one entry point of imports, one rule per TEI element in the module of its
concern, a rule for every element the schema admits in a text, no text lost, and HTML a browser can trust.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))  # test_golden's helpers, whatever pytest's import mode

from test_golden import GOLDEN, ROOT, STYLESHEET, VOID_ELEMENTS, golden_cases, render, stylesheet  # noqa: E402

XSLT = STYLESHEET.parent
SHARED_DOCUMENTS = ROOT.parent / "shared" / "corpus" / "frus-history-documents"

XSL = "http://www.w3.org/1999/XSL/Transform"
TEI = "http://www.tei-c.org/ns/1.0"
NS = {"xsl": XSL, "tei": TEI}

# Where each TEI element's rule lives (the design of xslt/edition.xsl). A new rule is added here too, in the
# module of its concern.
DESIGN = {
    "structure": "text body front back div head p ab opener closer dateline salute signed postscript list item"
    " label q quote seg hi foreign term ref ptr address addrLine",
    "pages": "pb cb lb fw",
    "stamps": "stamp",
    "signs": "gap desc del add subst unclear supplied choice sic corr abbr expan orig reg surplus handShift"
    " damage space",
    "notes": "note",
    "names": "persName placeName orgName name rs date time num",
    "tables": "table row cell",
}
MODULES = [*DESIGN, "behaviours", "default"]

BLOCK_ELEMENTS = frozenset(
    "address article aside blockquote div dl figure footer h1 h2 h3 h4 h5 h6 header hr main nav ol p section"
    " table ul".split()
)
PHRASING_ONLY = frozenset(
    "abbr b bdi bdo cite code data dfn em h1 h2 h3 h4 h5 h6 i kbd mark p q s samp small span strong sub sup"
    " time u var".split()
)
ALLOWED_CHILDREN = {
    "ul": {"li"},
    "ol": {"li"},
    "dl": {"dt", "dd"},
    "table": {"caption", "colgroup", "thead", "tbody", "tfoot", "tr"},
    "tr": {"td", "th"},
}


def stylesheet_tree(module: str) -> etree._ElementTree:
    return etree.parse(str(XSLT / f"{module}.xsl"))


def templates_by_match() -> list[tuple[str, str]]:
    """(module, match pattern) of every template with a match, in every module."""
    return [
        (module, template.get("match"))
        for module in MODULES
        for template in stylesheet_tree(module).getroot().iterfind(f"{{{XSL}}}template")
        if template.get("match")
    ]


def matched_elements(pattern: str) -> list[str]:
    """The TEI element names a match pattern's alternatives end in: "tei:a[x|y]/tei:b | tei:c" gives b, c."""
    names = []
    for alternative in _split_outside_predicates(pattern, "|"):
        step = re.split(r"/+", _without_predicates(alternative).strip())[-1].removeprefix("child::")
        if step.startswith("tei:"):
            names.append(step[len("tei:") :])
    return names


def _split_outside_predicates(text: str, separator: str) -> list[str]:
    parts, depth, quote, current = [], 0, None, ""
    for character in text:
        if quote:
            quote = None if character == quote else quote
        elif character in "'\"":
            quote = character
        elif character in "[(":
            depth += 1
        elif character in "])":
            depth -= 1
        elif character == separator and depth == 0:
            parts.append(current)
            current = ""
            continue
        current += character
    return [*parts, current]


def _without_predicates(step: str) -> str:
    result, depth = "", 0
    for character in step:
        depth += character == "["
        if depth == 0:
            result += character
        depth -= character == "]"
    return result


def text_elements_of_schema() -> list[str]:
    """The elements schemas/README.md admits in a document's text (its "Text:" list)."""
    readme = (ROOT / "schemas" / "README.md").read_text(encoding="utf-8")
    found = re.search(r"^Text:\s*`([^`]+)`", readme, re.MULTILINE)
    assert found, 'schemas/README.md has no "Text: `...`" list of elements'
    return found.group(1).split()


# --- the shape of the stylesheets -------------------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(XSLT.glob("*.xsl")), ids=lambda path: path.name)
def test_every_stylesheet_is_xslt_1(path: Path) -> None:
    root = etree.parse(str(path)).getroot()
    assert root.tag == f"{{{XSL}}}stylesheet"
    assert root.get("version") == "1.0", "lxml runs libxslt: XSLT 1.0 (+ EXSLT) only"


def test_the_stylesheet_compiles_without_messages() -> None:
    assert [str(entry) for entry in stylesheet().error_log] == []


def test_every_module_in_the_folder_is_known() -> None:
    assert sorted(path.stem for path in XSLT.glob("*.xsl")) == sorted([*MODULES, "edition"])


def test_entry_point_holds_only_imports_output_and_parameters() -> None:
    root = stylesheet_tree("edition").getroot()
    declarations = [etree.QName(child).localname for child in root if isinstance(child.tag, str)]
    assert set(declarations) <= {"import", "output", "param"}
    imports = [child.get("href") for child in root.iterfind(f"{{{XSL}}}import")]
    assert sorted(imports) == sorted(f"{module}.xsl" for module in MODULES)
    assert imports[0] == "default.xsl", "the default must be imported first: it has the lowest precedence"
    assert root.find(f"{{{XSL}}}output").get("method") == "xml"


def test_behaviours_match_no_element() -> None:
    matches = [match for module, match in templates_by_match() if module == "behaviours"]
    assert matches == []


def test_each_tei_element_has_one_rule_in_the_module_of_its_concern() -> None:
    rules = Counter()
    where: dict[str, set[str]] = {module: set() for module in MODULES}
    for module, match in templates_by_match():
        for name in matched_elements(match):
            rules[name] += 1
            where[module].add(name)
    assert {name: count for name, count in rules.items() if count != 1} == {}
    assert {module: sorted(names) for module, names in where.items() if names} == {
        module: sorted(names.split()) for module, names in DESIGN.items()
    }


def test_only_the_default_and_the_root_match_anything_but_tei_elements() -> None:
    others = [(module, match) for module, match in templates_by_match() if not matched_elements(match)]
    assert sorted(others) == [("default", "*"), ("structure", "/")]


def test_every_element_admitted_in_a_text_has_a_rule() -> None:
    ruled = {name for _, match in templates_by_match() for name in matched_elements(match)}
    assert sorted(set(text_elements_of_schema()) - ruled) == []


def test_matched_elements_reads_patterns_as_xslt_does() -> None:
    assert matched_elements("tei:persName | tei:rs[@type='a|b']") == ["persName", "rs"]
    assert matched_elements("tei:div/tei:head[not(tei:x)]") == ["head"]
    assert matched_elements("*") == []


# --- what the stylesheet makes of real documents ----------------------------------------------------------


def rendered_sources() -> list:
    """The documents whose rendering is checked: the edition's texts, the golden cases, and the Office of
    the Historian's archival documents beside the project when ../shared is there."""
    sources = [pytest.param(path, id=f"texts/{path.name}") for path in sorted((ROOT / "texts").glob("*.xml"))]
    for path in golden_cases():
        sources.append(pytest.param(path, id=f"golden/{path.parent.name}/{path.stem}"))
    for path in sorted(SHARED_DOCUMENTS.glob("*.xml")):
        sources.append(pytest.param(path, id=f"shared/{path.stem}"))
    return sources


def words(text_nodes) -> Counter:
    return Counter(word for text in text_nodes for word in text.split())


@pytest.mark.parametrize("source", rendered_sources())
def test_no_word_of_the_text_is_lost(source: Path) -> None:
    transcribed = words(etree.parse(str(source)).xpath("/tei:TEI/tei:text//text()", namespaces=NS))
    shown = words(etree.fromstring(render(source).encode("utf-8")).xpath("//text()"))
    lost = transcribed - shown
    assert dict(lost) == {}, f"{source.name}: words of the TEI text missing from its HTML (word: times)"


@pytest.mark.parametrize("source", rendered_sources())
def test_the_fragment_is_valid_html(source: Path) -> None:
    markup = render(source)
    assert html_problems(markup) == []


def html_problems(markup: str) -> list[str]:
    """What would make the fragment invalid HTML, or broken, once embedded in a page."""
    problems = []
    for match in re.finditer(r"<([A-Za-z][\w-]*)\b[^<>]*/>", markup):
        if match.group(1) not in VOID_ELEMENTS:
            problems.append(f"self-closed <{match.group(1)}/> would stay open in an HTML parser")
    root = etree.fromstring(markup.encode("utf-8"))
    if root.tag != "div" or root.get("class") != "tei-text":
        problems.append(f"the root is <{root.tag} class={root.get('class')!r}>, not <div class='tei-text'>")
    ids = Counter(element.get("id") for element in root.iter() if element.get("id") is not None)
    problems += [f"id {value!r} is used {count} times" for value, count in ids.items() if count > 1]
    for element in root.iter(tag=etree.Element):
        if element.nsmap or "}" in element.tag:
            problems.append(f"<{element.tag}> carries a namespace")
        problems += [
            f"<{element.tag}> has an empty {name} attribute"
            for name, value in element.attrib.items()
            if not value.strip()
        ]
        if element.tag in BLOCK_ELEMENTS:
            phrasing = [ancestor.tag for ancestor in element.iterancestors() if ancestor.tag in PHRASING_ONLY]
            if phrasing:
                problems.append(f"<{element.tag}> inside <{phrasing[0]}>, which admits phrasing content only")
        allowed = ALLOWED_CHILDREN.get(element.tag)
        if allowed is not None:
            problems += [
                f"<{child.tag}> inside <{element.tag}>" for child in element if child.tag not in allowed
            ]
            texts = [element.text, *(child.tail for child in element)]
            problems += [f"text {text.strip()!r} inside <{element.tag}>" for text in texts if text and text.strip()]
        href = element.get("href") if element.tag == "a" else None
        if href and href.startswith("#") and href[1:] not in ids:
            problems.append(f"link to #{href[1:]}, which is not in the fragment")
    return problems


def test_html_problems_finds_what_it_looks_for() -> None:
    bad = (
        '<div class="tei-text"><p id="a">x<table><tr><td/></tr></table></p><span id="a" title="">'
        '<a href="#nowhere">y</a></span><ul><span>z</span></ul></div>'
    )
    found = "\n".join(html_problems(bad))
    for expected in ("self-closed <td/>", "'a' is used 2 times", "<table> inside <p>", "empty title",
                     "#nowhere", "<span> inside <ul>"):
        assert expected in found


def test_document_id_parameter_names_the_generated_ids() -> None:
    source = GOLDEN / "pages" / "breaks.xml"
    assert 'id="case-page-1"' in render(source)
    assert 'id="other-page-1"' in render(source, **{"document-id": "other"})
