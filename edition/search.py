"""The search index: Pagefind, run over the finished pages in the staging folder before they are published.

Pagefind reads the HTML the way a reader's browser gets it: only the parts of pages marked
`data-pagefind-body` (the reading view of each document, the entries of the registers, the Markdown pages),
with the filters (`data-pagefind-filter`) and metadata (`data-pagefind-meta`) the templates put there. It
writes the index and its JavaScript (`pagefind/pagefind.js`) beside the pages; site/static/search.js asks it.

An edition of more than BUNDLE_SIZE documents has its documents indexed in bundles, consecutive years of
at most BUNDLE_SIZE documents each, every bundle an index of its own in pagefind/bundles/<name>/; the other
pages (the registers, the Markdown pages) are the main index in pagefind/, and search.js merges the bundles
listed in pagefind/bundles.json into it when a reader searches. Pagefind so holds one bundle at a time,
however large the edition, and a rebuild indexes again only the bundles whose documents changed (the others
are carried over with the pages, build.py). A smaller edition is one index, as searching one index is better:
Pagefind answers a word it does not hold with the longest prefix of it that it does hold ("mona" finds "M."),
so that in merged indexes, a word found in one bundle also brings near misses from the others.

Pagefind runs as a program that the `pagefind` Python package starts and talks to (its binary comes in the
`pagefind_bin` wheel, so indexing needs no network). That package waits for ever for an answer from a
program that has stopped, so every request here also watches the program, and a failure becomes a
diagnostic naming what Pagefind said.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import importlib.metadata
import json
import re
import shutil
import tempfile
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .diagnostics import Diagnostic, error
from .model import VIEWS, Document, view_page

# The folder of the index, below the site's root; search.js loads ../pagefind/pagefind.js from static/.
FOLDER = "pagefind"

# What Pagefind leaves out of the indexed text, so that snippets read as the text does. Filters and
# metadata inside these elements are still read (as with `data-pagefind-ignore`).
EXCLUDED = [
    "[hidden]",  # the filter values and date of a document page, and controls only a script shows
    ".visually-hidden",  # labels for screen readers: "Printed form:", "handwritten:", "corrected:"
    ".note-ref",  # note numbers in the running text ("MONA LISA⁹")
    ".note-back",  # the ↩ from a note back to its place
    ".pilcrow",  # a paragraph's ¶ link and number
    ".document .cite-document",  # the citation of the document: its title and the edition's, once more
    ".document .mentions",  # the identifications of the people and places named: words of the registers,
    # not of the document (each entry has its own page in the index)
]


BUNDLES = "bundles"  # below FOLDER
BUNDLE_LIST = "bundles.json"  # in FOLDER: the bundles' folders, relative to it
BUNDLE_SIZE = 5000
# Folders of the site whose pages are not in the main index: the documents are in the bundles, and the
# documents' lists, the stylesheets and the index itself have nothing to search.
_NOT_MAIN = {"documents", "static", FOLDER}


@dataclass(frozen=True)
class Bundle:
    """Documents indexed together, by their addresses within the site (documents/<id>/)."""

    name: str
    documents: tuple[str, ...]

    @property
    def folder(self) -> str:
        """Where its index is, within the site."""
        return f"{FOLDER}/{BUNDLES}/{self.name}/"

    @property
    def pages(self) -> list[str]:
        """The pages it indexes: each document's reading view."""
        return [f"{url}{view_page(VIEWS[0])}" for url in self.documents]


def index_key() -> str:
    """What every bundle's index depends on besides its pages: Pagefind's version and what it leaves out."""
    try:
        version = importlib.metadata.version("pagefind")
    except importlib.metadata.PackageNotFoundError:
        version = ""
    return json.dumps([version, EXCLUDED])


def document_bundles(documents: Iterable[Document]) -> list[Bundle]:
    """The documents (in chronological order) in bundles of consecutive years, at most BUNDLE_SIZE documents
    each (a year of more split in parts), so that a document added changes only its own year's bundle and
    seldom the bundles' bounds; none when they are not more than BUNDLE_SIZE (one index holds them all)."""
    by_year: dict[str, list[Document]] = {}
    for document in documents:
        year = document.metadata.date[:4]
        by_year.setdefault(year if year.isdigit() else "undated", []).append(document)
    if sum(map(len, by_year.values())) <= BUNDLE_SIZE:
        return []
    parts: list[tuple[str, list[Document]]] = []
    for year, held in by_year.items():
        parts.extend((year if start == 0 else f"{year}-{start // BUNDLE_SIZE + 1}", held[start:start + BUNDLE_SIZE])
                     for start in range(0, len(held), BUNDLE_SIZE))
    bundles: list[tuple[str, list[Document]]] = []
    for name, held in parts:
        if bundles and len(bundles[-1][1]) + len(held) <= BUNDLE_SIZE:
            bundles[-1][1].extend(held)
        else:
            bundles.append((name, list(held)))
    return [Bundle(name, tuple(d.url for d in held)) for name, held in bundles]


