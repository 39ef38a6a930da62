"""Full-text search: the Pagefind index the build writes, asked through Pagefind's own JavaScript (run by Node
against the built site served on 127.0.0.1), the failure of indexing as a failed build, and the search page."""

from __future__ import annotations

import contextlib
import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from lxml import etree, html

from conftest import ROOT
from edition import __version__, search
from edition.build import build, read_valid_edition
from edition.render import environment, html_page

TEI = {"tei": "http://www.tei-c.org/ns/1.0"}
SECTO = "documents/secto-8/index.html"
SEARCH_JS = ROOT / "site" / "static" / "search.js"

# Asks the index as the search page does: Pagefind's pagefind.js as an ES module, its files fetched over HTTP,
# and the passages (paragraph anchors) worked out by search.js. Prints one JSON object.
ASK = r"""
import { createRequire } from "node:module";
const [pagefindJs, basePath, searchJs, term, filters] = process.argv.slice(2);
const pagefind = await import(pagefindJs);
await pagefind.options({ basePath });
const { passages, mergeBundles } = createRequire(import.meta.url)(searchJs);
await mergeBundles(pagefind, basePath);
const found = await pagefind.search(term || null, { filters: JSON.parse(filters || "{}") });
const results = [];
for (const result of found.results) {
  const data = await result.data();
  results.push({
    url: data.url, meta: data.meta, content: data.content,
    passages: passages(data).map((p) => ({ id: p.id, text: p.words.map((w) => (w.hit ? `[${w.text}]` : w.text)).join(" ") })),
  });
}
console.log(JSON.stringify({ filters: await pagefind.filters(), results }));
"""


def node() -> str:
    """The Node program; the search tests skip with the reason without it, but fail in CI, where it must be."""
    found = shutil.which("node")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is not installed: the search index is asked through Pagefind's JavaScript")
        pytest.skip("node is not installed: the search index is asked through Pagefind's JavaScript")
    return found


@pytest.fixture(scope="module")
def bundled() -> dict:
    """What the bundled edition holds, from its sources (plain values: they are shown when a test fails)."""
    edition, report = read_valid_edition(ROOT)
    assert edition is not None, [d.format() for d in report.diagnostics]
    config, documents = edition.config, edition.documents
    return {
        "config": config,
        "edition": edition,
        "documents": len(documents),
        "entities": len(edition.entities),
        "registers": len({entity.kind for entity in edition.entities.values()}),
        "markdown": len(list(config.pages_dir.glob("*.md"))),  # index.md is the home page
        "filters": {
            "year": Counter(d.metadata.date[:4] for d in documents if d.metadata.date),
            "type": Counter(d.metadata.document_type.capitalize() for d in documents if d.metadata.document_type),
            "classification": Counter(d.metadata.classification for d in documents if d.metadata.classification),
            "person": Counter(e.name for d in documents for e in d.mentions if e.kind == "person"),
        },
    }


@contextlib.contextmanager
def serving(folder: Path):
    """The folder over HTTP on 127.0.0.1 (a free port), as search needs it: its address; stopped after."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def served(site):
    """The built site over HTTP, for the module's tests."""
    with serving(site) as address:
        yield address


def asking(site: Path, served: str, folder: Path):
    """Search the site served at `served` through Pagefind's JavaScript API: (term, filters) -> {filters,
    results}."""
    script = folder / "ask.mjs"
    script.write_text(ASK)
    program = node()

    def query(term: str = "", filters: dict | None = None) -> dict:
        answer = subprocess.run(
            [program, script, (site / "pagefind" / "pagefind.js").as_uri(), f"{served}/pagefind/", SEARCH_JS,
             term, json.dumps(filters or {})],
            capture_output=True, text=True, timeout=60)
        assert answer.returncode == 0, answer.stderr
        return json.loads(answer.stdout)

    return query


@pytest.fixture(scope="module")
def ask(site, served, tmp_path_factory):
    return asking(site, served, tmp_path_factory.mktemp("node"))


def path_of(url: str, served: str) -> str:
    assert url.startswith(served + "/"), url
    return url[len(served) + 1:]


