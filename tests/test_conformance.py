"""edition.rng admits a subset of TEI: what it accepts is also valid against the full TEI schema (tei_all.rng)."""

import os
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).parents[1]
SHARED = ROOT.parent / "shared"
EDITION_RNG = ROOT / "schemas" / "edition.rng"
TEI_ALL_RNG = SHARED / "tei" / "tei_all.rng"
TEI_ALL_ABSENT = (
    "../shared/tei/tei_all.rng is absent (a fresh clone outside the workplace): "
    "the TEI conformance check needs it"
)

TEXTS = sorted((ROOT / "texts").glob("*.xml"))
VALID_TEST_DOCUMENTS = sorted(set((ROOT / "tests").glob("**/valid/**/*.xml")))
CONFORMANCE_DOCUMENTS = sorted(set(TEXTS) | set(VALID_TEST_DOCUMENTS))

SAMPLE = """\
<TEI xmlns="http://www.tei-c.org/ns/1.0" xml:id="sample">
  <teiHeader>
    <fileDesc>
      <titleStmt><title type="main">Sample</title></titleStmt>
      <publicationStmt><p>Made for the conformance tests.</p></publicationStmt>
      <sourceDesc><p>Made up.</p></sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>
      <pb n="1"/>
      <p xml:id="sample-p1">Text.</p>
    </body>
  </text>
</TEI>
"""

# Each case changes SAMPLE in one place into something TEI or the edition does not admit.
NOT_ADMITTED = {
    "unknown element": ("Text.", "Text.<foo/>"),
    "p directly in TEI": ("</teiHeader>", "</teiHeader><p>Stray.</p>"),
    "pb with an attribute TEI lacks": ('<pb n="1"/>', '<pb n="1" when="1962-12-13"/>'),
    "p with an attribute TEI lacks": ('<p xml:id="sample-p1">', '<p xml:id="sample-p1" type="x">'),
    "titleStmt after publicationStmt": (
        '<titleStmt><title type="main">Sample</title></titleStmt>\n'
        "      <publicationStmt><p>Made for the conformance tests.</p></publicationStmt>",
        "<publicationStmt><p>Made for the conformance tests.</p></publicationStmt>\n"
        '      <titleStmt><title type="main">Sample</title></titleStmt>',
    ),
}


def relative(path):
    """The path as shown in messages: relative to the repository when inside it."""
    path = Path(path)
    try:
        return path.resolve().relative_to(ROOT.resolve()).as_posix()
    except ValueError:
        return str(path)


def parse(path):
    """Parse an XML file without resolving entities or reaching the network."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.parse(str(path), parser)


def parse_string(text):
    """Parse an XML document held in a string."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.ElementTree(etree.fromstring(text.encode("utf-8"), parser))


def describe(error_log):
    """One line per error: path:line:column: message."""
    return "\n".join(
        f"{relative(e.filename) if e.filename else '<string>'}:{e.line}:{e.column}: {e.message}"
        for e in error_log
    )


@pytest.fixture(scope="module")
def edition():
    """The edition's schema, compiled."""
    return etree.RelaxNG(parse(EDITION_RNG))


@pytest.fixture(scope="module")
def tei_all():
    """The full TEI schema, compiled once (it takes seconds)."""
    if not TEI_ALL_RNG.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(TEI_ALL_ABSENT)
        pytest.skip(TEI_ALL_ABSENT)
    return etree.RelaxNG(parse(TEI_ALL_RNG))


def test_edition_schema_compiles():
    try:
        etree.RelaxNG(parse(EDITION_RNG))
    except (etree.XMLSyntaxError, etree.RelaxNGParseError) as error:
        pytest.fail(f"schemas/edition.rng does not compile:\n{describe(error.error_log)}")


def test_texts_exist():
    assert TEXTS, "texts/ holds no *.xml document: the conformance tests have nothing to check"


@pytest.mark.parametrize("path", TEXTS, ids=relative)
def test_text_is_valid_against_edition(edition, path):
    document = parse(path)
    assert edition.validate(document), (
        f"{relative(path)} is not valid against schemas/edition.rng:\n{describe(edition.error_log)}"
    )


@pytest.mark.parametrize("path", CONFORMANCE_DOCUMENTS, ids=relative)
def test_edition_valid_document_is_valid_tei(edition, tei_all, path):
    document = parse(path)
    if not edition.validate(document):
        pytest.skip(f"{relative(path)} is not valid against schemas/edition.rng, so it says nothing about the subset")
    assert tei_all.validate(document), (
        f"{relative(path)} is valid against schemas/edition.rng but not against tei_all.rng:\n"
        f"{describe(tei_all.error_log)}"
    )


def test_sample_is_valid_against_edition_and_tei(edition, tei_all):
    document = parse_string(SAMPLE)
    assert edition.validate(document), describe(edition.error_log)
    assert tei_all.validate(document), describe(tei_all.error_log)


@pytest.mark.parametrize("case", sorted(NOT_ADMITTED))
def test_edition_rejects(edition, case):
    old, new = NOT_ADMITTED[case]
    assert old in SAMPLE, f"the case {case!r} no longer changes the sample"
    assert edition.validate(parse_string(SAMPLE)), describe(edition.error_log)
    document = parse_string(SAMPLE.replace(old, new))
    assert not edition.validate(document), f"schemas/edition.rng admits a document with {case}"
