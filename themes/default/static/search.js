/* onboard site search.
 *
 * Plain JavaScript, no framework, nothing from another host. The index is
 * a set of small scripts under search/ (written by src/render/search.rs)
 * that call window.__onboardSearch.add(name, data); they are loaded with
 * <script> tags rather than fetch so that search works from file://.
 * A query loads search/meta.js once, the term shards its words need, and
 * the document chunks of the results it shows. A word that matches nothing
 * loads the vocabulary files of its first two letters and is replaced by
 * the closest term there ("showing results for …"); the search page loads
 * search/facets.js when its results include customers.
 *
 * It attaches to the header box (#site-search) on every page and to the
 * search page (#search-page-input, #search-results, optional
 * #search-facets). The site root is where this script was loaded from.
 *
 * Tokenising mirrors the Rust side exactly: lowercase, fold accents with
 * the table in meta.js, split on anything not a letter or digit, drop stop
 * words and single letters, then the same light stemmer.
 */
(function () {
  "use strict";

  var S = (window.__onboardSearch = window.__onboardSearch || {});
  var store = new Map(); // file name -> data (null when missing)
  var pending = new Map(); // file name -> { promise, resolve }
  S.loaded = []; // file names requested, in order (for tests and benchmarks)
  S.timings = []; // { query, ms } from input event to results in the DOM

  var root = "";
  if (typeof document !== "undefined") {
    var self = document.currentScript || document.querySelector('script[src$="search.js"]');
    if (self && self.src) root = self.src.replace(/search\.js(?:[?#].*)?$/, "");
  }

  var DROPDOWN_RESULTS = 8;
  var PAGE_RESULTS = 20;
  // Most shard KB loaded to expand a prefix of 2, 3, 4+ characters: a
  // two-letter prefix on a large site matches too much to be worth much.
  var PREFIX_BUDGET_KB = [0, 0, 16, 48, 96];
  var MAX_EXPANSIONS = 64; // most index terms one prefix expands to
  var PREFIX_FACTOR = 0.5; // a prefix match weighs half an exact one
  var EXCERPT_CHARS = 180;

  // ---------------------------------------------------------------- loading

  S.add = function (name, data) {
    store.set(name, data);
    var p = pending.get(name);
    if (p) p.resolve(data);
  };

  function load(name) {
    if (store.has(name)) return Promise.resolve(store.get(name));
    var p = pending.get(name);
    if (p) return p.promise;
    p = {};
    p.promise = new Promise(function (resolve) {
      p.resolve = resolve;
    });
    pending.set(name, p);
    S.loaded.push(name);
    var el = document.createElement("script");
    el.src = root + "search/" + name + ".js";
    el.async = true;
    var settle = function () {
      if (!store.has(name)) {
        store.set(name, null);
        p.resolve(null);
      }
    };
    el.onload = settle;
    el.onerror = settle;
    document.head.appendChild(el);
    return p.promise;
  }

  // ------------------------------------------------------------------- meta

  var meta = null;

  function readVarints(text) {
    var out = [];
    var value = 0;
    var shift = 0;
    for (var i = 0; i < text.length; i++) {
      var d = digit(text.charCodeAt(i));
      if (d >= 32) {
        value += (d - 32) * Math.pow(2, shift);
        shift += 5;
      } else {
        out.push(value + d * Math.pow(2, shift));
        value = 0;
        shift = 0;
      }
    }
    return out;
  }

  function digit(code) {
    if (code >= 65 && code <= 90) return code - 65; // A-Z
    if (code >= 97 && code <= 122) return code - 71; // a-z
    if (code >= 48 && code <= 57) return code + 4; // 0-9
    return code === 45 ? 62 : 63; // - _
  }

  function prepare(raw) {
    var m = {
      docs: raw.docs,
      kinds: raw.kinds.map(function (k) {
        return { id: k[0], label: k[1], start: k[2], end: k[3] };
      }),
      shards: raw.shards ? raw.shards.split(" ") : [],
      shardKb: readVarints(raw.shardKb),
      chunks: [],
      fold: new Map(),
      stop: new Set(raw.stop.split(" ")),
      maxWord: raw.maxWord,
      vocabulary: new Set(raw.vocabulary ? raw.vocabulary.split(" ") : []),
    };
    m.shardSet = new Map();
    m.shards.forEach(function (k, i) {
      m.shardSet.set(k, i);
    });
    var at = 0;
    readVarints(raw.chunks).forEach(function (delta) {
      at += delta;
      m.chunks.push(at);
    });
    raw.fold.split(" ").forEach(function (pair) {
      var chars = Array.from(pair);
      m.fold.set(chars[0], chars.slice(1).join(""));
    });
    return m;
  }

  function getMeta() {
    if (meta) return Promise.resolve(meta);
    return load("meta").then(function (raw) {
      if (!raw) throw new Error("search index missing");
      meta = meta || prepare(raw);
      return meta;
    });
  }

  // ------------------------------------------------------------- tokenising

  var ALNUM = /[\p{Alphabetic}\p{Nd}\p{Nl}\p{No}]/u;

  function isAlnum(ch) {
    var c = ch.charCodeAt(0);
    if (c < 128) return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
    return ALNUM.test(ch);
  }

  /* Calls emit(word, start, end) for every folded word of text, with its
   * UTF-16 offsets in text. */
  function forEachWord(text, fold, emit) {
    var word = "";
    var start = 0;
    var i = 0;
    for (var ch of text) {
      var cp = ch.codePointAt(0);
      if (cp >= 0x300 && cp <= 0x36f) {
        i += ch.length;
        continue;
      }
      var lower = cp < 128 ? (cp >= 65 && cp <= 90 ? String.fromCharCode(cp + 32) : ch) : ch.toLowerCase();
      for (var lc of lower) {
        var lcp = lc.codePointAt(0);
        if (lcp >= 0x300 && lcp <= 0x36f) continue; // lowercasing "İ" gives "i" + U+0307
        var f = fold.get(lc);
        if (f !== undefined || isAlnum(lc)) {
          if (!word) start = i;
          word += f !== undefined ? f : lc;
        } else if (word) {
          emit(word, start, i);
          word = "";
        }
      }
      i += ch.length;
    }
    if (word) emit(word, start, i);
  }

  var RULES = [
    ["ations", "at"],
    ["ation", "at"],
    ["ings", ""],
    ["ing", ""],
    ["ies", "y"],
    ["edly", ""],
    ["ed", ""],
    ["ly", ""],
    ["es", ""],
    ["s", ""],
  ];

  function stem(word) {
    if (word.length <= 3 || !/^[a-z]+$/.test(word)) return word;
    var s = word;
    for (var r = 0; r < RULES.length; r++) {
      var suffix = RULES[r][0];
      var replacement = RULES[r][1];
      if (!word.endsWith(suffix)) continue;
      var base = word.slice(0, word.length - suffix.length);
      if (base.length + replacement.length < 3) continue;
      if (suffix === "s" && /[sui]$/.test(base)) continue;
      s = base + replacement;
      break;
    }
    if (s.length >= 4 && s.endsWith("e")) s = s.slice(0, -1);
    return s;
  }

  function term(word, m) {
    var chars = Array.from(word).length;
    if (chars > m.maxWord || (chars === 1 && /^[a-z]$/.test(word))) return null;
    if (m.stop.has(word)) return null;
    return stem(word);
  }

  function tokenize(text, m) {
    var out = [];
    forEachWord(text, m.fold, function (w) {
      var t = term(w, m);
      if (t !== null) out.push(t);
    });
    return out;
  }

  /* The parts of a query: every word is an exact term; the last one, while
   * the user is still typing it, also matches as a prefix. */
  function parseQuery(q, m) {
    var words = [];
    forEachWord(q, m.fold, function (w) {
      words.push(w);
    });
    var typing = words.length > 0 && !/\s$/.test(q);
    var parts = [];
    var seen = new Set();
    words.forEach(function (w, i) {
      var t = term(w, m);
      var prefix = i === words.length - 1 && typing && Array.from(w).length >= 2 ? w : null;
      if (t === null && prefix === null) return;
      var key = t + "|" + prefix;
      if (seen.has(key)) return;
      seen.add(key);
      parts.push({ word: w, exact: t, prefix: prefix, corrected: null });
    });
    return parts;
  }

  // ----------------------------------------------------------------- shards

  function shardKey(t, m) {
    var cps = Array.from(t);
    for (var n = cps.length; n >= 1; n--) {
      var k = cps.slice(0, n).join("");
      if (m.shardSet.has(k)) return k;
    }
    return null;
  }

  function shardName(key) {
    if (/^[a-z0-9]+$/.test(key)) return "t-" + key;
    var hex = "";
    new TextEncoder().encode(key).forEach(function (b) {
      hex += (b < 16 ? "0" : "") + b.toString(16);
    });
    return "t-_" + hex;
  }

  function loadShard(key) {
    return key === null ? Promise.resolve(null) : load(shardName(key));
  }

  /* Shards that may hold terms starting with prefix: the one holding the
   * prefix itself and those keyed below it, shortest keys first, within a
   * byte budget so that a two-letter prefix on a large site stays cheap. */
  function prefixShards(prefix, m) {
    var keys = [];
    var own = shardKey(prefix, m);
    if (own !== null) keys.push(own);
    var lo = 0;
    var hi = m.shards.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (m.shards[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    var below = [];
    for (var i = lo; i < m.shards.length && m.shards[i].startsWith(prefix); i++) {
      if (m.shards[i] !== own) below.push(i);
    }
    below.sort(function (a, b) {
      return m.shards[a].length - m.shards[b].length || a - b;
    });
    var budget = PREFIX_BUDGET_KB[Math.min(Array.from(prefix).length, PREFIX_BUDGET_KB.length - 1)];
    budget -= own !== null ? m.shardKb[m.shardSet.get(own)] : 0;
    below.forEach(function (i) {
      if (m.shardKb[i] <= budget) {
        budget -= m.shardKb[i];
        keys.push(m.shards[i]);
      }
    });
    return keys;
  }

  var decoded = new Map(); // term -> { ids, weights } or null

  function decodeIds(text, out) {
    if (text.charCodeAt(0) === 126) {
      // "~" first-id bitmap
      var i = 1;
      while (i < text.length && digit(text.charCodeAt(i)) >= 32) i++;
      var first = readVarints(text.slice(1, i + 1))[0];
      for (var j = i + 1; j < text.length; j++) {
        var bits = digit(text.charCodeAt(j));
        if (!bits) continue;
        var base = first + (j - i - 1) * 6;
        for (var b = 0; b < 6; b++) if (bits & (1 << b)) out.push(base + b);
      }
      return;
    }
    var values = readVarints(text);
    var id = -1;
    for (var k = 0; k < values.length; k++) {
      id = k === 0 ? values[0] : id + values[k] + 1;
      out.push(id);
    }
  }

  function postings(t, m) {
    if (decoded.has(t)) return decoded.get(t);
    var key = shardKey(t, m);
    var shard = key === null ? null : store.get(shardName(key));
    var groups = shard && Object.prototype.hasOwnProperty.call(shard, t) ? shard[t] : null;
    var result = null;
    if (groups) {
      var ids = [];
      var weights = [];
      for (var g = 0; g < groups.length; g += 2) {
        var before = ids.length;
        decodeIds(groups[g + 1], ids);
        for (var n = before; n < ids.length; n++) weights.push(groups[g]);
      }
      result = { ids: Int32Array.from(ids), weights: Float32Array.from(weights) };
    }
    decoded.set(t, result);
    return result;
  }

  function applyTerm(t, factor, best, m) {
    var p = postings(t, m);
    if (!p) return false;
    for (var i = 0; i < p.ids.length; i++) {
      var v = p.weights[i] * factor;
      if (v > best[p.ids[i]]) best[p.ids[i]] = v;
    }
    return true;
  }

  /* Index terms a prefix stands for: terms that start with it (or with its
   * stem), and stems it already runs past by a few letters ("traini" is
   * on its way to "training", indexed as "train"). */
  function expansions(part, m) {
    var raw = part.prefix;
    var found = new Set();
    var keys = prefixShards(raw, m);
    var cps = Array.from(raw);
    for (var n = Math.max(3, cps.length - 3); n < cps.length; n++) {
      var k = shardKey(cps.slice(0, n).join(""), m);
      if (k !== null && keys.indexOf(k) < 0) keys.push(k);
    }
    keys.forEach(function (key) {
      var shard = store.get(shardName(key));
      if (!shard) return;
      Object.keys(shard).forEach(function (t) {
        if (t === part.exact) return;
        if (
          t.startsWith(raw) ||
          (part.exact && t.startsWith(part.exact)) ||
          (raw.startsWith(t) && t.length >= 3 && raw.length - t.length <= 3)
        ) {
          found.add(t);
        }
      });
    });
    return Array.from(found)
      .sort(function (a, b) {
        return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
      })
      .slice(0, MAX_EXPANSIONS);
  }

  function shardsFor(parts, m) {
    var keys = new Set();
    parts.forEach(function (part) {
      if (part.exact !== null) keys.add(shardKey(part.exact, m));
      if (part.prefix !== null) {
        prefixShards(part.prefix, m).forEach(function (k) {
          keys.add(k);
        });
        var cps = Array.from(part.prefix);
        for (var n = Math.max(3, cps.length - 3); n < cps.length; n++) keys.add(shardKey(cps.slice(0, n).join(""), m));
      }
    });
    keys.delete(null);
    return Array.from(keys);
  }

  function kindOf(id, m) {
    for (var i = 0; i < m.kinds.length; i++) if (id >= m.kinds[i].start && id < m.kinds[i].end) return m.kinds[i];
    return m.kinds[0];
  }

  // ---------------------------------------------------------------- typos

  var MAX_CORRECTIONS = 8; // closest terms whose postings are compared

  /* Most edits a word of this many letters may be away from a term: none
   * below four letters (too many short words are one edit apart), one up
   * to seven, two from eight. */
  function allowedEdits(length) {
    return length < 4 ? 0 : length < 8 ? 1 : 2;
  }

  /* Edit distance with adjacent transpositions counting as one edit
   * ("onbaording"), or max + 1 once it must exceed max. a and b are
   * arrays of code points. */
  function editDistance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var prev2 = null;
    var prev = [];
    for (var j = 0; j <= b.length; j++) prev.push(j);
    for (var i = 1; i <= a.length; i++) {
      var row = [i];
      var least = i;
      for (var k = 1; k <= b.length; k++) {
        var cost = a[i - 1] === b[k - 1] ? 0 : 1;
        var v = Math.min(prev[k] + 1, row[k - 1] + 1, prev[k - 1] + cost);
        if (prev2 && i > 1 && k > 1 && a[i - 1] === b[k - 2] && a[i - 2] === b[k - 1]) v = Math.min(v, prev2[k - 2] + 1);
        row.push(v);
        if (v < least) least = v;
      }
      if (least > max) return max + 1;
      prev2 = prev;
      prev = row;
    }
    return prev[b.length];
  }

  function vocabularyName(first) {
    return "v" + shardName(first).slice(1);
  }

  /* The index terms closest to a word that matched nothing, within the
   * edits its length allows: from the vocabularies of its first and second
   * letters, so that a wrong, missing or swapped first letter is forgiven
   * when the second is right. Returns [] or the closest terms. */
  function closeTerms(t, m) {
    var cps = Array.from(t);
    var max = allowedEdits(cps.length);
    if (!max || /^[0-9]+$/.test(t)) return Promise.resolve([]);
    var firsts = Array.from(new Set(cps.slice(0, 2))).filter(function (c) {
      return m.vocabulary.has(c);
    });
    return Promise.all(
      firsts.map(function (c) {
        return load(vocabularyName(c));
      }),
    ).then(function (lists) {
      var best = max + 1;
      var found = [];
      lists.forEach(function (list) {
        if (!list) return;
        list.split(" ").forEach(function (candidate) {
          var d = editDistance(cps, Array.from(candidate), Math.min(max, best));
          if (d < best) {
            best = d;
            found = [candidate];
          } else if (d === best && d <= max && found.indexOf(candidate) < 0) {
            found.push(candidate);
          }
        });
      });
      return found.sort().slice(0, MAX_CORRECTIONS);
    });
  }

  /* The word to show for a corrected term: what the user typed, with its
   * stem replaced ("onbaording" → "onboarding"). */
  function shownWord(word, corrected) {
    var s = stem(word);
    return word.startsWith(s) ? corrected + word.slice(s.length) : corrected;
  }

  /* Replaces each part of the query that matches nothing, exactly or as a
   * prefix, by the closest index term that matches most documents. Parts
   * get `corrected: { from, to }`; shards of the new terms are loaded. */
  function correct(parts, m) {
    var lost = parts.filter(function (part) {
      if (part.exact === null || postings(part.exact, m)) return false;
      return part.prefix === null || !expansions(part, m).length;
    });
    if (!lost.length) return Promise.resolve(false);
    return Promise.all(
      lost.map(function (part) {
        return closeTerms(part.exact, m).then(function (candidates) {
          return Promise.all(candidates.map(function (c) {
            return loadShard(shardKey(c, m));
          })).then(function () {
            var best = null;
            var most = 0;
            candidates.forEach(function (c) {
              var p = postings(c, m);
              if (p && p.ids.length > most) {
                most = p.ids.length;
                best = c;
              }
            });
            if (best === null) return;
            part.corrected = { from: part.word, to: shownWord(part.word, best) };
            part.exact = best;
            part.prefix = null;
          });
        });
      }),
    ).then(function () {
      return lost.some(function (part) {
        return part.corrected;
      });
    });
  }

  /* The query as corrected: each corrected word replaced, the rest kept. */
  function correctedQuery(q, parts, m) {
    var swaps = new Map();
    parts.forEach(function (part) {
      if (part.corrected) swaps.set(part.corrected.from, part.corrected.to);
    });
    var out = "";
    var at = 0;
    forEachWord(q, m.fold, function (w, start, end) {
      if (!swaps.has(w)) return;
      out += q.slice(at, start) + swaps.get(w);
      at = end;
    });
    return (out + q.slice(at)).trim();
  }

  /* Ranks every document for a query: documents with all the query's
   * terms first, then by summed weight, then by id (kind, then title).
   * Words that match nothing are first replaced by close spellings. */
  function rank(q) {
    return getMeta().then(function (m) {
      var parts = parseQuery(q, m);
      if (!parts.length) return { query: q, parts: parts, hits: [], terms: new Set(), prefixes: [], corrected: null };
      return Promise.all(shardsFor(parts, m).map(loadShard))
        .then(function () {
          return correct(parts, m);
        })
        .then(function (changed) {
        var N = m.docs;
        var score = new Float32Array(N);
        var count = new Uint8Array(N);
        var terms = new Set();
        var prefixes = [];
        parts.forEach(function (part) {
          var best = new Float32Array(N);
          if (part.exact !== null && applyTerm(part.exact, 1, best, m)) terms.add(part.exact);
          if (part.prefix !== null) {
            prefixes.push(part.prefix);
            expansions(part, m).forEach(function (t) {
              if (applyTerm(t, PREFIX_FACTOR, best, m)) terms.add(t);
            });
          }
          for (var d = 0; d < N; d++) {
            if (best[d] > 0) {
              score[d] += best[d];
              count[d]++;
            }
          }
        });
        var hits = [];
        for (var d = 0; d < N; d++) if (count[d]) hits.push(d);
        hits.sort(function (a, b) {
          return count[b] - count[a] || score[b] - score[a] || a - b;
        });
        return {
          query: q,
          corrected: changed ? correctedQuery(q, parts, m) : null,
          parts: parts,
          terms: terms,
          prefixes: prefixes,
          hits: hits.map(function (id) {
            return { id: id, score: score[id], matched: count[id], kind: kindOf(id, m).id };
          }),
        };
      });
    });
  }

  // -------------------------------------------------------------- documents

  function chunkOf(id, m) {
    var lo = 0;
    var hi = m.chunks.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (m.chunks[mid] <= id) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  function withDocs(hits) {
    return getMeta().then(function (m) {
      var chunks = new Set();
      hits.forEach(function (h) {
        chunks.add(chunkOf(h.id, m));
      });
      return Promise.all(
        Array.from(chunks).map(function (c) {
          return load("d-" + c);
        }),
      ).then(function () {
        return hits.map(function (h) {
          var c = chunkOf(h.id, m);
          var rows = store.get("d-" + c);
          var row = rows ? rows[h.id - m.chunks[c]] : null;
          if (!row) return null;
          return Object.assign({}, h, {
            kindLabel: m.kinds[row[0]] ? m.kinds[row[0]].label : "",
            url: row[1],
            title: row[2],
            context: row[3],
            text: row[4],
          });
        }).filter(Boolean);
      });
    });
  }

  // -------------------------------------------------------------- highlight

  /* Ranges of text whose words match the query. */
  function matches(text, ranked, m) {
    var out = [];
    forEachWord(text, m.fold, function (w, start, end) {
      var t = term(w, m);
      var hit = t !== null && ranked.terms.has(t);
      for (var i = 0; !hit && i < ranked.prefixes.length; i++) hit = w.startsWith(ranked.prefixes[i]);
      if (hit) out.push([start, end]);
    });
    return out;
  }

  /* Appends text to parent with the matching words wrapped in <mark>,
   * building nodes so that content is never parsed as HTML. */
  function appendMarked(parent, text, ranges, from, to) {
    var at = from;
    ranges.forEach(function (r) {
      if (r[1] <= from || r[0] >= to) return;
      var s = Math.max(r[0], from);
      var e = Math.min(r[1], to);
      if (s > at) parent.appendChild(document.createTextNode(text.slice(at, s)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(s, e);
      parent.appendChild(mark);
      at = e;
    });
    if (at < to) parent.appendChild(document.createTextNode(text.slice(at, to)));
  }

  function excerpt(parent, text, ranked, m) {
    var ranges = matches(text, ranked, m);
    var from = 0;
    if (ranges.length && ranges[0][0] > 60) {
      from = ranges[0][0] - 60;
      var space = text.indexOf(" ", from);
      if (space >= 0 && space < ranges[0][0]) from = space + 1;
    }
    var to = Math.min(text.length, from + EXCERPT_CHARS);
    if (to < text.length) {
      var cut = text.lastIndexOf(" ", to);
      if (cut > from + 40) to = cut;
    }
    if (from > 0) parent.appendChild(document.createTextNode("… "));
    appendMarked(parent, text, ranges, from, to);
    if (to < text.length) parent.appendChild(document.createTextNode(" …"));
  }

  // ------------------------------------------------------------------- view

  var uid = 0;

  function resultNode(doc, ranked, m) {
    var a = document.createElement("a");
    a.className = "onboard-search-result";
    a.href = root + doc.url;
    a.id = "onboard-search-r" + uid++;
    a.setAttribute("role", "option");
    a.setAttribute("data-kind", doc.kind);
    var kind = document.createElement("span");
    kind.className = "onboard-search-kind";
    kind.textContent = doc.kindLabel;
    var title = document.createElement("span");
    title.className = "onboard-search-title";
    appendMarked(title, doc.title, matches(doc.title, ranked, m), 0, doc.title.length);
    a.appendChild(kind);
    a.appendChild(title);
    if (doc.context) {
      var context = document.createElement("span");
      context.className = "onboard-search-context";
      context.textContent = doc.context;
      a.appendChild(context);
    }
    if (doc.text) {
      var ex = document.createElement("span");
      ex.className = "onboard-search-excerpt";
      excerpt(ex, doc.text, ranked, m);
      a.appendChild(ex);
    }
    return a;
  }

  function injectStyle() {
    if (document.getElementById("onboard-search-style")) return;
    var style = document.createElement("style");
    style.id = "onboard-search-style";
    // In a cascade layer: plain fallbacks that any rule of a theme's own
    // stylesheet overrides, whatever its specificity.
    style.textContent =
      "@layer onboard-search{" +
      ".onboard-search-dropdown{position:absolute;z-index:50;min-width:22rem;max-width:36rem;max-height:70vh;overflow:auto;" +
      "background:Canvas;color:CanvasText;border:1px solid GrayText;border-radius:.4rem;box-shadow:0 .4rem 1.2rem rgba(0,0,0,.2);padding:.25rem}" +
      ".onboard-search-dropdown[hidden]{display:none}" +
      ".onboard-search-result{display:block;padding:.4rem .6rem;border-radius:.3rem;text-decoration:none;color:inherit}" +
      ".onboard-search-result[aria-selected=true],.onboard-search-result:hover{background:Highlight;color:HighlightText}" +
      ".onboard-search-kind{font-size:.75em;text-transform:uppercase;letter-spacing:.04em;opacity:.75;margin-right:.5em}" +
      ".onboard-search-title{font-weight:600}" +
      ".onboard-search-context,.onboard-search-excerpt{display:block;font-size:.85em;opacity:.85}" +
      ".onboard-search-all,.onboard-search-empty{display:block;padding:.4rem .6rem;font-size:.85em}" +
      ".onboard-search-corrected{margin:.25rem 0;padding:.3rem .6rem;font-size:.85em}" +
      ".onboard-search-corrected[hidden]{display:none}" +
      "#search-results .onboard-search-result{margin:.25rem 0}" +
      ".onboard-search-facets{display:flex;flex-wrap:wrap;gap:.5rem 1rem;margin:.5rem 0}" +
      ".onboard-search-facets label{white-space:nowrap}" +
      "}";
    document.head.appendChild(style);
  }

  /* A list of results that the keyboard can move through. */
  function Selection(input, list) {
    this.input = input;
    this.list = list;
    this.index = -1;
  }
  Selection.prototype.items = function () {
    return Array.prototype.slice.call(this.list.querySelectorAll(".onboard-search-result"));
  };
  Selection.prototype.set = function (index) {
    var items = this.items();
    if (!items.length) {
      this.index = -1;
      this.input.removeAttribute("aria-activedescendant");
      return;
    }
    this.index = (index + items.length) % items.length;
    items.forEach(function (item, i) {
      item.setAttribute("aria-selected", String(i === this.index));
    }, this);
    var current = items[this.index];
    this.input.setAttribute("aria-activedescendant", current.id);
    if (current.scrollIntoView) current.scrollIntoView({ block: "nearest" });
  };
  Selection.prototype.clear = function () {
    this.index = -1;
    this.items().forEach(function (item) {
      item.setAttribute("aria-selected", "false");
    });
    this.input.removeAttribute("aria-activedescendant");
  };
  Selection.prototype.current = function () {
    return this.items()[this.index] || null;
  };
  Selection.prototype.keydown = function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!this.items().length) return false;
      event.preventDefault();
      this.set(this.index + (event.key === "ArrowDown" ? 1 : -1));
      return true;
    }
    if (event.key === "Enter" && !event.isComposing) {
      var current = this.current();
      if (!current) return false;
      event.preventDefault();
      window.location.href = current.href;
      return true;
    }
    return false;
  };

  /* "Showing results for …" when words of the query were replaced by
   * close spellings, else nothing. */
  function showCorrection(note, ranked) {
    note.replaceChildren();
    note.hidden = !ranked.corrected;
    if (!ranked.corrected) return;
    note.appendChild(document.createTextNode("Showing results for "));
    var em = document.createElement("strong");
    em.textContent = ranked.corrected;
    note.appendChild(em);
    note.appendChild(document.createTextNode(" (no results for “" + ranked.query.trim() + "”)"));
  }

  function recordTiming(query, since) {
    var ms = performance.now() - since;
    S.timings.push({ query: query, ms: ms });
    if (typeof CustomEvent === "function") {
      document.dispatchEvent(new CustomEvent("onboard-search-rendered", { detail: { query: query, ms: ms } }));
    }
  }

  /* The header box: a dropdown of the top results while typing. */
  function attachBox(input) {
    injectStyle();
    // A listbox may hold options only: the "no results" note and the link
    // to the search page sit beside it, in the same dropdown box.
    var box = document.createElement("div");
    box.className = "onboard-search-dropdown";
    box.hidden = true;
    var list = document.createElement("div");
    list.id = "site-search-results";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Search suggestions");
    var footer = document.createElement("div");
    var note = document.createElement("p");
    note.className = "onboard-search-corrected";
    note.hidden = true;
    box.appendChild(note);
    box.appendChild(list);
    box.appendChild(footer);
    input.insertAdjacentElement("afterend", box);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("autocomplete", "off");
    var selection = new Selection(input, list);
    var generation = 0;

    function close() {
      box.hidden = true;
      input.setAttribute("aria-expanded", "false");
      selection.clear();
    }

    function open() {
      box.style.top = input.offsetTop + input.offsetHeight + "px";
      box.style.left = input.offsetLeft + "px";
      box.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    var running = false;
    var queued = null; // the keypress time of input that arrived meanwhile

    /* One query at a time; input that arrives meanwhile runs next, once,
     * so fast typing does not load results for every keystroke. */
    function update(since) {
      if (running) {
        queued = since;
        return;
      }
      var q = input.value;
      var mine = ++generation;
      if (!q.trim()) {
        close();
        list.replaceChildren();
        footer.replaceChildren();
        return;
      }
      running = true;
      var done = function () {
        running = false;
        if (queued !== null) {
          var next = queued;
          queued = null;
          if (input.value !== q) update(next);
        }
      };
      rank(q)
        .then(function (ranked) {
          if (input.value !== q) return; // superseded: skip its documents
          return withDocs(ranked.hits.slice(0, DROPDOWN_RESULTS)).then(function (docs) {
            if (mine !== generation) return;
            list.replaceChildren();
            footer.replaceChildren();
            showCorrection(note, ranked);
            docs.forEach(function (doc) {
              list.appendChild(resultNode(doc, ranked, meta));
            });
            if (!docs.length) {
              var none = document.createElement("span");
              none.className = "onboard-search-empty";
              none.textContent = "No results";
              footer.appendChild(none);
            }
            var all = document.createElement("a");
            all.className = "onboard-search-all";
            all.href = root + "search/index.html?q=" + encodeURIComponent(ranked.corrected || q);
            all.textContent = ranked.hits.length > docs.length ? "All " + ranked.hits.length + " results" : "Open the search page";
            footer.appendChild(all);
            open();
            selection.set(0);
            recordTiming(q, since);
          });
        })
        .catch(function () {
          if (mine === generation) close();
        })
        .then(done);
    }

    input.addEventListener("input", function (event) {
      update(event.timeStamp || performance.now());
    });
    input.addEventListener("focus", function () {
      getMeta().catch(function () {}); // one round trip fewer for the first query
      if (input.value.trim() && footer.childElementCount) open();
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        if (!box.hidden) close();
        else input.blur();
        return;
      }
      if (!box.hidden) selection.keydown(event);
    });
    document.addEventListener("click", function (event) {
      if (event.target !== input && !box.contains(event.target)) close();
    });
  }

  /* The search page: every result, with facets. */
  function attachPage(input, results) {
    injectStyle();
    var facetsBox = document.getElementById("search-facets");
    if (!facetsBox) {
      facetsBox = document.createElement("div");
      facetsBox.id = "search-facets";
      results.parentNode.insertBefore(facetsBox, results);
    }
    facetsBox.classList.add("onboard-search-facets");
    // #search-results holds the summary, the listbox of results (options
    // only, as ARIA requires) and the "more" button.
    var summary = document.createElement("p");
    summary.className = "onboard-search-summary";
    summary.setAttribute("aria-live", "polite");
    var note = document.createElement("p");
    note.className = "onboard-search-corrected";
    note.hidden = true;
    var list = document.createElement("div");
    list.id = "search-results-list";
    list.className = "onboard-search-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Search results");
    var moreBox = document.createElement("div");
    results.removeAttribute("aria-live");
    results.replaceChildren(summary, note, list, moreBox);
    input.setAttribute("aria-controls", list.id);
    var selection = new Selection(input, list);
    var chosen = { kind: new Set(), tier: "", state: "", csm: "" };
    var shown = PAGE_RESULTS;
    var generation = 0;
    var last = null;

    var facets = null; // search/facets.js, once results include customers

    function loadFacets(ranked) {
      if (facets) return Promise.resolve();
      var any = ranked.hits.some(function (h) {
        return h.kind === "customer";
      });
      if (!any) return Promise.resolve();
      return load("facets").then(function (raw) {
        if (!raw || facets) return;
        var values = readVarints(raw.rows);
        var rows = new Map();
        for (var i = 0; i + 2 < values.length; i += 3) rows.set(raw.first + i / 3, values.slice(i, i + 3));
        facets = { values: raw.values, stateLabels: raw.stateLabels, rows: rows };
      });
    }

    function customerFacet(hit, name) {
      var row = facets && facets.rows.get(hit.id);
      if (!row) return "";
      var i = row[["tier", "state", "csm"].indexOf(name)];
      return i > 0 ? facets.values[name][i - 1] : "";
    }

    function passes(hit, ignore) {
      if (ignore !== "kind" && chosen.kind.size && !chosen.kind.has(hit.kind)) return false;
      var names = ["tier", "state", "csm"];
      for (var i = 0; i < names.length; i++) {
        var name = names[i];
        if (name !== ignore && chosen[name] && (hit.kind !== "customer" || customerFacet(hit, name) !== chosen[name])) return false;
      }
      return true;
    }

    function renderFacets(ranked) {
      // Rebuilding the facets must not drop keyboard focus: note which
      // control had it and focus its replacement.
      var active = document.activeElement;
      var focused = active && facetsBox.contains(active) ? { name: active.name, value: active.type === "checkbox" ? active.value : null } : null;
      try {
        buildFacets(ranked);
      } finally {
        if (focused) {
          var again = Array.prototype.slice.call(facetsBox.querySelectorAll("input, select")).filter(function (el) {
            return el.name === focused.name && (focused.value === null || el.value === focused.value);
          })[0];
          if (again) again.focus();
        }
      }
    }

    function buildFacets(ranked) {
      facetsBox.replaceChildren();
      if (!ranked.hits.length) return;
      var counts = new Map();
      ranked.hits.forEach(function (hit) {
        if (passes(hit, "kind")) counts.set(hit.kind, (counts.get(hit.kind) || 0) + 1);
      });
      var kinds = document.createElement("fieldset");
      kinds.className = "onboard-search-facet";
      var legend = document.createElement("legend");
      legend.textContent = "Kind";
      kinds.appendChild(legend);
      meta.kinds.forEach(function (kind) {
        var n = counts.get(kind.id) || 0;
        if (!n && !chosen.kind.has(kind.id)) return;
        var label = document.createElement("label");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.name = "kind";
        box.value = kind.id;
        box.checked = chosen.kind.has(kind.id);
        box.addEventListener("change", function () {
          if (box.checked) chosen.kind.add(kind.id);
          else chosen.kind.delete(kind.id);
          shown = PAGE_RESULTS;
          show(performance.now());
        });
        label.appendChild(box);
        label.appendChild(document.createTextNode(" " + kind.label + " (" + n + ")"));
        kinds.appendChild(label);
      });
      facetsBox.appendChild(kinds);
      var customers = ranked.hits.filter(function (h) {
        return h.kind === "customer";
      });
      if (!customers.length || !facets) return;
      [
        ["tier", "Tier"],
        ["state", "State"],
        ["csm", "CSM"],
      ].forEach(function (pair) {
        var name = pair[0];
        var values = new Map();
        customers.forEach(function (hit) {
          if (!passes(hit, name)) return;
          var v = customerFacet(hit, name);
          if (v) values.set(v, (values.get(v) || 0) + 1);
        });
        if (!values.size && !chosen[name]) return;
        var label = document.createElement("label");
        label.textContent = pair[1] + " ";
        var select = document.createElement("select");
        select.name = name;
        var any = document.createElement("option");
        any.value = "";
        any.textContent = "Any";
        select.appendChild(any);
        facets.values[name].forEach(function (v) {
          if (!values.has(v) && chosen[name] !== v) return;
          var option = document.createElement("option");
          option.value = v;
          var text = name === "state" ? facets.stateLabels[v] || v : v;
          option.textContent = text + " (" + (values.get(v) || 0) + ")";
          option.selected = chosen[name] === v;
          select.appendChild(option);
        });
        select.addEventListener("change", function () {
          chosen[name] = select.value;
          shown = PAGE_RESULTS;
          show(performance.now());
        });
        label.appendChild(select);
        facetsBox.appendChild(label);
      });
    }

    function show(since) {
      var ranked = last;
      if (!ranked) return;
      var mine = ++generation;
      var hits = ranked.hits.filter(function (h) {
        return passes(h, null);
      });
      return Promise.all([withDocs(hits.slice(0, shown)), loadFacets(ranked)]).then(function (loaded) {
        var docs = loaded[0];
        if (mine !== generation) return;
        renderFacets(ranked);
        showCorrection(note, ranked);
        list.replaceChildren();
        moreBox.replaceChildren();
        summary.textContent = ranked.parts.length
          ? hits.length + (hits.length === 1 ? " result" : " results") + " for “" + (ranked.corrected || ranked.query.trim()) + "”"
          : "";
        docs.forEach(function (doc) {
          list.appendChild(resultNode(doc, ranked, meta));
        });
        if (hits.length > docs.length) {
          var more = document.createElement("button");
          more.type = "button";
          more.className = "onboard-search-more button button-secondary";
          more.textContent = "Show more results";
          more.addEventListener("click", function () {
            // The button is replaced: keep keyboard focus on the first new result.
            var first = shown;
            shown += PAGE_RESULTS;
            show(performance.now()).then(function () {
              var items = list.querySelectorAll(".onboard-search-result");
              if (items[first]) items[first].focus();
            });
          });
          moreBox.appendChild(more);
        }
        if (docs.length) selection.set(0);
        else selection.clear();
        recordTiming(ranked.query, since);
      });
    }

    var running = false;
    var queued = null;

    function update(since) {
      if (running) {
        queued = since;
        return;
      }
      var q = input.value;
      try {
        var url = new URL(window.location.href);
        if (q) url.searchParams.set("q", q);
        else url.searchParams.delete("q");
        window.history.replaceState(null, "", url.toString());
      } catch (e) {
        // Some browsers refuse history changes on file:// pages; the query still runs.
      }
      var mine = ++generation;
      running = true;
      rank(q)
        .then(function (ranked) {
          if (mine !== generation || input.value !== q) return;
          last = ranked;
          shown = PAGE_RESULTS;
          return show(since);
        })
        .catch(function () {})
        .then(function () {
          running = false;
          if (queued !== null) {
            var next = queued;
            queued = null;
            if (input.value !== q) update(next);
          }
        });
    }

    input.addEventListener("input", function (event) {
      update(event.timeStamp || performance.now());
    });
    input.addEventListener("keydown", function (event) {
      selection.keydown(event);
    });
    input.addEventListener("focus", function () {
      getMeta().catch(function () {});
    });
    var form = input.form;
    if (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
      });
    }
    var q = new URLSearchParams(window.location.search).get("q");
    if (q) {
      input.value = q;
      update(performance.now());
    }
  }

  function isTyping(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || el.isContentEditable;
  }

  function init() {
    var box = document.getElementById("site-search");
    var pageInput = document.getElementById("search-page-input");
    var results = document.getElementById("search-results");
    if (box) attachBox(box);
    if (pageInput && results) attachPage(pageInput, results);
    document.addEventListener("keydown", function (event) {
      if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey || isTyping(document.activeElement)) return;
      var target = pageInput || box;
      if (!target) return;
      event.preventDefault();
      target.focus();
      target.select();
    });
  }

  // For tests and benchmarks: the same ranking the boxes use.
  S.rank = rank;
  S.query = function (q, n) {
    return rank(q).then(function (ranked) {
      return withDocs(ranked.hits.slice(0, n || PAGE_RESULTS));
    });
  };
  S.tokenize = function (text) {
    return getMeta().then(function (m) {
      return tokenize(text, m);
    });
  };
  S.stem = stem;

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
    else init();
  }
})();
