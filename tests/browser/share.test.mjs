// Sharing and search (xtask/src/share.rs, card.rs): the sitemap against the
// rules of the sitemaps.org 0.9 schema, and every page's link-preview
// metadata, read from the built site served under its sub-path.
//
// The schema's rules, written out here rather than the XSD vendored (its
// licence is not stated): the document is well-formed XML (Chromium's XML
// parser reads it, and reports any error); the root is <urlset> in the
// namespace http://www.sitemaps.org/schemas/sitemap/0.9; its children are
// <url> elements, at most 50,000 (the protocol's limit, the XSD leaves it
// open); each <url> holds, in this order, <loc> (required), <lastmod>,
// <changefreq>, <priority> (each optional, at most once), and elements of
// other namespaces only; <loc> is an absolute URL of 12 to 2,048 characters;
// <lastmod> a W3C datetime; <changefreq> one of always, hourly, daily,
// weekly, monthly, yearly, never; <priority> a decimal from 0.0 to 1.0. The
// protocol adds: a sitemap lists URLs under its own folder only, each once.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PREFIX, SITE_DIR, htmlPages, useSite } from "./helpers.mjs";

const NS = "http://www.sitemaps.org/schemas/sitemap/0.9";
// The configured origin, read where it is configured (book.toml).
const ORIGIN = readFileSync(join(import.meta.dirname, "../../book.toml"), "utf8").match(/^site-origin = "([^"]+)"/m)?.[1];
const ROOT_URL = `${ORIGIN}${PREFIX}`;
// Pages that are not content: mdBook's print.html (noindex), 404.html and the
// sidebar's frame toc.html get no metadata and no place in the sitemap.
const NOT_CONTENT = ["print.html", "404.html", "toc.html"];

const site = useSite();
let page;

/** `url` (absolute, on the published site) as the test server serves it. */
function local(url) {
  assert.ok(url.startsWith(ROOT_URL), `${url} is not under ${ROOT_URL}`);
  return site.server.url(url.slice(ROOT_URL.length));
}

async function browserPage() {
  if (!page) {
    page = await (await site.browser.newContext({ javaScriptEnabled: true })).newPage();
    await page.goto(site.server.url("404.html"));
  }
  return page;
}

/**
 * The sitemap's problems against the schema's rules (see the top of this
 * file), parsed by Chromium's XML parser. Returns { problems, locs }.
 */
async function checkSitemap(xml) {
  const p = await browserPage();
  return p.evaluate(
    ({ xml, NS }) => {
      const problems = [];
      const doc = new DOMParser().parseFromString(xml, "application/xml");
      const error = doc.querySelector("parsererror");
      if (error) return { problems: [`not well-formed XML: ${error.textContent}`], locs: [] };
      const root = doc.documentElement;
      if (root.localName !== "urlset" || root.namespaceURI !== NS) problems.push(`root is {${root.namespaceURI}}${root.localName}, not {${NS}}urlset`);
      const order = ["loc", "lastmod", "changefreq", "priority"];
      const freqs = ["always", "hourly", "daily", "weekly", "monthly", "yearly", "never"];
      const w3c = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?)?$/;
      const locs = [];
      const urls = [...root.childNodes].filter((n) => n.nodeType === Node.ELEMENT_NODE);
      if (urls.length > 50000) problems.push(`${urls.length} URLs, more than 50,000`);
      for (const node of [...root.childNodes]) {
        if (node.nodeType === Node.TEXT_NODE && node.textContent.trim()) problems.push(`text in <urlset>: ${node.textContent.trim()}`);
      }
      for (const url of urls) {
        if (url.localName !== "url" || url.namespaceURI !== NS) {
          problems.push(`<${url.localName}> in <urlset>: only <url>`);
          continue;
        }
        const kids = [...url.children].filter((k) => k.namespaceURI === NS);
        const names = kids.map((k) => k.localName);
        let last = -1;
        for (const name of names) {
          const at = order.indexOf(name);
          if (at < 0) problems.push(`<${name}> in <url>`);
          else if (at <= last) problems.push(`<${name}> out of order or repeated in <url>: ${names.join(", ")}`);
          last = Math.max(last, at);
        }
        if (names[0] !== "loc") {
          problems.push(`a <url> without <loc> first: ${names.join(", ")}`);
          continue;
        }
        for (const kid of kids) {
          const v = kid.textContent;
          if (kid.children.length) problems.push(`<${kid.localName}> holds elements`);
          if (kid.localName === "loc") {
            let ok = v.length >= 12 && v.length <= 2048;
            try {
              ok &&= new URL(v).href.length > 0 && /^https?:\/\//.test(v);
            } catch {
              ok = false;
            }
            if (!ok) problems.push(`<loc>${v}</loc> is not an absolute URL of 12 to 2,048 characters`);
            locs.push(v);
          }
          if (kid.localName === "lastmod" && !w3c.test(v)) problems.push(`<lastmod>${v}</lastmod> is not a W3C datetime`);
          if (kid.localName === "changefreq" && !freqs.includes(v)) problems.push(`<changefreq>${v}</changefreq>`);
          if (kid.localName === "priority" && !(/^(0(\.\d+)?|1(\.0+)?|\.\d+)$/.test(v))) problems.push(`<priority>${v}</priority> is not 0.0 to 1.0`);
        }
      }
      return { problems, locs };
    },
    { xml, NS },
  );
}

