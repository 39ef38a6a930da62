"""The commands as a person uses them: exact error lines, exit codes, and a previous site left untouched."""

from pathlib import Path

from conftest import EDITIONS, ROOT


def test_validate_bundled_edition_is_clean(run):
    code, out, err = run(["validate"])
    assert (code, err) == (0, "")
    assert out.strip() == "valid: no errors, 0 warnings"


def test_validate_reports_malformed_xml_with_its_place(run):
    code, out, err = run(["validate", "--project", EDITIONS / "malformed"])
    assert code == 1
    assert err.splitlines() == [
        "tests/editions/malformed/texts/broken.xml:7:12: error: not well-formed XML: <p> opened on line 6 "
        "is closed by </body>: close <p> first, or correct the end tag [not-well-formed]",
        "1 error, 0 warnings",
    ]


def test_validate_reports_every_problem_of_invalid_tei(run):
    code, out, err = run(["validate", "--project", EDITIONS / "invalid"])
    assert code == 1
    bad = "tests/editions/invalid/texts/bad.xml"
    assert err.splitlines() == [
        f"{bad}:17:7: error: this page break has no page number: add n=\"…\" with the number printed or "
        "counted on the page [pb-n]",
        f"{bad}:18:7: error: this paragraph has no xml:id, so it cannot be cited: run `edition ids` to give it one, or add xml:id=\"…\" "
        "(the document's id, -p and its number) [p-id]",
        f"{bad}:19:26: error: pointer '#person-nobody' leads nowhere: no element of the edition has xml:id "
        "'person-nobody'; add it (to the header or a register) or correct the pointer [pointer-resolves]",
        f"{bad}:19:75: error: element <foo> is not allowed here: move or remove it (schemas/README.md lists "
        "where each element may stand) [schema]",
        f"{bad}:20:7: error: xml:id 'person-smith' is used 2 times in the edition (bad.xml, registers.xml): "
        "give each element its own id [id-unique]",
        "tests/editions/invalid/texts/registers.xml:12:7: error: xml:id 'person-smith' is used 2 times in the "
        "edition (bad.xml, registers.xml): give each element its own id [id-unique]",
        "6 errors, 0 warnings",
    ]


def test_validate_one_file_resolves_pointers_across_the_edition(run):
    code, out, err = run(["validate", "texts/secto-8.xml"])
    assert (code, err) == (0, "")


def test_validate_one_file_alone_reports_its_pointers_to_the_registers(run, tmp_path):
    lone = tmp_path / "secto-8.xml"
    lone.write_bytes((ROOT / "texts" / "secto-8.xml").read_bytes())
    code, out, err = run(["validate", lone], cwd=tmp_path)
    assert code == 1
    assert "secto-8.xml:" in err and "[pointer-resolves]" in err


def test_usage_errors_exit_2(run):
    code, out, err = run(["validate", "no/such/file.xml"])
    assert code == 2
    assert "does not exist" in err
    code, out, err = run(["build", "--no-such-option"])
    assert code == 2


def test_not_tei_and_wrong_namespace_are_named(run, tmp_path):
    (tmp_path / "html.xml").write_text("<html><body/></html>\n")
    (tmp_path / "nons.xml").write_text("<TEI><teiHeader/></TEI>\n")
    code, out, err = run(["validate", "html.xml", "nons.xml"], cwd=tmp_path)
    assert code == 1
    assert err.splitlines()[:2] == [
        'html.xml:1:1: error: not a TEI document: its root element is <html>; a TEI file starts with '
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"> [not-tei]',
        "nons.xml:1:1: error: not a TEI document: its root element TEI is in the namespace ''; declare "
        'xmlns="http://www.tei-c.org/ns/1.0" on the root element [not-tei]',
    ]


def test_build_writes_site_and_says_where(run, edition_copy):
    project = edition_copy("valid")
    code, out, err = run(["build"], cwd=project)
    assert code == 0, err
    assert (project / "_site" / "documents" / "earlier" / "index.html").is_file()
    last = out.strip().splitlines()[-1]
    assert last.startswith("site written to _site/: open file://") and "python -m http.server -d _site" in last


def test_failed_build_leaves_previous_site_untouched(run, edition_copy):
    project = edition_copy("valid")
    assert run(["build"], cwd=project)[0] == 0
    before = _snapshot(project / "_site")
    broken = project / "texts" / "later.xml"
    broken.write_text(broken.read_text().replace("</body>", "", 1))
    code, out, err = run(["build"], cwd=project)
    assert code == 1
    assert "later.xml" in err and "[not-well-formed]" in err
    assert err.strip().splitlines()[-1] == "build failed: 1 error(s): nothing was written, the previous site is unchanged"
    assert _snapshot(project / "_site") == before
    assert not list(project.glob("._site.building-*"))


def test_invalid_build_writes_nothing(run, edition_copy, tmp_path):
    project = edition_copy("invalid")
    code, out, err = run(["build", "--out", tmp_path / "out"], cwd=project)
    assert code == 1
    assert not (tmp_path / "out").exists()


def test_build_refuses_to_replace_a_folder_it_did_not_write(run, edition_copy, tmp_path):
    project = edition_copy("valid")
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("mine")
    code, out, err = run(["build", "--out", precious], cwd=project)
    assert code == 3
    assert "was not written by edition, so it is left alone" in err
    assert (precious / "notes.txt").read_text() == "mine"


