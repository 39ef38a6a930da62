"""`edition build`: the stages in order. Every document is read, validated and enriched before anything is written."""

from __future__ import annotations

import gc
import os
import re
import time
from contextlib import contextmanager
from datetime import date, datetime, timezone
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Protocol

import jinja2
from lxml import etree

from . import anchors, checktext, resources, search, workers
from .config import CONFIG_NAME, Config, load_config
from .diagnostics import Diagnostic, ExitCode, Level, Report, error
from .enrich import document_facts, edition_entities, enrich, file_facts
from .load import (ChangedFile, Reading, attach_reader, expand_paths, file_signature, held_documents, load_document,
                   read_known, select_documents)
from .facts import shared_metadata
from .model import XML_ID, Document, Edition, Metadata
from .cache import Cache, LastBuild, digest, document_inputs, edition_key
from .render import LIST_FOLDERS, Page, Renderer
from .state import MANIFEST, StateBusy
from .transform import transformed_and_made
from .validate import Validator, validate_documents, validate_files
from .write import OutputError, Staging


@dataclass
class BuildResult:
    """What a build did: its diagnostics, what it wrote and where, and how long it took."""

    report: Report = field(default_factory=Report)
    documents: int = 0
    pages: int = 0
    seconds: float = 0.0
    out: Path | None = None
    words_checked: int = 0
    remade: int = 0  # documents transformed and rendered anew (the others were carried over)
    validated: int = 0  # files validated anew (the others' validation was remembered from the last build)
    parsed: int = 0  # files parsed (the others were unchanged, and stood on the facts the last build kept)
    exit_code: ExitCode = ExitCode.OK
    stages: Stages = field(default_factory=lambda: Stages())
    built: Built | None = None  # what a complete build leaves for a quick one, when asked to (`retain`)


@dataclass
class Built:
    """What a complete build leaves for a quick rebuild after corrections (corrections.py): the edition as
    enriched, the site's folder and edition key, the build's report and how many pages the site has."""

    edition: Edition
    out: Path
    key: str
    report: Report
    pages: int
    # Made once the build is over (corrections.prepare), for every quick rebuild: the anchor registry and the
    # live anchors as compared (read again, not held through the build: 325 MB at 100,000 documents), the
    # compiled rules, the compiled templates.
    registry: anchors.Registry | None = None
    live: anchors.LiveAnchors | None = None
    validator: Validator | None = None
    renderer: Renderer | None = None
    unfinished: bool = False  # a quick rebuild's zip is still to be written (corrections.finish)


def load_edition(project_dir: Path, last: LastBuild | None = None,
                 out: Path | None = None) -> tuple[Config | None, list[Document], Report]:
    """Read the settings and every TEI file of the edition, reporting what cannot be read. With `last`, the
    last build into `out` (or the `output` folder) is read first, and the files it read that are unchanged
    stand on the facts it kept of them, unparsed."""
    report = Report()
    config, problems = load_config(project_dir)
    report.extend(problems)
    if config is None:
        return None, [], report
    if last is not None:
        last.read((out if out is not None else config.output_dir).resolve())
    files = config.text_files()
    if not files:
        report.extend([error(project_dir / "edition.toml", 1, 1, "no-texts",
                             f"no TEI files match texts = {config.texts}: add files or correct the pattern")])
    documents = []
    reading = reading_of(config)
    folders: dict[Path, bool] = {}
    parsed = 0
    for path in files:
        signature = file_signature(path, reading)
        document, problems = (None, [outside]) if (outside := outside_project(path, project_dir, folders)) else \
            read_known(path, reading, last.facts(path) if last is not None else None, signature)
        report.extend(problems)
        if document is not None:
            if document.file_facts is None:  # parsed: what the other files need of it, then its tree let go
                parsed += 1
                document.file_facts = file_facts(document)
                attach_reader(document, [document], reading)
                document.release()
            kept = signature if not document.includes else []
            if document.file_facts.signature != kept:  # kept for the next build to compare
                document.file_facts.signature, document.file_facts.fresh = kept, True
            documents.append(document)
    if last is not None:
        last.parsed = parsed
    return config, documents, report


