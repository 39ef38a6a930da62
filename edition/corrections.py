"""A preview's quick rebuild after corrections: the pages that show a corrected text made again, in place.

An editor's usual change is a correction within a document's text: a word, a sign, a note. It moves the
document nowhere. Its metadata, its paragraphs and ids, the entries it names and how often are what they were,
so no list, no neighbour and no register index changes; yet a full rebuild (build.py) goes over every document
of the edition to find that out, seconds for a large one. The preview (serve.py) keeps its last complete
build's edition in memory (build.Built) and, when only such corrections were made, remakes just the pages that
show them: each corrected document's own and the pages of the entries whose passages it holds (when a passage
changed); then, when no other change is coming, the edition's zip (`finish`).

Anything else goes to the full build: a file added or removed, a register, a file that includes others or holds
several documents, a changed title, date, name, id or pointer, an error, a new day (the build date is on every
page). The pages written and the state kept beside the site are what a full build would write, so a full
build after a quick one carries every page over, and gives the site a clean build gives.
"""

from __future__ import annotations

import time
from dataclasses import fields
from pathlib import Path

from . import anchors
from .build import Built, BuildResult, Stages, build_date, derived_facts, edition_files, reading_of
from .cache import Summaries, Validations, digest, document_inputs, edition_key, page_files, page_messages
from .diagnostics import Diagnostic, Level, Report
from .enrich import Passages, file_facts, let_trees_go
from .facts import DocumentFacts, FileFacts
from .load import attach_reader, file_signature, load_document
from .model import REGISTER_FOLDERS, REGISTER_TITLES, Document
from .render import Page, Renderer, edition_zip, edition_zip_inputs, entity_page, entry_pages
from .state import MANIFEST, State, StateBusy, manifest_text
from .transform import transformed_and_made
from .validate import Validator, grammar
from .write import replace_pages

# More corrected files than this at once (a branch checked out, a search and replace) go to the full build,
# which spreads them over the workers.
MOST_FILES = 10

# What a correction may change in a document's facts: its passages, and the text (fingerprint) and place of
# its citable units. Its metadata is compared by `shown_digest`, which digests it with the paragraphs.
_CORRECTABLE = {"passages", "passages_digest", "citable", "metadata"}


class Correction:
    """One corrected file: the document the edition holds for it, the file as read now and its new facts."""

    def __init__(self, document: Document, file: Document, facts: DocumentFacts, signature: list,
                 problems: list[Diagnostic], asked: dict[str, str]):
        self.document, self.file, self.facts = document, file, facts
        self.signature, self.problems, self.asked = signature, problems, asked
        # Told before the document is given its new facts (`apply`).
        self.passages_changed = facts.passages_digest != document.facts.passages_digest


def correct(built: Built, changed: set[Path]) -> BuildResult | None:
    """Rebuild the site of `built` after the `changed` files, when they are corrections alone; None, with
    nothing written or kept, when they are not (the full build is then needed). After a quick rebuild,
    `built` describes the edition as corrected, and the edition's zip is still to be written (`finish`). If
    it raises (the site cannot be written), `built` may describe neither: only a full build can follow."""
    started = time.perf_counter()
    result = BuildResult(stages=Stages(), out=built.out)
    edition = built.edition
    if not changed or len(changed) > MOST_FILES or build_date() != edition.built:
        return None
    documents = corrected_documents(built, changed)
    if documents is None:
        return None
    state = site_state(built)
    if state is None:
        return None
    try:
        corrections = [read_correction(built, document, state, result.stages) for document in documents]
        if None in corrections:
            return None
        for correction in corrections:
            apply(built, correction, state)
        result.report = corrected_report(built, corrections, result.stages)
        remake(built, corrections, state, result.stages, result.report)
        state.seal()
    finally:
        state.close()
    built.report, built.unfinished = result.report, True
    result.documents, result.pages = len(edition.documents), built.pages
    result.remade = result.validated = result.parsed = len(corrections)
    result.exit_code = result.report.exit_code
    result.seconds = time.perf_counter() - started
    return result


