/* onboard default theme: small progressive enhancements.
 *
 * - the light/dark toggle, remembered in localStorage;
 * - checklists: ticks saved per page in localStorage, "n/m done" kept current;
 * - sortable tables (`table.sortable`, headers with `data-sort`) and the
 *   filters of the customer table (`#customer-table`);
 * - Markdown tables wrapped in a named box that scrolls and takes focus.
 *
 * Plain JavaScript, no framework, nothing loaded from another host, and it
 * works from file://. Every page is complete without it: each feature runs
 * on its own inside try/catch, so one failing never breaks the page or the
 * others.
 */
(function () {
  "use strict";

  var PREFIX = "onboard:";
  var THEME_KEY = "onboard-theme";

  function run(name, feature) {
    try {
      feature();
    } catch (error) {
      if (window.console && console.warn) {
        console.warn("onboard: " + name + " is unavailable:", error);
      }
    }
  }

  // localStorage can be missing or throw (privacy modes, some file:// setups).
  var store = {
    get: function (key) {
      try { return window.localStorage.getItem(key); } catch (e) { return null; }
    },
    set: function (key, value) {
      try { window.localStorage.setItem(key, value); } catch (e) { /* not saved */ }
    },
    remove: function (key) {
      try { window.localStorage.removeItem(key); } catch (e) { /* nothing to do */ }
    }
  };

  function all(selector, scope) {
    return Array.prototype.slice.call((scope || document).querySelectorAll(selector));
  }

  // ---------- Theme toggle ----------

  function initTheme() {
    var root = document.documentElement;
    var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

    function effective() {
      var chosen = root.getAttribute("data-theme");
      if (chosen === "dark" || chosen === "light") return chosen;
      return media && media.matches ? "dark" : "light";
    }

    function show() {
      var dark = effective() === "dark";
      // The button names the theme it switches to.
      all("[data-theme-toggle]").forEach(function (button) {
        var label = button.querySelector(".theme-toggle-label");
        var icon = button.querySelector(".theme-toggle-icon");
        if (label) label.textContent = dark ? "Light theme" : "Dark theme";
        if (icon) icon.textContent = dark ? "☀" : "☾";
        button.setAttribute("title", dark ? "Switch to the light theme" : "Switch to the dark theme");
      });
    }

    var saved = store.get(THEME_KEY);
    if (saved === "dark" || saved === "light") root.setAttribute("data-theme", saved);

    all("[data-theme-toggle]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var next = effective() === "dark" ? "light" : "dark";
        root.setAttribute("data-theme", next);
        store.set(THEME_KEY, next);
        show();
      });
    });
    if (media && media.addEventListener) media.addEventListener("change", show);
    show();
  }

  // ---------- Checklists ----------

  // Ticks are keyed by the page's path inside the site (not the URL, so a
  // site moved to another folder or host keeps them), the checklist key and
  // the item's position.
  function pagePath() {
    var body = document.body;
    return (body && body.getAttribute("data-page")) || window.location.pathname;
  }

  function initChecklists() {
    var page = pagePath();
    all(".checklist[data-checklist-key]").forEach(function (list) {
      run("a checklist", function () { setUpChecklist(list, page); });
    });
  }

  function setUpChecklist(list, page) {
    var key = list.getAttribute("data-checklist-key");
    var boxes = all('input[type="checkbox"]', list);
    var count = list.querySelector(".checklist-count");
    var reset = list.querySelector(".checklist-reset");

    function storageKey(box, index) {
      var position = box.getAttribute("data-index");
      return PREFIX + "checklist:" + page + ":" + key + ":" + (position === null ? index : position);
    }

    function update() {
      var done = boxes.filter(function (box) { return box.checked; }).length;
      if (count) count.textContent = done + "/" + boxes.length + " done";
      list.classList.toggle("is-complete", boxes.length > 0 && done === boxes.length);
      if (reset) reset.hidden = done === 0;
    }

    boxes.forEach(function (box, index) {
      box.checked = store.get(storageKey(box, index)) === "1";
      box.addEventListener("change", function () {
        if (box.checked) store.set(storageKey(box, index), "1");
        else store.remove(storageKey(box, index));
        update();
      });
    });

    if (reset) {
      reset.addEventListener("click", function () {
        boxes.forEach(function (box, index) {
          box.checked = false;
          store.remove(storageKey(box, index));
        });
        update();
        if (boxes[0]) boxes[0].focus();
      });
    }
    update();
  }

  // ---------- Sortable tables ----------

  function cellValue(row, column) {
    var cell = row.cells[column];
    if (!cell) return "";
    var value = cell.getAttribute("data-value");
    return value === null ? cell.textContent.trim() : value;
  }

  function compare(kind) {
    if (kind === "number") {
      return function (a, b) {
        var x = parseFloat(a), y = parseFloat(b);
        var xMissing = isNaN(x), yMissing = isNaN(y);
        if (xMissing || yMissing) return xMissing === yMissing ? 0 : xMissing ? 1 : -1;
        return x - y;
      };
    }
    // Dates are written YYYY-MM-DD, so they sort as text; blanks go last.
    return function (a, b) {
      if (!a || !b) return !a === !b ? 0 : !a ? 1 : -1;
      return a.localeCompare(b, undefined, { numeric: true, sensitivity: "base" });
    };
  }

  function initSortableTables() {
    all("table.sortable").forEach(function (table) {
      run("a sortable table", function () { setUpSortable(table); });
    });
  }

  function setUpSortable(table) {
    var body = table.tBodies[0];
    if (!body || !table.tHead) return;
    var headers = all("th[data-sort]", table.tHead);
    headers.forEach(function (header) {
      var column = header.cellIndex;
      var kind = header.getAttribute("data-sort") || "text";
      var button = header.querySelector("button");
      if (!button) {
        button = document.createElement("button");
        button.type = "button";
        while (header.firstChild) button.appendChild(header.firstChild);
        header.appendChild(button);
      }
      button.addEventListener("click", function () {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        var order = compare(kind);
        var rows = Array.prototype.slice.call(body.rows).map(function (row, index) {
          return { row: row, value: cellValue(row, column), index: index };
        });
        rows.sort(function (a, b) {
          var result = order(a.value, b.value);
          // Missing values stay last whichever way the column is sorted.
          var missing = !a.value || !b.value;
          if (!missing && !ascending) result = -result;
          return result || a.index - b.index;
        });
        rows.forEach(function (item) { body.appendChild(item.row); });
        headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      });
    });
  }

  // ---------- Filters for the customer table ----------

  function initFilters() {
    all("[data-filter-table]").forEach(function (form) {
      run("table filters", function () { setUpFilters(form); });
    });
  }

  function setUpFilters(form) {
    var table = document.getElementById(form.getAttribute("data-filter-table"));
    if (!table || !table.tBodies[0]) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var selects = all("select[data-filter]", form);
    var text = form.querySelector("input[data-filter-text]");
    var counter = form.querySelector("[data-filter-count]");

    function apply() {
      var needle = text ? text.value.trim().toLowerCase() : "";
      var shown = 0;
      rows.forEach(function (row) {
        var visible = selects.every(function (select) {
          return !select.value || row.getAttribute("data-" + select.getAttribute("data-filter")) === select.value;
        });
        if (visible && needle) visible = row.textContent.toLowerCase().indexOf(needle) !== -1;
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      if (counter) {
        counter.textContent = shown === rows.length
          ? rows.length + " customer" + (rows.length === 1 ? "" : "s")
          : shown + " of " + rows.length + " customers shown";
      }
    }

    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
    form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
    selects.forEach(function (select) { select.addEventListener("change", apply); });
    if (text) text.addEventListener("input", apply);
    form.hidden = false;
    apply();
  }

  // ---------- Search page: keep the query in the boxes ----------

  function initSearchQuery() {
    var match = /[?&]q=([^&#]*)/.exec(window.location.search);
    if (!match) return;
    var query = decodeURIComponent(match[1].replace(/\+/g, " "));
    ["search-page-input", "site-search"].forEach(function (id) {
      var input = document.getElementById(id);
      if (input && !input.value) input.value = query;
    });
  }

  // ---------- Markdown tables: a box that scrolls, reachable by keyboard ----------

  // Tables written in Markdown come without the focusable, named wrapper
  // that the theme's own tables have; a wide one must still be scrollable
  // with the keyboard on a phone. Named after the heading above them.
  function initProseTables() {
    all(".prose table").forEach(function (table, index) {
      if (table.parentElement && table.parentElement.classList.contains("table-wrap")) return;
      var heading = null;
      for (var el = table.previousElementSibling; el && !heading; el = el.previousElementSibling) {
        if (/^H[1-6]$/.test(el.tagName)) heading = el;
      }
      var wrap = document.createElement("div");
      wrap.className = "table-wrap";
      wrap.setAttribute("role", "region");
      wrap.setAttribute("tabindex", "0");
      var name = heading ? heading.textContent.trim() : "";
      wrap.setAttribute("aria-label", name ? name + " (table)" : "Table " + (index + 1));
      table.parentNode.insertBefore(wrap, table);
      wrap.appendChild(table);
    });
  }

  // ---------- Tables of contents: folded on narrow screens ----------

  function initToc() {
    if (!window.matchMedia || !window.matchMedia("(max-width: 61.99rem)").matches) return;
    all("details.toc-details[open]").forEach(function (details) { details.open = false; });
  }

  function start() {
    run("the theme toggle", initTheme);
    run("checklists", initChecklists);
    run("sortable tables", initSortableTables);
    run("table filters", initFilters);
    run("the search box", initSearchQuery);
    run("tables of contents", initToc);
    run("Markdown tables", initProseTables);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