def reading_of(config: Config) -> Reading:
    """How the edition's files are read: XIncludes from inside its folder, its settings' limits and selector."""
    return Reading(inside=config.project_dir, huge_tree=config.huge_tree, selector=config.document)


def outside_project(path: Path, project_dir: Path, folders: dict[Path, bool] | None = None) -> Diagnostic | None:
    """A text that is, or links to, a file outside the edition's folder: the edition is read from its folder
    alone, so that what is published is what the folder holds. `folders` remembers which folders were found
    inside, so that a large edition resolves each folder once, not each file."""
    folders = {} if folders is None else folders
    if path.parent not in folders:
        folders[path.parent] = path.parent.resolve().is_relative_to(project_dir.resolve())
    if folders[path.parent] and not path.is_symlink():
        return None
    target = path.resolve()
    if target.is_relative_to(project_dir.resolve()):
        return None
    how = f"is a symbolic link to {target}" if path.is_symlink() or path.parent.resolve() != path.parent.absolute() \
        else f"is {target}"
    return error(path, 1, 1, "outside-project",
                 f"this text {how}, outside the edition's folder: edition reads only files inside the edition; "
                 "copy the file into it")


# The stage in which each document changed since the last build is transformed, rendered and written, one
# after the other, so that no more than a few documents' pages are in memory at once.
DOCUMENTS = "documents"
# The stage in which the other pages are made and written, one after the other, so that a large edition's
# lists and register pages are not all in memory at once.
PAGES = "pages"
# The last: the build's state and the site's static files written, and the site swapped into place.
FINISH = "finish"


class Stages:
    """How long each stage of a build took, in seconds, in the order the stages ran (for the summary and the
    benchmark); a `progress` (cli.py) is told as each stage starts, advances and ends."""

    def __init__(self, progress: Progress | None = None) -> None:
        self.seconds: dict[str, float] = {}
        self.progress = progress
        self._running: dict[str, float] = {}

    @contextmanager
    def timing(self, name: str, total: int | None = None):
        self.begin(name, total)
        try:
            yield
        finally:
            self.end(name)

    def begin(self, name: str, total: int | None = None) -> None:
        self._running[name] = time.perf_counter()
        if self.progress is not None:
            self.progress.start(name, total)

    def end(self, name: str) -> None:
        """The stage is over (once: a stage ended early is not ended again)."""
        if name not in self._running:
            return
        seconds = time.perf_counter() - self._running.pop(name)
        if name not in (DOCUMENTS, PAGES):  # each the sum of others, counted each on its own (`adding`)
            self.seconds[name] = self.seconds.get(name, 0.0) + seconds
        if self.progress is not None:
            self.progress.finish(name, seconds)

    @contextmanager
    def adding(self, name: str):
        """Add the time of what the block does to the stage `name`, untold to `progress`: the part of a stage
        done within another (a document's pages rendered and written as soon as its text is transformed)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - started)

    def add(self, name: str, seconds: float) -> None:
        """Add `seconds` to the stage `name`, untold to `progress` (see `adding`)."""
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def advance(self, count: int = 1) -> None:
        """`count` more items of the running stage done (files read, documents transformed, pages written)."""
        if self.progress is not None:
            self.progress.advance(count)


class Progress(Protocol):
    """What is told of a build's progress: cli.py shows it as a bar on a terminal, as plain lines elsewhere."""

    def start(self, stage: str, total: int | None) -> None: ...

    def advance(self, count: int) -> None: ...

    def finish(self, stage: str, seconds: float) -> None: ...