class IndexFailure(Exception):
    """Pagefind could not build the index; the message says what happened."""


@dataclass(frozen=True)
class Indexed:
    """What Pagefind did: the HTML files it read and the pages it put in the index."""

    files: int
    pages: int


def index_site(site: Path, out: Path | None, documents: list[str], bundles: Iterable[Bundle] = (),
               carried: Iterable[str] = ()) -> list[Diagnostic]:
    """Index the finished site in `site` for search: the main index and each bundle (document_bundles) of the
    `documents` (their addresses), but those `carried` over (named by folder) from the last site; problems are
    reported at `out`, where it is published."""
    shown = out if out is not None else site
    try:
        build_index(site, documents, list(bundles), set(carried))
    except IndexFailure as failure:
        return [error(shown, 1, 1, "search-index",
                      f"the search index could not be built: {failure}; the previous site is unchanged")]
    return []


def build_index(site: Path, documents: list[str], bundles: list[Bundle],
                carried: set[str] = frozenset()) -> Indexed:
    """Index the pages of `site` with Pagefind: the documents of each bundle in its folder (but those whose
    folder is `carried` over, already there), the other pages in the main index, `pagefind/`, with the
    `documents` (their addresses) when there are no bundles."""
    site = site.resolve()
    if (site / FOLDER).is_file() or (site / FOLDER / "pagefind-entry.json").exists():
        raise IndexFailure(f"a page of the site is at {FOLDER}/, where the search index goes: "
                           f"give that page another name")
    main = main_pages(site) + ([] if bundles else Bundle("", tuple(documents)).pages)
    files = _run(_index(site, main, [b for b in bundles if b.folder not in carried]))
    listed = site / FOLDER / BUNDLE_LIST
    listed.write_text(json.dumps([f"{BUNDLES}/{b.name}/" for b in bundles]) + "\n", encoding="utf-8")
    return Indexed(files=files, pages=sum(indexed_pages(site / b.folder) for b in bundles) + indexed_pages(site / FOLDER))


def _run(work):
    """Run the coroutine to its end. A caller with an event loop already running in its thread (a notebook,
    a browser driven from the same thread) cannot start another there, so it runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work).result()


def indexed_pages(folder: Path) -> int:
    """The number of pages in the index Pagefind wrote to `folder`, as its entry file counts them."""
    entry = folder / "pagefind-entry.json"
    try:
        languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
        return sum(language["page_count"] for language in languages.values())
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise IndexFailure(f"Pagefind wrote no readable {FOLDER}/pagefind-entry.json ({exc}): "
                           "reinstall edition with its dependencies (pip install 'pagefind[bin]') and build again")


def main_pages(site: Path) -> list[str]:
    """The pages outside the documents' folder (paths within the site): the main index holds them."""
    pages = []
    for folder, folders, files in os.walk(site):
        if folder == str(site):
            folders[:] = [f for f in folders if f not in _NOT_MAIN and not f.startswith(".")]
        folders.sort()
        relative = os.path.relpath(folder, site)
        pages.extend(name if relative == "." else f"{Path(relative).as_posix()}/{name}"
                     for name in sorted(files) if name.endswith(".html"))
    return pages


async def _index(site: Path, main: list[str], bundles: list[Bundle]) -> int:
    # Imported here so that the rest of edition works, and says what is missing, without the package.
    try:
        from pagefind.index import IndexConfig
        from pagefind.service import PagefindService
    except ImportError as exc:
        raise IndexFailure(f"the Python package pagefind is not installed ({exc}): "
                           "install edition with its dependencies (pip install 'pagefind[bin]')") from None
    try:
        service = await PagefindService().launch()
    except OSError as exc:
        why = f"{exc.filename}: {exc.strerror}" if exc.filename and exc.strerror else str(exc)
        raise IndexFailure(f"the Pagefind program could not be started ({why}): "
                           "install edition with its dependencies again (pip install 'pagefind[bin]')") from None
    read = 0
    try:
        for pages, folder in [(main, FOLDER), *((b.pages, b.folder) for b in bundles)]:
            # One index at a time, let go once written: Pagefind holds no more than a bundle. Its pages are
            # read by Pagefind itself from a folder of links to them (the package answers one request per
            # tenth of a second, so sending them one by one would take a second for every ten pages).
            with _linked(site, pages) as linked:
                # keep_index_url: results link to documents/<id>/index.html, as every link of the site does, so
                # that they work on any server, not only those that serve a folder's index.html.
                index = await _answer(service, service.create_index(
                    IndexConfig(exclude_selectors=EXCLUDED, keep_index_url=True)), "starting")
                answer = await _answer(service, index.add_directory(str(linked)), "reading the pages")
                read += int(answer["page_count"])
                await _answer(service, index.write_files(output_path=str(site / folder)), "writing the index")
            await _answer(service, index.delete_index(), "writing the index")
        await _written([site / FOLDER, *(site / b.folder for b in bundles)])
    finally:
        await _stop(service)
    return read


