"""The preview's quick rebuild after corrections (corrections.py): the pages that show a corrected text made
again in place, the site and the state then exactly those of a clean build, and anything that is not a
correction left to the full build, with nothing written."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from edition.build import build
from edition.corrections import correct, finish, prepare
from edition.state import state_rows
from test_incremental import assert_same_site, bundled_copy, edit, files_of, pages_of

sys.path.insert(0, str(ROOT / "benchmarks"))
from synthetic import generate  # noqa: E402


@pytest.fixture(autouse=True)
def fixed_date(monkeypatch):
    # The build date is on every page: both builds of a comparison must have the same one.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")


def stamps_of(site: Path) -> dict[str, tuple[int, int]]:
    """Each file's inode and modification time: a file replaced has another, even where the inode of the file
    it replaced, freed, is given to the next one."""
    return {p.relative_to(site).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in site.rglob("*") if p.is_file()}


def built_with_retain(project: Path):
    """A full build of the project's site, holding what a quick rebuild needs, as the preview builds."""
    result = build(project, project / "_site", search_index=False, retain=True)
    assert result.exit_code == 0, [d.format() for d in result.report.diagnostics]
    assert result.built is not None
    return result.built


def assert_as_clean(project: Path, tmp_path: Path, quick, step: str) -> None:
    """The site and state after a quick rebuild (finished) are those of a clean build of the same texts, and
    so is what the quick rebuild said."""
    clean = build(project, tmp_path / f"clean-{step}", search_index=False, clean=True)
    assert clean.exit_code == 0
    assert_same_site(project / "_site", tmp_path / f"clean-{step}")
    assert state_rows(project / "_site") == state_rows(tmp_path / f"clean-{step}")
    assert quick.report.sorted() == clean.report.sorted()


def test_a_corrected_passage_remakes_the_document_its_entry_pages_and_the_zip_and_nothing_else(tmp_path,
                                                                                                monkeypatch):
    import edition.render

    monkeypatch.setattr(edition.render, "PER_PAGE", 3)
    project = tmp_path / "edition"
    generate(project, 12, seed=2)
    site = project / "_site"
    built = built_with_retain(project)
    entries = [p.parent.relative_to(site).as_posix() for p in (site / "people").glob("*/index.html")]
    busiest = max(entries, key=lambda entry: len(pages_of(site, entry)))
    entry_pages = pages_of(site, busiest)
    assert len(entry_pages) >= 4
    person = busiest.split("/")[1]
    shown = re.findall(r'href="\.\./\.\./\.\./\.\./documents/([^/"]+)/', (site / entry_pages[-2]).read_text())
    corrected = next((project / "texts").glob(f"*/{shown[0]}.xml"))
    before = stamps_of(site)

    edit(corrected, f'<persName ref="#{person}"', f'AMENDED <persName ref="#{person}"')
    quick = correct(built, {corrected})
    assert quick is not None and quick.exit_code == 0 and quick.remade == 1
    # The zip, which holds every file, and the site's name for its state follow once the pages are in place.
    pages_in_place = stamps_of(site)
    assert [path for path in pages_in_place if pages_in_place[path] != before[path]
            and not path.startswith(("documents/", "people/", "organisations/", "places/", "glossary/"))] == []
    finish(built)
    after = stamps_of(site)
    replaced = sorted(path for path in after if after[path] != before[path])
    showing = [path for path in entry_pages if f"documents/{corrected.stem}/" in (site / path).read_text()]
    assert 0 < len(showing) < len(entry_pages)
    assert any("AMENDED" in (site / path).read_text() for path in showing)
    # Every page of an entry that shows the document's passages (of any entry it names: its passages are
    # compared as one), and not the register indexes, whose counts are the same.
    registers = ("people/", "organisations/", "places/", "glossary/")
    entries_showing = [path for path in after if path.startswith(registers) and path.count("/") > 1
                       and f"documents/{corrected.stem}/" in (site / path).read_text()]
    assert set(showing) < set(entries_showing)
    assert replaced == sorted([*[path for path in after if path.startswith(f"documents/{corrected.stem}/")],
                               *entries_showing, "downloads/edition-tei.zip", ".edition-build.json"])
    assert_as_clean(project, tmp_path, quick, "passage")
    # The state is the full build's: the next one finds every page as it would have made it.
    full = build(project, site, search_index=False)
    assert full.exit_code == 0 and full.remade == 0
    assert_same_site(site, tmp_path / "clean-passage")