def test_rebuild_replaces_the_previous_site(run, edition_copy):
    project = edition_copy("valid")
    assert run(["build"], cwd=project)[0] == 0
    (project / "_site" / "stale.html").write_text("old")
    assert run(["build"], cwd=project)[0] == 0
    assert not (project / "_site" / "stale.html").exists()


def test_config_errors_are_located_with_a_suggestion(run, edition_copy):
    project = edition_copy("valid")
    (project / "edition.toml").write_text('title = "T"\ntexs = ["texts/*.xml"]\npages = 3\n')
    code, out, err = run(["build"], cwd=project)
    assert code == 1
    assert err.splitlines()[:2] == [
        "edition.toml:2:1: error: unknown setting 'texs': did you mean 'texts'? [config-unknown-key]",
        "edition.toml:3:1: error: setting 'pages' must be a string in double quotes [config-type]",
    ]


def test_an_editions_templates_replace_the_built_in_ones_of_the_same_name(run, edition_copy):
    project = edition_copy("valid")
    (project / "edition.toml").write_text('title = "T"\ntemplates = "layout"\n')
    code, _, err = run(["build"], cwd=project)
    assert (code, err.splitlines()[0]) == (1, "edition.toml:2:1: error: the templates folder 'layout' does not exist: "
                                              "create it, or remove the setting to use the built-in templates "
                                              "[config-templates]")
    (project / "layout").mkdir()
    (project / "layout" / "404.html").write_text('{% extends "base.html" %}{% block main %}<p>Lost.</p>{% endblock %}')
    code, _, err = run(["build"], cwd=project)
    assert code == 0, err
    assert "<p>Lost.</p>" in (project / "_site" / "404.html").read_text()
    assert 'class="site-header"' in (project / "_site" / "404.html").read_text()  # base.html is the built-in one


def test_build_does_not_touch_sources(run, edition_copy):
    project = edition_copy("valid")
    before = _snapshot(project / "texts")
    assert run(["build"], cwd=project)[0] == 0
    assert _snapshot(project / "texts") == before


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_binary_and_misencoded_files_get_one_clear_line_each(run, tmp_path):
    (tmp_path / "binary.xml").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (tmp_path / "latin.xml").write_bytes(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><p>caf\xe9</p></TEI>')
    code, out, err = run(["validate", "binary.xml", "latin.xml"], cwd=tmp_path)
    assert code == 1
    assert err.splitlines() == [
        "binary.xml:1:1: error: not well-formed XML: this is a binary file, not text: replace it with the TEI "
        "document, or remove it from the texts [not-well-formed]",
        "latin.xml:2:48: error: not well-formed XML: the bytes here are not in the encoding the file declares "
        "(UTF-8 if it declares none): save the file as UTF-8, or declare its real encoding [not-well-formed]",
        "2 errors, 0 warnings",
    ]


def test_utf16_file_is_read_and_located_by_its_own_encoding(run, edition_copy):
    project = edition_copy("invalid")
    bad = project / "texts" / "bad.xml"
    text = bad.read_text(encoding="utf-8").replace('encoding="UTF-8"', 'encoding="UTF-16"')
    bad.write_bytes(text.encode("utf-16"))
    code, out, err = run(["validate"], cwd=project)
    assert code == 1
    assert "texts/bad.xml:19:26: error: pointer '#person-nobody' leads nowhere" in err


def test_rules_reject_every_kind_of_silent_loss(run):
    code, out, err = run(["validate", "--project", EDITIONS / "lossy"])
    assert code == 1
    lossy = "tests/editions/lossy/texts/lossy.xml"
    reasons = "notDeclassified, illegible, damage, faded, omitted or missing"
    types = "received, sent, filed, declassified, review, classification, exemption, routing, control, office or date"
    assert err.splitlines() == [
        f"{lossy}:13:38: error: this gap gives no reason, so a reader cannot tell why text is missing: "
        f"add reason=\"…\" ({reasons}) [gap-reason]",
        f"{lossy}:13:74: error: gap reason 'secret' is not one of the edition's reasons: use {reasons} "
        "[gap-reason-known]",
        f"{lossy}:14:38: error: this gap does not say how much is missing: add quantity=\"…\" and unit=\"…\" "
        "(char, word, line, paragraph or page), or extent=\"…\" [gap-extent]",
        f"{lossy}:14:73: error: gap unit 'inch' is not one of the edition's units: use char, word, line, "
        "paragraph or page [gap-unit-known]",
        f"{lossy}:15:28: error: this stamp has no type: add type=\"…\" ({types}) [stamp-type]",
        f"{lossy}:15:70: error: stamp type 'sticker' is not one of the edition's stamp types: use {types} "
        "[stamp-type-known]",
        f"{lossy}:16:38: error: hand '#person-smith' is not declared in this document's header: add a handNote "
        "with xml:id=\"person-smith\" to msDesc/physDesc/handDesc, or point to one that is there [hand-declared]",
        f"{lossy}:16:76: error: hand '#nobody-hand' is not declared in this document's header: add a handNote "
        "with xml:id=\"nobody-hand\" to msDesc/physDesc/handDesc, or point to one that is there [hand-declared]",
        "8 errors, 0 warnings",
    ]