@contextlib.contextmanager
def _linked(site: Path, pages: list[str]):
    """A hidden folder in the site holding the pages at their paths, as links to the site's files (copies
    where the file system has no links); removed after, or with the unfinished site if the build is killed."""
    folder = Path(tempfile.mkdtemp(prefix=".pages-", dir=site))
    try:
        for page in pages:
            target = folder / page
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(site / page, target)
            except OSError:
                shutil.copyfile(site / page, target)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


async def _written(folders: list[Path], patience: float = 60.0) -> None:
    """Wait until the indexes Pagefind is writing are on disk: each entry file readable and no file of the
    folders growing. Pagefind answers "written" before its files are, and a program that ends on its input
    closing may not finish them (seen under load as an empty pagefind-entry.json)."""
    loop = asyncio.get_running_loop()
    deadline, last, steady = loop.time() + patience, None, 0
    while loop.time() < deadline:
        now = [_sizes(folder) for folder in folders]
        steady = steady + 1 if now == last and all(_readable(f / "pagefind-entry.json") for f in folders) else 0
        if steady >= 3:
            return
        last = now
        await asyncio.sleep(0.1)


def _sizes(folder: Path) -> dict[str, int]:
    sizes = {}
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):
            sizes[str(path)] = path.stat().st_size
    return sizes


def _readable(entry: Path) -> bool:
    try:
        json.loads(entry.read_text(encoding="utf-8"))["languages"]
    except (OSError, ValueError, KeyError, TypeError):
        return False
    return True


async def _answer(service, request, doing: str):
    """The service's answer to one request, or IndexFailure if Pagefind refuses it or stops meanwhile."""
    asked = asyncio.ensure_future(request)
    # The package's reader of the program's output (private, pagefind 1.5): it ends only when that output
    # cannot be read any more, because the program has stopped or has written something that is no answer
    # (a panic).
    listening = service._poll_task
    await asyncio.wait({asked, listening}, return_when=asyncio.FIRST_COMPLETED)
    if asked.done() and not asked.cancelled():
        problem = asked.exception()
        if problem is None:
            return asked.result()
        if not isinstance(problem, OSError):  # an answer of type Error: (message, the request)
            said = problem.args[0] if problem.args else problem
            raise IndexFailure(f"Pagefind failed while {doing}: {said}: {_advice(doing)}")
    asked.cancel()
    raise IndexFailure(f"Pagefind stopped while {doing}{await _last_words(service)}: {_advice(doing)}")


def _advice(doing: str) -> str:
    if doing == "writing the index":
        return "check that the output folder's disk has space and can be written to, then build again"
    return "build again; if it fails again, reinstall edition with its dependencies (pip install 'pagefind[bin]')"


async def _last_words(service) -> str:
    """The exit status and what a stopped Pagefind last said, as ` (exit status 101: Not a directory)`."""
    listening, program = service._poll_task, service._backend
    said = b""
    if not listening.done():
        listening.cancel()  # it reads the same output as below; what it has not taken stays to be read
        with contextlib.suppress(asyncio.CancelledError):
            await listening
    elif not listening.cancelled():
        said = getattr(listening.exception(), "partial", b"") or b""
    if program.stdout is not None:
        with contextlib.suppress(asyncio.TimeoutError, OSError, RuntimeError):
            said += await asyncio.wait_for(program.stdout.read(), timeout=2)
    try:
        status = await asyncio.wait_for(program.wait(), timeout=2)
    except asyncio.TimeoutError:
        status = None
    text = said.decode("utf-8", "replace")
    # A Rust panic ends with the error's own message, `Os { code: 20, kind: NotADirectory, message: "Not a
    # directory" }`; anything else is shown by its last line.
    found = re.findall(r'message: "([^"]*)"', text)
    lines = [line.strip() for line in text.splitlines()
             if line.strip() and not line.startswith(("note:", "stack backtrace"))]
    words = found[-1] if found else (lines[-1] if lines else "")
    joined = ": ".join(part for part in (f"exit status {status}" if status is not None else "", words) if part)
    return f" ({joined})" if joined else ""


async def _stop(service) -> None:
    """End the Pagefind program and the package's reader of its output, whatever state they are in. The
    program answers "written" before its files are all on disk, so it is first asked to end by closing its
    input, and given time to finish writing; only one that does not end is terminated."""
    program = service._backend
    if program.returncode is None and program.stdin is not None:
        with contextlib.suppress(OSError, RuntimeError):
            program.stdin.close()
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(program.wait(), timeout=60)
    service._poll_task.cancel()
    _terminate(program)
    try:
        await asyncio.wait_for(program.wait(), timeout=10)
    except asyncio.TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            program.kill()
        await program.wait()


def _terminate(program) -> None:
    if program.returncode is None:
        try:
            program.terminate()
        except ProcessLookupError:  # it ended meanwhile
            pass
