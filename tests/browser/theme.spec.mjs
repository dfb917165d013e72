// The default theme in headless Chromium, on the bundled example site that
// run.sh builds into artifacts/example:
//
// - axe-core on every page type, light and dark, at 1280 and 375 px: no
//   serious or critical violation (a summary table is printed);
// - at 375 px (and 1280 px) no page scrolls sideways, and wide tables
//   scroll in their own box;
// - screenshots of every page type, light and dark, wide and narrow, in
//   artifacts/screenshots/ (kept by the run, ignored by git);
// - a checklist ticked from file:// is still ticked after a reload;
// - print: no navigation, checklist boxes, each step on a new page (and a
//   PDF in artifacts/print/ to look at); every page type fits its paper;
// - light and dark follow the system, the toggle overrides it and sticks;
// - breadcrumbs, an SOP's table of contents and previous/next step links;
// - status is never colour alone; the 404 page works at any depth.
//
// Everything is served from file:// or from a Node server on 127.0.0.1.

import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

import { exampleOut, here, launchChromium, serve } from "./lib.mjs";

const require = createRequire(import.meta.url);
const axePath = require.resolve("axe-core/axe.min.js");
const axeVersion = JSON.parse(fs.readFileSync(path.join(path.dirname(axePath), "package.json"), "utf8")).version;
const artifacts = path.join(here, "artifacts");
const screenshots = path.join(artifacts, "screenshots");
const printDir = path.join(artifacts, "print");

/** Output paths (`sops/kickoff/index.html`) of the pages under `dir`. */
function pagesUnder(dir) {
  const base = path.join(exampleOut, dir);
  if (!fs.existsSync(base)) return [];
  return fs
    .readdirSync(base, { recursive: true })
    .map((rel) => path.join(dir, String(rel)).split(path.sep).join("/"))
    .filter((rel) => rel.endsWith("/index.html"))
    .sort();
}

/** The largest page of a list: the one with the most to check and to see. */
function richest(paths) {
  const size = (rel) => fs.statSync(path.join(exampleOut, rel)).size;
  return paths.reduce((best, rel) => (size(rel) > size(best) ? rel : best));
}

// Every page type of the site. axe runs on every page of a type in the
// light desktop view, and on the `sample` (the richest page) in the others;
// the layout check runs on every page at 1280 and 375 px.
const pageTypes = [
  { type: "home", pages: ["index.html"] },
  { type: "SOP", pages: pagesUnder("sops") },
  { type: "playbook", pages: pagesUnder("playbooks") },
  { type: "roles", pages: ["roles/index.html"] },
  { type: "glossary", pages: ["glossary/index.html"] },
  { type: "dashboard", pages: ["customers/index.html"] },
  { type: "customer", pages: pagesUnder("customers").filter((rel) => rel !== "customers/index.html") },
  { type: "share", pages: pagesUnder("share") },
  // With results: the query is typed into the page's search box.
  { type: "search", pages: ["search/index.html"], query: "kickoff" },
  // The header's search box with its dropdown of results open.
  { type: "search dropdown", pages: ["glossary/index.html"], boxQuery: "kickoff" },
  { type: "free page", pages: pagesUnder("pages") },
  { type: "reviews", pages: ["reviews/index.html"] },
  { type: "print", pages: ["print/index.html"] },
  { type: "tags", pages: ["tags/index.html"] },
  { type: "tag", pages: pagesUnder("tags").filter((rel) => rel !== "tags/index.html") },
  { type: "404", pages: ["404.html"] },
  // The not-found page as a server shows it for a missing deep address.
  { type: "404 at depth", pages: ["sops/no-such-sop/no/such/step/"], notFound: true },
];
for (const entry of pageTypes) {
  assert.ok(entry.pages.length > 0, `the example site has no ${entry.type} page`);
  entry.sample = entry.notFound ? entry.pages[0] : richest(entry.pages);
  entry.slug = entry.type.replace(/[^a-z0-9]+/gi, "-").toLowerCase();
}

const views = [
  { name: "light", colorScheme: "light", viewport: { width: 1280, height: 900 }, everyPage: true },
  { name: "dark", colorScheme: "dark", viewport: { width: 1280, height: 900 } },
  { name: "light 375px", colorScheme: "light", viewport: { width: 375, height: 800 }, everyPage: true, narrow: true },
  { name: "dark 375px", colorScheme: "dark", viewport: { width: 375, height: 800 }, narrow: true },
];
const impacts = ["critical", "serious", "moderate", "minor"];

