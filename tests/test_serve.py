"""`edition serve`, the live preview, run as a reader runs it: the command in a process of its own, on a free port of
127.0.0.1, over a copy of tests/editions/valid that the tests change, break and correct while it runs, and
stopped with Ctrl-C (SIGINT). Waits poll the served pages until they change, with a generous limit that only
ends a test that would otherwise hang; no test measures time."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from edition import resources
from edition.serve import Sources
from sitecheck import accessibility_violations

PAGE = "documents/earlier/"
TEXT = "texts/earlier.xml"
LIVE_SCRIPT = '<script src="/__edition/live.js" defer></script>'
BANNER = 'class="edition-preview-errors" role="alert"'
PATIENCE = 60  # seconds before a wait gives up: a hang, not a slow machine
BROWSER_PATIENCE = PATIENCE * 1000


def wait_for(condition, what: str):
    """The first true value of `condition()`, asked again and again; the test fails if it never comes."""
    deadline = time.monotonic() + PATIENCE
    while not (value := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.05)
    return value


def _ctrl_c_heard() -> None:
    # A test suite started in the background by a shell (`pytest &`) ignores SIGINT, and so would the preview
    # it starts, as a reader's terminal does not: Ctrl-C reaches it as it reaches a command a reader types.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class RunningPreview:
    """`edition serve PROJECT --port 0` in a process of its own: its address, what it printed, its temporary
    folder (TMPDIR, so that the test can see it written and removed)."""

    def __init__(self, project: Path, temporary: Path):
        self.project, self.temporary = project, temporary
        self.printed: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "edition", "serve", ".", "--port", "0"], cwd=project,
            env={**os.environ, "TMPDIR": str(temporary), "PYTHONUNBUFFERED": "1", "PYTHONFAULTHANDLER": "1"},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, preexec_fn=_ctrl_c_heard)
        threading.Thread(target=self._read, daemon=True).start()
        self.port = int(wait_for(self._port, "the preview's address"))
        self.base = f"http://127.0.0.1:{self.port}/"

    def _read(self) -> None:
        # Read as it comes, so that the process never waits on a full pipe.
        for line in self.process.stdout:
            self.printed.append(line)

    def _port(self) -> str | None:
        if self.process.poll() is not None:
            pytest.fail(f"edition serve ended at once:\n{''.join(self.printed)}")
        found = re.search(r"at http://127\.0\.0\.1:(\d+)/", "".join(self.printed))
        return found.group(1) if found else None

    def get(self, path: str) -> tuple[int, str, str]:
        """The status, content type and text of the preview's answer at `path`."""
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return response.status, response.headers["Content-Type"], response.read().decode("utf-8")
        except urllib.error.HTTPError as answer:
            return answer.code, answer.headers["Content-Type"], answer.read().decode("utf-8")

    def page_once(self, condition) -> str | None:
        """The document page, when it is served and `condition` holds for its HTML."""
        status, _, text = self.get(PAGE)
        return text if status == 200 and condition(text) else None

    def stop(self, how: signal.Signals = signal.SIGINT) -> int:
        """Ctrl-C, as a reader stops it (or another signal); its exit code. A preview that does not stop is
        made to show where each of its threads stands (SIGABRT, with the fault handler on), and the test fails
        with what it printed."""
        self.process.send_signal(how)
        try:
            return self.process.wait(timeout=PATIENCE)
        except subprocess.TimeoutExpired:
            self.process.send_signal(signal.SIGABRT)
            self.process.wait(timeout=PATIENCE)
            time.sleep(1)  # the reading thread takes the last lines
            pytest.fail(f"the preview did not stop on {how.name}:\n{''.join(self.printed)}")


@pytest.fixture
def preview(edition_copy, tmp_path):
    """The preview of a copy of the valid mini edition, running once its first build is served."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    running = RunningPreview(edition_copy("valid"), temporary)
    wait_for(lambda: running.page_once(lambda html: "HE LEFT." in html), "the first build")
    # The site is in place a moment before the build has ended and the preview counts it.
    wait_for(lambda: json.loads(running.get("__edition/state")[2])["build"] == 1, "the first build to end")
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.wait()


def edit(path: Path, old: str, new: str) -> int:
    """Replace `old` (which must be there) by `new` in the file; the line where it was."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[:text.index(old)].count("\n") + 1


def test_every_page_is_served_with_the_live_script_added_to_the_answer_only(preview):
    status, kind, page = preview.get(PAGE)
    assert (status, kind) == (200, "text/html; charset=utf-8")
    assert page.index(LIVE_SCRIPT) + len(LIVE_SCRIPT) == page.rindex("</body>")
    assert '<link rel="stylesheet" href="/__edition/live.css">' in page
    assert "Search may lag behind" in page
    assert BANNER not in page
    built = list(preview.temporary.glob("edition-preview-*/site/documents/earlier/index.html"))
    assert len(built) == 1 and "/__edition/" not in built[0].read_text(encoding="utf-8")
    assert not (preview.project / "_site").exists(), "the preview wrote into the edition's folder"

    status, kind, script = preview.get("__edition/live.js")
    assert (status, kind) == (200, "text/javascript; charset=utf-8") and "location.reload()" in script
    assert preview.get("__edition/live.css")[:2] == (200, "text/css; charset=utf-8")
    status, kind, state = preview.get("__edition/state")
    assert (status, kind, json.loads(state)) == (200, "application/json", {"build": 1, "errors": []})
    assert preview.get("pagefind/pagefind.js")[0] == 200, "the first build's search index is served"
    status, _, missing = preview.get("documents/nowhere/")
    assert status == 404 and LIVE_SCRIPT in missing


