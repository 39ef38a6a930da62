"""Bad, broken and hostile input: each case of tests/bad-inputs/ gets its exact message and exit code, the
sources are never touched, content never becomes markup or script, and a killed build leaves the previous site.

A case is a folder laid over a copy of the mini edition tests/editions/valid: the files it holds replace or join
the edition's, its README says what is wrong, and `expected` holds the exit code of `edition build` (first line,
`exit N`) and everything the build writes to stderr, exactly.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import html

from conftest import EDITIONS, ROOT

CASES = ROOT / "tests" / "bad-inputs"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def edition_with(case: str, tmp_path: Path) -> Path:
    project = tmp_path / "edition"
    shutil.copytree(EDITIONS / "valid", project)
    shutil.copytree(CASES / case, project, dirs_exist_ok=True, ignore=shutil.ignore_patterns("README", "expected"))
    return project


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_there_are_cases_for_every_kind_of_bad_input_the_issue_names():
    assert {"malformed-xml", "unclosed-at-end", "empty-file", "binary-file", "wrong-encoding", "external-entity",
            "billion-laughs", "deep-nesting", "duplicate-ids", "dangling-pointer", "javascript-target",
            "script-in-content", "settings-syntax", "settings-unknown-key", "templates-missing"} <= set(CASE_NAMES)
    assert all((CASES / name / "README").is_file() and (CASES / name / "expected").is_file() for name in CASE_NAMES)


@pytest.mark.parametrize("case", CASE_NAMES)
def test_bad_input_gets_its_exact_message_and_exit_code(run, tmp_path, case):
    project = edition_with(case, tmp_path)
    sources = snapshot(project)
    expected_exit, _, expected_err = (CASES / case / "expected").read_text(encoding="utf-8").partition("\n")
    code, _, err = run(["build"], cwd=project)
    assert (f"exit {code}", err) == (expected_exit, expected_err)
    # A build writes its site and, beside it, its state (state.py); it touches nothing else.
    written = {"._site.edition-state.sqlite"} if code == 0 else set()
    assert {name: data for name, data in snapshot(project).items() if not name.startswith("_site/")
            and name not in written} == sources
    assert (project / "_site").exists() is (code == 0)
    assert {name for name in written if (project / name).is_file()} == written


def test_the_external_entity_is_never_read(run, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("THE SECRET OF THE MACHINE")
    project = edition_with("external-entity", tmp_path)
    bad = project / "texts" / "bad.xml"
    bad.write_text(bad.read_text().replace("file:///etc/passwd", secret.as_uri()))
    code, out, err = run(["validate", "texts/bad.xml"], cwd=project)
    assert code == 1
    assert "THE SECRET" not in out + err
    assert f'declared external (SYSTEM "{secret.as_uri()}")' in err


def pages_of(site: Path):
    for path in sorted(site.rglob("*.html")):
        yield path, html.parse(str(path)).getroot()


def test_script_and_markup_in_a_text_stay_text_on_every_page(run, tmp_path):
    project = edition_with("script-in-content", tmp_path)
    code, _, err = run(["build"], cwd=project)
    assert code == 0, err
    site = project / "_site"
    for path, page in pages_of(site):
        for script in page.iter("script"):
            assert script.get("src", "").endswith(".js") or script.get("type") in (
                "application/ld+json", "application/json"), (path, html.tostring(script))
            assert not (script.get("src") and script.text), path
        for element in page.iter():
            if not isinstance(element.tag, str):
                continue
            assert not [name for name in element.attrib if name.lower().startswith("on")], (path, element.attrib)
            for name in ("href", "src", "action"):
                assert not element.get(name, "").strip().lower().startswith(("javascript:", "data:")), path
        assert not page.xpath("//img[@onerror] | //b[@onclick]"), path
    reading = html.parse(str(site / "documents" / "bad" / "index.html")).getroot()
    text = reading.text_content()
    assert 'THE CABLE READ <script>alert("text")</script> AND <img src=x onerror=alert("cdata")> ENDED.' in " ".join(
        text.split())
    assert "A NOTE WITH <b onclick=\"alert('note')\">MARKUP</b> AS TEXT." in " ".join(text.split())
    assert reading.findtext(".//title").startswith('</script><script>alert("title")</script> & "quoted"')
    (link,) = reading.xpath("//a[normalize-space()='A LINK']")
    assert link.get("href") == "https://example.org/?q=\"><script>alert('href')</script>"
    (data,) = reading.xpath("//script[@type='application/ld+json']")
    assert json.loads(data.text)["name"].startswith('</script><script>alert("title")</script>')


def test_every_page_forbids_inline_script(site):
    for path, page in pages_of(site):
        policies = page.xpath("head/meta[@http-equiv='Content-Security-Policy']/@content")
        assert len(policies) == 1, path
        directives = dict(d.strip().split(" ", 1) for d in policies[0].split(";"))
        assert directives["script-src"] == "'self' 'wasm-unsafe-eval'", path
        assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'", path
        assert page.find("head").index(page.find("head/meta[@http-equiv]")) <= 1, path  # before any script


RAW_HTML_PAGE = """# Notes