let browser;
let server;
// Filled by the visit of every page in every view (test.before).
const axeFindings = []; // { type, rel, view, id, impact, help, nodes }
const axeRuns = new Map(); // page type -> number of axe runs
const layoutProblems = [];
const layoutChecked = new Set();
const colourOnly = [];
const scriptErrors = [];
const shots = [];

/** Loads `rel` in `page` and waits until it is ready to check. */
async function visit(page, entry, rel) {
  await page.goto(server.url + rel);
  if (entry.query) {
    await page.locator("#search-page-input").fill(entry.query);
    await page.waitForSelector("#search-results .onboard-search-result");
  }
  if (entry.boxQuery) {
    await page.locator("#site-search").fill(entry.boxQuery);
    await page.waitForSelector("#site-search-results .onboard-search-result");
  }
  // The 404 page stays hidden until it has found the site root.
  await page.waitForFunction(() => !document.documentElement.classList.contains("nf-wait"));
  await page.evaluate(() => document.fonts.ready);
}

/** axe-core's violations on the loaded page (axe is added by an init script). */
function axe(page) {
  return page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => `${n.target.join(" ")}: ${n.failureSummary.split("\n").slice(1).join(" ").trim()}`),
    }));
  });
}

/** Does the document scroll sideways, and does every table wider than the window scroll in its own box? */
function checkLayout(page) {
  return page.evaluate(() => {
    const out = [];
    const root = document.documentElement;
    const width = root.clientWidth;
    if (root.scrollWidth > width) {
      // Name the outermost elements that stick out, to say what to fix.
      const wide = [...document.body.querySelectorAll("*")]
        .filter((el) => el.getBoundingClientRect().right > width + 1)
        .filter((el) => el.parentElement.getBoundingClientRect().right <= width + 1)
        .slice(0, 5)
        .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} (right edge ${Math.round(el.getBoundingClientRect().right)}px)`);
      out.push(`the document is ${root.scrollWidth}px wide in a ${width}px window: ${wide.join(", ")}`);
    }
    for (const table of document.querySelectorAll("main table")) {
      if (table.getBoundingClientRect().right <= width + 1) continue;
      let box = table;
      while (box && !["auto", "scroll"].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
      if (!box || box.getBoundingClientRect().right > width + 1) {
        out.push(`a table wider than the window does not scroll in its own box: ${table.id || table.className || "(unnamed)"}`);
      }
    }
    return out;
  });
}

/** Status badges whose only signal would be their colour (no word in them). */
function badgesWithoutWords(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll(".badge")]
      .filter((badge) => {
        const words = [...badge.childNodes]
          .filter((n) => !(n.nodeType === 1 && n.getAttribute("aria-hidden") === "true"))
          .map((n) => n.textContent)
          .join("")
          .trim();
        return !/[a-z]/i.test(words);
      })
      .map((badge) => badge.outerHTML),
  );
}

test.before(async () => {
  browser = await launchChromium();
  server = await serve(exampleOut, { notFound: "404.html" });
  fs.rmSync(screenshots, { recursive: true, force: true });
  fs.mkdirSync(screenshots, { recursive: true });
  fs.mkdirSync(printDir, { recursive: true });

  // One pass over every view and page: axe, the layout check, the badge
  // check and the screenshots share each page load.
  for (const view of views) {
    const context = await browser.newContext({ colorScheme: view.colorScheme, viewport: view.viewport });
    await context.addInitScript({ path: axePath });
    const page = await context.newPage();
    let current = null;
    page.on("pageerror", (error) => scriptErrors.push(`${current} [${view.name}]: ${error.message}`));
    for (const entry of pageTypes) {
      for (const rel of view.everyPage ? entry.pages : [entry.sample]) {
        current = rel;
        await visit(page, entry, rel);
        const sample = rel === entry.sample;
        if (sample || (!view.narrow && view.everyPage)) {
          axeRuns.set(entry.type, (axeRuns.get(entry.type) || 0) + 1);
          for (const violation of await axe(page)) axeFindings.push({ type: entry.type, rel, view: view.name, ...violation });
        }
        if (view.narrow) layoutChecked.add(rel);
        for (const problem of await checkLayout(page)) layoutProblems.push(`${rel} [${view.name}]: ${problem}`);
        if (view.name === "light") colourOnly.push(...(await badgesWithoutWords(page)).map((html) => `${rel}: ${html}`));
        if (sample) {
          const file = path.join(screenshots, `${entry.slug}-${view.name.replace(/ /g, "-")}.png`);
          // A whole long page (the print page holds the library) takes a
          // screenshot longer than Chromium allows; its first screens show the look.
          const height = await page.evaluate(() => document.documentElement.scrollHeight);
          await page.screenshot({ path: file, fullPage: height <= 8000 });
          shots.push({ type: entry.type, view: view.name, file });
        }
      }
    }
    await context.close();
  }
});

test.after(async () => {
  await browser?.close();
  await server?.close();
});

test(`axe-core ${axeVersion}: no serious or critical violation on any page type, light or dark, 1280 or 375 px`, () => {
  const rows = pageTypes.map((entry) => {
    const found = axeFindings.filter((f) => f.type === entry.type);
    const counts = Object.fromEntries(impacts.map((impact) => [impact, found.filter((f) => f.impact === impact).reduce((n, f) => n + f.nodes.length, 0)]));
    const rules = [...new Set(found.map((f) => `${f.id} (${f.impact})`))].join(", ") || "none";
    return { "page type": entry.type, "axe runs": axeRuns.get(entry.type) || 0, ...counts, rules };
  });
  console.log(`\naxe-core ${axeVersion}: affected elements per page type, over every page in light at 1280 px and the sample page in dark and at 375 px`);
  console.table(rows);
  fs.writeFileSync(path.join(artifacts, "axe-summary.json"), JSON.stringify({ axe: axeVersion, views: views.map((v) => v.name), rows }, null, 2) + "\n");
  for (const entry of pageTypes) assert.ok(axeRuns.get(entry.type) >= views.length, `axe ran on ${entry.type}`);
  const serious = axeFindings
    .filter((f) => f.impact === "serious" || f.impact === "critical")
    .map((f) => `${f.rel} [${f.view}] ${f.id} (${f.impact}): ${f.help}\n    ${f.nodes.slice(0, 5).join("\n    ")}`);
  assert.deepEqual(serious, [], "serious or critical violations:\n" + serious.join("\n"));
});

test("no page scrolls sideways at 375 px (or 1280 px), and wide tables scroll inside their own box", () => {
  for (const entry of pageTypes) for (const rel of entry.pages) assert.ok(layoutChecked.has(rel), `checked ${rel}`);
  assert.deepEqual(layoutProblems, []);
});

test("no page has a script error, and every status badge says its status in words", () => {
  assert.deepEqual(scriptErrors, []);
  assert.deepEqual(colourOnly, []);
});

test("screenshots of every page type in light and dark mode, wide and narrow", () => {
  for (const entry of pageTypes) {
    for (const view of views) {
      const shot = shots.find((s) => s.type === entry.type && s.view === view.name);
      assert.ok(shot && fs.statSync(shot.file).size > 2000, `${entry.type} [${view.name}] screenshot`);
    }
    const [light, dark] = ["light", "dark"].map((name) => fs.readFileSync(shots.find((s) => s.type === entry.type && s.view === name).file));
    assert.ok(!light.equals(dark), `${entry.type}: dark mode looks different from light`);
  }
});

/** A page of the example site from file://, in a fresh browser context. */
async function openFile(rel, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error));
  await page.goto(pathToFileURL(path.join(exampleOut, rel)).href);
  return { context, page, errors };
}

const sopPage = pageTypes.find((t) => t.type === "SOP").sample;

test("a ticked checklist is still ticked after a reload, from file://", async () => {
  const { context, page, errors } = await openFile(sopPage);
  const list = page.locator(".checklist").first();
  const boxes = list.locator('input[type="checkbox"]');
  const total = await boxes.count();
  assert.ok(total >= 2, "the SOP has a checklist of two or more items");
  const count = list.locator(".checklist-count");
  assert.equal(await count.textContent(), `0/${total} done`);
  // One ticked with the mouse on its label, one with the keyboard.
  await list.locator("label").first().click();
  await boxes.nth(1).focus();
  await page.keyboard.press("Space");
  assert.equal(await count.textContent(), `2/${total} done`);
  await page.reload();
  assert.equal(await boxes.nth(0).isChecked(), true, "the first box is still ticked");
  assert.equal(await boxes.nth(1).isChecked(), true, "the second box is still ticked");
  for (let i = 2; i < total; i++) assert.equal(await boxes.nth(i).isChecked(), false);
  assert.equal(await count.textContent(), `2/${total} done`);
  // Other checklists on the page keep their own state.
  const other = page.locator(".checklist").nth(1);
  assert.match(await other.locator(".checklist-count").textContent(), /^0\/\d+ done$/);
  // "Clear ticks" empties this list, and that sticks too.
  await list.locator(".checklist-reset").click();
  await page.reload();
  assert.equal(await count.textContent(), `0/${total} done`);
  assert.deepEqual(errors, []);
  await context.close();
});

test("print: an SOP drops the navigation, prints checklist boxes and starts each step on a new page", async () => {
  const { context, page } = await openFile(sopPage);
  await page.locator(".checklist input").first().check();
  await page.emulateMedia({ media: "print" });
  const report = await page.evaluate(() => {
    const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden";
    const hidden = [".site-nav", ".site-search", ".theme-toggle", ".breadcrumbs", ".toc", ".step-nav", ".skip-link", ".checklist-reset"]
      .flatMap((selector) => [...document.querySelectorAll(selector)].map((el) => [selector, shown(el)]))
      .filter(([, visible]) => visible)
      .map(([selector]) => selector);
    const boxes = [...document.querySelectorAll(".checklist input[type=checkbox]")].map((box) => {
      const rect = box.getBoundingClientRect();
      const style = getComputedStyle(box);
      return { shown: shown(box), width: rect.width, height: rect.height, border: style.borderTopStyle !== "none" && parseFloat(style.borderTopWidth) > 0 };
    });
    const steps = [...document.querySelectorAll(".step")].map((step) => getComputedStyle(step).breakBefore);
    return { hidden, boxes, steps, title: shown(document.querySelector("h1")) };
  });
  assert.deepEqual(report.hidden, [], "navigation and controls are not printed");
  assert.ok(report.title, "the title is printed");
  assert.ok(report.boxes.length > 0);
  for (const box of report.boxes) {
    assert.ok(box.shown && box.width >= 10 && box.height >= 10 && box.border, `a checklist box prints as a box: ${JSON.stringify(box)}`);
  }
  assert.ok(report.steps.length >= 2);
  assert.deepEqual(report.steps.slice(1), report.steps.slice(1).map(() => "page"), "every step after the first starts a new page");
  // A PDF to look at; one page per step at least.
  const pdf = path.join(printDir, "sop.pdf");
  await page.pdf({ path: pdf, format: "A4", printBackground: true });
  const pages = (fs.readFileSync(pdf, "latin1").match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages >= report.steps.length, `${pages} PDF pages for ${report.steps.length} steps`);
  await context.close();
});

test("print: every page type fits the width of its paper", async () => {
  // The printable width of A4 at 96 px per inch, less the print margins
  // of style.css: portrait (1.4 cm each side), and landscape for the
  // dashboard (1.2 cm).
  const cm = 96 / 2.54;
  const portrait = Math.floor((21 - 2 * 1.4) * cm);
  const landscape = Math.floor((29.7 - 2 * 1.2) * cm);
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  for (const entry of pageTypes.filter((t) => !t.notFound)) {
    const width = entry.type === "dashboard" ? landscape : portrait;
    await page.setViewportSize({ width, height: 1000 });
    await page.goto(pathToFileURL(path.join(exampleOut, entry.sample)).href);
    await page.emulateMedia({ media: "print" });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    if (wide > width) problems.push(`${entry.sample}: ${wide}px on a ${width}px sheet`);
    await page.emulateMedia({ media: "screen" });
  }
  assert.deepEqual(problems, []);
  await context.close();
});

test("light and dark follow the system; the toggle overrides it and is remembered", async () => {
  const background = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const dark = await openFile("index.html", { colorScheme: "dark" });
  const light = await openFile("index.html", { colorScheme: "light" });
  const darkBg = await background(dark.page);
  const lightBg = await background(light.page);
  assert.notEqual(darkBg, lightBg, "the system's scheme decides");
  const toggle = dark.page.locator("[data-theme-toggle]");
  assert.ok(await toggle.isVisible());
  assert.match(await toggle.textContent(), /Light theme/, "in dark mode the button offers the light theme");
  await toggle.click();
  assert.equal(await background(dark.page), lightBg, "the toggle switches to light");
  assert.match(await toggle.textContent(), /Dark theme/);
  await dark.page.goto(pathToFileURL(path.join(exampleOut, sopPage)).href);
  assert.equal(await background(dark.page), lightBg, "the choice holds on the next page");
  await dark.page.locator("[data-theme-toggle]").click();
  assert.equal(await background(dark.page), darkBg, "and can be switched back");
  assert.deepEqual([...dark.errors, ...light.errors], []);
  await dark.context.close();
  await light.context.close();
});

test("breadcrumbs, an SOP's table of contents with its steps, and previous/next step links", async () => {
  const { context, page } = await openFile(sopPage);
  const crumbs = await page.locator('nav[aria-label="Breadcrumb"] li').allTextContents();
  const title = (await page.locator("h1").textContent()).trim();
  assert.deepEqual(crumbs.map((c) => c.trim()), ["Library", "SOPs", title]);
  assert.equal(await page.locator('nav[aria-label="Breadcrumb"] [aria-current="page"]').textContent(), title);
  const steps = await page.locator(".step").evaluateAll((els) => els.map((el) => el.id));
  const tocSteps = await page.locator(".toc .toc-steps a").evaluateAll((els) => els.map((a) => a.getAttribute("href").slice(1)));
  assert.deepEqual(tocSteps, steps, "the table of contents lists every step, in order");
  for (const [i, id] of steps.entries()) {
    const step = page.locator(`#${id}`);
    const link = async (selector) => ((await step.locator(selector).count()) ? step.locator(selector).getAttribute("href") : null);
    const prev = await link(".step-prev");
    const next = await link(".step-next");
    assert.equal(prev, i > 0 ? `#${steps[i - 1]}` : null, `${id}: previous step`);
    assert.equal(next, i < steps.length - 1 ? `#${steps[i + 1]}` : null, `${id}: next step`);
  }
  // Following "next" lands on the step.
  await page.locator(`#${steps[0]} .step-next`).click();
  assert.equal(new URL(page.url()).hash, `#${steps[1]}`);
  for (const [rel, expected] of [
    [pageTypes.find((t) => t.type === "playbook").sample, ["Library", "Playbooks"]],
    [pageTypes.find((t) => t.type === "customer").sample, ["Library", "Customers"]],
    ["roles/index.html", ["Library"]],
  ]) {
    await page.goto(pathToFileURL(path.join(exampleOut, rel)).href);
    const trail = (await page.locator('nav[aria-label="Breadcrumb"] li').allTextContents()).map((c) => c.trim());
    assert.deepEqual(trail.slice(0, -1), expected, rel);
  }
  await context.close();
});

