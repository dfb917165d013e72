// The dashboard in headless Chromium from file://.
//
// - On the example site: customers in flight most urgent first, complete
//   ones folded away; chart text at least 11 px at 1440 px; at 375 px the
//   header stays on two lines, table rows become cards, and the dashboard,
//   a late customer's status page and its share page do not scroll
//   sideways and have no serious or critical axe-core finding.
// - On the generated 10,000-tracker site (run.sh builds it): sorting and
//   filtering work on the whole list, and every customer can be reached
//   by paging. Timings are for benches/dashboard_bench.mjs, not asserted.

import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

import { exampleOut, here, launchChromium } from "./lib.mjs";

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const scaleOut = process.env.ONBOARD_SCALE_OUT || path.join(here, "artifacts", "trackers-10000");

const url = (root, rel) => pathToFileURL(path.join(root, rel)).href;

/** Waits until onboard.js has loaded the data file and wired the filters. */
async function listReady(page) {
  await page.waitForSelector("form[data-dashboard-filters]:not([hidden])", { timeout: 60000 });
}

/** The customer status pages of the built example site and a late one. */
function lateCustomer() {
  const html = fs.readFileSync(path.join(exampleOut, "customers", "index.html"), "utf8");
  const match = html.match(/<tr class="state-late">\s*<th scope="row" data-label="Customer"><a href="([^"]+)\/index.html">/);
  assert.ok(match, "the example site has a late customer");
  return match[1];
}

test("the dashboard lists customers in flight most urgent first and folds the complete ones", async () => {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(url(exampleOut, "customers/index.html"));
    await listReady(page);
    const seen = await page.evaluate(() => ({
      states: [...document.querySelectorAll("#customer-table tbody tr")].map((tr) => tr.className),
      late: [...document.querySelectorAll("#customer-table tbody tr.state-late td.num")].map((td) => Number(td.textContent)),
      folded: !document.querySelector("#complete-customers")?.open,
      completeRows: [...document.querySelectorAll("#complete-table tbody tr")].every((tr) => tr.className === "state-complete"),
      charts: document.querySelectorAll("#charts svg.chart").length,
      minFont: Math.min(...[...document.querySelectorAll("#charts svg.chart, #kpis svg.chart")].map((svg) => {
        const box = svg.getBoundingClientRect();
        return 12 * box.width / svg.viewBox.baseVal.width;
      })),
      dotsNamed: [...document.querySelectorAll("svg.chart circle")].every((dot) => dot.querySelector("title")),
    }));
    const rank = { "state-late": 0, "state-at_risk": 1, "state-on_track": 2 };
    const ranks = seen.states.map((c) => rank[c]);
    assert.ok(ranks.every((r) => r !== undefined), `only customers in flight: ${seen.states}`);
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), "late, then at risk, then on track");
    assert.deepEqual(seen.late, [...seen.late].sort((a, b) => b - a), "late ones by days late");
    assert.ok(seen.folded, "complete customers are in a closed <details>");
    assert.ok(seen.completeRows);
    assert.equal(seen.charts, 1, "one chart beside the stat cards, none repeating them");
    assert.ok(seen.minFont >= 11, `chart text is ${seen.minFont.toFixed(1)} px at 1440 px`);
    assert.ok(seen.dotsNamed, "every dot has a tooltip");
  } finally {
    await browser.close();
  }
});

