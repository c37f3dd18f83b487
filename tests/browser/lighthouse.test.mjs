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
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import lighthouse from "lighthouse";
import { launch } from "chrome-launcher";
import { ARTIFACTS, startServer } from "./helpers.mjs";

const PAGES = { home: "index.html", chapter: "decision-1/dense-vs-moe.html" };
const RUNS = 3;
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const PERFECT = ["accessibility", "best-practices", "seo"];
const METRICS = ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index"];

// Not reliably met on the chapter; the test runs, prints and fails as a todo.
// Medians seen on this machine (2 shared cores): before theme/head.hbs
// preloaded the two main fonts, home 90-96 against plain's 91-95 and chapter
// 85-90 against 91-94; with the preload, home 94-95 against 93-94 and chapter
// 89-92 against 94-95 (three runs). What we found:
// - Single runs vary by up to 10 points. mdBook's fonts.css sets no
//   font-display, so text waits for the web fonts; our three extra style
//   sheets made the browser find the fonts about 400 ms later than on plain
//   mdBook (throttled trace), hence the preload.
// - Our chapter's largest paint still comes 450-600 ms after its first paint
//   (plain's comes with it). Its first response is 40% larger than plain's
//   (14.3 kB gzipped against 10.1 kB: the figure's inline SVG, the
//   definitions in the terms list, the claim cards, whose italic text needs a
//   fourth font file).
const PERFORMANCE_TODO = "the chapter's median was 2 to 6 points below plain mdBook's in our runs; see the comment at PERFORMANCE_TODO";

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

  test(`Lighthouse, ${name} (${path}): median performance no lower than plain mdBook's`, { todo: PERFORMANCE_TODO }, async () => {
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
