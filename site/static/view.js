// The view switch: each view is a page of its own, so it works without JavaScript. With it, the reader's
// choice is remembered across documents and reloads, and switching keeps the cited paragraph in view.
(function () {
  "use strict";
  var KEY = "edition-view";
  var links = Array.prototype.slice.call(document.querySelectorAll("nav.views a[data-view]"));
  var current = document.querySelector("nav.views a[aria-current]");
  if (!links.length || !current) {
    return;
  }
  function remembered() {
    try { return window.localStorage.getItem(KEY); } catch (error) { return null; }
  }
  function remember(view) {
    try { window.localStorage.setItem(KEY, view); } catch (error) { /* private mode: the links still work */ }
  }
  var preferred = remembered();
  if (preferred && preferred !== current.getAttribute("data-view")) {
    var target = links.filter(function (link) { return link.getAttribute("data-view") === preferred; })[0];
    if (target) {
      window.location.replace(target.getAttribute("href") + window.location.hash);
      return;
    }
  }
  links.forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      remember(link.getAttribute("data-view"));
      window.location.href = link.getAttribute("href") + window.location.hash;
    });
  });
})();
