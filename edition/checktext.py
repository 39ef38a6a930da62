"""No word of the text lost on the way: each word of a document's TEI text, where it occurs, found in one of
its HTML views.

A view may leave words out on purpose (the reading view a deletion, the diplomatic view a correction), so an
occurrence counts as shown when either view shows it. To know which occurrence a view shows, a copy of the
document in which every word of the text is a numbered mark goes through the stylesheet too: a mark the
marked view shows is that occurrence shown. Counting words could not tell occurrences apart, and the same
word deleted in one place and expanded in another ("<del>REPEAT</del> ... <expan>REPEAT</expan>") would
seem to need one view showing it twice. The marks keep the text's spaces and punctuation, so the stylesheet
makes the same decisions on both (empty or not, normalize-space); it makes none on the words themselves but
one: a gap's lone desc that repeats its placeholder ("[2 lines not declassified]") is left out. The words of
such a desc stay unmarked, so that the copy is rendered alike, and count as shown when a view shows them as
often outside marks (the placeholder's words).

The marked views only map the views the build made: a marked view is compared word by word with its view,
and a mark counts only where the two agree. They always agree when nothing after the stylesheet changes the
view; where they do not, the words of the view are aligned with the marked ones, and a mark where the view
lacks its word is lost.

Words are compared with case, the Unicode form and the kind of apostrophe set aside. Notes are text like any
other; the teiHeader is not (the page template shows the metadata its own way); attribute values, comments
and processing instructions are no words of the text. A word never runs across an element's start or end
tag, in the TEI or in the HTML; a comment or a processing instruction in the TEI does not break a word. A
word broken across a line (lb break="no") is thus two occurrences, which the diplomatic view shows as they
are on the paper, and the reading view joined again.
"""

from __future__ import annotations

import copy
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from pathlib import Path

from lxml import etree, html

from .model import TEI, XML_ID, Document, Edition
from .transform import transform_document

