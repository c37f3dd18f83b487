// axe-core on every page of the site, in all five mdBook themes, on a desktop
// and a phone screen. Fails on any violation of impact serious or critical and
// prints a table of all violations by impact to stderr (and to
// artifacts/axe-summary.txt).
import { after, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createRequire } from "node:module";
import { ARTIFACTS, DESKTOP, PHONE, THEMES, htmlPages, openContext, useSite } from "./helpers.mjs";

const AXE_SOURCE = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const IMPACTS = ["critical", "serious", "moderate", "minor"];
// toc.html is not a page a reader opens: mdBook loads it into the sidebar's
// <noscript><iframe> when JavaScript is off (its links target the parent).
// It is checked on its own below.
const FRAME_ONLY = new Set(["toc.html"]);

let pages;
const summary = [];

const site = useSite({
  async setup() {
    pages = (await htmlPages()).filter((p) => !FRAME_ONLY.has(p));
    assert.ok(pages.length >= 20, `expected the whole book, found ${pages.length} pages in ${process.env.SITE_DIR}`);
  },
});

after(async () => {
  if (summary.length) printSummary();
});

// A theme changes colours and nothing else (mdBook's themes, and ours, set
// CSS variables under a class on <html>), so the structural rules give the
// same answer in every theme. They run in the default theme, light; the other
// four run the rules whose answer depends on colour. That is the same check
// as all rules in all five, for 40-60% less of the suite's longest part.
const COLOUR_RULES = ["color-contrast", "link-in-text-block"];

/** Runs axe on the loaded page (only `rules`, when given); returns its violations. */
async function axe(page, rules) {
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(
    (rules) => window.axe.run(document, { resultTypes: ["violations"], iframes: false, ...(rules ? { runOnly: rules } : {}) }),
    rules,
  );
  return results.violations;
}

function explain(page, v) {
  const nodes = v.nodes
    .slice(0, 3)
    .map((n) => `      ${n.target.join(" ")}: ${(n.any[0] ?? n.all[0] ?? n.none[0])?.message ?? n.failureSummary}`);
  return [`  ${page}: ${v.impact} ${v.id} (${v.nodes.length}×) ${v.help}`, ...nodes].join("\n");
}

// The desktop and phone runs of a theme go side by side, each in its own
// context (and so its own renderer process): on two cores that halves the
// longest part of the suite. Nothing in them depends on timing.
for (const theme of THEMES) {
  describe(`axe in the ${theme} theme`, { concurrency: 2 }, () => {
  const rules = theme === "light" ? undefined : COLOUR_RULES;
  for (const viewport of [DESKTOP, PHONE]) {
    const size = `${viewport.width}×${viewport.height}`;
    const which = rules ? "the colour rules" : "all rules";
    test(`axe (${which}): no serious or critical violation on any page, ${theme} theme, ${size}`, async () => {
      const started = Date.now();
      const context = await openContext(site.browser, { theme, viewport });
      const page = await context.newPage();
      const counts = Object.fromEntries(IMPACTS.map((i) => [i, 0]));
      const found = new Set();
      const failures = [];
      try {
        for (const path of pages) {
          await page.goto(site.server.url(path), { waitUntil: "load" });
          // The theme really is the one under test (mdBook reads localStorage).
          assert.ok(
            await page.evaluate((t) => document.documentElement.classList.contains(t), theme),
            `${path} did not switch to the ${theme} theme`,
          );
          for (const v of await axe(page, rules)) {
            counts[v.impact] += v.nodes.length;
            found.add(`${v.impact} ${v.id}`);
            if (v.impact === "serious" || v.impact === "critical") failures.push(explain(path, v));
          }
        }
      } finally {
        await context.close();
      }
      summary.push({ theme, size, which, counts, rules: [...found].sort(), seconds: (Date.now() - started) / 1000 });
      assert.deepEqual(failures, [], `serious or critical axe violations (${theme}, ${size}):\n${failures.join("\n")}`);
    });
  }
  });
}

