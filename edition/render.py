"""The site's pages: Jinja2 templates (autoescaped, strict) around the transformed texts and Markdown pages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markdown_it import MarkdownIt

from . import __version__, resources
from .diagnostics import Diagnostic, error
from .model import VIEWS, Edition, view_page


@dataclass(frozen=True)
class Page:
    """One file of the site: its path below the site's root and its content."""

    path: str
    content: str


def environment() -> Environment:
    """The Jinja2 environment: HTML autoescaped, undefined names an error rather than an empty string."""
    return Environment(
        loader=FileSystemLoader(str(resources.TEMPLATES)),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def markdown() -> MarkdownIt:
    # Raw HTML in Markdown stays text: pages are content, and content must not inject markup.
    return MarkdownIt("commonmark", {"html": False, "typographer": True}).enable(["table", "replacements", "smartquotes"])


def render(edition: Edition) -> tuple[list[Page], list[Diagnostic]]:
    """Every page of the site, rendered in memory."""
    env = environment()
    common = {"edition": edition.config, "version": __version__}
    markdown_pages, diagnostics = read_markdown_pages(edition.config.pages_dir)
    pages = []
    home = markdown_pages.pop("index", None)
    pages.append(Page("index.html", env.get_template("home.html").render(
        **common, root="", body=home["html"] if home else "", documents=edition.documents,
        pages=_menu(markdown_pages), current="home")))
    for slug, page in markdown_pages.items():
        pages.append(Page(f"{slug}/index.html", env.get_template("page.html").render(
            **common, root="../", page=page, pages=_menu(markdown_pages), current=slug)))
    pages.append(Page("documents/index.html", env.get_template("documents.html").render(
        **common, root="../", documents=edition.documents, heading="Documents", only_withheld=False,
        pages=_menu(markdown_pages), current="documents")))
    withheld = [d for d in edition.documents if d.metadata.withheld.passages]
    pages.append(Page("documents/withheld/index.html", env.get_template("documents.html").render(
        **common, root="../../", documents=withheld, heading="Documents with text withheld at declassification",
        only_withheld=True, pages=_menu(markdown_pages), current="documents")))
    views = [{"name": view, "page": view_page(view)} for view in VIEWS]
    for document in edition.documents:
        for view in views:
            pages.append(Page(f"{document.url}{view['page']}", env.get_template("document.html").render(
                **common, root="../../", document=document, view=view, views=views,
                pages=_menu(markdown_pages), current="documents")))
    return pages, diagnostics


def read_markdown_pages(folder: Path) -> tuple[dict[str, dict], list[Diagnostic]]:
    """Each `*.md` of the pages folder as {slug: {title, html}}; the title is the first `# ` heading."""
    pages, problems = {}, []
    if not folder.is_dir():
        return pages, problems
    md = markdown()
    for path in sorted(folder.glob("*.md")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(error(path, 1, 1, "page-unreadable", f"cannot read this page as UTF-8 text: {exc}"))
            continue
        title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), path.stem)
        pages[path.stem] = {"slug": path.stem, "title": title, "html": md.render(text)}
    return pages, problems


def _menu(pages: dict[str, dict]) -> list[dict]:
    return [{"slug": slug, "title": page["title"]} for slug, page in pages.items()]