# Letters and digits with the marks that combine with them, and an apostrophe between two of them
# ("Roosevelt’s", "don't" are one word); hyphens, dashes, quotation marks and punctuation separate words.
WORD = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+(?:['’](?:[^\W_]|[\u0300-\u036f])+)*")
APOSTROPHES = str.maketrans({"’": "'"})

# The mark that stands for one occurrence in the marked copy: its number between two characters of the
# private use area, which no stylesheet writes. The text's own digits are words, so marked: a private use
# character the text has itself cannot be read as a mark's start (but in the few words left unmarked).
MARK = "\ue000{}\ue001"
MARKS = re.compile("\ue000([0-9]+)\ue001")

# HTML elements whose content is not text a reader reads.
NOT_TEXT = frozenset({"script", "style", "template"})
# The spans and links of the words the edition writes around the text (xslt/, edition/transform.py), by
# class: labels ("Stamp (received)", "handwritten:"), editorial marks ("[sic]"), note numbers and links,
# paragraph numbers, citations. They are not counted, so that they cannot stand in for a lost word of the
# text ("stamp"). Only spans and links: a table's label cells (th class="label") are the document's words.
EDITION_WORDS = frozenset({"label", "visually-hidden", "editorial", "note-ref", "note-back", "note-resp",
                           "pilcrow", "cite-panel"})

# A TEI tree rendered in a view, as the views checked were: the HTML of its text.
Render = Callable[[etree._ElementTree, str], str]


@dataclass(frozen=True, order=True)
class Loss:
    """A word of the TEI text that neither view shows: the innermost element whose own text holds it, with
    its line in the source, and how many of the word's occurrences there are lost."""

    line: int
    element: str  # the element's name as the encoder wrote it: "hi", "frus:attachment", "{urn:x}flag"
    word: str
    missing: int = 1


@dataclass(frozen=True)
class Occurrence:
    """One word where the TEI text has it: the element whose own text holds it, and the word as written."""

    holder: etree._Element
    written: str

    @property
    def word(self) -> str:
        """The word as compared."""
        return _compared(self.written)


@dataclass
class Marking:
    """A copy of a TEI tree whose text's words are marks: occurrence n, the word written[n] of the element
    holders[n], is MARK.format(n) there. The occurrences the stylesheet decides on by their words stay
    written, and are listed apart."""

    tree: etree._ElementTree
    written: list[str]
    holders: list[etree._Element]
    unmarked: list[Occurrence]

    @property
    def marked(self) -> list[Occurrence]:
        """The occurrences marked, by number."""
        return [Occurrence(holder, written) for holder, written in zip(self.holders, self.written)]


def words(text: str) -> list[str]:
    """The words of a text: letters and digits, compared with case, the Unicode form and the kind of
    apostrophe set aside."""
    return [_compared(word) for word in WORD.findall(text)]


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
    return Counter(word for _, slots in _runs(text) for word in words(_text(slots)))


def html_words(markup: str) -> Counter:
    """The words an HTML fragment shows, as a multiset (the text of scripts and styles left out)."""
    return Counter(_html_sequence(markup))


def document_losses(document: Document, edition: Edition) -> list[Loss]:
    """The words of a document's text that neither of the views the build gave it shows."""
    def render(tree: etree._ElementTree, view: str) -> str:
        return transform_document(replace(document, tree=tree), view, edition)[0]

    return shortfall(document.root, document.views, render)


def shortfall(document_element, views: dict[str, str], render: Render | None = None) -> list[Loss]:
    """The words of the document's text that none of its views shows, each located at the element that
    holds it; an empty list when nothing is lost. `render` makes a view as the views were made (by default
    the edition's stylesheet, without the edition's links between documents)."""
    text = document_text(document_element)
    if text is None:
        return []
    marking = mark(text)
    render = render or _stylesheet_alone
    shown, outside_marks = set(), Counter()
    for view, markup in views.items():
        found, unmarked_words = _shown(markup, render(marking.tree, view), marking)
        shown |= found
        outside_marks |= unmarked_words
    lost = [Occurrence(marking.holders[number], marking.written[number])
            for number in range(len(marking.written)) if number not in shown]
    return _by_holder(lost + _unmarked_lost(marking.unmarked, outside_marks))


def mark(document_element) -> Marking:
    """A copy of the whole tree holding the document's text, each word of the text a mark (the text as
    document_text takes it, which must be there)."""
    text = document_text(document_element)
    tree = copy.deepcopy(text.getroottree())
    counterpart = tree.xpath(text.getroottree().getpath(text))[0]
    marking, decided = Marking(tree, [], [], []), _decided_on(text)
    for (holder, _), (_, slots) in zip(_runs(text), _runs(counterpart)):
        run = _text(slots)
        found = WORD.findall(run)
        if not found:
            continue
        if holder in decided:
            marking.unmarked.extend(Occurrence(holder, written) for written in found)
            continue
        first = len(marking.written)
        marking.written.extend(found)
        marking.holders.extend([holder] * len(found))
        _mark_run(slots, run, first)
    return marking


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
    for (line, element), group in itertools.groupby(sorted(losses), key=lambda loss: (loss.line, loss.element)):
        group = list(group)
        listed = ", ".join(f'"{loss.word}"' + (f" ×{loss.missing}" if loss.missing > 1 else "") for loss in group)
        grouped.append(ElementLoss(line, element, sum(loss.missing for loss in group), listed))
    return grouped


def format_losses(path: str, losses: list[Loss]) -> list[str]:
    """One line per element that lost words, in source order:
    `texts/x.xml:41: 2 words of <hi> missing: "bar", "foo"` (a word missing more than once: "foo" ×2)."""
    return [f"{path}:{lost.line}: {lost.count} word{'s' if lost.count != 1 else ''} of <{lost.element}> missing: "
            f"{lost.listed}" for lost in by_element(losses)]


def element_name(element: etree._Element) -> str:
    """A TEI element by its local name, any other by its prefix as written ("frus:attachment"), or by its
    namespace when it has no prefix."""
    qname = etree.QName(element)
    if qname.namespace in (TEI, None):
        return qname.localname
    if element.prefix:
        return f"{element.prefix}:{qname.localname}"
    return f"{{{qname.namespace}}}{qname.localname}"


def _spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of each word of a text, the word as compared."""
    return [(found.start(), found.end(), _compared(found.group())) for found in WORD.finditer(text)]


def _compared(word: str) -> str:
    # Most words are ASCII, which has one case fold, one Unicode form and one apostrophe: the quick way.
    if word.isascii():
        return word.lower()
    return unicodedata.normalize("NFC", word).casefold().translate(APOSTROPHES)


def _stylesheet_alone(tree: etree._ElementTree, view: str) -> str:
    """The HTML of a TEI tree's text in a view, by the edition's stylesheet with no edition around it."""
    document = Document(Path(), tree, [], id=tree.getroot().get(XML_ID) or "")
    return transform_document(document, view)[0]


def _decided_on(text: etree._Element) -> set:
    """The elements whose words the stylesheet reads to decide what to show: a gap's desc, when it is the
    gap's only element, is left out if it repeats the placeholder (xslt/signs.xsl, repeats-label)."""
    decided = set()
    for gap in text.iter(f"{{{TEI}}}gap"):
        children = [child for child in gap if isinstance(child.tag, str)]
        if len(children) == 1 and children[0].tag == f"{{{TEI}}}desc":
            decided.update(children[0].iter())
    return decided


def _mark_run(slots: list, run: str, first: int) -> None:
    """Write each word of a run as its mark, numbered on from `first`, in the slot of text where the word
    starts; a word that goes on past a comment loses the rest of its letters there. What lies between words
    stays where it was."""
    numbers = itertools.count(first)
    if len(slots) == 1:  # a run in one piece, as most are: in one pass
        node, attribute = slots[0]
        setattr(node, attribute, WORD.sub(lambda _: MARK.format(next(numbers)), run))
        return
    spans = [(*word.span(), next(numbers)) for word in WORD.finditer(run)]
    k, offset = 0, 0
    for node, attribute in slots:
        end = offset + len(getattr(node, attribute) or "")
        pieces, position = [], offset
        while k < len(spans) and spans[k][0] < end:
            start, stop, number = spans[k]
            if start >= offset:
                pieces += [run[position:start], MARK.format(number)]
            position = min(stop, end)
            if stop > end:
                break
            k += 1
        pieces.append(run[position:end])
        setattr(node, attribute, "".join(pieces) or None)
        offset = end


def _marked_sequence(markup: str, written: list[str]) -> list[tuple[str, tuple[int, ...]]]:
    """The words a marked view shows, in order, each with the occurrences (marks) it is made of: none for
    the edition's own words and unmarked ones, two for a word the reading view joins across a line."""
    if not markup.strip():
        return []
    root = html.fragment_fromstring(markup, create_parent="div")
    return [found for _, slots in _runs(root, skip=_not_the_texts) for found in _restored_run(_text(slots), written)]


def _restored_run(run: str, written: list[str]) -> list[tuple[str, tuple[int, ...]]]:
    """The words of a run of a marked view, each mark written back as its word so that the words are those
    of the real view, each with the numbers of the marks it holds."""
    parts, marks, length, position = [], [], 0, 0
    for found in MARKS.finditer(run):
        word = written[int(found.group(1))]
        parts += [run[position:found.start()], word]
        length += found.start() - position
        marks.append((length, length + len(word), int(found.group(1))))
        length += len(word)
        position = found.end()
    parts.append(run[position:])
    sequence, k = [], 0
    for start, end, word in _spans("".join(parts)):
        while k < len(marks) and marks[k][1] <= start:
            k += 1
        held, j = [], k
        while j < len(marks) and marks[j][0] < end:
            held.append(marks[j][2])
            j += 1
        sequence.append((word, tuple(held)))
    return sequence


def _shown(markup: str, marked_markup: str, marking: Marking) -> tuple[set[int], Counter]:
    """The marks a view shows, and the words it shows outside marks where it agrees with the marked view
    (wanted only where some words are unmarked)."""
    restored = MARKS.sub(lambda found: marking.written[int(found.group(1))], marked_markup)
    if restored == markup and not marking.unmarked:
        # The view is the marked view with each mark written back as its word: a mark it shows in its text
        # is a word the view shows there.
        return _marks_in_text(marked_markup), Counter()
    return _agreeing(_html_sequence(markup), _marked_sequence(marked_markup, marking.written))


def _marks_in_text(markup: str) -> set[int]:
    """The marks in the text of a marked view, the edition's own words left out as _runs leaves them out."""
    root = html.fragment_fromstring(markup, create_parent="div")
    for element in [element for element in root.iter(*NOT_TEXT, "span", "a") if _not_the_texts(element)]:
        element.drop_tree()
    return {int(number) for number in MARKS.findall(root.text_content())}


def _agreeing(real: list[str], marked: list[tuple[str, tuple[int, ...]]]) -> tuple[set[int], Counter]:
    """The marks a view shows, where its words agree with the marked view's, and the words without a mark
    shown there."""
    if real == [word for word, _ in marked]:
        agreed = marked
    else:
        # Without autojunk: it would never match a word as common as "the", and lose it.
        matcher = SequenceMatcher(None, real, [word for word, _ in marked], autojunk=False)
        agreed = [marked[j] for block in matcher.get_matching_blocks() for j in range(block.b, block.b + block.size)]
    shown = {number for _, numbers in agreed for number in numbers}
    return shown, Counter(word for word, numbers in agreed if not numbers)


def _unmarked_lost(unmarked: list[Occurrence], shown: Counter) -> list[Occurrence]:
    """The unmarked occurrences a view does not show as often as the TEI has them: the later ones."""
    to_lose = Counter(occurrence.word for occurrence in unmarked) - shown
    lost = []
    for occurrence in reversed(unmarked):
        if to_lose[occurrence.word]:
            to_lose[occurrence.word] -= 1
            lost.append(occurrence)
    return lost


def _by_holder(lost: list[Occurrence]) -> list[Loss]:
    """The occurrences lost, counted by element and word."""
    counted = Counter((occurrence.holder, occurrence.word) for occurrence in lost)
    return sorted(Loss(holder.sourceline or 0, element_name(holder), word, count)
                  for (holder, word), count in counted.items())


def _html_sequence(markup: str) -> list[str]:
    """The words an HTML fragment shows, in order."""
    if not markup.strip():
        return []
    root = html.fragment_fromstring(markup, create_parent="div")
    return [word for _, slots in _runs(root, skip=_not_the_texts) for word in words(_text(slots))]


def _not_the_texts(element) -> bool:
    """Whether an HTML element holds no words of the document's text: a script, a label of the edition's."""
    if element.tag in NOT_TEXT:
        return True
    return element.tag in ("span", "a") and not EDITION_WORDS.isdisjoint((element.get("class") or "").split())


def _runs(element, skip=lambda element: False):
    """(holder, slots) for each stretch of text between two tags, in document order: the slots are where
    its pieces are kept, (node, "text" or "tail"), as a comment or a processing instruction does not end a
    stretch, and its own text is not part of it. Elements for which `skip` is true are left out with their
    content."""
    slots = [(element, "text")]
    for child in element:
        if isinstance(child.tag, str):
            yield element, slots
            if not skip(child):
                yield from _runs(child, skip)
            slots = []
        slots.append((child, "tail"))
    yield element, slots


def _text(slots) -> str:
    return "".join(getattr(node, attribute) or "" for node, attribute in slots)