// a11y.js swaps mdBook's <label> sidebar toggle for a button: it must still
// open and close the sidebar, now from the keyboard too, and say which.
test("the sidebar toggle is a button that opens and closes the sidebar from the keyboard", async () => {
  const context = await openContext(site.browser, { viewport: PHONE });
  try {
    const page = await context.newPage();
    await page.goto(site.server.url("decision-2/isoflop.html"));
    const sidebar = page.locator("#mdbook-sidebar");
    const toggle = page.locator("#mdbook-sidebar-toggle");
    const onScreen = () => sidebar.evaluate((el) => el.getBoundingClientRect().right > 10 && getComputedStyle(el).display !== "none");
    assert.equal(await toggle.evaluate((el) => el.tagName), "BUTTON");
    assert.equal(await toggle.getAttribute("aria-expanded"), "false");
    assert.equal(await onScreen(), false, "the sidebar starts open on a phone");
    for (let i = 0; i < 10 && !(await toggle.evaluate((el) => el === document.activeElement)); i++) {
      await page.keyboard.press("Tab");
    }
    assert.ok(await toggle.evaluate((el) => el === document.activeElement), "Tab never reaches the sidebar toggle");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.documentElement.classList.contains("sidebar-visible"));
    await page.waitForFunction(() => document.getElementById("mdbook-sidebar").getBoundingClientRect().left >= -1);
    assert.equal(await onScreen(), true, "Enter did not open the sidebar");
    assert.equal(await toggle.getAttribute("aria-expanded"), "true");
    await page.keyboard.press("Space");
    await page.waitForFunction(() => !document.documentElement.classList.contains("sidebar-visible"));
    assert.equal(await toggle.getAttribute("aria-expanded"), "false");
    // A mouse click still works as it did on mdBook's label.
    await toggle.click();
    await page.waitForFunction(() => document.documentElement.classList.contains("sidebar-visible"));
    assert.equal(await toggle.getAttribute("aria-expanded"), "true");
  } finally {
    await context.close();
  }
});

// A backlink list (backlinks.html) shows five chapters and keeps the rest in
// a closed <details>: a reader without JavaScript opens it from the keyboard,
// and finds every chapter the label counts, as list items.
test("a backlink list's other chapters open from the keyboard without JavaScript", async () => {
  const context = await openContext(site.browser, { viewport: PHONE, javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(site.server.url("references.html"));
    const list = page.locator("#l3 ~ .gloss-cited-in").first();
    const label = await list.locator(".gloss-backrefs-label").textContent();
    const count = Number(label.match(/Cited in (\d+) chapters:/)?.[1]);
    assert.ok(count > 7, `the Llama 3 paper's list: ${label}`);
    const items = list.locator("li");
    assert.equal(await items.count(), count, "every chapter counted is in the markup");
    const shown = () => items.evaluateAll((lis) => lis.filter((li) => li.checkVisibility()).length);
    assert.equal(await shown(), 5, "five chapters before the <details>");
    const summary = list.locator("summary");
    assert.equal(await summary.textContent(), `${count - 5} more chapters`);
    await summary.focus();
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector("#l3 ~ .gloss-cited-in details").open);
    assert.equal(await shown(), count, "Enter on the summary shows the rest");
  } finally {
    await context.close();
  }
});

// The axe runs above see a closed <details> as hidden and check none of its
// links' colours: here every backlink list is open, in all five themes.
test("axe: the backlink lists opened, in all five themes", async () => {
  for (const theme of THEMES) {
    const context = await openContext(site.browser, { theme, viewport: DESKTOP });
    try {
      const page = await context.newPage();
      const found = [];
      for (const path of ["references.html", "glossary.html"]) {
        await page.goto(site.server.url(path));
        const opened = await page.evaluate(() => {
          const all = [...document.querySelectorAll(".gloss-backrefs details")];
          for (const d of all) d.open = true;
          return all.length;
        });
        assert.ok(opened > 0, `${path}: no backlink list long enough to collapse`);
        found.push(...(await axe(page, COLOUR_RULES)).map((v) => explain(`${path} (${theme})`, v)));
      }
      assert.deepEqual(found, []);
    } finally {
      await context.close();
    }
  }
});

