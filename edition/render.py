"""The site's pages: Jinja2 templates (autoescaped, strict) around the transformed texts and Markdown pages."""

from __future__ import annotations

import json
import os
from bisect import bisect_left
from html import escape
from itertools import accumulate
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from mdit_py_plugins.anchors import anchors_plugin
from mdit_py_plugins.footnote import footnote_plugin

from . import __version__, cite, examples, resources
from .archive import Member, WrittenArchive, write_archive
from .cache import Cache, Summaries, digest, entity_inputs
from .config import CONFIG_NAME, setting_line
from .diagnostics import Diagnostic, error
from .enrich import Passages
from .model import REGISTER_FOLDERS, REGISTER_TITLES, VIEWS, Document, Edition, Entity, view_page
from .write import KEPT


# Folders the site itself writes: a Markdown page of that name would share their address.
RESERVED_PAGES = {"search": "search page", "pagefind": "search index", "documents": "documents list",
                  "people": "register of people", "organisations": "register of organisations",
                  "places": "register of places", "static": "stylesheets and scripts",
                  "glossary": "glossary", "downloads": "downloads"}

# The citation downloads beside each document page.
CSL_JSON = "citation.json"
BIBTEX = "citation.bib"


@dataclass(frozen=True)
class Page:
    """One file of the site: its path below the site's root and its content (text, or bytes as they are);
    an HTML page also has its canonical address, which the sitemap lists. Content that is a function writes
    the file itself: it is called with the open file (binary) and the path of the same page in the site being
    replaced, which may not exist, so that it can draw on what the last build wrote (the edition's zip)."""

    path: str
    # None: the file of the last build is carried over (cache.py); a function: writes the file (a large one)
    content: str | bytes | Callable | None
    canonical: str = ""


# Every page runs only the site's own script files: no inline script, no event-handler attributes, no inline
# styles, no plug-ins, nothing from elsewhere, so nothing in a text (or a Markdown page with raw HTML allowed) can
# run code in a reader's browser. Search needs WebAssembly ('wasm-unsafe-eval' allows compiling it, not eval).
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
                           "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'")


