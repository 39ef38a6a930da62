"""The checkers run over a built site: internal links and fragments, the Nu HTML Checker (pages and
stylesheets), axe-core in Chromium. Each returns its findings as lines (empty when the site passes), so a
test can show them all and a test on a deliberately broken site can name the finding it expects.

The tools come from outside Python: Chromium (Debian's `chromium`), Java, and the npm packages of
tests/checkers/ (axe-core, vnu-jar). Where one is missing the tests that need it skip with the reason, except
in CI (`CI=true`, set by .ci/run), where a skip would hide a check that must run, so it fails instead."""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from lxml import html

CHECKERS = Path(__file__).resolve().parent / "checkers" / "node_modules"
AXE = CHECKERS / "axe-core" / "axe.min.js"
VNU = CHECKERS / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL_CHECKERS = "npm ci --ignore-scripts --prefix tests/checkers"

# Debian's Chromium in a closed network: no sandbox (CI runs as root), and none of the background
# connections it would otherwise try at every start.
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"]


def require(reason: str):
    """Skip the test for a missing tool, saying which; in CI, fail: there every check must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must install it: see .ci/run)")
    pytest.skip(reason)


def chromium() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if not found:
        require("Chromium is not installed (Debian: apt-get install chromium): the browser tests need it")
    return found


def java() -> str:
    found = shutil.which("java")
    if not found:
        require("Java is not installed (Debian: apt-get install default-jre-headless): the Nu HTML Checker needs it")
    return found


def checker(path: Path) -> Path:
    if not path.is_file():
        require(f"{path.relative_to(CHECKERS.parent.parent.parent)} is missing: install the checkers with "
                f"`{INSTALL_CHECKERS}`")
    return path


@contextmanager
def serve(folder: Path):
    """The folder over HTTP on 127.0.0.1 (a free port) while the block runs; yields the base address."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def html_pages(site: Path) -> list[str]:
    """Every HTML page of the site, by its path below the site's root."""
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


def internal_links(site: Path):
    """(page, href) for every link and resource of every HTML page that stays on the site."""
    for path in sorted(site.rglob("*.html")):
        root = html.parse(str(path)).getroot()
        for href in root.xpath("//a/@href | //link/@href | //script/@src | //img/@src"):
            parts = urlsplit(href)
            if not parts.scheme and not parts.netloc:
                yield path, href


def broken_links(site: Path) -> list[str]:
    """Every internal link whose file is missing, or whose fragment names no id of the page it leads to."""
    broken = []
    ids: dict[Path, set[str]] = {}
    for path, href in internal_links(site):
        parts = urlsplit(href)
        target = (path.parent / unquote(parts.path)).resolve() if parts.path else path.resolve()
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            broken.append(f"{path.relative_to(site)}: {href} (no such file)")
            continue
        if parts.fragment and target.suffix == ".html":
            if target not in ids:
                ids[target] = set(html.parse(str(target)).getroot().xpath("//@id"))
            if unquote(parts.fragment) not in ids[target]:
                broken.append(f"{path.relative_to(site)}: {href} (no such anchor)")
    return broken


def html_errors(site: Path, base_url: str = "") -> list[str]:
    """The Nu HTML Checker's errors and warnings over every HTML page of the site, as `page:line: message`.
    `base_url` is the site's own address (the `base_url` setting), which the pages' security policy calls
    'self'."""
    return _vnu(site, ["--also-check-css", "--skip-non-html", str(site)],
                keep=lambda message: not _policy_artefact(message, base_url))


def css_errors(site: Path) -> list[str]:
    """The Nu HTML Checker's errors and warnings over every stylesheet of the site."""
    return _vnu(site, ["--css", *map(str, sorted(site.rglob("*.css")))])


def _vnu(site: Path, arguments: list[str], keep=lambda message: True) -> list[str]:
    command = [java(), "-jar", str(checker(VNU)), "--format", "json", *arguments]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    # vnu writes its JSON report to stderr and exits 1 when it found errors.
    report = json.loads(result.stderr)
    return [f"{Path(urlsplit(m.get('url', '')).path).relative_to(site.resolve())}:{m.get('lastLine', '?')}: "
            f"{m['type']}{'/' + m['subType'] if m.get('subType') else ''}: {m['message']}"
            for m in report["messages"] if keep(m)]


_OWN_RESOURCE = re.compile(r"^Resource violates Content Security Policy \(meta tag\): external (?:stylesheet|script) "
                           r"“([^”]*)” blocked by “(?:style|script)-src” directive\.$")


def _policy_artefact(message: dict, base_url: str) -> bool:
    """The checker's policy warnings that no browser gives. It reads the pages as files, whose origin no 'self'
    matches, so it calls the site's own stylesheets and scripts blocked; and it counts a JSON data block
    (<script type="application/ld+json">) as an inline script, which browsers never run and the policy does not
    govern. A resource from elsewhere, a script that runs, or an inline style is still reported, and the
    browser tests fail on any policy violation Chromium reports."""
    resource = _OWN_RESOURCE.match(message["message"])
    if resource:
        address = resource.group(1)
        return not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", address) or bool(base_url and address.startswith(base_url))
    if message["message"].startswith("Inline script violates Content Security Policy"):
        start = message.get("hiliteStart", 0)
        element = message.get("extract", "")[start:start + message.get("hiliteLength", 0)]
        return bool(re.fullmatch(r'<script type="application/(?:ld\+)?json"[^>]*>', element))
    return False


def accessibility_violations(page) -> list[str]:
    """axe-core's violations, at every impact level, on the page open in the Playwright `page`."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(checker(AXE).read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [f"{page.url}: {v['id']} ({v['impact']}): {v['help']}: {', '.join(str(n['target']) for n in v['nodes'])}"
            for v in result["violations"]]
