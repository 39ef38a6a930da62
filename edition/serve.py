"""`edition serve`: a live preview of the edition on 127.0.0.1.

The site is built into a temporary folder, never into the edition's folder: a preview built without its search
index must not be mistaken for the site to publish, and a folder outside the edition cannot be picked up by a
`texts` pattern or set off the watcher. A change to what shapes the site (the texts, the Markdown pages, the
templates, edition.toml, anchors.lock, edition's own stylesheets) builds it again; a build with errors leaves the
last good site served, with the errors listed over it. Every HTML page is served with a small script that asks
the server for the number of its last build and reloads the page when it changes; the files on disk stay
exactly as `edition build` writes them.
"""

from __future__ import annotations

import html
import http.server
import io
import json
import os
import shutil
import signal
import sys
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import Path

import watchfiles
from rich.console import Console

from . import resources, search, transform
from .anchors import REGISTRY_NAME
from .build import Built, BuildResult, build
from .config import CONFIG_NAME, Config, load_config
from .corrections import correct, finish, prepare
from .diagnostics import ExitCode, display_path
from .render import CONTENT_SECURITY_POLICY

# Diagnostics carry the user's text: print it as it is, never as rich markup.
_err = Console(stderr=True, highlight=False, markup=False, soft_wrap=True)
_out = Console(highlight=False, markup=False, soft_wrap=True)

# The preview's own addresses, beside the site's; no page of a site is ever named so.
LIVE = "/__edition/"
# How long the watcher waits for a change before it answers "nothing yet" (milliseconds): the first answer
# says that it is watching, so the first build starts after that, and no change made during it is missed.
WATCH_TIMEOUT_MS = 200


@dataclass(frozen=True)
class BuildState:
    """What the open pages ask about: the number of the last build (every attempt counts) and its errors."""

    number: int = 0
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sources:
    """What shapes the site, as the edition's settings name it: a change to any of it builds the preview again."""

    project: Path
    texts: tuple[str, ...]
    folders: tuple[Path, ...]
    files: frozenset[Path]
    output: Path

    @classmethod
    def read(cls, project: Path, previous: Sources | None = None) -> Sources:
        """The sources named by edition.toml; while it cannot be read, those it named last (it is watched
        itself, so correcting it builds again)."""
        config, _ = load_config(project)
        if config is None and previous is not None:
            return previous
        config = config or Config(title="", project_dir=project)
        folders = [config.pages_dir, resources.XSLT, resources.TEMPLATES, resources.STATIC]
        files = [project / CONFIG_NAME, project / REGISTRY_NAME]
        if config.templates_dir is not None:
            folders.append(config.templates_dir)
        if config.schema_path is not None:
            files.append(config.schema_path)
        return cls(project, tuple(config.texts), tuple(f.resolve() for f in folders),
                   frozenset(f.resolve() for f in files), config.output_dir.resolve())

    def shape(self, path: Path) -> bool:
        """Whether a change to `path` changes the site."""
        if path in self.files:
            return True
        if self._ignored(path):
            return False
        return any(path.is_relative_to(folder) for folder in self.folders) or self.is_text(path)

    def roots(self) -> list[Path]:
        """The folders to watch: the edition's, and those of the sources outside it (edition's own stylesheets
        and templates, when edition is installed rather than checked out)."""
        roots = [self.project]
        for folder in self.folders:
            if folder.is_dir() and not any(folder.is_relative_to(root) for root in roots):
                roots.append(folder)
        return roots

    def _ignored(self, path: Path) -> bool:
        # The published site (which `edition build` may be writing meanwhile), and hidden files and folders:
        # an editor's backups, version control, the staging folders of a build.
        if path.is_relative_to(self.output):
            return True
        for root in (self.project, *self.folders):
            if path.is_relative_to(root):
                return any(part.startswith(".") for part in path.relative_to(root).parts)
        return False

    def is_text(self, path: Path) -> bool:
        """Whether `path` is one of the edition's texts (or may be: see below)."""
        # fnmatch's `*` also crosses folders, so a file that the glob would not select may rebuild (harmless);
        # a glob's `**/` may stand for no folder at all, hence the second form of each pattern.
        if not path.is_relative_to(self.project):
            return False
        relative = path.relative_to(self.project).as_posix()
        return any(fnmatchcase(relative, pattern) or fnmatchcase(relative, pattern.replace("**/", ""))
                   for pattern in self.texts)


