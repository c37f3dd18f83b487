//! `cargo xtask links`: external links, checked with lychee (installed into
//! `.tools/` by `cargo install --locked`). Never part of `cargo xtask test`:
//! pull-request CI stays offline and deterministic, and the internal links
//! are already followed, offline, by `cargo xtask check`.
//!
//! - `cargo xtask links` builds the site, serves it under its GitHub Pages
//!   sub-path on the loopback address, and has lychee fetch every page and
//!   check every link in it, external ones included (`--internal`: only the
//!   site's own pages and fragments, for a machine without the internet).
//! - `cargo xtask links src [--output FILE]` checks every external
//!   (`http:`/`https:`) URL in the text files under `src/`, with a cache of
//!   results in `.lycheecache`, and writes lychee's Markdown report (dead
//!   links with an archived copy where there is one, timeouts, and the
//!   redirects of links that have moved) to `FILE`: what the weekly
//!   workflow (`.github/workflows/links.yml`) runs and files as an issue.
//!
//! Both require https where the site offers it (`--require-https`).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Result, bail};

use crate::checks::SUB_PATH;
use crate::site;
use crate::tools::{self, root};

const USAGE: &str = "usage: cargo xtask links [--internal] | cargo xtask links src [--output FILE]";

/// How long a cached result counts, in `links src`: under a week, so that
/// the weekly run checks every URL again and a re-run the same week does
/// not fetch them all twice.
const MAX_CACHE_AGE: &str = "6d";

/// `cargo xtask links …`.
pub(crate) fn run(args: &[String]) -> Result<()> {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        [] => site(false),
        ["--internal"] => site(true),
        ["src"] => sources(None),
        ["src", "--output", file] => sources(Some(Path::new(file))),
        _ => bail!("{USAGE}"),
    }
}

/// The arguments every run passes: a URL that answers over https as well
/// is an error in its `http:` form, a rate limit is not a dead link, and no
/// progress bar in a log.
fn common_args(cmd: &mut Command) {
    cmd.args([
        "--no-progress",
        "--require-https",
        "--accept",
        "200..=299,429",
        "--max-retries",
        "2",
        "--timeout",
        "30",
    ]);
}

/// Runs lychee; its exit code 2 means links failed.
fn lychee(cmd: &mut Command, what: &str) -> Result<()> {
    let shown = format!("{cmd:?}");
    let status = cmd
        .status()
        .map_err(|e| anyhow::anyhow!("could not start {shown}: {e}"))?;
    match status.code() {
        Some(0) => Ok(()),
        Some(2) => bail!("lychee found broken links in {what} (listed above)"),
        _ => bail!("{shown} failed ({status})"),
    }
}

/// The built site, served on the loopback address: every page, and every
/// link in it (only the site's own with `internal`).
fn site(internal: bool) -> Result<()> {
    let lychee_bin = tools::lychee()?;
    let dir = site::build_book(&root().join("target").join("xtask").join("site-links"))?;
    let base = site::serve_static(&dir, SUB_PATH)?;
    let urls = page_urls(&dir, &format!("{base}{SUB_PATH}"))?;
    eprintln!(
        "==> lychee over {} pages served at {base}{SUB_PATH}{}",
        urls.len(),
        if internal {
            " (internal links only)"
        } else {
            ""
        }
    );
    let mut cmd = Command::new(lychee_bin);
    common_args(&mut cmd);
    cmd.arg("--include-fragments");
    if internal {
        // An include wins over an exclude: the site's own URLs, nothing else.
        cmd.args(["--exclude", ".*", "--include"])
            .arg(format!("^{}/", regex_escape(&base)));
    }
    cmd.arg("--").args(&urls).current_dir(root());
    lychee(&mut cmd, "the built site")?;
    eprintln!("    every link of {} pages answers", urls.len());
    Ok(())
}

/// The URL of every page of the site at `dir`, served at `prefix`, sorted.
fn page_urls(dir: &Path, prefix: &str) -> Result<Vec<String>> {
    let mut pages = Vec::new();
    site::collect_html(dir, dir, &mut pages)?;
    pages.sort();
    Ok(pages.iter().map(|p| format!("{prefix}{p}")).collect())
}

/// `.` and the other characters a regex reads as syntax, escaped.
fn regex_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Every external URL in `src/`: the weekly check.
fn sources(output: Option<&Path>) -> Result<()> {
    let lychee_bin = tools::lychee()?;
    let files: Vec<PathBuf> = crate::sources::text_files(&root())?
        .into_iter()
        .map(|(path, _)| PathBuf::from(path))
        .collect();
    eprintln!(
        "==> lychee over the external URLs of {} files under src/",
        files.len()
    );
    let mut cmd = Command::new(lychee_bin);
    common_args(&mut cmd);
    // Only web links: relative paths and the book's cite:, xref: and
    // figure: forms are checked offline by the build.
    cmd.args(["--scheme", "https", "--scheme", "http"])
        .args(["--cache", "--max-cache-age", MAX_CACHE_AGE])
        // A failure is fetched again next time, never read from the cache.
        .args(["--cache-exclude-status", "400..=599"])
        // A dead link's report names an archived copy where there is one.
        .arg("--suggest")
        // Errors, timeouts, and the redirects that mean a link has moved.
        .args(["--format", "markdown"]);
    if let Some(file) = output {
        cmd.arg("--output").arg(file);
    }
    cmd.arg("--").args(&files).current_dir(root());
    lychee(&mut cmd, "src/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loopback_base_is_matched_literally() {
        assert_eq!(
            regex_escape("http://127.0.0.1:8080"),
            "http://127\\.0\\.0\\.1:8080"
        );
    }

    #[test]
    fn every_page_is_one_url_under_the_prefix() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("part")).unwrap();
        for page in ["index.html", "part/a.html", "style.css"] {
            std::fs::write(dir.path().join(page), "").unwrap();
        }
        assert_eq!(
            page_urls(dir.path(), "http://127.0.0.1:1/book/").unwrap(),
            [
                "http://127.0.0.1:1/book/index.html",
                "http://127.0.0.1:1/book/part/a.html"
            ]
        );
    }

    #[test]
    fn anything_else_is_a_usage_error() {
        let err = run(&["src".into(), "--out".into()]).unwrap_err();
        assert_eq!(err.to_string(), USAGE);
    }
}
