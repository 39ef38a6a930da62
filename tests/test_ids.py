"""`edition ids`: new ids follow the pattern, and every byte of the file other than the inserted ids stays."""

import codecs
import os
import re
import shutil
import stat
import subprocess

import pytest
from lxml import etree

from conftest import ROOT
from edition import ids as ids_module
from edition.ids import CITABLE_UNITS, units_without_id

TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
OLD = 1_000_000_000  # an mtime long past, so a rewrite would show


def tei(body, *, header="<fileDesc/>", document_id="d", prolog='<?xml version="1.0" encoding="UTF-8"?>\n'):
    """A small TEI document around the given text body."""
    root_id = f' xml:id="{document_id}"' if document_id else ""
    return (f'{prolog}<TEI xmlns="{TEI_NS}"{root_id}>\n  <teiHeader>{header}</teiHeader>\n'
            f"  <text>\n    <body>\n{body}\n    </body>\n  </text>\n</TEI>\n")


def inserted(xml_id, encoding="utf-8"):
    return f' xml:id="{xml_id}"'.encode(encoding)


def without_inserted_ids(data: bytes, new_ids, encoding="utf-8") -> bytes:
    """The bytes with each new id's ` xml:id="…"` removed; each must occur exactly once."""
    for xml_id in new_ids:
        assert data.count(inserted(xml_id, encoding)) == 1, xml_id
        data = data.replace(inserted(xml_id, encoding), b"", 1)
    return data


def unit_ids(path):
    """(element name, xml:id) of every citable unit of the file's text, in document order."""
    root = etree.parse(str(path), etree.XMLParser(resolve_entities=False, load_dtd=False)).getroot()
    text = root.find(f"{{{TEI_NS}}}text")
    return [(etree.QName(e).localname, e.get(XML_ID)) for e in text.iter(*(f"{{{TEI_NS}}}{n}" for n in CITABLE_UNITS))]


def write(path, data: bytes, mtime=OLD):
    path.write_bytes(data)
    os.utime(path, (mtime, mtime))
    return path


@pytest.fixture
def number(run, tmp_path):
    """Run `edition ids` on a file written into tmp_path; return (exit code, stdout, stderr, bytes before, after)."""

    def go(data: bytes, *options, name="d.xml"):
        path = write(tmp_path / name, data)
        code, out, err = run(["ids", *options, name], cwd=tmp_path)
        return code, out, err, data, path.read_bytes()

    return go


# --- only the ids are inserted, whatever the markup around them ----------------------------------------------

MARKUP_CASES = {
    "comments": (
        "<!-- <p>a paragraph in a comment</p> -->\n<p>one<!-- <p> --></p>\n<!--<note>-->\n<p>two</p>",
        ["d-p1", "d-p2"],
    ),
    "cdata": (
        "<p>see <![CDATA[<p>not a tag</p> <note> & ]]> after</p>\n<p>two</p>",
        ["d-p1", "d-p2"],
    ),
    "processing instructions": (
        "<?editor x > <p> is no paragraph here?>\n<p>one<?pi x > <note> y?></p>",
        ["d-p1"],
    ),
    "whitespace and newlines inside start tags": (
        '<p\n      rend="indent"\t\n   >one</p>\n<head\n>title</head>\n<note\ttype="editorial"\r\n  n="1"\n/>',
        ["d-p1", "d-h1", "d-n1"],
    ),
    "single-quoted attributes": (
        "<p rend='a \"quoted\" word'>one</p>\n<note type='editorial' n=\"2\">x</note>",
        ["d-p1", "d-n1"],
    ),
    "attribute values holding >": (
        '<p rend="a>b" n=\'c>d\'>one</p>\n<list><item n="/>">x</item><item n=">"/></list>',
        ["d-p1", "d-i1", "d-i2"],
    ),
    "self-closing elements": (
        '<p/>\n<p />\n<note n="1"/>\n<table><row><cell/></row><row/></table>',
        ["d-p1", "d-p2", "d-n1", "d-r1", "d-r2"],
    ),
    "every kind, numbered per kind in document order": (
        '<head>h</head>\n<p>one <stamp type="received">RECEIVED</stamp><note>n</note></p>\n'
        "<list><item>a</item><item>b</item></list>\n<table><row><cell>c</cell></row></table>\n<p>two</p>",
        ["d-h1", "d-p1", "d-s1", "d-n1", "d-i1", "d-i2", "d-r1", "d-p2"],
    ),
}


