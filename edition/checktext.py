"""No word of the text lost on the way: the words of a document's TEI text, counted, against the words its
HTML views show.

Words are compared as a multiset, case and whitespace aside. A view may leave words out on purpose (the
reading view a deletion, the diplomatic view a correction), so a word counts as shown when the views
together show it as many times as the TEI has it: the most times any one view shows it. The readings of a
choice are alternatives, so a choice counts as the greater of them. Notes are text like any other; the teiHeader is not (the page template shows the metadata its own way); attribute
values, comments and processing instructions are no words of the text.

A word never runs across an element's start or end tag, in the TEI or in the HTML; a comment or a
processing instruction in the TEI does not break a word. A word broken across a line (lb break="no") is
thus counted as its two parts, which the diplomatic view shows as they are on the paper, at the line
break.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from itertools import groupby

from lxml import etree, html

from .model import TEI

# Letters and digits with the marks that combine with them, and an apostrophe between two of them
# ("Roosevelt’s", "don't" are one word); hyphens, dashes, quotation marks and punctuation separate words.
WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+(?:['’](?:[^\W_]|[\u0300-\u036f])+)*")
APOSTROPHES = str.maketrans({"’": "'"})

# HTML elements whose content is not text a reader reads.
NOT_TEXT = frozenset({"script", "style", "template"})
# The spans and links of the words the edition writes around the text (xslt/, edition/transform.py), by
# class: labels ("Stamp (received)", "handwritten:"), editorial marks ("[sic]"), note numbers and links,
# paragraph numbers, citations. They are not counted, so that they cannot stand in for a lost word of the
# text ("stamp"). Only spans and links: a table's label cells (th class="label") are the document's words.
EDITION_WORDS = frozenset({"label", "visually-hidden", "editorial", "note-ref", "note-back", "note-resp",
                           "pilcrow", "cite-panel"})


@dataclass(frozen=True, order=True)
class Loss:
    """A word of the TEI text that no view shows as often as the TEI has it: how many times it is missing,
    and the innermost element whose own text holds it, with its line in the source."""

    line: int
    element: str  # the element's name as the encoder wrote it: "hi", "frus:attachment", "{urn:x}flag"
    word: str
    missing: int = 1


def words(text: str) -> list[str]:
    """The words of a text: letters and digits, compared with case, the Unicode form and the kind of
    apostrophe set aside."""
    normal = unicodedata.normalize("NFC", text).casefold().translate(APOSTROPHES)
    return WORD.findall(normal)


def document_text(element) -> etree._Element | None:
    """The part of a TEI document whose words count: its tei:text when given the whole TEI (never the
    teiHeader), the element itself when given one (a text, a document's div)."""
    if isinstance(element, etree._ElementTree):
        element = element.getroot()
    if element.tag == f"{{{TEI}}}TEI":
        return element.find(f"{{{TEI}}}text")
    return element


def tei_words(element) -> Counter:
    """The words of a TEI document's text (or of the element given), notes included, as a multiset."""
    text = document_text(element)
    if text is None:
        return Counter()
    return Counter(word for _, words_held in _words_by_holder(text) for word in words_held)


def html_words(markup: str) -> Counter:
    """The words an HTML fragment shows, as a multiset (the text of scripts and styles left out)."""
    return Counter(_html_sequence(markup))


def shortfall(document_element, views: dict[str, str]) -> list[Loss]:
    """The words of the document's text that its views, taken together, do not show, each located at an
    element that holds it; an empty list when nothing is lost."""
    text = document_text(document_element)
    if text is None:
        return []
    sequences = [_html_sequence(markup) for markup in views.values()]
    shown = Counter()
    for sequence in sequences:
        shown |= Counter(sequence)
    held = [(holder, word) for holder, found in _words_by_holder(text) for word in found]
    missing = _expected(text, held) - shown
    if not missing:
        return []
    neighbours = {pair for sequence in sequences for pair in zip(sequence, sequence[1:])}
    return sorted(_locate(missing, held, neighbours))


@dataclass(frozen=True)
class ElementLoss:
    """The words one element lost, for a report line: where, how many, and which ('"foo", "bar" ×2')."""

    line: int
    element: str
    count: int
    listed: str


def by_element(losses: list[Loss]) -> list[ElementLoss]:
    """The losses grouped by the element that holds them, in source order."""
    grouped = []
    for (line, element), group in groupby(sorted(losses), key=lambda loss: (loss.line, loss.element)):
        group = list(group)
        listed = ", ".join(f'"{loss.word}"' + (f" ×{loss.missing}" if loss.missing > 1 else "") for loss in group)
        grouped.append(ElementLoss(line, element, sum(loss.missing for loss in group), listed))
    return grouped


def format_losses(path: str, losses: list[Loss]) -> list[str]:
    """One line per element that lost words, in source order:
    `texts/x.xml:41: 2 words of <hi> missing: "bar", "foo"` (a word missing more than once: "foo" ×2)."""
    return [f"{path}:{lost.line}: {lost.count} word{'s' if lost.count != 1 else ''} of <{lost.element}> missing: "
            f"{lost.listed}" for lost in by_element(losses)]


def _html_sequence(markup: str) -> list[str]:
    """The words an HTML fragment shows, in order."""
    if not markup.strip():
        return []
    root = html.fragment_fromstring(markup, create_parent="div")
    return [word for _, run in _runs(root, skip=_not_the_texts) for word in words(run)]


def _not_the_texts(element) -> bool:
    """Whether an HTML element holds no words of the document's text: a script, a label of the edition's."""
    if element.tag in NOT_TEXT:
        return True
    return element.tag in ("span", "a") and not EDITION_WORDS.isdisjoint((element.get("class") or "").split())


def _words_by_holder(element: etree._Element) -> list[tuple[etree._Element, list[str]]]:
    """The words of each run of text under the element, with the innermost element whose own text it is."""
    return [(holder, found) for holder, run in _runs(element) if (found := words(run))]


def _runs(element, skip=lambda element: False):
    """(holder, text) for each stretch of text between two tags, in document order: a comment or a
    processing instruction does not end a stretch, and its own text is not part of it. Elements for which
    `skip` is true are left out with their content."""
    pending: list[str] = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str):
            yield element, "".join(pending)
            if not skip(child):
                yield from _runs(child, skip)
            pending = []
        pending.append(child.tail or "")
    yield element, "".join(pending)


