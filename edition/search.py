"""The search index: Pagefind, run over the finished pages in the staging folder before they are published.

Pagefind reads the HTML the way a reader's browser gets it: only the parts of pages marked
`data-pagefind-body` (the reading view of each document, the entries of the registers, the Markdown pages),
with the filters (`data-pagefind-filter`) and metadata (`data-pagefind-meta`) the templates put there. It
writes the index and its JavaScript (`pagefind/pagefind.js`) beside the pages; site/static/search.js asks it.

Pagefind runs as a program that the `pagefind` Python package starts and talks to (its binary comes in the
`pagefind_bin` wheel, so indexing needs no network). That package waits for ever for an answer from a
program that has stopped, so every request here also watches the program, and a failure becomes a
diagnostic naming what Pagefind said.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from .diagnostics import Diagnostic, error

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


class IndexFailure(Exception):
    """Pagefind could not build the index; the message says what happened."""


@dataclass(frozen=True)
class Indexed:
    """What Pagefind did: the HTML files it read and the pages it put in the index."""

    files: int
    pages: int


def index_site(site: Path, out: Path | None = None) -> list[Diagnostic]:
    """Index the finished site in `site` for search; problems are reported at `out`, where it is published."""
    shown = out if out is not None else site
    try:
        build_index(site)
    except IndexFailure as failure:
        return [error(shown, 1, 1, "search-index",
                      f"the search index could not be built: {failure}; the previous site is unchanged")]
    return []


def build_index(site: Path) -> Indexed:
    """Index the pages of `site` with Pagefind and write the index to its `pagefind/` folder."""
    site = site.resolve()
    if (site / FOLDER).exists():
        raise IndexFailure(f"a page of the site is at {FOLDER}/, where the search index goes: "
                           f"give that page another name")
    files = _run(_index(site))
    return Indexed(files=files, pages=indexed_pages(site))


def _run(work):
    """Run the coroutine to its end. A caller with an event loop already running in its thread (a notebook,
    a browser driven from the same thread) cannot start another there, so it runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(work)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, work).result()


def indexed_pages(site: Path) -> int:
    """The number of pages in the index Pagefind wrote to `site`, as its entry file counts them."""
    entry = site / FOLDER / "pagefind-entry.json"
    try:
        languages = json.loads(entry.read_text(encoding="utf-8"))["languages"]
        return sum(language["page_count"] for language in languages.values())
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise IndexFailure(f"Pagefind wrote no readable {FOLDER}/pagefind-entry.json ({exc}): "
                           "reinstall edition with its dependencies (pip install 'pagefind[bin]') and build again")


async def _index(site: Path) -> int:
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
    try:
        # keep_index_url: results link to documents/<id>/index.html, as every link of the site does, so that
        # they work on any server, not only those that serve a folder's index.html for its address.
        index = await _answer(service, service.create_index(
            IndexConfig(exclude_selectors=EXCLUDED, keep_index_url=True)), "starting")
        read = await _answer(service, index.add_directory(str(site)), "reading the pages")
        await _answer(service, index.write_files(output_path=str(site / FOLDER)), "writing the index")
        await _written(site / FOLDER)
    finally:
        await _stop(service)
    return int(read["page_count"])


async def _written(folder: Path, patience: float = 60.0) -> None:
    """Wait until the index Pagefind is writing is on disk: its entry file readable and no file of the folder
    growing. Pagefind answers "written" before its files are, and a program that ends on its input closing
    may not finish them (seen under load as an empty pagefind-entry.json)."""
    loop = asyncio.get_running_loop()
    deadline, last, steady = loop.time() + patience, None, 0
    while loop.time() < deadline:
        now = _sizes(folder)
        steady = steady + 1 if now == last and _readable(folder / "pagefind-entry.json") else 0
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
