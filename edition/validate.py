"""Validation of every TEI file against the edition's RELAX NG grammar and its Schematron rules."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from itertools import accumulate
from dataclasses import replace
from functools import lru_cache

from lxml import etree, isoschematron

from . import resources
from .addresses import unsafe_addresses
from .cache import Validations
from .config import CONFIG_NAME, Config, setting_line
from .diagnostics import Diagnostic, Level, element_column, error, warning
from .load import safe_parser
from .model import Document

SVRL = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
FUNCTIONS = "urn:x-edition:validation"


@lru_cache(maxsize=1)
def grammar() -> etree.RelaxNG:
    """The compiled RELAX NG schema of the edition (schemas/edition.rng)."""
    return etree.RelaxNG(etree.parse(str(resources.SCHEMAS / "edition.rng")))


@lru_cache(maxsize=1)
def _rules_stylesheet() -> etree._ElementTree:
    """edition.sch compiled to XSLT by the ISO Schematron steps that lxml ships."""
    schema = etree.parse(str(resources.SCHEMAS / "edition.sch"))
    included = isoschematron.iso_dsdl_include(schema)
    expanded = isoschematron.iso_abstract_expand(included)
    return isoschematron.iso_svrl_for_xslt1(expanded)


# Up to this many files checked anew, their questions are answered without the index of every id. At 10,000
# files, indexing every id took 0.87 s, and one file's sixty questions, each a search of one string, 0.04 s.
FEW_FILES = 10


class IdIndex:
    """Where each xml:id of the edition is declared: the context for rules that cross documents. What each
    document's rules asked of it, and the answers, are noted (`asked`), so that a validation remembered from
    the last build is reused only while the answers hold.

    The index of every id (`complete`) is made only when many files ask: a rebuild checks one changed file,
    whose rules ask about seventy ids, while the index of 100,000 files holds six million, takes seconds and
    hundreds of megabytes, and was the largest thing such a rebuild held. Until then, a question is answered
    by looking for the id in one string of every file's ids."""

    def __init__(self, documents: list[Document], complete: bool = True):
        self.documents = documents
        self.places: dict[str, list[Document]] | None = None
        self.asked: dict[str, str] = {}
        self.known: dict[str, str] = {}  # answers that still hold, given before they are asked (`remember`)
        self._joined = ""  # every file's ids, one line a file, and where each file's line starts
        self._starts: list[int] = []
        if complete:
            self.complete()

    def complete(self) -> None:
        """Index every id, for the many questions of many files."""
        if self.places is not None:
            return
        self.places = defaultdict(list)
        for document in self.documents:
            for value in _declared_ids(document):
                self.places[value].append(document)

    def declaring(self, value: str) -> list[Document]:
        """The files declaring the id, each once for each time it declares it."""
        if self.places is not None:
            return self.places.get(value, [])
        if not self._starts:
            self._join()
        joined, found, at = self._joined, [], -1
        while value and (at := joined.find(value, at + 1)) >= 0:
            end = at + len(value)
            if (at == 0 or joined[at - 1] in " \n") and (end == len(joined) or joined[end] in " \n"):
                found.append(self.documents[bisect_right(self._starts, at) - 1])
        return found

    def _join(self) -> None:
        # One string, searched at the speed of str.find: a few megabytes where the index takes hundreds.
        lines = [_packed_ids(document) for document in self.documents]
        self._starts = list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
        self._joined = "\n".join(lines)

    def declarations(self, _context, value) -> float:
        return float(self._noted("declarations", _as_string(value)))

    def declared_in(self, _context, value) -> str:
        return self._noted("declared-in", _as_string(value))

    def remember(self, answers: dict[str, str]) -> None:
        """Answers that hold while every file declares the ids it did when they were given (a file's last
        validation's, corrections.py): asked again, they are not looked for."""
        self.known.update(answers)

    def answer(self, question: str) -> str:
        """The answer to a question noted in `asked` ("declarations ID" or "declared-in ID")."""
        if question in self.known:
            return self.known[question]
        function, _, value = question.partition(" ")
        if function == "declarations":
            return str(len(self.declaring(value)))
        return ", ".join(sorted({d.path.name for d in self.declaring(value)}))

    def _noted(self, function: str, value: str) -> str:
        question = f"{function} {value}"
        self.asked[question] = self.answer(question)
        return self.asked[question]


def _declared_ids(document: Document) -> list[str]:
    kept = document.file_facts
    return kept.ids.split() if kept is not None else document.root.xpath("//@xml:id")


