"""The `edition` command: build | validate. Exit codes are those of diagnostics.ExitCode, documented in the README."""

from __future__ import annotations

import shlex
import sys
from contextlib import contextmanager
from pathlib import Path

import click
import rich.progress
from rich.console import Console

from . import __version__
from .build import build as build_edition
from .build import register_anchors, validate_paths
from .diagnostics import ExitCode, Report, display_path
from .ids import number_files
from .scaffold import new_edition
from .serve import run_preview

# Diagnostics carry the user's text: print it as it is, never as rich markup.
_err = Console(stderr=True, highlight=False, markup=False, soft_wrap=True)
_out = Console(highlight=False, markup=False, soft_wrap=True)


class EditionGroup(click.Group):
    """A click group whose usage errors exit with ExitCode.USAGE and whose crashes name --debug."""

    def main(self, *args, **kwargs):
        arguments = kwargs.get("args") or (args[0] if args else None) or sys.argv[1:]
        debug = "--debug" in arguments
        try:
            return super().main(*args, **kwargs)
        except SystemExit:
            raise
        except Exception as exc:  # a bug of ours, never a user's mistake: say so plainly
            if debug:
                raise
            _err.print(f"edition: internal error: {type(exc).__name__}: {exc}")
            _err.print("This is a bug in edition, not in your files. Run again with --debug for the traceback.")
            sys.exit(ExitCode.INTERNAL)


@click.group(cls=EditionGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="edition")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def main(debug: bool) -> None:
    """Validate TEI transcriptions and build a static, citable edition website from them."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--project", "project_dir", default=".", type=click.Path(file_okay=False, path_type=Path),
              help="The edition's folder, for pointers across files (default: the current folder).")
def validate(paths: tuple[Path, ...], project_dir: Path) -> None:
    """Check TEI files against the edition's schema and rules (all of the edition when no PATHS are given)."""
    report = validate_paths(list(paths), project_dir)
    _print(report)
    errors, warnings = len(report.errors), len(report.warnings)
    if errors:
        _err.print(f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}")
    else:
        _out.print(f"valid: no errors, {warnings} warning{'s' if warnings != 1 else ''}")
    sys.exit(report.exit_code)


@main.command()
@click.argument("project_dir", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Where to write the site (default: the `output` setting, _site).")
@click.option("--check-text", is_flag=True,
              help="Check that every word of each document's TEI text is shown by its page, in one view or the "
                   "other; a word lost is an error, and the site is not written.")
@click.option("--no-search", is_flag=True,
              help="Leave out the search index: a quicker build for previews (the search page then finds nothing).")
@click.option("--clean", is_flag=True,
              help="Make every page anew instead of carrying over the pages of the last build whose inputs are "
                   "unchanged.")
def build(project_dir: Path, out: Path | None, check_text: bool, no_search: bool, clean: bool) -> None:
    """Validate the edition in PROJECT_DIR and, if it is valid, write its site.

    Only what changed since the last build into the same folder is made again: a document whose text,
    neighbours or linked pages changed, and the lists and register pages that show it."""
    with _progress() as progress:
        result = build_edition(project_dir, out, check_text=check_text, search_index=not no_search, clean=clean,
                               progress=progress)
    _print(result.report)
    if result.exit_code is not ExitCode.OK:
        reason = "the site could not be written" if result.exit_code is ExitCode.OUTPUT else \
            f"{len(result.report.errors)} error(s): nothing was written, the previous site is unchanged"
        _err.print(f"build failed: {reason}")
        sys.exit(result.exit_code)
    if check_text:
        _out.print(f"text checked: every word of the {result.documents} documents' texts "
                   f"({result.words_checked} words) is shown")
    index = result.out.resolve() / "index.html"
    _out.print(
        f"built {result.documents} document{'s' if result.documents != 1 else ''}, {result.pages} pages "
        f"in {result.seconds:.1f} s, {len(result.report.warnings)} warning(s)"
    )
    carried = result.documents - result.remade
    _out.print(f"{result.remade} document{'s' if result.remade != 1 else ''} transformed and rendered"
               + (f", {carried} carried over unchanged from the last build" if carried else ""))
    _out.print(f"site written to {display_path(result.out)}/: open {index.as_uri()} in a browser, "
               f"or serve it with: python -m http.server -d {display_path(result.out)}")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--project", "project_dir", default=".", type=click.Path(file_okay=False, path_type=Path),
              help="The edition's folder, whose ids new ids must not repeat (default: the current folder).")