def read_valid_edition(project_dir: Path, stages: Stages | None = None, last: LastBuild | None = None,
                       out: Path | None = None,
                       settle: Callable[[], None] = lambda: None) -> tuple[Edition | None, Report]:
    """The edition read, validated and enriched; None when any file has an error (the report says which).
    With `last`, the last build into `out` (or the `output` folder) is read, and the files, validations and
    facts it kept are reused where they hold. No more than one file's tree is held at a time. `settle()` is
    called once the files are read, and again once the edition is enriched."""
    stages = stages or Stages()
    with stages.timing("parse"):
        config, files, report = load_edition(project_dir, last, out)
    settle()
    if config is None:
        return None, report
    with stages.timing("validate", total=len(files)):
        report.extend(validate_and_derive(files, config, stages, last))
    if report.errors:
        return None, report
    with stages.timing("enrich"):
        documents, problems = select_documents(files, reading_of(config), project_dir / CONFIG_NAME)
        report.extend(problems)
        edition = enrich(config, documents, lambda document: last.keep_passages(document.origin.path, document.facts)
                         if last is not None else None)
    settle()
    return edition, report


def validate_and_derive(files: list[Document], config: Config, stages: Stages,
                        last: LastBuild | None) -> list[Diagnostic]:
    """Validate each file, and derive the facts of the documents of each valid file parsed this build, with
    its tree read once for both (on the workers, workers.py, for a large edition). A file whose validation is
    remembered, and whose documents' facts were kept, is not read."""
    if last is not None:
        last.validations.ids_hold = last.ids_unchanged(files)
    # While every file declares the ids it did, no remembered validation asks its questions again, and only the
    # files changed since the last build ask theirs: the index of every id is made only if there are many.
    holding = last is not None and last.validations.ids_hold
    validator = Validator(files, config, remembered=last.validations if last else None, complete_index=not holding)
    problems = list(validator.setting_problems)
    entities = edition_entities(files)
    recalled = [validator.recall(file) for file in files]
    validator.expect(sum(found is None for found in recalled))
    unknown = [n for n, file in enumerate(files) if recalled[n] is None or not file.file_facts.documents]
    checked = workers.in_order(lambda n: checked_file(files[n], validator, recalled[n], entities, config), unknown)
    for n, file in enumerate(files):
        found = recalled[n]
        if found is None or not file.file_facts.documents:
            validated, asked, derived = next(checked)
            if found is None:
                found = validated
                validator.keep(file, found, asked)
            with stages.adding("enrich"):
                problems.extend(keep_facts(file, derived, last))
        problems.extend(found)
        stages.advance(1)
    return problems


def checked_file(file: Document, validator: Validator, recalled: list[Diagnostic] | None, entities: dict,
                 config: Config) -> tuple[list[Diagnostic] | None, dict[str, str], list | Diagnostic | None]:
    """A file validated anew (unless its validation was `recalled`), what its rules asked, and the facts of
    the documents it holds when it is valid and they are not known (or why they cannot be derived)."""
    found, asked = validator.validated(file) if recalled is None else (None, {})
    derived = None
    if not file.file_facts.documents and not any(d.level is Level.ERROR for d in (found if recalled is None else recalled)):
        derived = derived_facts(file, entities, config)
    file.reader.release_all()
    return found, asked, derived


def derived_facts(file: Document, entities: dict, config: Config) -> list | Diagnostic:
    """The facts of each document the file holds (enrich.document_facts), or why they cannot be told apart."""
    try:
        held = held_documents(file, config.document)
    except etree.XPathError as exc:
        return error(config.project_dir / CONFIG_NAME, 1, 1, "config-document",
                     f"document '{config.document}' cannot be evaluated in {file.path.name} ({exc}): "
                     "correct the XPath")
    return [document_facts(d, entities) for d in held]


