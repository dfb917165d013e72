// Search in headless Chromium: type a query, see results, press Enter and
// land on the step's anchor, both over HTTP and from file://.

import test from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { fixtureOut, launchChromium, serve } from "./lib.mjs";

let browser;
let server;

test.before(async () => {
  browser = await launchChromium();
  server = await serve(fixtureOut);
});

test.after(async () => {
  await browser?.close();
  await server?.close();
});

const modes = {
  http: () => server.url,
  file: () => pathToFileURL(path.resolve(fixtureOut) + path.sep).href,
};

async function openPage(base, rel) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error));
  page.on("console", (message) => {
    // Failed loads are reported below with their URL.
    if (message.type() === "error" && !/^Failed to load resource/.test(message.text())) errors.push(new Error(message.text()));
  });
  page.on("response", (response) => {
    // Chromium asks every HTTP site for /favicon.ico on its own.
    if (response.status() >= 400 && !response.url().endsWith("/favicon.ico")) errors.push(new Error(`${response.status()} ${response.url()}`));
  });
  page.on("requestfailed", (request) => errors.push(new Error(`failed: ${request.url()}`)));
  await page.goto(base + rel);
  return { page, errors };
}

const results = "#site-search-results .onboard-search-result";

for (const [mode, base] of Object.entries(modes)) {
  test(`${mode}: typing, then Enter, lands on the step's anchor`, async () => {
    const { page, errors } = await openPage(base(), "pages/guide/index.html");
    await page.keyboard.press("/");
    assert.equal(await page.evaluate(() => document.activeElement.id), "site-search", "/ focuses the box");
    await page.keyboard.type("heliotr");
    await page.waitForSelector(results);
    const first = page.locator(results).first();
    assert.match(await first.locator(".onboard-search-title").textContent(), /Escalate to the account owner/);
    assert.equal(await first.locator(".onboard-search-kind").textContent(), "Step");
    assert.equal(await first.locator("mark").first().textContent(), "heliotrope", "the excerpt highlights the match");
    assert.equal(await first.getAttribute("aria-selected"), "true", "the first result is selected");
    await page.keyboard.press("Enter");
    await page.waitForURL(/#escalate-owner$/);
    const url = new URL(page.url());
    assert.ok(url.pathname.endsWith("/sops/incident-escalation/index.html"), url.href);
    const top = await page.evaluate(() => document.getElementById("escalate-owner").getBoundingClientRect().top);
    assert.ok(Math.abs(top) < 2, `the step is scrolled to the top (at ${top}px)`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`${mode}: arrows move through the results and Enter opens the chosen one`, async () => {
    const { page, errors } = await openPage(base(), "index.html");
    await page.locator("#site-search").click();
    await page.keyboard.type("escalate");
    await page.waitForSelector(results);
    const items = page.locator(results);
    assert.ok((await items.count()) >= 3);
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("ArrowUp");
    assert.equal(await items.nth(1).getAttribute("aria-selected"), "true");
    assert.equal(await items.nth(0).getAttribute("aria-selected"), "false");
    const chosen = await items.nth(1).getAttribute("href");
    assert.equal(await page.locator("#site-search").getAttribute("aria-activedescendant"), await items.nth(1).getAttribute("id"));
    await page.keyboard.press("Enter");
    await page.waitForURL(chosen);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test(`${mode}: the search page reads ?q= and narrows by facets`, async () => {
    const { page, errors } = await openPage(base(), "search/index.html?q=kickoff");
    await page.waitForSelector("#search-results .onboard-search-result");
    assert.equal(await page.locator("#search-page-input").inputValue(), "kickoff");
    const kinds = async () => page.locator("#search-results .onboard-search-result").evaluateAll((els) => els.map((e) => e.dataset.kind));
    const before = await kinds();
    assert.ok(before.includes("customer") && before.includes("playbook"), before.join(" "));
    // Customers bring the tier, state and CSM facets.
    const tier = page.locator('#search-facets select[name="tier"]');
    await tier.selectOption("mid-market");
    await page.waitForFunction(() => document.querySelectorAll("#search-results .onboard-search-result").length === 1);
    const only = page.locator("#search-results .onboard-search-result");
    assert.equal(await only.locator(".onboard-search-title").textContent(), "Globex");
    await tier.selectOption("");
    // The kind facet.
    await page.locator("#search-page-input").fill("escalate");
    await page.waitForFunction(() => /for “escalate”/.test(document.querySelector(".onboard-search-summary")?.textContent || ""));
    await page.locator('#search-facets input[name="kind"][value="term"]').check();
    await page.waitForFunction(() =>
      [...document.querySelectorAll("#search-results .onboard-search-result")].every((e) => e.dataset.kind === "term"),
    );
    const terms = await kinds();
    assert.ok(terms.length >= 1 && terms.every((kind) => kind === "term"), terms.join(" "));
    // Typing in a box keeps "/" as text.
    await page.locator("#search-page-input").fill("");
    await page.locator("#search-page-input").type("a/b");
    assert.equal(await page.locator("#search-page-input").inputValue(), "a/b");
    assert.deepEqual(errors, []);
    await page.close();
  });
}

test("content is shown as text, never parsed as HTML", async () => {
  const { page, errors } = await openPage(server.url, "index.html");
  await page.locator("#site-search").click();
  await page.keyboard.type("onerror");
  await page.waitForSelector(results);
  const title = page.locator(results).first().locator(".onboard-search-title");
  assert.match(await title.textContent(), /<img src=x onerror="window.__xss=1">/);
  assert.equal(await page.locator("#site-search-results img").count(), 0);
  assert.equal(await page.evaluate(() => window.__xss), undefined);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a query loads a few index files, not the whole index", async () => {
  const { page } = await openPage(server.url, "index.html");
  const before = server.served.length;
  await page.locator("#site-search").click();
  await page.keyboard.type("sso");
  await page.waitForSelector(results);
  const loaded = server.served.slice(before).map((s) => s.path);
  assert.ok(loaded.includes("/search/meta.js"), loaded.join(" "));
  const shards = loaded.filter((p) => p.startsWith("/search/t-"));
  assert.ok(shards.length >= 1 && shards.length <= 3, shards.join(" "));
  await page.close();
});
