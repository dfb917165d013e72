/* onboard default theme: small progressive enhancements.
 *
 * - the light/dark toggle, remembered in localStorage;
 * - checklists: ticks saved per page in localStorage, "n/m done" kept current;
 * - sortable tables (`table.sortable`, headers with `data-sort`) and table
 *   filters (`form[data-filter-table]`);
 * - the dashboard's customer list, paged, sorted and filtered from the data
 *   file `customers/dashboard.js`;
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

  // ---------- The dashboard's customer list ----------
  //
  // customers/dashboard.js sets window.onboardDashboard: every customer in
  // the dashboard's order as arrays of indexes into one table of strings.
  // The page carries the first rows of each list; here the tables are
  // drawn a page at a time from the data, so ten thousand customers sort
  // and filter without ten thousand rows in the document.

  var DASH_STATES = ["late", "at_risk", "on_track", "complete"];
  var DASH_STATE_LABELS = ["Late", "At risk", "On track", "Complete"];
  var DASH_STATE_ICONS = ["!", "▲", "●", "✓"];
  var DASH_ACTS = ["customer", "us", "together"];
  var DASH_ACTS_LABELS = ["Customer", "Us", "Together"];

  // The data file is asked for once the page has loaded: the first rows are
  // in the page already, and the page does not wait on the whole list.
  function initDashboard() {
    var tables = all("table[data-dashboard]");
    var holder = document.querySelector("[data-dashboard-data]");
    if (!tables.length) return;
    function go() {
      var data = window.onboardDashboard;
      if (data && data.rows) run("the customer list", function () { setUpDashboard(data, tables); });
    }
    if (window.onboardDashboard) { go(); return; }
    if (!holder) return;
    function load() {
      var script = document.createElement("script");
      script.src = holder.getAttribute("data-dashboard-data");
      script.onload = go;
      document.body.appendChild(script);
    }
    if (document.readyState === "complete") load();
    else window.addEventListener("load", load);
  }

  function setUpDashboard(data, tables) {
    var col = {};
    data.columns.forEach(function (name, index) { col[name] = index; });
    var strings = data.strings;
    var rows = data.rows;
    function str(row, name) {
      var index = row[col[name]];
      return index < 0 ? "" : strings[index];
    }
    var lowered = {};
    function lower(name) {
      if (!lowered[name]) {
        lowered[name] = rows.map(function (row) { return str(row, name).toLowerCase(); });
      }
      return lowered[name];
    }
    var haystack = null;
    function text(index) {
      if (!haystack) {
        haystack = rows.map(function (row) {
          return ["name", "csm", "tier", "why", "late_milestone", "action", "action_owner", "next_milestone"]
            .map(function (name) { return str(row, name); }).join("\n").toLowerCase();
        });
      }
      return haystack[index];
    }
    // A comparable key per row for a column; "" and null sort last.
    function keys(name) {
      switch (name) {
        case "state": return null;
        case "days_late": case "percent":
          return rows.map(function (row) { return row[col[name]]; });
        case "acts":
          return rows.map(function (row) { var a = row[col.acts]; return a < 0 ? "" : DASH_ACTS_LABELS[a].toLowerCase(); });
        default: return lower(name);
      }
    }

    var form = document.querySelector("form[data-dashboard-filters]");
    var counter = form && form.querySelector("[data-filter-count]");
    var views = tables.map(function (table) {
      var complete = table.getAttribute("data-dashboard") === "complete";
      var pager = document.querySelector('[data-pager="' + table.id + '"]');
      var view = {
        table: table,
        body: table.tBodies[0],
        pager: pager,
        members: [],
        shown: [],
        page: 0,
        sortKey: "state",
        ascending: true
      };
      rows.forEach(function (row, index) {
        if ((row[col.state] === 3) === complete) view.members.push(index);
      });
      setUpHeaders(view);
      if (pager) {
        all("[data-page-step]", pager).forEach(function (button) {
          button.addEventListener("click", function () {
            var pages = pageCount(view);
            view.page = Math.max(0, Math.min(pages - 1, view.page + Number(button.getAttribute("data-page-step"))));
            draw(view);
          });
        });
        pager.hidden = false;
      }
      return view;
    });
    var size = Number(data.page_rows) || 50;

    function pageCount(view) {
      return Math.max(1, Math.ceil(view.shown.length / size));
    }

    function setUpHeaders(view) {
      all("th[data-key]", view.table.tHead).forEach(function (header) {
        var button = document.createElement("button");
        button.type = "button";
        while (header.firstChild) button.appendChild(header.firstChild);
        header.appendChild(button);
        button.addEventListener("click", function () {
          var key = header.getAttribute("data-key");
          view.ascending = view.sortKey === key ? !view.ascending : true;
          view.sortKey = key;
          all("th[data-key]", view.table.tHead).forEach(function (other) { other.removeAttribute("aria-sort"); });
          header.setAttribute("aria-sort", view.ascending ? "ascending" : "descending");
          view.page = 0;
          order(view);
          draw(view);
        });
      });
    }

    // Rows come in severity order, so sorting by state is that order.
    function order(view) {
      var key = keys(view.sortKey);
      var sign = view.ascending ? 1 : -1;
      view.shown.sort(function (a, b) {
        if (key) {
          var x = key[a], y = key[b];
          var xMissing = x === "" || x === null, yMissing = y === "" || y === null;
          if (xMissing !== yMissing) return xMissing ? 1 : -1;
          if (x < y) return -sign;
          if (x > y) return sign;
          return a - b;
        }
        return sign * (a - b);
      });
    }

    function filter() {
      var wanted = {};
      var needle = "";
      if (form) {
        all("select[data-filter]", form).forEach(function (select) {
          wanted[select.getAttribute("data-filter")] = select.value;
        });
        var input = form.querySelector("input[data-filter-text]");
        needle = input ? input.value.trim().toLowerCase() : "";
      }
      var state = wanted.state ? DASH_STATES.indexOf(wanted.state) : -1;
      var acts = wanted.acts ? DASH_ACTS.indexOf(wanted.acts) : -2;
      var total = 0, shown = 0;
      views.forEach(function (view) {
        view.shown = view.members.filter(function (index) {
          var row = rows[index];
          if (state >= 0 && row[col.state] !== state) return false;
          if (acts > -2 && row[col.acts] !== acts) return false;
          if (wanted.tier && (str(row, "tier") || "unassigned") !== wanted.tier) return false;
          if (wanted.csm && (str(row, "csm") || "unassigned") !== wanted.csm) return false;
          return !needle || text(index).indexOf(needle) !== -1;
        });
        total += view.members.length;
        shown += view.shown.length;
        view.page = 0;
        order(view);
        draw(view);
      });
      if (counter) {
        counter.textContent = shown === total
          ? total + " customer" + (total === 1 ? "" : "s")
          : shown + " of " + total + " customers shown";
      }
    }

    // Dates as the pages write them ("26 Jan 2026"); the data file keeps ISO.
    var MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    function longDate(iso) {
      var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
      return parts ? Number(parts[3]) + " " + MONTHS[Number(parts[2]) - 1] + " " + parts[1] : iso;
    }

    function element(tag, className, content) {
      var node = document.createElement(tag);
      if (className) node.className = className;
      if (content) node.textContent = content;
      return node;
    }

    function line(cell, className, content) {
      var span = element("span", "small muted cell-line" + (className ? " " + className : ""));
      if (content) span.textContent = content;
      cell.appendChild(span);
      return span;
    }

    function cell(tr, label, className) {
      var td = element("td", className);
      td.setAttribute("data-label", label);
      tr.appendChild(td);
      return td;
    }

    function drawRow(index) {
      var row = rows[index];
      var state = row[col.state];
      var tr = element("tr", "state-" + DASH_STATES[state]);
      var head = element("th");
      head.scope = "row";
      head.setAttribute("data-label", "Customer");
      var link = element("a", null, str(row, "name"));
      link.href = str(row, "slug") + "/index.html";
      head.appendChild(link);
      tr.appendChild(head);

      var badge = element("span", "badge status-" + DASH_STATES[state]);
      var icon = element("span", "badge-icon", DASH_STATE_ICONS[state]);
      icon.setAttribute("aria-hidden", "true");
      badge.appendChild(icon);
      badge.appendChild(document.createTextNode(" " + DASH_STATE_LABELS[state]));
      cell(tr, "State").appendChild(badge);

      var why = cell(tr, "Why");
      why.appendChild(document.createTextNode(str(row, "why")));
      var late = str(row, "late_milestone");
      var days = row[col.days_late];
      if (late) line(why, null, late + ", " + days + " day" + (days === 1 ? "" : "s") + " late");

      var acts = row[col.acts];
      var who = cell(tr, "Who acts");
      if (acts >= 0) who.appendChild(element("span", "acts acts-" + DASH_ACTS[acts], DASH_ACTS_LABELS[acts]));

      var action = cell(tr, "Next action");
      var title = str(row, "action");
      if (title) {
        action.appendChild(document.createTextNode(title));
        var owner = str(row, "action_owner");
        var due = str(row, "action_due");
        if (owner || due) {
          var meta = line(action);
          if (owner) meta.appendChild(document.createTextNode(owner));
          if (owner && due) meta.appendChild(document.createTextNode(" · "));
          if (due) {
            var when = element("span", row[col.action_overdue] ? "overdue" : "", "due ");
            var time = element("time", null, longDate(due));
            time.setAttribute("datetime", due);
            when.appendChild(time);
            meta.appendChild(when);
          }
        }
      }

      var next = cell(tr, "Next milestone");
      var milestone = str(row, "next_milestone");
      if (milestone) {
        next.appendChild(document.createTextNode(milestone));
        var target = str(row, "next_target");
        if (target) {
          var span = line(next, null, "due ");
          var stamp = element("time", null, longDate(target));
          stamp.setAttribute("datetime", target);
          span.appendChild(stamp);
        }
      }

      var daysCell = cell(tr, "Days late", "num");
      if (days) daysCell.appendChild(element("span", "overdue", String(days)));
      else daysCell.textContent = "0";

      var percent = row[col.percent];
      var progress = element("span", "progress");
      var bar = element("span", "progress-bar");
      bar.setAttribute("aria-hidden", "true");
      var fill = element("span");
      fill.style.width = percent + "%";
      bar.appendChild(fill);
      progress.appendChild(bar);
      progress.appendChild(document.createTextNode(" " + row[col.done] + "/" + row[col.total] + " "));
      progress.appendChild(element("span", "muted", "(" + percent + "%)"));
      cell(tr, "Progress").appendChild(progress);

      cell(tr, "CSM").textContent = str(row, "csm");
      var tier = str(row, "tier");
      cell(tr, "Tier").textContent = tier ? (data.tier_names || {})[tier] || tier : "";
      return tr;
    }

    function draw(view) {
      var first = view.page * size;
      var slice = view.shown.slice(first, first + size);
      var body = document.createElement("tbody");
      slice.forEach(function (index) { body.appendChild(drawRow(index)); });
      if (!slice.length) {
        var empty = element("tr");
        var td = element("td", "muted", "No customer matches the filters.");
        td.colSpan = 10;
        empty.appendChild(td);
        body.appendChild(empty);
      }
      view.table.replaceChild(body, view.body);
      view.body = body;
      if (view.pager) {
        var pages = pageCount(view);
        var status = view.pager.querySelector("[data-page-status]");
        if (status) {
          status.textContent = view.shown.length
            ? (first + 1) + "–" + (first + slice.length) + " of " + view.shown.length + " · page " + (view.page + 1) + " of " + pages
            : "0 of " + view.members.length;
        }
        all("[data-page-step]", view.pager).forEach(function (button) {
          var step = Number(button.getAttribute("data-page-step"));
          button.disabled = step < 0 ? view.page === 0 : view.page >= pages - 1;
        });
      }
    }

    if (form) {
      form.addEventListener("submit", function (event) { event.preventDefault(); filter(); });
      form.addEventListener("reset", function () { window.setTimeout(filter, 0); });
      all("select[data-filter]", form).forEach(function (select) { select.addEventListener("change", filter); });
      var input = form.querySelector("input[data-filter-text]");
      if (input) input.addEventListener("input", filter);
      form.hidden = false;
    }
    var note = document.querySelector("[data-list-note]");
    if (note) note.hidden = true;
    filter();
    // The text to filter and the names to sort by, made while nothing
    // happens, so the first filter or sort does not wait for them.
    window.setTimeout(function () { text(0); lower("name"); }, 0);
  }

  // ---------- Tables of contents: folded on narrow screens ----------

  function initToc() {
    if (!window.matchMedia || !window.matchMedia("(max-width: 61.99rem)").matches) return;
    all("details.toc-details[open]").forEach(function (details) { details.open = false; });
  }

  // ---------- Timelines: open their scroll box at today ----------

  // CSS does it where `scroll-initial-target` is known; elsewhere the box
  // is scrolled here, once, so the today line is in view on small screens.
  function initTimelines() {
    if (window.CSS && CSS.supports && CSS.supports("scroll-initial-target", "nearest")) return;
    all(".chart-scroll").forEach(function (box) {
      var anchor = box.querySelector(".today-anchor");
      if (!anchor || box.scrollWidth <= box.clientWidth) return;
      box.scrollLeft = anchor.offsetLeft - box.clientWidth / 2;
    });
  }

  function start() {
    run("the theme toggle", initTheme);
    run("checklists", initChecklists);
    run("sortable tables", initSortableTables);
    run("table filters", initFilters);
    run("the customer list", initDashboard);
    run("the search box", initSearchQuery);
    run("tables of contents", initToc);
    run("Markdown tables", initProseTables);
    run("timelines", initTimelines);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
