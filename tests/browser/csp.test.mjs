// The Content-Security-Policy that `cargo xtask build` puts into every page
// (xtask/src/csp.rs): nothing of the site's own is blocked, and a script
// planted in a page at run time does not run.
import { test } from "node:test";
import assert from "node:assert/strict";
import { htmlPages, openContext, settled, useSite } from "./helpers.mjs";

let pages;
const site = useSite({
  async setup() {
    // Every page as a reader may open it, toc.html (the sidebar frame without
    // JavaScript) too, and the 404 page as GitHub Pages serves it for a path
    // that does not exist.
    pages = [...(await htmlPages()), "no/such/page.html"];
  },
});

/** A context whose pages record every CSP violation in `window.__csp`, from before their first script. */
async function recordingContext() {
  const context = await openContext(site.browser);
  await context.addInitScript(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => {
      window.__csp.push({ directive: e.violatedDirective, blocked: e.blockedURI, sample: e.sample, line: e.lineNumber });
    });
  });
  return context;
}

test("csp: no page of the book raises a policy violation", async () => {
  const context = await recordingContext();
  const problems = [];
  try {
    const page = await context.newPage();
    for (const path of pages) {
      await page.goto(site.server.url(path));
      await settled(page);
      const found = await page.evaluate(() => {
        const meta = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
        const first = document.querySelector("script");
        return {
          policy: meta?.content ?? null,
          inHead: meta?.parentElement === document.head,
          beforeScripts: !!meta && (!first || !!(meta.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING)),
          violations: window.__csp,
        };
      });
      // A page without the policy would raise no violation either.
      if (!found.policy) {
        problems.push(`${path}: no Content-Security-Policy`);
        continue;
      }
      const scriptSrc = found.policy.split(";").find((d) => d.trim().startsWith("script-src")) ?? "";
      if (/unsafe-(inline|eval|hashes)/.test(scriptSrc)) problems.push(`${path}: ${scriptSrc.trim()}`);
      if (!found.inHead || !found.beforeScripts) problems.push(`${path}: the policy is not in <head> before every script`);
      for (const v of found.violations) problems.push(`${path}: ${v.directive} blocked ${v.blocked} (line ${v.line}) ${v.sample}`);
    }
  } finally {
    await context.close();
  }
  assert.deepEqual(problems, []);
});

test("csp: a script planted in a page of the book does not run", async () => {
  const context = await recordingContext();
  try {
    const page = await context.newPage();
    await page.goto(site.server.url("decision-1/dense-vs-moe.html"));
    await settled(page);
    assert.deepEqual(await page.evaluate(() => window.__csp), [], "violations before anything was planted");

    // An inline event handler, as a payload that escaped the markup would carry it.
    await page.evaluate(() => document.body.insertAdjacentHTML("beforeend", '<img id="planted" src="x" onerror="window.__pwned = 1">'));
    // Its error event has fired (the image is "complete" once it failed) and the policy has spoken.
    await page.waitForFunction(() => document.getElementById("planted").complete && window.__csp.length > 0);
    // An inline script element, as a script that added markup would plant it.
    await page.evaluate(() => {
      const s = document.createElement("script");
      s.textContent = "window.__pwned = 2";
      document.body.append(s);
    });
    await page.waitForFunction(() => window.__csp.length > 1);
    const result = await page.evaluate(() => ({ pwned: window.__pwned, directives: window.__csp.map((v) => v.directive) }));
    assert.equal(result.pwned, undefined, "a planted script ran");
    assert.deepEqual(result.directives, ["script-src-attr", "script-src-elem"]);
  } finally {
    await context.close();
  }
});