@click.option("--dry-run", is_flag=True, help="List the ids that would be added, without writing any file.")
def ids(paths: tuple[Path, ...], project_dir: Path, dry_run: bool) -> None:
    """Give every paragraph, head, note, item, row and stamp of the text that has no xml:id one.

    Works on the given TEI files (all of the edition when no PATHS are given) and changes nothing else in them.
    """
    run = number_files(list(paths), project_dir, write=not dry_run)
    _print(run.report)
    for numbering in run.numbered if dry_run else run.written:
        _out.print(f"{display_path(numbering.path)}: {numbering.describe(dry_run)}")
    (_err if run.exit_code else _out).print(run.summary(dry_run))
    sys.exit(run.exit_code)


@main.command()
@click.argument("project_dir", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--update", is_flag=True, help="Register the anchors that are new and record current fingerprints.")
def anchors(project_dir: Path, update: bool) -> None:
    """Check the texts against the anchor registry (anchors.lock); with --update, register new anchors."""
    result = register_anchors(project_dir, update)
    _print(result.report)
    if result.registry is not None and update and result.exit_code is not ExitCode.OUTPUT:
        _out.print(f"{display_path(result.registry)}: {result.added} anchor(s) added, "
                   f"{result.updated} fingerprint(s) updated")
    if result.unregistered:
        _out.print(f"{result.unregistered} anchor(s) not registered yet: run edition anchors --update")
    if result.exit_code:
        _err.print(f"anchors: {len(result.report.errors)} error(s)")
    elif not update:
        _out.print("anchors: every registered anchor is published, moved or retired")
    sys.exit(result.exit_code)


@main.command()
@click.argument("target", metavar="DIR", type=click.Path(path_type=Path))
def new(target: Path) -> None:
    """Create a new edition in DIR (a new or empty folder): settings, an example document, registers and pages."""
    result = new_edition(target)
    _print(result.report)
    if result.exit_code:
        _err.print("new: nothing was written")
        sys.exit(result.exit_code)
    _out.print(f"created a new edition in {display_path(target)}/:")
    for path in result.created:
        _out.print(f"  {path.relative_to(target).as_posix()}")
    cd = "" if target.resolve() == Path.cwd() else f"cd {shlex.quote(display_path(target))} && "
    _out.print(f"next: {cd}edition build; the home page, site/pages/index.md, says what to do after that")


@main.command()
@click.argument("project_dir", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="The port on 127.0.0.1 to serve the preview on (0: any free port).")
def serve(project_dir: Path, port: int) -> None:
    """Build the edition in PROJECT_DIR, serve it on 127.0.0.1 and build it again at every change of its files,
    reloading the open page; errors show in the terminal and on the page. Ctrl-C stops it."""
    sys.exit(run_preview(project_dir, port))


class _Bar:
    """A build's progress on a terminal: a bar for the running stage (a spinner where its size is unknown),
    and a line for each stage done."""

    def __init__(self, progress: rich.progress.Progress):
        self._progress = progress
        self._tasks: list = []

    def start(self, stage: str, total: int | None) -> None:
        self._tasks.append(self._progress.add_task(stage, total=total))

    def advance(self, count: int) -> None:
        if self._tasks:
            self._progress.advance(self._tasks[-1], count)

    def finish(self, stage: str, seconds: float) -> None:
        if self._tasks:
            self._progress.remove_task(self._tasks.pop())
        self._progress.console.print(f"  {stage:<11}{seconds:7.1f} s")


class _Lines:
    """A build's progress where no one watches a bar (a log, CI, a pipe): a plain line for each stage done."""

    def start(self, stage: str, total: int | None) -> None:
        pass

    def advance(self, count: int) -> None:
        pass

    def finish(self, stage: str, seconds: float) -> None:
        _out.print(f"  {stage:<11}{seconds:7.1f} s")


@contextmanager
def _progress():
    if not (_err.is_terminal and _out.is_terminal):
        yield _Lines()
        return
    columns = (rich.progress.SpinnerColumn(), rich.progress.TextColumn("{task.description:<11}"),
               rich.progress.BarColumn(), rich.progress.MofNCompleteColumn(), rich.progress.TimeElapsedColumn())
    with rich.progress.Progress(*columns, console=_err, transient=True) as bar:
        yield _Bar(bar)


def _print(report: Report) -> None:
    for diagnostic in report.sorted():
        _err.print(diagnostic.format())
