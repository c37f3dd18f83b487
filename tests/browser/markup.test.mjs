// html-validate over every page: no error in the markup we generate (every
// element with a `gloss-` class and everything inside it: callouts, claim
// cards, backlinks, glossary and references fields, the ledger, figures).
// mdBook's own errors are counted and printed, not failed on.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { HtmlValidate } from "html-validate";
import { ARTIFACTS, SITE_DIR, htmlPages, openContext, useSite } from "./helpers.mjs";

const site = useSite();

test("html-validate finds no error in our generated markup", async () => {
  const validator = new HtmlValidate({ extends: ["html-validate:recommended"] });
  const context = await openContext(site.browser);
  const page = await context.newPage();
  const ours = [];
  const theirs = new Map();
  let pages = 0;
  for (const path of await htmlPages()) {
    if (path === "toc.html") continue;
    pages += 1;
    const html = await readFile(join(SITE_DIR, path), "utf8");
    const report = await validator.validateString(html, path);
    const messages = report.results.flatMap((r) => r.messages).filter((m) => m.severity === 2);
    if (messages.length === 0) continue;
    await page.goto(site.server.url(path));
    const owners = await page.evaluate(
      (selectors) =>
        selectors.map((s) => {
          try {
            const el = s ? document.querySelector(s) : null;
            return Boolean(el?.closest('[class^="gloss-"], [class*=" gloss-"]'));
          } catch {
            return false;
          }
        }),
      messages.map((m) => m.selector),
    );
    messages.forEach((m, i) => {
      if (owners[i]) ours.push(`${path}:${m.line}:${m.column}: ${m.message} [${m.ruleId}] ${m.selector}`);
      else theirs.set(m.ruleId, (theirs.get(m.ruleId) ?? 0) + 1);
    });
  }
  const summary = [...theirs].sort((a, b) => b[1] - a[1]).map(([rule, n]) => `${rule}: ${n}`);
  await mkdir(ARTIFACTS, { recursive: true });
  await writeFile(join(ARTIFACTS, "html-validate.txt"), `${pages} pages; ours: ${ours.length}\nmdBook's own, by rule:\n${summary.join("\n")}\n${ours.join("\n")}\n`);
  console.error(`html-validate: ${pages} pages, ${ours.length} errors in our markup; mdBook's own: ${summary.join(", ") || "none"}`);
  assert.deepEqual(ours, [], "errors in the markup mdbook-gloss generates");
  await context.close();
});