class Preview:
    """One edition's preview: where its site is built, the files that shape it, and the state of its last build."""

    def __init__(self, project_dir: Path, folder: Path):
        self.project = project_dir.resolve()
        self.site = folder / "site"
        # The search index of the first complete build, served while rebuilds (without an index) replace the site.
        self.kept = folder / "kept"
        self.wants_index = True
        self.sources = Sources.read(self.project)
        # Replaced whole, never changed in place: the server's threads read it without a lock.
        self.state = BuildState()
        self.built: Built | None = None  # what the last complete build leaves for a quick one (corrections.py)

    def shapes_site(self, _change: watchfiles.Change, path: str) -> bool:
        """The watcher's filter: whether a changed path is one of the sources (as the settings name them now)."""
        return self.sources.shape(Path(path))

    def rebuild(self, changed: set[Path]) -> None:
        """Build the site again after the `changed` files (none: the first build); tell the terminal and the
        open pages how it went."""
        if changed:
            _out.print("changed: " + ", ".join(sorted(display_path(path) for path in changed)))
        if any(path.is_relative_to(resources.XSLT) for path in changed):
            transform.stylesheet.cache_clear()  # compiled once per process: a changed stylesheet must be read again
        with_index = self.wants_index
        try:
            result = quick = None if with_index else self._corrected(changed)
            if result is None:
                result = build(self.project, self.site, search_index=with_index, retain=True)
                self.built = result.built
        except Exception as exc:  # a bug of edition's must not end the preview of someone's work
            errors = (f"internal error: {type(exc).__name__}: {exc} (a bug in edition, not in your files)",)
            _err.print(f"edition: {errors[0]}; still serving the last good site")
        else:
            errors = tuple(d.format() for d in result.report.errors)
            _report(result, quick=quick is not None)
            if with_index:
                self._keep_index(result)
        self.sources = Sources.read(self.project, self.sources)
        self.state = BuildState(self.state.number + 1, errors)

    def idle(self) -> None:
        """What is left for when no change is coming (the watcher's wait ran out): the zip of a quick rebuild,
        and the making ready of the next (corrections.py). A correction saved meanwhile does not wait for it."""
        if self.built is not None:
            try:
                finish(self.built)
                prepare(self.built)
            except OSError as exc:
                self.built = None
                _err.print(f"edition: the preview's site could not be brought up to date ({exc}); the next "
                           "change is built whole")
            except Exception as exc:  # a bug of edition's: the preview goes on with full builds only
                self.built = None
                _err.print(f"edition: internal error: {type(exc).__name__}: {exc} (a bug in edition, not in your "
                           "files); every change will be built whole")

    def _corrected(self, changed: set[Path]) -> BuildResult | None:
        """The quick rebuild when every change is a correction of a text (corrections.py); None otherwise."""
        if self.built is None or not changed or not all(self.sources.is_text(path) for path in changed):
            return None
        built, self.built = self.built, None  # spent, unless the quick rebuild completes
        try:
            result = correct(built, changed)
        except OSError:  # the site could not be written in place: the full build says why, or writes it
            return None
        if result is not None:
            self.built = built
        return result

    def _keep_index(self, result: BuildResult) -> None:
        # Search comes from the first build that completes with it; if the index itself cannot be built, the
        # preview goes on without it rather than fail every rebuild.
        if result.exit_code is ExitCode.OK and (self.site / search.FOLDER).is_dir():
            shutil.copytree(self.site / search.FOLDER, self.kept / search.FOLDER, dirs_exist_ok=True)
        if result.exit_code is not ExitCode.INVALID:
            self.wants_index = False


def run_preview(project_dir: Path, port: int = 8000) -> ExitCode:
    """Serve the edition in `project_dir` on 127.0.0.1:`port` (0: a free port), building it again at every
    change, until Ctrl-C."""
    with tempfile.TemporaryDirectory(prefix="edition-preview-") as folder:
        preview = Preview(project_dir, Path(folder))
        try:
            server = PreviewServer(("127.0.0.1", port), preview)
        except OSError as exc:
            _err.print(f"edition serve: cannot listen on 127.0.0.1:{port}: {exc.strerror or exc}: "
                       "choose another port with --port (0 picks a free one)")
            return ExitCode.USAGE
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        _out.print(f"serving a preview of {display_path(preview.project)} at "
                   f"http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops it)")
        try:
            with _stopped_by_sigterm():
                watch_and_rebuild(preview)
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
            server.server_close()
            thread.join()
    _out.print("preview stopped")
    return ExitCode.OK


