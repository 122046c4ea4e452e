// The workspace's unit picker (assessment.workspace_forms.UnitPicker): a text box that lists, as it
// is focused or typed in, what the county's unit search answers (the sampled units by stratum, then
// other units of the county), and puts the chosen unit's id in the hidden input beside it. Forms
// arrive by htmx after the page loads, so everything is delegated from the document. No inline
// scripts: the CSP forbids them.
(function () {
  "use strict";
  var DELAY = 200;

  function pickerOf(el) { return el && el.closest ? el.closest("[data-unit-picker]") : null; }
  function box(picker) { return picker.querySelector("input[type=text]"); }
  function hidden(picker) { return picker.querySelector("input[type=hidden]"); }
  function list(picker) { return picker.querySelector(".app-unit-list"); }
  function options(picker) { return Array.prototype.slice.call(list(picker).querySelectorAll("[role=option]")); }

  function setOpen(picker, open) {
    list(picker).hidden = !open;
    box(picker).setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) { box(picker).removeAttribute("aria-activedescendant"); }
  }

  function showHint(picker, where, sampled) {
    var hint = picker.querySelector("[data-unit-where]");
    var badge = picker.querySelector("[data-off-sample]");
    if (hint) { hint.textContent = where || ""; }
    if (badge) { badge.hidden = sampled; }
  }

  function changed(picker) {
    // workspace.js keeps drafts on "input" events of the form.
    hidden(picker).dispatchEvent(new Event("input", { bubbles: true }));
  }

  function choose(picker, option) {
    // A search still waiting (typed just before the click) must not open the list again over the form.
    window.clearTimeout(Number(picker.getAttribute("data-timer") || 0));
    picker.setAttribute("data-serial", String(Number(picker.getAttribute("data-serial") || 0) + 1));
    hidden(picker).value = option.getAttribute("data-unit-id");
    box(picker).value = option.getAttribute("data-unit-name");
    picker.setAttribute("data-chosen", option.getAttribute("data-unit-name"));
    showHint(picker, option.getAttribute("data-unit-where"), option.getAttribute("data-sampled") === "1");
    setOpen(picker, false);
    changed(picker);
  }

  function activate(picker, index) {
    var all = options(picker);
    if (!all.length) { return; }
    index = (index + all.length) % all.length;
    all.forEach(function (o, i) {
      o.classList.toggle("active", i === index);
      o.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    if (!all[index].id) { all[index].id = box(picker).id + "-option-" + index; }
    box(picker).setAttribute("aria-activedescendant", all[index].id);
    all[index].scrollIntoView({ block: "nearest" });
  }

  function activeIndex(picker) {
    return options(picker).findIndex(function (o) { return o.classList.contains("active"); });
  }

  function load(picker) {
    // The unit already chosen (or the record's): list the sample, to choose another from.
    var query = box(picker).value === picker.getAttribute("data-chosen") ? "" : box(picker).value.trim();
    var serial = String(Number(picker.getAttribute("data-serial") || 0) + 1);
    picker.setAttribute("data-serial", serial);
    var url = picker.getAttribute("data-search-url") + "?q=" + encodeURIComponent(query);
    fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        if (picker.getAttribute("data-serial") !== serial) { return; }  // an answer overtaken by typing
        list(picker).innerHTML = html;
        setOpen(picker, document.activeElement === box(picker));
      })
      .catch(function (error) {
        if (picker.getAttribute("data-serial") !== serial) { return; }
        list(picker).innerHTML = "";
        var note = document.createElement("div");
        note.className = "app-unit-note small text-danger";
        note.textContent = error.message === "403"
          ? "无法查找单位：您没有权限修改，或考核材料已提交、已定稿。"
          : "查找单位失败（" + error.message + "），请检查网络后重试。";
        list(picker).appendChild(note);
        setOpen(picker, true);
      });
  }

  function schedule(picker) {
    window.clearTimeout(Number(picker.getAttribute("data-timer") || 0));
    picker.setAttribute("data-timer", String(window.setTimeout(function () { load(picker); }, DELAY)));
  }

  document.addEventListener("focusin", function (event) {
    var picker = pickerOf(event.target);
    if (picker && event.target === box(picker)) {
      if (!picker.hasAttribute("data-chosen")) { picker.setAttribute("data-chosen", box(picker).value); }
      load(picker);
    }
  });

  document.addEventListener("input", function (event) {
    var picker = pickerOf(event.target);
    if (!picker || event.target !== box(picker)) { return; }
    // Typing after a choice undoes it: the form then names what the box says (or nothing).
    if (box(picker).value !== picker.getAttribute("data-chosen")) {
      hidden(picker).value = "";
      showHint(picker, "", true);
    }
    schedule(picker);
  });

  document.addEventListener("keydown", function (event) {
    var picker = pickerOf(event.target);
    if (!picker || event.target !== box(picker)) { return; }
    var open = !list(picker).hidden;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!open) { load(picker); return; }
      var index = activeIndex(picker);
      activate(picker, event.key === "ArrowDown" ? index + 1 : (index < 0 ? -1 : index - 1));
    } else if (event.key === "Enter" && open) {
      var current = options(picker)[activeIndex(picker)];
      event.preventDefault();  // never submit the form from the list
      if (current) { choose(picker, current); }
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      setOpen(picker, false);
    }
  });

  // mousedown keeps the focus in the box, so the list is still there when the click lands.
  document.addEventListener("mousedown", function (event) {
    if (event.target.closest && event.target.closest("[data-unit-picker] .app-unit-list")) { event.preventDefault(); }
  });
  document.addEventListener("click", function (event) {
    var option = event.target.closest && event.target.closest("[data-unit-picker] .app-unit-list [role=option]");
    if (option) { choose(pickerOf(option), option); }
  });

  document.addEventListener("focusout", function (event) {
    var picker = pickerOf(event.target);
    if (picker && event.target === box(picker)) {
      window.setTimeout(function () { if (document.activeElement !== box(picker)) { setOpen(picker, false); } }, 150);
    }
  });

  // Typed into before this script arrived (a slow page): search what the box already says.
  var early = pickerOf(document.activeElement);
  if (early && document.activeElement === box(early)) {
    if (!early.hasAttribute("data-chosen")) { early.setAttribute("data-chosen", ""); }
    load(early);
  }
})();
