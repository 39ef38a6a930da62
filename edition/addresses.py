"""Addresses a TEI file gives (links, facsimiles, pointers) that would be unsafe on a web page.

A page may link only to what a reader's browser can follow harmlessly: a relative path, a fragment, http(s)
or mailto. `javascript:`, `data:`, `vbscript:` or any other scheme in a pointer is an error where it is
written, so it never reaches a page (the stylesheets also refuse to make such a value a link).
"""

from __future__ import annotations

import re

from .diagnostics import Diagnostic, element_column, error
from .model import Document

# The TEI attributes whose values are pointers (teidata.pointer), single or space-separated.
POINTER_ATTRIBUTES = frozenset({
    "target", "facs", "url", "ref", "corresp", "source", "sameAs", "copyOf", "next", "prev", "ana", "resp",
    "who", "hand", "wit", "decls", "rendition", "scribeRef", "scriptRef", "nymRef", "change", "synch",
    "spanTo", "{http://www.w3.org/XML/1998/namespace}base", "href",
})
SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# Browsers drop ASCII tabs and line breaks anywhere in a URL and control characters and spaces around it,
# so "java\tscript:" is javascript: to them, and must be to us.
_IGNORED_BY_BROWSERS = re.compile(r"[\t\n\r]")


def unsafe_scheme(value: str) -> str | None:
    """The scheme of an address a page must not link to, or None when it is safe."""
    address = _IGNORED_BY_BROWSERS.sub("", value).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e"
                                                        "\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a"
                                                        "\x1b\x1c\x1d\x1e\x1f ")
    found = _SCHEME.match(address)
    if found is None or found.group(1).lower() in SAFE_SCHEMES:
        return None
    return found.group(1).lower()


def unsafe_addresses(document: Document) -> list[Diagnostic]:
    """Every pointer in the document whose scheme a page must not carry, located at its element."""
    problems = []
    for element in document.root.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name not in POINTER_ATTRIBUTES:
                continue
            for token in value.split(" ") if name != "url" else [value]:
                scheme = unsafe_scheme(token)
                if scheme is not None:
                    problems.append(_unsafe(document, element, name, token, scheme))
    return problems


def _unsafe(document: Document, element, attribute: str, value: str, scheme: str) -> Diagnostic:
    line, col = element_column(document.lines(), element)
    shown = _visible(value if len(value) <= 60 else value[:57] + "…")
    name = "xml:base" if attribute.startswith("{") else attribute
    return error(document.path, line, col, "unsafe-address",
                 f"@{name}=\"{shown}\" uses the scheme '{scheme}:', which a web page must not link to (it could "
                 "run code in a reader's browser): only relative paths, #fragments, http(s): and mailto: are "
                 "allowed; correct or remove the address")


def _visible(value: str) -> str:
    """The value with its control characters written out (a tab as \\t), as the editor must find them."""
    return "".join(repr(c)[1:-1] if ord(c) < 32 else c for c in value)