def finish(built: Built) -> None:
    """What quick rebuilds leave until no change is coming (the preview's open pages reloaded, the editor
    reading): the edition's zip, which holds every file and is written whole, and the state's name for the
    site, in the site's manifest too. Until then the state says the zip was made from the texts before the
    corrections, as it was: a full build meanwhile makes it again."""
    if not built.unfinished:
        return
    built.unfinished = False
    state = site_state(built)
    if state is None:  # another build has written the site since: it made the zip
        return
    edition = built.edition
    try:
        archive = edition_zip(edition)
        replace_pages(built.out, [archive])
        state.keep_page(archive.path, digest(edition_zip_inputs(edition)), page_files([archive]), "[]")
        token = state.token({str(f.path): f.key for f in edition_files(edition)})
        state.finish(built.key, token)
        state.seal()
    finally:
        state.close()
    replace_pages(built.out, [Page(MANIFEST, manifest_text(token))])  # the site now names the new state


def site_state(built: Built) -> State | None:
    """The state of the site `built` wrote, open, when it is still that build's (the site names it, and it
    was made with the same edition key, which the build date is part of)."""
    edition = built.edition
    try:
        state = State(built.out)
    except StateBusy:
        return None
    if not state.trusted or state.key != built.key or \
            edition_key(edition.config, edition.built, {e.kind for e in edition.entities.values()}) != built.key:
        state.close()
        return None
    return state


def prepare(built: Built) -> None:
    """Make ready what a quick rebuild uses, while the preview waits for a change: the validator, with the
    edition's files to ask about and its grammar compiled, the anchor registry, and the renderer, with the
    templates of the pages it remakes compiled."""
    if built.validator is None:  # the files it answers about declare the ids they did (`same_file`)
        built.validator = Validator(edition_files(built.edition), built.edition.config, complete_index=False)
        if built.validator.mode == "own":
            grammar()  # compiled once, when first used: a build that validated no file has not
    if built.registry is None:  # as the build read it: a changed registry is not a correction
        built.registry, _ = anchors.read_registry(built.edition.config.project_dir)
        built.live = anchors.live_anchors(built.edition.documents, built.registry)
    if built.renderer is None:
        built.renderer = Renderer(built.edition)
        for template in ("document.html", "entity.html"):
            built.renderer.env.get_template(template)


def corrected_documents(built: Built, changed: set[Path]) -> list[Document] | None:
    """The documents of the changed files, each a whole file holding one document; None if any is not."""
    held = {document.origin.path: document for document in built.edition.documents}
    documents = []
    for path in changed:
        document = held.get(path) or held.get(path.resolve())
        if document is None or document.file is not None or document.includes or \
                len(document.file_facts.documents) != 1:
            return None
        documents.append(document)
    return sorted(documents, key=lambda document: str(document.path))


def read_correction(built: Built, document: Document, state: State, stages: Stages) -> Correction | None:
    """The file of `document` read, validated and derived again; None unless it is valid and a correction
    (`moves_nothing`). Nothing of the edition is changed. What its last validation asked of the other files
    (kept in the `state`) is answered as then: every file declares the ids it did (`same_file`)."""
    config, reading = built.edition.config, reading_of(built.edition.config)
    with stages.timing("parse"):
        signature = file_signature(document.path, reading)
        file, problems = load_document(document.path, reading)
        if file is None or problems or file.includes:
            return None
        file.file_facts = file_facts(file)
        attach_reader(file, [file], reading)
    if not same_file(document.file_facts, file.file_facts):
        return None  # its ids or entries differ: other files' validations and pages may depend on them
    with stages.timing("validate"):
        prepare(built)
        if built.validator.mode == "own":
            built.validator.index.remember(state.asked(str(document.path)))
        found, asked = built.validator.validated(file)
    if any(problem.level is Level.ERROR for problem in found):
        return None
    with stages.timing("enrich"):
        derived = derived_facts(file, built.edition.entities, config)
        file.reader.release_all()
    if not isinstance(derived, list) or len(derived) != 1 or not moves_nothing(document.facts, derived[0]):
        return None
    return Correction(document, file, derived[0], signature, found, asked)


