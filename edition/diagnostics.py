"""Located problems (file, line, column, level, code, message) and the exit codes they lead to."""

from __future__ import annotations

import enum
import os
from dataclasses import dataclass
from pathlib import Path


class ExitCode(enum.IntEnum):
    """The documented exit codes of every `edition` command."""

    OK = 0
    INVALID = 1  # an input (a TEI file or edition.toml) has errors; nothing was written
    USAGE = 2  # the command line is wrong: unknown option, missing path
    OUTPUT = 3  # the site could not be written (permissions, disk, an output folder we must not replace)
    INTERNAL = 70  # a bug in edition, not in the user's files (EX_SOFTWARE of sysexits.h)


class Level(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in one place of one file."""

    path: Path
    line: int
    col: int
    level: Level
    code: str
    message: str

    def format(self) -> str:
        """The line a person reads: `path:line:col: level: message [code]`."""
        return f"{display_path(self.path)}:{self.line}:{self.col}: {self.level.value}: {self.message} [{self.code}]"


def error(path: Path, line: int, col: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(Path(path), line or 1, col or 1, Level.ERROR, code, message)


def warning(path: Path, line: int, col: int, code: str, message: str) -> Diagnostic:
    return Diagnostic(Path(path), line or 1, col or 1, Level.WARNING, code, message)


def display_path(path: Path) -> str:
    """The path relative to the working directory when it lies below it, else as given."""
    try:
        return os.path.relpath(path) if Path(path).resolve().is_relative_to(Path.cwd()) else str(path)
    except (OSError, ValueError):
        return str(path)


class Report:
    """Every diagnostic of a run, in file and line order, and the exit code they add up to."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def extend(self, diagnostics) -> None:
        self.diagnostics.extend(diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level is Level.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level is Level.WARNING]

    @property
    def exit_code(self) -> ExitCode:
        return ExitCode.INVALID if self.errors else ExitCode.OK

    def sorted(self) -> list[Diagnostic]:
        return sorted(set(self.diagnostics), key=lambda d: (str(d.path), d.line, d.col, d.code, d.message))


def element_column(source_lines: list[str], element) -> tuple[int, int]:
    """Line and column of an element's start tag.

    libxml2 records only the line of an element (the line where its start tag ends), so the column is found
    by looking for `<name` on that line, counting elements of the same name that share it; a start tag that
    spans lines is found by looking upwards.
    """
    line = element.sourceline or 1
    qname = _qualified_name(element)
    needle = "<" + qname
    same_line = [
        e for e in element.getroottree().iter(element.tag) if e.sourceline == element.sourceline
    ]
    index = same_line.index(element) if element in same_line else 0
    for candidate in range(line, max(line - 50, 0), -1):
        text = source_lines[candidate - 1] if candidate - 1 < len(source_lines) else ""
        starts = [i for i in _find_all(text, needle) if _ends_name(text, i + len(needle))]
        if starts:
            if candidate == line:
                return line, starts[min(index, len(starts) - 1)] + 1
            return candidate, starts[-1] + 1
    return line, 1


def _qualified_name(element) -> str:
    local = element.tag.split("}", 1)[-1] if isinstance(element.tag, str) else ""
    prefix = element.prefix
    return f"{prefix}:{local}" if prefix else local


def _find_all(text: str, needle: str):
    start = text.find(needle)
    while start != -1:
        yield start
        start = text.find(needle, start + 1)


def _ends_name(text: str, index: int) -> bool:
    return index >= len(text) or text[index] in " \t\r\n/>"
