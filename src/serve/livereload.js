// onboard serve: live reload. Added by `onboard serve` to the pages it
// serves, never written by `onboard build`.
(function (build) {
  "use strict";
  if (!window.EventSource || window.__onboardLiveReload) return;
  window.__onboardLiveReload = true;
  var OVERLAY = "__onboard-overlay";

  function removeOverlay() {
    var old = document.getElementById(OVERLAY);
    if (old) old.parentNode.removeChild(old);
  }

  function el(tag, css, text) {
    var node = document.createElement(tag);
    if (css) node.style.cssText = css;
    // Diagnostic text is content from the site: never parsed as HTML.
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Every diagnostic of the failed build, each labelled by its kind
  // (`error[date]`) and drawn as the terminal draws it (see overlay.rs).
  function showOverlay(diagnostics) {
    removeOverlay();
    var errors = diagnostics.filter(function (d) { return d.level === "error"; }).length;
    var warnings = diagnostics.length - errors;
    var box = el("div", "position:fixed;inset:0;z-index:2147483647;overflow:auto;box-sizing:border-box;" +
      "padding:24px 32px;background:rgba(24,24,27,.96);color:#f4f4f5;text-align:left;" +
      "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    var close = el("button", "float:right;font:inherit;color:inherit;background:#3f3f46;border:0;" +
      "border-radius:4px;padding:4px 10px;cursor:pointer;", "Hide");
    close.onclick = removeOverlay;
    box.appendChild(close);
    box.appendChild(el("h2", "margin:0 0 4px;font-size:18px;color:#fca5a5;",
      "The site does not build: " + count(errors, "error") +
      (warnings ? ", " + count(warnings, "warning") : "")));
    box.appendChild(el("p", "margin:0 0 16px;color:#a1a1aa;",
      "The page shows the last good build. This message goes away when the files are fixed."));
    var list = el("ol", "margin:0;padding:0;list-style:none;");
    diagnostics.forEach(function (d) {
      var item = el("li", "margin:0 0 14px;padding:10px 12px;border-left:4px solid " +
        (d.level === "error" ? "#f87171" : "#facc15") + ";background:#27272a;");
      var where = d.file + (d.line ? ":" + d.line + ":" + d.column : "");
      var head = el("div", "color:#93c5fd;");
      head.appendChild(el("strong", "color:" + (d.level === "error" ? "#fca5a5" : "#fde68a") + ";",
        d.label || d.level + "[" + d.code + "]"));
      head.appendChild(document.createTextNode(" " + where));
      item.appendChild(head);
      item.appendChild(el("pre", "margin:6px 0 0;white-space:pre;overflow-x:auto;font:inherit;",
        d.drawn || d.message + (d.help ? "\nhelp: " + d.help : "")));
      list.appendChild(item);
    });
    box.appendChild(list);
    (document.body || document.documentElement).appendChild(box);
  }

  function count(n, word) {
    return n + " " + word + (n === 1 ? "" : "s");
  }

  function reloadStylesheets() {
    var stamp = String(Date.now());
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("__onboard", stamp);
      links[i].href = url.href;
    }
  }

  // This page's URL path as the server lists them: `/customers/acme/`.
  function here() {
    var path = location.pathname;
    try { path = decodeURIComponent(path); } catch (e) { /* as is */ }
    return path.replace(/index\.html$/, "");
  }

  function connect() {
    var source = new EventSource("/__onboard/events");
    source.addEventListener("hello", function (event) {
      var id = JSON.parse(event.data).build;
      // This page is older than the build being served (it was loaded
      // just before a rebuild, or we were away): show the new one.
      if (build !== null && id !== null && id !== build) location.reload();
      if (id !== null) build = id;
    });
    // `paths` lists the pages a build changed (after a tracker edit, the
    // customer's own pages first, then the pages that read every
    // customer): other pages stay, and take the new build id as theirs.
    source.addEventListener("reload", function (event) {
      var data = {};
      try { data = JSON.parse(event.data) || {}; } catch (e) { /* reload */ }
      if (data.build && data.build === build) return;
      if (!data.paths || data.paths.indexOf(here()) >= 0) {
        removeOverlay();
        location.reload();
      } else if (data.build) {
        build = data.build;
      }
    });
    source.addEventListener("css", function (event) {
      reloadStylesheets();
      var data = JSON.parse(event.data);
      if (data.build) build = data.build;
    });
    // `error` is both the server's event and EventSource's own connection
    // error; only the server's carries data.
    source.addEventListener("error", function (event) {
      if (typeof event.data === "string") {
        showOverlay(JSON.parse(event.data));
      } else if (source.readyState === EventSource.CLOSED) {
        // Refused (too many tabs) or the server went away: try again later.
        setTimeout(connect, 3000);
      }
    });
  }

  connect();
})(__ONBOARD_BUILD__);