def test_corrections_in_a_row_and_then_one_undone_give_the_clean_build_each_time(tmp_path):
    project = bundled_copy(tmp_path / "edition")
    built = built_with_retain(project)
    secto = project / "texts" / "secto-8.xml"
    original = secto.read_text(encoding="utf-8")

    # A passage naming an entry, in an anchor the registry holds: its entry's page, and a warning that the
    # registered text changed, as the full build gives them.
    edit(secto, "ACCOMPANIED BY\n", "ESCORTED BY\n")
    first = correct(built, {secto})
    finish(built)
    assert first is not None
    assert "ESCORTED BY BOHLEN AND TYLER" in (project / "_site/people/person-bohlen/index.html").read_text()
    assert [d.code for d in first.report.diagnostics if d.path == secto] == ["anchor-text-changed"]
    assert_as_clean(project, tmp_path, first, "first")

    letter = project / "texts" / "letter-1965-09-10.xml"
    edit(letter, "Article 7 of the present lease", "Article 7 of the present leese")
    second = correct(built, {letter, secto})
    assert second is not None and second.remade == 2
    finish(built)
    assert_as_clean(project, tmp_path, second, "second")

    # Back to the text as the last full build read it: a full build must not take the corrected pages for its
    # own (the state says what they were made from).
    secto.write_text(original, encoding="utf-8")
    full = build(project, project / "_site", search_index=False)
    assert full.exit_code == 0 and full.remade == 1
    assert_as_clean(project, tmp_path, full, "undone")


def test_until_a_quick_rebuild_is_finished_the_state_says_the_zip_is_the_old_one(tmp_path):
    project = bundled_copy(tmp_path / "edition")
    built = built_with_retain(project)
    letter = project / "texts" / "letter-1965-09-10.xml"
    zip_before = (project / "_site/downloads/edition-tei.zip").read_bytes()
    edit(letter, "Article 7 of the present lease", "Article 7 of the present leese")
    assert correct(built, {letter}) is not None
    assert (project / "_site/downloads/edition-tei.zip").read_bytes() == zip_before
    # A full build meanwhile (another command, or a change that is not a correction) makes the zip again.
    full = build(project, project / "_site", search_index=False)
    assert full.exit_code == 0 and full.remade == 0
    assert_as_clean(project, tmp_path, full, "meanwhile")
    finish(built)  # the site is another build's now: nothing is written
    assert_same_site(project / "_site", tmp_path / "clean-meanwhile")


def added_file(project: Path) -> Path:
    path = project / "texts" / "new-document.xml"
    path.write_text((project / "texts" / "letter-1965-09-10.xml").read_text(encoding="utf-8").replace(
        "letter-1965-09-10", "new-document"), encoding="utf-8")
    return path


NOT_CORRECTIONS = {
    "a title": lambda texts: edit(texts / "secto-8.xml", '<title type="main">', '<title type="main">Retitled: '),
    "a date": lambda texts: edit(texts / "secto-8.xml", 'when="1962-12-13T11:00', 'when="1962-12-14T11:00'),
    "an id": lambda texts: edit(texts / "secto-8.xml", 'xml:id="secto-8-p1"', 'xml:id="secto-8-p1a"'),
    "a name": lambda texts: edit(texts / "secto-8.xml", 'ref="#person-bohlen"', 'ref="#person-rusk"'),
    "an error": lambda texts: edit(texts / "secto-8.xml", "ACCOMPANIED BY\n", "ACCOMPANIED <bogus/> BY\n"),
    "a register": lambda texts: edit(texts / "registers.xml", "Bohlen", "Bohlen (corrected)"),
    "a file added": lambda texts: added_file(texts.parent),
    "a file removed": lambda texts: (texts / "form-1971-02-05.xml").unlink(),
}