def keep_facts(file: Document, derived: list | Diagnostic | None, last: LastBuild | None) -> list[Diagnostic]:
    """The derived facts of a file's documents kept in its file's facts, their passages in the build's state;
    the problem that kept them from being derived, if one did."""
    if derived is None:
        return []
    if isinstance(derived, Diagnostic):
        return [derived]
    for facts in derived:  # strings shared again, which a worker's facts arrive without
        if isinstance(facts.metadata, Metadata):
            shared_metadata(facts.metadata)
    file.file_facts.documents = derived
    if last is not None and last.state is not None:
        last.state.forget("mentions", "path", [str(file.path)])
        for facts in derived:
            last.keep_passages(file.path, facts)
    return []


def build(project_dir: Path, out: Path | None = None, check_text: bool = False, search_index: bool = True,
          clean: bool = False, progress: Progress | None = None, retain: bool = False) -> BuildResult:
    """Load, validate, enrich, transform, render, write: in that order, stopping before writing on any error.
    Pages whose inputs are those of the last build into `out` are carried over from it, unless `clean`.
    With `check_text`, every document's words are checked against its HTML before anything is written (every
    document is transformed); without `search_index`, the site has no search index (a quick preview).
    `progress` is told of each stage. With `retain`, a complete build's result holds what a quick rebuild
    after corrections needs (`Built`): a preview keeps it between builds."""
    last = LastBuild(clean=clean or check_text)
    try:
        return _build(project_dir, out, last, check_text, search_index, progress, retain)
    except StateBusy as exc:
        result = BuildResult(exit_code=ExitCode.OUTPUT)
        result.report.extend([error(Path(str(exc)), 1, 1, "build-running",
                                    "another build is writing this site: wait until it is done, then build again")])
        return result
    except ChangedFile as exc:  # saved by an editor while the build read it: nothing was written
        result = BuildResult(exit_code=ExitCode.INVALID)
        result.report.extend([error(exc.path, 1, 1, "changed-during-build",
                                    "this file changed while the edition was being built, so the site was not "
                                    "written: build again")])
        return result
    finally:
        last.close()
        gc.unfreeze()


def _settled() -> None:
    # What has been read lives until the build ends: set apart from the garbage collector, which would
    # otherwise walk every tree and entry again at each collection (a tenth of a large build's time).
    # build() hands it back when it returns, so a preview that builds again and again holds no more.
    gc.freeze()


def _build(project_dir: Path, out: Path | None, last: LastBuild, check_text: bool, search_index: bool,
           progress: Progress | None, retain: bool) -> BuildResult:
    started = time.perf_counter()
    result = BuildResult(stages=Stages(progress))
    stages = result.stages
    edition, result.report = read_valid_edition(project_dir, stages, last, out, settle=_settled)
    result.validated, result.parsed = last.validations.validated, last.parsed
    if edition is None:
        result.exit_code = ExitCode.INVALID
        return result
    edition.built = build_date()
    with stages.timing("anchors"):
        result.report.extend(reserved_ids(edition))
        result.report.extend(unsafe_page_names(edition))
        result.report.extend(check_anchors(edition))
    if result.report.errors:
        result.exit_code = ExitCode.INVALID
        return result
    result.out = out if out is not None else edition.config.output_dir
    with stages.timing("plan"):
        key = edition_key(edition.config, edition.built, {e.kind for e in edition.entities.values()})
        cache = Cache(result.out.resolve(), key, last, edition_files(edition))
        changed = [d for d in edition.documents
                   if not cache.plan(d.url, digest(document_inputs(d, edition, cache.summaries)))]
    result.remade = len(changed)
    try:
        staging = Staging(result.out, last.spare, keep_spare=last.keeps_spare)
    except (OutputError, OSError) as exc:
        return _output_failed(result, exc)
    try:
        result.exit_code = _stage_site(edition, cache, changed, staging, result, check_text, search_index)
    except (OutputError, OSError) as exc:
        staging.discard()
        return _output_failed(result, exc)
    except BaseException:
        staging.discard()
        raise
    if result.exit_code != ExitCode.OK:
        return result
    result.documents = len(edition.documents)
    result.seconds = time.perf_counter() - started
    if retain and not search_index:  # a quick rebuild makes no search index: it follows a build without one
        result.built = Built(edition, result.out.resolve(), key, result.report, result.pages)
    return result


