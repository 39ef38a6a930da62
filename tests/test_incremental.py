"""The build cache: a rebuild carries over only pages whose inputs did not change, and its site is the clean
build's, byte for byte, after every edit of a series."""

from __future__ import annotations

import json
import os
import pty
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from edition.build import build
from edition.diagnostics import ExitCode
from edition.state import MANIFEST, State, state_path, state_rows

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import generate  # noqa: E402


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch):
    # The build date is on every page: both builds of a comparison must have the same one.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def bundled_copy(target: Path) -> Path:
    """The bundled edition (texts, settings, anchor registry, Markdown pages) in a folder of its own."""
    target.mkdir()
    for name in ("texts", "edition.toml", "anchors.lock"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target / name)
    shutil.copytree(ROOT / "site" / "pages", target / "site" / "pages")
    return target


def files_of(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def assert_same_site(incremental: Path, clean: Path) -> None:
    made, expected = files_of(incremental), files_of(clean)
    assert sorted(made) == sorted(expected)
    different = [path for path in expected if made[path] != expected[path]]
    assert different == []


def rebuild_and_compare(project: Path, tmp_path: Path, step: str):
    """An incremental build into the project's site, a clean one into a new folder, compared file by file."""
    incremental = build(project, project / "_site", search_index=False)
    assert incremental.exit_code == 0, [d.format() for d in incremental.report.diagnostics]
    clean = build(project, tmp_path / f"clean-{step}", search_index=False, clean=True)
    assert clean.exit_code == 0
    assert clean.remade == clean.documents
    assert_same_site(project / "_site", tmp_path / f"clean-{step}")
    assert state_rows(project / "_site") == state_rows(tmp_path / f"clean-{step}")
    assert incremental.report.sorted() == clean.report.sorted()  # warnings of carried-over pages are said again
    return incremental


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def test_a_series_of_edits_gives_the_clean_build_byte_for_byte(tmp_path):
    project = bundled_copy(tmp_path / "edition")
    texts = project / "texts"
    first = build(project, project / "_site", search_index=False)
    assert first.exit_code == 0 and first.remade == first.documents == 5

    unchanged = rebuild_and_compare(project, tmp_path, "unchanged")
    assert unchanged.remade == 0

    # A word of one paragraph: that document alone is transformed again.
    edit(texts / "telegram-1964-06-18.xml", "1087.</p>", "1087. Added in a correction.</p>")
    assert rebuild_and_compare(project, tmp_path, "word").remade == 1

    # The title of a document another one points to (form-1971 names it in a ptr's link, and its neighbours
    # in the chronology name it in their previous/next links).
    edit(texts / "memcon-1963-04-02.xml", "Ocean Weather Station Arrangements", "Ocean Weather Ships")
    retitled = rebuild_and_compare(project, tmp_path, "title")
    assert 2 < retitled.remade < 5

    # A pointer to a paragraph that no attribute named before: it is linked, as in a clean build.
    edit(texts / "form-1971-02-05.xml", 'target="#memcon-1963-04-02-p1"', 'target="#memcon-1963-04-02-p3"')
    rebuild_and_compare(project, tmp_path, "pointer")
    form = (project / "_site" / "documents" / "form-1971-02-05" / "index.html").read_text(encoding="utf-8")
    assert 'href="../memcon-1963-04-02/index.html#memcon-1963-04-02-p3"' in form

    # A date that moves a document in the chronology.
    edit(texts / "letter-1965-09-10.xml", 'when="1965-09-10"', 'when="1960-09-10"', count=10)
    rebuild_and_compare(project, tmp_path, "date")

    # A new document, then a register entry renamed, then a document removed.
    shutil.copy(texts / "telegram-1964-06-18.xml", texts / "telegram-copy.xml")
    edit(texts / "telegram-copy.xml", 'xml:id="telegram-1964-06-18', 'xml:id="telegram-copy', count=1000)
    edit(texts / "telegram-copy.xml", "#telegram-1964-06-18", "#telegram-copy", count=1000)
    rebuild_and_compare(project, tmp_path, "added")
    registers = (texts / "registers.xml").read_text(encoding="utf-8")
    name = registers.split("<persName", 1)[1].split(">", 1)[1].split("<", 1)[0]
    edit(texts / "registers.xml", f">{name}<", f">{name} Junior<")
    rebuild_and_compare(project, tmp_path, "register")
    (texts / "telegram-copy.xml").unlink()
    rebuild_and_compare(project, tmp_path, "removed")

    # The settings, and a template of the edition's own: every page shows them.
    edit(project / "edition.toml", "Paris, December 1962", "Paris, Winter 1962")
    assert rebuild_and_compare(project, tmp_path, "settings").remade == 5
    (project / "layout").mkdir()
    shutil.copy(ROOT / "site" / "templates" / "document.html", project / "layout" / "document.html")
    edit(project / "layout" / "document.html", "{% block main %}", "{% block main %}<p>Our own layout.</p>")
    edit(project / "edition.toml", 'output = "_site"', 'output = "_site"\ntemplates = "layout"')
    assert rebuild_and_compare(project, tmp_path, "template").remade == 5


def test_a_rebuild_remakes_only_the_changed_document_and_the_pages_that_show_it(tmp_path):
    project = tmp_path / "edition"
    generate(project, 12, seed=5)
    site = project / "_site"
    assert build(project, site, search_index=False).remade == 12
    changed = sorted((project / "texts").glob("*/*.xml"))[3]
    before = {p: p.stat().st_ino for p in site.rglob("*.html")}
    edit(changed, '-p1">', '-p1">A correction. ')
    result = build(project, site, search_index=False)
    assert result.remade == 1
    # The other documents' pages are the last build's files, linked into the new site, not written again.
    page = site / "documents" / changed.stem / "index.html"
    kept = [p for p in before if p.exists() and p.stat().st_ino == before[p]]
    assert page not in kept and "A correction." in page.read_text(encoding="utf-8")
    assert len(kept) >= 11 * 2
    clean = build(project, tmp_path / "clean", search_index=False, clean=True)
    assert_same_site(site, tmp_path / "clean")
    assert clean.remade == 12


def test_a_page_missing_from_the_site_is_made_again(tmp_path):
    project = tmp_path / "edition"
    generate(project, 6, seed=2)
    site = project / "_site"
    build(project, site, search_index=False)
    gone = next(site.glob("documents/*/diplomatic.html"))
    gone.unlink()
    assert build(project, site, search_index=False).remade == 1
    assert gone.is_file()


@pytest.mark.parametrize("manifest", ["not json", '{"format": 2, "key": "x", "entries": {}}', "[]"])
def test_a_site_that_names_no_state_or_another_means_a_full_build(tmp_path, manifest):
    project = tmp_path / "edition"
    generate(project, 4, seed=1)
    site = project / "_site"
    build(project, site, search_index=False)
    (site / MANIFEST).write_text(manifest, encoding="utf-8")
    result = build(project, site, search_index=False)
    assert result.exit_code == 0 and result.remade == 4 and result.parsed == 5
    assert json.loads((site / MANIFEST).read_text(encoding="utf-8"))["state"]
    assert build(project, site, search_index=False).remade == 0


def test_a_damaged_state_means_a_full_build_and_is_made_anew(tmp_path):
    project = tmp_path / "edition"
    generate(project, 4, seed=1)
    site = project / "_site"
    build(project, site, search_index=False)
    state_path(site).write_bytes(b"not a database" * 100)
    result = build(project, site, search_index=False)
    assert result.exit_code == 0 and result.remade == 4
    assert build(project, site, search_index=False).remade == 0


def test_a_build_stopped_before_its_site_is_in_place_leaves_a_state_the_next_does_not_trust(tmp_path, monkeypatch):
    # The state is committed before the new site is swapped in: stopped between the two, the new state must
    # not vouch for the old site's pages.
    project = tmp_path / "edition"
    generate(project, 4, seed=1)
    site = project / "_site"
    build(project, site, search_index=False)
    edit(sorted((project / "texts").glob("*/*.xml"))[1], '-p1">', '-p1">Amended. ')

    def stopped(*_):
        raise KeyboardInterrupt

    with monkeypatch.context() as patched:
        patched.setattr("edition.write._swap_in", stopped)
        with pytest.raises(KeyboardInterrupt):
            build(project, site, search_index=False)
    assert "Amended." not in "".join(p.read_text(encoding="utf-8") for p in site.rglob("diplomatic.html"))
    assert build(project, site, search_index=False).remade == 4
    rebuild_and_compare(project, tmp_path, "after-stop")


def test_a_second_build_of_the_same_site_meanwhile_is_refused(tmp_path):
    project = tmp_path / "edition"
    generate(project, 4, seed=1)
    site = project / "_site"
    build(project, site, search_index=False)
    running = State(site)
    try:
        result = build(project, site, search_index=False)
    finally:
        running.close()
    assert result.exit_code == ExitCode.OUTPUT and [d.code for d in result.report.diagnostics] == ["build-running"]
    assert "another build is writing this site" in result.report.diagnostics[0].message
    assert build(project, site, search_index=False).remade == 0


def test_clean_and_check_text_transform_every_document(tmp_path):
    project = tmp_path / "edition"
    generate(project, 4, seed=1)
    site = project / "_site"
    build(project, site, search_index=False)
    assert build(project, site, search_index=False, clean=True).remade == 4
    assert build(project, site, search_index=False, check_text=True).remade == 4
    assert build(project, site, search_index=False).remade == 0


def test_the_build_command_says_each_stage_and_what_it_carried_over(run, tmp_path):
    project = tmp_path / "edition"
    generate(project, 4, seed=1)
    code, out, _ = run(["build", project, "--no-search"])
    assert code == 0 and "\n4 documents transformed and rendered\n" in out
    assert re.search(r"^  documents +\d+\.\d s$", out, re.M) and re.search(r"^  finish +\d+\.\d s$", out, re.M)
    assert "\x1b[" not in out  # plain lines where no terminal watches
    code, out, _ = run(["build", project, "--no-search"])
    assert "\n0 documents transformed and rendered, 4 carried over unchanged from the last build\n" in out
    code, out, _ = run(["build", project, "--no-search", "--clean"])
    assert "\n4 documents transformed and rendered\n" in out


def test_on_a_terminal_the_build_shows_a_progress_bar(tmp_path):
    project = tmp_path / "edition"
    generate(project, 4, seed=1)
    controller, terminal = pty.openpty()
    build_command = subprocess.Popen([sys.executable, "-m", "edition", "build", str(project), "--no-search"],
                                     stdin=terminal, stdout=terminal, stderr=terminal, cwd=tmp_path)
    os.close(terminal)
    shown = b""
    while True:  # the terminal must be read as the command writes, or its buffer fills and the command waits
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the command has closed the terminal
            break
        if not chunk:
            break
        shown += chunk
    assert build_command.wait(timeout=120) == 0
    os.close(controller)
    text = shown.decode("utf-8", "replace")
    assert "\x1b[?25l" in text  # rich's live display hides the cursor while it draws the bar
    assert re.search(r"  documents +\d+\.\d s", text) and "built 4 documents" in text


def test_a_remembered_validation_holds_only_while_the_other_files_answer_the_same(tmp_path):
    project = bundled_copy(tmp_path / "edition")
    texts = project / "texts"
    first = build(project, project / "_site", search_index=False)
    assert first.validated == 6  # five documents and the registers
    assert rebuild_and_compare(project, tmp_path, "unchanged").validated == 0

    # A note without an id: a warning, said again by the rebuilds that remember the file's validation.
    edit(texts / "telegram-1964-06-18.xml", "1087.</p>", '1087.<note type="editorial">Unanchored.</note></p>')
    assert rebuild_and_compare(project, tmp_path, "warning").validated == 1
    again = rebuild_and_compare(project, tmp_path, "warning-again")
    assert again.validated == 0 and [d.code for d in again.report.warnings].count("citable-id") == 1

    # The paragraph form-1971 points to loses its id: form-1971 is unchanged, but its pointer now dangles.
    edit(texts / "memcon-1963-04-02.xml", 'xml:id="memcon-1963-04-02-p1"', "")
    broken = build(project, project / "_site", search_index=False)
    clean = build(project, tmp_path / "clean-broken", search_index=False, clean=True)
    assert broken.exit_code == clean.exit_code == 1
    assert broken.report.sorted() == clean.report.sorted()
    assert any(d.path.name == "form-1971-02-05.xml" and "memcon-1963-04-02-p1" in d.message
               for d in broken.report.errors)


def test_while_every_file_declares_the_same_ids_no_remembered_validation_asks_again(tmp_path, monkeypatch):
    project = tmp_path / "edition"
    generate(project, 8, seed=5)
    site = project / "_site"
    assert build(project, site, search_index=False).validated == 9
    asked = []
    real = State.asked
    monkeypatch.setattr(State, "asked", lambda state, path: asked.append(path) or real(state, path))
    changed = sorted((project / "texts").glob("*/*.xml"))[2]
    edit(changed, '-p1">', '-p1">A correction. ')
    assert build(project, site, search_index=False).validated == 1
    assert asked == []
    edit(changed, '-p1">', '-p1"><anchor xml:id="new-anchor"/>')  # an id more: every answer is asked again
    assert build(project, site, search_index=False).validated == 1
    assert len(asked) == 8


def test_a_few_changed_files_ask_their_questions_without_indexing_every_id(tmp_path, monkeypatch):
    # The index of every id is hundreds of megabytes at 100,000 files; a rebuild of one file does without it.
    from edition.validate import IdIndex

    project = bundled_copy(tmp_path / "edition")
    texts = project / "texts"
    assert build(project, project / "_site", search_index=False).exit_code == 0
    indexed = []
    complete = IdIndex.complete
    monkeypatch.setattr(IdIndex, "complete", lambda index: indexed.append(len(index.documents)) or complete(index))

    # A pointer of form-1971 to a paragraph with no such id, then to one that has it: its ids are unchanged.
    form = texts / "form-1971-02-05.xml"
    edit(form, 'target="#memcon-1963-04-02-p1"', 'target="#memcon-1963-04-02-p99"')
    dangling = build(project, project / "_site", search_index=False)
    assert dangling.validated == 1 and 6 not in indexed  # the edition's six files are not indexed
    clean = build(project, tmp_path / "clean-dangling", search_index=False, clean=True)
    assert dangling.exit_code == clean.exit_code == 1
    assert dangling.report.sorted() == clean.report.sorted()
    assert any(d.code == "pointer-resolves" and "memcon-1963-04-02-p99" in d.message for d in dangling.report.errors)
    edit(form, 'target="#memcon-1963-04-02-p99"', 'target="#memcon-1963-04-02-p3"')
    indexed.clear()  # the clean build indexed every id, as a full build does
    resolved = build(project, project / "_site", search_index=False)
    assert resolved.exit_code == 0 and resolved.validated == 1
    assert 6 not in indexed and len(indexed) > 1  # (the Markdown pages' examples are, each on its own)
    rebuild_and_compare(project, tmp_path, "resolved")  # the same site and state as a clean build's


def test_an_id_index_answers_the_same_whether_complete_or_looked_through(tmp_path):
    from edition.build import load_edition
    from edition.validate import IdIndex

    project = bundled_copy(tmp_path / "edition")
    shutil.copy(project / "texts" / "secto-8.xml", project / "texts" / "secto-8-copy.xml")  # every id twice
    _, files, _ = load_edition(project)
    ids = {value for file in files for value in file.file_facts.ids.split()}
    questions = [f"{function} {value}" for value in [*sorted(ids), "secto-8-n3", "secto-8-n", "nowhere"]
                 for function in ("declarations", "declared-in")]
    complete, looked_through = IdIndex(files), IdIndex(files, complete=False)
    answers = [complete.answer(question) for question in questions]
    assert [looked_through.answer(question) for question in questions] == answers
    assert looked_through.places is None
    assert complete.answer("declarations secto-8-n3") == "2" and complete.answer("declarations secto-8-n") == "0"
    assert complete.answer("declared-in secto-8-n3") == "secto-8-copy.xml, secto-8.xml"


def test_a_rebuild_parses_only_the_files_that_changed(tmp_path):
    project = tmp_path / "edition"
    generate(project, 12, seed=4)
    site = project / "_site"
    assert build(project, site, search_index=False).parsed == 13  # twelve documents and the registers
    assert build(project, site, search_index=False).parsed == 0
    changed = sorted((project / "texts").glob("*/*.xml"))[5]
    edit(changed, '-p1">', '-p1">A correction. ')
    result = build(project, site, search_index=False)
    assert result.parsed == 1 and result.remade == 1
    clean = build(project, tmp_path / "clean", search_index=False, clean=True)
    assert clean.parsed == 13
    assert_same_site(site, tmp_path / "clean")


def test_kept_facts_are_derived_again_when_the_register_entry_they_name_changes(tmp_path):
    # The letter's sender is named by the register alone: its facts asked the register for the name.
    project = bundled_copy(tmp_path / "edition")
    texts = project / "texts"
    edit(texts / "letter-1965-09-10.xml", '<persName ref="#person-whitcombe">Thomas R. Whitcombe</persName>',
         '<persName ref="#person-whitcombe"/>')
    build(project, project / "_site", search_index=False)
    edit(texts / "registers.xml", "<forename>Thomas</forename> <forename>R.</forename>", "<forename>Tom</forename>")
    rebuilt = rebuild_and_compare(project, tmp_path, "renamed")
    assert rebuilt.parsed == 1  # the registers; the letter is read again only because its facts asked
    page = (project / "_site" / "documents" / "letter-1965-09-10" / "index.html").read_text(encoding="utf-8")
    assert '"name": "Tom Whitcombe"' in page


def test_a_change_to_an_included_file_reaches_the_document_that_includes_it(tmp_path):
    project = bundled_copy(tmp_path / "edition")
    texts = project / "texts"
    (project / "parts").mkdir()
    (project / "parts" / "paragraph.xml").write_text(
        '<p xmlns="http://www.tei-c.org/ns/1.0" xml:id="telegram-1964-06-18-p9">Included first.</p>\n',
        encoding="utf-8")
    edit(texts / "telegram-1964-06-18.xml", "1087.</p>",
         '1087.</p><xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="../parts/paragraph.xml"/>')
    first = build(project, project / "_site", search_index=False)
    assert first.exit_code == 0, [d.format() for d in first.report.diagnostics]
    edit(project / "parts" / "paragraph.xml", "Included first.", "Included, then corrected.")
    rebuilt = rebuild_and_compare(project, tmp_path, "included")
    assert rebuilt.parsed == 1 and rebuilt.remade == 1
    page = (project / "_site" / "documents" / "telegram-1964-06-18" / "index.html").read_text(encoding="utf-8")
    assert "Included, then corrected." in page


def test_a_file_changed_while_the_build_reads_it_again_stops_the_build(tmp_path):
    from edition.build import read_valid_edition
    from edition.load import ChangedFile

    project = bundled_copy(tmp_path / "edition")
    edition, report = read_valid_edition(project)
    assert edition is not None and not report.errors
    secto = next(d for d in edition.documents if d.id == "secto-8")
    assert secto.tree is None  # let go once its facts were derived
    edit(project / "texts" / "secto-8.xml", "</body>", "<p>Saved meanwhile.</p></body>")
    with pytest.raises(ChangedFile):
        secto.loaded_tree()


def test_the_passages_naming_an_entry_are_kept_in_the_state_and_its_page_made_again_when_they_change(tmp_path):
    project = bundled_copy(tmp_path / "edition")
    site = project / "_site"
    build(project, site, search_index=False)
    state = state_rows(site)
    bohlen = [row for row in state["mentions"] if row[3] == "person-bohlen"]
    assert len(bohlen) == 1 and "ACCOMPANIED BY BOHLEN AND TYLER" in bohlen[0][5]
    assert not any("ACCOMPANIED BY" in facts for _, facts in state["files"])  # the facts name entries only
    page = site / "people" / "person-bohlen" / "index.html"
    assert "ACCOMPANIED BY BOHLEN AND TYLER" in page.read_text(encoding="utf-8")
    edit(project / "texts" / "secto-8.xml", "ACCOMPANIED BY\n", "ESCORTED BY\n")
    rebuild_and_compare(project, tmp_path, "passage")
    assert "ESCORTED BY BOHLEN AND TYLER" in page.read_text(encoding="utf-8")
    index = (site / "people" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'person-bohlen/index.html">[^<]*</a>[^<]*<span class="count">1 mention</span>', index)


def test_a_rebuild_reads_no_file_whose_signature_is_unchanged_and_sees_every_write(tmp_path, monkeypatch):
    project = tmp_path / "edition"
    generate(project, 6, seed=3)
    site = project / "_site"
    build(project, site, search_index=False)
    texts = sorted((project / "texts").glob("*/*.xml"))
    read: list[Path] = []
    real = Path.read_bytes

    def counted(path):
        read.append(path)
        return real(path)

    with monkeypatch.context() as patched:
        patched.setattr(Path, "read_bytes", counted)
        assert build(project, site, search_index=False).remade == 0
    assert not set(read) & set(texts)
    # The same number of bytes, and the modification time put back: the change time still tells.
    changed = texts[2]
    stat = changed.stat()
    text = changed.read_text(encoding="utf-8")
    at = text.index('-p1">') + len('-p1">')
    changed.write_text(text[:at] + "X" + text[at + 1:], encoding="utf-8")
    os.utime(changed, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert changed.stat().st_size == stat.st_size
    rebuilt = rebuild_and_compare(project, tmp_path, "same-size")
    assert rebuilt.remade == 1 and rebuilt.parsed == 1


def test_the_lists_and_register_pages_are_written_one_by_one_as_they_are_made(tmp_path, monkeypatch):
    # A large edition's lists and entry pages are tens of megabytes each: none waits in memory for the others.
    import edition.build
    import edition.render

    events = []
    html_page, write = edition.render.html_page, edition.build.Staging.write
    monkeypatch.setattr(edition.render, "html_page",
                        lambda env, template, path, *args, **kwargs: events.append(("made", path))
                        or html_page(env, template, path, *args, **kwargs))
    monkeypatch.setattr(edition.build.Staging, "write", lambda staging, pages, *args: events.extend(
        ("written", page.path) for page in pages) or write(staging, pages, *args))
    project = tmp_path / "edition"
    generate(project, 6, seed=7)
    assert build(project, project / "_site", search_index=False).exit_code == 0
    lists = [path for what, path in events if what == "made" and path.startswith(("documents/index", "people/"))]
    assert len(lists) > 3
    for path in lists:
        made = events.index(("made", path))
        assert events[made + 1] == ("written", path), f"{path} was not written before the next page was made"


def test_the_edition_holds_the_anchors_an_attribute_names_and_every_document(tmp_path):
    # A large edition has millions of xml:ids; the build holds only those a pointer could look up.
    from edition.build import read_valid_edition
    edition, report = read_valid_edition(bundled_copy(tmp_path / "edition"))
    assert not report.errors
    memcon = next(d for d in edition.documents if d.id == "memcon-1963-04-02")
    assert edition.anchors["memcon-1963-04-02-p1"] == [memcon]  # form-1971 points to it
    assert "memcon-1963-04-02-p2" not in edition.anchors  # nothing does
    assert all(edition.anchors[d.id] == [d] for d in edition.documents)
    # A document's own xml:ids point nowhere: they are not among the tokens its pages depend on.
    assert "memcon-1963-04-02-p2" not in memcon.facts.tokens.split()
    assert "memcon-1963-04-02-p1" not in memcon.facts.tokens.split()


def inodes_of(site: Path) -> dict[str, int]:
    return {p.relative_to(site).as_posix(): p.stat().st_ino for p in site.rglob("*") if p.is_file()}


def pages_of(site: Path, folder: str) -> list[str]:
    """The pages of a long list or entry whose first page is in `folder`: its own and those below pages/."""
    return sorted(p.relative_to(site).as_posix() for p in [site / folder / "index.html",
                                                             *(site / folder / "pages").glob("*/index.html")])


def test_each_page_of_a_long_list_or_entry_is_remade_only_when_what_it_shows_changed(tmp_path, monkeypatch):
    import edition.render

    monkeypatch.setattr(edition.render, "PER_PAGE", 3)
    project = tmp_path / "edition"
    generate(project, 12, seed=2)
    site = project / "_site"
    assert build(project, site, search_index=False).exit_code == 0
    entries = [p.parent.relative_to(site).as_posix() for p in (site / "people").glob("*/index.html")]
    busiest = max(entries, key=lambda entry: len(pages_of(site, entry)))
    entry_pages = pages_of(site, busiest)
    assert len(entry_pages) >= 4

    # A word next to the name, in a document shown on one page of the entry (not its first).
    person = busiest.split("/")[1]
    shown = re.findall(r'href="\.\./\.\./\.\./\.\./documents/([^/"]+)/', (site / entry_pages[-2]).read_text())
    changed = next((project / "texts").glob(f"*/{shown[0]}.xml"))
    before = inodes_of(site)
    edit(changed, f'<persName ref="#{person}"', f'AMENDED <persName ref="#{person}"')
    rebuild_and_compare(project, tmp_path, "passage")
    after = inodes_of(site)
    remade = [path for path in entry_pages if after[path] != before[path]]
    showing = [path for path in entry_pages if f"documents/{changed.stem}/" in (site / path).read_text()]
    assert remade == showing and 0 < len(remade) < len(entry_pages)
    assert any("AMENDED" in (site / path).read_text() for path in remade)
    # The documents list shows no passage: none of its pages is made again.
    assert [p for p in pages_of(site, "documents") if after[p] != before[p]] == []

    # A new title: the one page of the documents list that shows the document is made again.
    retitled = sorted((project / "texts").glob("*/*.xml"))[7]
    edit(retitled, "(synthetic document)</title>", "(synthetic document, retitled)</title>")
    rebuild_and_compare(project, tmp_path, "title")
    again = inodes_of(site)
    listed = pages_of(site, "documents")
    assert len(listed) == 4
    assert [p for p in listed if again[p] != after[p]] == \
           [p for p in listed if f"{retitled.stem}/index.html" in (site / p).read_text()]


def test_a_rebuild_writes_over_the_spare_site_and_never_into_the_site_it_replaces(tmp_path, monkeypatch):
    import edition.write

    project = tmp_path / "edition"
    generate(project, 12, seed=5)
    site, spare = project / "_site", project / "._site.spare"
    texts = sorted((project / "texts").glob("*/*.xml"))
    build(project, site, search_index=False)
    assert not spare.exists()  # a full build has no site of the same state to keep
    edit(texts[2], '-p1">', '-p1">A first correction. ')
    assert build(project, site, search_index=False).remade == 1
    assert spare.is_dir()  # the first build's site, kept

    second, second_inodes = files_of(site), inodes_of(site)
    linked = []
    carry_over = edition.write._carry_over
    monkeypatch.setattr(edition.write, "_carry_over", lambda *paths: linked.append(paths) or carry_over(*paths))
    edit(texts[7], '-p1">', '-p1">A second correction. ')
    third = build(project, site, search_index=False)
    assert third.exit_code == 0 and third.remade == 1
    # The site it replaced is now the spare, every byte as it was: nothing was written into its files.
    assert files_of(spare) == second
    # Only what the last build made anew was linked into the spare; the rest was there already, and is the
    # very file of the last site.
    assert 0 < len(linked) < len(second) // 4
    now = inodes_of(site)
    assert sum(now[path] == second_inodes[path] for path in now if path in second_inodes) > len(second) // 2
    assert "A second correction." in (site / "documents" / texts[7].stem / "index.html").read_text(encoding="utf-8")
    build(project, tmp_path / "clean", search_index=False, clean=True)
    assert_same_site(site, tmp_path / "clean")


def test_a_spare_site_that_is_not_the_one_the_state_names_is_not_written_over(tmp_path):
    project = tmp_path / "edition"
    generate(project, 6, seed=3)
    site, spare = project / "_site", project / "._site.spare"
    texts = sorted((project / "texts").glob("*/*.xml"))
    build(project, site, search_index=False)
    edit(texts[1], '-p1">', '-p1">First. ')
    build(project, site, search_index=False)
    (spare / MANIFEST).write_text('{"format": 7, "state": "another"}', encoding="utf-8")
    (spare / "stray.html").write_text("not of this edition", encoding="utf-8")
    edit(texts[2], '-p1">', '-p1">Second. ')
    assert build(project, site, search_index=False).remade == 1
    assert not (site / "stray.html").exists()
    build(project, tmp_path / "clean", search_index=False, clean=True)
    assert_same_site(site, tmp_path / "clean")


def test_a_build_that_fails_while_writing_over_the_spare_leaves_the_site_as_it_was(tmp_path):
    project = tmp_path / "edition"
    generate(project, 6, seed=4)
    site, spare = project / "_site", project / "._site.spare"
    texts = sorted((project / "texts").glob("*/*.xml"))
    build(project, site, search_index=False)
    edit(texts[1], '-p1">', '-p1">First. ')
    build(project, site, search_index=False)
    assert spare.is_dir()
    published = files_of(site)
    # A template of the edition's own that fails only when a page is rendered, once the build is writing over
    # the spare.
    (project / "layout").mkdir()
    (project / "layout" / "entity.html").write_text("{{ no_such_name.anything }}", encoding="utf-8")
    settings = (project / "edition.toml").read_text(encoding="utf-8")
    (project / "edition.toml").write_text(settings + 'templates = "layout"\n', encoding="utf-8")
    edit(texts[2], '-p1">', '-p1">Second. ')
    failed = build(project, site, search_index=False)
    assert failed.exit_code == ExitCode.INVALID and [d.code for d in failed.report.errors] == ["template"]
    assert files_of(site) == published
    assert not list(project.glob("._site.building-*"))
    (project / "edition.toml").write_text(settings, encoding="utf-8")
    assert build(project, site, search_index=False).exit_code == 0
    build(project, tmp_path / "clean", search_index=False, clean=True)
    assert_same_site(site, tmp_path / "clean")
