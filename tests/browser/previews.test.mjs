// Previews of cross-references (`a.gloss-xref`) and citations (`a.gloss-cite`),
// shown by preprocessor/assets/gloss.js in the glossary callouts' popover, as a
// reader meets them: with a mouse, a keyboard, a touch screen, a narrow phone,
// in every theme, with JavaScript off, in print and in mdBook's search. The
// preview text ships in the page, once per distinct target, in a store
// of attributes (xref-previews.html, cite-previews.html).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createRequire } from "node:module";
import { ARTIFACTS, DESKTOP, PHONE, SITE_DIR, THEMES, contrast, openContext, over, parseColor, useSite } from "./helpers.mjs";
import { assertInsideViewport, clockedPage, firstLineCentre, norm, pointerAway, popover, tabOnto, waitForPopover } from "./popover.mjs";

const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
// A chapter with both kinds, and the home page with many of each.
const PAGES = ["decision-1/dense-vs-moe.html", "index.html"];
const KINDS = { xref: "main a.gloss-xref", cite: "main a.gloss-cite" };
const PER_KIND = 3;
const HOVER_LIMIT_MS = 300;
// Longer than gloss.js's delay before it hides a popover the pointer has left (200 ms).
const HIDE_GRACE_MS = 250;

/**
 * Per page and kind, the first links with distinct targets, as the HTML ships
 * them (read with JavaScript off): {n (its index among the kind's links),
 * href, text, expected: the strings the popover must show}.
 */
const shipped = new Map();
/** Per page: {kind: {links, hrefs (distinct), store (hrefs of the store's entries)}}. */
const stores = new Map();

const site = useSite({
  async setup() {
    const context = await openContext(site.browser, { javaScriptEnabled: false });
    const page = await context.newPage();
    for (const path of PAGES) {
      await page.goto(site.server.url(path));
      const found = await page.evaluate((KINDS) => {
        const store = [...document.querySelectorAll(".gloss-previews [data-gloss-preview]")];
        const out = {};
        for (const [kind, selector] of Object.entries(KINDS)) {
          const links = [...document.querySelectorAll(selector)];
          const seen = new Set();
          const first = [];
          links.forEach((a, n) => {
            const href = a.getAttribute("href");
            if (seen.has(href)) return;
            seen.add(href);
            const entry = store.find((s) => s.getAttribute("data-gloss-preview") === href);
            first.push({ n, href, text: a.textContent, data: entry ? { ...entry.dataset } : null });
          });
          out[kind] = {
            first,
            links: links.length,
            hrefs: [...seen],
            store: store.filter((s) => (kind === "cite") === s.hasAttribute("data-authors")).map((s) => s.getAttribute("data-gloss-preview")),
          };
        }
        return out;
      }, KINDS);
      // What a reader sees of the page, to tell a preview's words from the page's own.
      found.visible = norm(await page.locator("main").innerText());
      stores.set(path, found);
      for (const kind of Object.keys(KINDS)) {
        assert.ok(found[kind].first.length >= PER_KIND, `${path} has links to only ${found[kind].first.length} distinct ${kind} targets`);
        shipped.set(
          `${path} ${kind}`,
          found[kind].first.slice(0, PER_KIND).map((l) => {
            assert.ok(l.data, `${path}: no preview for ${l.href}`);
            const expected =
              kind === "xref"
                ? [l.data.context, l.data.title, l.data.text]
                : [l.data.title, l.data.authors, l.data.year, locator(l.text, l.data.short)];
            return { ...l, expected: expected.filter(Boolean) };
          }),
        );
      }
    }
    await context.close();
  },
});

/** A citation's locator: cite.html writes "(Cite as, locator)". */
function locator(text, short) {
  const inner = norm(text).replace(/^\(|\)$/g, "");
  return inner.startsWith(`${short}, `) ? inner.slice(short.length + 2) : "";
}

/** The nth link of a kind on the page, scrolled into view. */
async function nth(page, kind, n) {
  const l = page.locator(KINDS[kind]).nth(n);
  await l.scrollIntoViewIfNeeded();
  return l;
}

async function showsAll(page, expected) {
  for (const part of expected) await waitForPopover(page, { visible: true, includes: part });
}

