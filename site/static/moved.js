// A cited anchor that has moved (anchors.lock): send the reader on to its new place. Without JavaScript the
// page lists the moved anchors, each with a link, and the browser scrolls to the one cited.
(function () {
  "use strict";
  var data = document.getElementById("moved-anchors");
  if (!data) return;
  var moved = JSON.parse(data.textContent);
  function has(key) { return Object.prototype.hasOwnProperty.call(moved, key); }
  function follow() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    // "" is the document itself: on the page of a document that has moved, any anchor not moved on its own
    // goes with the document.
    var target = has(id) ? moved[id] : (has("") ? moved[""] : null);
    if (target) window.location.replace(target);
  }
  follow();
  window.addEventListener("hashchange", follow);
})();