@pytest.mark.parametrize("change", NOT_CORRECTIONS)
def test_what_is_not_a_correction_is_left_to_the_full_build_with_nothing_written(tmp_path, change):
    project = bundled_copy(tmp_path / "edition")
    built = built_with_retain(project)
    texts = project / "texts"
    site_before, state_before = files_of(project / "_site"), state_rows(project / "_site")
    changed = {texts / "secto-8.xml", texts / "registers.xml", texts / "new-document.xml",
               texts / "form-1971-02-05.xml"}
    NOT_CORRECTIONS[change](texts)

    assert correct(built, {path for path in changed if path.exists() or change == "a file removed"}) is None
    assert files_of(project / "_site") == site_before
    assert state_rows(project / "_site") == state_before


def test_a_correction_after_the_build_date_changed_is_left_to_the_full_build(tmp_path, monkeypatch):
    project = bundled_copy(tmp_path / "edition")
    built = built_with_retain(project)
    letter = project / "texts" / "letter-1965-09-10.xml"
    edit(letter, "Article 7 of the present lease", "Article 7 of the present leese")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1700000000 + 86400))
    assert correct(built, {letter}) is None


def test_a_build_with_a_search_index_leaves_nothing_for_a_quick_rebuild(tmp_path):
    # A quick rebuild makes no search index: after a build with one, the full build must remove or remake it.
    project = bundled_copy(tmp_path / "edition")
    result = build(project, project / "_site", search_index=True, retain=True)
    assert result.exit_code == 0 and result.built is None


def test_a_unit_that_is_no_longer_citable_is_left_to_the_full_build(tmp_path):
    # Without the edition's own schema (schema = "none"), a note may become another element and keep its id:
    # the ids are the same, but the anchor is gone, and the registry's entry for it is the full build's to judge.
    project = bundled_copy(tmp_path / "edition")
    settings = project / "edition.toml"
    settings.write_text('schema = "none"\n' + settings.read_text(encoding="utf-8"), encoding="utf-8")
    built = built_with_retain(project)
    secto = project / "texts" / "secto-8.xml"
    text = secto.read_text(encoding="utf-8")
    start = text.index('<note type="editorial" xml:id="secto-8-n3">')
    end = text.index("</note>", start)
    secto.write_text(text[:start] + '<seg type="editorial" xml:id="secto-8-n3">'
                     + text[start + len('<note type="editorial" xml:id="secto-8-n3">'):end] + "</seg>"
                     + text[end + len("</note>"):], encoding="utf-8")

    assert correct(built, {secto}) is None
    full = build(project, project / "_site", search_index=False)
    assert [d.code for d in full.report.errors] == ["anchor-disappeared"]


def test_a_correction_asks_the_other_files_nothing_its_last_validation_answered(tmp_path, monkeypatch):
    # Every file declares the ids it did: the answers its last validation kept hold, and no file's ids are
    # looked through (at 100,000 files, a search of six million ids for each question).
    from edition.validate import IdIndex

    project = bundled_copy(tmp_path / "edition")
    built = built_with_retain(project)
    secto = project / "texts" / "secto-8.xml"
    edit(secto, "ACCOMPANIED BY\n", "ESCORTED BY\n")

    def looked_through(self, *args):
        raise AssertionError("the ids of the edition were looked through")

    prepare(built)  # as the preview does while it waits (the Markdown pages' examples are validated then)
    with monkeypatch.context() as patched:  # the clean build below asks
        patched.setattr(IdIndex, "declaring", looked_through)
        quick = correct(built, {secto})
    assert quick is not None
    finish(built)
    assert_as_clean(project, tmp_path, quick, "answered")


def test_a_file_holding_several_documents_is_left_to_the_full_build(tmp_path, edition_copy):
    # A volume's documents share its file, its zip member and the rest of the volume's page.
    project = edition_copy("foreign")
    built = built_with_retain(project)
    volume = project / "texts" / "vol-a.xml"
    site_before = files_of(project / "_site")
    edit(volume, "The talk went on", "The talk continued")

    assert correct(built, {volume}) is None
    assert files_of(project / "_site") == site_before