test("a free page whose Markdown opens with its title shows that title once", async () => {
  for (const rel of pageTypes.find((t) => t.type === "free page").pages) {
    const { context, page } = await openFile(rel);
    const title = (await page.locator("h1").first().textContent()).trim();
    const shown = await page.evaluate((text) => [...document.querySelectorAll("main :is(h1, h2, h3)")].filter((h) => h.textContent.trim() === text && h.getClientRects().length > 0).length, title);
    assert.equal(shown, 1, `${rel}: "${title}" is shown once`);
    const toc = await page.locator(".toc-list a").allTextContents();
    assert.ok(!toc.includes(title), `${rel}: the table of contents does not repeat the title`);
    await context.close();
  }
});

test("the 404 page works at any depth and under a path prefix", async () => {
  const prefixed = await serve(exampleOut, { prefix: "/docs/", notFound: "404.html" });
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error));
  try {
    for (const [base, missing] of [
      [server.url, "sops/kickoff/no/such/page.html"],
      [server.url, "nothing-here"],
      [prefixed.url, "customers/nobody/at/all/"],
    ]) {
      const response = await page.goto(base + missing);
      assert.equal(response.status(), 404);
      await page.waitForFunction(() => !document.documentElement.classList.contains("nf-wait"));
      const styled = await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue("--bg").trim());
      assert.ok(styled, `${missing}: the stylesheet applies`);
      const home = await page.locator("main a", { hasText: "Go to the library" }).evaluate((a) => a.href);
      assert.equal(home, base + "index.html", `${missing}: links lead to the site root`);
      const action = await page.locator("form.site-search").evaluate((form) => form.action);
      assert.equal(action, base + "search/index.html");
      await page.locator("main a", { hasText: "Go to the library" }).click();
      assert.equal(page.url(), base + "index.html");
    }
    // Typing in the header search works from a 404 at depth: search.js found its index.
    await page.goto(prefixed.url + "a/b/c/");
    await page.waitForFunction(() => !document.documentElement.classList.contains("nf-wait"));
    await page.locator("#site-search").fill("kickoff");
    await page.waitForSelector("#site-search-results .onboard-search-result");
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await prefixed.close();
  }
});
