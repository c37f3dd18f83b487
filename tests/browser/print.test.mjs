// The print page (print.html) as it prints: claim cards are there, the
// back-link lists are not, and neither are the chapters' "Terms in this
// chapter" lists (the printed glossary has every definition); a chapter
// printed on its own keeps its list, each definition spelled out after the term.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { ARTIFACTS, openContext, settled, useSite, watchProblems } from "./helpers.mjs";

// A chapter with "Referenced from", a claim card and a terms list.
const CHAPTER = "decision-2/isoflop.html";

let context;
let page;
let problems;

/** Each element matching `selector` on `page`: is it printed? */
function printed(page, selector) {
  return page.locator(selector).evaluateAll((els) =>
    els.map((el) => {
      const style = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return {
        text: el.innerText.trim().slice(0, 60),
        shown: style.display !== "none" && style.visibility !== "hidden" && r.height > 0,
      };
    }),
  );
}

/** `page` as a PDF on A4, and its number of pages. */
async function pdfPages(page, path) {
  const pdf = await page.pdf({ path, format: "A4", printBackground: false });
  return { bytes: pdf.length, pages: pdf.toString("latin1").match(/\/Type\s*\/Page\b(?!s)/g)?.length ?? 0 };
}

const site = useSite({
  async setup() {
    context = await openContext(site.browser, { viewport: { width: 1000, height: 1400 } });
    // mdBook's print.html opens the print dialog once loaded; record that instead,
    // so the page can still be rendered to PDF here.
    await context.addInitScript(() => {
      window.print = () => {
        window.__printRequested = true;
      };
    });
    await mkdir(ARTIFACTS, { recursive: true });
    page = await context.newPage();
    problems = watchProblems(page);
    await page.emulateMedia({ media: "print" });
    await page.goto(site.server.url("print.html"));
    // mdBook's print.html asks to print once it has loaded everything.
    await page.waitForFunction(() => window.__printRequested === true);
    await settled(page);
  },
});

test("print.html loads cleanly under print media and asks to print", async () => {
  assert.deepEqual(problems, []);
  await page.waitForFunction(() => window.__printRequested === true);
});

test("every claim card is printed", async () => {
  const cards = await page.locator(".gloss-claim").evaluateAll((els) =>
    els.map((el) => {
      const style = getComputedStyle(el);
      const r = el.getBoundingClientRect();
      return {
        id: el.id,
        shown: style.display !== "none" && style.visibility !== "hidden" && Number(style.opacity) > 0 && r.height > 0,
        text: el.innerText.trim().length,
      };
    }),
  );
  assert.ok(cards.length >= 40, `only ${cards.length} claim cards on the print page`);
  const hidden = cards.filter((c) => !c.shown || c.text < 20).map((c) => c.id);
  assert.deepEqual(hidden, [], "claim cards not printed");
  // The verdict reads in black on paper, not in a screen colour.
  const badge = await page.locator(".gloss-claim .gloss-verdict-badge").first().evaluate((el) => getComputedStyle(el).color);
  assert.equal(badge, "rgb(0, 0, 0)");
});

test("no back-link list is printed (Appears in, Cited in, Referenced from)", async () => {
  const lists = await printed(page, ".gloss-backrefs");
  // The glossary's, the references' and the chapters' lists are all on print.html.
  assert.ok(lists.length >= 100, `only ${lists.length} back-link lists on the print page`);
  assert.deepEqual(lists.filter((l) => l.shown), [], "back-link lists printed");
});

test('the whole book does not print the chapters\' "Terms in this chapter" lists (its glossary has them)', async () => {
  const lists = await printed(page, ".gloss-terms-list");
  assert.ok(lists.length >= 10, `only ${lists.length} terms lists on the print page`);
  assert.deepEqual(lists.filter((l) => l.shown), [], "terms lists printed in the whole book");
  // The glossary itself is printed.
  const glossary = await printed(page, 'h1[id^="glossary"]');
  assert.ok(glossary.length === 1 && glossary[0].shown, "the glossary is not printed");
});

test('a chapter printed on its own prints its "Terms in this chapter", each with its definition, and no back-links', async () => {
  const chapter = await context.newPage();
  await chapter.emulateMedia({ media: "print" });
  await chapter.goto(site.server.url(CHAPTER));
  await settled(chapter);
  const backrefs = await printed(chapter, ".gloss-backrefs");
  assert.ok(backrefs.length >= 1, `${CHAPTER} has no "Referenced from" to test with`);
  assert.deepEqual(backrefs.filter((l) => l.shown), [], "back-link lists printed");
  const items = await chapter.locator(".gloss-terms-list li a").evaluateAll((els) =>
    els.map((a) => ({
      term: a.textContent,
      definition: a.dataset.definition,
      after: getComputedStyle(a, "::after").content,
      shown: getComputedStyle(a.closest(".gloss-terms-list")).display !== "none" && a.getBoundingClientRect().height > 0,
    })),
  );
  assert.ok(items.length >= 5, `only ${items.length} terms listed on ${CHAPTER}`);
  for (const { term, definition, after, shown } of items) {
    assert.ok(shown, `"${term}" is not printed`);
    assert.ok(definition && definition.length > 20, `"${term}" has no definition`);
    // `content: ": " attr(data-definition)` computes to the quoted string.
    assert.ok(after.includes(definition.slice(0, 60)), `"${term}" prints ${after} instead of its definition`);
  }
  await chapter.locator(".gloss-terms-list").screenshot({ path: join(ARTIFACTS, "print-terms-list.png") });
  const { pages } = await pdfPages(chapter, join(ARTIFACTS, "print-chapter.pdf"));
  assert.ok(pages >= 2, `${CHAPTER} prints on ${pages} pages`);
  await chapter.close();
});

test("the print page renders to PDF", async (t) => {
  const { bytes, pages } = await pdfPages(page, join(ARTIFACTS, "print.pdf"));
  assert.ok(bytes > 100_000, "the PDF is nearly empty");
  // Reported, not budgeted: it follows the book's length. 193 A4 pages with
  // the back-link and terms lists printed (2026-12-01).
  t.diagnostic(`print.html: ${pages} A4 pages`);
  assert.ok(pages > 50, `the whole book prints on ${pages} pages`);
});