@pytest.mark.parametrize("body, expected", MARKUP_CASES.values(), ids=MARKUP_CASES.keys())
def test_only_the_ids_are_inserted(number, tmp_path, body, expected):
    code, out, err, before, after = number(tei(body).encode())
    assert (code, err) == (0, "")
    assert without_inserted_ids(after, expected) == before
    assert [xml_id for _, xml_id in unit_ids(tmp_path / "d.xml")] == expected


def test_internal_dtd_subset_and_entity_references_are_kept(number, tmp_path):
    prolog = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE TEI [\n'
              '  <!ENTITY foo "Foo > ] Bar">\n'
              "  <!-- a comment in the subset with ] and > and <p> -->\n"
              "  <?subset-pi ] > <p>?>\n"
              "  <!ENTITY quoted 'it \"is\" ]>'>\n"
              "]>\n")
    body = "<p>Tom &amp; Jerry &#x2014; &foo; &quoted;</p>\n<p>two</p>"
    code, out, err, before, after = number(tei(body, prolog=prolog).encode())
    assert (code, err) == (0, "")
    assert without_inserted_ids(after, ["d-p1", "d-p2"]) == before
    assert b"<p xml:id=\"d-p1\">Tom &amp; Jerry &#x2014; &foo; &quoted;</p>" in after


def test_attribute_order_is_kept_and_the_id_comes_after_the_last_attribute(number):
    code, out, err, before, after = number(tei('<p rend="b" n="1" xml:lang="en"  >one</p>').encode())
    assert code == 0
    assert b'<p rend="b" n="1" xml:lang="en" xml:id="d-p1"  >one</p>' in after
    assert without_inserted_ids(after, ["d-p1"]) == before


def test_crlf_line_endings_stay(number):
    source = tei('<p>one</p>\n<p\n  rend="x">two</p>').replace("\n", "\r\n").encode()
    code, out, err, before, after = number(source)
    assert code == 0
    assert without_inserted_ids(after, ["d-p1", "d-p2"]) == before
    assert after.count(b"\r\n") == before.count(b"\r\n") and after.count(b"\n") == before.count(b"\n")


