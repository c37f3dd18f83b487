// The one popover gloss.js shows for glossary callouts and for previews of
// cross-references and citations, as the browser tests see it
// (callouts.test.mjs, previews.test.mjs).
import assert from "node:assert/strict";

/** Text as compared here: whitespace collapsed, typographic quotes made plain. */
export const norm = (s) =>
  s
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\s+/g, " ")
    .trim();

/** What the reader sees of the popover. */
export function popover(page) {
  return page.evaluate(() => {
    const pop = document.getElementById("gloss-popover");
    if (!pop) return { exists: false, visible: false, text: "" };
    const style = getComputedStyle(pop);
    const r = pop.getBoundingClientRect();
    const visible = style.display !== "none" && style.visibility !== "hidden" && r.width > 0 && r.height > 0;
    return {
      exists: true,
      visible,
      text: pop.textContent,
      rect: { left: r.left, top: r.top, right: r.right, bottom: r.bottom },
      overflows: pop.scrollWidth > pop.clientWidth + 1,
      viewport: { width: document.documentElement.clientWidth, height: window.innerHeight },
    };
  });
}

/** Asserts that the popover `p` (from `popover(page)`) lies inside the viewport and its text fits its box. */
export function assertInsideViewport(p, what) {
  const where = `${what}: popover at ${JSON.stringify(p.rect)} in ${JSON.stringify(p.viewport)}`;
  assert.ok(p.rect.left >= 0 && p.rect.top >= 0, where);
  assert.ok(p.rect.right <= p.viewport.width && p.rect.bottom <= p.viewport.height, where);
  assert.ok(!p.overflows, `${where}: its text overflows the box`);
}

export async function waitForPopover(page, { visible, includes = "" }, timeout = 2000) {
  try {
    await page.waitForFunction(
      ([visible, includes]) => {
        const pop = document.getElementById("gloss-popover");
        if (!pop) return !visible;
        const shown = getComputedStyle(pop).display !== "none" && pop.getBoundingClientRect().width > 0;
        const norm = (s) => s.replace(/[\u201c\u201d]/g, '"').replace(/[\u2018\u2019]/g, "'").replace(/\s+/g, " ").trim();
        return visible ? shown && norm(pop.textContent).includes(norm(includes)) : !shown;
      },
      [visible, includes],
      { timeout, polling: "raf" },
    );
  } catch {
    const now = await popover(page);
    assert.fail(
      `expected the popover ${visible ? `to show "${includes}"` : "to be hidden"}; ` +
        `it is ${now.visible ? `showing "${norm(now.text)}"` : "hidden"}`,
    );
  }
}

/** A new page in `context` whose timers run only when the test runs them (page.clock). */
export async function clockedPage(context) {
  const page = await context.newPage();
  // Any fixed time will do; pauseAt only moves forward from install's.
  await page.clock.install({ time: new Date("2024-07-23T00:00:00Z") });
  await page.clock.pauseAt(new Date("2024-07-23T00:00:01Z"));
  return page;
}

/** Centre of the first line box of an inline element (a term may wrap). */
export function firstLineCentre(locator) {
  return locator.evaluate((el) => {
    const r = el.getClientRects()[0];
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  });
}

/** A point over nothing interactive: the bottom-right corner of the window. */
export async function pointerAway(page) {
  const { width, height } = page.viewportSize();
  await page.mouse.move(width - 4, height - 4, { steps: 2 });
}

/** Tab onto a term the way a keyboard user does: from the focusable element before it. */
export async function tabOnto(page, locator) {
  await locator.evaluate((el) => {
    const focusable = [...document.querySelectorAll("a[href], button, input, select, textarea, [tabindex]")].filter(
      (e) => e.tabIndex >= 0 && !e.disabled && e.getClientRects().length > 0,
    );
    const before = focusable[focusable.indexOf(el) - 1];
    if (before) before.focus();
  });
  await page.keyboard.press("Tab");
  assert.ok(await locator.evaluate((el) => document.activeElement === el), "Tab did not reach the link");
}