test("the schema check finds what the schema forbids", async () => {
  const wrap = (body, ns = NS) => `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="${ns}">${body}</urlset>`;
  const good = await checkSitemap(wrap("<url><loc>https://o.io/r/</loc><lastmod>2026-12-01</lastmod><priority>0.5</priority></url>"));
  assert.deepEqual(good.problems, []);
  for (const [bad, why] of [
    [wrap("<url><loc>https://o.io/r/</loc></url>", "http://www.google.com/schemas/sitemap/0.84"), /root is/],
    [wrap("<url><lastmod>2026-12-01</lastmod><loc>https://o.io/r/</loc></url>"), /out of order|without <loc> first/],
    [wrap("<url><loc>https://o.io/r/</loc><loc>https://o.io/r/b</loc></url>"), /repeated/],
    [wrap("<url><loc>/r/a.html</loc></url>"), /not an absolute URL/],
    [wrap("<url><loc>https://o.io/r/?a=1&b=2</loc></url>"), /not well-formed/],
    [wrap("<url><loc>https://o.io/r/</loc><changefreq>often</changefreq></url>"), /changefreq/],
    [wrap("<url><loc>https://o.io/r/</loc><priority>1.5</priority></url>"), /priority/],
    [wrap("<url><loc>https://o.io/r/</loc><lastmod>yesterday</lastmod></url>"), /W3C datetime/],
    [wrap("<page><loc>https://o.io/r/</loc></page>"), /only <url>/],
  ]) {
    const { problems } = await checkSitemap(bad);
    assert.ok(problems.some((p) => why.test(p)), `${bad}\n  gave ${JSON.stringify(problems)}`);
  }
});

