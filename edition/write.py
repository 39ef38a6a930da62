"""Writing the site: everything goes to a temporary folder that replaces the output folder only when complete."""

from __future__ import annotations

import ctypes
import itertools
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from .diagnostics import Diagnostic, Level

if TYPE_CHECKING:  # render.py reads the build cache, which asks this module whose a folder is
    from .render import Page

MARKER = ".edition-site"
_RENAME_EXCHANGE = 2
# Folders of the site made whole on every build (the search index by Pagefind, the static files copied): a spare
# site's are set aside rather than brought up to date.
MADE_WHOLE = ("pagefind/", "static/")


class _Kept:
    def __repr__(self) -> str:
        return "KEPT"


# A page's content when the folder the site is written in (the spare) holds it already, as the last site has it.
KEPT = _Kept()


def spare_folder(out: Path) -> Path:
    """Where the site before the last one is kept (`._site.spare` for `_site`)."""
    return out.parent / f".{out.name}.spare"


@dataclass
class Spare:
    """The site before the last, which the last build swapped out and kept beside it (`spare_folder`), to be
    written over by the next build instead of a new folder: it differs from the last site only in what the last
    build made anew (carried pages are links to the same files), so a rebuild after one change writes, links and
    removes a few files instead of linking every file of the site into a new folder."""

    folder: Path
    build: int  # the build that made it: a page last made by then is in it as in the last site
    # The files its pages may have been written as: the last site's (`last`, shared with the build, not copied:
    # a large site has hundreds of thousands) and those it has besides (`only`).
    last: set[str] = field(default_factory=set)
    only: list[str] = field(default_factory=list)


class OutputError(Exception):
    """The site cannot be written where asked; the message says why and what to do."""


def write_site(pages: list[Page], static_dir: Path, out: Path,
               finish: Callable[[Path, Path], list[Diagnostic]] | None = None,
               written: Callable[[int], None] | None = None) -> tuple[int, list[Diagnostic]]:
    """Write the pages and static files as the new `out`; return the number of pages written and what `finish`
    found (see Staging)."""
    staging = Staging(out)
    try:
        staging.write(pages, written)
        found = staging.complete(static_dir, finish)
    except BaseException:
        staging.discard()
        raise
    return (staging.count if not staging.discarded else 0), found


class Staging:
    """A new site being written beside `out`, in a folder that replaces `out` only when it is complete
    (`complete`), so no reader ever sees a half-written site. Pages can be written as they are made, so a
    large edition's pages need not be held in memory all at once. A page without content is carried over from
    the current `out`; a page whose content is a function is written by it (a large download).

    With a `spare`, the new site is written over it instead of into a new folder: a page KEPT is there already,
    every other file is replaced (never written into: it may be a file of the current site too), and the files of
    no page of this build are removed. With `keep_spare`, the current site becomes the spare once swapped out,
    for the next build (`written` says what this build's site holds)."""

    def __init__(self, out: Path, spare: Spare | None = None, keep_spare: bool = False):
        self.out = out.resolve()
        check_output_folder(self.out)
        self.out.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(self.out)
        self.spare, self.keep_spare = spare, keep_spare
        if spare is not None:
            self.folder = self.out.parent / f".{self.out.name}.building-{os.getpid()}-spare"
            try:
                os.rename(spare.folder, self.folder)
            except FileNotFoundError:
                raise OutputError(f"{spare.folder}, the spare copy of the site, went while the site was being "
                                  "built: build again") from None
            _set_aside(self.out, [self.folder / folder for folder in MADE_WHOLE])
        else:
            _set_aside(self.out, [spare_folder(self.out)])
            self.folder = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.building-", dir=self.out.parent))
        self.count = 0
        self.discarded = False
        self.written: set[str] = set()  # the path of every page written, made or carried
        self._folders: set[str] = set()

    def write(self, pages: list[Page], written: Callable[[int], None] | None = None) -> None:
        """Write the pages into the new site; `written(n)` is told of every n pages written (a progress bar)."""
        for page in pages:
            self.count += 1
            if written is not None and self.count % 100 == 0:
                written(100)
            self.written.add(page.path)
            if page.content is KEPT:
                continue
            target = _inside(self.folder, page.path)
            if (folder := os.path.dirname(target)) not in self._folders:
                os.makedirs(folder, exist_ok=True)
                self._folders.add(folder)
            if self.spare is not None:
                _unlink(target)
            if page.content is None:
                _carry_over(f"{self.out}/{page.path}", target)
                continue
            with open(target, "wb") as file:
                if callable(page.content):
                    page.content(file, self.out / page.path)
                else:
                    file.write(page.content if isinstance(page.content, bytes) else page.content.encode("utf-8"))

    def complete(self, static_dir: Path, finish: Callable[[Path, Path], list[Diagnostic]] | None = None,
                 seal: Callable[[], None] | None = None) -> list[Diagnostic]:
        """Add the static files, let `finish(staging, out)` complete the site in its folder (the search index),
        let `seal()` commit the build's state, and swap it in for `out`. If `finish` reports an error,
        the new site is discarded and `out` stays as it was."""
        if self.spare is not None:
            self._remove_stale()
        shutil.copytree(static_dir, self.folder / "static")
        _unlink(str(self.folder / MARKER))
        (self.folder / MARKER).write_text("This folder was written by `edition build` and is replaced by it.\n")
        self.folder.chmod(0o755)
        found = finish(self.folder, self.out) if finish is not None else []
        if any(d.level is Level.ERROR for d in found):
            self.discard()
            return found
        if seal is not None:
            seal()
        _swap_in(self.folder, self.out, spare_folder(self.out) if self.keep_spare else None)
        return found

    def _remove_stale(self) -> None:
        """Remove from the spare the files of its pages that are no page of this build, and the folders they
        leave empty."""
        folders = set()
        for path in itertools.chain(self.spare.last, self.spare.only):
            if path in self.written:
                continue
            target = _inside(self.folder, path)
            if _unlink(target):
                folders.add(os.path.dirname(target))
        for folder in sorted(folders, key=len, reverse=True):
            while folder != str(self.folder):
                try:
                    os.rmdir(folder)
                except OSError:  # not empty: a page is still there, or a folder below it
                    break
                folder = os.path.dirname(folder)

    def discard(self) -> None:
        """Give up the new site: `out` stays as it was."""
        self.discarded = True
        shutil.rmtree(self.folder, ignore_errors=True)


