// Ranking as the client does it, on built indexes, without a browser:
// search.js runs in a VM whose script loader reads the index from disk.

import test from "node:test";
import assert from "node:assert/strict";

import { exampleOut, fixtureOut, searchInVm } from "./lib.mjs";

async function top(site, query, n = 10) {
  const search = searchInVm(site);
  return JSON.parse(JSON.stringify(await search.query(query, n)));
}

// The "done when", on the example site this repository ships.
test("example site: escalat finds the escalation contact term first", async () => {
  const [first] = await top(exampleOut, "escalat");
  assert.equal(first.kind, "term");
  assert.equal(first.title, "Escalation contact");
  assert.equal(first.url, "glossary/index.html#term-escalation-contact");
});

test("example site: sso finds the SSO setup step first", async () => {
  const [first] = await top(exampleOut, "sso");
  assert.equal(first.kind, "step");
  assert.equal(first.url, "sops/saas-onboarding/index.html#technical-setup");
});

test("example site: a CSM's name finds their customers first", async () => {
  const results = await top(exampleOut, "Priya Raman");
  assert.ok(results.length >= 2);
  for (const hit of results.slice(0, 2)) {
    assert.equal(hit.kind, "customer");
    assert.match(hit.context, /Priya Raman/);
  }
  const jane = await top(exampleOut, "jane smith");
  assert.equal(jane[0].kind, "customer");
  assert.match(jane[0].context, /Jane Smith/);
});

test("example site: a glossary term finds its definition first", async () => {
  for (const [query, title] of [
    ["deviation", "Deviation"],
    ["NPS", "NPS"],
    ["success plan", "Success plan"],
  ]) {
    const [first] = await top(exampleOut, query);
    assert.equal(first.kind, "term", query);
    assert.equal(first.title, title, query);
  }
});

test("fixture: case and accents do not matter", async () => {
  for (const query of ["sohne", "Söhne", "SÖHNE", "muller"]) {
    const [first] = await top(fixtureOut, query);
    assert.equal(first.url, "customers/muller-sohne/index.html", query);
  }
  const [sso] = await top(fixtureOut, "sso");
  assert.equal(sso.url, "glossary/index.html#term-sso");
});

test("fixture: the title that matches comes before context and body", async () => {
  const results = await top(fixtureOut, "escalate");
  assert.equal(results[0].url, "sops/incident-escalation/index.html#escalate-owner");
  const sop = results.findIndex((r) => r.url === "sops/incident-escalation/index.html");
  const contextOnly = results.findIndex((r) => r.url === "sops/incident-escalation/index.html#close-loop");
  assert.ok(sop >= 0 && contextOnly > sop, `${sop} < ${contextOnly}`);
});

test("fixture: an exact term beats a prefix of a longer word", async () => {
  const results = await top(fixtureOut, "plan");
  const exact = results.findIndex((r) => r.title === "Plan review");
  const prefix = results.findIndex((r) => r.title === "Planning calendar");
  assert.ok(exact >= 0 && prefix > exact, `${exact} < ${prefix}`);
});

test("fixture: documents with every term come before partial matches", async () => {
  const results = await top(fixtureOut, "owner heliotrope", 20);
  assert.equal(results[0].url, "sops/incident-escalation/index.html#escalate-owner");
  assert.equal(results[0].matched, 2);
  const counts = results.map((r) => r.matched);
  assert.deepEqual(counts, [...counts].sort((a, b) => b - a));
  assert.ok(results.length > 1, "partial matches follow");
});

test("fixture: the last word matches as a prefix while typing", async () => {
  for (const query of ["helio", "heliotr", "heliotrop", "heliotrope"]) {
    const [first] = await top(fixtureOut, query);
    assert.equal(first?.url, "sops/incident-escalation/index.html#escalate-owner", query);
  }
  // Typing past a stem ("escalati" on its way to "escalation").
  const [escalati] = await top(fixtureOut, "escalati");
  assert.equal(escalati.url, "sops/incident-escalation/index.html#escalate-owner");
  // A finished word (trailing space) is exact only.
  assert.equal((await top(fixtureOut, "helio ")).length, 0);
});

test("fixture: a query loads only the index files it needs", async () => {
  const search = searchInVm(fixtureOut);
  await search.query("heliotrope", 8);
  const loaded = [...search.loaded];
  assert.equal(loaded[0], "meta");
  assert.ok(loaded.includes("t-he"), loaded.join(" "));
  assert.ok(loaded.filter((name) => name.startsWith("t-")).length <= 3, loaded.join(" "));
});
