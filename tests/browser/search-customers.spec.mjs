// Search over customers and typo tolerance, in headless Chromium from
// file://; and what share folders must never carry: another customer's
// index, or a word of a tracker's internal notes.

import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { exampleOut, fixtureOut, launchChromium } from "./lib.mjs";

let browser;

test.before(async () => {
  browser = await launchChromium();
});

test.after(async () => {
  await browser?.close();
});

const results = "#site-search-results .onboard-search-result";

/** Opens a page of a built site from file://, failing on script errors. */
async function open(site, rel) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error));
  // A reload or a navigation cancels loads still in flight (net::ERR_ABORTED):
  // that is the browser's doing, not a missing file.
  page.on("requestfailed", (request) => {
    if (request.failure()?.errorText !== "net::ERR_ABORTED") errors.push(new Error(`failed: ${request.url()}`));
  });
  const [file, query] = rel.split("?");
  await page.goto(pathToFileURL(path.join(path.resolve(site), file)).href + (query ? "?" + query : ""));
  return { page, errors };
}

/** Types a query into the header box and waits for its results. */
async function typeQuery(page, query) {
  await page.locator("#site-search").click();
  await page.keyboard.type(query);
  await page.waitForFunction((q) => window.__onboardSearch.timings.some((t) => t.query === q), query);
  return page.locator(results);
}

test("file://: a blocker's words find its customer", async () => {
  // The example's Acme is blocked on "SSO metadata (IdP XML) from Acme's identity team".
  const { page, errors } = await open(exampleOut, "index.html");
  const items = await typeQuery(page, "SSO metadata");
  const hrefs = await items.evaluateAll((els) => els.map((a) => a.getAttribute("href")));
  const acme = hrefs.findIndex((href) => href.endsWith("customers/acme/index.html"));
  assert.ok(acme >= 0, `Acme is among the results: ${hrefs.join(", ")}`);
  const item = items.nth(acme);
  assert.equal(await item.locator(".onboard-search-kind").textContent(), "Customer");
  const marked = await item.locator(".onboard-search-excerpt mark").allTextContents();
  assert.ok(marked.includes("SSO") && marked.includes("metadata"), `the excerpt shows the blocker: ${marked}`);
  assert.match(await item.locator(".onboard-search-excerpt").textContent(), /SSO metadata \(IdP XML\) from Acme's identity team/);
  assert.equal(await page.locator(".onboard-search-corrected").isVisible(), false, "nothing was corrected");
  await page.close();

  // On the fixture, words found only in a blocker find the customer first.
  const second = await open(fixtureOut, "index.html");
  const found = await typeQuery(second.page, "blockermarker certificate");
  assert.match(await found.first().getAttribute("href"), /customers\/muller-sohne\/index\.html$/);
  await second.page.close();
  assert.deepEqual([...errors, ...second.errors], []);
});

test("file://: a customer whose name matches comes first", async () => {
  // The fixture has a page titled "Globex" that says Globex four times.
  const { page, errors } = await open(fixtureOut, "index.html");
  const items = await typeQuery(page, "globex ");
  assert.ok((await items.count()) >= 2);
  assert.match(await items.first().getAttribute("href"), /customers\/globex\/index\.html$/);
  assert.equal(await items.nth(1).locator(".onboard-search-kind").textContent(), "Page");
  assert.deepEqual(errors, []);
  await page.close();
});

test("file://: a one-letter typo finds the right SOP and says what it searched", async () => {
  const { page, errors } = await open(fixtureOut, "index.html");
  const items = await typeQuery(page, "incidemt ");
  const first = items.first();
  assert.equal(await first.locator(".onboard-search-kind").textContent(), "SOP");
  assert.equal(await first.locator(".onboard-search-title").textContent(), "Incident Escalation");
  assert.match(await first.getAttribute("href"), /sops\/incident-escalation\/index\.html$/);
  const note = page.locator(".onboard-search-corrected");
  assert.equal(await note.isVisible(), true);
  assert.equal(await note.textContent(), "Showing results for incident (no results for “incidemt”)");
  // The corrected word is highlighted in the result.
  assert.equal(await first.locator(".onboard-search-title mark").first().textContent(), "Incident");
  // Only the vocabularies of the word's first two letters were read.
  const loaded = await page.evaluate(() => window.__onboardSearch.loaded.filter((n) => n.startsWith("v-")));
  assert.deepEqual(loaded.sort(), ["v-i", "v-n"]);
  assert.deepEqual(errors, []);
  await page.close();

  // On the search page too, and a word that is right is kept as typed.
  const second = await open(exampleOut, "search/index.html?q=customer%20onbaording");
  await second.page.waitForSelector("#search-results .onboard-search-result");
  assert.match(await second.page.locator(".onboard-search-summary").textContent(), /results for “customer onboarding”$/);
  assert.equal(await second.page.locator("#search-results .onboard-search-corrected strong").textContent(), "customer onboarding");
  assert.deepEqual(second.errors, []);
  await second.page.close();
});

test("file://: a word with nothing close says so and corrects nothing", async () => {
  const { page, errors } = await open(fixtureOut, "index.html");
  await typeQuery(page, "zzzqqqxx");
  assert.equal(await page.locator(results).count(), 0);
  assert.equal(await page.locator(".onboard-search-empty").textContent(), "No results");
  assert.equal(await page.locator(".onboard-search-corrected").isVisible(), false);
  assert.deepEqual(errors, []);
  await page.close();
});

/** Every file under dir, recursively. */
function filesUnder(dir) {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath ?? e.path, e.name));
}

test("no share folder holds a word of a tracker's notes, or any search index", async () => {
  for (const [site, marker] of [
    [fixtureOut, "Notesmarker"],
    [exampleOut, "changed providers last quarter"],
  ]) {
    const shareRoot = path.join(site, "share");
    const folders = fs.readdirSync(shareRoot);
    assert.ok(folders.length >= 2, `${site} has share folders`);
    // Not vacuous: the internal site's index holds the marker.
    const internal = filesUnder(path.join(site, "search")).filter((f) => fs.readFileSync(f, "utf8").includes(marker));
    assert.ok(internal.length > 0, `${marker} is in the internal index of ${site}`);
    for (const file of filesUnder(shareRoot)) {
      const text = fs.readFileSync(file, "utf8");
      assert.ok(!text.includes(marker), `${file} holds ${marker}`);
      assert.ok(!text.includes("__onboardSearch"), `${file} carries search`);
      const rel = path.relative(shareRoot, file).split(path.sep);
      assert.ok(!rel.includes("search") && !/^(meta|facets|[tdv]-.*)\.js$/.test(rel.at(-1)), `${file} looks like an index file`);
    }
  }
  // A share page opened from file:// loads no index either.
  const folder = fs.readdirSync(path.join(fixtureOut, "share"))[0];
  const { page, errors } = await open(fixtureOut, `share/${folder}/index.html`);
  const requested = [];
  page.on("request", (request) => requested.push(request.url()));
  await page.reload();
  assert.equal(await page.evaluate(() => typeof window.__onboardSearch), "undefined");
  // Only what follows share/ counts: the test site's own folder name holds "search".
  const inShare = (url) => url.split("/share/").slice(1).join("/share/");
  assert.ok(requested.every((url) => !/search|(meta|facets)\.js$/.test(inShare(url))), requested.join("\n"));
  assert.ok(!(await page.content()).includes("Notesmarker"));
  assert.deepEqual(errors, []);
  await page.close();
});
