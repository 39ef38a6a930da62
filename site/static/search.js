// Search: a small interface to the Pagefind index that `edition build` writes to pagefind/. A labelled search
// box, filters as checkboxes in fieldsets, results as a list of links (title, date, and the passages that
// match, each linked to its paragraph), and a status line that screen readers announce.
//
// Pagefind itself splits a page only at headings with an id; here a page is split at every block with an id
// (paragraphs, notes, list items, rows), so a hit links to the paragraph where it stands. Without JavaScript,
// or opened from a file (where the browser refuses to load the index), the page says what to do instead.
(function () {
  "use strict";

  // Elements whose id starts a passage: paragraphs (p, or a div when it holds a list or a table), notes and
  // list items, headings. Pagefind says where an element starts, not where it ends, so elements that stand
  // inside a paragraph must not start a passage, or the rest of the paragraph would be credited to them:
  // inline ones (names, page markers, stamps, note numbers), and the rows of a routing box or the items of a
  // list within a paragraph (tr, dd).
  var BLOCKS = /^(p|div|li|blockquote|section|aside|figure|pre|h[1-6])$/i;

  // The filters the document pages carry (templates/document.html), in the order they are offered.
  var FILTERS = [
    { name: "year", legend: "Year" },
    { name: "type", legend: "Document type" },
    { name: "classification", legend: "Classification" },
    { name: "person", legend: "Person" },
  ];

  var PER_PAGE = 10; // results shown at first, and added by "Show more results"
  var WORDS = 30; // words in a snippet

  // The passages of one result that match: [{id, hits, words: [{text, hit}], joiner, before, after}], at most
  // `limit`, those with most hits first, in the order they stand on the page. `data` is what Pagefind's
  // result.data() gives: the page's words (`content`), where the hits are (`locations`, word positions) and
  // where each element with an id starts (`anchors`). A hit before any block with an id belongs to the page
  // itself (id "").
  function passages(data, limit, length) {
    limit = limit || 3;
    length = length || WORDS;
    // Split as Pagefind splits when it counts locations: its HTML-escaped text, at spaces, or at zero-width
    // spaces in languages written without them.
    var raw = typeof data.raw_content === "string" ? data.raw_content : data.content || "";
    var unspaced = raw.indexOf("\u200B") !== -1;
    var words = (unspaced ? raw.split("\u200B") : raw.split(/[\r\n\s]+/g)).map(function (word) {
      return word.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
    });
    var blocks = (data.anchors || [])
      .filter(function (a) { return BLOCKS.test(a.element || "") && a.id; })
      .sort(function (a, b) { return a.location - b.location; });
    var groups = [];
    var byStart = {};
    (data.locations || []).slice().sort(function (a, b) { return a - b; }).forEach(function (hit) {
      var block = null;
      for (var i = 0; i < blocks.length && blocks[i].location <= hit; i++) block = { anchor: blocks[i], next: blocks[i + 1] };
      var start = block ? block.anchor.location : 0;
      var key = block ? block.anchor.id : "";
      if (!(key in byStart)) {
        byStart[key] = {
          id: key, start: start, end: block && block.next ? block.next.location : words.length, hits: [],
        };
        groups.push(byStart[key]);
      }
      byStart[key].hits.push(hit);
    });
    var chosen = groups.slice()
      .sort(function (a, b) { return b.hits.length - a.hits.length || a.start - b.start; })
      .slice(0, limit)
      .sort(function (a, b) { return a.start - b.start; });
    return chosen.map(function (group) {
      // A window of `length` words around the first hit, inside the passage.
      var from = Math.max(group.start, Math.min(group.hits[0] - Math.floor(length / 3), group.end - length));
      var to = Math.min(group.end, from + length);
      var marked = {};
      group.hits.forEach(function (hit) { marked[hit] = true; });
      var shown = [];
      for (var w = from; w < to; w++) shown.push({ text: words[w], hit: !!marked[w] });
      return {
        id: group.id, hits: group.hits.length, words: shown, joiner: unspaced ? "" : " ",
        before: from > group.start, after: to < group.end,
      };
    });
  }

  // The documents are indexed in bundles (pagefind/bundles/<name>/, listed in pagefind/bundles.json), merged
  // here into the main index, so that one search and one set of filters cover them all. Pagefind links their
  // results from the folder above pagefind/, as it does the main index's.
  function mergeBundles(loaded, mainUrl) {
    var listUrl = new URL("bundles.json", mainUrl).href;
    return fetch(listUrl).then(function (answer) {
      if (!answer.ok) throw new Error("pagefind/bundles.json: " + answer.status);
      return answer.json();
    }).then(function (bundles) {
      return Promise.all(bundles.map(function (folder) {
        return loaded.mergeIndex(new URL(folder, listUrl).href);
      }));
    });
  }

  if (typeof module === "object" && module.exports) {
    module.exports = { passages: passages, mergeBundles: mergeBundles, BLOCKS: BLOCKS };
  }
  if (typeof document === "undefined") return;

  var script = document.currentScript;
  var root = document.getElementById("search");
  var status = document.getElementById("search-status");
  if (!root || !status || !script) return;
  var layout = document.getElementById("search-layout");
  var form = document.getElementById("search-form");
  var input = document.getElementById("search-input");
  var filterSection = document.getElementById("search-filter-section");
  var filterBox = document.getElementById("search-filters");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var indexUrl = new URL("../pagefind/pagefind.js", script.src).href;

  var pagefind = null;

  var asked = 0; // the number of the latest search; older answers are dropped
  var found = []; // the results of the latest search
  var shown = 0;
  var term = "";
  var timer = null;

  function say(text, problem) {
    status.textContent = text;
    status.classList.toggle("search-problem", !!problem);
  }

  function element(name, attributes, children) {
    var node = document.createElement(name);
    Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function chosenFilters() {
    var chosen = {};
    filterBox.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      (chosen[box.name] = chosen[box.name] || []).push(box.value);
    });
    var filters = {};
    Object.keys(chosen).forEach(function (name) { filters[name] = { any: chosen[name] }; });
    return { filters: filters, count: Object.keys(chosen).length };
  }

  // The query and the chosen filters are kept in the address, so a search can be bookmarked and shared.
  function remember() {
    var params = new URLSearchParams();
    if (term) params.set("q", term);
    filterBox.querySelectorAll("input[type=checkbox]:checked").forEach(function (box) {
      params.append(box.name, box.value);
    });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
  }

  // Each filter value's label, so its count can follow the search: {name: {value: label}}.
  var counts = {};
  var totals = {};

  function buildFilters(available, params) {
    totals = available;
    FILTERS.forEach(function (filter) {
      var values = available[filter.name];
      if (!values || !Object.keys(values).length) return;
      var fieldset = element("fieldset", { class: "search-filter" }, [element("legend", {}, [filter.legend])]);
      Object.keys(values)
        .sort(function (a, b) { return a.localeCompare(b, undefined, { numeric: true }); })
        .forEach(function (value, i) {
          var id = "filter-" + filter.name + "-" + i;
          var box = element("input", { type: "checkbox", id: id, name: filter.name, value: value });
          box.checked = params.getAll(filter.name).indexOf(value) !== -1;
          var label = element("label", { for: id }, [value + " (" + values[value] + ")"]);
          counts[filter.name] = counts[filter.name] || {};
          counts[filter.name][value] = label;
          fieldset.appendChild(element("div", { class: "search-choice" }, [box, label]));
        });
      filterBox.appendChild(fieldset);
    });
    filterSection.hidden = !filterBox.children.length;
  }

  // The counts say how many of the current results each value would keep (all documents before a search).
  function showCounts(available) {
    Object.keys(counts).forEach(function (name) {
      Object.keys(counts[name]).forEach(function (value) {
        var n = (available[name] && available[name][value]) || 0;
        counts[name][value].textContent = value + " (" + n + ")";
      });
    });
  }

  function snippet(passage) {
    var nodes = [];
    if (passage.before) nodes.push("… ");
    passage.words.forEach(function (word, i) {
      if (i) nodes.push(passage.joiner);
      nodes.push(word.hit ? element("mark", {}, [word.text]) : word.text);
    });
    if (passage.after) nodes.push(" …");
    return nodes;
  }

  function resultItem(data) {
    var title = (data.meta && data.meta.title) || data.url;
    var item = element("li", { class: "search-result" }, [
      element("h3", { class: "search-title" }, [element("a", { href: data.url }, [title])]),
    ]);
    if (data.meta && data.meta.date) item.appendChild(element("p", { class: "search-date" }, [data.meta.date]));
    var matches = term ? passages(data) : [];
    if (matches.length) {
      var passagesList = element("ul", { class: "search-passages" });
      matches.forEach(function (passage) {
        var href = passage.id ? data.url.split("#")[0] + "#" + encodeURIComponent(passage.id) : data.url;
        passagesList.appendChild(element("li", {}, [element("a", { href: href }, snippet(passage))]));
      });
      item.appendChild(passagesList);
    }
    return item;
  }

  function showMore(focusFirst) {
    var batch = found.slice(shown, shown + PER_PAGE);
    var mine = asked;
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (all) {
      if (mine !== asked) return;
      var first = null;
      all.forEach(function (data) {
        var item = resultItem(data);
        first = first || item;
        list.appendChild(item);
      });
      shown += batch.length;
      more.hidden = shown >= found.length;
      if (focusFirst && first) first.querySelector("a").focus();
    });
  }

  function describe(count, filtered) {
    var what = count === 1 ? "1 result" : count + " results";
    if (term) return what + " for “" + term + "”" + (filtered ? " with the chosen filters" : "") + ".";
    return what + " with the chosen filters.";
  }

  function search() {
    clearTimeout(timer);
    term = input.value.trim();
    var chosen = chosenFilters();
    remember();
    var mine = ++asked;
    list.textContent = "";
    more.hidden = true;
    found = [];
    shown = 0;
    if (!term && !chosen.count) {
      showCounts(totals);
      say("Type a word to search, or choose a filter.");
      return Promise.resolve();
    }
    return pagefind.search(term || null, { filters: chosen.filters }).then(function (answer) {
      if (mine !== asked) return;
      found = answer.results;
      showCounts(answer.filters || {});
      if (!found.length) {
        say((term ? "No results for “" + term + "”" : "No results") +
          (chosen.count ? " with the chosen filters: remove a filter, or" : ":") + " try other words.");
        return;
      }
      say(describe(found.length, chosen.count > 0));
      return showMore(false);
    }, function (problem) {
      say("The search failed: " + problem + ". Reload the page to try again.", true);
    });
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(search, 300);
  }

  if (location.protocol === "file:") {
    say("Search cannot work here: this page was opened from a file, and the browser does not let it load the " +
      "search index. Serve the site over HTTP (see above) and open this page from there.", true);
    return;
  }

  say("Loading the search index…");
  import(indexUrl).then(function (loaded) {
    pagefind = loaded;
    return mergeBundles(pagefind, indexUrl);
  }).then(function () {
    return pagefind.filters();
  }).then(function (available) {
    var params = new URLSearchParams(location.search);
    buildFilters(available || {}, params);
    input.value = params.get("q") || "";
    root.hidden = false;
    layout.hidden = false;
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      search();
    });
    input.addEventListener("input", later);
    filterBox.addEventListener("change", search);
    more.addEventListener("click", function () { showMore(true); });
    return search();
  }).catch(function (problem) {
    say("The search index could not be loaded (" + problem + "). If the site is served over HTTP, build it " +
      "again with `edition build`, which writes the index to its pagefind/ folder.", true);
  });
})();
