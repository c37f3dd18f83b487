// Shared by every *.test.mjs here: serves the built site under its GitHub
// Pages sub-path, launches Debian's Chromium through playwright-core, and opens
// pages in a chosen mdBook theme and viewport.
//
// Environment (set by `cargo xtask browser`):
//   CHROMIUM_PATH  the Chromium binary
//   SITE_DIR       a built site (target/xtask/site-a or book/)
//   SITE_PREFIX    the sub-path it is served from, e.g. /llama-3-1-annotated/
import { createServer } from "node:http";
import { after, before } from "node:test";
import { readFile, readdir, stat } from "node:fs/promises";
import { extname, join, normalize, relative, sep } from "node:path";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";

export const THEMES = ["light", "rust", "coal", "navy", "ayu"];
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

function env(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set; run the suite with \`cargo xtask browser\``);
  }
  return value;
}

export const SITE_DIR = env("SITE_DIR");
export const PREFIX = (() => {
  let p = env("SITE_PREFIX");
  if (!p.startsWith("/")) p = "/" + p;
  return p.endsWith("/") ? p : p + "/";
})();
export const ARTIFACTS = join(import.meta.dirname, "artifacts");

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".txt": "text/plain; charset=utf-8",
};

// What GitHub Pages sends gzipped (text), when the browser accepts it.
const COMPRESSIBLE = /^(text\/|application\/json|image\/svg)/;

/**
 * Serves SITE_DIR (or `dir`) under PREFIX (or `prefix`) on 127.0.0.1, an
 * ephemeral port, as GitHub Pages would. With `gzip`, text is sent gzipped as
 * GitHub Pages sends it: the Lighthouse test's simulated network charges for
 * the bytes transferred.
 */
export async function startServer({ dir = SITE_DIR, prefix = PREFIX, gzip = false } = {}) {
  const root = normalize(dir);
  const server = createServer(async (req, res) => {
    const send = (status, body, type) => {
      const headers = { "content-type": type, "cache-control": "no-store" };
      if (gzip && COMPRESSIBLE.test(type) && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "")) {
        body = gzipSync(body);
        headers["content-encoding"] = "gzip";
        headers["vary"] = "accept-encoding";
      }
      res.writeHead(status, headers);
      res.end(req.method === "HEAD" ? undefined : body);
    };
    const url = new URL(req.url, "http://localhost");
    let path;
    try {
      path = decodeURIComponent(url.pathname);
    } catch {
      return send(400, "bad request", "text/plain");
    }
    if (!path.startsWith(prefix)) return send(404, "not under the site prefix", "text/plain");
    let file = normalize(join(root, path.slice(prefix.length)));
    if (file !== root && !file.startsWith(root + sep)) return send(403, "forbidden", "text/plain");
    try {
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      return send(200, body, TYPES[extname(file)] ?? "application/octet-stream");
    } catch {
      // GitHub Pages answers an unknown path with the site's 404.html.
      try {
        return send(404, await readFile(join(root, "404.html")), TYPES[".html"]);
      } catch {
        return send(404, "not found", "text/plain");
      }
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${server.address().port}${prefix}`;
  return { base, url: (page) => base + page, close: () => new Promise((r) => server.close(r)) };
}

/** Every HTML page of the built site, as paths relative to its root ("decision-2/isoflop.html"). */
export async function htmlPages() {
  const out = [];
  async function walk(dir) {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name.endsWith(".html")) out.push(relative(SITE_DIR, full).split(sep).join("/"));
    }
  }
  await walk(SITE_DIR);
  return out.sort();
}

export async function launch() {
  return chromium.launch({
    executablePath: env("CHROMIUM_PATH"),
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/**
 * The served site and a Chromium for the test file that calls this at its top
 * level: started before its first test, closed after its last (closing the
 * browser closes its contexts). `setup` runs once both are up; a file's own
 * top-level `before` would not wait for them, as node:test starts root hooks
 * together. Other options go to startServer.
 */
export function useSite({ setup, ...serverOptions } = {}) {
  const site = { server: null, browser: null };
  before(async () => {
    site.server = await startServer(serverOptions);
    site.browser = await launch();
    await setup?.();
  });
  after(async () => {
    await site.browser?.close();
    await site.server?.close();
  });
  return site;
}

/**
 * Waits until the loaded page has nothing left to fetch that a reader would
 * see: the load event (style sheets, scripts, preloads, the sidebar frame
 * without JavaScript), every web font the text uses, and every image. A
 * condition, not a time: Playwright's network-idle wait is 500 ms of quiet,
 * a fixed sleep and a guess at once.
 */
export async function settled(page) {
  await page.waitForLoadState("load");
  // Lay the page out now, so that it has asked for every font the text needs
  // (with JavaScript off too: no animation frames then), then wait until
  // those have arrived and every image is in.
  await page.evaluate(() => document.documentElement.getBoundingClientRect());
  await page.waitForFunction(() => document.fonts.status === "loaded" && [...document.images].every((i) => i.complete));
}

/**
 * A browser context showing the book in `theme` (written to localStorage
 * before any page script runs) at `viewport`. Extra options go to newContext.
 */
export async function openContext(browser, { theme = "light", viewport = DESKTOP, ...options } = {}) {
  const context = await browser.newContext({
    viewport,
    reducedMotion: "reduce",
    colorScheme: "light",
    ...options,
  });
  await context.addInitScript((t) => {
    try {
      window.localStorage.setItem("mdbook-theme", t);
    } catch {
      // Pages without storage (about:blank) have no theme to set.
    }
  }, theme);
  return context;
}

/**
 * Records what would make a reader see a broken page: console errors,
 * uncaught exceptions, requests that failed, and responses with an error
 * status. Returns the live list.
 */
export function watchProblems(page) {
  const problems = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") {
      const where = msg.location()?.url;
      problems.push(`console error: ${msg.text()}${where ? ` (${where})` : ""}`);
    }
  });
  page.on("pageerror", (err) => problems.push(`uncaught: ${err.message}`));
  page.on("requestfailed", (req) => {
    const error = req.failure()?.errorText;
    // ERR_ABORTED is a cancellation, not a failure: Chromium fetches the tab's
    // icon after `load`, and the test's next navigation cancels it. A missing
    // file still shows as an error status below.
    if (error === "net::ERR_ABORTED") return;
    problems.push(`request failed: ${req.url()} (${error})`);
  });
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return problems;
}

// WCAG 2.x relative luminance and contrast ratio, for colours as computed
// styles give them ("rgb(r, g, b)" / "rgba(r, g, b, a)").
export function parseColor(css) {
  const m = css.match(/rgba?\(([^)]+)\)/);
  if (!m) throw new Error(`cannot parse colour ${css}`);
  const [r, g, b, a = 1] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
  return { r, g, b, a };
}

/** `top` composited over opaque `bottom`. */
export function over(top, bottom) {
  const a = top.a;
  return {
    r: top.r * a + bottom.r * (1 - a),
    g: top.g * a + bottom.g * (1 - a),
    b: top.b * a + bottom.b * (1 - a),
    a: 1,
  };
}

function luminance({ r, g, b }) {
  const lin = (c) => {
    c /= 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(fg, bg) {
  const [hi, lo] = [luminance(fg), luminance(bg)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
