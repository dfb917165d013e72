// A customer's share folder, sent on its own (as a zip would be) and opened
// from file://: it renders with its own stylesheet, shows the customer's
// milestones, and never asks for a file outside its folder.

import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { exampleOut, launchChromium } from "./lib.mjs";

test("a share folder opened alone from file:// renders with its styles", async () => {
  const source = path.join(exampleOut, "share", "acme");
  assert.ok(fs.existsSync(path.join(source, "index.html")), "run.sh builds the example site first");
  // Only the folder, somewhere else: what a customer unzips.
  const alone = fs.mkdtempSync(path.join(os.tmpdir(), "onboard-share-"));
  fs.cpSync(source, path.join(alone, "acme"), { recursive: true });
  const folder = path.join(alone, "acme");

  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    const requested = [];
    page.on("request", (request) => requested.push(request.url()));
    await page.goto(pathToFileURL(path.join(folder, "index.html")).href);

    const looks = await page.evaluate(() => {
      const body = getComputedStyle(document.body);
      return {
        sheets: document.styleSheets.length,
        background: getComputedStyle(document.documentElement).getPropertyValue("--bg").trim(),
        font: body.fontFamily,
        title: document.querySelector("h1").textContent,
        milestones: document.body.textContent.includes("Integration configured"),
        svg: document.querySelectorAll("svg.chart").length,
      };
    });
    // From file:// a stylesheet's rules cannot be read; its effects can.
    assert.ok(looks.sheets >= 1, `a stylesheet is attached: ${JSON.stringify(looks)}`);
    assert.ok(looks.background, "the stylesheet's variables are set");
    assert.ok(!/^\s*"?Times/.test(looks.font), `a styled font, not the browser default: ${looks.font}`);
    assert.match(looks.title, /Acme Corp/);
    assert.ok(looks.milestones, "the milestones are shown");
    assert.equal(looks.svg, 1, "the timeline chart is inline");

    const base = pathToFileURL(folder).href;
    for (const url of requested) {
      assert.ok(url.startsWith(base), `${url} is outside the share folder`);
    }
    assert.ok(requested.some((u) => u.endsWith("share.css")), "its own stylesheet was loaded");
  } finally {
    await browser.close();
    fs.rmSync(alone, { recursive: true, force: true });
  }
});