// a11y.js adds a "Skip to content" link: the first Tab stop, shown when
// focused, and Enter on it puts focus on the content, so the next Tab is the
// chapter's first link instead of the sidebar's forty.
for (const viewport of [DESKTOP, PHONE]) {
  test(`the first Tab stop is a visible "Skip to content" link to the chapter (${viewport.width} px)`, async () => {
    const context = await openContext(site.browser, { viewport });
    try {
      const page = await context.newPage();
      await page.goto(site.server.url("decision-2/isoflop.html"));
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => {
        const el = document.activeElement;
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        return {
          text: el.textContent,
          tag: el.tagName,
          visible: r.width > 40 && r.height >= 24 && r.top >= 0 && r.left >= 0 && s.visibility === "visible" && s.opacity === "1",
          // Not hidden under anything: the element at its centre is itself.
          onTop: document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2) === el,
        };
      });
      assert.deepEqual(focused, { text: "Skip to content", tag: "A", visible: true, onTop: true });
      await page.keyboard.press("Enter");
      assert.ok(
        await page.evaluate(() => document.activeElement === document.getElementById("mdbook-content")),
        "Enter on the skip link did not move focus to the content",
      );
      assert.equal(page.url(), site.server.url("decision-2/isoflop.html"), "the skip link changed the address");
      await page.keyboard.press("Tab");
      const next = await page.evaluate(() => ({
        inMain: Boolean(document.activeElement.closest("main")),
        first: document.activeElement === document.querySelector("main a[href]"),
      }));
      assert.deepEqual(next, { inMain: true, first: true }, "the next Tab is not the chapter's first link");
    } finally {
      await context.close();
    }
  });
}