def _output_failed(result: BuildResult, exc: Exception) -> BuildResult:
    result.report.extend([error(result.out, 1, 1, "output", str(exc))])
    result.exit_code = ExitCode.OUTPUT
    return result


def _stage_site(edition: Edition, cache: Cache, changed: list[Document], staging: Staging, result: BuildResult,
                check_text: bool, search_index: bool) -> ExitCode:
    """Make the site in `staging`: each changed document's pages as soon as its text is transformed, then the
    rest, then the search index; swap it in when complete. Any error discards it: an error of the inputs
    (a template, a Markdown page, a word lost) is INVALID; a search index that could not be built, OUTPUT."""
    stages = result.stages
    renderer = Renderer(edition, cache)
    result.report.extend(renderer.diagnostics)
    if result.report.errors:
        staging.discard()
        return ExitCode.INVALID
    try:
        with stages.timing(DOCUMENTS, total=len(changed)):
            _stage_documents(edition, changed, renderer, staging, result, check_text)
        for document in edition.documents:
            if cache.carried_over(document.url):  # what the stylesheet said of it last time still holds
                result.report.extend(cache.messages(document.url))
        with stages.timing(PAGES):
            _stage_pages(renderer.rest(), staging, stages)
            with stages.adding("render"):
                bundles = search.document_bundles(edition.documents) if search_index else []
                pages = [*carried_bundles(bundles, cache), Page(MANIFEST, cache.save())]
    except jinja2.TemplateError as exc:
        result.report.extend([template_problem(edition.config, exc)])
    if result.report.errors:
        staging.discard()
        return ExitCode.INVALID

    def search_timed(folder: Path, final: Path) -> list[Diagnostic]:
        stages.end(FINISH)  # the pages are in place; the index is a stage of its own
        with stages.timing("search"):
            carried = {b.folder for b in bundles if cache.carried_over(b.folder)}
            found = search.index_site(folder, final, [d.url for d in edition.documents], bundles, carried)
            for bundle in bundles:
                if bundle.folder not in carried:
                    cache.keep_files(bundle.folder, files_below(folder, bundle.folder))
            return found

    with stages.timing(FINISH, total=len(pages)):
        staging.write(pages)
        result.report.extend(staging.complete(resources.STATIC, finish=search_timed if search_index else None,
                                              seal=lambda: cache.last.seal(staging.written)))
    if staging.discarded:  # the search index failed: the inputs are fine, the site could not be completed
        return ExitCode.OUTPUT
    result.pages = staging.count
    return ExitCode.OK


def _stage_pages(pages: Iterator[Page], staging: Staging, stages: Stages) -> None:
    """Write each of the other pages (lists, registers, carried over) as soon as it is made, and let it go."""
    # Timed by hand: a large edition has hundreds of thousands of pages, and two timing blocks a page took a
    # fifth of a rebuild's time for this stage.
    clock, rendering, writing = time.perf_counter, 0.0, 0.0
    try:
        while True:
            started = clock()
            page = next(pages, None)
            made = clock()
            rendering += made - started
            if page is None:
                return
            staging.write([page])
            writing += clock() - made
            stages.advance(1)
    finally:
        stages.add("render", rendering)
        stages.add("write", writing)


def carried_bundles(bundles: list[search.Bundle], cache: Cache) -> list[Page]:
    """The files of each search bundle whose documents' pages are all as the last build made them, carried
    over from the last site's index; the others are indexed again (search.py)."""
    carried = []
    for bundle in bundles:
        inputs = [search.index_key(), bundle.name, [cache.digest_of(url) for url in bundle.documents]]
        if cache.plan(bundle.folder, digest(inputs)):
            carried.extend(Page(path, None, canonical) for path, canonical in cache.pages(bundle.folder))
    return carried


