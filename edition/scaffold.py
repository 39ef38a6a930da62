"""`edition new`: a new edition's folder, copied from the scaffold in site/new-edition/, which builds at once."""

from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, ExitCode, Report, error
from .resources import NEW_EDITION

# Moved into an existing folder last, so that a run interrupted while filling it leaves no settings behind,
# and nothing that looks like a finished edition.
_SETTINGS = "edition.toml"


@dataclass
class NewEdition:
    """What `edition new` did: the files it created, or why it wrote nothing."""

    target: Path
    created: list[Path] = field(default_factory=list)
    report: Report = field(default_factory=Report)
    exit_code: ExitCode = ExitCode.OK


def new_edition(target: Path) -> NewEdition:
    """Copy the scaffold into target, created if absent; write nothing into a file or a folder that is not empty."""
    result = NewEdition(target)
    try:
        refusal = _refusal(target)
        if refusal is None:
            _copy_into_place(target.resolve())
    except OSError as exc:
        return _failed(result, ExitCode.OUTPUT, error(
            target, 1, 1, "new-unwritable",
            f"cannot create the edition here: {_reason(exc)}; choose a folder you can write to"))
    if refusal is not None:
        return _failed(result, ExitCode.USAGE, refusal)
    result.created = [target / path for path in scaffold_files()]
    return result


def scaffold_files() -> list[Path]:
    """Every file of the scaffold, relative to it, in a stable order."""
    return sorted(path.relative_to(NEW_EDITION) for path in NEW_EDITION.rglob("*") if path.is_file())


def _refusal(target: Path) -> Diagnostic | None:
    if target.exists() and not target.is_dir():
        return error(target, 1, 1, "new-not-a-folder",
                     "this is a file, not a folder: give the path of a new or empty folder for the edition")
    if target.is_dir() and any(target.iterdir()):
        return error(target, 1, 1, "new-not-empty",
                     "this folder is not empty, and `edition new` never writes over files: give the path of "
                     "a new or empty folder for the edition")
    return None


def _reason(exc: OSError) -> str:
    return f"{exc.strerror}: '{exc.filename}'" if exc.strerror and exc.filename else str(exc)


def _failed(result: NewEdition, code: ExitCode, problem: Diagnostic) -> NewEdition:
    result.report.extend([problem])
    result.exit_code = code
    return result


def _copy_into_place(target: Path) -> None:
    """Write the scaffold to a folder beside target, then rename it (or, into an existing empty folder, its
    entries) into place, so that an interrupted run leaves no half-made edition."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-", dir=target.parent))
    try:
        _fill(staging)
        staging.chmod(0o755)
        if target.is_dir():
            _move_into(staging, target)
        else:
            os.rename(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _fill(staging: Path) -> None:
    # Contents only, never modes: the installed scaffold may be read-only, the editor's copy must not be.
    for relative in scaffold_files():
        copy = staging / relative
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes((NEW_EDITION / relative).read_bytes())


def _move_into(staging: Path, target: Path) -> None:
    """Move the staged entries into an existing empty folder, undoing the moves if one fails.

    The folder itself is kept, not replaced: it may be the editor's working folder (`edition new .`), and a
    shell standing in a replaced folder would see nothing of the new edition."""
    moved: list[Path] = []
    try:
        for entry in sorted(staging.iterdir(), key=lambda path: path.name == _SETTINGS):
            os.rename(entry, target / entry.name)
            moved.append(target / entry.name)
    except BaseException:
        for path in moved:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        raise
