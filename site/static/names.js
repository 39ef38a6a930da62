// Names in the text: a popover with the register's short identification, on hover and on keyboard focus.
// Without JavaScript the name is a plain link to its register entry, which holds the same identification.
// The popover stays while the pointer is over the name or the popover itself, and Escape dismisses it, so a
// reader can read it, select it and get rid of it (WCAG 1.4.13, content on hover or focus).
(function () {
  "use strict";
  var names = document.querySelectorAll(".tei-text a.name[data-note]");
  if (!names.length) return;

  var popover = document.createElement("div");
  popover.id = "name-popover";
  popover.className = "name-popover";
  popover.setAttribute("role", "tooltip");
  popover.hidden = true;
  // Inside the main landmark, like the text it belongs to (main is not positioned: page coordinates hold).
  (document.querySelector("main") || document.body).appendChild(popover);

  var shownFor = null;
  var hideTimer = null;

  function place(name) {
    var box = name.getBoundingClientRect();
    var left = Math.min(box.left, document.documentElement.clientWidth - popover.offsetWidth - 8);
    popover.style.left = Math.max(8, left) + window.scrollX + "px";
    popover.style.top = box.bottom + window.scrollY + 4 + "px";
  }

  function show(name) {
    clearTimeout(hideTimer);
    if (shownFor && shownFor !== name) shownFor.removeAttribute("aria-describedby");
    popover.textContent = name.getAttribute("data-note");
    popover.hidden = false;
    place(name);
    name.setAttribute("aria-describedby", popover.id);
    shownFor = name;
  }

  function hide() {
    clearTimeout(hideTimer);
    popover.hidden = true;
    if (shownFor) shownFor.removeAttribute("aria-describedby");
    shownFor = null;
  }

  // A short delay lets the pointer cross from the name to the popover without losing it.
  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 300);
  }

  names.forEach(function (name) {
    name.addEventListener("mouseenter", function () { show(name); });
    name.addEventListener("mouseleave", hideSoon);
    name.addEventListener("focus", function () { show(name); });
    name.addEventListener("blur", hide);
  });
  popover.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
  popover.addEventListener("mouseleave", hideSoon);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && shownFor) hide();
  });
  window.addEventListener("resize", function () { if (shownFor) place(shownFor); });
})();