def _expected(text: etree._Element, held: list[tuple[etree._Element, str]]) -> Counter:
    """The words the views must show between them: every word of the text, except that a choice counts as
    the greater of its readings, not their sum (sic "THEY THEY" beside corr "THEY": no view shows three)."""
    own: dict[int, Counter] = {}
    for holder, word in held:
        own.setdefault(id(holder), Counter())[word] += 1

    def count(element) -> Counter:
        total = Counter(own.get(id(element), ()))
        parts = [count(child) for child in element if isinstance(child.tag, str)]
        alternatives = element.tag == f"{{{TEI}}}choice"
        for part in parts:
            if alternatives:
                total |= part
            else:
                total += part
        return total

    return count(text)


def _locate(missing: Counter, held: list[tuple[etree._Element, str]], neighbours: set) -> list[Loss]:
    """Place each missing word at the elements that hold it. When a word occurs more often than it is
    missing, the occurrences lost are taken to be, in this order: those whose neighbours in the TEI are not
    its neighbours in any view; those in elements with the most missing words, and the largest share of
    them (a whole element dropped rather than one repetition of a common word); the later ones."""
    lost, total = Counter(), Counter()
    for holder, word in held:
        lost[id(holder)] += word in missing
        total[id(holder)] += 1
    suspicion = {key: lost[key] * lost[key] / total[key] for key in total}

    def likelihood(order: int) -> tuple:
        holder, word = held[order]
        before = order > 0 and (held[order - 1][1], word) in neighbours
        after = order + 1 < len(held) and (word, held[order + 1][1]) in neighbours
        return (before + after, -suspicion[id(holder)], -order)

    to_place = Counter(missing)
    placed: Counter = Counter()
    for order in sorted((order for order, (_, word) in enumerate(held) if word in missing), key=likelihood):
        holder, word = held[order]
        if to_place[word]:
            to_place[word] -= 1
            placed[(holder, word)] += 1
    return [Loss(holder.sourceline or 0, element_name(holder), word, count)
            for (holder, word), count in placed.items()]


def element_name(element: etree._Element) -> str:
    """A TEI element by its local name, any other by its prefix as written ("frus:attachment"), or by its
    namespace when it has no prefix."""
    qname = etree.QName(element)
    if qname.namespace in (TEI, None):
        return qname.localname
    if element.prefix:
        return f"{element.prefix}:{qname.localname}"
    return f"{{{qname.namespace}}}{qname.localname}"

