// The share page customers act on, in the example site: what they must do
// comes before the milestones, internal actions never reach any file of
// any share folder, and a customer's sign-off shows on the page and on the
// milestone's printable sign-off sheet.

import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { exampleOut, launchChromium } from "./lib.mjs";

const shareRoot = path.join(exampleOut, "share");
const acme = path.join(shareRoot, "acme", "index.html");

/** Every file under `dir`, recursively. */
function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? files(full) : [full];
  });
}

test("what we need from you comes before the milestones", async () => {
  assert.ok(fs.existsSync(acme), "run.sh builds the example site first");
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(pathToFileURL(acme).href);
    const order = await page.evaluate(() => {
      const top = (selector) => {
        const element = document.querySelector(selector);
        return element ? element.getBoundingClientRect().top + window.scrollY : null;
      };
      return {
        welcome: top("#welcome"),
        needs: top("#needs"),
        next: top(".share-next"),
        milestones: top("#milestones"),
        needsText: document.querySelector("#needs")?.textContent ?? "",
        contact: document.querySelector(".share-contact a[href^='mailto:']")?.getAttribute("href") ?? null,
        lang: document.documentElement.lang,
        icon: document.querySelector("link[rel=icon]")?.getAttribute("href") ?? null,
      };
    });
    assert.ok(order.welcome !== null && order.needs !== null && order.milestones !== null, JSON.stringify(order));
    assert.ok(order.welcome < order.needs, `the welcome comes first: ${JSON.stringify(order)}`);
    assert.ok(order.needs < order.next, `needs before the next milestone: ${JSON.stringify(order)}`);
    assert.ok(order.needs < order.milestones, `needs before the milestones: ${JSON.stringify(order)}`);
    assert.match(order.needsText, /Send SSO metadata/);
    assert.match(order.needsText, /Lena Park/);
    assert.doesNotMatch(order.needsText, /Book the end-user training/, "our own actions are not the customer's to do");
    assert.equal(order.contact, "mailto:jane.smith@northwind.example");
    assert.equal(order.lang, "en");
    assert.ok(order.icon && fs.existsSync(path.join(shareRoot, "acme", order.icon)), `the favicon is in the folder: ${order.icon}`);
  } finally {
    await browser.close();
  }
});

test("an internal action is absent from every file of every share folder", () => {
  const marker = "Prepare the SAML test plan";
  const status = fs.readFileSync(path.join(exampleOut, "customers", "acme", "index.html"), "utf8");
  assert.ok(status.includes(marker), "the marker is on the internal status page, so the check is not vacuous");
  const shared = files(shareRoot);
  assert.ok(shared.length > 5, "share folders were built");
  for (const file of shared) {
    assert.ok(!fs.readFileSync(file).includes(marker), `${path.relative(exampleOut, file)} holds the internal action`);
  }
});

test("a sign-off shows on the share page and on its sign-off sheet", async () => {
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(acme).href);
    const kickoff = page.locator(".share-milestone", { hasText: "Kickoff completed" });
    await assert.doesNotReject(kickoff.first().waitFor());
    const text = await kickoff.first().textContent();
    assert.match(text, /Accepted by Maria Lopez on 17 Jan 2026/);
    assert.match(text, /Together/, "a joint milestone reads as Together");

    await kickoff.first().getByRole("link", { name: "Sign-off sheet" }).click();
    await page.waitForLoadState("load");
    assert.match(page.url(), /sign-off-\d+\.html$/);
    const sheet = await page.evaluate(() => ({
      title: document.querySelector("h1")?.textContent ?? "",
      body: document.body.textContent,
      icon: document.querySelector("link[rel=icon]")?.getAttribute("href") ?? null,
    }));
    assert.equal(sheet.title, "Kickoff completed");
    assert.match(sheet.body, /Accepted by Maria Lopez on 17 Jan 2026/);
    assert.match(sheet.body, /Kickoff held, stakeholders and success criteria confirmed/, "the criteria");
    assert.match(sheet.body, /Completed\s*16 Jan 2026/, "the completion date");
    assert.ok(sheet.icon, "the sheet links its favicon");
  } finally {
    await browser.close();
  }
});