def _packed_ids(document: Document) -> str:
    """The file's ids as one string, to look for an id in at the speed of a substring search."""
    kept = document.file_facts
    return kept.ids if kept is not None else " ".join(document.root.xpath("//@xml:id"))


def _as_string(value) -> str:
    if isinstance(value, list):
        return str(value[0]) if value else ""
    return str(value)


def validate_documents(documents: list[Document], context: list[Document] | None = None,
                       remembered: Validations | None = None) -> list[Diagnostic]:
    """Check each document against the grammar and the rules; ids and pointers resolve across `context`. A
    document `remembered` from the last build, unchanged and asking the same of the other documents, is not
    checked again: its diagnostics are given again."""
    validator = Validator(context if context is not None else documents, None, remembered)
    return [problem for document in documents for problem in validator.check(document)]


def validate_files(files: list[Document], config: Config, context: list[Document] | None = None,
                   remembered: Validations | None = None) -> list[Diagnostic]:
    """Check the files against what the `schema` setting names: the edition's own grammar and rules, another
    RELAX NG grammar (texts written to another project's conventions), or nothing beyond well-formedness.
    With the edition's own, files `remembered` from the last build are not checked again."""
    validator = Validator(context if context is not None else files, config, remembered)
    return validator.setting_problems + [problem for document in files for problem in validator.check(document)]


class Validator:
    """Checks one file at a time against what the `schema` setting names (without `config`, the edition's own
    grammar and rules); ids and pointers resolve across `context`. Problems of the setting itself are in
    `setting_problems`, and no file is checked against a schema that cannot be used."""

    def __init__(self, context: list[Document], config: Config | None = None,
                 remembered: Validations | None = None, complete_index: bool = True):
        self.setting_problems: list[Diagnostic] = []
        self.schema: etree.RelaxNG | None = None
        self.remembered = remembered
        self.mode = "own" if config is None or config.schema_path is None and config.schema != "none" else \
            "none" if config.schema == "none" else "other"
        if self.mode == "none":
            self.setting_problems.append(warning(
                config.project_dir / CONFIG_NAME, setting_line(config.project_dir, "schema"), 1, "schema-none",
                'schema = "none": the texts are only checked for being well-formed XML, not validated'))
        elif self.mode == "other":
            try:
                self.schema = etree.RelaxNG(etree.parse(str(config.schema_path), safe_parser()))
            except (etree.XMLSyntaxError, etree.RelaxNGParseError) as exc:
                self.mode = "unusable"
                self.setting_problems.append(error(
                    config.project_dir / CONFIG_NAME, setting_line(config.project_dir, "schema"), 1,
                    "config-schema", f"the schema {config.schema} cannot be used: {_first_line(exc)}: "
                                     "correct it, or set schema = \"none\""))
        else:
            self.index = IdIndex(context, complete_index)
            self.rules = etree.XSLT(_rules_stylesheet(), extensions={
                (FUNCTIONS, "declarations"): self.index.declarations,
                (FUNCTIONS, "declared-in"): self.index.declared_in,
            })

    def check(self, document: Document) -> list[Diagnostic]:
        """The file's problems; with the edition's own schema, those the last build found, if they still hold."""
        found = self.recall(document)
        if found is None:
            found, asked = self.validated(document)
            self.keep(document, found, asked)
        return found

    def expect(self, count: int) -> None:
        """Get ready to check `count` files anew: for more than a few, every id is indexed first (and before the
        workers are forked, so that they share the index)."""
        if self.mode == "own" and count > FEW_FILES:
            self.index.complete()

    def recall(self, document: Document) -> list[Diagnostic] | None:
        """The problems the last build found in the file, if its validation is remembered and still holds."""
        if self.mode != "own" or self.remembered is None:
            return None
        return self.remembered.recall(document, self.index.answer)

    def validated(self, document: Document) -> tuple[list[Diagnostic], dict[str, str]]:
        """The file's problems, found anew, and what its rules asked of the other files (IdIndex)."""
        if self.mode == "unusable":
            return [], {}
        if self.mode == "none":
            return unsafe_addresses(document), {}
        if self.mode == "other":
            # The edition's guide to its own schema says nothing about another one.
            return [replace(problem, message=_OWN_GUIDE.sub("", problem.message))
                    for problem in grammar_problems(document, self.schema) + unsafe_addresses(document)], {}
        self.index.asked = {}
        found = grammar_problems(document) + rule_problems(document, self.rules) + unsafe_addresses(document)
        return found, self.index.asked

    def keep(self, document: Document, found: list[Diagnostic], asked: dict[str, str]) -> None:
        """Remember a validation made anew (`validated`) for the next build."""
        if self.mode == "own" and self.remembered is not None:
            self.remembered.keep(document, found, asked)