def test_the_build_indexes_every_searchable_page_and_nothing_else(site, bundled, tmp_path):
    assert (site / "pagefind" / "pagefind.js").is_file()
    assert list((site / "pagefind" / "index").glob("*.pf_index"))
    # The reading view of each document (not the diplomatic one), each register entry and each register's
    # index, each Markdown page and the home page: one index, as the edition is smaller than a bundle.
    expected = bundled["documents"] + bundled["entities"] + bundled["registers"] + bundled["markdown"]
    assert page_count(site / "pagefind") == expected
    assert json.loads((site / "pagefind" / "bundles.json").read_text()) == []
    # The same count from Pagefind's answer when the finished site is indexed again, without its index.
    again = tmp_path / "site"
    shutil.copytree(site, again, ignore=shutil.ignore_patterns("pagefind"))
    indexed = search.build_index(again, [d.url for d in bundled["edition"].documents], [])
    assert indexed.pages == expected
    outside = [p for p in again.rglob("*.html") if p.relative_to(again).parts[0] not in ("documents", "static")]
    assert indexed.files == len(outside) + bundled["documents"]


def page_count(index: Path) -> int:
    written = json.loads((index / "pagefind-entry.json").read_text())
    return sum(language["page_count"] for language in written["languages"].values())


def test_a_larger_edition_is_indexed_in_bundles_and_a_rebuild_indexes_again_only_the_changed_one(
        tmp_path, monkeypatch):
    # Bundles of at most two documents: the bundled edition's five (1962 to 1971) make three.
    monkeypatch.setattr(search, "BUNDLE_SIZE", 2)
    project = tmp_path / "edition"
    shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(
        ".git", "_site", ".ci", "tests", "node_modules", "test-artifacts", "*.egg-info", "__pycache__"))
    site = project / "_site"
    assert build(project, site).exit_code == 0
    assert json.loads((site / "pagefind" / "bundles.json").read_text()) == \
        ["bundles/1962/", "bundles/1964/", "bundles/1971/"]
    assert [page_count(site / "pagefind" / "bundles" / name) for name in ("1962", "1964", "1971")] == [2, 2, 1]

    def entries() -> dict[str, int]:  # each bundle's entry file, by its inode: the same file carried over
        return {path.parent.name: path.stat().st_ino
                for path in (site / "pagefind" / "bundles").glob("*/pagefind-entry.json")}

    first = entries()
    secto = project / "texts" / "secto-8.xml"
    secto.write_text(secto.read_text(encoding="utf-8").replace("MONA LISA", "MONA LISA ZEPHYRQUIX", 1),
                     encoding="utf-8")
    assert build(project, site).exit_code == 0
    second = entries()
    assert sorted(second) == sorted(first)
    assert [name for name in first if first[name] != second[name]] == ["1962"]
    assert build(project, site).exit_code == 0
    assert entries() == second  # nothing changed: every bundle carried over
    with serving(site) as address:
        ask = asking(site, address, tmp_path)
        found = ask("zephyrquix")["results"]
        assert [path_of(r["url"], address) for r in found] == [SECTO]
        # One search and one set of filters over the main index and every bundle.
        assert ask()["filters"]["year"] == {"1962": 1, "1963": 1, "1964": 1, "1965": 1, "1971": 1}
        assert path_of(ask("Mikoyan")["results"][0]["url"], address).startswith("people/")


def test_mona_lisa_leads_to_its_paragraph_of_secto_8(ask, served, site):
    tei = etree.parse(str(ROOT / "texts" / "secto-8.xml"))
    (paragraph,) = tei.xpath("//tei:text//tei:p[.//tei:name[normalize-space() = 'MONA LISA']]/@xml:id",
                             namespaces=TEI)
    assert paragraph == "secto-8-p1"
    answer = ask("Mona Lisa")
    pages = {path_of(result["url"], served): result for result in answer["results"]}
    assert SECTO in pages, sorted(pages)
    assert not [page for page in pages if page.endswith("diplomatic.html")]
    # A register entry is found by its name and identification, not by the passages it quotes, which would
    # only push the documents they come from down the list.
    assert not [page for page in pages if page.startswith(("people/", "places/", "organisations/", "glossary/"))]
    secto = pages[SECTO]
    assert secto["meta"]["title"].startswith("Telegram From Secretary of State Rusk")
    assert secto["meta"]["date"] == "13 December 1962, 11:00 (UTC+01:00)"
    (passage,) = [p for p in secto["passages"] if "[MONA] [LISA]" in p["text"]]
    assert passage["id"] == paragraph
    # The note number after the name is not part of the snippet: the text reads on.
    assert "[MONA] [LISA] TO WASHINGTON" in passage["text"]
    # The anchor is the paragraph on the page the result links to.
    page = html.parse(str(site / SECTO)).getroot()
    (target,) = page.xpath(f"//*[@id='{paragraph}']")
    assert "MONA LISA" in " ".join(target.text_content().split())
    assert target.get("class") == "p"


