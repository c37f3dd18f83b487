// Lighthouse 12.2.3 on the home page and one chapter, in its default form
// factor (a phone) and throttling (simulated), three runs each, against the
// same pages built by plain mdBook: the same book.toml and src/ without our
// preprocessor, CSS, JavaScript or theme partial (PLAIN_SITE_DIR, built by
// xtask). The runs alternate, ours then plain, so that load from anything else
// on the machine falls on both alike.
//
// Accessibility, best practices and SEO must score 100 on every run of ours,
// not only the median: they do not depend on timing, so a run that loses
// points has found something. Our median performance score must be no lower
// than plain mdBook's. Prints every score, and writes a summary and the median
// runs' reports to artifacts/.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import lighthouse from "lighthouse";
import { launch } from "chrome-launcher";
import { ARTIFACTS, startServer } from "./helpers.mjs";

const PAGES = { home: "index.html", chapter: "decision-1/dense-vs-moe.html" };
const RUNS = 3;
// The font files theme/head.hbs preloads, read from it (`{{ resource
// "fonts/…" }}`); a page that needs another one waits for 41-44 kB more before
// it paints (see below).
const PRELOADED_FONTS = [...readFileSync(join(import.meta.dirname, "../../theme/head.hbs"), "utf8").matchAll(/resource "fonts\/([^"]+)"/g)]
  .map((m) => m[1])
  .sort();
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const PERFECT = ["accessibility", "best-practices", "seo"];
const METRICS = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index"];

// What the performance comparison taught us (medians of three on this
// machine, 2 shared cores; single runs vary by up to 10 points):
// - Lighthouse's simulated phone (150 ms round trips, 1.6 Mbit/s) pays for
//   every byte the page fetches before its largest paint, and on loopback
//   everything a page asks for arrives before that paint: the stylesheets,
//   the scripts at the end of <body>, and every font file the text uses.
// - mdBook's fonts.css sets no font-display, so text waits for its fonts, and
//   the browser finds them late, once every style sheet is in. theme/head.hbs
//   preloads the regular and bold Open Sans (chapter 85-90 to 89-92).
// - Each further Open Sans file is 41-44 kB. Plain mdBook fetches a third, the
//   light weight, for the menu bar's title alone; our claim cards and a
//   figure's "not checked" label fetched a fourth, the italic. Both are gone
//   (theme/a11y.css, theme/gloss.css, figure-bar.html): chapter 95-96 against
//   plain's 94, home 97 against 96. The test below checks the fonts exactly.

// chrome-launcher adds Lighthouse's own flags and a fresh --user-data-dir (a
// new temporary folder per launch, removed when Chromium is killed). These are
// the ones this suite always passes: without the background-networking ones a
// closed network refuses Chromium's own requests; we run as root, so no sandbox.
const CHROMIUM_FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function env(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run the suite with \`cargo xtask browser\``);
  return value;
}
const CHROMIUM = env("CHROMIUM_PATH");
const PLAIN_SITE_DIR = env("PLAIN_SITE_DIR");

let servers;
const measured = new Map();
const table = [];
const summary = { lighthouse: null, browser: null, pages: {} };

before(async () => {
  // Gzipped, as GitHub Pages sends it: the simulated network charges for the
  // bytes transferred, and mdBook's highlight.js alone is 137 kB uncompressed.
  servers = {
    ours: await startServer({ gzip: true }),
    plain: await startServer({ dir: PLAIN_SITE_DIR, gzip: true }),
  };
  mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await servers?.ours.close();
  await servers?.plain.close();
  if (table.length) {
    process.stderr.write(["", "Lighthouse scores (mobile, simulated throttling):", ...formatTable(), ""].join("\n") + "\n");
    writeFileSync(join(ARTIFACTS, "lighthouse-summary.json"), JSON.stringify(summary, null, 2) + "\n");
  }
});

/** One Lighthouse run in a Chromium of its own, as its CLI does it. */
async function audit(url) {
  const chrome = await launch({ chromePath: CHROMIUM, chromeFlags: CHROMIUM_FLAGS, logLevel: "silent" });
  try {
    const result = await lighthouse(url, { port: chrome.port, output: "html", logLevel: "error", onlyCategories: CATEGORIES });
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    const error = result.lhr.runtimeError;
    if (error) throw new Error(`Lighthouse could not audit ${url}: ${error.code} ${error.message}`);
    return result;
  } finally {
    await chrome.kill();
  }
}

// A category with an audit that errored has no score (null): counted as 0, and
// lostPoints says which audit it was.
const scores = (lhr) => Object.fromEntries(CATEGORIES.map((c) => [c, Math.round((lhr.categories[c].score ?? 0) * 100)]));

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** The run whose performance score is the median (its report is kept). */
function medianRun(runs) {
  const m = median(runs.map((r) => r.scores.performance));
  return runs.find((r) => r.scores.performance === m);
}

