// Measures search in headless Chromium on a built site (search_bench.sh
// builds one with 20,000 generated pages, or 10,000 generated trackers):
//
//   node benches/search_bench.mjs SITE_OUTPUT_DIR [http|file]
//
// The queries follow the site: words of benches/gen_pages.py for a site of
// pages, and customer names, situation words and misspellings of
// benches/gen_trackers.py for a site of trackers (its customers indexed).
// For each query it opens a fresh page (served from 127.0.0.1, or opened
// from file://), types the query into the header box key by key, and
// reports
// - the bytes of the index files the client loaded for that first query
//   (everything typed so far: meta.js, term shards, document chunks), and
//   the same when the query arrives at once (pasted);
// - the latency from the last keypress to the results in the DOM, as
//   measured in the page with performance.now() (search.js records it),
//   both cold (the query's files still to load) and warm (loaded).
// Needs playwright-core in tests/browser/node_modules (tests/browser/run.sh
// installs it).

import fs from "node:fs";
import path from "node:path";

import { pathToFileURL } from "node:url";

import { indexBytes, launchChromium, serve } from "../tests/browser/lib.mjs";

const site = process.argv[2];
const mode = process.argv[3] || "http";
if (!site || !fs.existsSync(path.join(site, "search", "meta.js")) || !["http", "file"].includes(mode)) {
  console.error("usage: node benches/search_bench.mjs SITE_OUTPUT_DIR [http|file] (a built site with search/meta.js)");
  process.exit(2);
}

// Words of the generated pages (benches/gen_pages.py), one to three per query.
const PAGE_QUERIES = [
  "customer invoice",
  "harbor", // in no page: a query that finds nothing
  "deploy monitor",
  "kickoff checklist",
  "renewal risk",
  "quarterly report",
  "sandbox tenant",
  "warehouse inventory",
  "sponsor",
  "incident review",
  "payment refund receipt",
  "gateway router",
];

// Of the generated trackers (benches/gen_trackers.py): a customer's whole
// name, company names matching hundreds, words of blockers, actions, risks,
// updates and notes, and misspellings that only close spellings answer.
const TRACKER_QUERIES = [
  "Hooli Corp 4242",
  "acme",
  "wonka foods",
  "metadata sponsor",
  "waiting license",
  "escalation blocker renewal",
  "harbor", // in no tracker, and nothing close
  "metdata", // typo: metadata
  "sponser", // typo: sponsor
  "intgration", // typo: integration
  "renewl contract",
  "Piotr Nowak",
];

const trackers = fs.existsSync(path.join(site, "customers", "customer-00001", "index.html"));
const QUERIES = trackers ? TRACKER_QUERIES : PAGE_QUERIES;
const START = trackers ? "customers/customer-00001/index.html" : "pages/page-00001/index.html";

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

const server = mode === "http" ? await serve(site) : null;
const base = server ? server.url : pathToFileURL(path.resolve(site) + path.sep).href;
const browser = await launchChromium();

async function freshPage() {
  const page = await browser.newPage();
  await page.goto(base + START);
  await page.waitForFunction(() => window.__onboardSearch && window.__onboardSearch.rank);
  return page;
}

/** Index files the page's client has loaded, and their size on disk. */
async function loadedIndex(page) {
  const names = await page.evaluate(() => [...window.__onboardSearch.loaded]);
  return { bytes: indexBytes(site, names), files: names.length };
}

async function waitForRender(page, query, count) {
  await page.waitForFunction(
    ([q, n]) => window.__onboardSearch.timings.filter((t) => t.query === q).length >= n,
    [query, count],
    { timeout: 30000 },
  );
  return page.evaluate((q) => window.__onboardSearch.timings.filter((t) => t.query === q).pop().ms, query);
}

const rows = [];
for (const query of QUERIES) {
  // Typed, key by key, into a fresh page: what a first query costs.
  let page = await freshPage();
  await page.locator("#site-search").click();
  await page.keyboard.type(query);
  const cold = await waitForRender(page, query, 1);
  const typed = await loadedIndex(page);
  const results = await page.locator("#site-search-results .onboard-search-result").count();
  const firstTitle = results ? await page.locator("#site-search-results .onboard-search-title").first().textContent() : "";
  const note = page.locator(".onboard-search-corrected");
  const corrected = (await note.isVisible()) ? (await note.locator("strong").textContent()) : "";
  // Warm: the same query again, every file already loaded.
  const warm = [];
  for (let i = 0; i < 5; i++) {
    await page.locator("#site-search").fill("");
    await page.keyboard.type(query.slice(0, -1));
    await page.waitForTimeout(20);
    await page.keyboard.type(query.slice(-1));
    warm.push(await waitForRender(page, query, i + 2));
  }
  await page.close();

  // Pasted: the whole query in one input event, on a fresh page.
  page = await freshPage();
  await page.locator("#site-search").fill(query);
  const pastedMs = await waitForRender(page, query, 1);
  const pasted = await loadedIndex(page);
  await page.close();

  rows.push({ query, results, firstTitle, corrected, typed, pasted, cold, pastedMs, warm: median(warm) });
}

const searchJs = fs.statSync(path.join(site, "search.js")).size;
console.log(`pages opened over ${mode === "http" ? "HTTP from 127.0.0.1" : "file://"}`);
console.log("query                        | results | typed: files, bytes | pasted: files, bytes | cold ms | pasted ms | warm ms");
for (const r of rows) {
  console.log(
    [
      r.query.padEnd(28),
      String(r.results).padStart(7),
      `${String(r.typed.files).padStart(5)}, ${kb(r.typed.bytes).padStart(10)}`.padEnd(19),
      `${String(r.pasted.files).padStart(5)}, ${kb(r.pasted.bytes).padStart(10)}`.padEnd(20),
      r.cold.toFixed(1).padStart(7),
      r.pastedMs.toFixed(1).padStart(9),
      r.warm.toFixed(1).padStart(7),
    ].join(" | "),
  );
}
console.log("query                        | showing results for | first result");
for (const r of rows) console.log([r.query.padEnd(28), (r.corrected || "-").padEnd(19), r.firstTitle || "-"].join(" | "));
const typedBytes = rows.map((r) => r.typed.bytes);
console.log(`search.js (loaded with every page, not counted above): ${kb(searchJs)}`);
console.log(`bytes loaded by a first query, typed: median ${kb(median(typedBytes))}, max ${kb(Math.max(...typedBytes))}`);
console.log(`bytes loaded by a first query, pasted: median ${kb(median(rows.map((r) => r.pasted.bytes)))}, max ${kb(Math.max(...rows.map((r) => r.pasted.bytes)))}`);
console.log(`query latency in Chromium, last keypress to results in the DOM:`);
console.log(`  cold (typed, files loading): median ${median(rows.map((r) => r.cold)).toFixed(1)} ms, max ${Math.max(...rows.map((r) => r.cold)).toFixed(1)} ms`);
console.log(`  cold (pasted, all files loading): median ${median(rows.map((r) => r.pastedMs)).toFixed(1)} ms`);
console.log(`  warm (files loaded): median ${median(rows.map((r) => r.warm)).toFixed(1)} ms, max ${Math.max(...rows.map((r) => r.warm)).toFixed(1)} ms`);

await browser.close();
await server?.close();
