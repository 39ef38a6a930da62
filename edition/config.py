"""The edition's settings, read from edition.toml: typed, documented, unknown keys rejected, all errors collected."""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from lxml import etree

from .diagnostics import Diagnostic, error

CONFIG_NAME = "edition.toml"
TEI_NAMESPACE = "http://www.tei-c.org/ns/1.0"
# The values of `schema` that name no file: the edition's own schema and rules, or well-formedness only.
OWN_SCHEMAS = ("edition", "none")


@dataclass(frozen=True)
class Config:
    """Settings of one edition; each field's `doc` says what it does."""

    title: str = field(metadata={"doc": "The edition's title, shown on every page and in citations."})
    subtitle: str = field(default="", metadata={"doc": "A line describing the edition (for citations and feeds)."})
    editors: list[str] = field(default_factory=list, metadata={"doc": "The edition's editors, for citations."})
    publisher: str = field(default="", metadata={"doc": "Who publishes the edition."})
    base_url: str = field(
        default="", metadata={"doc": "The address the site is published at; permalinks start with it."}
    )
    version: str = field(
        default="", metadata={"doc": "The edition's release (e.g. \"1.0\"): on every page and in every citation."}
    )
    language: str = field(default="en", metadata={"doc": "The language of the site's pages (an IETF tag)."})
    texts: list[str] = field(
        default_factory=lambda: ["texts/*.xml"],
        metadata={"doc": "Glob patterns (or one), relative to the project, for the TEI files (documents and registers)."},
    )
    schema: str = field(
        default="edition",
        metadata={"doc": "What the texts are validated against: \"edition\" (the edition's own schema and rules), "
                         "the path of another RELAX NG schema (.rng), or \"none\" (well-formedness only)."},
    )
    document: str = field(
        default="",
        metadata={"doc": "An XPath (prefix tei: for the TEI namespace) selecting the documents within each file, "
                         "e.g. \"//tei:div[@type='document']\" for a FRUS volume (empty: each file is one document)."},
    )
    pages: str = field(
        default="site/pages", metadata={"doc": "Folder of Markdown pages (index.md is the home page)."}
    )
    output: str = field(default="_site", metadata={"doc": "Folder the site is written to."})
    templates: str = field(
        default="", metadata={"doc": "Folder of Jinja2 templates that replace the built-in ones of the same "
                                     "name (empty: the built-in ones only)."}
    )
    menu: list[str] = field(
        default_factory=list,
        metadata={"doc": "The site menu after Home, in order: \"documents\", \"people\", \"organisations\", "
                         "\"places\", \"glossary\", \"search\" and the names of Markdown pages (empty: all)."},
    )
    raw_html: bool = field(
        default=False,
        metadata={"doc": "Whether HTML written in the Markdown pages is passed to the site as it is (false: it is "
                         "shown as text). Only for editions whose pages are written by people you trust."},
    )
    huge_tree: bool = field(
        default=False,
        metadata={"doc": "Lift the XML parser's safety limits (elements nested over 256 deep, texts over 10 MB), "
                         "for genuine files that need it."},
    )
    project_dir: Path = field(default=Path("."), metadata={"doc": "", "internal": True})

    def text_files(self) -> list[Path]:
        """Every TEI file the `texts` patterns select, in a stable order."""
        found: set[Path] = set()
        for pattern in self.texts:
            found.update(p for p in self.project_dir.glob(pattern) if p.is_file())
        return sorted(found)

    @property
    def pages_dir(self) -> Path:
        return self.project_dir / self.pages

    @property
    def schema_path(self) -> Path | None:
        """The RELAX NG file of the `schema` setting; None for the edition's own schema and for none."""
        return None if self.schema in OWN_SCHEMAS else self.project_dir / self.schema

    @property
    def templates_dir(self) -> Path | None:
        return self.project_dir / self.templates if self.templates else None

    @property
    def output_dir(self) -> Path:
        return self.project_dir / self.output


def _options():
    return [f for f in fields(Config) if not f.metadata.get("internal")]


_EXPECTED_TYPES = {"str": str, "list[str]": list}