@pytest.mark.parametrize("bom, codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_utf16_file_with_bom_stays_utf16(number, tmp_path, bom, codec):
    text = tei("<p>Ça — “quoted”</p>\n<note>n</note>", prolog='<?xml version="1.0" encoding="UTF-16"?>\n')
    code, out, err, before, after = number(bom + text.encode(codec))
    assert (code, err) == (0, "")
    assert after.startswith(bom)
    assert without_inserted_ids(after, ["d-p1", "d-n1"], codec) == before
    assert unit_ids(tmp_path / "d.xml") == [("p", "d-p1"), ("note", "d-n1")]


def test_utf8_bom_is_kept(number):
    code, out, err, before, after = number(codecs.BOM_UTF8 + tei("<p>één</p>").encode())
    assert code == 0
    assert without_inserted_ids(after, ["d-p1"]) == before


def test_encoding_that_would_not_survive_a_rewrite_is_refused(number):
    # UTF-16 without a byte order mark: lxml guesses the byte order, but writing it back would add a mark.
    text = tei("<p>one</p>", prolog='<?xml version="1.0" encoding="UTF-16"?>\n')
    code, out, err, before, after = number(text.encode("utf-16-le"))
    assert code == 1
    assert err.splitlines()[0] == (
        "d.xml:1:1: error: edition ids cannot read and write this file's encoding without changing it: save the "
        "file as UTF-8, or add the ids by hand [ids-encoding]")
    assert after == before


def test_iso_8859_1_file_stays_iso_8859_1(number, tmp_path):
    text = tei("<p>Élysée, café</p>\n<p>déjà</p>", prolog='<?xml version="1.0" encoding="ISO-8859-1"?>\n')
    code, out, err, before, after = number(text.encode("iso-8859-1"))
    assert (code, err) == (0, "")
    assert without_inserted_ids(after, ["d-p1", "d-p2"], "iso-8859-1") == before
    assert "Élysée".encode("iso-8859-1") in after
    assert unit_ids(tmp_path / "d.xml") == [("p", "d-p1"), ("p", "d-p2")]


# --- numbering -----------------------------------------------------------------------------------------------

def test_existing_ids_stay_and_numbering_continues_after_the_largest(number, tmp_path):
    header = '<fileDesc><notesStmt><note xml:id="d-n4">in the header</note></notesStmt></fileDesc>'
    body = ('<p xml:id="d-p7">seven</p>\n<p>new</p>\n<p xml:id="d-p2">two</p>\n<p xml:id="d-p3a">not a number</p>\n'
            '<p xml:id="d-p-intro">not the form</p>\n<note>new</note>\n<p>new</p>')
    code, out, err, before, after = number(tei(body, header=header).encode())
    assert code == 0
    assert unit_ids(tmp_path / "d.xml") == [
        ("p", "d-p7"), ("p", "d-p8"), ("p", "d-p2"), ("p", "d-p3a"), ("p", "d-p-intro"), ("note", "d-n5"),
        ("p", "d-p9"),
    ]
    assert without_inserted_ids(after, ["d-p8", "d-n5", "d-p9"]) == before


def edition_with(tmp_path, files):
    (tmp_path / "edition.toml").write_text('title = "Test"\n')
    (tmp_path / "texts").mkdir()
    for name, text in files.items():
        write(tmp_path / "texts" / name, text.encode())
    return tmp_path


@pytest.mark.parametrize("paths", [[], ["texts/d.xml"]], ids=["whole edition", "one file of it"])
def test_ids_taken_elsewhere_in_the_edition_are_skipped(run, tmp_path, paths):
    edition_with(tmp_path, {
        "d.xml": tei('<p xml:id="d-p1">one</p>\n<p>new</p>\n<p>new</p>'),
        "e.xml": tei('<p xml:id="e-p1">one</p>\n<note xml:id="d-p2">an id of d\'s form</note>', document_id="e"),
    })
    code, out, err = run(["ids", *paths], cwd=tmp_path)
    assert (code, err) == (0, "")
    assert unit_ids(tmp_path / "texts" / "d.xml") == [("p", "d-p1"), ("p", "d-p3"), ("p", "d-p4")]


def test_a_file_named_twice_is_numbered_once(run, tmp_path):
    write(tmp_path / "d.xml", tei("<p>one</p>").encode())
    code, out, err = run(["ids", "d.xml", ".", "d.xml"], cwd=tmp_path)
    assert (code, err) == (0, "")
    assert out.splitlines() == ["d.xml: 1 id added (d-p1)", "1 id added in 1 document"]
    assert unit_ids(tmp_path / "d.xml") == [("p", "d-p1")]


def test_header_and_registers_are_untouched(run, tmp_path):
    header = "<fileDesc><publicationStmt><availability><p>public domain</p></availability></publicationStmt>" \
             "</fileDesc>"
    register = (f'<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="{TEI_NS}" xml:id="r">\n  <teiHeader/>\n'
                "  <standOff><listPerson><person xml:id=\"person-a\"><persName>A</persName><note>n</note>"
                "</person></listPerson><p>x</p></standOff>\n</TEI>\n").encode()
    document = write(tmp_path / "d.xml", tei("<p>one</p>", header=header).encode())
    registers = write(tmp_path / "registers.xml", register)
    code, out, err = run(["ids", "d.xml", "registers.xml"], cwd=tmp_path)
    assert (code, err) == (0, "")
    assert out.splitlines() == ["d.xml: 1 id added (d-p1)", "1 id added in 1 document"]
    assert registers.read_bytes() == register and registers.stat().st_mtime == OLD
    assert b"<p>public domain</p>" in document.read_bytes()


def test_units_without_id_are_the_citable_units_of_the_text_only():
    root = etree.fromstring(tei(
        '<head>h</head><p xml:id="d-p1">has one</p><p>none</p><list><item>i</item></list>'
        '<table><row><cell>c</cell></row></table><stamp type="filed">x</stamp><note>n</note><ab>not a unit</ab>',
        header="<fileDesc><notesStmt><note>header note</note></notesStmt></fileDesc>",
    ).encode())
    assert [etree.QName(e).localname for e in units_without_id(root)] == ["head", "p", "item", "row", "stamp", "note"]
    assert CITABLE_UNITS == {"p": "p", "head": "h", "note": "n", "item": "i", "row": "r", "stamp": "s"}


# --- runs that change nothing ---------------------------------------------------------------------------------

def test_second_run_changes_nothing(run, tmp_path):
    path = write(tmp_path / "d.xml", tei("<p>one</p>\n<note>n</note>").encode())
    assert run(["ids", "d.xml"], cwd=tmp_path)[0] == 0
    once = path.read_bytes()
    os.utime(path, (OLD, OLD))
    code, out, err = run(["ids", "d.xml"], cwd=tmp_path)
    assert (code, err) == (0, "")
    assert out.splitlines() == ["no ids to add: every citable unit of 1 document has an id"]
    assert path.read_bytes() == once and path.stat().st_mtime == OLD


def test_dry_run_lists_the_ids_and_writes_nothing(number, tmp_path):
    code, out, err, before, after = number(tei("<p>one</p>\n<stamp type='filed'>x</stamp>").encode(), "--dry-run")
    assert (code, err) == (0, "")
    assert out.splitlines() == ["d.xml: 2 ids to add (d-p1, d-s1)",
                                "dry run: 2 ids would be added in 1 document; no file was written"]
    assert after == before and (tmp_path / "d.xml").stat().st_mtime == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.xml"]


def test_file_permissions_are_kept(run, tmp_path):
    path = write(tmp_path / "d.xml", tei("<p>one</p>").encode())
    path.chmod(0o640)
    assert run(["ids", "d.xml"], cwd=tmp_path)[0] == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.xml"]


# --- errors: located, and the file left as it was -------------------------------------------------------------

def test_not_well_formed_file_is_located_and_left_alone(run, tmp_path):
    broken = write(tmp_path / "broken.xml", tei("<p>one\n</body>").encode())
    good = write(tmp_path / "good.xml", tei("<p>one</p>").encode())
    before = broken.read_bytes(), good.read_bytes()
    code, out, err = run(["ids", "broken.xml", "good.xml"], cwd=tmp_path)
    assert code == 1
    assert err.splitlines() == [
        "broken.xml:7:8: error: not well-formed XML: <p> opened on line 6 is closed by </body>: close <p> first, "
        "or correct the end tag [not-well-formed]",
        "ids failed: 1 error: no file was written",
    ]
    assert (broken.read_bytes(), good.read_bytes()) == before
    assert good.stat().st_mtime == OLD


def test_document_without_an_id_is_an_error_saying_what_to_do(number):
    code, out, err, before, after = number(tei("<p>one</p>", document_id=None).encode(), name="memo.xml")
    assert code == 1
    assert err.splitlines()[0] == (
        "memo.xml:2:1: error: this document's <TEI> has no xml:id, so its new ids cannot be named: add "
        'xml:id="memo" (or the document\'s id) to <TEI>, then run edition ids again [document-id]')
    assert after == before


def test_start_tags_that_do_not_pair_with_the_parsed_elements_are_refused(number, monkeypatch):
    lexed = ids_module._start_tags
    monkeypatch.setattr(ids_module, "_start_tags", lambda text: lexed(text)[1:])
    code, out, err, before, after = number(tei("<p>one</p>").encode())
    assert code == 1
    assert "edition ids found the start tag <teiHeader> where the parser has <TEI>" in err
    assert "[ids-unmatched]" in err
    assert after == before


def test_an_id_inserted_in_the_wrong_place_is_refused(number, monkeypatch):
    lexed = ids_module._start_tag

    def one_too_early(text, start):
        tag = lexed(text, start)
        return ids_module._StartTag(tag.name, tag.start, tag.attributes_end - 1, tag.end)

    monkeypatch.setattr(ids_module, "_start_tag", one_too_early)
    code, out, err, before, after = number(tei('<p rend="x">one</p>').encode())
    assert code == 1
    assert "could not insert the ids without changing something else" in err
    assert after == before


def make_unwritable(folder):
    """Make the folder read-only, also for root (an immutable folder); False where that is impossible."""
    folder.chmod(0o555)
    if os.geteuid() != 0:
        return True
    result = subprocess.run(["chattr", "+i", str(folder)], capture_output=True) if shutil.which("chattr") else None
    return result is not None and result.returncode == 0


def make_writable(folder):
    if os.geteuid() == 0 and shutil.which("chattr"):
        subprocess.run(["chattr", "-i", str(folder)], capture_output=True)
    folder.chmod(0o755)


def test_read_only_folder_exits_3_and_leaves_the_file(run, tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    path = write(folder / "d.xml", tei("<p>one</p>").encode())
    before = path.read_bytes()
    try:
        if not make_unwritable(folder):
            pytest.skip("cannot make a folder read-only here (running as root without chattr)")
        code, out, err = run(["ids", "texts/d.xml"], cwd=tmp_path)
    finally:
        make_writable(folder)
    assert code == 3
    assert err.splitlines()[0].startswith("texts/d.xml:1:1: error: cannot write the file: ")
    assert err.splitlines()[0].endswith(
        ": make the file and its folder writable, then run edition ids again [unwritable]")
    assert err.splitlines()[-1] == "ids failed: 1 file could not be written"
    assert path.read_bytes() == before and path.stat().st_mtime == OLD
    assert sorted(p.name for p in folder.iterdir()) == ["d.xml"]


# --- the bundled edition --------------------------------------------------------------------------------------

def test_bundled_edition_gets_back_the_ids_it_was_given(run, tmp_path):
    # The bundled texts were numbered by this command: with their stamp, row and item ids taken out, it must
    # give back exactly the committed files, and leave the register alone.
    shutil.copytree(ROOT / "texts", tmp_path / "texts")
    shutil.copy(ROOT / "edition.toml", tmp_path / "edition.toml")
    originals = {p.name: p.read_bytes() for p in (tmp_path / "texts").glob("*.xml")}
    minted = re.compile(rb' xml:id="[a-z0-9-]+-[sri][0-9]+"')
    for path in (tmp_path / "texts").glob("*.xml"):
        path.write_bytes(minted.sub(b"", path.read_bytes()))
    assert run(["validate"], cwd=tmp_path)[0] == 0
    code, out, err = run(["ids"], cwd=tmp_path)
    assert (code, err) == (0, "")
    added = dict(line.split(": ", 1) for line in out.splitlines()[:-1])
    assert "texts/registers.xml" not in added
    assert "secto-8-s1" in added["texts/secto-8.xml"]
    for name, original in originals.items():
        assert (tmp_path / "texts" / name).read_bytes() == original, name
    assert run(["validate"], cwd=tmp_path)[:2] == (0, "valid: no errors, 0 warnings\n")
    assert run(["ids"], cwd=tmp_path)[1].startswith("no ids to add")

def test_the_rules_warn_about_the_units_this_command_numbers():
    # edition.sch names the citable units in its own XPath; it must name the same ones as CITABLE_UNITS.
    from edition.ids import CITABLE_UNITS
    schematron = (ROOT / "schemas" / "edition.sch").read_text(encoding="utf-8")
    contexts = re.findall(r'<rule context="([^"]+)">\s*<assert id="(?:p-id|citable-id)"', schematron)
    named = {name for context in contexts for name in re.findall(r"tei:(\w+)(?:\[|\s|$)", context)}
    assert named - {"text", "body"} == set(CITABLE_UNITS)
