// The person picker (accounts.widgets.PersonPicker): people chosen are chips, each holding a hidden
// input with the person's id (so the form posts ids as a select would); the text box below lists,
// as it is typed in, what the people search answers (姓名 · 所在单位). A single picker (a group's
// leader) holds one chip. Everything is delegated from the document; no inline scripts (CSP).
(function () {
  "use strict";
  var DELAY = 200;

  function pickerOf(el) { return el && el.closest ? el.closest("[data-person-picker]") : null; }
  function box(picker) { return picker.querySelector("[data-person-box]"); }
  function list(picker) { return picker.querySelector(".app-unit-list"); }
  function chips(picker) { return picker.querySelector("[data-person-chips]"); }
  function multiple(picker) { return picker.hasAttribute("data-multiple"); }
  function options(picker) {
    return Array.prototype.slice.call(list(picker).querySelectorAll("[role=option]:not([aria-disabled=true])"));
  }
  function chosenIds(picker) {
    return Array.prototype.map.call(chips(picker).querySelectorAll("[data-person-id]"), function (chip) {
      return chip.getAttribute("data-person-id");
    });
  }

  function setOpen(picker, open) {
    list(picker).hidden = !open;
    box(picker).setAttribute("aria-expanded", open ? "true" : "false");
    if (!open) { box(picker).removeAttribute("aria-activedescendant"); }
  }

  function changed(picker) {
    picker.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function addChip(picker, id, label) {
    var chip = document.createElement("span");
    chip.className = "app-person-chip";
    chip.setAttribute("data-person-id", id);
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = picker.getAttribute("data-name");
    input.value = id;
    var text = document.createElement("span");
    text.textContent = label;
    var remove = document.createElement("button");
    remove.type = "button";
    remove.className = "btn-close";
    remove.setAttribute("data-person-remove", "");
    remove.setAttribute("aria-label", "移除 " + label);
    chip.appendChild(input);
    chip.appendChild(text);
    chip.appendChild(remove);
    chips(picker).appendChild(chip);
  }

  function choose(picker, option) {
    // A search still waiting (typed just before the click) must not open the list again over the form.
    window.clearTimeout(Number(picker.getAttribute("data-timer") || 0));
    picker.setAttribute("data-serial", String(Number(picker.getAttribute("data-serial") || 0) + 1));
    var id = option.getAttribute("data-person-id");
    if (chosenIds(picker).indexOf(id) < 0) {
      if (!multiple(picker)) { chips(picker).innerHTML = ""; }
      addChip(picker, id, option.getAttribute("data-person-label"));
      changed(picker);
    }
    box(picker).value = "";
    setOpen(picker, false);
  }

  function markChosen(picker) {
    var chosen = chosenIds(picker);
    list(picker).querySelectorAll("[role=option]").forEach(function (option) {
      if (chosen.indexOf(option.getAttribute("data-person-id")) >= 0 && multiple(picker)) {
        option.setAttribute("aria-disabled", "true");
        option.classList.add("disabled");
        var badge = document.createElement("span");
        badge.className = "badge text-bg-light border ms-1";
        badge.textContent = "已选";
        option.appendChild(badge);
      }
    });
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
    var query = box(picker).value.trim();
    var serial = String(Number(picker.getAttribute("data-serial") || 0) + 1);
    picker.setAttribute("data-serial", serial);
    var url = picker.getAttribute("data-search-url");
    url += (url.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(query);
    fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        if (picker.getAttribute("data-serial") !== serial) { return; }  // overtaken by typing
        list(picker).innerHTML = html;
        markChosen(picker);
        setOpen(picker, document.activeElement === box(picker));
      })
      .catch(function (error) {
        if (picker.getAttribute("data-serial") !== serial) { return; }
        list(picker).innerHTML = "";
        var note = document.createElement("div");
        note.className = "app-unit-note small text-danger";
        note.textContent = error.message === "401"
          ? "登录已超时，请刷新页面重新登录。"
          : "查找人员失败（" + error.message + "），请检查网络后重试。";
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
    if (picker && event.target === box(picker)) { load(picker); }
  });

  document.addEventListener("input", function (event) {
    var picker = pickerOf(event.target);
    if (picker && event.target === box(picker)) { schedule(picker); }
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
    } else if (event.key === "Enter") {
      event.preventDefault();  // never submit the form from the search box
      var current = options(picker)[activeIndex(picker)] || (options(picker).length === 1 ? options(picker)[0] : null);
      if (open && current) { choose(picker, current); }
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      setOpen(picker, false);
    } else if (event.key === "Backspace" && !box(picker).value) {
      var last = chips(picker).lastElementChild;
      if (last) { last.remove(); changed(picker); }
    }
  });

  // mousedown keeps the focus in the box, so the list is still there when the click lands.
  document.addEventListener("mousedown", function (event) {
    if (event.target.closest && event.target.closest("[data-person-picker] .app-unit-list")) { event.preventDefault(); }
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest) { return; }
    var option = event.target.closest("[data-person-picker] .app-unit-list [role=option]");
    if (option && option.getAttribute("aria-disabled") !== "true") { choose(pickerOf(option), option); return; }
    var remove = event.target.closest("[data-person-remove]");
    if (remove) {
      var picker = pickerOf(remove);
      remove.closest("[data-person-id]").remove();
      changed(picker);
      box(picker).focus();
    }
  });

  document.addEventListener("focusout", function (event) {
    var picker = pickerOf(event.target);
    if (picker && event.target === box(picker)) {
      window.setTimeout(function () { if (document.activeElement !== box(picker)) { setOpen(picker, false); } }, 150);
    }
  });

  // Typed into before this script arrived (a slow page): search what the box already says.
  var early = pickerOf(document.activeElement);
  if (early && document.activeElement === box(early)) { load(early); }
})();
