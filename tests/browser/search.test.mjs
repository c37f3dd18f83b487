// mdBook's search finds the glossary by the words of a short definition.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DESKTOP, PHONE, SITE_DIR, openContext, useSite, watchProblems } from "./helpers.mjs";

// A word of the "Mixture of experts" short definition in src/glossary.md ("a
// small router sends each token to a few of many parallel feed-forward
// blocks"), and the entry it should lead to.
const QUERY = "router";
const ENTRY = "moe";


const site = useSite({
  async setup() {
    // The word is where the test says it is: in the definition the glossary ships.
    const glossary = await readFile(join(SITE_DIR, "glossary.html"), "utf8");
    const entry = glossary.slice(glossary.indexOf(`id="${ENTRY}"`), glossary.indexOf("</h2>", glossary.indexOf(`id="${ENTRY}"`)) + 2000);
    assert.match(entry, new RegExp(`\\b${QUERY}\\b`), `the ${ENTRY} entry no longer mentions "${QUERY}"`);
  },
});

/**
 * The hrefs of the results for the whole query, in order. mdBook searches as
 * each key is released, so the list is first filled for "r", "ro", …: wait
 * for the header that names the whole query ("3 search results for 'router':").
 */
async function results(page) {
  await page.waitForFunction(
    (query) => (document.getElementById("mdbook-searchresults-header")?.textContent ?? "").includes(`'${query}'`),
    QUERY,
  );
  const list = page.locator("#mdbook-searchresults > li a");
  await list.first().waitFor({ state: "visible" });
  return list.evaluateAll((els) => els.map((a) => a.getAttribute("href")));
}

test(`pressing "s" and typing "${QUERY}" puts the glossary first (desktop)`, async () => {
  const context = await openContext(site.browser, { viewport: DESKTOP });
  try {
    const page = await context.newPage();
    const problems = watchProblems(page);
    await page.goto(site.server.url("decision-2/isoflop.html"));
    const bar = page.locator("#mdbook-searchbar");
    assert.ok(!(await bar.isVisible()), "the search bar is open before asking");
    await page.keyboard.press("s");
    await bar.waitFor({ state: "visible" });
    await page.waitForFunction(() => document.activeElement?.id === "mdbook-searchbar");
    await page.keyboard.type(QUERY, { delay: 30 });
    const hrefs = await results(page);
    assert.match(hrefs[0], /(^|\/)glossary\.html[?#]/, `first result is ${hrefs[0]}; all: ${hrefs.join(", ")}`);
    // The search index loaded without a hitch.
    assert.deepEqual(problems, []);
    // Enter follows the first result to the glossary.
    await page.keyboard.press("Enter");
    await page.waitForURL((url) => url.pathname.endsWith("/glossary.html"));
  } finally {
    await context.close();
  }
});

test(`the search button works on a phone too ("${QUERY}")`, async () => {
  const context = await openContext(site.browser, { viewport: PHONE, hasTouch: true, isMobile: true });
  try {
    const page = await context.newPage();
    await page.goto(site.server.url("index.html"));
    await page.locator("#mdbook-search-toggle").tap();
    const bar = page.locator("#mdbook-searchbar");
    await bar.waitFor({ state: "visible" });
    await bar.fill(QUERY);
    await bar.press("End"); // mdBook searches on keyup
    const hrefs = await results(page);
    assert.match(hrefs[0], /(^|\/)glossary\.html[?#]/, `first result is ${hrefs[0]}; all: ${hrefs.join(", ")}`);
    await page.locator("#mdbook-searchresults > li a").first().tap();
    await page.waitForURL((url) => url.pathname.endsWith("/glossary.html"));
    assert.ok(await page.locator(`[id="${ENTRY}"]`).count(), "the glossary has no moe entry");
  } finally {
    await context.close();
  }
});

/**
 * The results for `query` on `page`, in order: each result's href and its
 * teaser. The query is put in at once and a key released, as a reader's last
 * keystroke does, then the header naming the whole query is awaited.
 */
async function searchFor(page, query) {
  const bar = page.locator("#mdbook-searchbar");
  if (!(await bar.isVisible())) {
    await page.keyboard.press("s");
    await bar.waitFor({ state: "visible" });
  }
  await bar.fill(query);
  await bar.press("End");
  await page.waitForFunction(
    (q) => (document.getElementById("mdbook-searchresults-header")?.textContent ?? "").includes(`'${q}'`),
    query,
  );
  return page.locator("#mdbook-searchresults > li").evaluateAll((items) =>
    items.map((li) => ({
      href: li.querySelector("a")?.getAttribute("href") ?? "",
      text: li.textContent.replace(/\s+/g, " ").trim(),
    })),
  );
}

// The words of the lists the preprocessor generates around a chapter's
// content, as they open a result's teaser or title. Their words are navigation:
// a hit in them only repeats the page it points to.
const GENERATED = [
  /Terms in this chapter/,
  /Referenced from \d/,
  /Appears in \d/,
  /Cited in \d/,
  /Claims settled here/,
  /Suggest a correction/,
];

// The queries of the issue on what a reader trips over (issue 21): a word
// every list repeats, the article's own words for claim C01, and a number
// typed without its thousands separator (claim C28 writes "16,000").
// Each claim card is a result of its own (`cargo xtask build` writes the
// index: xtask/src/search.rs), so the expected result is the card.
const QUERIES = [
  { query: "GPU", page: null },
  { query: "largest open-source", page: "beyond/comparisons.html#claim-c01" },
  { query: "16000 GPUs", page: "decision-2/infrastructure.html#claim-c28" },
  { query: "16000", page: "decision-2/infrastructure.html#claim-c28" },
];

for (const { query, page: expected } of QUERIES) {
  test(`searching "${query}" finds content, not generated lists${expected ? `, with ${expected} in the top 3` : ""}`, async () => {
    const context = await openContext(site.browser, { viewport: DESKTOP });
    try {
      const page = await context.newPage();
      const problems = watchProblems(page);
      await page.goto(site.server.url("introduction.html"));
      const results = await searchFor(page, query);
      assert.ok(results.length > 0, `no results for "${query}"`);
      for (const r of results) {
        assert.ok(!r.href.includes("#gloss-terms-list-title"), `a terms list is a result: ${r.href}`);
        for (const label of GENERATED) {
          assert.doesNotMatch(r.text, label, `a result shows a generated list: ${r.href}: ${r.text.slice(0, 160)}`);
        }
      }
      if (expected) {
        // mdBook puts `?highlight=…` between the page and the fragment.
        const top = results.slice(0, 3).map((r) => r.href.replace(/\?[^#]*/, ""));
        assert.ok(top.includes(expected), `"${query}": ${expected} is not in the top 3: ${results.map((r) => r.href).join(", ")}`);
      }
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}