def replace_pages(out: Path, pages: list[Page]) -> None:
    """Replace pages of the complete site in `out`, in place (a preview's quick rebuild, corrections.py): each
    file is written beside its page and renamed over it, never written into, since it may be a file of the
    spare site too (`_carry_over` links them)."""
    for page in pages:
        target = _inside(out, page.path)
        staged = f"{os.path.dirname(target)}/.{os.path.basename(target)}.{os.getpid()}.new"
        try:
            with open(staged, "wb") as file:
                if callable(page.content):
                    page.content(file, Path(target))
                else:
                    file.write(page.content if isinstance(page.content, bytes) else page.content.encode("utf-8"))
            os.replace(staged, target)
        except BaseException:
            _unlink(staged)
            raise


def _unlink(target: str) -> bool:
    try:
        os.unlink(target)
    except FileNotFoundError:
        return False
    return True


def _carry_over(previous: str, target: str) -> None:
    # A page of the last site made from the same inputs: linked, not copied, where the file system allows it
    # (the new site's files are always written anew, never changed in place, so the two sites cannot interfere).
    try:
        os.link(previous, target)
    except OSError:
        shutil.copyfile(previous, target)


def _inside(staging: Path, relative: str) -> str:
    """The page's file in the staging folder; a path that would leave it is a bug (ids and names are checked
    long before), never a file written elsewhere."""
    parts = relative.split("/")
    if relative.startswith("/") or not relative or any(part in ("", ".", "..") for part in parts):
        raise OutputError(f"the page path '{relative}' leads outside the site's folder: nothing was written")
    return os.path.join(staging, *parts)


def check_output_folder(out: Path) -> None:
    """Refuse to replace a folder that edition did not write: it may hold someone's work."""
    if not out.exists():
        return
    if not out.is_dir():
        raise OutputError(f"{out} exists and is not a folder: choose another output folder with --out")
    if (out / MARKER).exists() or not any(out.iterdir()):
        return
    raise OutputError(
        f"{out} exists, is not empty and was not written by edition, so it is left alone: "
        "choose another output folder with --out, or empty it first"
    )


def _swap_in(staging: Path, out: Path, spare: Path | None = None) -> None:
    """Put the site in `staging` in place of `out`; the site it replaces is kept as `spare`, or removed."""
    if not out.exists():
        os.rename(staging, out)
        return
    if spare is not None:
        if _exchange(staging, out):
            os.rename(staging, spare)
        else:
            os.rename(out, spare)
            os.rename(staging, out)
        return
    previous = Path(tempfile.mkdtemp(prefix=f".{out.name}.previous-", dir=out.parent))
    if _exchange(staging, out):
        os.rename(staging, previous / "site")
    else:
        os.rename(out, previous / "site")
        os.rename(staging, out)
    _remove_meanwhile(previous)


def _set_aside(out: Path, folders: list[Path]) -> None:
    """Move each folder that exists out of the way at once, into a folder the next build would remove as a
    leftover, and remove them meanwhile."""
    existing = [folder for folder in folders if folder.exists()]
    if not existing:
        return
    aside = Path(tempfile.mkdtemp(prefix=f".{out.name}.previous-", dir=out.parent))
    for n, folder in enumerate(existing):
        os.rename(folder, aside / str(n))
    _remove_meanwhile(aside)


def _remove_meanwhile(*folders: Path) -> None:
    # The last site is tens of thousands of files and folders: removing them would be most of a rebuild's
    # time. A process of its own removes them while the build ends; what it leaves (the machine stopped
    # first) the next build removes (_remove_leftovers), the same way.
    if not folders:
        return
    try:
        subprocess.Popen([sys.executable, "-c", "import shutil, sys\nfor f in sys.argv[1:]: shutil.rmtree(f, True)",
                          *map(str, folders)], start_new_session=True, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    except OSError:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux renameat2), so no moment exists without a site."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    result = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _remove_leftovers(out: Path) -> None:
    # A build that was killed leaves its staging folder behind, and the last site may still be being removed
    # by the process the last build started: removed meanwhile too, not waited for (the site itself was never
    # touched).
    _remove_meanwhile(*(leftover for pattern in (f".{out.name}.building-*", f".{out.name}.previous-*")
                        for leftover in out.parent.glob(pattern)))
