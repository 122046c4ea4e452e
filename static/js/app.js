// Small behaviours the templates ask for with data- attributes. No inline scripts:
// the Content Security Policy forbids them.
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var back = event.target.closest("[data-action='back']");
    if (back) {
      event.preventDefault();
      if (window.history.length > 1) { window.history.back(); } else { window.location.href = "/"; }
      return;
    }
    if (event.target.closest("[data-action='print']")) {
      window.print();
      return;
    }
    var toggle = event.target.closest("[data-tree-toggle]");
    if (toggle) {
      var open = toggle.getAttribute("data-tree-toggle") === "open";
      document.querySelectorAll("[data-tree] details").forEach(function (d) { d.open = open; });
    }
  });

  // Bring a search hit into view once the tree is unfolded to it.
  document.addEventListener("DOMContentLoaded", function () {
    var focused = document.querySelector(".app-focused");
    if (focused) { focused.scrollIntoView({ block: "center" }); }
  });
})();
