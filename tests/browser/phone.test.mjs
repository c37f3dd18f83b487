// The book on a 390 px phone, where a desktop layout squeezed or hid what a
// reader came for: the claims ledger (stacked rows, verdict first), and axe on
// that page in all five themes at that size; the book's title in the menu bar.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { DESKTOP, PHONE, THEMES, openContext, useSite } from "./helpers.mjs";

const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const site = useSite();

/** Each ledger row as laid out: the boxes of its cells, by class, and the table's overflow. */
function ledgerLayout(page) {
  return page.evaluate(() => {
    const table = document.querySelector(".gloss-ledger table");
    const wrapper = table.closest(".table-wrapper") ?? table.parentElement;
    const box = (el) => {
      const r = el.getBoundingClientRect();
      return { left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height };
    };
    const rows = [...table.querySelectorAll("tbody tr")].map((tr) => {
      // In the order of the header: claim, article, what the article says, verdict, chapter.
      const [, paragraph, summary, verdict, chapter] = tr.cells;
      return {
        id: tr.id,
        row: box(tr),
        claim: box(tr.cells[0]),
        verdict: box(verdict),
        verdictText: verdict.innerText.trim(),
        summary: box(summary),
        paragraph: box(paragraph),
        chapter: box(chapter),
        // The column's name, shown before the chapter where the header row is not.
        chapterLabel: getComputedStyle(chapter, "::before").content,
      };
    });
    return {
      rows,
      head: box(table.tHead),
      // How far the table reaches past the box it scrolls in, and the page past the window.
      overflow: wrapper.scrollWidth - wrapper.clientWidth,
      pageOverflow: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      viewport: document.documentElement.clientWidth,
    };
  });
}

describe("the claims ledger", () => {
  test("on a 390 px phone each claim is a block: verdict first and on screen, then the claim, paragraph and chapter", async () => {
    const context = await openContext(site.browser, { viewport: PHONE });
    try {
      const page = await context.newPage();
      await page.goto(site.server.url("ledger.html"));
      const { rows, overflow, pageOverflow, viewport, head } = await ledgerLayout(page);
      assert.ok(rows.length >= 40, `only ${rows.length} rows in the ledger`);
      assert.ok(overflow <= 0, `the ledger is ${overflow} px wider than its column: it scrolls sideways`);
      assert.ok(pageOverflow <= 0, `the page is ${pageOverflow} px wider than the phone`);
      assert.ok(head.height <= 1, "the column headers take room on a phone (they are for screen readers there)");
      for (const r of rows) {
        const where = `${r.id}: ${JSON.stringify(r)}`;
        assert.match(r.verdictText, /^(accurate|simplified|inaccurate|unverifiable)$/, where);
        // Every cell is inside the window: nothing to scroll to.
        for (const cell of [r.verdict, r.claim, r.summary, r.paragraph, r.chapter]) {
          assert.ok(cell.width > 0 && cell.left >= 0 && cell.right <= viewport, `a cell is off screen; ${where}`);
        }
        // The verdict opens the block: on its first line, before the claim's id.
        assert.ok(Math.abs(r.verdict.top - r.row.top) < 12, `the verdict is not on the row's first line; ${where}`);
        assert.ok(r.verdict.left < r.claim.left, `the claim's id comes before its verdict; ${where}`);
        // Then what the article says, on lines of its own, then where.
        assert.ok(r.summary.top >= r.verdict.bottom - 1, `the claim is not below its verdict; ${where}`);
        assert.ok(r.paragraph.top >= r.summary.bottom - 1, `the paragraph is not below the claim; ${where}`);
        assert.ok(r.chapter.top >= r.summary.bottom - 1, `the chapter is not below the claim; ${where}`);
        assert.equal(r.chapterLabel, '"Chapter "', `the chapter is not named as such; ${where}`);
        // A readable measure: the claim takes the width of the block, not a narrow column.
        assert.ok(r.summary.width >= r.row.width - 40, `the claim is squeezed to ${r.summary.width} px; ${where}`);
      }
    } finally {
      await context.close();
    }
  });

  test("on a desktop it is still one table row per claim, under its column headers", async () => {
    const context = await openContext(site.browser, { viewport: DESKTOP });
    try {
      const page = await context.newPage();
      await page.goto(site.server.url("ledger.html"));
      const { rows, overflow, head } = await ledgerLayout(page);
      assert.ok(overflow <= 0, `the ledger overflows its column by ${overflow} px`);
      assert.ok(head.height > 10, "the column headers are hidden on a desktop");
      for (const r of rows) {
        const cells = [r.claim, r.paragraph, r.summary, r.verdict, r.chapter];
        // Side by side in the column order of the header, on one row.
        for (let i = 1; i < cells.length; i++) {
          assert.ok(cells[i].left >= cells[i - 1].right - 1, `${r.id}: cell ${i} is not right of cell ${i - 1}`);
          assert.equal(cells[i].top, cells[0].top, `${r.id}: cell ${i} is not on the row's line`);
        }
        assert.equal(r.chapterLabel, "none", `${r.id}: the phone's label shows on a desktop`);
      }
    } finally {
      await context.close();
    }
  });

  for (const theme of THEMES) {
    test(`axe finds nothing on the ledger at 390 px (${theme})`, async () => {
      const context = await openContext(site.browser, { theme, viewport: PHONE });
      try {
        const page = await context.newPage();
        await page.goto(site.server.url("ledger.html"));
        assert.ok(await page.evaluate((t) => document.documentElement.classList.contains(t), theme));
        await page.evaluate(AXE_SOURCE);
        const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"], iframes: false }));
        const found = violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
        assert.deepEqual(found, []);
      } finally {
        await context.close();
      }
    });
  }
});

