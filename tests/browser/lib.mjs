// Helpers shared by the browser tests: where the built sites are, a tiny
// static server on 127.0.0.1, headless Chromium, and a VM that runs the
// real search.js against a built index without a browser.

import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import vm from "node:vm";
import { fileURLToPath } from "node:url";

export const here = path.dirname(fileURLToPath(import.meta.url));

/** The output folders run.sh builds (override with environment variables). */
export const fixtureOut = process.env.ONBOARD_SEARCH_FIXTURE_OUT || path.join(here, "artifacts", "search-fixture");
export const exampleOut = process.env.ONBOARD_SEARCH_EXAMPLE_OUT || path.join(here, "artifacts", "example");

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".ics": "text/calendar",
};

/**
 * Serves `dir` on 127.0.0.1 at a free port. Records every path served and
 * its size in `served`, so tests can count what a query downloaded.
 *
 * Options: `prefix` serves the site under a path such as `/docs/` instead
 * of `/`; `notFound` names a file of the site to answer misses with (status
 * 404), as static hosts and `onboard serve` do with `404.html`.
 */
export async function serve(dir, { prefix = "/", notFound = null } = {}) {
  const served = [];
  const root = path.resolve(dir);
  const miss = (res) => {
    if (!notFound) {
      res.writeHead(404).end("not found");
      return;
    }
    fs.readFile(path.join(root, notFound), (error, bytes) => {
      if (error) res.writeHead(404).end("not found");
      else res.writeHead(404, { "content-type": types[path.extname(notFound)] || "text/plain", "cache-control": "no-store" }).end(bytes);
    });
  };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    let rel = decodeURIComponent(url.pathname);
    if (!rel.startsWith(prefix)) {
      miss(res);
      return;
    }
    rel = "/" + rel.slice(prefix.length);
    if (rel.endsWith("/")) rel += "index.html";
    const file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    fs.readFile(file, (error, bytes) => {
      if (error) {
        miss(res);
        return;
      }
      served.push({ path: rel, bytes: bytes.length });
      res.writeHead(200, { "content-type": types[path.extname(file)] || "application/octet-stream", "cache-control": "no-store" });
      // HEAD gets the headers only, as from any static server.
      res.end(req.method === "HEAD" ? undefined : bytes);
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    served,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** Launches the system Chromium headless, as the README describes. */
export async function launchChromium() {
  const { chromium } = await import("playwright-core");
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/**
 * Runs search.js from a built site in a VM whose only "DOM" is a script
 * loader reading files from disk. Returns the `__onboardSearch` object.
 */
export function searchInVm(siteDir) {
  const base = "file:///site/";
  const context = {
    console,
    performance,
    URL,
    URLSearchParams,
    TextEncoder,
    Promise,
    setTimeout,
  };
  context.window = context;
  context.document = {
    readyState: "complete",
    currentScript: { src: base + "search.js" },
    querySelector: () => null,
    getElementById: () => null,
    addEventListener() {},
    createElement: () => ({}),
    head: {
      appendChild(el) {
        const rel = el.src.slice(base.length);
        // Asynchronous like a browser, so ordering bugs would show.
        setTimeout(() => {
          let code;
          try {
            code = fs.readFileSync(path.join(siteDir, rel), "utf8");
          } catch {
            el.onerror && el.onerror();
            return;
          }
          vm.runInContext(code, context, { filename: rel });
          el.onload && el.onload();
        }, 0);
      },
    },
  };
  vm.createContext(context);
  vm.runInContext(fs.readFileSync(path.join(siteDir, "search.js"), "utf8"), context, { filename: "search.js" });
  return context.__onboardSearch;
}

/** Total bytes of the named index files (`meta`, `t-es`, `d-0`, …). */
export function indexBytes(siteDir, names) {
  return names.reduce((sum, name) => sum + fs.statSync(path.join(siteDir, "search", name + ".js")).size, 0);
}
