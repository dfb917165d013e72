// The dashboard and the home page of a large portfolio in headless Chromium
// from file://: page weight, DOMContentLoaded, load, the time until the
// customer list answers, and the time of a sort click and of a filter.
//
//   node benches/dashboard_bench.mjs OUT [RUNS]
//
// OUT is a built site (for example the 10,000-tracker site of
// benches/gen_trackers.py: python3 benches/gen_trackers.py 10000 SRC, then
// onboard build --root SRC --out OUT). Needs playwright-core (installed by
// tests/browser/run.sh) and Chromium at $CHROMIUM or /usr/bin/chromium.
// Prints one line per measure, each the median of RUNS (default 3).

import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "..", "tests", "browser", "package.json"));
const { chromium } = require("playwright-core");

const [out, runsArg] = process.argv.slice(2);
if (!out) {
  console.error("usage: node benches/dashboard_bench.mjs OUT [RUNS]");
  process.exit(2);
}
const runs = Number(runsArg || 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KB`;

/** Bytes of the files the page asked for: the data file of the customer
 *  list (asked for once the page has loaded) apart from the rest. */
function weigh(requests) {
  let page = 0;
  let data = 0;
  for (const url of new Set(requests)) {
    if (!url.startsWith("file:")) continue;
    const file = fileURLToPath(url);
    const size = fs.existsSync(file) ? fs.statSync(file).size : 0;
    if (url.endsWith("/customers/dashboard.js")) data += size;
    else page += size;
  }
  return { page, data };
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || "/usr/bin/chromium" });
try {
  for (const rel of ["customers/index.html", "index.html"]) {
    const file = path.join(out, rel);
    const samples = { dcl: [], load: [], ready: [], sort: [], filter: [] };
    let weight = null;
    for (let run = 0; run < runs; run++) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const requests = [];
      page.on("request", (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(file).href, { waitUntil: "load", timeout: 120000 });
      const timing = await page.evaluate(() => {
        const [nav] = performance.getEntriesByType("navigation");
        return { dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, loadAt: performance.timeOrigin + nav.loadEventEnd };
      });
      samples.dcl.push(timing.dcl);
      samples.load.push(timing.load);
      if (rel === "customers/index.html") {
        // The list answers once onboard.js has wired the filters.
        await page.waitForSelector("form.filters:not([hidden])", { timeout: 120000 });
        samples.ready.push(await page.evaluate(() => performance.now()));
        samples.sort.push(await page.evaluate(() => {
          // The customer name header (the first column, before and after the data file).
          const button = document.querySelector("#customer-table thead th button");
          const start = performance.now();
          button.click();
          document.querySelector("#customer-table tbody tr").getBoundingClientRect();
          return performance.now() - start;
        }));
        samples.filter.push(await page.evaluate(() => {
          const input = document.querySelector("input[data-filter-text]");
          const start = performance.now();
          input.value = "media 12";
          input.dispatchEvent(new Event("input"));
          document.querySelector("#customer-table tbody tr").getBoundingClientRect();
          return performance.now() - start;
        }));
      }
      await page.waitForTimeout(300);
      weight = weigh(requests);
      await page.close();
    }
    const html = fs.statSync(file).size;
    console.log(`${rel}: html ${kb(html)}, with its stylesheet and scripts ${kb(weight.page)}, customer list data file ${kb(weight.data)}`);
    console.log(`${rel}: DOMContentLoaded ${median(samples.dcl).toFixed(0)} ms, load ${median(samples.load).toFixed(0)} ms (median of ${runs})`);
    if (samples.sort.length) {
      console.log(`${rel}: list ready ${median(samples.ready).toFixed(0)} ms, sort click ${median(samples.sort).toFixed(1)} ms, text filter ${median(samples.filter).toFixed(1)} ms`);
    }
  }
} finally {
  await browser.close();
}
