// Screenshots of the home page and a decision chapter, light and coal, desktop
// and phone, into tests/browser/artifacts/ (git-ignored; CI can upload them).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { ARTIFACTS, DESKTOP, PHONE, openContext, settled, useSite } from "./helpers.mjs";

const PAGES = { home: "index.html", isoflop: "decision-2/isoflop.html" };
const SIZES = { desktop: DESKTOP, phone: PHONE };

const site = useSite({
  async setup() {
    await mkdir(ARTIFACTS, { recursive: true });
  },
});

for (const theme of ["light", "coal"]) {
  for (const [sizeName, viewport] of Object.entries(SIZES)) {
    test(`screenshots: ${theme}, ${sizeName}`, async () => {
      const context = await openContext(site.browser, { theme, viewport, isMobile: sizeName === "phone", hasTouch: sizeName === "phone" });
      try {
        const page = await context.newPage();
        for (const [name, path] of Object.entries(PAGES)) {
          await page.goto(site.server.url(path));
          await settled(page);
          const { classes, title } = await page.evaluate(() => ({
            classes: document.documentElement.className,
            title: document.querySelector("main h1")?.textContent ?? "",
          }));
          assert.ok(classes.split(" ").includes(theme), `${path} is not in the ${theme} theme`);
          assert.ok(title.length > 0, `${path} shows no title`);
          const file = join(ARTIFACTS, `${name}-${theme}-${sizeName}.png`);
          await page.screenshot({ path: file });
          assert.ok((await stat(file)).size > 10_000, `${file} is nearly empty`);
        }
      } finally {
        await context.close();
      }
    });
  }
}

// Its own page loads, so that it passes alone and in any order.
test("light and coal look different", async () => {
  const backgrounds = [];
  for (const theme of ["light", "coal"]) {
    const context = await openContext(site.browser, { theme, viewport: DESKTOP });
    try {
      const page = await context.newPage();
      await page.goto(site.server.url(PAGES.home));
      backgrounds.push(
        await page.evaluate(() =>
          [document.body, document.documentElement].map((el) => getComputedStyle(el).backgroundColor).find((c) => c !== "rgba(0, 0, 0, 0)"),
        ),
      );
    } finally {
      await context.close();
    }
  }
  assert.ok(backgrounds.every(Boolean), `a theme has no background colour: ${backgrounds.join(", ")}`);
  assert.notEqual(backgrounds[0], backgrounds[1]);
});
