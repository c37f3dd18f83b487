// Glossary callouts (`a.gloss-term`, preprocessor/assets/gloss.js) as a reader meets them:
// with a mouse, a keyboard, a touch screen, a narrow phone, in every theme,
// and with JavaScript off.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { DESKTOP, PHONE, THEMES, contrast, openContext, over, parseColor, useSite } from "./helpers.mjs";
import { assertInsideViewport, clockedPage, firstLineCentre, norm, pointerAway, popover, tabOnto, waitForPopover } from "./popover.mjs";

const PAGES = ["decision-2/isoflop.html", "decision-1/dense-vs-moe.html"];
const TERMS_PER_PAGE = 3;
const HOVER_LIMIT_MS = 300;
// Longer than gloss.js's delay before it hides a popover the pointer has left (200 ms).
const HIDE_GRACE_MS = 250;

/** Per page, the first terms as the HTML ships them: {id, name, href, definition}. */
const shipped = new Map();

const site = useSite({
  async setup() {
    // Read the terms with JavaScript off, as the HTML ships them: each
    // definition is written once per page, in the "Terms in this chapter" list.
    const context = await openContext(site.browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    for (const path of PAGES) {
      await page.goto(site.server.url(path));
      const terms = await page.locator("main a.gloss-term").evaluateAll((els) =>
        els.map((a) => ({
          id: a.dataset.glossTerm,
          name: a.textContent,
          href: a.getAttribute("href"),
          title: a.getAttribute("title"),
          definition: document
            .querySelector(`.gloss-terms-list a[data-gloss-entry="${a.dataset.glossTerm}"]`)
            ?.getAttribute("data-definition"),
        })),
      );
      assert.ok(terms.length >= TERMS_PER_PAGE, `${path} has only ${terms.length} callouts`);
      shipped.set(path, terms);
    }
    await context.close();
  },
});

/** The nth callout in the chapter's text, scrolled into view. */
async function term(page, n) {
  const t = page.locator("main a.gloss-term").nth(n);
  await t.scrollIntoViewIfNeeded();
  return t;
}

describe("callouts with a mouse and a keyboard (1280×800)", () => {
  let context;
  let page;
  before(async () => {
    context = await openContext(site.browser, { viewport: DESKTOP });
    page = await context.newPage();
  });
  after(() => context?.close());

  for (const path of PAGES) {
    // gloss.js shows a definition at once, or after a short delay when the
    // pointer crosses from one open term to another, and hides it after a
    // grace period. The page's clock is Playwright's (page.clock): time moves
    // only when the test moves it, so "within 300 ms" means 300 ms of the
    // page's timers however busy the machine is.
    test(`hovering a term shows its definition within ${HOVER_LIMIT_MS} ms of the page's time: ${path}`, async () => {
      const page = await clockedPage(context);
      await page.goto(site.server.url(path));
      for (let n = 0; n < TERMS_PER_PAGE; n++) {
        const expected = shipped.get(path)[n];
        await pointerAway(page);
        await page.clock.runFor(HIDE_GRACE_MS);
        assert.equal((await popover(page)).visible, false, "the popover is still open with the pointer away");
        const t = await term(page, n);
        const { x, y } = await firstLineCentre(t);
        await page.mouse.move(x, y);
        await page.clock.runFor(HOVER_LIMIT_MS);
        const shown = await popover(page);
        assert.ok(shown.visible, `"${expected.name}": no definition ${HOVER_LIMIT_MS} ms after the pointer arrived`);
        assert.ok(norm(shown.text).includes(norm(expected.definition)), `"${expected.name}": the popover shows "${norm(shown.text)}"`);
        assert.ok(norm(shown.text).startsWith(norm(expected.name)), "the popover names the term");
      }
      await page.close();
    });

    test(`the pointer can move onto the popover and it stays open: ${path}`, async () => {
      const page = await clockedPage(context);
      await page.goto(site.server.url(path));
      const expected = shipped.get(path)[1];
      const t = await term(page, 1);
      const from = await firstLineCentre(t);
      await page.mouse.move(from.x, from.y);
      await page.clock.runFor(HOVER_LIMIT_MS);
      await waitForPopover(page, { visible: true, includes: expected.definition });
      // Straight across the gap into the popover, as a reader would, then to its middle.
      const { rect } = await popover(page);
      const x = Math.min(Math.max(from.x, rect.left + 8), rect.right - 8);
      const y = rect.top > from.y ? rect.top + 8 : rect.bottom - 8;
      await page.mouse.move(x, y, { steps: 6 });
      await page.mouse.move((rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2, { steps: 4 });
      // Four times the hide delay: reading the definition must not close it.
      await page.clock.runFor(4 * HIDE_GRACE_MS);
      const still = await popover(page);
      assert.ok(still.visible, "the popover closed while the pointer was on it");
      assert.ok(norm(still.text).includes(norm(expected.definition)));
      // And it does close once the pointer leaves both, after the grace period.
      await pointerAway(page);
      assert.ok((await popover(page)).visible, "the popover closed the moment the pointer left, with no grace period");
      await page.clock.runFor(HIDE_GRACE_MS);
      await waitForPopover(page, { visible: false });
      await page.close();
    });

    test(`Escape closes the popover and leaves focus where it was: ${path}`, async () => {
      await page.goto(site.server.url(path));
      const [first, second] = shipped.get(path);
      // Shown by keyboard focus.
      const t0 = await term(page, 0);
      await tabOnto(page, t0);
      await waitForPopover(page, { visible: true, includes: first.definition });
      await page.keyboard.press("Escape");
      await waitForPopover(page, { visible: false });
      assert.ok(await t0.evaluate((el) => document.activeElement === el), "Escape moved focus off the term");
      // Shown by hover: Escape closes it and focus stays on the first term.
      const t1 = await term(page, 1);
      const { x, y } = await firstLineCentre(t1);
      await page.mouse.move(x, y);
      await waitForPopover(page, { visible: true, includes: second.definition });
      await page.keyboard.press("Escape");
      await waitForPopover(page, { visible: false });
      assert.ok(await t0.evaluate((el) => document.activeElement === el), "Escape moved focus");
      assert.equal(page.url(), site.server.url(path), "Escape navigated away");
    });

    test(`the popover follows its term as the page scrolls and closes when the term leaves (PageDown): ${path}`, async () => {
      await page.goto(site.server.url(path));
      await pointerAway(page);
      const first = shipped.get(path)[0];
      const t0 = await term(page, 0);
      await tabOnto(page, t0);
      await waitForPopover(page, { visible: true, includes: first.definition });
      // The popover against its term's first line: 6 px below it, or 6 px above it.
      const attached = () => {
        const t = document.activeElement.getClientRects()[0];
        const p = document.getElementById("gloss-popover").getBoundingClientRect();
        return Math.abs(p.top - (t.bottom + 6)) <= 1 || Math.abs(p.bottom - (t.top - 6)) <= 1;
      };
      assert.ok(await page.evaluate(attached), "the popover does not start next to its term");
      // A short scroll that keeps the term on screen: the popover moves with it.
      // (This context's clock is Playwright's and paused: wait on conditions, not frames.)
      const before = await t0.evaluate((el) => el.getBoundingClientRect().top);
      await page.evaluate(() => window.scrollBy(0, 40));
      await page.waitForFunction((y) => document.activeElement.getBoundingClientRect().top < y - 30, before);
      try {
        await page.waitForFunction(attached, null, { timeout: 2000 });
      } catch {
        assert.fail("the popover stayed where it was while its term scrolled");
      }
      // PageDown takes the term off screen: the popover closes instead of staying pinned at the top.
      await page.keyboard.press("PageDown");
      await page.waitForFunction(() => document.activeElement.getBoundingClientRect().bottom <= 0);
      await waitForPopover(page, { visible: false });
      assert.ok(await t0.evaluate((el) => document.activeElement === el), "PageDown moved focus off the term");
    });

    test(`Tab onto a term shows its definition: ${path}`, async () => {
      await page.goto(site.server.url(path));
      await pointerAway(page);
      for (let n = 0; n < TERMS_PER_PAGE; n++) {
        const expected = shipped.get(path)[n];
        await tabOnto(page, await term(page, n));
        await waitForPopover(page, { visible: true, includes: expected.definition });
      }
      // Tabbing on to something that is not a term hides it.
      await page.locator("#mdbook-search-toggle").focus();
      await waitForPopover(page, { visible: false });
    });
  }
});

describe("callouts on a touch screen (390×844)", () => {
  for (const path of PAGES) {
    test(`a tap shows the definition, a second tap closes it, the popover's link opens the entry: ${path}`, async () => {
      const context = await openContext(site.browser, { viewport: PHONE, hasTouch: true, isMobile: true });
      try {
        const page = await context.newPage();
        await page.goto(site.server.url(path));
        const [first, second] = shipped.get(path);
        const t0 = await term(page, 0);
        await t0.tap();
        await waitForPopover(page, { visible: true, includes: first.definition });
        assert.equal(page.url(), site.server.url(path), "the first tap navigated");
        // Tapping another term switches to it.
        const t1 = await term(page, 1);
        await t1.tap();
        await waitForPopover(page, { visible: true, includes: second.definition });
        assert.equal(page.url(), site.server.url(path), "a first tap on another term navigated");
        // The second tap on the same term closes it, as tapping a thing again does, and stays.
        await t1.tap();
        await waitForPopover(page, { visible: false });
        assert.equal(page.url(), site.server.url(path), "the second tap navigated");
        // A third opens it again; the popover's link goes to the entry.
        await t1.tap();
        await waitForPopover(page, { visible: true, includes: second.definition });
        const link = page.locator("#gloss-popover a");
        assert.equal(await link.count(), 1, "the popover has no link to the glossary entry");
        assert.equal(await link.getAttribute("href"), second.href);
        const { height } = await link.boundingBox();
        assert.ok(height >= 24, `the popover's link is ${height} px tall, under 24 px to tap`);
        await link.tap();
        await page.waitForURL((url) => url.pathname.endsWith("/glossary.html") && url.hash === `#${second.id}`);
        assert.ok(await page.locator(`[id="${second.id}"]`).isVisible(), `the glossary has no visible #${second.id}`);
      } finally {
        await context.close();
      }
    });
  }
});

test("at 320 px wide every popover stays inside the viewport", async () => {
  const viewport = { width: 320, height: 640 };
  const context = await openContext(site.browser, { viewport });
  try {
    const page = await context.newPage();
    for (const path of PAGES) {
      await page.goto(site.server.url(path));
      const count = await page.locator("main a.gloss-term").count();
      for (let n = 0; n < count; n++) {
        const t = page.locator("main a.gloss-term").nth(n);
        await t.focus();
        const name = await t.textContent();
        await waitForPopover(page, { visible: true, includes: name });
        assertInsideViewport(await popover(page), `${path}, "${name}"`);
      }
    }
  } finally {
    await context.close();
  }
});

// gloss.css means a popover about 22 ems of body text wide (16 px text: 352 px),
// capped to the viewport less 8 px a side. Written as 22rem it was 220 px:
// mdBook's root font is 10 px. A long definition fills the width it is given.
describe("a popover is 22 ems of body text wide, or the viewport's width less 16 px", () => {
  for (const viewport of [DESKTOP, PHONE, { width: 320, height: 640 }]) {
    test(`${viewport.width}×${viewport.height}`, async () => {
      const context = await openContext(site.browser, { viewport });
      try {
        const page = await context.newPage();
        const path = PAGES[0];
        await page.goto(site.server.url(path));
        // The term with the longest definition: long enough to wrap at any of these widths.
        const terms = shipped.get(path);
        const n = terms.reduce((best, t, i) => (t.definition.length > terms[best].definition.length ? i : best), 0);
        assert.ok(terms[n].definition.length > 120, `no long definition on ${path}`);
        const t = await term(page, n);
        await t.focus();
        await waitForPopover(page, { visible: true, includes: terms[n].definition });
        const { width, body, viewportWidth } = await page.evaluate(() => ({
          width: document.getElementById("gloss-popover").getBoundingClientRect().width,
          // A paragraph of the chapter's own text (not a generated line set smaller).
          body: parseFloat(getComputedStyle(document.querySelector("main > p:not([class])")).fontSize),
          viewportWidth: document.documentElement.clientWidth,
        }));
        assert.equal(body, 16, "the body text is not mdBook's 16 px");
        const intended = Math.min(22 * body, viewportWidth - 16);
        assert.ok(Math.abs(width - intended) <= 1, `the popover is ${width} px wide, not ${intended} px`);
      } finally {
        await context.close();
      }
    });
  }
});

describe("popover text contrast is at least 4.5:1", () => {
  for (const theme of THEMES) {
    test(`${theme} theme`, async () => {
      const context = await openContext(site.browser, { theme, viewport: DESKTOP });
      try {
        const page = await context.newPage();
        await page.goto(site.server.url(PAGES[0]));
        const t = await term(page, 0);
        const { x, y } = await firstLineCentre(t);
        await page.mouse.move(x, y);
        await waitForPopover(page, { visible: true, includes: shipped.get(PAGES[0])[0].definition });
        const styles = await page.evaluate(() => {
          const pop = document.getElementById("gloss-popover");
          const page = getComputedStyle(document.querySelector(".page-wrapper") ?? document.body).backgroundColor;
          const root = getComputedStyle(document.documentElement).backgroundColor;
          const body = getComputedStyle(document.body).backgroundColor;
          return {
            theme: document.documentElement.className,
            opacity: getComputedStyle(pop).opacity,
            background: getComputedStyle(pop).backgroundColor,
            under: [page, body, root],
            texts: [pop, ...pop.querySelectorAll("*")].map((el) => getComputedStyle(el).color),
          };
        });
        assert.ok(styles.theme.split(" ").includes(theme), `the page is not in the ${theme} theme`);
        assert.equal(styles.opacity, "1", "the open popover is translucent");
        // What is behind the popover, if its background lets anything through.
        const behind = styles.under.map(parseColor).find((c) => c.a > 0) ?? { r: 255, g: 255, b: 255, a: 1 };
        const bg = over(parseColor(styles.background), over(behind, { r: 255, g: 255, b: 255, a: 1 }));
        for (const color of styles.texts) {
          const ratio = contrast(over(parseColor(color), bg), bg);
          assert.ok(ratio >= 4.5, `${theme}: popover text ${color} on ${styles.background} is ${ratio.toFixed(2)}:1`);
        }
      } finally {
        await context.close();
      }
    });
  }
});

describe("without JavaScript a term is a plain link to its glossary entry", () => {
  for (const path of PAGES) {
    test(path, async () => {
      const context = await openContext(site.browser, { viewport: DESKTOP, javaScriptEnabled: false });
      try {
        const page = await context.newPage();
        await page.goto(site.server.url(path));
        assert.equal(await page.locator("#gloss-popover").count(), 0);
        const expected = shipped.get(path)[0];
        const t = page.locator("main a.gloss-term").first();
        assert.ok(
          expected.definition && expected.definition.length > 20,
          "the term has no definition in the page's terms list",
        );
        assert.equal(expected.title, null, "the definition is repeated in the callout's title");
        // The list at the end of the chapter links to the same entry.
        const listed = page.locator(`.gloss-terms-list a[data-gloss-entry="${expected.id}"]`);
        assert.equal(await listed.getAttribute("href"), expected.href);
        assert.ok(await listed.isVisible(), "the terms list is not shown without JavaScript");
        assert.match(expected.href, new RegExp(`glossary\\.html#${expected.id}$`));
        await t.click();
        await page.waitForURL((url) => url.pathname.endsWith("/glossary.html") && url.hash === `#${expected.id}`);
        const entry = page.locator(`[id="${expected.id}"]`);
        assert.ok(await entry.isVisible(), `no visible #${expected.id} on the glossary page`);
        assert.ok(norm(await page.locator("main").innerText()).includes(norm(expected.definition)));
      } finally {
        await context.close();
      }
    });
  }
});

test("without JavaScript, a chapter's terms list shows each definition", async () => {
  for (const theme of THEMES) {
    const context = await openContext(site.browser, { theme, viewport: PHONE, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      for (const path of PAGES) {
        await page.goto(site.server.url(path));
        const items = await page.locator(".gloss-terms-list li > a").evaluateAll((as) =>
          as.map((a) => {
            const after = getComputedStyle(a, "::after");
            const box = a.getBoundingClientRect();
            return {
              name: a.textContent,
              definition: a.getAttribute("data-definition"),
              shown: after.content,
              color: after.color,
              visible: box.width > 0 && box.height > 0,
              inside: box.right <= document.documentElement.clientWidth,
            };
          }),
        );
        assert.ok(items.length >= TERMS_PER_PAGE, `${path}: ${items.length} terms listed`);
        // The first opaque background behind the list, as the reader sees it.
        const background = await page.evaluate(() => {
          for (let el = document.querySelector(".gloss-terms-list"); el; el = el.parentElement) {
            const c = getComputedStyle(el).backgroundColor;
            if (c !== "transparent" && !/rgba\(.*,\s*0\)$/.test(c)) return c;
          }
          return "rgb(255, 255, 255)";
        });
        for (const item of items) {
          assert.ok(item.definition.length > 0, `${path}: ${item.name} has no definition`);
          // CSS quotes the generated text; the definition is all of it.
          assert.equal(item.shown, JSON.stringify(`: ${item.definition}`), `${path} (${theme}): ${item.name}`);
          assert.ok(item.visible && item.inside, `${path} (${theme}): ${item.name} is not on screen`);
          const ratio = contrast(parseColor(item.color), parseColor(background));
          assert.ok(ratio >= 4.5, `${path} (${theme}): ${item.name}'s definition is ${ratio.toFixed(2)}:1`);
        }
      }
    } finally {
      await context.close();
    }
  }
});

// The glossary page has no terms list (its entries are the list): the
// definitions its callouts show sit once each in a store that is not
// displayed (definitions.html), not in every callout's `title`.
describe("on the glossary page a callout's definition comes from the page's store", () => {
  test("the store holds each callout's definition once, hidden, and the popover shows it", async () => {
    const context = await openContext(site.browser, { viewport: DESKTOP });
    try {
      const page = await context.newPage();
      await page.goto(site.server.url("glossary.html"));
      const callouts = page.locator("main a.gloss-term");
      assert.ok((await callouts.count()) >= 10, "the glossary's definitions call out other terms");
      const found = await page.evaluate(() => {
        const ids = [...document.querySelectorAll("main a.gloss-term")].map((a) => a.dataset.glossTerm);
        const store = [...document.querySelectorAll(".gloss-previews [data-gloss-entry]")];
        return {
          ids: [...new Set(ids)],
          stored: store.map((s) => s.getAttribute("data-gloss-entry")),
          shown: store.filter((s) => s.getClientRects().length > 0).length,
          withTitle: document.querySelectorAll("main a.gloss-term[title]").length,
          definition: store[0]?.getAttribute("data-definition"),
        };
      });
      assert.deepEqual([...found.stored].sort(), [...found.ids].sort(), "the store holds each term called out, once");
      assert.equal(found.shown, 0, "the store is displayed");
      // gloss.js takes the title off; none ships (checked below without JS).
      assert.equal(found.withTitle, 0);
      const t = page.locator(`main a.gloss-term[data-gloss-term="${found.ids[0]}"]`).first();
      await t.scrollIntoViewIfNeeded();
      await tabOnto(page, t);
      await waitForPopover(page, { visible: true, includes: found.definition });
      const entryText = await page
        .locator(`.gloss-previews [data-gloss-entry="${found.ids[0]}"]`)
        .getAttribute("data-definition");
      assert.ok(entryText.length > 20, `the stored definition is "${entryText}"`);
    } finally {
      await context.close();
    }
  });

  test("without JavaScript no callout repeats a definition in its title", async () => {
    const context = await openContext(site.browser, { viewport: DESKTOP, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(site.server.url("glossary.html"));
      assert.ok((await page.locator("main a.gloss-term").count()) >= 10);
      assert.equal(await page.locator("main a.gloss-term[title]").count(), 0);
      assert.ok(await page.locator(".gloss-previews [data-gloss-entry]").count() >= 10);
    } finally {
      await context.close();
    }
  });
});
