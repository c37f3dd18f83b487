// The claims ledger's filter by verdict and order by claim, paragraph or
// chapter (templates/ledger.html, gloss.css, gloss.js): what it shows, what it
// says to a screen reader, that the address keeps it, what works without
// JavaScript, and that on paper the table is whole. That the controls move
// nothing once the page has painted is budgets.test.mjs's check.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DESKTOP, PHONE, openContext, useSite, watchProblems } from "./helpers.mjs";

const site = useSite();

/** The ledger's rows as a reader sees them, in order. */
function rows(page) {
  return page.locator(".gloss-ledger tbody tr").evaluateAll((trs) =>
    trs.map((tr) => ({
      id: tr.cells[0].textContent.trim(),
      paragraph: Number(tr.cells[1].textContent.replace(/\D+/g, "")),
      verdict: tr.querySelector(".gloss-verdict-badge").textContent.trim(),
      chapter: tr.cells[4].querySelector("a").getAttribute("href"),
      visible: tr.checkVisibility(),
    })),
  );
}

/** The tally's count for each verdict, from the line above the table. */
function counts(page) {
  return page.locator(".gloss-ledger-counts .gloss-verdict-badge").evaluateAll((badges) =>
    Object.fromEntries(badges.map((b) => b.textContent.trim().split(" ").reverse()).map(([v, n]) => [v, Number(n)])),
  );
}

const byClaim = (a, b) => a.id.localeCompare(b.id, "en", { numeric: true });

for (const viewport of [DESKTOP, PHONE]) {
  test(`the ledger filters by verdict and orders by paragraph and chapter (${viewport.width} px)`, async () => {
    const context = await openContext(site.browser, { viewport });
    try {
      const page = await context.newPage();
      const problems = watchProblems(page);
      await page.goto(site.server.url("ledger.html"));
      const all = await rows(page);
      assert.ok(all.length >= 40, `${all.length} rows`);
      assert.deepEqual(all.map((r) => r.id), [...all].sort(byClaim).map((r) => r.id), "not in claim order at first");
      assert.ok(all.every((r) => r.visible));
      const status = page.locator(".gloss-ledger-status");
      assert.equal(await status.textContent(), `All ${all.length} claims.`);
      assert.equal(await status.getAttribute("role"), "status");

      // Each verdict shows exactly its claims, as many as the tally counts.
      const tally = await counts(page);
      assert.ok(Object.keys(tally).length >= 3, JSON.stringify(tally));
      const verdict = page.getByLabel("Show");
      for (const [v, n] of Object.entries(tally)) {
        await verdict.selectOption(v);
        const shown = (await rows(page)).filter((r) => r.visible);
        assert.equal(shown.length, n, `${v}: ${shown.length} rows shown, the tally says ${n}`);
        assert.ok(shown.every((r) => r.verdict === v), `${v}: ${JSON.stringify(shown)}`);
        assert.equal(await status.textContent(), `${n} of ${all.length} claims: ${v}.`);
        assert.equal(new URL(page.url()).searchParams.get("verdict"), v);
      }
      // No page overflow with a filter on a phone, and the controls fit.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
      for (const control of await page.locator(".gloss-ledger-controls select").all()) {
        const box = await control.boundingBox();
        assert.ok(box.height >= 24 && box.x >= 0 && box.x + box.width <= viewport.width, JSON.stringify(box));
      }
      await verdict.selectOption("");

      // By paragraph: the article's order, claims in order within one.
      const order = page.getByLabel("Order by");
      await order.selectOption("paragraph");
      const byParagraph = await rows(page);
      for (let i = 1; i < byParagraph.length; i++) {
        const [a, b] = [byParagraph[i - 1], byParagraph[i]];
        assert.ok(a.paragraph < b.paragraph || (a.paragraph === b.paragraph && byClaim(a, b) < 0), `${a.id} ¶${a.paragraph} before ${b.id} ¶${b.paragraph}`);
      }
      assert.equal(await page.locator(".gloss-ledger th[aria-sort]").textContent(), "Article");

      // By chapter: in the book's order (the table of contents), each chapter's
      // claims together and in order.
      await order.selectOption("chapter");
      const toc = await page.evaluate(() => [...document.querySelectorAll("#mdbook-sidebar a[href]")].map((a) => a.href.split("#")[0]));
      const place = (href) => toc.indexOf(new URL(href, page.url()).href.split("#")[0]);
      const byChapter = await rows(page);
      assert.ok(byChapter.every((r) => place(r.chapter) >= 0), "a chapter is not in the table of contents");
      for (let i = 1; i < byChapter.length; i++) {
        const [a, b] = [byChapter[i - 1], byChapter[i]];
        const [pa, pb] = [place(a.chapter), place(b.chapter)];
        assert.ok(pa < pb || (pa === pb && byClaim(a, b) < 0), `${a.id} (${a.chapter}) before ${b.id} (${b.chapter})`);
      }
      assert.equal(await page.locator(".gloss-ledger th[aria-sort]").textContent(), "Chapter");
      assert.equal(await page.locator(".gloss-ledger th[aria-sort]").getAttribute("aria-sort"), "ascending");

      // The address keeps the choice: a reload, or a shared link, shows it.
      await verdict.selectOption("inaccurate");
      const url = new URL(page.url());
      assert.equal(url.searchParams.get("order"), "chapter");
      await page.reload();
      assert.equal(await page.getByLabel("Show").inputValue(), "inaccurate");
      assert.equal(await page.getByLabel("Order by").inputValue(), "chapter");
      assert.equal((await rows(page)).filter((r) => r.visible).length, tally.inaccurate);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
}

// Without JavaScript the table is whole and in claim order (an address that
// asks for a filter does nothing), and the verdict filter still works: by CSS,
// from the select in the page. Ordering and the count need the script, so they
// are not shown.
test("without JavaScript the ledger is whole, and its verdict filter works by CSS alone", async () => {
  const context = await openContext(site.browser, { viewport: DESKTOP, javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(site.server.url("ledger.html?verdict=inaccurate&order=chapter"));
    const all = await rows(page);
    assert.ok(all.length >= 40 && all.every((r) => r.visible));
    assert.deepEqual(all.map((r) => r.id), [...all].sort(byClaim).map((r) => r.id));
    assert.equal(await page.locator(".gloss-ledger-order").isVisible(), false, "an order select that cannot work is shown");
    assert.equal(await page.locator(".gloss-ledger-status").isVisible(), false, "a count that cannot follow the filter is shown");
    const tally = await counts(page);
    await page.getByLabel("Show").selectOption("inaccurate");
    const shown = (await rows(page)).filter((r) => r.visible);
    assert.equal(shown.length, tally.inaccurate);
    assert.ok(shown.every((r) => r.verdict === "inaccurate"));
  } finally {
    await context.close();
  }
});

test("a filtered ledger prints whole, without its controls", async () => {
  const context = await openContext(site.browser, { viewport: DESKTOP });
  try {
    const page = await context.newPage();
    await page.goto(site.server.url("ledger.html?verdict=accurate"));
    const onScreen = (await rows(page)).filter((r) => r.visible).length;
    const all = (await rows(page)).length;
    assert.ok(onScreen < all, "the filter from the address was not applied");
    await page.emulateMedia({ media: "print" });
    assert.equal((await rows(page)).filter((r) => r.visible).length, all, "filtered rows are left off the printed ledger");
    assert.equal(await page.locator(".gloss-ledger-controls").isVisible(), false, "the controls print");
  } finally {
    await context.close();
  }
});
