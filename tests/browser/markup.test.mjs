// html-validate over every page: no error that plain mdBook does not make.
//
// An error counts as mdBook's own only if plain mdBook's build of the same page
// (PLAIN_SITE_DIR: the same book.toml and src/ without our preprocessor, CSS,
// JavaScript or theme partial) has the same rule at the same selector, as
// many times. Every other error counts as ours and fails the test: in our
// generated markup, in our theme partial, or in mdBook's markup moved or
// changed by what we add. mdBook's own are counted and printed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile, writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { HtmlValidate } from "html-validate";
import { ARTIFACTS, SITE_DIR, htmlPages } from "./helpers.mjs";

const PLAIN_SITE_DIR = process.env.PLAIN_SITE_DIR;
const validator = new HtmlValidate({ extends: ["html-validate:recommended"] });

/** The errors html-validate finds in `file`, with the opening tag of the element each is about (`tag`). */
async function errors(file, name) {
  const html = await readFile(file, "utf8");
  const report = await validator.validateString(html, name);
  return report.results
    .flatMap((r) => r.messages)
    .filter((m) => m.severity === 2)
    .map((m) => {
      const start = html.lastIndexOf("<", m.offset);
      return { ...m, tag: start < 0 ? "" : html.slice(start, html.indexOf(">", start) + 1) };
    });
}

/**
 * Splits `ours` into errors plain mdBook also has and the rest. First by the
 * same rule at the same selector; what is left, by the same rule on the same
 * markup at the same selector but for its `:nth-child` positions (`tag`, the
 * element's opening tag). That second pass is for mdBook's markup that our
 * content moves: print.html's page-break <div style> after each chapter is
 * `main > div:nth-child(25)` in ours and `:nth-child(20)` in plain's. Both
 * passes count: an error plain has once matches once.
 */
function attribute(ours, plain) {
  const exact = (m) => `${m.ruleId} ${m.selector}`;
  const moved = (m) => `${m.ruleId} ${m.selector?.replace(/:nth-child\(\d+\)/g, "")} ${m.tag}`;
  const theirs = [];
  let mine = ours;
  let left = plain;
  for (const key of [exact, moved]) {
    // Plain's errors not matched yet, by key; each matches one of ours at most.
    const pool = new Map();
    for (const m of left) pool.set(key(m), [...(pool.get(key(m)) ?? []), m]);
    mine = mine.filter((m) => {
      const match = pool.get(key(m))?.pop();
      if (match) theirs.push(m);
      return !match;
    });
    left = [...pool.values()].flat();
  }
  return { theirs, mine };
}

test("attribution: an error is mdBook's only at the same rule and selector, as often", () => {
  const m = (ruleId, selector, tag = "<x>") => ({ ruleId, selector, tag });
  const brk = '<div style="break-before: page">';
  const { theirs, mine } = attribute(
    [
      m("no-dup-id", "#a"),
      m("no-dup-id", "#a"),
      m("wcag/h37", "img"),
      m("no-dup-id", "#b"),
      m("no-inline-style", "main > div:nth-child(25)", brk),
      m("no-inline-style", "main > div:nth-child(30)", brk),
      m("no-inline-style", "main > div:nth-child(31)", '<div style="color: red">'),
    ],
    [
      m("no-dup-id", "#a"),
      m("wcag/h37", "main > img"),
      m("element-required-content", "#b"),
      m("no-inline-style", "main > div:nth-child(20)", brk),
      m("no-inline-style", "main > div:nth-child(12)", '<div style="color: blue">'),
    ],
  );
  assert.deepEqual(theirs, [m("no-dup-id", "#a"), m("no-inline-style", "main > div:nth-child(25)", brk)]);
  assert.deepEqual(mine, [
    m("no-dup-id", "#a"),
    m("wcag/h37", "img"),
    m("no-dup-id", "#b"),
    m("no-inline-style", "main > div:nth-child(30)", brk),
    m("no-inline-style", "main > div:nth-child(31)", '<div style="color: red">'),
  ]);
});

test("html-validate finds no error that plain mdBook's build does not have", async () => {
  assert.ok(PLAIN_SITE_DIR, "PLAIN_SITE_DIR is not set; run the suite with `cargo xtask browser`");
  const ours = [];
  const theirs = new Map();
  let pages = 0;
  for (const path of await htmlPages()) {
    pages += 1;
    const found = await errors(join(SITE_DIR, path), path);
    if (found.length === 0) continue;
    const plainFile = join(PLAIN_SITE_DIR, path);
    const plain = existsSync(plainFile) ? await errors(plainFile, path) : [];
    const split = attribute(found, plain);
    for (const m of split.mine) ours.push(`${path}:${m.line}:${m.column}: ${m.message} [${m.ruleId}] ${m.selector}`);
    for (const m of split.theirs) theirs.set(m.ruleId, (theirs.get(m.ruleId) ?? 0) + 1);
  }
  const summary = [...theirs].sort((a, b) => b[1] - a[1]).map(([rule, n]) => `${rule}: ${n}`);
  await mkdir(ARTIFACTS, { recursive: true });
  await writeFile(
    join(ARTIFACTS, "html-validate.txt"),
    `${pages} pages; ours: ${ours.length}\nmdBook's own (also in plain mdBook's build), by rule:\n${summary.join("\n")}\n${ours.join("\n")}\n`,
  );
  console.error(`html-validate: ${pages} pages, ${ours.length} errors not in plain mdBook's build; mdBook's own: ${summary.join(", ") || "none"}`);
  assert.deepEqual(ours, [], "errors that plain mdBook's build of the same page does not have");
});