def load_config(project_dir: Path) -> tuple[Config | None, list[Diagnostic]]:
    """Read `edition.toml` in project_dir; return the settings, or None with every problem found."""
    path = project_dir / CONFIG_NAME
    if not path.is_file():
        return None, [
            error(path, 1, 1, "config-missing",
                  f"no {CONFIG_NAME} here: run the command in an edition's folder or give that folder as argument")
        ]
    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, col = _toml_position(str(exc))
        return None, [error(path, line, col, "config-syntax",
                            f"{_plain_toml_message(_strip_position(str(exc)))}: fix the TOML syntax of {CONFIG_NAME}")]
    if isinstance(raw.get("texts"), str):  # one pattern needs no list around it
        raw["texts"] = [raw["texts"]]
    problems = _check(raw, path, text)
    if problems:
        return None, problems
    return Config(project_dir=project_dir, **raw), []


def _check(raw: dict, path: Path, text: str) -> list[Diagnostic]:
    options = {f.name: f for f in _options()}
    problems = []
    for key, value in raw.items():
        line = _key_line(text, key)
        if key not in options:
            close = difflib.get_close_matches(key, options, n=1)
            hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(sorted(options))}"
            problems.append(error(path, line, 1, "config-unknown-key", f"unknown setting '{key}': {hint}"))
            continue
        expected = str(options[key].type)
        if expected == "list[str]":
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
            wanted = "a list of strings, e.g. [\"texts/*.xml\"]"
        elif expected == "bool":
            ok = isinstance(value, bool)
            wanted = "true or false (without quotes)"
        else:
            ok = isinstance(value, str)
            wanted = "a string in double quotes"
        if not ok:
            problems.append(error(path, line, 1, "config-type", f"setting '{key}' must be {wanted}"))
    problems.extend(_check_schema(raw, path, text))
    problems.extend(_check_document(raw, path, text))
    templates = raw.get("templates")
    if isinstance(templates, str) and templates and not (path.parent / templates).is_dir():
        problems.append(error(path, _key_line(text, "templates"), 1, "config-templates",
                              f"the templates folder '{templates}' does not exist: create it, or remove the "
                              f"setting to use the built-in templates"))
    if "title" not in raw:
        problems.append(error(path, 1, 1, "config-missing-key", "setting 'title' is required: add title = \"…\""))
    return problems


def _check_schema(raw: dict, path: Path, text: str) -> list[Diagnostic]:
    schema = raw.get("schema")
    if not isinstance(schema, str) or schema in OWN_SCHEMAS or (path.parent / schema).is_file():
        return []
    return [error(path, _key_line(text, "schema"), 1, "config-schema",
                  f"schema '{schema}' is not a file: write \"edition\" (the edition's own schema), \"none\" "
                  f"(well-formedness only), or the path of a RELAX NG file relative to {CONFIG_NAME}")]


def _check_document(raw: dict, path: Path, text: str) -> list[Diagnostic]:
    selector = raw.get("document")
    if not isinstance(selector, str) or not selector:
        return []
    try:
        etree.XPath(selector, namespaces={"tei": TEI_NAMESPACE})
    except etree.XPathError as exc:
        return [error(path, _key_line(text, "document"), 1, "config-document",
                      f"document '{selector}' is not an XPath expression ({exc}): write one that selects the "
                      f"documents, e.g. \"//tei:div[@type='document']\"")]
    return []


def setting_line(project_dir: Path, key: str) -> int:
    """The line of edition.toml that sets `key` (1 when it cannot be found), for a located diagnostic about a
    value that only a later stage can judge."""
    try:
        return _key_line((project_dir / CONFIG_NAME).read_text(encoding="utf-8"), key)
    except (OSError, UnicodeDecodeError):
        return 1


def _key_line(text: str, key: str) -> int:
    pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=", re.MULTILINE)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def _toml_position(message: str) -> tuple[int, int]:
    match = re.search(r"at line (\d+), column (\d+)", message)
    return (int(match.group(1)), int(match.group(2))) if match else (1, 1)


def _plain_toml_message(message: str) -> str:
    if message == "Illegal character '\\n'":  # tomllib's words for a string left open at the end of its line
        return "the line ends inside a quoted string (a closing \" is missing)"
    return message


def _strip_position(message: str) -> str:
    return re.sub(r"\s*\(at line \d+, column \d+\)", "", message)


def documentation() -> str:
    """Every setting with its default and purpose, as the README lists them."""
    rows = []
    for option in _options():
        rows.append(f"{option.name}: {option.metadata['doc']}")
    return "\n".join(rows)