def files_below(site: Path, folder: str) -> list[str]:
    """The files in `folder` of the site, as paths within the site."""
    return sorted(path.relative_to(site).as_posix() for path in (site / folder).rglob("*") if path.is_file())


def _stage_documents(edition: Edition, changed: list[Document], renderer: Renderer, staging: Staging,
                     result: BuildResult, check_text: bool) -> None:
    """Transform each changed document and render its pages (in the transform's workers when it has them),
    check its words (with `check_text`), write its pages, and let its HTML go before the next."""
    stages = result.stages
    texts = transformed_and_made(edition, changed, make=renderer.pages_of, keep_views=check_text)
    while True:
        with stages.adding("transform"):
            document, made = next(texts, (None, None))
        if document is None:
            return
        stages.advance(1)
        result.report.extend(document.messages)
        if check_text:
            with stages.adding("check text"):
                problems, words = text_losses(edition, [document])
                result.report.extend(problems)
                result.words_checked += words
        with stages.adding("render"):
            pages = renderer.document(document, made)
        with stages.adding("write"):
            staging.write(pages)
        document.views = {}
        if document.reader is not None:
            document.reader.release(document)


def edition_files(edition: Edition) -> list[Document]:
    """Each file of the edition once, in the order read: the registers, then the files of the documents."""
    return list({d.origin.path: d.origin for d in [*edition.registers, *edition.documents]}.values())


def template_problem(config: Config, exc: jinja2.TemplateError) -> Diagnostic:
    """A mistake in the edition's own templates (the `templates` setting), located where Jinja2 found it. The
    built-in templates are tested: an error in them is a bug of edition's, and goes on as one."""
    if config.templates_dir is None:
        raise exc
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return error(Path(exc.filename or config.templates_dir), exc.lineno or 1, 1, "template",
                     f"template syntax: {exc.message}: correct the template")
    return error(config.templates_dir, 1, 1, "template",
                 f"a template of {config.templates} cannot be rendered: {exc.message}: correct it (the built-in "
                 "templates show which names a page has)")


def text_losses(edition: Edition, documents: list[Document] | None = None) -> tuple[list[Diagnostic], int]:
    """Each element whose words no view of its document (of every document, or of `documents`) shows, one
    error per element, and the number of words checked."""
    problems, checked = [], 0
    for document in edition.documents if documents is None else documents:
        checked += sum(checktext.tei_words(document.root).values())
        for lost in checktext.by_element(checktext.document_losses(document, edition)):
            problems.append(error(
                document.path, lost.line, 1, "text-lost",
                f"{lost.count} word{'s' if lost.count != 1 else ''} of <{lost.element}> in document {document.id} "
                f"shown in neither view: {lost.listed}: the stylesheets or templates drop them; report it with "
                "this file"))
    return problems, checked


