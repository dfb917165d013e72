// The library-wide pages of the bundled example site (artifacts/example,
// built by run.sh), opened from file:// in headless Chromium:
//
// - the print page: its table of contents and every in-page link lead to
//   an element of the page without leaving the file; printed, it hides
//   the navigation, starts each document on a new page and shows each
//   checklist item after a box;
// - the home page links to the review page and shows the overdue count;
//   the review page links to its feed;
// - a tag on an SOP page leads to the tag's page, which lists the SOP.

import test from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { exampleOut, launchChromium } from "./lib.mjs";

let browser;
test.before(async () => {
  browser = await launchChromium();
});
test.after(async () => {
  await browser?.close();
});

async function open(rel) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error));
  const url = pathToFileURL(path.join(exampleOut, rel)).href;
  await page.goto(url);
  return { context, page, errors, url };
}

test("print page: in-page links work from file:// and each document prints on its own pages", async () => {
  const { context, page, errors, url } = await open("print/index.html");
  // Every link to an anchor names an element of this page, and ids are unique.
  const report = await page.evaluate(() => {
    const ids = [...document.querySelectorAll("[id]")].map((el) => el.id);
    const repeated = ids.filter((id, i) => ids.indexOf(id) !== i);
    const missing = [...document.querySelectorAll('a[href^="#"]')]
      .map((a) => decodeURIComponent(a.getAttribute("href").slice(1)))
      .filter((id) => id && !document.getElementById(id));
    const steps = document.querySelectorAll(".print-step").length;
    const tocLinks = document.querySelectorAll(".print-toc a").length;
    return { repeated, missing, steps, tocLinks, inPage: document.querySelectorAll('a[href^="#"]').length };
  });
  assert.deepEqual(report.repeated, [], "ids are unique on the page");
  assert.deepEqual(report.missing, [], "every in-page link has its target");
  assert.ok(report.steps >= 10, `${report.steps} steps printed`);
  assert.ok(report.inPage > report.tocLinks, "links between documents point within the page");

  // Following a step from the table of contents stays in this file.
  const entry = page.locator(".print-toc-steps a").nth(1);
  const target = (await entry.getAttribute("href")).slice(1);
  await entry.click();
  assert.equal(page.url(), `${url}#${target}`);
  // The theme may scroll smoothly: wait until the step reaches the window.
  await page.waitForFunction((id) => {
    const rect = document.getElementById(id).getBoundingClientRect();
    return rect.top >= -1 && rect.top < window.innerHeight;
  }, target, { timeout: 5000 });

  await page.emulateMedia({ media: "print" });
  const printed = await page.evaluate(() => {
    const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).display !== "none";
    const docs = [...document.querySelectorAll(".print-doc")];
    const boxes = [...document.querySelectorAll(".print-checklist .print-box")];
    return {
      nav: [".site-nav", ".site-search", ".breadcrumbs", ".site-header"].filter((s) => [...document.querySelectorAll(s)].some(shown)),
      breaks: docs.map((doc) => getComputedStyle(doc).breakBefore),
      firstAfterTitle: docs.filter((doc) => doc.previousElementSibling?.classList.contains("print-part-title")).length,
      boxes: boxes.length,
      boxesShown: boxes.filter(shown).length,
      boxText: boxes[0]?.textContent,
      tocBreak: getComputedStyle(document.querySelector(".print-toc")).breakAfter,
    };
  });
  assert.deepEqual(printed.nav, [], "navigation is not printed");
  assert.equal(printed.tocBreak, "page", "the contents end their page");
  // Each document starts a page; the first of a part follows its part title, which starts the page.
  const pageBreaks = printed.breaks.filter((b) => b === "page").length;
  assert.equal(pageBreaks + printed.firstAfterTitle, printed.breaks.length, JSON.stringify(printed.breaks));
  assert.ok(printed.boxes > 0 && printed.boxes === printed.boxesShown, "checklist boxes print");
  assert.equal(printed.boxText, "☐");
  assert.deepEqual(errors, []);
  await context.close();
});

test("home links to the reviews with the overdue count; the review page links to its feed", async () => {
  const { context, page } = await open("index.html");
  const link = page.locator('.library-tools a[href="reviews/index.html"]');
  assert.equal(await link.count(), 1);
  const count = await page.locator("[data-overdue-reviews]").getAttribute("data-overdue-reviews");
  await link.click();
  assert.match(page.url(), /reviews\/index\.html$/);
  const overdue = await page.locator('tr[data-state="overdue"]').count();
  assert.equal(String(overdue), count, "the home page counts the overdue rows of the review page");
  const feed = page.locator('a[href$="reviews/reviews.ics"]');
  assert.equal(await feed.count(), 1);
  await context.close();
});

test("a tag on an SOP page leads to its tag page, which lists the SOP", async () => {
  const { context, page } = await open("sops/kickoff/index.html");
  const title = await page.locator("h1").textContent();
  const tag = page.locator(".meta-grid a.tag").first();
  const name = (await tag.textContent()).trim();
  await tag.click();
  assert.match(page.url(), /\/tags\/[a-z0-9-]+\/index\.html$/);
  // The tag page names the tag as first written, in any case.
  assert.equal((await page.locator("h1").textContent()).trim().toLowerCase(), name.toLowerCase());
  const listed = await page.locator("#tagged-sops a").allTextContents();
  assert.ok(listed.includes(title.trim()), `${title} is listed under ${name}: ${listed}`);
  await context.close();
});
