// Every page loads cleanly: no console error, no uncaught exception, no
// request that fails or answers with an error status.
import { test } from "node:test";
import assert from "node:assert/strict";
import { DESKTOP, PHONE, htmlPages, openContext, settled, useSite, watchProblems } from "./helpers.mjs";

let pages;

const site = useSite({
  async setup() {
    // toc.html is the sidebar frame for readers without JavaScript; it is loaded
    // below the way they get it, inside a page.
    pages = (await htmlPages()).filter((p) => p !== "toc.html");
  },
});

for (const [theme, viewport] of [
  ["light", DESKTOP],
  ["coal", PHONE],
]) {
  test(`no console errors or failed requests on any page (${theme}, ${viewport.width}×${viewport.height})`, async () => {
    const context = await openContext(site.browser, { theme, viewport });
    const problems = [];
    try {
      const page = await context.newPage();
      const seen = watchProblems(page);
      for (const path of pages) {
        seen.length = 0;
        const res = await page.goto(site.server.url(path));
        assert.equal(res.status(), 200, `${path} answered ${res.status()}`);
        // Let late requests (fonts, images, the sidebar) finish before leaving.
        await settled(page);
        problems.push(...seen.map((p) => `${path}: ${p}`));
      }
    } finally {
      await context.close();
    }
    assert.deepEqual(problems, []);
  });
}

test("without JavaScript, a chapter and its sidebar frame (toc.html) load cleanly", async () => {
  const context = await openContext(site.browser, { viewport: DESKTOP, javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    const problems = watchProblems(page);
    const tocLoaded = page.waitForResponse((r) => r.url().endsWith("/toc.html"));
    await page.goto(site.server.url("decision-2/isoflop.html"));
    assert.equal((await tocLoaded).status(), 200);
    await settled(page);
    const frame = page.frames().find((f) => f.url().endsWith("/toc.html"));
    assert.ok(frame, "the sidebar frame did not load");
    assert.ok((await frame.locator("a").count()) > 20, "the sidebar frame lists no chapters");
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