def test_a_change_is_served_after_the_rebuild_and_an_error_shows_over_the_last_good_page(preview):
    text = preview.project / TEXT
    edit(text, "HE LEFT.", "HE DEPARTED.")
    wait_for(lambda: preview.page_once(lambda html: "HE DEPARTED." in html), "the changed word")
    assert preview.get("pagefind/pagefind.js")[0] == 200, "search lags behind, but is still there"

    line = edit(text, "</body>", "</bdy>")
    page = wait_for(lambda: preview.page_once(lambda html: BANNER in html), "the error banner")
    assert f"<code>{TEXT}:{line}:" in page
    assert "&lt;/bdy&gt;" in page and "</bdy>" not in page, "the error's text is escaped"
    assert "HE DEPARTED." in page, "the last good page is still served"
    assert f"{TEXT}:{line}:" in "".join(preview.printed), "the error is in the terminal too"
    state = json.loads(preview.get("__edition/state")[2])
    assert len(state["errors"]) == 1 and state["errors"][0].startswith(f"{TEXT}:{line}:")

    edit(text, "</bdy>", "</body>")
    page = wait_for(lambda: preview.page_once(lambda html: BANNER not in html), "the banner to go")
    assert "HE DEPARTED." in page and LIVE_SCRIPT in page
    assert preview.process.poll() is None, "the preview is still running"


def test_a_correction_is_made_in_place_and_anything_else_goes_to_the_full_build(preview):
    text = preview.project / TEXT
    # The first build made a search index, which a quick rebuild does not make: the first change is built whole.
    edit(text, "HE LEFT.", "HE DEPARTED.")
    wait_for(lambda: preview.page_once(lambda html: "HE DEPARTED." in html), "the changed word")
    assert "corrected" not in "".join(preview.printed)

    edit(text, "HE DEPARTED.", "HE WENT AWAY.")
    wait_for(lambda: preview.page_once(lambda html: "HE WENT AWAY." in html), "the corrected word")
    wait_for(lambda: "corrected 1 document in place" in "".join(preview.printed), "the quick rebuild's line")

    # A title is shown on other pages: the full build makes them.
    built_lines = "".join(preview.printed).count("\nbuilt ")
    edit(text, "<title type=\"main\">", "<title type=\"main\">Retitled ")
    wait_for(lambda: preview.page_once(lambda html: "Retitled" in html), "the new title")
    wait_for(lambda: "".join(preview.printed).count("\nbuilt ") > built_lines, "the full build's line")


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_or_sigterm_stops_the_preview_closes_its_port_and_removes_its_folder(preview, how):
    assert preview.stop(how) == 0
    assert "preview stopped" in "".join(preview.printed)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", preview.port), timeout=5).close()
    assert list(preview.temporary.iterdir()) == []


def test_a_port_in_use_is_a_usage_error(run, edition_copy):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, _, err = run(["serve", edition_copy("valid"), "--port", port])
    assert code == 2
    assert f"cannot listen on 127.0.0.1:{port}" in err and "--port (0 picks a free one)" in err


def test_only_the_files_that_shape_the_site_set_off_a_rebuild(edition_copy):
    project = edition_copy("valid").resolve()
    (project / "layout").mkdir()
    (project / "edition.toml").write_text('title = "T"\ntexts = "**/*.xml"\ntemplates = "layout"\n')
    sources = Sources.read(project)
    assert sources.texts == ("**/*.xml",), "the settings were read"
    for shaping in ["texts/earlier.xml", "texts/new/one.xml", "top.xml", "edition.toml", "anchors.lock",
                    "site/pages/index.md", "layout/base.html"]:
        assert sources.shape(project / shaping), shaping
    for other in ["_site/sitemap.xml", "texts/.earlier.xml.swp", ".git/index", "._site.building-1/a.xml",
                  "notes.txt", "texts/earlier.txt"]:
        assert not sources.shape(project / other), other
    for own in [resources.XSLT / "notes.xsl", resources.TEMPLATES / "base.html", resources.STATIC / "edition.css"]:
        assert sources.shape(own), own


@pytest.fixture
def watched_page(page):
    """The browser's page, with every console error and uncaught exception collected (a policy violation is one)."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda exception: errors.append(str(exception)))
    page.errors = errors
    return page


def test_the_open_page_reloads_by_itself_after_each_change(watched_page, preview):
    page, text = watched_page, preview.project / TEXT
    page.goto(preview.base + PAGE)
    expect(page.locator("main")).to_contain_text("HE LEFT.")
    page.evaluate("window.notReloaded = true")  # gone once the page is loaded again

    edit(text, "HE LEFT.", "HE DEPARTED.")
    expect(page.locator("main")).to_contain_text("HE DEPARTED.", timeout=BROWSER_PATIENCE)
    assert page.evaluate("window.notReloaded") is None

    line = edit(text, "</body>", "</bdy>")
    expect(page.get_by_role("alert")).to_contain_text(f"{TEXT}:{line}:", timeout=BROWSER_PATIENCE)
    expect(page.locator("main")).to_contain_text("HE DEPARTED.")

    edit(text, "</bdy>", "</body>")
    expect(page.get_by_role("alert")).to_have_count(0, timeout=BROWSER_PATIENCE)
    assert page.errors == [], "the browser logged errors (a Content-Security-Policy violation is one)"


def test_the_error_banner_is_accessible(watched_page, preview):
    page = watched_page
    page.goto(preview.base + PAGE)
    edit(preview.project / TEXT, "</body>", "</bdy>")
    expect(page.get_by_role("alert")).to_be_visible(timeout=BROWSER_PATIENCE)
    assert accessibility_violations(page) == []
    assert page.errors == []
