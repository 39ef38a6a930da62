"""The site as a reader uses it, in Debian's Chromium driven by Playwright, against the bundled site served on
127.0.0.1 by the tests: the view switch, permalinks, copying a citation, search, the registers, the keyboard,
and a page read without JavaScript. Every test also checks that the browser logged no error and asked for
nothing outside 127.0.0.1. Screenshots go to test-artifacts/."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from conftest import ROOT

SECTO = "documents/secto-8/"
PERMALINK = "https://edition.example.org/documents/secto-8/#secto-8-p1"
ARTIFACTS = ROOT / "test-artifacts"

# What a document page may weigh with its stylesheet and scripts, as the browser fetched them (the page itself
# included): SECTO 8, the edition's longest document, with its 19 notes, citation panels and registers'
# identifications, is about 120 kB. The text is in the HTML; the scripts only add to it.
WEIGHT_BUDGET = 200_000


@pytest.fixture(autouse=True)
def reader(page, served_site):
    """Every test's page, watched: console errors, uncaught exceptions and requests that leave 127.0.0.1
    fail the test."""
    errors, outside = [], []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda exception: errors.append(str(exception)))
    page.on("request", lambda request: outside.append(request.url)
            if urlsplit(request.url).hostname not in ("127.0.0.1", None) else None)
    yield page
    assert errors == [], "the browser logged errors"
    assert outside == [], "the page asked for something outside 127.0.0.1"


def screenshot(page, name: str, start: str = "main") -> None:
    """The window's view from the element `start` down (a document's text, say), as a PNG in test-artifacts/."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.locator(start).first.evaluate("e => e.scrollIntoView()")
    page.screenshot(path=ARTIFACTS / f"{name}.png")


def paragraph_is_the_target(page, anchor: str) -> None:
    paragraph = page.locator(f"[id='{anchor}']")
    expect(paragraph).to_be_in_viewport()
    assert page.evaluate("location.hash") == f"#{anchor}"
    # Highlighted: the target's tint, which no other paragraph has.
    tint = paragraph.evaluate("p => getComputedStyle(p).backgroundColor")
    plain = page.locator(".tei-text .p:not(:target)").first.evaluate("p => getComputedStyle(p).backgroundColor")
    assert tint != plain and tint != "rgba(0, 0, 0, 0)"


def test_the_view_switch_works_and_the_choice_survives_a_reload(page, served_site):
    page.goto(served_site + SECTO)
    expect(page.locator(".tei-text")).to_have_class("tei-text view-reading")
    screenshot(page, "secto-8-reading", "nav.views")
    page.get_by_role("navigation", name="View").get_by_role("link", name="Diplomatic").click()
    page.wait_for_url("**/diplomatic.html")
    expect(page.locator(".tei-text")).to_have_class("tei-text view-diplomatic")
    screenshot(page, "secto-8-diplomatic", "nav.views")
    page.reload()
    expect(page.locator(".tei-text")).to_have_class("tei-text view-diplomatic")
    page.goto(served_site + SECTO + "index.html")  # the reading view's address, with the diplomatic one chosen
    page.wait_for_url("**/diplomatic.html")
    page.get_by_role("navigation", name="View").get_by_role("link", name="Reading").click()
    page.wait_for_url("**/secto-8/index.html")
    page.reload()
    expect(page.locator(".tei-text")).to_have_class("tei-text view-reading")


def test_a_permalink_scrolls_to_its_paragraph_and_highlights_it(page, served_site):
    page.goto(served_site + SECTO + "#secto-8-p3")
    paragraph_is_the_target(page, "secto-8-p3")
    expect(page.locator("[id='secto-8-p3'] > .cite-panel")).to_be_visible()
    expect(page.locator("[id='secto-8-p2'] > .cite-panel")).to_be_hidden()


def test_a_paragraphs_citation_is_copied_with_its_permalink(page, context, served_site):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(served_site + SECTO + "#secto-8-p1")
    button = page.locator("[id='secto-8-p1'] > .cite-panel > button.cite-copy")
    expect(button).to_have_text("Copy citation")
    button.click()
    expect(button).to_have_text("Copied")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("“Telegram From Secretary of State Rusk to the Department of State (SECTO 8), Paris")
    assert "paragraph 1. " in copied and f" {PERMALINK} (accessed " in copied
    assert "[date of access]" not in copied  # filled in with today's date


def test_search_finds_mona_lisa_and_leads_to_the_paragraph(page, served_site):
    page.goto(served_site + "search/index.html")
    page.get_by_label("Search the documents and pages").fill("Mona Lisa")
    page.keyboard.press("Enter")
    passage = page.locator(".search-results a[href*='#secto-8-p1']").first
    expect(passage).to_be_visible()
    expect(passage.locator("mark").first).to_have_text("MONA")
    # The filters count what the search found: only SECTO 8 (1962) among the documents.
    years = page.locator("fieldset.search-filter", has_text="Year").locator("label")
    expect(years.filter(has_text="1962")).to_have_text("1962 (1)")
    expect(years.filter(has_text="1963")).to_have_text("1963 (0)")
    screenshot(page, "search-mona-lisa")
    passage.click()
    page.wait_for_url("**/secto-8/**#secto-8-p1")
    paragraph_is_the_target(page, "secto-8-p1")
    expect(page.locator("[id='secto-8-p1']")).to_contain_text("MONA LISA")