@contextmanager
def _stopped_by_sigterm():
    """SIGTERM (a process manager, `kill`, a closed terminal session) stops the preview as Ctrl-C does, so
    that its temporary folder is removed either way."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


def watch_and_rebuild(preview: Preview) -> None:
    """Build the preview, then again after every change to its sources, until Ctrl-C."""
    changes = watchfiles.watch(*preview.sources.roots(), watch_filter=preview.shapes_site,
                               rust_timeout=WATCH_TIMEOUT_MS, yield_on_timeout=True)
    next(changes)  # the watcher is watching once it first answers
    preview.rebuild(set())
    for changed in changes:
        if changed:
            preview.rebuild({Path(path) for _, path in changed})
        else:  # the watcher's "nothing yet"
            preview.idle()


class PreviewServer(http.server.ThreadingHTTPServer):
    """The preview's HTTP server: the site as built, each page with the live script and the last build's errors."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], preview: Preview):
        self.preview = preview
        super().__init__(address, PreviewHandler)

    def handle_error(self, request, client_address) -> None:
        # A reader closing the page mid-answer is no error of the preview's.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """Answers with the site's files, its HTML pages with the preview's additions, and the preview's own files."""

    server: PreviewServer

    def __init__(self, request, client_address, server: PreviewServer):
        super().__init__(request, client_address, server, directory=str(server.preview.site))

    def send_head(self):
        route = self.path.split("?", 1)[0].split("#", 1)[0]
        if route.startswith(LIVE):
            return self._live(route[len(LIVE):])
        file = Path(self.translate_path(self.path))
        if file.is_dir() and route.endswith("/"):
            file = file / "index.html"
        if file.suffix == ".html" or not file.exists():
            return self._page(file)
        return super().send_head()

    def translate_path(self, path: str) -> str:
        found = super().translate_path(path)
        relative = os.path.relpath(found, self.directory)
        if not os.path.exists(found) and relative.split(os.sep)[0] == search.FOLDER:
            return os.path.join(self.server.preview.kept, relative)
        return found

    def end_headers(self) -> None:
        # Every answer is checked again at each reload: a rebuilt stylesheet keeps its old date (copied with it).
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, format, *args) -> None:
        # The terminal is for the edition's diagnostics; the pages' questions, twice a second, would bury them.
        pass

    def _page(self, file: Path):
        state = self.server.preview.state
        try:
            return self._send(200, "text/html; charset=utf-8", with_preview(file.read_bytes(), state))
        except OSError:
            return self._send(404, "text/html; charset=utf-8", with_preview(missing_page(state), state))

    def _live(self, name: str):
        if name == "state":
            state = self.server.preview.state
            return self._send(200, "application/json", json.dumps({"build": state.number,
                                                                   "errors": list(state.errors)}).encode())
        if name in LIVE_FILES:
            return self._send(200, *LIVE_FILES[name])
        return self._send(404, "text/plain; charset=utf-8", b"not a file of the preview\n")

    def _send(self, status: int, content_type: str, body: bytes):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def with_preview(page: bytes, state: BuildState) -> bytes:
    """The page as the preview serves it: the preview's notice, the last build's errors and the live script
    just before </body>."""
    addition = preview_block(state).encode()
    end = page.rfind(b"</body>")
    if end == -1:
        return page + addition
    return page[:end] + addition + page[end:]