/** The weighted audits that cost `category` points in `lhr`, with their first few items. */
function lostPoints(lhr, category) {
  return lhr.categories[category].auditRefs
    .filter((ref) => ref.weight > 0)
    .map((ref) => lhr.audits[ref.id])
    .filter((a) => a.scoreDisplayMode === "error" || (a.score !== null && a.score < 1))
    .map((a) => {
      const items = (a.details?.items ?? [])
        .slice(0, 3)
        .map((item) => `      ${JSON.stringify(item.node?.selector ?? item.source ?? item.url ?? item.value ?? item).slice(0, 200)}`);
      const what = a.scoreDisplayMode === "error" ? `errored: ${a.errorMessage}` : (a.displayValue ?? "");
      return [`    ${a.id}: ${a.title}${what ? ` (${what})` : ""}`, ...items].join("\n");
    });
}

/** Runs Lighthouse on `path`, ours and plain alternately, once per page for both tests. */
function measure(name, path) {
  if (!measured.has(path)) measured.set(path, measureNow(name, path));
  return measured.get(path);
}

async function measureNow(name, path) {
  const runs = { ours: [], plain: [] };
  for (let i = 0; i < RUNS; i++) {
    for (const site of ["ours", "plain"]) {
      const started = Date.now();
      const { lhr, report } = await audit(servers[site].url(path));
      summary.lighthouse = lhr.lighthouseVersion;
      summary.browser = lhr.environment.hostUserAgent;
      runs[site].push({ lhr, report, scores: scores(lhr), seconds: (Date.now() - started) / 1000 });
    }
  }
  const medians = {};
  summary.pages[path] = {};
  for (const site of ["ours", "plain"]) {
    medians[site] = Object.fromEntries(CATEGORIES.map((c) => [c, median(runs[site].map((r) => r.scores[c]))]));
    const file = `lighthouse-${name}-${site}.html`;
    writeFileSync(join(ARTIFACTS, file), medianRun(runs[site]).report);
    summary.pages[path][site] = {
      runs: runs[site].map((r) => ({
        scores: r.scores,
        seconds: r.seconds,
        metrics: Object.fromEntries(METRICS.map((id) => [id, r.lhr.audits[id]?.numericValue])),
        // Diagnostics that errored (none of them scored). With Chromium 156,
        // Lighthouse 12.2.3's trace reading fails for a few (frame_sequence).
        errored: Object.values(r.lhr.audits).filter((a) => a.scoreDisplayMode === "error").map((a) => a.id),
      })),
      median: medians[site],
      report: file,
    };
    runs[site].forEach((r, i) => table.push([name, site, `run ${i + 1}`, r.scores, `${r.seconds.toFixed(0)} s`]));
    table.push([name, site, "median", medians[site], ""]);
  }
  return { runs, medians };
}

for (const [name, path] of Object.entries(PAGES)) {
  test(`Lighthouse, ${name} (${path}): accessibility, best practices and SEO 100 on every run`, async () => {
    const { runs } = await measure(name, path);
    const failures = [];
    for (const [i, run] of runs.ours.entries()) {
      for (const category of PERFECT) {
        if (run.scores[category] < 100) {
          failures.push(`  run ${i + 1}: ${category} ${run.scores[category]}\n${lostPoints(run.lhr, category).join("\n")}`);
        }
      }
    }
    assert.deepEqual(failures, [], `${path} lost points:\n${failures.join("\n")}`);
  });

  test(`Lighthouse, ${name} (${path}): the page fetches no font files but those theme/head.hbs preloads`, async () => {
    const { runs } = await measure(name, path);
    for (const [i, run] of runs.ours.entries()) {
      const fonts = run.lhr.audits["network-requests"].details.items
        .filter((r) => r.resourceType === "Font")
        .map((r) => new URL(r.url).pathname.split("/").pop().replace(/-[0-9a-f]{8}\.woff2$/, ".woff2"))
        .sort();
      assert.deepEqual(fonts, PRELOADED_FONTS, `run ${i + 1} of ${path} fetched these font files`);
    }
  });

  test(`Lighthouse, ${name} (${path}): median performance no lower than plain mdBook's`, async () => {
    const { runs, medians } = await measure(name, path);
    assert.ok(
      medians.ours.performance >= medians.plain.performance,
      `${path}: median performance ${medians.ours.performance}, plain mdBook's ${medians.plain.performance}\n` +
        lostPoints(medianRun(runs.ours).lhr, "performance").join("\n"),
    );
  });
}

function formatTable() {
  const header = ["page", "site", "run", ...CATEGORIES, "time"];
  const rows = table.map(([page, site, run, s, time]) => [page, site, run, ...CATEGORIES.map((c) => String(s[c])), time]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join("  ").trimEnd();
  return [line(header), ...rows.map(line)];
}