// mdBook sets the menu bar's title in 24 px on one line with an ellipsis: on a
// 390 px phone it read "Llama 3.1, A…". a11y.css lets it shrink and wrap.
for (const width of [320, 360, 390]) {
  test(`the menu bar shows the whole book title at ${width} px`, async () => {
    const context = await openContext(site.browser, { viewport: { width, height: 800 } });
    try {
      const page = await context.newPage();
      await page.goto(site.server.url("decision-2/isoflop.html"));
      await page.evaluate(() => document.fonts.ready);
      const title = await page.evaluate(() => {
        const t = document.querySelector("#mdbook-menu-bar .menu-title");
        const r = t.getBoundingClientRect();
        const bar = document.getElementById("mdbook-menu-bar").getBoundingClientRect();
        // The text's own extent, which a clipped box hides.
        const range = document.createRange();
        range.selectNodeContents(t);
        const text = range.getBoundingClientRect();
        return {
          text: t.textContent,
          // Past a pixel: scroll sizes are whole pixels, a 19.2 px line is not.
          clipped: t.scrollWidth > t.clientWidth + 1 || t.scrollHeight > t.clientHeight + 1,
          box: [t.clientWidth, t.scrollWidth, t.clientHeight, t.scrollHeight],
          inside: text.left >= r.left - 0.5 && text.right <= r.right + 0.5 && text.top >= bar.top && text.bottom <= bar.bottom,
          barHeight: bar.height,
          size: parseFloat(getComputedStyle(t).fontSize),
        };
      });
      assert.equal(title.text, "Llama 3.1, Annotated");
      assert.equal(title.clipped, false, `the title is cut: ${JSON.stringify(title)}`);
      assert.ok(title.inside, `the title's text spills out of its box or the bar: ${JSON.stringify(title)}`);
      assert.ok(title.barHeight <= 51, `the menu bar grew to ${title.barHeight} px`);
      assert.ok(title.size >= 16, `the title is set in ${title.size} px`);
    } finally {
      await context.close();
    }
  });
}
