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

  // Signing out clears the person's unsaved drafts from this browser (static/js/workspace.js keeps
  // them under "djkh-draft:<owner>:"), after asking if there are any.
  document.addEventListener("submit", function (event) {
    var form = event.target.closest && event.target.closest("form[data-signout]");
    if (!form) { return; }
    var prefix = "djkh-draft:" + form.getAttribute("data-draft-owner") + ":";
    var mine = [];
    try {
      for (var i = 0; i < localStorage.length; i++) {
        var key = localStorage.key(i);
        if (key && key.indexOf(prefix) === 0) { mine.push(key); }
      }
    } catch (e) { return; }
    if (mine.length && !window.confirm("您有尚未保存的草稿，退出登录后将从本机清除。确定退出吗？")) {
      event.preventDefault();
      return;
    }
    mine.forEach(function (key) { try { localStorage.removeItem(key); } catch (e) {} });
  });

  // A form with data-confirm asks before it is sent (the text says what will happen).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) { event.preventDefault(); }
  });

  // Bring a search hit into view once the tree is unfolded to it.
  document.addEventListener("DOMContentLoaded", function () {
    var focused = document.querySelector(".app-focused");
    if (focused) { focused.scrollIntoView({ block: "center" }); }
  });

  // Length counters: every text box with a maxlength shows how much of it is used ("120/5000"),
  // textareas always, single-line boxes once they are nearly full; red at the limit. Boxes that
  // arrive later (htmx swaps, forms opened on demand) get theirs when first typed in.
  function counterFor(field) {
    var id = field.getAttribute("data-counter-id");
    if (id) { return document.getElementById(id); }
    var counter = document.createElement("div");
    counter.className = "app-counter form-text text-end";
    counter.id = "counter-" + Math.random().toString(36).slice(2);
    counter.setAttribute("aria-live", "polite");
    field.setAttribute("data-counter-id", counter.id);
    field.insertAdjacentElement("afterend", counter);
    return counter;
  }
  function updateCounter(field) {
    var max = parseInt(field.getAttribute("maxlength"), 10);
    if (!max || field.type === "password" || field.type === "hidden") { return; }
    var length = field.value.length;
    var textarea = field.tagName === "TEXTAREA";
    if (!textarea && length < max * 0.8 && !field.getAttribute("data-counter-id")) { return; }
    var counter = counterFor(field);
    counter.textContent = length + "/" + max;
    counter.classList.toggle("text-danger", length >= max);
    counter.hidden = !textarea && length < max * 0.8;
  }
  function countAll(root) {
    (root || document).querySelectorAll("textarea[maxlength], input[maxlength]").forEach(updateCounter);
  }
  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("textarea[maxlength], input[maxlength]")) {
      updateCounter(event.target);
    }
  });
  document.addEventListener("DOMContentLoaded", function () { countAll(document); });
  document.addEventListener("htmx:afterSwap", function (event) { countAll(event.target); });
})();
