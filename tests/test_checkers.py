"""The standard checkers over every page of the built site: no broken internal link or fragment, no error of
the Nu HTML Checker, no axe-core violation at any impact level; and proof, on a deliberately broken mini
edition, that each of them fails when it should."""

from __future__ import annotations

import shutil
import tomllib

import pytest

from conftest import EDITIONS, ROOT
from sitecheck import accessibility_violations, broken_links, css_errors, html_errors, html_pages, serve


def test_no_internal_link_or_fragment_is_broken(site) -> None:
    assert broken_links(site) == []


def test_every_page_is_valid_html(site) -> None:
    base_url = tomllib.loads((ROOT / "edition.toml").read_text(encoding="utf-8"))["base_url"]
    assert html_errors(site, base_url) == []


def test_every_stylesheet_is_valid_css(site) -> None:
    assert list(site.rglob("*.css"))
    assert css_errors(site) == []


def test_every_page_passes_the_accessibility_check(site, served_site, page) -> None:
    violations = []
    for path in html_pages(site):
        page.goto(served_site + path)
        violations.extend(accessibility_violations(page))
    assert violations == []


def test_pages_changed_by_their_scripts_pass_the_accessibility_check(served_site, page) -> None:
    """What JavaScript adds is checked too: search results, and a name's popover."""
    page.goto(served_site + "search/index.html")
    page.get_by_label("Search the documents and pages").fill("Mona Lisa")
    page.keyboard.press("Enter")
    page.locator(".search-results a").first.wait_for()
    violations = accessibility_violations(page)
    page.goto(served_site + "documents/secto-8/index.html")
    page.locator("a.name[data-note]").first.focus()
    page.locator("#name-popover").wait_for()
    violations.extend(accessibility_violations(page))
    assert violations == []


BROKEN_HOME = """{% extends "base.html" %}
{% block main %}
<h1>A broken home page</h1>
<p><a href="#nowhere">a fragment that names no id</a></p>
<form action="search/index.html"><input type="text" name="q"></form>
<span><div>a block inside a phrase</div></span>
<script>document.title = "run from the page";</script>
{% endblock %}
"""


@pytest.fixture(scope="module")
def broken_site(tmp_path_factory):
    """A mini edition whose home page template has a broken fragment link, an input without a label and
    invalid HTML."""
    from edition.build import build

    project = tmp_path_factory.mktemp("broken") / "edition"
    shutil.copytree(EDITIONS / "valid", project)
    (project / "layout").mkdir()
    (project / "layout" / "home.html").write_text(BROKEN_HOME)
    with (project / "edition.toml").open("a") as settings:
        settings.write('templates = "layout"\n')
    result = build(project, project / "_site")
    assert result.exit_code == 0, [d.format() for d in result.report.diagnostics]
    return project / "_site"


def test_the_link_check_finds_a_broken_fragment(broken_site) -> None:
    assert broken_links(broken_site) == ["index.html: #nowhere (no such anchor)"]


def test_the_html_check_finds_invalid_html(broken_site) -> None:
    errors = html_errors(broken_site)
    assert [e for e in errors if not e.startswith("index.html:")] == []
    assert any("Element “div” not allowed as child of element “span”" in e for e in errors), errors
    assert any("Inline script violates Content Security Policy" in e for e in errors), errors


def test_the_accessibility_check_finds_a_missing_label(broken_site, page) -> None:
    with serve(broken_site) as base:
        page.goto(base + "index.html")
        violations = accessibility_violations(page)
    assert [v.split(": ")[1] for v in violations] == ["label (critical)"], violations