def environment(templates_dir: Path | None = None) -> Environment:
    """The Jinja2 environment: HTML autoescaped, undefined names an error rather than an empty string; an
    edition's own templates folder, when it has one, comes before the built-in templates."""
    folders = [str(templates_dir)] if templates_dir else []
    env = Environment(
        loader=FileSystemLoader([*folders, str(resources.TEMPLATES)]),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.globals["content_security_policy"] = CONTENT_SECURITY_POLICY
    return env


def markdown(raw_html: bool = False) -> MarkdownIt:
    # Raw HTML in Markdown stays text unless the edition's settings allow it (raw_html = true): pages are
    # content, and content must not inject markup. Even allowed, the pages' security policy runs no script.
    md = MarkdownIt("commonmark", {"html": raw_html, "typographer": True}).enable(["table", "replacements", "smartquotes"])
    # markdown-it-py's own plugin collection: footnotes, and an id on each section heading, so a section of a
    # page can be linked to.
    md.use(footnote_plugin).use(anchors_plugin, min_level=2, max_level=3)
    md.add_render_rule("fence", _fence)
    return md


def _fence(renderer, tokens, idx, options, env) -> str:
    # An encoding example was checked and rendered before the page (render_page); any other block is code.
    rendered = env.get("examples", {}).get(tokens[idx].map[0])
    return rendered if rendered is not None else RendererHTML.fence(renderer, tokens, idx, options, env)


def render_page(md: MarkdownIt, path: Path, text: str) -> tuple[str, list[Diagnostic]]:
    """A Markdown page as HTML, its encoding examples (```tei blocks) validated and shown rendered."""
    tokens = md.parse(text)
    rendered, problems, names = {}, [], set()
    for token in tokens:
        if token.type != "fence" or token.map is None:
            continue
        example = examples.example_from_fence(path, token.info, token.content, token.map[0] + 1)
        if example is None:
            continue
        if example.name in names:
            problems.append(error(path, token.map[0] + 1, 1, "example-name",
                                  f"a second example named '{example.name}' on this page: give it a name of its own"))
            continue
        names.add(example.name)
        document, found = examples.check(example)
        problems.extend(found)
        if document is not None:
            rendered[token.map[0]] = examples.render(example, document)
    return md.renderer.render(tokens, md.options, {"examples": rendered}), problems


def render(edition: Edition, cache: Cache | None = None) -> tuple[list[Page], list[Diagnostic]]:
    """Every page of the site, rendered in memory; with a `cache`, the documents it carries over and the
    lists and register pages whose inputs are unchanged stand as pages to carry over from the last site."""
    renderer = Renderer(edition, cache)
    pages = [page for document in edition.documents if not (cache is not None and cache.carried_over(document.url))
             for page in renderer.document(document)]
    return pages + list(renderer.rest()), renderer.diagnostics


class Renderer:
    """The pages of the site: each document's as soon as its text is transformed (`document`), so that a
    build can write them and let the HTML go; then all the rest (`rest`): lists, registers, the pages of the
    documents carried over, the home page, the search page and the files around them."""

    def __init__(self, edition: Edition, cache: Cache | None = None):
        self.edition, self.cache = edition, cache
        self.env = environment(edition.config.templates_dir)
        self.markdown_pages, self.diagnostics = read_markdown_pages(edition.config.pages_dir, edition.config.raw_html)
        menu, problems = site_menu(edition, self.markdown_pages)
        self.diagnostics.extend(problems)
        self.common = {"edition": edition.config, "version": __version__, "built": edition.built, "menu": menu}
        self.canonicals: list[str] = []  # of the document pages rendered so far, for the sitemap

    def document(self, document: Document, made: list[Page] | None = None) -> list[Page]:
        """A document's pages, made from its transformed text (or `made` already, by `pages_of` in the
        transform's workers), noted for the cache and the sitemap."""
        if made is None:
            made = self.pages_of(document)
        if self.cache is not None:
            self.cache.made(document.url, made, document.messages)
        self.canonicals.extend(page.canonical for page in made if page.canonical)
        return made

    def pages_of(self, document: Document) -> list[Page]:
        """A document's pages, made from its transformed text and nothing else of the build's: the transform's
        workers make them (transform.transformed_and_made)."""
        return document_pages(self.edition, self.env, self.common, document)

    def rest(self) -> Iterator[Page]:
        """Every page but those `document` made, each as soon as it is made: a large edition's lists and
        register pages (tens of megabytes each) are not all held at once."""
        canonicals = list(self.canonicals)
        for page in self._lists_and_registers():
            if page.canonical:
                canonicals.append(page.canonical)
            yield page
        yield from furniture_pages(self.edition, self.env, self.common, canonicals)

    def _lists_and_registers(self) -> Iterator[Page]:
        edition, env, common, cache = self.edition, self.env, self.common, self.cache
        home = self.markdown_pages.get("index")
        first = edition.documents[:PER_PAGE]
        # What all pages share (the Markdown pages among it) is in the edition's key; the rest is listed here.
        yield from remade(cache, "index.html", [cache.summaries.of_all(first) if cache else "", len(edition.documents)],
                          lambda: [html_page(env, "home.html", "index.html", common,
                                             body=home["html"] if home else "", documents=first,
                                             total=len(edition.documents), current="home")])
        for slug, page in self.markdown_pages.items():
            if slug != "index":
                yield html_page(env, "page.html", f"{slug}/index.html", common, page=page, current=slug)
        yield from document_list_pages(edition, env, common, cache)
        yield from remade(cache, DOCUMENTS_JSON, [cache.summaries.of_all(edition.documents) if cache else ""],
                          lambda: [Page(DOCUMENTS_JSON, documents_json(edition))])
        yield from remade(cache, EDITION_ZIP, edition_zip_inputs(edition), lambda: [edition_zip(edition)])
        for document in edition.documents:
            if cache is not None and cache.carried_over(document.url):
                yield from carried_pages(cache, document.url)
        yield from departed_document_pages(edition, env, common)
        yield from register_pages(edition, env, common, cache, Passages(cache.last.state if cache else None))
        yield html_page(env, "search.html", "search/index.html", common, current="search")


def document_pages(edition: Edition, env: Environment, common: dict, document: Document) -> list[Page]:
    """A document's page in each view, its citation in CSL-JSON and BibTeX, and its TEI."""
    pages = []
    views = [{"name": view, "page": view_page(view)} for view in VIEWS]
    redirects = edition.redirects.get(document.id, [])
    citing = document_citing(edition, document)
    for view in views:
        # Both views are one text: the canonical address is the document's own, whichever view is shown.
        pages.append(html_page(env, "document.html", f"{document.url}{view['page']}", common,
                               canonical_path=document.url, document=document, view=view, views=views,
                               cite=citing, redirects=redirects, moved_map=moved_map(redirects, document.id),
                               current="documents"))
    pages.append(Page(f"{document.url}{CSL_JSON}",
                      json.dumps([cite.csl_json(edition.config, document, edition.built)],
                                 ensure_ascii=False, indent=2) + "\n"))
    pages.append(Page(f"{document.url}{BIBTEX}", cite.bibtex(edition.config, document, edition.built)))
    pages.append(Page(f"{document.url}{tei_source_name(document)}", document.tei()))
    return pages


def carried_pages(cache: Cache, name: str) -> list[Page]:
    """The files the last build made for `name`, to be carried over as they are."""
    content = KEPT if cache.kept(name) else None
    return [Page(path, content, canonical) for path, canonical in cache.pages(name)]


def remade(cache: Cache | None, name: str, inputs: list, make: Callable[[], list[Page]]) -> list[Page]:
    """The pages of `name` (a list, a register page): carried over when the last build made them from the
    same `inputs`, else made (and noted in the cache)."""
    if cache is None:
        return make()
    if cache.plan(name, digest(inputs)):
        return carried_pages(cache, name)
    pages = make()
    cache.made(name, pages)
    return pages


def html_page(env: Environment, template: str, path: str, common: dict, canonical_path: str | None = None,
              **context) -> Page:
    """One HTML page at `path` in the site: its links relative to the site's root (so the site works under
    any base path), and its canonical address (the page itself unless `canonical_path` names another)."""
    canonical = canonical_url(common["edition"], path, canonical_path)
    return Page(path, env.get_template(template).render(
        **common, **context, root="../" * path.count("/"), canonical=canonical), canonical)


def canonical_url(config, path: str, canonical_path: str | None = None) -> str:
    """Absolute, and without `index.html`, when the site's address is known; otherwise the canonical page's
    file name relative to the page (a page and its canonical page share a folder)."""
    target = canonical_path if canonical_path is not None else path
    base = config.base_url.rstrip("/")
    if base:
        return f"{base}/{target.removesuffix('index.html')}"
    return target.rsplit("/", 1)[-1] or "index.html"


def site_menu(edition: Edition, markdown_pages: dict) -> tuple[list[dict], list[Diagnostic]]:
    """The menu after Home: the `menu` setting's entries in its order, or every section of the site."""
    available = {"documents": "Documents"}
    available.update({folder: REGISTER_TITLES[kind] for kind, folder in REGISTER_FOLDERS.items()
                      if any(e.kind == kind for e in edition.entities.values())})
    available.update({slug: page["title"] for slug, page in markdown_pages.items() if slug != "index"})
    available["search"] = "Search"
    chosen = edition.config.menu or list(available)
    unknown = [key for key in chosen if key not in available]
    problems = []
    if unknown:
        problems.append(error(edition.config.project_dir / CONFIG_NAME,
                              setting_line(edition.config.project_dir, "menu"), 1, "config-menu",
                              f"menu entry '{unknown[0]}' is not a part of this site: use one of "
                              f"{', '.join(available)}"))
    return [{"key": key, "title": available[key]} for key in chosen if key in available], problems


def register_pages(edition: Edition, env: Environment, common: dict, cache: Cache | None = None,
                   passages: Passages | None = None) -> Iterator[Page]:
    """Per register (people, organisations, places): an alphabetical index, and a page per entry listing
    every passage that names it (read from `passages` only for the pages made anew)."""
    passages = passages or Passages()
    for kind, folder in REGISTER_FOLDERS.items():
        entities = sorted((e for e in edition.entities.values() if e.kind == kind), key=lambda e: (e.sort_key, e.id))
        if not entities:
            continue
        heading = REGISTER_TITLES[kind]
        entries = [{"entity": e, "initial": (e.sort_key[:1] or "#").upper()} for e in entities]
        listed = [[entity_inputs(e), e.passages] for e in entities]
        yield from remade(cache, f"{folder}/", listed, lambda: [
            html_page(env, "register.html", f"{folder}/index.html", common, heading=heading, entities=entries,
                      current=folder)])
        summaries = cache.summaries if cache is not None else None
        for entity in entities:
            for entry_page in entry_pages(entity):
                yield from remade(cache, entry_page.pager.path, entry_page.inputs(entity, summaries),
                                  lambda entity=entity, entry_page=entry_page: [
                                      entity_page(env, common, heading, folder, entity, entry_page, passages)])


@dataclass(frozen=True)
class EntryPage:
    """One page of the passages naming a register entry: its pager, the documents holding those passages (in
    the order of `entity.named_in`) and how many passages of the entry come before theirs."""

    pager: Pager
    documents: list
    before: int

    def inputs(self, entity: Entity, summaries: Summaries | None) -> list:
        """What the page shows: the entry, where the page stands among the entry's pages, and its documents with
        their passages. Each page is compared on its own, so a changed passage remakes one page of each entry it
        names, not all of them (an entry named in most documents of a large edition has thousands)."""
        if summaries is None:
            return []
        pager = self.pager
        return [summaries.entity(entity), pager.number, pager.count, pager.total, pager.first, pager.last,
                self.before, summaries.of_all(self.documents, passages=True)]


def entry_pages(entity: Entity) -> Iterator[EntryPage]:
    """The pages of an entry's passages, PER_PAGE to a page, from the number of passages in each document naming
    it (`entity.counts`): no passage is read to know which documents each page shows."""
    ends = list(accumulate(entity.counts))  # the position of each document's last passage
    for pager in pagers(entity.url, entity.passages):
        first = bisect_left(ends, pager.first)  # the document holding the page's first passage
        last = bisect_left(ends, pager.last)  # and its last
        yield EntryPage(pager, entity.named_in[first:last + 1], ends[first - 1] if first else 0)


def entity_page(env: Environment, common: dict, heading: str, folder: str, entity: Entity, entry_page: EntryPage,
                passages: Passages) -> Page:
    """One page of an entry, with the passages naming it that fall on that page (read only while it is
    rendered)."""
    pager = entry_page.pager
    try:
        entity.mentions = passages.of(entity, entry_page.documents, entry_page.before, pager.first, pager.last)
        return html_page(env, "entity.html", pager.path, common, heading=heading, entity=entity, pager=pager,
                         current=folder)
    finally:
        entity.mentions = []


# The most items (documents of a list, passages naming an entry) shown on one page: a list of 100,000
# documents, or an entry named in thousands of passages, would otherwise be one page of tens of megabytes.
PER_PAGE = 500


@dataclass(frozen=True)
class Pager:
    """One page of a long list: its number (from 1) of `count`, the positions of its first and last item (from
    1) of `total`, and its path in the site. The first page is the list's own address (`folder`index.html),
    the others are below it in pages/<number>/."""

    folder: str
    number: int
    count: int
    total: int
    first: int
    last: int

    @property
    def path(self) -> str:
        return f"{self.folder}index.html" if self.number == 1 else f"{self.folder}pages/{self.number}/index.html"

    def href(self, number: int) -> str:
        """The address of page `number` of the list, relative to this page."""
        up = "" if self.number == 1 else "../../"
        return f"{up}index.html" if number == 1 else f"{up}pages/{number}/index.html"


def pagers(folder: str, total: int) -> list[Pager]:
    """The pages of a list of `total` items whose first page is in `folder` (one page, empty, for none)."""
    count = max(1, -(-total // PER_PAGE))
    return [Pager(folder, number, count, total, (number - 1) * PER_PAGE + 1, min(number * PER_PAGE, total))
            for number in range(1, count + 1)]


@dataclass(frozen=True)
class DocumentList:
    """One pre-built list of the documents: all of them, or those of one value of a filter."""

    path: str  # below the site's root, e.g. "documents/type/telegram/"
    facet: str  # "" for the whole list, else the filter's name ("Type")
    label: str  # the value's name ("Telegram"), or "All"
    documents: list


def document_lists(edition: Edition) -> list[DocumentList]:
    """The whole chronological list and one list per value of each filter (type, classification, withheld
    text, person), pre-built so that filtering works without JavaScript."""
    documents = edition.documents
    lists = [DocumentList("documents/", "", "All", documents)]
    for facet, folder, value in [("Type", "type", lambda d: d.metadata.document_type.capitalize()),
                                 ("Classification", "classification", lambda d: d.metadata.classification)]:
        for label in sorted({value(d) for d in documents if value(d)}):
            lists.append(DocumentList(f"documents/{folder}/{_slug(label)}/", facet, label,
                                      [d for d in documents if value(d) == label]))
    withheld = [d for d in documents if d.metadata.withheld.passages]
    lists.append(DocumentList("documents/withheld/", "Withheld text", "With text withheld", withheld))
    naming: dict[str, list[Document]] = {}  # person id -> the documents that name them, in list order
    people: dict[str, Entity] = {}
    for document in documents:
        for person in {e.id: e for e in document.mentions if e.kind == "person"}.values():
            naming.setdefault(person.id, []).append(document)
            people[person.id] = person
    for person in sorted(people.values(), key=lambda e: (e.sort_key, e.id)):
        lists.append(DocumentList(f"documents/person/{person.id}/", "Person", person.name, naming[person.id]))
    return lists


def furniture_pages(edition: Edition, env: Environment, common: dict, canonicals: list[str]) -> list[Page]:
    """404.html, robots.txt and, when the site's address is known, sitemap.xml listing the canonical address
    of every HTML page (a document once, whichever views it has)."""
    base = edition.config.base_url.rstrip("/")
    # A host serves 404.html at any missing address, where relative links would lead nowhere: its links are
    # absolute when the edition's address is known.
    pages = [Page("404.html", env.get_template("404.html").render(
        **common, root=f"{base}/" if base else "", canonical="", current=""))]
    robots = "User-agent: *\nAllow: /\n"
    if base:
        robots += f"Sitemap: {base}/sitemap.xml\n"
        entries = "".join(f"  <url><loc>{escape(url)}</loc><lastmod>{edition.built.isoformat()}</lastmod></url>\n"
                          for url in sorted(set(canonicals)))
        pages.append(Page("sitemap.xml", '<?xml version="1.0" encoding="UTF-8"?>\n'
                          '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + entries + "</urlset>\n"))
    pages.append(Page("robots.txt", robots))
    return pages


# The whole edition's TEI, documents and registers, as one download.
EDITION_ZIP = "downloads/edition-tei.zip"


def tei_source_name(document) -> str:
    """The document's TEI file beside its page, under the document's id."""
    return f"{document.id}.xml"


def edition_zip(edition: Edition) -> Page:
    """The edition's zip, written as the site is (`write_edition_zip`)."""
    return Page(EDITION_ZIP, lambda file, last: write_edition_zip(edition, file, last))


def edition_zip_inputs(edition: Edition) -> list:
    """What the edition's zip holds: each file's name in it and its key."""
    return [[_archive_name(edition, f), f.key] for f in _files(edition)]


def write_edition_zip(edition: Edition, file, last: Path | None = None) -> WrittenArchive:
    """Every TEI file of the edition as it is, in a zip written to `file`, whose entries carry the build date,
    so that the same texts give the same bytes. Each file is read as it goes in: the edition is never held
    in memory whole. The files unchanged since the zip at `last` (the published site's), by their key, are
    copied from it compressed, unread, which gives the same bytes as compressing them again."""
    stamp = (edition.built.year, edition.built.month, edition.built.day, 0, 0, 0)
    members = (Member(_archive_name(edition, document), document.tei, document.key) for document in _files(edition))
    return write_archive(file, members, stamp, last)


def _files(edition: Edition) -> list:
    # Each file once, as read: a volume that holds many documents is one file.
    files = {d.origin.path: d.origin for d in [*edition.documents, *edition.registers]}
    return sorted(files.values(), key=lambda d: d.path.name)


def _archive_name(edition: Edition, document) -> str:
    # The file's path within the project (texts/secto-8.xml), so two files of one name in two folders differ.
    # The build read only files inside the project (build.outside_project).
    path, project = str(document.path), f"{edition.config.project_dir}{os.sep}"
    relative = path[len(project):] if path.startswith(project) else os.path.relpath(path, project)
    return relative.replace(os.sep, "/") if not relative.startswith("..") else f"texts/{document.path.name}"


# The machine-readable list of the documents, at a fixed path.
DOCUMENTS_JSON = "documents/documents.json"


def documents_json(edition: Edition) -> str:
    """Every document as {id, title, date, type, classification, url}, in date order; url relative to the
    site's root, or absolute when the edition has a base_url."""
    base = edition.config.base_url.rstrip("/")
    return json.dumps([{
        "id": d.id, "title": d.metadata.title, "date": d.metadata.date, "type": d.metadata.document_type,
        "classification": d.metadata.classification, "url": f"{base}/{d.url}" if base else d.url,
    } for d in edition.documents], ensure_ascii=False, indent=2) + "\n"


def document_list_pages(edition: Edition, env: Environment, common: dict,
                        cache: Cache | None = None) -> Iterator[Page]:
    lists = document_lists(edition)
    filters = _filters(lists)
    shown = [[facet, [[option.path, option.label, len(option.documents)] for option in options]]
             for facet, options in filters]
    for current in lists:
        # Each page of a list is compared on its own, by the documents it shows: a changed title remakes the
        # page that shows it, not the 200 pages of a list of 100,000 documents.
        for pager in pagers(current.path, len(current.documents)):
            documents = current.documents[pager.first - 1:pager.last]
            inputs = [current.path, current.facet, current.label, shown, pager.number, pager.count, pager.total,
                      pager.first, pager.last, cache.summaries.of_all(documents) if cache else ""]
            yield from remade(cache, pager.path, inputs, lambda current=current, pager=pager, documents=documents: [
                html_page(env, "documents.html", pager.path, common, current_list=current, filters=filters,
                          groups=_by_year_and_month(documents), documents=current.documents, pager=pager,
                          current="documents")])


def _filters(lists: list[DocumentList]) -> list[tuple[str, list[DocumentList]]]:
    """The filtered lists by filter, filters in the order they were made (type, classification, ...)."""
    filters: dict[str, list[DocumentList]] = {}
    for document_list in lists:
        if document_list.facet:
            filters.setdefault(document_list.facet, []).append(document_list)
    return list(filters.items())


# Folders of the documents list: a document may not have one of these ids, or its page would be one of them.
LIST_FOLDERS = ("withheld", "type", "classification", "person", "pages")


def _by_year_and_month(documents: list) -> list[tuple[str, list[tuple[str, list]]]]:
    """[(year, [(month, documents)])] in date order; undated documents last, under "Undated"."""
    groups: dict[str, dict[str, list]] = {}
    for document in documents:
        when = document.metadata.date
        year = when[:4] if when else "Undated"
        month = _MONTHS[int(when[5:7]) - 1] if len(when) >= 7 and when[5:7].isdigit() else ""
        groups.setdefault(year, {}).setdefault(month, []).append(document)
    return [(year, list(months.items())) for year, months in groups.items()]


_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


def document_citing(edition: Edition, document) -> dict:
    """What a document page needs to be cited and recognised by reference managers."""
    config = edition.config
    return {
        "text": cite.document_citation(config, document, edition.built),
        "placeholder": cite.ACCESS_PLACEHOLDER,
        "permalink": cite.permalink(config, document),
        "meta": cite.meta_tags(config, document),
        "json_ld": cite.json_ld(config, document),
        "csl_json": CSL_JSON,
        "bibtex": BIBTEX,
    }


def moved_map(redirects: list, document_id: str) -> dict[str, str]:
    """{old anchor: its new address} for the page's script; "" stands for the document itself."""
    found = {r.anchor: r.target.href() for r in redirects if r.target is not None}
    if document_id in found:
        found[""] = found.pop(document_id)
    return found


def departed_document_pages(edition: Edition, env: Environment, common: dict) -> list[Page]:
    """A page at the address of each registered document that has left the texts, so its citations still
    lead somewhere: to where it went, or to why it was withdrawn."""
    live = {document.id for document in edition.documents}
    pages = []
    for document_id, redirects in sorted(edition.redirects.items()):
        if document_id in live:
            continue
        pages.extend(html_page(env, "moved.html", f"documents/{document_id}/{view_page(view)}", common,
                               canonical_path=f"documents/{document_id}/", document_id=document_id,
                               redirects=redirects, moved_map=moved_map(redirects, document_id), current="documents")
                     for view in VIEWS)
    return pages


def read_markdown_pages(folder: Path, raw_html: bool = False) -> tuple[dict[str, dict], list[Diagnostic]]:
    """Each `*.md` of the pages folder as {slug: {title, html}}; the title is the first `# ` heading."""
    pages, problems = {}, []
    if not folder.is_dir():
        return pages, problems
    md = markdown(raw_html)
    for path in sorted(folder.glob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(error(path, 1, 1, "page-unreadable", f"cannot read this page as UTF-8 text: {exc}"))
            continue
        if path.stem in RESERVED_PAGES:
            problems.append(error(path, 1, 1, "reserved-page",
                                  f"a page named '{path.stem}' would take the address of the site's "
                                  f"{RESERVED_PAGES[path.stem]}: rename the file"))
            continue
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), path.stem)
        body, found = render_page(md, path, text)
        problems.extend(found)
        pages[path.stem] = {"slug": path.stem, "title": title, "html": body}
    return pages, problems
