// The workspace: drafts that survive a lost connection or an expired session, and
// clear messages when a save fails. No inline scripts: the CSP forbids them.
//
// Drafts belong to their author: each is stored under the signed-in person's key (the page
// carries it on the sign-out form, data-draft-owner; accounts.context_processors), so a draft
// left by one person is never offered to, nor autosaved by, the next person who signs in on
// this browser. Signing out clears the person's drafts (static/js/app.js).
(function () {
  "use strict";
  var PREFIX = "djkh-draft:";
  var ownerSource = document.querySelector("[data-draft-owner]");
  var OWNER = ownerSource ? ownerSource.getAttribute("data-draft-owner") : "";
  var OWN = /^[0-9a-f]{32}:/;

  // Drafts from before they had an owner cannot be attributed to anyone: drop them.
  try {
    for (var i = localStorage.length - 1; i >= 0; i--) {
      var stored = localStorage.key(i);
      if (stored && stored.indexOf(PREFIX) === 0 && !OWN.test(stored.slice(PREFIX.length))) {
        localStorage.removeItem(stored);
      }
    }
  } catch (e) { /* storage disabled */ }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "file" && el.type !== "submit" && el.name !== "csrfmiddlewaretoken";
    });
  }
  function values(form) {
    var data = {};
    fields(form).forEach(function (el) { data[el.name] = el.value; });
    return data;
  }
  function storageKey(draftKey) { return PREFIX + OWNER + ":" + draftKey; }
  function key(form) { return storageKey(form.getAttribute("data-draft")); }

  function save(form) {
    if (!OWNER) { return; }  // nobody signed in: nobody to keep it for
    try {
      localStorage.setItem(key(form), JSON.stringify({ at: Date.now(), values: values(form) }));
    } catch (e) { /* storage full or disabled: nothing more we can do */ }
  }
  function clear(form) { try { localStorage.removeItem(key(form)); } catch (e) {} }

  function restore(form) {
    if (!OWNER) { return; }
    var raw;
    try { raw = localStorage.getItem(key(form)); } catch (e) { return; }
    if (!raw) { return; }
    var draft;
    try { draft = JSON.parse(raw); } catch (e) { clear(form); return; }
    var changed = false;
    fields(form).forEach(function (el) {
      if (el.name === "form_token") {
        // The draft's form may have been saved already with an answer that never arrived: sent
        // again with its own token, the server answers with that save instead of making a second.
        if (draft.values.form_token) { el.value = draft.values.form_token; }
        return;
      }
      if (Object.prototype.hasOwnProperty.call(draft.values, el.name) && el.value !== draft.values[el.name]) {
        el.value = draft.values[el.name];
        changed = true;
      }
    });
    if (!changed) { clear(form); return; }
    // An unfinished form opens, with a note saying where its text came from.
    var details = form.closest("details");
    if (details) { details.open = true; }
    var note = document.createElement("div");
    note.className = "alert alert-info small py-1 px-2 mb-2 app-draft-note";
    note.textContent = "已恢复未保存的草稿（" + new Date(draft.at).toLocaleString("zh-CN") + "），请检查后保存。";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "btn btn-link btn-sm p-0 ms-2";
    discard.textContent = "放弃草稿";
    discard.addEventListener("click", function () { clear(form); window.location.reload(); });
    note.appendChild(discard);
    form.insertBefore(note, form.firstChild);
    if (form.hasAttribute("data-autosave")) {
      var area = form.querySelector("textarea");
      if (area && window.htmx) { window.htmx.trigger(area, "change"); }
    }
  }

  function restoreAll(root) {
    root = root || document;
    root.querySelectorAll("form[data-draft]").forEach(restore);
    // A collapsed "add" loads its form when it first opens (htmx, on "toggle"): open the ones
    // whose draft is waiting here, and restore() fills the form once it has loaded.
    root.querySelectorAll("details[data-draft-key]:not([open])").forEach(function (details) {
      var waiting = null;
      try { waiting = OWNER && localStorage.getItem(storageKey(details.getAttribute("data-draft-key"))); } catch (e) {}
      if (waiting && !details.querySelector("form[data-draft]")) { details.open = true; }
    });
  }

  document.addEventListener("input", function (event) {
    var form = event.target.closest && event.target.closest("form[data-draft]");
    if (form) { save(form); }
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-discard-draft]");
    if (link) {
      var form = link.closest("form[data-draft]");
      if (form) { clear(form); }
    }
  });

  function showError(message) {
    var slot = document.getElementById("app-error-slot");
    if (!slot) { window.alert(message); return; }
    slot.innerHTML = "";
    var box = document.createElement("div");
    box.className = "alert alert-danger alert-dismissible";
    box.setAttribute("data-testid", "save-error");
    box.textContent = message;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", "关闭");
    box.appendChild(close);
    slot.appendChild(box);
    box.scrollIntoView({ block: "nearest" });
  }

  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt.closest && event.detail.elt.closest("form[data-draft]");
    var xhr = event.detail.xhr;
    if (form && xhr && xhr.status >= 200 && xhr.status < 300) { clear(form); }
  });

  function isLoad(event) {
    var config = event.detail.requestConfig;
    return Boolean(config && config.verb === "get");
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    var form = event.detail.elt.closest && event.detail.elt.closest("form[data-draft]");
    if (form) { save(form); }  // whatever happens next, the text is kept
    if (status === 401) {
      var next = window.location.pathname + window.location.search + window.location.hash;
      window.location.href = "/accounts/login/?next=" + encodeURIComponent(next);
      return;
    }
    var type = event.detail.xhr.getResponseHeader("Content-Type") || "";
    if (type.indexOf("text/plain") === 0 && event.detail.xhr.responseText) {
      // The server's own reason (a text saved as you type, refused): say it as it is.
      showError("保存失败：" + event.detail.xhr.responseText + (form ? "您输入的内容已作为草稿保留在本机。" : ""));
      return;
    }
    if (isLoad(event)) {
      showError(status === 403
        ? "无法打开：您没有权限修改，或考核材料已提交、已定稿。请刷新页面查看当前状态。"
        : "加载失败（错误 " + status + "），请刷新页面后重试。");
    } else if (status === 403) {
      showError("保存失败：您没有权限修改，或考核材料已提交、已定稿。您输入的内容已作为草稿保留，请刷新页面查看当前状态。");
    } else {
      showError("保存失败（错误 " + status + "）。您输入的内容已作为草稿保留在本机，请稍后重试。");
    }
  });
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt.closest && event.detail.elt.closest("form[data-draft]");
    if (form) { save(form); }
    if (isLoad(event)) { showError("网络连接失败，未能打开表单，请恢复连接后刷新页面。"); return; }
    showError("网络连接失败，未能保存。您输入的内容已作为草稿保留在本机，恢复连接后请再次保存。");
  });

  // A collapsed "add" opened while the page was still loading (a quick click, a slow intranet)
  // missed its "toggle": htmx was not listening yet. Once htmx has the content, load the form of
  // every "add" that is open without one ("toggle once": never twice).
  function loadOpened(root) {
    if (!window.htmx) { return; }
    (root.querySelectorAll ? root : document).querySelectorAll("details.app-add[open][hx-get]").forEach(function (details) {
      if (!details.querySelector("form")) { window.htmx.trigger(details, "toggle"); }
    });
  }
  if (window.htmx) { window.htmx.onLoad(loadOpened); }

  document.addEventListener("htmx:afterSwap", function (event) { restoreAll(event.detail.target); });
  document.addEventListener("DOMContentLoaded", function () { restoreAll(document); });
})();
