//! `cargo xtask <task>`: every command the project has, with cargo as the
//! only prerequisite. Run `cargo xtask help` for the list.

use std::process::ExitCode;

mod card;
mod checks;
mod chrome;
mod csp;
mod fragments;
mod github;
mod links;
mod preview;
mod quotes;
mod search;
mod share;
mod site;
mod sources;
mod spelling;
mod tools;
mod unsafe_urls;

/// The tasks, as `cargo xtask help` lists them.
const TASKS: &[(&str, &str)] = &[
    (
        "serve",
        "build the preprocessor and serve the book with live reload on http://localhost:3000",
    ),
    ("build", "build the site into book/"),
    (
        "test",
        "every check CI runs: format, lints, unit and end-to-end tests, the real book, links, content, browser",
    ),
    (
        "check",
        "build the real book and check its links under a sub-path, and its content rules",
    ),
    (
        "lint-glossary",
        "list glossary terms never mentioned, and frequent acronyms with no entry",
    ),
    (
        "browser",
        "run the browser suite against a fresh build: cargo xtask browser [FILE.test.mjs ...]",
    ),
    (
        "spell",
        "spell-check src/ and the docs with typos (installed from PyPI into .tools/)",
    ),
    (
        "preview-summary",
        "what a pull request changes in the built site: cargo xtask preview-summary BASE_SITE HEAD_SITE (to $GITHUB_STEP_SUMMARY, else stdout)",
    ),
    (
        "links",
        "check external links with lychee: cargo xtask links [--internal] (the built site, served on loopback) | cargo xtask links src [--output FILE]",
    ),
    ("bench", "run the benchmarks (see BENCHMARKS.md)"),
    (
        "fuzz",
        "fuzz the Markdown transform: cargo xtask fuzz [SECONDS [LIBFUZZER-FLAG…]] (e.g. 7200 -runs=10000000)",
    ),
    (
        "install-tools",
        "install the pinned mdBook and the linters into .tools/",
    ),
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    let rest = &args[args.len().min(1)..];
    let result = match task {
        "serve" => site::serve(),
        "build" => site::build_book(&tools::root().join("book")).map(|_| ()),
        "test" => checks::test_all(),
        "check" => checks::check_site().map(|_| ()),
        "lint-glossary" => checks::lint_glossary(true).map(|_| ()),
        "browser" => checks::browser(rest),
        "spell" => spelling::step(),
        "preview-summary" => preview::run(rest),
        "links" => links::run(rest),
        "bench" => checks::bench(rest),
        "fuzz" => checks::fuzz(rest),
        "install-tools" => tools::install_all(),
        "help" | "-h" | "--help" => {
            print_help();
            Ok(())
        }
        other => Err(anyhow::anyhow!(
            "unknown task `{other}`; run `cargo xtask help` for the list"
        )),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn print_help() {
    eprintln!("usage: cargo xtask <task>\n\ntasks:");
    for (name, what) in TASKS {
        eprintln!("  {name:<14} {what}");
    }
}