def build_date() -> date:
    """Today, or the date SOURCE_DATE_EPOCH names: the reproducible-builds convention, so that building the
    same texts twice gives the same site."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return date.today()


def reserved_ids(edition: Edition) -> list[Diagnostic]:
    """A document whose id names a folder of the documents list would share its address."""
    return [error(d.path, d.root.sourceline or 1, 1, "reserved-id",
                  f"the document id '{d.id}' is the name of a folder of the documents list "
                  f"({', '.join(LIST_FOLDERS)}): give the document another xml:id")
            for d in edition.documents if d.id in LIST_FOLDERS]


# A page's folder is named after an id or a file name: it must stay one plain segment of a path and an address.
_PAGE_NAME = re.compile(r"^[^\W.][\w.\-]*$")


def unsafe_page_names(edition: Edition) -> list[Diagnostic]:
    """Documents and register entries whose id (or file name) cannot name a folder of the site: a `..`, a
    slash or a character an address cannot carry would put the page elsewhere, or nowhere."""
    problems = []
    for document in edition.documents:
        if not _PAGE_NAME.match(document.id):
            named = f"the document's xml:id '{document.id}'" if document.root.get(XML_ID) else \
                f"the document has no xml:id, and its file's name '{document.id}'"
            problems.append(error(document.path, document.root.sourceline or 1, 1, "page-name",
                                  f"{named} cannot name a page: give the document an xml:id of letters, digits, "
                                  "hyphens, underscores and full stops, starting with a letter"))
    for entity in edition.entities.values():
        if not _PAGE_NAME.match(entity.id):
            path, line = _declared_at(edition, entity.id)
            problems.append(error(path, line, 1, "page-name",
                                  f"the register entry id '{entity.id}' cannot name a page: give the entry an "
                                  "xml:id of letters, digits, hyphens, underscores and full stops"))
    return problems


def _declared_at(edition: Edition, identifier: str) -> tuple[Path, int]:
    for register in edition.registers + edition.documents:
        for element in register.root.iter():
            if isinstance(element.tag, str) and element.get(XML_ID) == identifier:
                return register.path, element.sourceline or 1
    return edition.config.project_dir / CONFIG_NAME, 1


def check_anchors(edition: Edition) -> list[Diagnostic]:
    """Hold the texts to the anchor registry; note on the edition where each departed anchor went."""
    registry, problems = anchors.read_registry(edition.config.project_dir)
    live = anchors.live_anchors(edition.documents, registry)
    found, redirects = anchors.check(registry, live)
    for redirect in redirects:
        edition.redirects.setdefault(redirect.document, []).append(redirect)
    return problems + found + anchors.unregistered_warning(registry, live)


def validate_paths(paths: list[Path], project_dir: Path) -> Report:
    """Check the given files, or the whole edition when none are given.

    Pointers and ids are checked across the edition in project_dir when there is one, so a document's
    references to the registers resolve even when only that document is named.
    """
    if not paths:
        config, documents, report = load_edition(project_dir)
        if config is not None:
            report.extend(validate_files(documents, config))
        return report
    report = Report()
    targets = []
    for path in expand_paths(paths):
        document, problems = load_document(path)
        report.extend(problems)
        if document is not None:
            targets.append(document)
    config, others = None, {}
    if (project_dir / CONFIG_NAME).is_file():
        config, edition_documents, _ = load_edition(project_dir)
        others = {d.path.resolve(): d for d in edition_documents}
    for document in targets:
        others.pop(document.path.resolve(), None)
    context = targets + list(others.values())
    report.extend(validate_files(targets, config, context) if config else validate_documents(targets, context))
    return report


@dataclass
class AnchorsResult:
    """What `edition anchors` found and did."""

    report: Report = field(default_factory=Report)
    added: int = 0
    updated: int = 0
    unregistered: int = 0
    registry: Path | None = None
    exit_code: ExitCode = ExitCode.OK


def register_anchors(project_dir: Path, update: bool) -> AnchorsResult:
    """Hold the valid texts to the anchor registry; with `update`, add new anchors and current fingerprints."""
    result = AnchorsResult()
    edition, result.report = read_valid_edition(project_dir)
    if edition is None:
        result.exit_code = ExitCode.INVALID
        return result
    registry, problems = anchors.read_registry(edition.config.project_dir)
    result.report.extend(problems)
    result.registry = registry.path
    live = anchors.live_anchors(edition.documents)
    if update and not problems:
        text, result.added, result.updated = anchors.updated_text(registry, live)
        try:
            anchors.write_registry(registry.path, text)
        except OSError as exc:
            result.report.extend([error(registry.path, 1, 1, "registry-unwritable",
                                        f"cannot write the anchor registry: {exc.strerror}: make it writable")])
            result.exit_code = ExitCode.OUTPUT
            return result
        registry, _ = anchors.read_registry(edition.config.project_dir)
    found, _ = anchors.check(registry, live)
    result.report.extend(found)
    result.unregistered = len(anchors.unregistered(registry, live))
    result.exit_code = result.report.exit_code
    return result
