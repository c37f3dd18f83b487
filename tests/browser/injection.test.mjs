// A book built from injection payloads (preprocessor/tests/books/injection:
// markup, event handlers, script and template syntax in glossary definitions
// and aliases, reference titles, authors and URLs, claim quotes, link texts)
// runs no script: no dialog, no error, no element or handler of the payloads',
// even after our callout script has turned every definition into a popover,
// and nothing even tries to: no Content-Security-Policy violation.
import { test } from "node:test";
import assert from "node:assert/strict";
import { openContext, settled, useSite, watchProblems } from "./helpers.mjs";

const dir = process.env.INJECTION_SITE_DIR;
if (!dir) throw new Error("INJECTION_SITE_DIR is not set; run the suite with `cargo xtask browser`");
const site = useSite({ dir, prefix: "/" });

test("payloads in every field we generate markup from stay inert", async () => {
  const context = await openContext(site.browser);
  // The fixture carries the site's Content-Security-Policy (xtask/src/csp.rs):
  // a payload that tried to run would show here even where the policy stopped it.
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  });
  const page = await context.newPage();
  const dialogs = [];
  page.on("dialog", async (d) => {
    dialogs.push(d.message());
    await d.dismiss();
  });
  const problems = watchProblems(page);
  for (const path of ["chapter.html", "glossary.html", "references.html", "ledger.html", "print.html"]) {
    await page.goto(site.server.url(path));
    await settled(page);
    // Show every callout, the path by which definitions reach the DOM at run time.
    for (const term of await page.locator("main a.gloss-term").all()) {
      await term.hover();
      await term.focus();
    }
    if (path === "chapter.html") {
      await page.mouse.move(0, 0);
      await page.locator('main a.gloss-term[data-gloss-term="payload"]').focus();
      await page.waitForFunction(() => document.querySelector("#gloss-popover")?.textContent.includes("alert(8)"));
    }
    const found = await page.evaluate(() => {
      const main = document.querySelector("main");
      const bad = [...main.querySelectorAll("script, img, iframe, object, embed, svg")].map((e) => e.outerHTML.slice(0, 80));
      for (const el of document.querySelectorAll("main *, #gloss-popover, #gloss-popover *")) {
        for (const attr of el.getAttributeNames()) {
          if (attr.startsWith("on")) bad.push(`${el.tagName.toLowerCase()}[${attr}]`);
          const value = el.getAttribute(attr) ?? "";
          if (/^\s*javascript:/i.test(value)) bad.push(`${el.tagName.toLowerCase()}[${attr}=${value}]`);
        }
      }
      const popover = document.querySelector("#gloss-popover");
      const policy = document.querySelector('head > meta[http-equiv="Content-Security-Policy"]')?.content ?? "";
      return { bad, popoverText: popover?.textContent ?? "", popoverChildren: [...(popover?.children ?? [])].map((e) => e.tagName), policy, violations: window.__csp };
    });
    assert.deepEqual(found.bad, [], `${path}: elements or handlers from the payloads`);
    assert.match(found.policy, /script-src 'self' 'sha256-/, `${path}: no Content-Security-Policy`);
    assert.deepEqual(found.violations, [], `${path}: Content-Security-Policy violations`);
    if (path === "chapter.html") {
      // The definition is shown as text, tags and all.
      assert.match(found.popoverText, /<script>alert\(8\)<\/script>/);
      // gloss.js's own two elements: the term's name and the link to its entry.
      assert.deepEqual(found.popoverChildren, ["STRONG", "A"], "the popover holds elements from the definition");
    }
  }
  assert.deepEqual(dialogs, [], "a payload opened a dialog");
  assert.deepEqual(problems, [], "console errors or failed requests");
  await context.close();
});
