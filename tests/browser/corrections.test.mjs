// "Suggest a correction": every claim card and every chapter links to the
// repository's issue form (.github/ISSUE_TEMPLATE/correction.yml) with the
// claim, the chapter and its source file filled in. A plain link: it works
// with JavaScript off. Hidden in print.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { SITE_DIR, htmlPages, openContext, settled, useSite } from "./helpers.mjs";

const REPOSITORY = "https://github.com/llama-annotated/llama-3-1-annotated";
const CHAPTER = "decision-1/dense-vs-moe.html";

let page;

const site = useSite({
  async setup() {
    // No JavaScript: the links must not need it.
    const context = await openContext(site.browser, { javaScriptEnabled: false });
    page = await context.newPage();
    await page.goto(site.server.url(CHAPTER));
    await settled(page);
  },
});

/** The form's prefilled fields in a correction link. */
function form(href) {
  const url = new URL(href);
  assert.equal(`${url.origin}${url.pathname}`, `${REPOSITORY}/issues/new`, href);
  assert.equal(url.searchParams.get("template"), "correction.yml", href);
  return {
    title: url.searchParams.get("title"),
    claim: url.searchParams.get("claim"),
    chapter: url.searchParams.get("chapter"),
    source: url.searchParams.get("source"),
  };
}

test("every claim card links to the form with its claim, chapter and source", async () => {
  const cards = await page.locator(".gloss-claim").evaluateAll((els) =>
    els.map((card) => {
      const links = [...card.querySelectorAll(":scope > .gloss-correction a")];
      return {
        id: card.id,
        count: links.length,
        href: links[0]?.href,
        text: links[0]?.textContent,
        visible: links[0] ? links[0].getBoundingClientRect().height > 0 : false,
      };
    }),
  );
  assert.ok(cards.length >= 3, `only ${cards.length} claim cards on ${CHAPTER}`);
  for (const card of cards) {
    assert.equal(card.count, 1, `${card.id}: one correction link`);
    assert.ok(card.visible, `${card.id}: the link is shown`);
    const claim = card.id.replace("claim-c", "C");
    assert.equal(card.text, `Suggest a correction to ${claim}`);
    assert.deepEqual(form(card.href), {
      title: `Correction: ${claim} in “Dense transformer or mixture of experts”`,
      claim,
      chapter: "Dense transformer or mixture of experts",
      source: "src/decision-1/dense-vs-moe.md",
    });
  }
});

test("the chapter ends with a link to the form with its title and source", async () => {
  const links = page.locator("main .gloss-correction-page a");
  assert.equal(await links.count(), 1);
  assert.equal(await links.textContent(), "Suggest a correction to this page");
  assert.deepEqual(form(await links.getAttribute("href")), {
    title: "Correction: “Dense transformer or mixture of experts”",
    claim: null,
    chapter: "Dense transformer or mixture of experts",
    source: "src/decision-1/dense-vs-moe.md",
  });
  // A plain link, as every other link: it opens the form in the same tab.
  assert.equal(await links.getAttribute("target"), null);
});

test("every chapter page has exactly one chapter link", async () => {
  const missing = [];
  for (const name of await htmlPages()) {
    if (["404.html", "print.html", "toc.html"].includes(name)) continue;
    const html = await readFile(join(SITE_DIR, name), "utf8");
    const n = html.split('class="gloss-correction gloss-correction-page"').length - 1;
    if (n !== 1) missing.push(`${name}: ${n}`);
  }
  assert.deepEqual(missing, [], "pages without exactly one chapter link");
});

test("the links are hidden in print", async () => {
  await page.emulateMedia({ media: "print" });
  try {
    const shown = await page.locator(".gloss-correction").evaluateAll((els) =>
      els.filter((el) => getComputedStyle(el).display !== "none" || el.getBoundingClientRect().height > 0).length,
    );
    assert.equal(shown, 0, "correction links printed");
    assert.ok((await page.locator(".gloss-correction").count()) >= 4);
  } finally {
    await page.emulateMedia({ media: "screen" });
  }
});
