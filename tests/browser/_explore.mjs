import { readFile } from "node:fs/promises";
import { startServer, launch, openContext, htmlPages, THEMES, DESKTOP, PHONE, watchProblems } from "/work/main/tests/browser/helpers.mjs";
const axe = await readFile("/work/main/tests/browser/node_modules/axe-core/axe.min.js", "utf8");
const server = await startServer();
const browser = await launch();
const pages = await htmlPages();
const themes = process.argv[2] ? process.argv[2].split(",") : THEMES;
const sizes = process.argv[3] === "phone" ? [PHONE] : process.argv[3] === "desktop" ? [DESKTOP] : [DESKTOP, PHONE];
const only = process.argv[4] ? process.argv[4].split(",") : pages;
const t0 = Date.now();
const seen = new Map();
for (const theme of themes) for (const vp of sizes) {
  const t1 = Date.now();
  const ctx = await openContext(browser, { theme, viewport: vp });
  const page = await ctx.newPage();
  const probs = watchProblems(page);
  for (const p of only) {
    await page.goto(server.url(p));
    await page.evaluate(axe);
    const r = await page.evaluate(() => axe.run(document, { resultTypes: ["violations"] }));
    for (const v of r.violations) {
      const key = `${theme} ${vp.width} ${v.impact} ${v.id}`;
      const e = seen.get(key) ?? { n: 0, pages: new Set(), ex: v.nodes[0] };
      e.n += v.nodes.length; e.pages.add(p); seen.set(key, e);
    }
  }
  if (probs.length) console.log("PROBLEMS", theme, vp.width, probs);
  console.log(theme, vp.width, (Date.now() - t1) / 1000);
  await ctx.close();
}
console.log("total", (Date.now() - t0) / 1000);
for (const [k, e] of seen) console.log(k, e.n, [...e.pages].length, "pages;", e.ex.target.join(" "), "|", e.ex.failureSummary.replace(/\n/g, " ").slice(0, 300), "|", e.ex.html.slice(0,150));
await browser.close(); await server.close();
