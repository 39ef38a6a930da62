// Citations: fill in today's date as the date of access, and offer a button that copies a citation. Without
// JavaScript the citation is still there to select, with "[date of access]" for the reader to fill in.
(function () {
  "use strict";
  var today = new Date().toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric" });
  document.querySelectorAll(".access-date").forEach(function (date) { date.textContent = today; });

  function copied(button) {
    button.textContent = "Copied";
    setTimeout(function () { button.textContent = "Copy citation"; }, 2000);
  }

  // The clipboard API needs a secure context (https or 127.0.0.1); elsewhere the text is selected and copied
  // the older way.
  function copy(text, source, button) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { copied(button); });
      return;
    }
    var range = document.createRange();
    range.selectNodeContents(source);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    if (document.execCommand("copy")) copied(button);
  }

  document.querySelectorAll(".cite-copy").forEach(function (button) {
    var source = document.getElementById(button.getAttribute("data-citation"));
    if (!source) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(source.textContent.replace(/\s+/g, " ").trim(), source, button);
    });
  });
})();
