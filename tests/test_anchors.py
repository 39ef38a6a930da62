"""Citations keep working: the anchor registry (anchors.lock), `edition anchors`, and the build's checks.

Each test works on a copy of the bundled edition (its texts, settings and registry), changes it the way an
editor would, and runs the commands as an editor does.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
from pathlib import Path

import pytest
from lxml import html

from conftest import ROOT

MEMCON = "texts/memcon-1963-04-02.xml"
FIRST = "memcon-1963-04-02-p1"
GONE = "memcon-1963-04-02-p2"  # a paragraph no other document points to


@pytest.fixture
def project(tmp_path: Path) -> Path:
    target = tmp_path / "edition"
    shutil.copytree(ROOT / "texts", target / "texts")
    for name in ("edition.toml", "anchors.lock"):
        shutil.copy(ROOT / name, target / name)
    return target


def paragraphs(site: Path, document: str) -> dict[str, str]:
    """{paragraph id: its words} on a built document page."""
    page = html.parse(str(site / "documents" / document / "index.html")).getroot()
    for panel in page.xpath("//*[@class='cite-panel']"):  # a citation names the paragraph's number
        panel.drop_tree()
    return {p.get("id"): " ".join(p.text_content().split()) for p in page.xpath("//*[@data-n][@id]")}


def registry_line(project: Path, anchor: str) -> tuple[int, str]:
    lines = (project / "anchors.lock").read_text(encoding="utf-8").splitlines()
    (number,) = [n for n, line in enumerate(lines, start=1) if line.split()[:1] == [anchor]]
    return number, lines[number - 1]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def set_registry_line(project: Path, anchor: str, new: str) -> int:
    number, line = registry_line(project, anchor)
    edit(project / "anchors.lock", line + "\n", new + "\n")
    return number


def remove_paragraph(project: Path, anchor: str) -> None:
    text = (project / MEMCON).read_text(encoding="utf-8")
    paragraph = re.search(rf'<p xml:id="{anchor}">.*?</p>\s*', text, re.S)
    (project / MEMCON).write_text(text[:paragraph.start()] + text[paragraph.end():], encoding="utf-8")


def test_the_bundled_registry_is_complete_and_current(run) -> None:
    code, out, err = run(["anchors"], cwd=ROOT)
    assert (code, err) == (0, "")
    assert out == "anchors: every registered anchor is published, moved or retired\n"


def test_a_paragraph_inserted_at_the_start_leaves_every_earlier_anchor_on_its_paragraph(run, project) -> None:
    code, _, err = run(["build", "--out", project / "before"], cwd=project)
    assert (code, err) == (0, "")
    before = paragraphs(project / "before", "memcon-1963-04-02")
    edit(project / MEMCON, f'<p xml:id="{FIRST}">', f'<p>An inserted first paragraph.</p>\n      <p xml:id="{FIRST}">')
    code, out, _ = run(["ids"], cwd=project)
    assert code == 0 and f"{MEMCON}: 1 id added (memcon-1963-04-02-p" in out
    code, _, err = run(["build", "--out", project / "after"], cwd=project)
    assert code == 0
    assert "1 anchor(s) of the texts are not registered yet (memcon-1963-04-02-p" in err
    after = paragraphs(project / "after", "memcon-1963-04-02")
    assert len(after) == len(before) + 1
    for anchor, words in before.items():
        # The same words; only the paragraph's number, shown in its pilcrow, has moved on by one.
        assert re.sub(r"¶\d+$", "", after[anchor]) == re.sub(r"¶\d+$", "", words), anchor


def test_a_registered_paragraph_that_disappears_fails_the_build(run, project) -> None:
    number, _ = registry_line(project, GONE)
    remove_paragraph(project, GONE)
    code, _, err = run(["build"], cwd=project)
    assert code == 1
    assert (f"anchors.lock:{number}:1: error: anchor '{GONE}' of document 'memcon-1963-04-02' was published "
            "but is no longer in the texts, so citations of it would break: restore it, or say where it went by "
            "adding 'moved <anchor>' or 'retired <reason>' to this line [anchor-disappeared]") in err.splitlines()
    assert not (project / "_site").exists()


def test_a_recorded_move_passes_and_the_old_anchor_leads_to_the_new_place(run, project) -> None:
    remove_paragraph(project, GONE)
    _, line = registry_line(project, GONE)
    set_registry_line(project, GONE, f"{line} moved memcon-1963-04-02-p3")
    code, _, err = run(["build"], cwd=project)
    assert (code, err) == (0, "")
    page = html.parse(str(project / "_site/documents/memcon-1963-04-02/index.html")).getroot()
    (notice,) = page.xpath(f"//li[@id='{GONE}']")
    (link,) = notice.xpath("a")
    assert link.get("href") == "../memcon-1963-04-02/index.html#memcon-1963-04-02-p3"
    assert link.text.startswith("paragraph 2 of Memorandum of Conversation")
    moved = json.loads(page.xpath("//script[@id='moved-anchors']")[0].text)
    assert moved == {GONE: "../memcon-1963-04-02/index.html#memcon-1963-04-02-p3"}
    assert page.xpath("//*[@id='memcon-1963-04-02-p3']")
    diplomatic = html.parse(str(project / "_site/documents/memcon-1963-04-02/diplomatic.html")).getroot()
    assert diplomatic.xpath(f"//li[@id='{GONE}']/a/@href") == [link.get("href")]


def test_a_retired_anchor_passes_and_says_why(run, project) -> None:
    remove_paragraph(project, GONE)
    _, line = registry_line(project, GONE)
    set_registry_line(project, GONE, f"{line} retired a duplicate of the third paragraph")
    code, _, err = run(["build"], cwd=project)
    assert (code, err) == (0, "")
    page = html.parse(str(project / "_site/documents/memcon-1963-04-02/index.html")).getroot()
    (notice,) = page.xpath(f"//li[@id='{GONE}']")
    assert " ".join(notice.text_content().split()) == f"#{GONE} was withdrawn: a duplicate of the third paragraph"


def test_a_chain_of_moves_ends_at_the_live_anchor(run, project) -> None:
    remove_paragraph(project, GONE)
    _, first = registry_line(project, GONE)
    set_registry_line(project, GONE, f"{first} moved memcon-old-p9")
    with (project / "anchors.lock").open("a", encoding="utf-8") as registry:
        registry.write("memcon-old-p9 memcon-1963-04-02 00000000 moved memcon-1963-04-02-p4\n")
    assert run(["build"], cwd=project)[0] == 0
    page = html.parse(str(project / "_site/documents/memcon-1963-04-02/index.html")).getroot()
    assert page.xpath(f"//li[@id='{GONE}']/a/@href") == ["../memcon-1963-04-02/index.html#memcon-1963-04-02-p4"]


def test_a_move_to_nowhere_is_an_error(run, project) -> None:
    remove_paragraph(project, GONE)
    _, line = registry_line(project, GONE)
    number = set_registry_line(project, GONE, f"{line} moved memcon-1963-04-02-p99")
    code, _, err = run(["build"], cwd=project)
    assert code == 1
    assert (f"anchors.lock:{number}:1: error: anchor '{GONE}' is recorded as moved to 'memcon-1963-04-02-p99', "
            "which is not an anchor of the texts: name an id or document that exists [anchor-moved-nowhere]"
            ) in err.splitlines()


def test_a_changed_paragraph_is_a_warning_until_recorded(run, project) -> None:
    edit(project / MEMCON, "called at", "called, as arranged, at")
    code, _, err = run(["build"], cwd=project)
    assert code == 0
    (warning,) = [line for line in err.splitlines() if "[anchor-text-changed]" in line]
    assert warning.startswith(f"{MEMCON}:180:7: warning: the text of '{FIRST}' has changed since it was registered")
    _, before = registry_line(project, FIRST)
    code, out, _ = run(["anchors", "--update"], cwd=project)
    assert (code, out) == (0, "anchors.lock: 0 anchor(s) added, 1 fingerprint(s) updated\n")
    _, after = registry_line(project, FIRST)
    assert after.split()[:2] == before.split()[:2] and after.split()[2] != before.split()[2]
    assert run(["build"], cwd=project)[:3:2] == (0, "")


def test_update_adds_new_anchors_keeps_every_line_and_is_idempotent(run, project) -> None:
    original = (project / "anchors.lock").read_text(encoding="utf-8")
    (project / "anchors.lock").chmod(0o640)
    remove_paragraph(project, GONE)
    edit(project / MEMCON, '<p xml:id="memcon-1963-04-02-p4">',
         '<p xml:id="memcon-1963-04-02-p90">New.</p>\n      <p xml:id="memcon-1963-04-02-p4">')
    code, out, err = run(["anchors", "--update"], cwd=project)
    assert code == 1, "the disappeared anchor is still an error"
    assert "[anchor-disappeared]" in err
    updated = (project / "anchors.lock").read_text(encoding="utf-8")
    assert updated.startswith(original)
    assert updated[len(original):] == "memcon-1963-04-02-p90 memcon-1963-04-02 " + updated.split()[-1] + "\n"
    run(["anchors", "--update"], cwd=project)
    assert (project / "anchors.lock").read_text(encoding="utf-8") == updated
    assert stat.S_IMODE((project / "anchors.lock").stat().st_mode) == 0o640  # its permissions kept


def test_a_first_registry_is_created_with_every_anchor(run, project) -> None:
    (project / "anchors.lock").unlink()
    code, _, err = run(["build", "--out", project / "site"], cwd=project)
    assert code == 0 and "[registry-missing]" in err
    code, out, _ = run(["anchors", "--update"], cwd=project)
    assert code == 0
    assert (project / "anchors.lock").read_text(encoding="utf-8") == (ROOT / "anchors.lock").read_text(encoding="utf-8")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE((project / "anchors.lock").stat().st_mode) == 0o666 & ~umask  # as any new file


def test_registry_mistakes_are_located(run, project) -> None:
    with (project / "anchors.lock").open("a", encoding="utf-8") as registry:
        registry.write("lonely-anchor\n")
        registry.write("memcon-x memcon-1963-04-02 00000000 went somewhere\n")
        registry.write("secto-8-p1 secto-8 00000000\n")
    lines = (project / "anchors.lock").read_text(encoding="utf-8").splitlines()
    n = len(lines)
    code, _, err = run(["build"], cwd=project)
    assert code == 1
    first_p1 = registry_line_numbers(lines, "secto-8-p1")[0]
    assert err.splitlines()[:3] == [
        f"anchors.lock:{n - 2}:1: error: a registry line needs an anchor, its document and a fingerprint, "
        "separated by spaces [registry-syntax]",
        f"anchors.lock:{n - 1}:37: error: 'went somewhere' is not a destination: write 'moved <anchor>' (one "
        "anchor or document id) or 'retired <reason>' after the fingerprint [registry-syntax]",
        f"anchors.lock:{n}:1: error: anchor 'secto-8-p1' is already registered on line {first_p1}: keep one of "
        "the two lines [registry-duplicate]",
    ]


def registry_line_numbers(lines: list[str], anchor: str) -> list[int]:
    return [n for n, line in enumerate(lines, start=1) if line.split()[:1] == [anchor]]


def test_a_document_that_moved_keeps_a_page_at_its_old_address(run, project) -> None:
    (project / "texts/telegram-1964-06-18.xml").unlink()
    code, _, err = run(["build"], cwd=project)
    assert code == 1 and "'telegram-1964-06-18' of document 'telegram-1964-06-18' was published" in err
    text = (project / "anchors.lock").read_text(encoding="utf-8")
    text = re.sub(r"^(telegram-1964-06-18 telegram-1964-06-18 -)$", r"\1 moved secto-8", text, flags=re.M)
    text = re.sub(r"^(telegram-1964-06-18-\S+ telegram-1964-06-18 \S+)$", r"\1 retired withdrawn with its document",
                  text, flags=re.M)
    (project / "anchors.lock").write_text(text, encoding="utf-8")
    code, _, err = run(["build"], cwd=project)
    assert (code, err) == (0, "")
    stub = html.parse(str(project / "_site/documents/telegram-1964-06-18/index.html")).getroot()
    assert stub.xpath("//h1")[0].text == "This document is no longer at this address"
    assert stub.xpath("//article//p/a/@href")[0] == "../secto-8/index.html"
    assert json.loads(stub.xpath("//script[@id='moved-anchors']")[0].text) == {"": "../secto-8/index.html"}
    assert (project / "_site/documents/telegram-1964-06-18/diplomatic.html").is_file()


def test_the_live_anchors_hold_each_anchor_as_its_document_and_make_it_when_asked(project, monkeypatch) -> None:
    # A large edition publishes millions of anchors: an object each was the largest thing a rebuild held.
    import edition.anchors
    from edition.build import read_valid_edition

    edition_read, report = read_valid_edition(project)
    assert not report.errors
    made = []
    real = edition.anchors.Anchor
    monkeypatch.setattr(edition.anchors, "Anchor", lambda *args: made.append(args[0]) or real(*args))
    live = edition.anchors.live_anchors(edition_read.documents)
    assert made == []
    memcon = next(d for d in edition_read.documents if d.id == "memcon-1963-04-02")
    unit = next(u for u in memcon.facts.citable_units() if u[0] == FIRST)
    anchor = live[FIRST]
    assert (anchor.id, anchor.document, anchor.fingerprint, anchor.line, anchor.col, anchor.kind) == (FIRST, memcon, *unit[1:])
    assert live["memcon-1963-04-02"].fingerprint == "-" and "nowhere" not in live
    assert [a.id for a in live.each()] == list(live) and len(live) > 20


def test_an_anchor_registered_as_gone_or_in_another_document_that_is_in_the_texts_is_an_error(run, project) -> None:
    _, line = registry_line(project, FIRST)
    returned = set_registry_line(project, FIRST, f"{line} retired merged into the next paragraph")
    _, line = registry_line(project, "secto-8-p2")
    elsewhere = set_registry_line(project, "secto-8-p2", line.replace(" secto-8 ", " secto-7 "))
    code, _, err = run(["anchors"], cwd=project)
    assert code == 1
    built, _, said = run(["build"], cwd=project)  # the build marks registered anchors live: the same errors
    assert built == 1 and [line for line in said.splitlines() if ": error: " in line] == \
           [line for line in err.splitlines() if ": error: " in line]
    assert (f"anchors.lock:{returned}:1: error: anchor '{FIRST}' is registered as retired but is in the texts "
            "again (memcon-1963-04-02.xml:180): remove the destination from this line, or the id from the text "
            "[anchor-returned]") in err.splitlines()
    assert (f"anchors.lock:{elsewhere}:1: error: anchor 'secto-8-p2' was published in document 'secto-7' but is "
            "now in 'secto-8', so citations of it lead to the wrong page: give the unit a new id, and record this "
            "one as 'moved <new id>' [anchor-changed-document]") in err.splitlines()


def test_registry_entries_are_held_packed_and_given_back_as_they_were_read() -> None:
    from edition.anchors import Entries, Entry

    read = [Entry("d-p1", "d", "0a1b2c3d", 7), Entry("d", "d", "-", 6), Entry("e-p1", "e", "FFFFFFFF", 9),
            Entry("e-p2", "e", "ffffffff", 300_000_000), Entry("d-p2", "d", "12345678", 8, moved_to="d-p1"),
            Entry("d-p3", "d", "12345678", 10, retired="merged"), Entry("f", "f", "odd", 11)]
    entries = Entries()
    for entry in read:
        entries.add(entry)
    assert [entries[entry.anchor] for entry in read] == read and list(entries) == [e.anchor for e in read]
    assert entries.unchanged("d-p1", "d", "0a1b2c3d") and entries.unchanged("d", "d", "-")
    assert not entries.unchanged("d-p1", "e", "0a1b2c3d") and not entries.unchanged("d-p1", "d", "0a1b2c3e")
    assert not entries.unchanged("d-p2", "d", "12345678"), "a moved anchor's line is never a plain match"
    assert not entries.unchanged("e-p1", "e", "ffffffff") and not entries.unchanged("x", "d", "0a1b2c3d")
    assert entries.get("x") is None and "d-p3" in entries and len(entries) == 7


def test_anchors_the_registry_lists_in_their_documents_are_marked_in_it_not_held(project) -> None:
    from edition.anchors import live_anchors, read_registry
    from edition.build import read_valid_edition

    edition_read, _ = read_valid_edition(project)
    registry, problems = read_registry(project)
    assert problems == [] and len(registry.entries) > 20
    plain = live_anchors(edition_read.documents)
    marked = live_anchors(edition_read.documents, registry)
    assert list(marked.held()) == [] and len(list(plain.held())) == len(registry.entries)
    assert list(marked) == list(plain) and [vars_of(a) for a in marked.each()] == [vars_of(a) for a in plain.each()]
    assert FIRST in marked and vars_of(marked[FIRST]) == vars_of(plain[FIRST])
    assert registry.entries.live_in(FIRST) == "memcon-1963-04-02" and "nowhere" not in marked


def vars_of(anchor) -> tuple:
    return anchor.id, anchor.document.id, anchor.fingerprint, anchor.line, anchor.col, anchor.kind


def test_an_id_two_documents_declare_is_the_last_ones_whether_registered_or_not() -> None:
    # Without the edition's schema (schema = "none"), two files may declare one id.
    from types import SimpleNamespace

    from edition.anchors import Entries, Entry, LiveAnchors, Registry

    def document(name: str):
        facts = SimpleNamespace(root_line=1, citable_anchors=lambda: ["x"],
                                citable_units=lambda: iter([("x", "0a1b2c3d", 5, 1, "p")]))
        return SimpleNamespace(id=name, kind="document", facts=facts)

    a, b = document("a"), document("b")
    for order in ([a, b], [b, a]):
        entries = Entries()
        entries.add(Entry("x", "a", "0a1b2c3d", 1))
        live = LiveAnchors(order, Registry(Path("anchors.lock"), entries))
        assert live["x"].document is order[-1]
        assert [unit[1] for unit in live.units() if unit[0] == "x"] == [order[-1]]