def test_snippets_leave_out_labels_note_numbers_and_citations(ask, served):
    secto = {path_of(r["url"], served): r for r in ask("Mona Lisa")["results"]}[SECTO]
    content = secto["content"]
    for noise in ["Printed form:", "handwritten:", "Classification marking:", "¶", "↩", "Cite paragraph",
                  "Cite this document", "LISA 9", "Dean RuskCharles"]:
        assert noise not in content, noise
    assert content.startswith("Telegram From Secretary of State Rusk"), content[:80]
    assert "MONA LISA TO WASHINGTON" in content


def test_the_index_offers_the_filters_of_the_documents(ask, bundled, served):
    filters = ask("")["filters"]
    assert {name: Counter(values) for name, values in filters.items()} == bundled["filters"]
    assert filters["year"]["1962"] == 1 and filters["classification"]["Secret"] == 1
    assert filters["type"]["Telegram"] == 2 and filters["person"]["Dean Rusk"] == 1
    # A filter alone, with no words, narrows the documents.
    chosen = ask("", {"year": {"any": ["1962"]}})["results"]
    assert [path_of(r["url"], served) for r in chosen] == [SECTO]
    both = ask("", {"type": {"any": ["Telegram"]}, "person": {"any": ["Dean Rusk", "Roy Ambler"]}})["results"]
    assert sorted(path_of(r["url"], served) for r in both) == [
        "documents/secto-8/index.html", "documents/telegram-1964-06-18/index.html"]


def test_passages_are_split_at_paragraphs_notes_and_headings_not_inside_them():
    data = {
        "content": "Intro words here. First paragraph with Rusk inside. Second one names Rusk too. Tail",
        "locations": [6, 11],
        "anchors": [
            {"element": "div", "id": "p1", "location": 3},
            {"element": "tr", "id": "r1", "location": 4},  # a routing box inside the paragraph
            {"element": "span", "id": "page-2", "location": 5},
            {"element": "a", "id": "n1-ref", "location": 7},
            {"element": "p", "id": "p2", "location": 8},
            {"element": "h2", "id": "notes", "location": 13},
        ],
    }
    script = (f"const {{ passages }} = require({json.dumps(str(SEARCH_JS))});"
              f"console.log(JSON.stringify(passages({json.dumps(data)}, 3, 4)));")
    found = json.loads(subprocess.run([node(), "-e", script], capture_output=True, text=True, check=True,
                                      timeout=60).stdout)
    assert [(p["id"], " ".join(w["text"] for w in p["words"] if w["hit"])) for p in found] == [
        ("p1", "Rusk"), ("p2", "Rusk")]
    assert [w["text"] for w in found[0]["words"]] == ["paragraph", "with", "Rusk", "inside."]
    early = dict(data, locations=[1])
    script = (f"const {{ passages }} = require({json.dumps(str(SEARCH_JS))});"
              f"console.log(JSON.stringify(passages({json.dumps(early)})));")
    (before,) = json.loads(subprocess.run([node(), "-e", script], capture_output=True, text=True, check=True,
                                          timeout=60).stdout)
    assert before["id"] == ""  # before the first paragraph: the page itself


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_index_that_cannot_be_written_fails_the_build_and_keeps_the_previous_site(run, edition_copy,
                                                                                     monkeypatch):
    project = edition_copy("valid")
    assert run(["build"], cwd=project)[0] == 0
    before = _snapshot(project / "_site")
    assert "pagefind/pagefind.js" in before
    # Pointed inside a file, Pagefind cannot create the index's folder, and stops.
    monkeypatch.setattr(search, "FOLDER", "index.html/pagefind")
    settings = project / "edition.toml"
    settings.write_text(settings.read_text().replace("A test edition", "A retitled edition"))
    code, out, err = run(["build"], cwd=project)
    assert code == 3
    lines = [line for line in err.strip().splitlines() if "[search-index]" in line or "build failed" in line]
    assert len(lines) == 2, err
    assert lines[0].startswith("_site:1:1: error: the search index could not be built: Pagefind stopped while "
                               "writing the index (exit status ")
    assert lines[0].endswith(": Not a directory): check that the output folder's disk has space and can be "
                             "written to, then build again; the previous site is unchanged [search-index]")
    assert lines[-1] == "build failed: the site could not be written"
    assert _snapshot(project / "_site") == before
    assert not list(project.glob("._site.building-*"))


