"""`edition build`: the stages in order. Every document is read, validated and enriched before anything is written."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from . import resources
from .config import Config, load_config
from .diagnostics import ExitCode, Report, error
from .enrich import enrich
from .load import load_document
from .model import Document
from .render import render
from .transform import transform
from .validate import validate_documents
from .write import OutputError, write_site


@dataclass
class BuildResult:
    """What a build did: its diagnostics, what it wrote and where, and how long it took."""

    report: Report = field(default_factory=Report)
    documents: int = 0
    pages: int = 0
    seconds: float = 0.0
    out: Path | None = None
    exit_code: ExitCode = ExitCode.OK


def load_edition(project_dir: Path) -> tuple[Config | None, list[Document], Report]:
    """Read the settings and every TEI file of the edition, reporting what cannot be read."""
    report = Report()
    config, problems = load_config(project_dir)
    report.extend(problems)
    if config is None:
        return None, [], report
    files = config.text_files()
    if not files:
        report.extend([error(project_dir / "edition.toml", 1, 1, "no-texts",
                             f"no TEI files match texts = {config.texts}: add files or correct the pattern")])
    documents = []
    for path in files:
        document, problems = load_document(path)
        report.extend(problems)
        if document is not None:
            documents.append(document)
    return config, documents, report


def build(project_dir: Path, out: Path | None = None) -> BuildResult:
    """Load, validate, enrich, transform, render, write: in that order, stopping before writing on any error."""
    started = time.perf_counter()
    result = BuildResult()
    config, documents, result.report = load_edition(project_dir)
    if config is not None:
        result.report.extend(validate_documents(documents))
    if result.report.errors or config is None:
        result.exit_code = ExitCode.INVALID
        return result
    edition = enrich(config, documents)
    result.report.extend(transform(edition))
    pages, problems = render(edition)
    result.report.extend(problems)
    if result.report.errors:
        result.exit_code = ExitCode.INVALID
        return result
    result.out = out if out is not None else config.output_dir
    try:
        result.pages = write_site(pages, resources.STATIC, result.out)
    except (OutputError, OSError) as exc:
        result.report.extend([error(result.out, 1, 1, "output", str(exc))])
        result.exit_code = ExitCode.OUTPUT
        return result
    result.documents = len(edition.documents)
    result.seconds = time.perf_counter() - started
    return result


def validate_paths(paths: list[Path], project_dir: Path) -> Report:
    """Check the given files, or the whole edition when none are given.

    Pointers and ids are checked across the edition in project_dir when there is one, so a document's
    references to the registers resolve even when only that document is named.
    """
    if not paths:
        config, documents, report = load_edition(project_dir)
        if config is not None:
            report.extend(validate_documents(documents))
        return report
    report = Report()
    targets = []
    for path in expand_paths(paths):
        document, problems = load_document(path)
        report.extend(problems)
        if document is not None:
            targets.append(document)
    others = {}
    if (project_dir / "edition.toml").is_file():
        _, edition_documents, _ = load_edition(project_dir)
        others = {d.path.resolve(): d for d in edition_documents}
    for document in targets:
        others.pop(document.path.resolve(), None)
    report.extend(validate_documents(targets, context=targets + list(others.values())))
    return report


def expand_paths(paths: list[Path]) -> list[Path]:
    files = []
    for path in paths:
        files.extend(sorted(path.rglob("*.xml")) if path.is_dir() else [path])
    return files


