"""The stylesheets keep their design: one entry point of imports, one rule per TEI element in the module of its
concern, a rule for every element the schema admits in a text, no text lost (each view may leave words out, the
two together none), the same anchors in both views, and HTML a browser can trust.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

sys.path.insert(0, str(Path(__file__).resolve().parent))  # test_golden's helpers, whatever pytest's import mode

from test_golden import (  # noqa: E402
    GOLDEN,
    ROOT,
    STYLESHEET,
    VIEWS,
    VOID_ELEMENTS,
    golden_cases,
    render,
    stylesheet,
)

XSLT = STYLESHEET.parent
SHARED_DOCUMENTS = ROOT.parent / "shared" / "corpus" / "frus-history-documents"

XSL = "http://www.w3.org/1999/XSL/Transform"
TEI = "http://www.tei-c.org/ns/1.0"
NS = {"xsl": XSL, "tei": TEI}

# Where each TEI element's rule lives (the design of xslt/edition.xsl). A new rule is added here too, in the
# module of its concern.
DESIGN = {
    "structure": "text body front back div head p ab opener closer dateline salute signed postscript list item"
    " label q quote seg hi foreign ref ptr address addrLine",
    "pages": "pb cb lb fw",
    "stamps": "stamp",
    "signs": "gap desc del add subst unclear supplied choice sic corr abbr expan orig reg surplus handShift"
    " damage space",
    "notes": "note",
    "names": "persName placeName orgName name rs term gloss date time num",
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


def rendered(source: Path, view: str) -> etree._Element:
    return etree.fromstring(render(source, view=view).encode("utf-8"))


def words(text_nodes) -> Counter:
    return Counter(word for text in text_nodes for word in text.split())


# What each view leaves out on purpose: the reading view the deletions, the surplus, and the source's side of a
# choice that also gives the edition's; the diplomatic view the edition's side of a choice that also gives the
# source's. A note inside such an element is still rendered (at the end of the text), and its words with it.
SOURCE_SIDE, EDITION_SIDE = {"sic", "orig", "abbr"}, {"corr", "reg", "expan"}


def left_out(element: etree._Element, view: str) -> bool:
    name = etree.QName(element).localname
    parent = element.getparent()
    siblings = set() if parent is None or etree.QName(parent).localname != "choice" else {
        etree.QName(child).localname for child in parent if isinstance(child.tag, str)}
    if view == "reading":
        return name in {"del", "surplus"} or (name in SOURCE_SIDE and bool(siblings & EDITION_SIDE))
    return name in EDITION_SIDE and bool(siblings & SOURCE_SIDE)


def shown_in(text, view: str) -> bool:
    """Whether a text node of the TEI is rendered in a view: no element a view leaves out holds it, unless
    a note between them does."""
    holder = text.getparent()  # a smart string: for a tail, the element it follows, not its parent
    if text.is_tail:
        holder = holder.getparent()
    for ancestor in [holder, *holder.iterancestors()]:
        if etree.QName(ancestor).localname == "note":
            return True
        if left_out(ancestor, view):
            return False
    return True


# Where the reading view keeps the lines of the paper (pages.xsl, the rule for lb).
LINES_KEPT = frozenset("opener closer address ab fw stamp cell".split())


def join_broken_words(tree: etree._ElementTree) -> None:
    """The TEI as the reading view runs its lines on: a word broken across lines (lb break="no") is one word."""
    for lb in tree.xpath("/tei:TEI/tei:text//tei:lb[@break='no']", namespaces=NS):
        if any(etree.QName(ancestor).localname in LINES_KEPT for ancestor in lb.iterancestors()):
            continue
        previous, parent = lb.getprevious(), lb.getparent()
        if previous is not None:
            previous.tail = (previous.tail or "") + (lb.tail or "")
        else:
            parent.text = (parent.text or "") + (lb.tail or "")
        parent.remove(lb)


@pytest.mark.parametrize("source", rendered_sources())
def test_no_word_of_the_text_is_lost(source: Path) -> None:
    """Each view shows every word of the TEI text it does not leave out on purpose, as many times as it is
    written; and no word is left out of both views, so the two together show the whole text."""
    texts = etree.parse(str(source)).xpath("/tei:TEI/tei:text//text()[normalize-space()]", namespaces=NS)
    for view in VIEWS:
        tree = etree.parse(str(source))
        if view == "reading":
            join_broken_words(tree)
        view_texts = tree.xpath("/tei:TEI/tei:text//text()[normalize-space()]", namespaces=NS)
        expected = words(text for text in view_texts if shown_in(text, view))
        shown = words(rendered(source, view).xpath("//text()"))
        lost = expected - shown
        assert dict(lost) == {}, f"{source.name}: words missing from the {view} view (word: times)"
    nowhere = [str(text).strip() for text in texts if not any(shown_in(text, view) for view in VIEWS)]
    assert nowhere == [], f"{source.name}: text left out of every view"


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("source", rendered_sources())
def test_the_fragment_is_valid_html(source: Path, view: str) -> None:
    markup = render(source, view=view)
    assert html_problems(markup) == []
    assert f"view-{view}" in etree.fromstring(markup.encode("utf-8")).get("class").split()


def anchors(root: etree._Element) -> dict[str, list]:
    """What a citation or a link may point to: paragraphs (id, number, pilcrow), notes (reference and body,
    number), page markers."""
    def has_class(name: str) -> str:
        return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"

    return {
        "paragraphs": [(p.get("id"), p.get("data-n")) for p in root.xpath(f"//*[{has_class('p')}][@data-n]")],
        "pilcrows": [(a.get("href"), a.xpath("string()")) for a in root.xpath("//a[@class='pilcrow']")],
        "note references": [(a.get("id"), a.get("href"), a.xpath("string()"))
                            for a in root.xpath("//a[@class='note-ref']")],
        "notes": [li.get("id") for li in root.xpath("//section[@class='notes']/ol/li")],
        "pages": [pb.get("id") for pb in root.xpath(f"//*[{has_class('pb')}]")],
    }


@pytest.mark.parametrize("source", rendered_sources())
def test_both_views_have_the_same_anchors(source: Path) -> None:
    diplomatic, reading = (anchors(rendered(source, view)) for view in VIEWS)
    assert reading == diplomatic


# Each sign's HTML class and the hidden label that says it to a screen reader, in the view(s) where it shows.
SIGN_LABELS = {
    "del": ("deleted: ", "blacked out: "),
    "add": ("handwritten: ", "added: "),
    "unclear": ("unclear: ",),
    "supplied": ("supplied by the editors: ",),
    "surplus": ("surplus: ",),
    "damage": ("damaged: ",),
}


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("source", rendered_sources())
def test_every_sign_has_a_hidden_label(source: Path, view: str) -> None:
    root = rendered(source, view)
    unlabelled = []
    for sign, labels in SIGN_LABELS.items():
        for element in root.xpath(f"//*[contains(concat(' ', normalize-space(@class), ' '), ' {sign} ')]"):
            if "add-stamp" in element.get("class").split():
                # A stamp added later says so in its visible label, which a screen reader reads too.
                if "added later" not in element.xpath("string(span[1]/span[@class='label'])"):
                    unlabelled.append(f"{sign}: {element.xpath('string()')!r}")
                continue
            first = element.find("span")
            if first is None or first.get("class") != "visually-hidden" or first.text not in labels:
                unlabelled.append(f"{sign}: {element.xpath('string()')!r}")
    # A correction shown as the text (reading view), or an error shown with its correction in the tooltip
    # (diplomatic view), says so too.
    for element in root.xpath("//span[@class='corr'][not(span[@class='editorial'])] | //span[@class='sic'][not(span[@class='editorial'])]"):
        first = element.find("span")
        if first is None or first.get("class") != "visually-hidden":
            unlabelled.append(f"{element.get('class')}: {element.xpath('string()')!r}")
    assert unlabelled == []


def html_problems(markup: str) -> list[str]:
    """What would make the fragment invalid HTML, or broken, once embedded in a page."""
    problems = []
    for match in re.finditer(r"<([A-Za-z][\w-]*)\b[^<>]*/>", markup):
        if match.group(1) not in VOID_ELEMENTS:
            problems.append(f"self-closed <{match.group(1)}/> would stay open in an HTML parser")
    root = etree.fromstring(markup.encode("utf-8"))
    classes = (root.get("class") or "").split()
    if root.tag != "div" or "tei-text" not in classes or len({f"view-{view}" for view in VIEWS} & set(classes)) != 1:
        problems.append(f"the root is <{root.tag} class={root.get('class')!r}>, not <div class='tei-text view-…'>")
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
    for expected in ("self-closed <td/>", "'a' is used 2 times", "not <div class='tei-text view-…'>", "<table> inside <p>", "empty title",
                     "#nowhere", "<span> inside <ul>"):
        assert expected in found


def test_view_parameter_reaches_every_module() -> None:
    """The parameter is declared once, in edition.xsl, and read by the rules of the imported modules."""
    source = GOLDEN / "signs" / "views.xml"
    diplomatic, reading = (render(source, view=view) for view in VIEWS)
    assert "<del" in diplomatic and "<del" not in reading
    assert "[Page 2]" in diplomatic and "[p. 2]" in reading
    assert 'class="tei-text view-diplomatic"' in render(source)


def test_an_unknown_view_is_reported_and_rendered_diplomatic() -> None:
    source = GOLDEN / "signs" / "views.xml"
    transform = etree.XSLT(etree.parse(str(STYLESHEET)))
    markup = str(transform(etree.parse(str(source)), view=etree.XSLT.strparam("printed")))
    assert markup == render(source, view="diplomatic")
    assert any("edition: unknown view" in entry.message for entry in transform.error_log)


def test_document_id_parameter_names_the_generated_ids() -> None:
    source = GOLDEN / "pages" / "breaks.xml"
    assert 'id="case-page-1"' in render(source)
    assert 'id="other-page-1"' in render(source, **{"document-id": "other"})