describe("each page carries each preview once, out of the text", () => {
  for (const path of PAGES) {
    test(path, async () => {
      for (const kind of Object.keys(KINDS)) {
        const { links, hrefs, store } = stores.get(path)[kind];
        assert.deepEqual([...store].sort(), [...hrefs].sort(), `${path}: the ${kind} store is not one entry per distinct target`);
      }
      // The Llama 3 paper is cited again and again: its preview is there once.
      const { links, hrefs } = stores.get(path).cite;
      assert.ok(links > hrefs.length, `${path}: no source is cited twice, so nothing shows the store is shared`);
      // The text is in attributes only: no text node for search or for find-in-page.
      const html = await readFile(join(SITE_DIR, path), "utf8");
      const blocks = html.match(/<div class="gloss-previews">[\s\S]*?<\/div>/g) ?? [];
      assert.equal(blocks.length, 2, `${path}: expected a store for each kind`);
      for (const block of blocks) assert.match(block, /^<div[^>]*>(\s*<span [^>]*><\/span>)*\s*<\/div>$/, "a store holds text");
    });
  }
});

describe("previews with a mouse and a keyboard (1280×800)", () => {
  let context;
  before(async () => {
    context = await openContext(site.browser, { viewport: DESKTOP });
  });
  after(() => context?.close());

  for (const path of PAGES) {
    for (const kind of Object.keys(KINDS)) {
      test(`hovering a ${kind} link shows its preview within ${HOVER_LIMIT_MS} ms of the page's time: ${path}`, async () => {
        const page = await clockedPage(context);
        await page.goto(site.server.url(path));
        for (const link of shipped.get(`${path} ${kind}`)) {
          await pointerAway(page);
          await page.clock.runFor(HIDE_GRACE_MS);
          assert.equal((await popover(page)).visible, false, "the popover is still open with the pointer away");
          const { x, y } = await firstLineCentre(await nth(page, kind, link.n));
          await page.mouse.move(x, y);
          await page.clock.runFor(HOVER_LIMIT_MS);
          const shown = await popover(page);
          assert.ok(shown.visible, `${link.href}: no preview ${HOVER_LIMIT_MS} ms after the pointer arrived`);
          for (const part of link.expected) {
            assert.ok(norm(shown.text).includes(norm(part)), `${link.href}: the popover shows "${norm(shown.text)}", without "${part}"`);
          }
          const hrefs = await page.locator("#gloss-popover a").evaluateAll((els) => els.map((a) => a.getAttribute("href")));
          assert.ok(hrefs.includes(link.href), `${link.href}: the popover does not link there (${hrefs})`);
        }
        await page.close();
      });

      test(`the pointer can move onto a ${kind} preview and it stays open: ${path}`, async () => {
        const page = await clockedPage(context);
        await page.goto(site.server.url(path));
        const link = shipped.get(`${path} ${kind}`)[1];
        const from = await firstLineCentre(await nth(page, kind, link.n));
        await page.mouse.move(from.x, from.y);
        await page.clock.runFor(HOVER_LIMIT_MS);
        await showsAll(page, link.expected);
        const { rect } = await popover(page);
        const x = Math.min(Math.max(from.x, rect.left + 8), rect.right - 8);
        const y = rect.top > from.y ? rect.top + 8 : rect.bottom - 8;
        await page.mouse.move(x, y, { steps: 6 });
        await page.mouse.move((rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2, { steps: 4 });
        await page.clock.runFor(4 * HIDE_GRACE_MS);
        assert.ok((await popover(page)).visible, "the popover closed while the pointer was on it");
        await pointerAway(page);
        assert.ok((await popover(page)).visible, "the popover closed the moment the pointer left, with no grace period");
        await page.clock.runFor(HIDE_GRACE_MS);
        await waitForPopover(page, { visible: false });
        await page.close();
      });

      test(`Tab shows a ${kind} preview, Escape closes it and leaves focus where it was: ${path}`, async () => {
        const page = await context.newPage();
        await page.goto(site.server.url(path));
        await pointerAway(page);
        const [first, second] = shipped.get(`${path} ${kind}`);
        const l0 = await nth(page, kind, first.n);
        await tabOnto(page, l0);
        await showsAll(page, first.expected);
        await page.keyboard.press("Escape");
        await waitForPopover(page, { visible: false });
        assert.ok(await l0.evaluate((el) => document.activeElement === el), "Escape moved focus off the link");
        const l1 = await nth(page, kind, second.n);
        await tabOnto(page, l1);
        await showsAll(page, second.expected);
        // Tabbing on to something that is neither hides it.
        await page.locator("#mdbook-search-toggle").focus();
        await waitForPopover(page, { visible: false });
        assert.equal(page.url(), site.server.url(path), "Tab or Escape navigated away");
        await page.close();
      });
    }
  }
});

describe("previews on a touch screen (390×844)", () => {
  for (const kind of Object.keys(KINDS)) {
    const path = PAGES[0];
    test(`a tap shows a ${kind} preview, a second tap closes it, the popover's link goes there: ${path}`, async () => {
      const context = await openContext(site.browser, { viewport: PHONE, hasTouch: true, isMobile: true });
      try {
        const page = await context.newPage();
        await page.goto(site.server.url(path));
        const [first, second] = shipped.get(`${path} ${kind}`);
        await (await nth(page, kind, first.n)).tap();
        await showsAll(page, first.expected);
        assert.equal(page.url(), site.server.url(path), "the first tap navigated");
        const l1 = await nth(page, kind, second.n);
        await l1.tap();
        await showsAll(page, second.expected);
        await l1.tap();
        await waitForPopover(page, { visible: false });
        assert.equal(page.url(), site.server.url(path), "the second tap navigated");
        await l1.tap();
        await showsAll(page, second.expected);
        const link = page.locator("#gloss-popover a").last();
        assert.equal(await link.getAttribute("href"), second.href, "the popover's last link does not go where the link goes");
        for (const box of await page.locator("#gloss-popover a").evaluateAll((els) => els.map((a) => a.getBoundingClientRect().height))) {
          assert.ok(box >= 24, `a link in the popover is ${box} px tall, under 24 px to tap`);
        }
        const target = new URL(second.href, site.server.url(path));
        await link.tap();
        await page.waitForURL((url) => url.pathname === target.pathname && url.hash === target.hash);
        if (target.hash) {
          const id = decodeURIComponent(target.hash.slice(1));
          assert.ok(await page.locator(`[id="${id}"]`).isVisible(), `no visible #${id} there`);
        }
      } finally {
        await context.close();
      }
    });
  }
});

// A source with a `Section URL:` (the Llama 3 paper): the preview of a
// citation that names a numbered section links to that section, and to the
// same address as the references page's "Sections cited" (references/
// sections.rs builds those; gloss.js builds the preview's from the same
// pattern); a citation of a table links to the source itself.
test("a citation of a numbered section links into the source, as the references page does", async () => {
  const context = await openContext(site.browser, { viewport: DESKTOP });
  try {
    const page = await context.newPage();
    await page.goto(site.server.url("references.html"));
    const listed = new Map(
      await page.locator(".gloss-sections-cited a").evaluateAll((as) => as.map((a) => [a.textContent, a.href])),
    );
    assert.ok(listed.get("§3.2.1")?.endsWith("/2407.21783v3#S3.SS2.SSS1"), `§3.2.1 is listed as ${listed.get("§3.2.1")}`);
    let sections = 0;
    let others = 0;
    for (const path of PAGES) {
      await page.goto(site.server.url(path));
      const cites = page.locator("main a.gloss-cite");
      const texts = await cites.evaluateAll((as) => as.map((a) => [a.getAttribute("href"), a.textContent]));
      for (const [n, [href, text]] of texts.entries()) {
        if (!href.endsWith("references.html#l3")) continue;
        const section = /§(\d+(?:\.\d+)*)/.exec(text);
        const l = cites.nth(n);
        await l.focus();
        await waitForPopover(page, { visible: true, includes: "The Llama 3 Herd of Models" });
        const links = await page.locator("#gloss-popover a").evaluateAll((as) => as.map((a) => [a.textContent, a.href]));
        if (section) {
          const name = `§${section[1]}`;
          const read = links.find(([t]) => t === `Read ${name} in the source`);
          assert.ok(read, `${path}: ${text} shows ${JSON.stringify(links)}`);
          assert.equal(read[1], listed.get(name), `${path}: ${text} links elsewhere than the references page's ${name}`);
          sections++;
        } else {
          assert.deepEqual(links[0], ["Read the source", "https://arxiv.org/abs/2407.21783"], `${path}: ${text}`);
          others++;
        }
      }
    }
    assert.ok(sections >= 5 && others >= 1, `${sections} citations of sections, ${others} of others`);
  } finally {
    await context.close();
  }
});

test("at 320 px wide every preview stays inside the viewport", async () => {
  const context = await openContext(site.browser, { viewport: { width: 320, height: 640 } });
  try {
    const page = await context.newPage();
    for (const path of PAGES) {
      await page.goto(site.server.url(path));
      for (const kind of Object.keys(KINDS)) {
        // Each distinct target once: the longest previews are among them.
        for (const { n, href, data } of stores.get(path)[kind].first) {
          const l = page.locator(KINDS[kind]).nth(n);
          await l.focus();
          await waitForPopover(page, { visible: true, includes: data.title });
          assertInsideViewport(await popover(page), `${path}, ${href}`);
        }
      }
    }
  } finally {
    await context.close();
  }
});

// Pictures of an open preview for the people who review a change (written to
// artifacts/, which CI keeps): each kind, in a light and a dark theme, on a
// desktop with the mouse and on a phone after a tap. Each is taken once the
// preview shows its text inside the viewport.
describe("screenshots of an open preview (artifacts/previews-*.png)", () => {
  const sizes = { desktop: { viewport: DESKTOP }, phone: { viewport: PHONE, hasTouch: true, isMobile: true } };
  for (const theme of ["light", "coal"]) {
    for (const [size, options] of Object.entries(sizes)) {
      test(`${theme}, ${size}`, async () => {
        const context = await openContext(site.browser, { theme, ...options });
        try {
          const page = await context.newPage();
          const path = PAGES[0];
          await page.goto(site.server.url(path));
          for (const kind of Object.keys(KINDS)) {
            const link = shipped.get(`${path} ${kind}`)[0];
            const l = await nth(page, kind, link.n);
            await l.scrollIntoViewIfNeeded();
            if (size === "phone") await l.tap();
            else {
              const { x, y } = await firstLineCentre(l);
              await page.mouse.move(x, y);
            }
            await showsAll(page, link.expected);
            assertInsideViewport(await popover(page), `${theme}, ${size}, ${kind}`);
            await mkdir(ARTIFACTS, { recursive: true });
            const png = await page.screenshot({ path: join(ARTIFACTS, `previews-${kind}-${theme}-${size}.png`) });
            assert.equal(png.subarray(1, 4).toString(), "PNG");
            if (size === "phone") {
              await l.tap();
            } else {
              await pointerAway(page);
            }
            await waitForPopover(page, { visible: false });
          }
        } finally {
          await context.close();
        }
      });
    }
  }
});

describe("preview text contrast is at least 4.5:1, and axe finds nothing in an open preview", () => {
  for (const theme of THEMES) {
    test(`${theme} theme`, async () => {
      const context = await openContext(site.browser, { theme, viewport: DESKTOP });
      try {
        const page = await context.newPage();
        const path = PAGES[0];
        await page.goto(site.server.url(path));
        await page.evaluate(AXE_SOURCE);
        for (const kind of Object.keys(KINDS)) {
          const link = shipped.get(`${path} ${kind}`)[0];
          const { x, y } = await firstLineCentre(await nth(page, kind, link.n));
          await page.mouse.move(x, y);
          await showsAll(page, link.expected);
          const styles = await page.evaluate(() => {
            const pop = document.getElementById("gloss-popover");
            const under = [document.querySelector(".page-wrapper") ?? document.body, document.body, document.documentElement];
            return {
              theme: document.documentElement.className,
              background: getComputedStyle(pop).backgroundColor,
              under: under.map((el) => getComputedStyle(el).backgroundColor),
              texts: [pop, ...pop.querySelectorAll("*")].map((el) => [el.className || el.tagName, getComputedStyle(el).color]),
            };
          });
          assert.ok(styles.theme.split(" ").includes(theme), `the page is not in the ${theme} theme`);
          // Every kind of line a preview has: the muted context line too.
          assert.ok(styles.texts.some(([c]) => c === "gloss-popover-context"), `${kind}: no context line to measure`);
          const behind = styles.under.map(parseColor).find((c) => c.a > 0) ?? { r: 255, g: 255, b: 255, a: 1 };
          const bg = over(parseColor(styles.background), over(behind, { r: 255, g: 255, b: 255, a: 1 }));
          for (const [what, color] of styles.texts) {
            const ratio = contrast(over(parseColor(color), bg), bg);
            assert.ok(ratio >= 4.5, `${theme}, ${kind}: ${what} ${color} on ${styles.background} is ${ratio.toFixed(2)}:1`);
          }
          const { violations } = await page.evaluate(() =>
            window.axe.run({ include: [["#gloss-popover"]] }, { resultTypes: ["violations"] }),
          );
          assert.deepEqual(
            violations.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
            [],
            `${theme}, ${kind}: axe in the open preview`,
          );
          await pointerAway(page);
          await waitForPopover(page, { visible: false });
        }
      } finally {
        await context.close();
      }
    });
  }
});

describe("without JavaScript a cross-reference or citation is a plain link", () => {
  for (const kind of Object.keys(KINDS)) {
    test(kind, async () => {
      const context = await openContext(site.browser, { viewport: DESKTOP, javaScriptEnabled: false });
      try {
        const page = await context.newPage();
        const path = PAGES[0];
        await page.goto(site.server.url(path));
        assert.equal(await page.locator("#gloss-popover").count(), 0);
        assert.equal(await page.locator(".gloss-previews").first().isVisible(), false, "the store is shown");
        const link = shipped.get(`${path} ${kind}`)[0];
        const l = page.locator(KINDS[kind]).nth(link.n);
        assert.equal(await l.getAttribute("title"), null);
        const target = new URL(link.href, site.server.url(path));
        await l.click();
        await page.waitForURL((url) => url.pathname === target.pathname && url.hash === target.hash);
      } finally {
        await context.close();
      }
    });
  }
});

test("previews are not printed", async () => {
  const context = await openContext(site.browser, { viewport: DESKTOP });
  try {
    const page = await context.newPage();
    await page.goto(site.server.url(PAGES[0]));
    const link = shipped.get(`${PAGES[0]} xref`)[0];
    await tabOnto(page, await nth(page, "xref", link.n));
    await showsAll(page, link.expected);
    await page.emulateMedia({ media: "print" });
    const shown = await page.evaluate(() =>
      [...document.querySelectorAll("#gloss-popover, .gloss-previews")].filter((el) => getComputedStyle(el).display !== "none").length,
    );
    assert.equal(shown, 0, "a preview or its store is laid out in print");
  } finally {
    await context.close();
  }
});

// mdBook 0.5 indexes the text nodes of each chapter (mdbook-html's
// search.rs, index_chapter); the store's attributes are none, so a search
// finds a preview's words only on the page they come from.
test("mdBook's search index holds no preview text", async () => {
  const name = (await readdir(SITE_DIR)).find((f) => /^searchindex-.*\.js$/.test(f));
  assert.ok(name, "no search index in the site");
  const window = { search: {} };
  new Function("window", await readFile(join(SITE_DIR, name), "utf8"))(window);
  const { doc_urls: urls, index } = window.search;
  const docs = index.documentStore.docs;
  for (const path of PAGES) {
    // index.html is mdBook's copy of the first chapter, indexed under its own name.
    const indexed = path === "index.html" ? "introduction.html" : path;
    const body = norm(
      Object.entries(docs)
        .filter(([i]) => urls[i].split("#")[0] === indexed)
        .map(([, d]) => `${d.title} ${d.body}`)
        .join(" "),
    );
    assert.ok(body.length > 500, `${path} is not in the search index`);
    // Each preview's words that the page does not show itself (a source's
    // authors may be named in the text, a target's title is often the link's).
    const { visible, xref, cite } = stores.get(path);
    const words = [
      ...xref.first.map(({ data }) => norm(data.text).split(" ").slice(0, 12).join(" ")),
      ...cite.first.flatMap(({ data }) => [norm(data.title), norm(`${data.authors} (${data.year})`)]),
    ].filter((w) => w && !visible.includes(w));
    assert.ok(words.length >= 5, `${path}: only ${words.length} preview strings to look for`);
    for (const w of words) assert.ok(!body.includes(w), `${path}: the search index has preview text "${w}"`);
  }
});