_OWN_GUIDE = re.compile(r"\s*\((?:see )?schemas/README\.md[^)]*\)| against schemas/README\.md")


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or ["not a RELAX NG schema"])[0]


def grammar_problems(document: Document, schema: etree.RelaxNG | None = None) -> list[Diagnostic]:
    """RELAX NG errors of one document (against the edition's grammar unless another is given), located at
    the offending element."""
    schema = schema or grammar()
    if schema.validate(document.loaded_tree()):
        return []
    problems = []
    misplaced = set()
    for entry in schema.error_log:
        element = _element_at(document, entry.path)
        line, col = element_column(document.lines(), element) if element is not None else (entry.line, 1)
        if entry.type_name == "RELAXNG_ERR_ELEMWRONG":
            misplaced.add((line, col))
        problems.append(error(document.path, line, col, "schema", _readable_grammar_message(entry.message, element)))
    # libxml2 reports a misplaced element twice, once as the parent's "extra content": keep the clearer one.
    return [p for p in problems if not ("has content that is not allowed" in p.message and (p.line, p.col) in misplaced)]


def rule_problems(document: Document, rules: etree.XSLT) -> list[Diagnostic]:
    """Schematron failures of one document, mapped back to the source line of the element they concern."""
    report = rules(document.loaded_tree())
    problems = []
    for failure in report.getroot().xpath("svrl:failed-assert | svrl:successful-report", namespaces=SVRL):
        element = _element_at(document, failure.get("location"))
        line, col = element_column(document.lines(), element) if element is not None else (1, 1)
        text = " ".join("".join(failure.find("svrl:text", SVRL).itertext()).split())
        level = Level.WARNING if failure.get("role") in ("warning", "warn", "info") else Level.ERROR
        code = failure.get("id") or "rule"
        problems.append(Diagnostic(document.path, line, col, level, code, text))
    return problems


def _element_at(document: Document, location: str | None):
    if not location:
        return None
    try:
        found = document.loaded_tree().xpath(location)
    except etree.XPathError:
        return None
    for node in found:
        if isinstance(node, etree._Element):
            return node
        if hasattr(node, "getparent"):
            return node.getparent()
    return None


_NAMESPACED = re.compile(r"\{[^}]*\}")


def _attribute_value(element, name: str) -> str | None:
    qualified = f"{{http://www.w3.org/XML/1998/namespace}}{name[4:]}" if name.startswith("xml:") else name
    return element.get(qualified)


def _readable_grammar_message(message: str, element=None) -> str:
    text = _NAMESPACED.sub("", message)
    # libxml2 says "Invalid attribute" both for an attribute the element may not have and for a value of the
    # wrong form (a time without seconds), so the message names the value too.
    invalid = re.match(r"^Invalid attribute (\S+) for element (\S+)", text)
    if invalid and element is not None and _attribute_value(element, invalid.group(1)) is not None:
        name, tag = invalid.groups()
        return (f"attribute '{name}' is not allowed on <{tag}>, or its value '{_attribute_value(element, name)}' "
                "is not of the form the schema requires: correct the value (dates and times are ISO 8601, "
                "e.g. 1962-12-13 or 1962-12-13T10:02:00) or remove the attribute")
    hints = [
        (r"^Did not expect element (\S+) there", r"element <\1> is not allowed here: move or remove it "
                                                 r"(schemas/README.md lists where each element may stand)"),
        (r"^Expecting element (\S+), got (\S+)", r"expected <\1> here, found <\2>: "
                                                 r"add <\1> or correct the order (see schemas/README.md)"),
        (r"^Element (\S+) failed to validate attributes", r"<\1> has an attribute that is not allowed "
                                                          r"or has a wrong value: check its attributes "
                                                          r"against schemas/README.md"),
        (r"^Invalid attribute (\S+) for element (\S+)", r"attribute '\1' is not allowed on <\2>: remove it"),
        (r"^Element (\S+) has extra content: (\S+)", r"<\1> has content that is not allowed: <\2>; "
                                                     r"move or remove it"),
        (r"^Expecting an element (\S+), got nothing", r"<\1> is missing here: add it"),
        (r"^Element (\S+) failed to validate content", r"the content of <\1> does not follow the schema: "
                                                       r"see the other messages for this element"),
    ]
    for pattern, replacement in hints:
        if re.search(pattern, text):
            return re.sub(pattern, replacement, text)
    return f"{text} (see schemas/README.md for what the schema admits)"