test("at 375 px the dashboard, a late customer's status page and its share page fit, and axe finds nothing serious", async () => {
  const slug = lateCustomer();
  const status = fs.readFileSync(path.join(exampleOut, "customers", slug, "index.html"), "utf8");
  const share = status.match(/href="((?:\.\.\/)+share\/[^"]+\/index.html)"/);
  const pages = ["customers/index.html", `customers/${slug}/index.html`];
  if (share) pages.push(path.posix.normalize(`customers/${slug}/${share[1]}`));
  const browser = await launchChromium();
  const problems = [];
  try {
    for (const width of [375, 1440]) {
      for (const rel of pages) {
        const page = await browser.newPage({ viewport: { width, height: 800 } });
        await page.addInitScript(axeSource);
        await page.goto(url(exampleOut, rel));
        if (rel === "customers/index.html") await listReady(page);
        const layout = await page.evaluate(() => {
          const root = document.documentElement;
          const bar = document.querySelector(".header-bar");
          // The customer list, the milestones and the actions: each row a card.
          const rows = [...document.querySelectorAll("#customer-table tbody tr, table.milestones tbody tr, table.actions-table tbody tr")];
          return {
            wide: root.scrollWidth > root.clientWidth ? root.scrollWidth : 0,
            barHeight: bar ? bar.getBoundingClientRect().height : 0,
            tables: rows.length,
            notCards: rows.filter((row) => getComputedStyle(row).display !== "block").map((row) => row.closest("table").className || row.closest("table").id),
          };
        });
        if (layout.wide) problems.push(`${rel} at ${width} px is ${layout.wide} px wide`);
        if (width === 375 && layout.barHeight > 64) problems.push(`${rel}: the header bar wraps (${layout.barHeight} px high)`);
        if (width === 375 && layout.notCards.length) problems.push(`${rel}: rows of ${[...new Set(layout.notCards)]} are not cards`);
        if (pages.indexOf(rel) < 2 && layout.tables === 0) problems.push(`${rel}: no table rows found to check`);
        const violations = await page.evaluate(async () => (await window.axe.run(document, { resultTypes: ["violations"] })).violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => `${v.id}: ${v.help} (${v.nodes.length})`));
        for (const v of violations) problems.push(`${rel} at ${width} px: ${v}`);
        await page.close();
      }
    }
  } finally {
    await browser.close();
  }
  assert.deepEqual(problems, []);
});

test("at 10,000 customers the dashboard sorts, filters and reaches every customer", { skip: !fs.existsSync(path.join(scaleOut, "customers", "index.html")) && "run.sh builds the 10,000-tracker site" }, async () => {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(url(scaleOut, "customers/index.html"));
    await listReady(page);

    // Sort by name: the first page is in name order.
    await page.click('#customer-table th[data-key="name"] button');
    const names = await page.$$eval("#customer-table tbody th a", (links) => links.map((a) => a.textContent.toLowerCase()));
    assert.equal(names.length, 50);
    assert.deepEqual(names, [...names].sort());
    await page.click('#customer-table th[data-key="name"] button');
    const reversed = await page.$$eval("#customer-table tbody th a", (links) => links.map((a) => a.textContent.toLowerCase()));
    assert.deepEqual(reversed, [...reversed].sort().reverse());

    // Filter by state and by text.
    await page.selectOption('select[data-filter="state"]', "at_risk");
    const states = await page.$$eval("#customer-table tbody tr", (rows) => [...new Set(rows.map((r) => r.className))]);
    assert.deepEqual(states, ["state-at_risk"]);
    const count = await page.textContent("[data-filter-count]");
    assert.match(count, /^\d+ of 10000 customers shown$/);
    await page.selectOption('select[data-filter="state"]', "");
    const target = await page.textContent("#customer-table tbody tr:nth-child(3) th a");
    await page.fill("input[data-filter-text]", target);
    const found = await page.$$eval("#customer-table tbody th a, #complete-table tbody th a", (links) => links.map((a) => a.textContent));
    assert.ok(found.includes(target), `${target} found by its name`);
    await page.fill("input[data-filter-text]", "");

    // Page through both lists: every customer folder is linked once.
    await page.click("#complete-customers > summary");
    const reached = new Set();
    for (const id of ["customer-table", "complete-table"]) {
      for (;;) {
        const links = await page.$$eval(`#${id} tbody th a`, (as) => as.map((a) => a.getAttribute("href")));
        links.forEach((href) => reached.add(href.replace(/\/index\.html$/, "")));
        const next = page.locator(`[data-pager="${id}"] [data-page-step="1"]`);
        if (await next.isDisabled()) break;
        await next.click();
      }
    }
    const folders = fs.readdirSync(path.join(scaleOut, "customers"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
    assert.equal(folders.length, 10000);
    assert.deepEqual([...reached].sort(), folders.sort());
  } finally {
    await browser.close();
  }
});