def preview_block(state: BuildState) -> str:
    """The preview's additions to a page; every error is escaped, as it carries the text of the user's files."""
    errors, aside = "", 'class="edition-preview"'
    if state.errors:
        count = f"{len(state.errors)} error{'s' if len(state.errors) != 1 else ''}"
        items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in state.errors)
        errors = (f'<div class="edition-preview-errors" role="alert"><p>The edition does not build: {count}. '
                  "This is the last good build; it updates by itself once the files are corrected.</p>"
                  f"<ul>{items}</ul></div>")
        # It scrolls when the errors are many: focusable, so that a keyboard can scroll it too.
        aside = 'class="edition-preview edition-preview-failed" tabindex="0"'
    return (f'<link rel="stylesheet" href="{LIVE}live.css">'
            f'<aside {aside} aria-label="Preview" data-edition-build="{state.number}">'
            f'{errors}<p class="edition-preview-note">Preview by <code>edition serve</code>, built again at every '
            "change. Search may lag behind: it answers from the preview's first build; <code>edition build</code> "
            f'writes the complete site.</p></aside><script src="{LIVE}live.js" defer></script>')


def missing_page(state: BuildState) -> bytes:
    """The answer where the site has no page: before the first build, after a build with errors, or at an
    address the edition does not have."""
    message = "The preview is being built: this page loads by itself when it is ready." if state.number == 0 \
        else 'The preview has no page at this address (yet). Start from <a href="/">the home page</a>.'
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta http-equiv='
            f'"Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n<meta name="viewport" '
            'content="width=device-width, initial-scale=1">\n<title>Preview</title>\n</head>\n<body>\n'
            f"<main>\n<h1>Preview</h1>\n<p>{message}</p>\n</main>\n</body>\n</html>\n").encode()


LIVE_SCRIPT = """\
// edition serve: asks the preview server for the number of its last build twice a second, and reloads the page
// when it differs from the build this page was served from (the site changed, or its errors did).
(function () {
  "use strict";
  var preview = document.querySelector("[data-edition-build]");
  if (!preview) {
    return;
  }
  var served = preview.getAttribute("data-edition-build");

  function ask() {
    fetch("/__edition/state", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (String(state.build) !== served) {
          window.location.reload();
        } else {
          window.setTimeout(ask, 500);
        }
      })
      // The server is stopped or starting again: keep asking, less often.
      .catch(function () { window.setTimeout(ask, 2000); });
  }

  window.setTimeout(ask, 500);
})();
"""

# The colours are the site's own (site/static/edition.css), each at least 4.5:1 against its background.
LIVE_STYLE = """\
/* edition serve: the preview's notice and the last build's errors, added to every page it serves. */
.edition-preview {
  margin: 2rem 0 0;
  padding: 0.75rem 1rem;
  border-top: 1px solid #8c867a;
  background: #fbfaf6;
  color: #1d1d1b;
  font: 0.9rem/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif;
}
/* With errors, the notice stays in view at the bottom of the window, over the last good page. */
.edition-preview-failed {
  position: sticky;
  bottom: 0;
  max-height: 45vh;
  overflow: auto;
  border-top: 4px solid #a4262c;
  background: #fff1f0;
}
.edition-preview-errors p {
  margin: 0 0 0.5rem;
  font-weight: bold;
}
.edition-preview-errors ul {
  margin: 0;
  padding-left: 1.25rem;
}
.edition-preview code {
  font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace;
  overflow-wrap: anywhere;
  white-space: pre-wrap;
}
.edition-preview-note {
  margin: 0.5rem 0 0;
  color: #5a5750;
}
"""

LIVE_FILES = {
    "live.js": ("text/javascript; charset=utf-8", LIVE_SCRIPT.encode()),
    "live.css": ("text/css; charset=utf-8", LIVE_STYLE.encode()),
}


def _report(result: BuildResult, quick: bool = False) -> None:
    """The build's diagnostics and outcome in the terminal, as `edition build` gives them; a `quick` rebuild
    (corrections.py) says so."""
    for diagnostic in result.report.sorted():
        _err.print(diagnostic.format())
    if result.exit_code is not ExitCode.OK:
        _err.print(f"build failed: {len(result.report.errors)} error(s); still serving the last good site")
        return
    if quick:
        _out.print(f"corrected {result.remade} document{'s' if result.remade != 1 else ''} in place in "
                   f"{result.seconds:.2f} s (only the pages that show {'them' if result.remade != 1 else 'it'} "
                   f"made again), {len(result.report.warnings)} warning(s)")
        return
    _out.print(f"built {result.documents} document{'s' if result.documents != 1 else ''}, {result.pages} pages "
               f"in {result.seconds:.1f} s, {len(result.report.warnings)} warning(s)")