A <em>marked</em> word, and a <script>document.title = 1</script> script.
"""


@pytest.mark.parametrize("allowed", [False, True])
def test_html_in_markdown_pages_is_text_unless_the_settings_allow_it(run, tmp_path, allowed):
    project = edition_with("script-in-content", tmp_path)
    (project / "site" / "pages").mkdir(parents=True)
    (project / "site" / "pages" / "notes.md").write_text(RAW_HTML_PAGE)
    if allowed:
        with (project / "edition.toml").open("a") as settings:
            settings.write("raw_html = true\n")
    assert run(["build"], cwd=project)[0] == 0
    page = html.parse(str(project / "_site" / "notes" / "index.html")).getroot()
    main = page.find(".//main")
    assert bool(main.xpath(".//em")) is allowed
    assert bool(main.xpath(".//script")) is allowed
    if not allowed:
        assert 'A <em>marked</em> word, and a <script>document.title = 1</script> script.' in main.text_content()


def test_raw_html_must_be_true_or_false(run, tmp_path):
    project = edition_with("script-in-content", tmp_path)
    with (project / "edition.toml").open("a") as settings:
        settings.write('raw_html = "yes"\n')
    code, _, err = run(["build"], cwd=project)
    assert code == 1
    assert err.splitlines()[0] == ("edition.toml:3:1: error: setting 'raw_html' must be true or false (without "
                                   "quotes) [config-type]")


def test_a_symbolic_link_out_of_the_edition_is_refused(run, tmp_path):
    outside = tmp_path / "elsewhere.xml"
    shutil.copy(EDITIONS / "valid" / "texts" / "later.xml", outside)
    project = edition_with("script-in-content", tmp_path)
    (project / "texts" / "linked.xml").symlink_to(outside)
    code, _, err = run(["build"], cwd=project)
    assert code == 1
    assert err.splitlines()[0] == (
        f"texts/linked.xml:1:1: error: this text is a symbolic link to {outside}, outside the edition's folder: "
        "edition reads only files inside the edition; copy the file into it [outside-project]")


def test_a_symbolic_link_within_the_edition_is_read(run, tmp_path):
    project = edition_with("script-in-content", tmp_path)
    (project / "drafts").mkdir()
    (project / "texts" / "bad.xml").rename(project / "drafts" / "bad.xml")
    (project / "texts" / "bad.xml").symlink_to(project / "drafts" / "bad.xml")
    assert run(["build"], cwd=project)[0] == 0


def test_an_xinclude_within_the_edition_is_included(run, tmp_path):
    project = edition_with("script-in-content", tmp_path)
    (project / "parts").mkdir()
    (project / "parts" / "p3.xml").write_text(
        '<p xmlns="http://www.tei-c.org/ns/1.0" xml:id="bad-p3">AN INCLUDED PARAGRAPH</p>\n')
    bad = project / "texts" / "bad.xml"
    bad.write_text(bad.read_text().replace(
        "    </body>", '      <xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="../parts/p3.xml"/>\n'
                       "    </body>"))
    assert run(["build"], cwd=project)[0] == 0
    page = html.parse(str(project / "_site" / "documents" / "bad" / "index.html")).getroot()
    assert page.get_element_by_id("bad-p3").text_content().startswith("AN INCLUDED PARAGRAPH")


def test_a_killed_build_leaves_the_previous_site_exactly_as_it_was(tmp_path):
    project = tmp_path / "edition"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
        ".git", "_site", ".ci", "tests", "node_modules", "test-artifacts", "*.egg-info", "__pycache__"))
    command = [sys.executable, "-m", "edition", "build", str(project)]
    assert subprocess.run(command, capture_output=True).returncode == 0
    before = snapshot(project / "_site")
    (project / "texts" / "secto-8.xml").write_text(
        (project / "texts" / "secto-8.xml").read_text().replace("MONA LISA", "THE MONA LISA"))
    # The build runs in a session of its own, so the kill reaches the search indexer it starts too.
    build = subprocess.Popen(command, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(lambda: list(project.glob("._site.building-*/documents")), build)
        os.killpg(build.pid, signal.SIGKILL)
        build.wait(timeout=30)
    finally:
        if build.poll() is None:
            os.killpg(build.pid, signal.SIGKILL)
    assert build.returncode == -signal.SIGKILL
    assert snapshot(project / "_site") == before
    assert subprocess.run(command, capture_output=True).returncode == 0
    _gone(lambda: list(project.glob("._site.building-*")))  # removed by a process of its own, meanwhile
    assert "THE MONA LISA" in (project / "_site" / "documents" / "secto-8" / "index.html").read_text()


def _gone(leftovers, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while leftovers():
        assert time.monotonic() < deadline, f"still there: {leftovers()}"
        time.sleep(0.05)


def _wait_for(condition, process, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert process.poll() is None, "the build ended before it could be killed midway"
        assert time.monotonic() < deadline, "the build never began writing"
        time.sleep(0.005)


def test_edition_ids_interrupted_leaves_each_file_as_it_was_or_fully_updated(run, tmp_path, monkeypatch):
    import edition.ids

    project = edition_with("script-in-content", tmp_path)
    for name in ("earlier.xml", "later.xml"):
        path = project / "texts" / name
        path.write_text(path.read_text().replace(f' xml:id="{name[:-4]}-p2"', ""))
    before = snapshot(project / "texts")
    renamed = []

    def interrupted_replace(source, target):
        if renamed:
            raise KeyboardInterrupt
        renamed.append(target)
        os.rename(source, target)

    monkeypatch.setattr(edition.ids.os, "replace", interrupted_replace)
    with pytest.raises(KeyboardInterrupt):
        edition.ids.number_files([], project, write=True)
    after = snapshot(project / "texts")
    changed = sorted(name for name in after if after[name] != before[name])
    assert changed == ["earlier.xml"]
    assert b'xml:id="earlier-p2"' in after["earlier.xml"]
    assert set(after) == set(before)  # no temporary file left behind


def test_a_mistake_in_the_editions_own_templates_is_located(run, tmp_path):
    project = edition_with("script-in-content", tmp_path)
    (project / "layout").mkdir()
    (project / "layout" / "home.html").write_text('{% extends "base.html" %}\n{% block main %}\n{% if %}\n')
    with (project / "edition.toml").open("a") as settings:
        settings.write('templates = "layout"\n')
    code, _, err = run(["build"], cwd=project)
    assert code == 1
    assert err.splitlines()[1] == "layout/home.html:3:1: error: template syntax: Expected an expression, got 'end of " \
                                  "statement block': correct the template [template]"


@pytest.mark.parametrize("debug", [False, True])
def test_an_internal_error_names_debug_and_only_debug_shows_the_traceback(run, tmp_path, monkeypatch, debug):
    import edition.cli

    def failing_build(*args, **kwargs):
        raise RuntimeError("a simulated bug")

    monkeypatch.setattr(edition.cli, "build_edition", failing_build)
    if debug:
        with pytest.raises(RuntimeError, match="a simulated bug"):
            run(["--debug", "build"], cwd=edition_with("script-in-content", tmp_path))
        return
    code, _, err = run(["build"], cwd=edition_with("script-in-content", tmp_path))
    assert code == 70
    assert err.splitlines() == ["edition: internal error: RuntimeError: a simulated bug",
                                "This is a bug in edition, not in your files. Run again with --debug for the "
                                "traceback."]