def test_a_missing_or_failing_pagefind_fails_the_build(run, edition_copy, monkeypatch, tmp_path):
    project = edition_copy("valid")
    missing = tmp_path / "no-pagefind"
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(missing))
    code, out, err = run(["build"], cwd=project)
    assert code == 3
    assert [line for line in err.strip().splitlines() if "warning" not in line] == [
        f"_site:1:1: error: the search index could not be built: the Pagefind program could not be started "
        f"({missing}: No such file or directory): install edition with its dependencies again "
        f"(pip install 'pagefind[bin]'); the previous site is unchanged [search-index]",
        "build failed: the site could not be written",
    ]
    assert not (project / "_site").exists()
    # A program that stops at once, as a broken install would: the build fails rather than waiting for ever.
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'pagefind: cannot run here' >&2\nexit 1\n")
    broken.chmod(0o755)
    # In a process of its own, so that a build that would wait for ever fails this test instead of hanging it.
    build_run = subprocess.run([sys.executable, "-c", "from edition.cli import main; main()", "build"],
                               cwd=project, capture_output=True, text=True, timeout=120,
                               env=dict(os.environ, PAGEFIND_BINARY_PATH=str(broken)))
    code, err = build_run.returncode, build_run.stderr
    assert code == 3
    assert [line for line in err.strip().splitlines() if "[search-index]" in line] == [
        "_site:1:1: error: the search index could not be built: Pagefind stopped while starting (exit status 1: "
        "pagefind: cannot run here): build again; if it fails again, reinstall edition with its dependencies "
        "(pip install 'pagefind[bin]'); the previous site is unchanged [search-index]"]
    assert not (project / "_site").exists()
    assert not list(project.glob("._site.building-*"))


@pytest.fixture(scope="module")
def search_page(bundled):
    """The search page as render.py renders it: search/index.html, below the site's root."""
    common = {"edition": bundled["config"], "version": __version__, "built": date(2024, 1, 1), "menu": []}
    page = html_page(environment(), "search.html", "search/index.html", common, current="search")
    return html.fromstring(page.content)


def test_the_search_page_has_a_labelled_search_box_and_says_what_search_needs(search_page):
    (field,) = search_page.xpath("//input[@type='search']")
    (label,) = search_page.xpath(f"//label[@for='{field.get('id')}']")
    assert " ".join(label.text_content().split()) == "Search the documents and pages"
    assert search_page.xpath("//form[@role='search']//button[@type='submit']")
    (status,) = search_page.xpath("//*[@role='status']")
    assert not status.xpath("ancestor::*[@hidden]")  # announced even when the search itself cannot start
    (notice,) = search_page.xpath("//*[@id='search-notice']")
    words = " ".join(notice.text_content().split())
    assert "needs the site to be served over HTTP" in words and "file://" in words
    assert "python -m http.server -d _site" in words
    (noscript,) = search_page.xpath("//noscript")
    assert "Search needs JavaScript" in noscript.text_content()
    assert 'href="../documents/index.html"' in etree.tostring(noscript, encoding="unicode")
    scripts = search_page.xpath("//script/@src")
    assert scripts == ["../static/search.js"]
    assert (ROOT / "site" / "static" / "search.js").is_file() and (ROOT / "site" / "static" / "search.css").is_file()


def test_search_js_finds_every_element_it_needs_on_the_page(search_page):
    script = SEARCH_JS.read_text()
    wanted = set(re.findall(r'getElementById\("([^"]+)"\)', script))
    assert wanted >= {"search", "search-status", "search-input", "search-form", "search-results", "search-more"}
    ids = set(search_page.xpath("//@id"))
    assert wanted <= ids, wanted - ids
