// Screenshots of the home page and a decision chapter, light and coal, desktop
// and phone, into tests/browser/artifacts/ (git-ignored; CI can upload them).
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { ARTIFACTS, DESKTOP, PHONE, openContext, useSite } from "./helpers.mjs";

const PAGES = { home: "index.html", isoflop: "decision-2/isoflop.html" };
const SIZES = { desktop: DESKTOP, phone: PHONE };

const backgrounds = new Map();

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
          await page.waitForLoadState("networkidle");
          const { classes, background, title } = await page.evaluate(() => ({
            classes: document.documentElement.className,
            background: [document.body, document.documentElement]
              .map((el) => getComputedStyle(el).backgroundColor)
              .find((c) => c !== "rgba(0, 0, 0, 0)"),
            title: document.querySelector("main h1")?.textContent ?? "",
          }));
          assert.ok(classes.split(" ").includes(theme), `${path} is not in the ${theme} theme`);
          assert.ok(title.length > 0, `${path} shows no title`);
          backgrounds.set(`${theme}`, background);
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

test("light and coal look different", () => {
  assert.equal(backgrounds.size, 2);
  assert.notEqual(backgrounds.get("light"), backgrounds.get("coal"));
});
