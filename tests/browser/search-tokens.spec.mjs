// The browser client must tokenise exactly like the index builder, or
// queries miss. The same vectors are checked on the Rust side
// (tests/it/search.rs).

import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";

import { fixtureOut, here, searchInVm } from "./lib.mjs";

test("search.js tokenises like the index builder", async () => {
  const search = searchInVm(fixtureOut);
  const vectors = JSON.parse(fs.readFileSync(path.join(here, "token_vectors.json"), "utf8"));
  assert.ok(vectors.length > 10);
  for (const { text, terms } of vectors) {
    assert.deepEqual([...(await search.tokenize(text))], terms, `tokens of ${JSON.stringify(text)}`);
  }
});

test("the stemmer joins the forms of a word", () => {
  const search = searchInVm(fixtureOut);
  for (const word of ["escalation", "escalate", "escalated", "escalating", "escalations"]) {
    assert.equal(search.stem(word), "escalat", word);
  }
  assert.equal(search.stem("status"), "status");
  assert.equal(search.stem("sso"), "sso");
});
