// Charts as readers see them in the example site: text of a legible size
// at 1440 px, dots that name their customer, and timelines that keep the
// today line in view at 375 px without making the page scroll sideways.

import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { exampleOut, launchChromium } from "./lib.mjs";

const dashboard = path.join(exampleOut, "customers", "index.html");
const status = path.join(exampleOut, "customers", "acme", "index.html");
const share = path.join(exampleOut, "share", "acme", "index.html");

async function withPage(width, file, check) {
  assert.ok(fs.existsSync(file), `run.sh builds the example site first: ${file}`);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(pathToFileURL(file).href);
    await check(page);
  } finally {
    await browser.close();
  }
}

/** The smallest rendered font size, in CSS pixels, of any chart text. */
function smallestChartText(page) {
  return page.evaluate(() => {
    let smallest = Infinity;
    let count = 0;
    for (const text of document.querySelectorAll("svg.chart text")) {
      const svg = text.ownerSVGElement;
      const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
      const size = parseFloat(getComputedStyle(text).fontSize) * scale;
      smallest = Math.min(smallest, size);
      count += 1;
    }
    return { smallest, count };
  });
}

for (const [name, file] of [["dashboard", dashboard], ["status page", status], ["share page", share]]) {
  test(`chart text on the ${name} is at least 11px at 1440px`, async () => {
    await withPage(1440, file, async (page) => {
      const { smallest, count } = await smallestChartText(page);
      assert.ok(count > 10, `the page has charts with text (${count})`);
      assert.ok(smallest >= 11, `smallest chart text ${smallest.toFixed(2)}px`);
    });
  });
}

test("every dot on the dashboard names its customer and its value; few dots show their names", async () => {
  await withPage(1440, dashboard, async (page) => {
    const charts = await page.evaluate(() =>
      [...document.querySelectorAll("svg.chart-distribution")].map((svg) => ({
        labelled: svg.classList.contains("chart-labelled"),
        dots: [...svg.querySelectorAll("circle.dot")]
          .map((dot) => dot.querySelector("title")?.textContent ?? "")
          .filter((title) => !/^(meets|misses) target$/.test(title)),
        labels: [...svg.querySelectorAll("text.label")].map((label) => {
          const box = label.getBoundingClientRect();
          return { text: label.textContent, top: box.top, bottom: box.bottom, left: box.left, right: box.right };
        }),
      })),
    );
    assert.ok(charts.length >= 3, `KPI charts on the dashboard: ${charts.length}`);
    const customers = ["Acme Corp", "Globex", "Soylent Foods", "Umbrella Health", "Hooli", "Initech"];
    for (const chart of charts) {
      assert.ok(chart.dots.length > 0);
      for (const title of chart.dots) {
        assert.match(title, /^.+: \d+(\.\d+)?( \S.*)?$/, `a dot's title names a customer and a value: ${title}`);
      }
      assert.ok(chart.dots.some((title) => customers.some((name) => title.startsWith(name))), JSON.stringify(chart.dots));
      // The example has a handful of customers: every dot is labelled too.
      assert.ok(chart.labelled, "few dots are labelled");
      assert.equal(chart.labels.length, chart.dots.length);
      for (const [i, a] of chart.labels.entries()) {
        for (const b of chart.labels.slice(i + 1)) {
          const apart = a.bottom <= b.top || b.bottom <= a.top || a.right <= b.left || b.right <= a.left;
          assert.ok(apart, `labels overlap: ${JSON.stringify([a, b])}`);
        }
      }
    }
  });
});

for (const [name, file] of [["status page", status], ["share page", share]]) {
  test(`the ${name}'s timeline at 375px opens with the today line in view, and the page does not scroll sideways`, async () => {
    await withPage(375, file, async (page) => {
      const seen = await page.evaluate(() => {
        const today = document.querySelector(".chart-scroll line.today");
        const box = today.closest(".chart-scroll");
        const line = today.getBoundingClientRect();
        const view = box.getBoundingClientRect();
        return {
          line: { left: line.left, right: line.right },
          view: { left: view.left, right: view.right },
          scrolls: box.scrollWidth > box.clientWidth,
          scrollLeft: box.scrollLeft,
          pageWidth: document.documentElement.scrollWidth,
          viewport: document.documentElement.clientWidth,
        };
      });
      assert.ok(seen.scrolls, `the timeline is wider than the screen, so the check means something: ${JSON.stringify(seen)}`);
      assert.ok(seen.line.left >= seen.view.left && seen.line.right <= seen.view.right, `today is in view: ${JSON.stringify(seen)}`);
      assert.ok(seen.pageWidth <= seen.viewport, `the page scrolls sideways: ${JSON.stringify(seen)}`);
    });
  });
}
