// Performance budgets that do not depend on timing: what a page costs to load,
// counted rather than timed, so that a regression fails here every time and a
// busy machine never does. Lighthouse's scores, which do depend on timing, are
// printed and saved by lighthouse.test.mjs but not compared.
//
// The budgets, each with the value measured when it was set and the reason for
// it, are in budgets.json. Work that adds bytes or requests on purpose raises
// the budget in the same change and says why there.
//
// Measured per page:
// - html_gzip_bytes: the page's HTML gzipped as the test server (and GitHub
//   Pages) sends it. Lighthouse's simulated phone pays for every byte before
//   the first paint, and about 14.6 kB arrive in the first round trip.
// - render_blocking_requests: requests the browser marks render-blocking
//   (PerformanceResourceTiming.renderBlockingStatus), style sheets and scripts
//   in <head> that the first paint waits for.
// - font_files: the web fonts the page fetches; each Open Sans file is 41-44 kB
//   and text waits for it (mdBook's fonts.css sets no font-display). On the
//   pages budgets.json lists under preloaded_fonts_only, the files must be
//   exactly those theme/head.hbs preloads: one more is found late.
// And on every budgeted page, our scripts move nothing in the chapter's text
// (compared with the page laid out without them).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { DESKTOP, PHONE, SITE_DIR, openContext, settled, useSite } from "./helpers.mjs";

const BUDGETS = JSON.parse(readFileSync(join(import.meta.dirname, "budgets.json"), "utf8"));
const METRICS = ["html_gzip_bytes", "render_blocking_requests", "font_files"];

// The font files theme/head.hbs preloads, read from it (`{{ resource "fonts/…" }}`).
const PRELOADED_FONTS = [
  ...readFileSync(join(import.meta.dirname, "../../theme/head.hbs"), "utf8").matchAll(/resource "fonts\/([^"]+)"/g),
].map((m) => m[1]);

const site = useSite();

/** What the page costs, counted in a real load at a phone's size. */
async function measure(path) {
  const context = await openContext(site.browser, { viewport: PHONE, isMobile: true, hasTouch: true });
  try {
    const page = await context.newPage();
    await page.goto(site.server.url(path));
    await settled(page);
    const resources = await page.evaluate(() =>
      performance.getEntriesByType("resource").map((r) => ({ name: r.name, blocking: r.renderBlockingStatus })),
    );
    const fonts = resources
      .map((r) => new URL(r.name).pathname.split("/").pop())
      .filter((file) => /\.(woff2?|ttf|otf)$/.test(file))
      // mdBook names static files with a content hash: open-sans-…-700-1a2b3c4d.woff2.
      .map((file) => file.replace(/-[0-9a-f]{8}(\.\w+)$/, "$1"));
    return {
      html_gzip_bytes: gzipSync(readFileSync(join(SITE_DIR, path))).length,
      render_blocking_requests: resources.filter((r) => r.blocking === "blocking").length,
      font_files: fonts.length,
      fonts: [...new Set(fonts)].sort(),
      blocking: resources.filter((r) => r.blocking === "blocking").map((r) => new URL(r.name).pathname),
    };
  } finally {
    await context.close();
  }
}

test("budgets.json gives every budget a measured value and a reason", () => {
  assert.ok(Object.keys(BUDGETS.pages).length >= 3, "budgets.json budgets fewer than three pages");
  const { pages, reason } = BUDGETS.preloaded_fonts_only;
  assert.ok(pages.length > 0 && pages.every((p) => p in BUDGETS.pages), "preloaded_fonts_only names budgeted pages");
  assert.ok(typeof reason === "string" && reason.length > 20, "preloaded_fonts_only gives no reason");
  for (const [path, budgets] of Object.entries(BUDGETS.pages)) {
    assert.deepEqual(Object.keys(budgets).sort(), [...METRICS].sort(), `${path}: a budget for each of ${METRICS.join(", ")}`);
    for (const [metric, b] of Object.entries(budgets)) {
      assert.ok(Number.isInteger(b.budget) && Number.isInteger(b.measured), `${path} ${metric}: budget and measured are whole numbers`);
      assert.ok(b.measured <= b.budget, `${path} ${metric}: measured ${b.measured} is over its own budget ${b.budget}`);
      assert.ok(typeof b.reason === "string" && b.reason.length > 20, `${path} ${metric}: no reason given`);
    }
  }
});