// Without JavaScript the published pages have the same link, in their HTML
// (`cargo xtask build`, xtask/src/chrome.rs): the first Tab stop, shown when
// focused; Enter goes to the content, and the next Tab is the chapter's first
// link. The table of contents is then mdBook's <noscript> frame, which has a
// title (WCAG 4.1.2).
for (const viewport of [DESKTOP, PHONE]) {
  test(`without JavaScript too, the first Tab stop skips to the chapter (${viewport.width} px)`, async () => {
    const context = await openContext(site.browser, { viewport, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(site.server.url("decision-2/isoflop.html"));
      assert.equal(await page.locator("iframe.sidebar-iframe-outer").getAttribute("title"), "Table of contents");
      await page.keyboard.press("Tab");
      const skip = page.locator("a.a11y-skip-link");
      assert.ok(await skip.evaluate((el) => el === document.activeElement), "the first Tab stop is not the skip link");
      assert.equal(await skip.textContent(), "Skip to content");
      const box = await skip.boundingBox();
      assert.ok(box && box.width > 40 && box.height >= 24 && box.x >= 0 && box.y >= 0, `the focused link is not on screen: ${JSON.stringify(box)}`);
      await page.keyboard.press("Enter");
      await page.waitForURL((url) => url.hash === "#mdbook-content");
      await page.keyboard.press("Tab");
      assert.ok(
        await page.evaluate(() => document.activeElement === document.querySelector("main a[href]")),
        "the Tab after the skip link is not the chapter's first link",
      );
    } finally {
      await context.close();
    }
  });
}

// The ledger is one click or tap away from every page: a link in the menu bar
// (a11y.js), at least 24 px square, named for screen readers; it lands on the
// ledger with the first claims' verdicts on the first screen. On the home
// page the tally links there too, on its first screen.
for (const viewport of [DESKTOP, PHONE]) {
  test(`a claim's verdict is one click from the home page and the menu bar (${viewport.width} px)`, async () => {
    const context = await openContext(site.browser, { viewport, hasTouch: viewport === PHONE, isMobile: viewport === PHONE });
    try {
      const page = await context.newPage();
      const verdictOnScreen = () =>
        page.evaluate(() => {
          const badge = document.querySelector(".gloss-ledger tbody .gloss-verdict-badge");
          const r = badge?.getBoundingClientRect();
          return Boolean(r && r.width > 0 && r.top >= 0 && r.bottom <= innerHeight && r.left >= 0 && r.right <= innerWidth);
        });
      for (const from of ["index.html", "decision-2/isoflop.html"]) {
        await page.goto(site.server.url(from));
        const link = page.locator("#mdbook-menu-bar a.a11y-ledger-link");
        assert.equal(await link.getAttribute("aria-label"), "Claims ledger");
        const box = await link.boundingBox();
        assert.ok(box && box.width >= 24 && box.height >= 24 && box.y >= 0 && box.x + box.width <= viewport.width, `${from}: the menu bar's ledger link: ${JSON.stringify(box)}`);
        await (viewport === PHONE ? link.tap() : link.click());
        await page.waitForURL((url) => url.pathname.endsWith("/ledger.html"));
        assert.equal(await page.locator("#mdbook-menu-bar a.a11y-ledger-link").getAttribute("aria-current"), "page");
        assert.ok(await verdictOnScreen(), `from ${from}: no verdict on the ledger's first screen`);
      }
      // The home page's tally, on its first screen, leads there too.
      await page.goto(site.server.url("index.html"));
      const tally = page.locator("main .gloss-tally a").first();
      const box = await tally.boundingBox();
      assert.ok(box && box.y >= 0 && box.y + box.height <= viewport.height, `the tally's link is not on the first screen: ${JSON.stringify(box)}`);
      await (viewport === PHONE ? tally.tap() : tally.click());
      await page.waitForURL((url) => url.pathname.endsWith("/ledger.html"));
      assert.ok(await verdictOnScreen(), "from the tally: no verdict on the ledger's first screen");
    } finally {
      await context.close();
    }
  });
}

// theme/head.hbs gives toc.html the <title> mdBook 0.5.4 leaves out. The
// <noscript><iframe> that loads it gets its title attribute from
// `cargo xtask build` (chrome.rs): we copy no mdBook theme files.
// The frame has no script of its own, so axe (which needs JavaScript to run)
// sees what a reader without JavaScript sees; and no theme switching, so it
// is always in the default theme.
test("axe: toc.html, the sidebar frame shown without JavaScript", async () => {
  const context = await openContext(site.browser, { viewport: DESKTOP });
  const page = await context.newPage();
  try {
    await page.goto(site.server.url("toc.html"));
    assert.match(await page.title(), /^Contents · /);
    const serious = (await axe(page)).filter((v) => v.impact === "serious" || v.impact === "critical");
    assert.deepEqual(serious.map((v) => explain("toc.html", v)), []);
  } finally {
    await context.close();
  }
});

function printSummary() {
  const header = ["theme", "size", "checked", ...IMPACTS, "s", "rules"];
  const rows = summary.map((s) => [
    s.theme,
    s.size,
    s.which,
    ...IMPACTS.map((i) => String(s.counts[i])),
    s.seconds.toFixed(1),
    s.rules.join(", ") || "-",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (i === header.length - 1 ? 0 : r[i].length))));
  const line = (cells) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  const out = [
    "",
    `axe-core violations (element counts by impact) on ${pages.length} pages:`,
    line(header),
    ...rows.map(line),
    "",
  ];
  process.stderr.write(out.join("\n") + "\n");
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, "axe-summary.txt"), out.join("\n").trimStart() + "\n");
}