def test_a_persons_page_leads_to_the_paragraph_that_names_him(page, served_site):
    page.goto(served_site + "people/person-de-gaulle/index.html")
    mention = page.locator(".mention-list a[href*='#secto-8-p']").first
    anchor = mention.get_attribute("href").rsplit("#", 1)[1]
    mention.click()
    page.wait_for_url(f"**#{anchor}")
    paragraph_is_the_target(page, anchor)
    expect(page.locator(f"[id='{anchor}'] a.name[data-ref='person-de-gaulle']").first).to_be_visible()


def test_a_name_shows_its_identification_on_hover_and_focus(page, served_site):
    page.goto(served_site + SECTO)
    name = page.locator("a.name[data-ref='person-de-gaulle']").first
    popover = page.locator("#name-popover")
    name.hover()
    expect(popover).to_be_visible()
    expect(popover).to_have_text(name.get_attribute("data-note"))
    expect(name).to_have_attribute("aria-describedby", "name-popover")
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    page.mouse.move(0, 0)
    name.focus()
    expect(popover).to_be_visible()
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    name.blur()
    name.focus()
    expect(popover).to_be_visible()
    page.get_by_role("navigation", name="View").get_by_role("link", name="Diplomatic").focus()
    expect(popover).to_be_hidden()
    expect(name).not_to_have_attribute("aria-describedby", "name-popover")


# Number every control a keyboard could reach (shown, not disabled, not taken out of the tab order), and tell
# which of them has the focus and whether its focus is drawn.
NUMBER_CONTROLS = """() => Array.from(document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]'))
  .filter(e => e.tabIndex >= 0 && !e.disabled && e.checkVisibility({visibilityProperty: true}))
  .map((e, i) => { e.dataset.control = i; return e.outerHTML.slice(0, 100); })"""

FOCUSED = """() => {
  const e = document.activeElement, style = getComputedStyle(e);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return {control: e.dataset.control === undefined ? null : Number(e.dataset.control),
          visible: outline || style.boxShadow !== 'none'};
}"""


@pytest.mark.parametrize("path", [SECTO, "search/index.html", "documents/index.html", "people/index.html"])
def test_every_control_is_reached_by_the_keyboard_with_its_focus_visible(page, served_site, path):
    page.goto(served_site + path)
    controls = page.evaluate(NUMBER_CONTROLS)
    reached, unseen = set(), []
    for _ in range(len(controls) + 5):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["control"] is None or focused["control"] in reached:
            break
        reached.add(focused["control"])
        if not focused["visible"]:
            unseen.append(controls[focused["control"]])
    assert [c for i, c in enumerate(controls) if i not in reached] == []
    assert unseen == []


def test_the_keyboard_operates_the_view_switch_and_the_copy_button(page, context, served_site):
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(served_site + SECTO + "#secto-8-p2")
    button = page.locator("[id='secto-8-p2'] .cite-copy")
    button.focus()
    page.keyboard.press("Space")
    expect(button).to_have_text("Copied")
    page.get_by_role("navigation", name="View").get_by_role("link", name="Diplomatic").focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**/diplomatic.html#secto-8-p2")  # the cited paragraph stays in view
    paragraph_is_the_target(page, "secto-8-p2")


def test_without_javascript_the_page_shows_the_text_the_notes_and_the_citation(browser, served_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(served_site + SECTO + "#secto-8-p1")
    expect(page.locator(".tei-text")).to_contain_text("MONA LISA")
    expect(page.locator("section.notes li")).to_have_count(19)
    expect(page.locator("section.notes")).to_be_visible()
    expect(page.locator("#cite-document")).to_contain_text("SECTO 8")
    expect(page.locator("[id='secto-8-p1'] > .cite-panel")).to_be_visible()  # :target needs no script
    expect(page.locator(".cite-copy").first).to_be_hidden()  # a button that could do nothing is not offered
    expect(page.locator("[id='secto-8-p1'] .access-date")).to_have_text("[date of access]")
    context.close()


def test_a_document_page_stays_within_its_weight_budget(page, served_site):
    fetched = []
    page.on("requestfinished", lambda request: fetched.append(request))
    page.goto(served_site + SECTO, wait_until="load")
    page.wait_for_load_state("networkidle")
    weights = {urlsplit(r.url).path: r.sizes()["responseBodySize"] for r in fetched}
    assert {path.rsplit(".", 1)[-1] for path in weights} >= {"css", "js"}
    assert sum(weights.values()) <= WEIGHT_BUDGET, weights
    # The text does not wait on JavaScript: every script is deferred.
    assert page.evaluate("Array.from(document.scripts).filter(s => s.src && !s.defer && !s.async).length") == 0