def same_file(before: FileFacts, now: FileFacts) -> bool:
    """Whether the file declares the same ids and defines the same entries as before."""
    return (before.id, before.kind, before.ids, before.entities) == (now.id, now.kind, now.ids, now.entities)


def moves_nothing(before: DocumentFacts, now: DocumentFacts) -> bool:
    """Whether the document's new facts differ from its last ones only where a correction changes no other
    page: its passages' words, its citable units' words and places (the same units, in the same order)."""
    return all(getattr(before, f.name) == getattr(now, f.name) for f in fields(DocumentFacts)
               if f.name not in _CORRECTABLE) and before.citable_anchors() == now.citable_anchors()


def apply(built: Built, correction: Correction, state: State) -> None:
    """The edition's document given its corrected facts and file, and the state its passages, facts and
    validation, as a full build keeps them."""
    document, file, facts = correction.document, correction.file, correction.facts
    path = str(document.path)
    facts.metadata = document.metadata  # the same, as `shown_digest` says: held once
    state.keep_passages(path, facts.id, facts.passages)
    facts.passages = []
    file.file_facts.documents, file.file_facts.signature = [facts], correction.signature
    state.keep_file(path, file.file_facts.as_json())
    Validations(state).keep(file, correction.problems, correction.asked)
    document.facts, document.file_facts, document.key = facts, file.file_facts, file.key
    attach_reader(document, [document], reading_of(built.edition.config))
    let_trees_go([document], built.edition.entities)


def corrected_report(built: Built, corrections: list[Correction], stages: Stages) -> Report:
    """The last build's report with what it said of each corrected file replaced by what is said of it now:
    its validation and what the registry says of its anchors (the stylesheet's messages follow in `remake`)."""
    paths = {correction.document.path for correction in corrections}
    report = Report()
    report.extend(d for d in built.report.diagnostics if d.path not in paths)
    with stages.timing("anchors"):
        for correction in corrections:
            report.extend(correction.problems)
            report.extend(anchors.document_changes(built.registry, built.live, correction.document))
    return report


def remake(built: Built, corrections: list[Correction], state: State, stages: Stages, report: Report) -> None:
    """Make again the pages that show the corrections, replace them in the site, and keep what each was made
    from in the state, as a full build would (cache.py); what the stylesheet says of each text goes to
    `report`."""
    edition = built.edition
    renderer, summaries = built.renderer, Summaries()
    pages, rows = [], []
    documents = [correction.document for correction in corrections]
    corrected = {id(document) for document in documents}
    with stages.timing("transform"):
        for document, made in transformed_and_made(edition, documents, make=renderer.pages_of):
            report.extend(document.messages)
            pages.extend(made)
            rows.append((document.url, digest(document_inputs(document, edition, summaries)), page_files(made),
                         page_messages(document.messages)))
            document.views = {}
    with stages.timing("render"):
        passages = Passages(state)
        named = {entity for c in corrections if c.passages_changed for entity, _ in c.facts.named_entries()}
        for entity in (edition.entities[e] for e in sorted(named) if e in edition.entities):
            for entry_page in entry_pages(entity):
                if any(id(document) in corrected for document in entry_page.documents):
                    page = entity_page(renderer.env, renderer.common, REGISTER_TITLES[entity.kind],
                                       REGISTER_FOLDERS[entity.kind], entity, entry_page, passages)
                    pages.append(page)
                    rows.append((page.path, digest(entry_page.inputs(entity, summaries)), page_files([page]), "[]"))
    with stages.timing("write"):
        replace_pages(built.out, pages)  # before the state says they are made: a failure leaves them to be remade
        for row in rows:
            state.keep_page(*row)
