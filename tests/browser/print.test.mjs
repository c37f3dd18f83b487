// The print page (print.html) as it prints: claim cards are there, and the
// "Terms in this chapter" lists spell out each definition after the term.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { ARTIFACTS, openContext, settled, useSite, watchProblems } from "./helpers.mjs";

let context;
let page;
let problems;

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

test('the "Terms in this chapter" lists print each definition', async () => {
  const items = await page.locator(".gloss-terms-list li a").evaluateAll((els) =>
    els.map((a) => ({
      term: a.textContent,
      definition: a.dataset.definition,
      after: getComputedStyle(a, "::after").content,
      shown: getComputedStyle(a.closest(".gloss-terms-list")).display !== "none" && a.getBoundingClientRect().height > 0,
    })),
  );
  assert.ok(items.length >= 50, `only ${items.length} terms listed on the print page`);
  for (const { term, definition, after, shown } of items) {
    assert.ok(shown, `"${term}" is not printed`);
    assert.ok(definition && definition.length > 20, `"${term}" has no definition`);
    // `content: ": " attr(data-definition)` computes to the quoted string.
    assert.ok(after.includes(definition.slice(0, 60)), `"${term}" prints ${after} instead of its definition`);
  }
});

test("the print page renders to PDF", async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  const list = page.locator(".gloss-terms-list").first();
  await list.screenshot({ path: join(ARTIFACTS, "print-terms-list.png") });
  const pdf = join(ARTIFACTS, "print.pdf");
  await page.pdf({ path: pdf, format: "A4", printBackground: false });
  assert.ok((await stat(pdf)).size > 100_000, "the PDF is nearly empty");
});