test("sitemap.xml follows the sitemaps.org 0.9 schema and lists every content page once, under the site", async () => {
  assert.ok(ORIGIN, "book.toml sets no site-origin in [preprocessor.gloss]");
  const res = await fetch(site.server.url("sitemap.xml"));
  assert.equal(res.status, 200);
  const xml = await res.text();
  assert.ok(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n'), "an XML declaration in UTF-8 first");
  const { problems, locs } = await checkSitemap(xml);
  assert.deepEqual(problems, []);
  assert.equal(new Set(locs).size, locs.length, "each URL once");
  for (const loc of locs) assert.ok(loc.startsWith(ROOT_URL), `${loc}: a sitemap at ${ROOT_URL} may list only URLs under it`);
  // Every content page is listed, by its canonical URL (index.html and the
  // first chapter share the root's).
  const canonical = new Set();
  for (const path of (await htmlPages()).filter((p) => !NOT_CONTENT.includes(p))) {
    const html = readFileSync(join(SITE_DIR, path), "utf8");
    canonical.add(html.match(/<link rel="canonical" href="([^"]+)">/)?.[1]);
  }
  assert.deepEqual([...locs].sort(), [...canonical].sort());
  assert.equal(locs[0], ROOT_URL, "the root first");
  // No robots.txt: under a sub-path no crawler reads it.
  if (PREFIX !== "/") assert.equal((await fetch(site.server.url("robots.txt"))).status, 404);
});

test("every page: its own description, an absolute canonical URL equal to og:url, its title, a card image that is there", async () => {
  const p = await browserPage();
  const pages = await htmlPages();
  const metas = await p.evaluate(async (paths) => {
    const out = [];
    for (const path of paths) {
      const doc = new DOMParser().parseFromString(await (await fetch(path)).text(), "text/html");
      const meta = (key) => [...doc.head.querySelectorAll(`meta[property="${key}"], meta[name="${key}"]`)].map((m) => m.getAttribute("content"));
      // Its text as a description gives it: 10<sup>25</sup> as 10²⁵, x<sup>0.5</sup> as x^0.5.
      const scripted = (el) => {
        const sup = el.localName === "sup";
        const digits = sup ? "⁰¹²³⁴⁵⁶⁷⁸⁹" : "₀₁₂₃₄₅₆₇₈₉";
        const t = el.textContent.trim();
        const m = [...t].map((c) => (/[0-9]/.test(c) ? digits[c] : /[-−]/.test(c) ? (sup ? "⁻" : "₋") : c === "+" ? (sup ? "⁺" : "₊") : null));
        return t && !m.includes(null) ? m.join("") : (sup ? "^" : "_") + t;
      };
      const text = (p) => {
        const copy = p.cloneNode(true);
        for (const s of copy.querySelectorAll("sup, sub")) s.replaceWith(scripted(s));
        return copy.textContent.replace(/\s+/g, " ").trim();
      };
      const first = [...doc.querySelectorAll("main > p:not([class])")].map(text).find(Boolean) ?? null;
      out.push({
        path,
        title: doc.title,
        canonical: [...doc.querySelectorAll('link[rel="canonical"]')].map((l) => [l.getAttribute("href"), l.parentElement.localName]),
        descriptions: meta("description"),
        og: Object.fromEntries(["og:type", "og:site_name", "og:title", "og:description", "og:url", "og:image", "og:image:width", "og:image:height", "og:image:alt", "twitter:card"].map((k) => [k, meta(k)])),
        first,
      });
    }
    return out;
  }, pages.map((path) => site.server.url(path)));
  const problems = [];
  const byUrl = new Map();
  const images = new Set();
  for (const m of metas) {
    const path = m.path.slice(site.server.base.length);
    const oops = (what) => problems.push(`${path}: ${what}`);
    // HTML allows one; mdBook's toc.html (the sidebar's frame) has none.
    if (m.descriptions.length !== (path === "toc.html" ? 0 : 1)) oops(`${m.descriptions.length} <meta name="description">`);
    if (NOT_CONTENT.includes(path)) {
      if (m.canonical.length || m.og["og:url"].length) oops("metadata on a page that is not content");
      continue;
    }
    for (const [key, values] of Object.entries(m.og)) if (values.length !== 1) oops(`${values.length} ${key}`);
    const og = Object.fromEntries(Object.entries(m.og).map(([k, v]) => [k, v[0] ?? ""]));
    if (m.canonical.length !== 1 || m.canonical[0][1] !== "head") oops(`canonical links: ${JSON.stringify(m.canonical)}`);
    const canonical = m.canonical[0]?.[0] ?? "";
    if (!canonical.startsWith(ROOT_URL) || new URL(canonical).href !== canonical) oops(`canonical ${canonical} is not an absolute URL under ${ROOT_URL}`);
    if (og["og:url"] !== canonical) oops(`og:url ${og["og:url"]} is not the canonical ${canonical}`);
    const own = path === "index.html" || canonical === ROOT_URL ? ROOT_URL : ROOT_URL + path;
    if (canonical !== own) oops(`canonical ${canonical}, expected ${own}`);
    if (og["og:title"] !== m.title || !m.title) oops(`og:title "${og["og:title"]}" is not the title "${m.title}"`);
    const d = og["og:description"];
    const text = m.first ?? "";
    const ok = d.endsWith("…") ? d.length <= 160 && text.startsWith(d.slice(0, -1).trim()) : d === text;
    // The first paragraph Markdown wrote (a generated one, the claims strip, has a class).
    if (!text || !ok) oops(`og:description "${d}" is not the first paragraph "${text.slice(0, 200)}"`);
    if (og["og:type"] !== (canonical === ROOT_URL ? "website" : "article")) oops(`og:type ${og["og:type"]}`);
    if (og["twitter:card"] !== "summary_large_image") oops(`twitter:card ${og["twitter:card"]}`);
    if (og["og:image:width"] !== "1200" || og["og:image:height"] !== "630" || !og["og:image:alt"]) oops("og:image size or alt missing");
    images.add(og["og:image"]);
    if (!byUrl.has(canonical)) byUrl.set(canonical, new Set());
    byUrl.get(canonical).add(d);
  }
  assert.deepEqual(problems, []);
  // Own descriptions: one per canonical URL, and pages differ.
  for (const [url, ds] of byUrl) assert.equal(ds.size, 1, `${url} has descriptions ${[...ds]}`);
  const all = [...byUrl.values()].map((s) => [...s][0]);
  assert.equal(new Set(all).size, all.length, `two pages share a description: ${all.filter((d, i) => all.indexOf(d) !== i)}`);
  // The card: one image for the site, there, a 1200×630 PNG.
  assert.equal(images.size, 1, [...images].join(", "));
  const res = await fetch(local([...images][0]));
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "image/png");
  const png = Buffer.from(await res.arrayBuffer());
  assert.equal(png.subarray(1, 4).toString(), "PNG");
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [1200, 630]);
});
