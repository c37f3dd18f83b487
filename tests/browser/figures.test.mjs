// The four figures as a reader sees them, in every theme, on a desktop and a
// phone: drawn, inside the content column, and with text that meets 4.5:1
// against the page (SVG text is filled from the theme's custom properties).
import { test } from "node:test";
import assert from "node:assert/strict";
import { DESKTOP, PHONE, THEMES, contrast, openContext, over, parseColor, useSite } from "./helpers.mjs";

const PAGES = ["decision-1/dense-vs-moe.html", "decision-2/infrastructure.html", "decision-2/isoflop.html", "decision-3/reward-model.html"];
const site = useSite();

for (const theme of THEMES) {
  test(`figures are drawn, fit and are legible (${theme})`, async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const context = await openContext(site.browser, { theme, viewport });
      const page = await context.newPage();
      for (const path of PAGES) {
        await page.goto(site.server.url(path));
        const figures = await page.evaluate(() => {
          // The first opaque background behind an element, as the reader sees it.
          const behind = (el) => {
            for (; el; el = el.parentElement) {
              const c = getComputedStyle(el).backgroundColor;
              if (c !== "transparent" && !/rgba\(.*,\s*0\)$/.test(c)) return c;
            }
            return "rgb(255, 255, 255)";
          };
          return [...document.querySelectorAll("main figure.gloss-figure")].map((fig) => {
            const svg = fig.querySelector("svg.gloss-fig-svg");
            const box = svg.getBoundingClientRect();
            const main = document.querySelector("main").getBoundingClientRect();
            const texts = [...svg.querySelectorAll("text")].map((t) => ({
              text: t.textContent,
              fill: getComputedStyle(t).fill,
              size: parseFloat(getComputedStyle(t).fontSize) * (box.width / svg.viewBox.baseVal.width),
            }));
            return {
              id: fig.id,
              width: box.width,
              height: box.height,
              left: box.left,
              right: box.right,
              mainLeft: main.left,
              mainRight: main.right,
              viewport: document.documentElement.clientWidth,
              shapes: svg.querySelectorAll("path, rect, line, polyline, circle").length,
              texts,
              bg: behind(svg),
              title: svg.querySelector("title")?.textContent ?? "",
              table: fig.querySelectorAll("details table tbody tr").length,
            };
          });
        });
        assert.equal(figures.length, 1, `${path}: one figure`);
        for (const f of figures) {
          const where = `${path} #${f.id} (${theme}, ${viewport.width}px)`;
          assert.ok(f.width > 200 && f.height > 100, `${where}: drawn at ${f.width}×${f.height}`);
          assert.ok(f.shapes > 5 && f.texts.length > 3, `${where}: has shapes and labels`);
          assert.ok(f.left >= f.mainLeft - 1 && f.right <= Math.min(f.mainRight, f.viewport) + 1, `${where}: overflows its column`);
          assert.ok(f.title.length > 10 && f.table > 1, `${where}: has a title and a data table`);
          const bg = parseColor(f.bg);
          for (const t of f.texts) {
            const ratio = contrast(over(parseColor(t.fill), bg), bg);
            assert.ok(ratio >= 4.5, `${where}: "${t.text}" has contrast ${ratio.toFixed(2)}`);
          }
          if (viewport === PHONE) {
            const smallest = Math.min(...f.texts.map((t) => t.size));
            assert.ok(smallest >= 9, `${where}: text as small as ${smallest.toFixed(1)}px on a phone`);
          }
        }
      }
      await context.close();
    }
  });
}

// A figure's data table on a 390 px phone: four or five columns squeezed the
// Source column to a word a line and scrolled sideways. There each row is a
// block, each value after its column's name: no cell of three words or more
// takes as many lines as it has words, and nothing scrolls.
test("a figure's data table reads on a 390 px phone", async () => {
  const context = await openContext(site.browser, { viewport: PHONE });
  try {
    const page = await context.newPage();
    for (const path of PAGES) {
      await page.goto(site.server.url(path));
      const table = await page.evaluate(() => {
        const details = document.querySelector("main figure.gloss-figure details.gloss-fig-data");
        details.open = true;
        const t = details.querySelector("table");
        const wrapper = t.closest(".table-wrapper") ?? t.parentElement;
        const headers = [...t.tHead.rows[0].cells].map((c) => c.textContent.trim());
        const squeezed = [];
        for (const row of t.tBodies[0].rows) {
          for (const [i, cell] of [...row.cells].entries()) {
            const words = cell.textContent.trim().split(/\s+/).filter(Boolean).length;
            // Lines of text in the cell: its height over its line height (the label shares the first line).
            const lines = Math.round(cell.getBoundingClientRect().height / parseFloat(getComputedStyle(cell).lineHeight));
            if (words >= 3 && lines >= words) squeezed.push(`${headers[i]}: "${cell.textContent.trim()}" on ${lines} lines`);
          }
        }
        const last = t.tBodies[0].rows[0].cells[headers.length - 1];
        return {
          overflow: wrapper.scrollWidth - wrapper.clientWidth,
          squeezed,
          lastLabel: getComputedStyle(last, "::before").content,
          lastHeader: headers[headers.length - 1],
        };
      });
      assert.ok(table.overflow <= 0, `${path}: the data table is ${table.overflow} px wider than its column`);
      assert.deepEqual(table.squeezed, [], `${path}: cells squeezed to a word a line`);
      // Each value is named by its column, where the header row is off screen.
      assert.equal(table.lastLabel, `"${table.lastHeader}: "`, `${path}: the last column's values are not labelled`);
    }
  } finally {
    await context.close();
  }
});

test("a figure's data file opens in the repository and downloads from the site", async () => {
  const context = await openContext(site.browser, { viewport: DESKTOP });
  try {
    const page = await context.newPage();
    for (const path of PAGES) {
      await page.goto(site.server.url(path));
      const links = await page.$$eval("main p.gloss-fig-file a", (as) =>
        as.map((a) => ({ href: a.href, text: a.textContent, download: a.hasAttribute("download") })),
      );
      // Served from GitHub Pages, a `.toml` file is a download, not a page
      // (issue 21): the file's name opens it where it reads as text.
      assert.equal(links.length, 2, `${path}: ${JSON.stringify(links)}`);
      const [view, file] = links;
      assert.match(view.href, /^https:\/\/github\.com\/[^/]+\/[^/]+\/blob\/HEAD\/src\/data\/[a-z0-9-]+\.toml$/, path);
      assert.equal(view.download, false, path);
      assert.ok(view.href.endsWith(`/${view.text}`), `${path}: ${view.href} is not ${view.text}`);
      assert.equal(file.download, true, `${path}: the site's copy is not marked as a download`);
      // The copy on the site is the file in the repository.
      const response = await page.request.get(file.href);
      assert.equal(response.status(), 200, `${path}: ${file.href}`);
      assert.match(await response.text(), /\[\[/, `${path}: ${file.href} is not the figure's data`);
    }
  } finally {
    await context.close();
  }
});