for (const [path, budgets] of Object.entries(BUDGETS.pages)) {
  test(`budgets: ${path}`, async () => {
    const got = await measure(path);
    const over = METRICS.filter((m) => got[m] > budgets[m].budget).map(
      (m) => `  ${m}: ${got[m]}, budget ${budgets[m].budget} (measured ${budgets[m].measured} when set: ${budgets[m].reason})`,
    );
    const details = `render-blocking: ${got.blocking.join(", ")}\nfonts: ${got.fonts.join(", ")}`;
    console.error(`budgets ${path}: ${METRICS.map((m) => `${m} ${got[m]}/${budgets[m].budget}`).join(", ")}`);
    assert.deepEqual(over, [], `${path} is over budget:\n${over.join("\n")}\n${details}\n(raise a budget in budgets.json only with a reason)`);
    if (BUDGETS.preloaded_fonts_only.pages.includes(path)) {
      assert.deepEqual(got.fonts, [...PRELOADED_FONTS].sort(), `${path} fetches other font files than those theme/head.hbs preloads`);
    }
  });
}

/**
 * The layout of the chapter's text: every element in `main` that has a size,
 * as "tag left top width height" relative to `main`, outside code (mdBook's
 * highlight.js restyles it). Read once the page has settled.
 */
async function layout(context, path) {
  const page = await context.newPage();
  try {
    await page.goto(site.server.url(path));
    await settled(page);
    return await page.evaluate(() => {
      const main = document.querySelector("main").getBoundingClientRect();
      return [...document.querySelectorAll("main *")]
        .filter((el) => !el.closest("code, pre"))
        .map((el) => [el, el.getBoundingClientRect()])
        .filter(([, r]) => r.width > 0 && r.height > 0)
        .map(([el, r]) => {
          const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${typeof el.className === "string" && el.className ? `.${el.className.trim().split(/\s+/).join(".")}` : ""}`;
          return `${name} ${Math.round(r.left - main.left)} ${Math.round(r.top - main.top)} ${Math.round(r.width)} ${Math.round(r.height)}`;
        });
    });
  } finally {
    await page.close();
  }
}

/** The first few places where two layouts differ. */
function differences(a, b) {
  const out = [];
  for (let i = 0; i < Math.max(a.length, b.length) && out.length < 5; i++) {
    if (a[i] !== b[i]) out.push(`  mdBook's scripts only: ${a[i] ?? "(nothing)"}\n  and ours:              ${b[i] ?? "(nothing)"}`);
  }
  return out;
}

// A page paints before the scripts at the end of <body> have run, so whatever
// ours add to the chapter's text, or resize in it, moves what the reader is
// already looking at. Whether that shows as a layout shift depends on timing;
// whether our scripts change the layout at all does not. So each page is laid
// out twice, with mdBook's scripts alone and with ours too (book.toml's
// additional-js, served from preprocessor/assets/ and theme/), and every element of the text must be
// where it was. mdBook's own scripts run in both: highlight.js, for one,
// restyles inline code, which moves what follows it on the line.
const OUR_SCRIPTS = /\/(theme|preprocessor\/assets)\/[^/]+\.js$/;

async function withoutOurScripts(context) {
  await context.route(OUR_SCRIPTS, (route) => route.fulfill({ status: 200, contentType: "text/javascript", body: "" }));
  return context;
}

for (const [name, viewport] of [
  ["desktop", DESKTOP],
  ["phone", PHONE],
]) {
  test(`our scripts move nothing in the chapter's text once it has painted (${name})`, async () => {
    const without = await withoutOurScripts(await openContext(site.browser, { viewport }));
    const with_ = await openContext(site.browser, { viewport });
    try {
      const moved = [];
      for (const path of Object.keys(BUDGETS.pages)) {
        const diff = differences(await layout(without, path), await layout(with_, path));
        if (diff.length) moved.push(`${path}:\n${diff.join("\n")}`);
      }
      assert.deepEqual(moved, [], `our scripts changed the layout of the text:\n${moved.join("\n")}`);
    } finally {
      await without.close();
      await with_.close();
    }
  });
}

// The check above can fail: a script of ours that inserts content into the
// chapter is caught.
test("the layout comparison sees content a script inserts into the chapter", async () => {
  const path = Object.keys(BUDGETS.pages)[0];
  const without = await withoutOurScripts(await openContext(site.browser, { viewport: DESKTOP }));
  const with_ = await openContext(site.browser, { viewport: DESKTOP });
  await with_.addInitScript(() =>
    window.addEventListener("DOMContentLoaded", () => {
      const notice = document.createElement("p");
      notice.textContent = "Inserted by a script.";
      document.querySelector("main").prepend(notice);
    }),
  );
  try {
    assert.ok(differences(await layout(without, path), await layout(with_, path)).length > 0, "a paragraph inserted at the top of main went unseen");
  } finally {
    await without.close();
    await with_.close();
  }
});
