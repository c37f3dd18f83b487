//! Sources that stay findable, checked offline (the weekly link check,
//! `.github/workflows/links.yml`, is the one that goes online):
//!
//! - every entry of `src/references.md` has a `URL:`, an `arXiv:` or a
//!   `DOI:`, so a reader can find the source even when one address dies;
//! - no URL anywhere under `src/` (pages, data files, code blocks
//!   included) is `http:`, unless it is on [`HTTP_ALLOWED`]: a plain-HTTP
//!   address can be rewritten on the way to the reader, and the weekly
//!   check (`--require-https`) would flag it anyway.
//!
//! Each offence is `src/…:LINE:COL: reason` (and a GitHub annotation).

use std::fmt;
use std::path::Path;

use anyhow::{Context, Result, bail};
use mdbook_gloss::testing::{Diagnostics, References};

use crate::github;
use crate::tools::root;

/// The `http:` URLs a page may have, as (URL prefix, why). A prefix matches
/// a URL that equals it or continues with `/`, `:`, `?` or `#`, so
/// `http://localhost` does not let `http://localhost.example.com` through.
/// Keep it short: every entry is an address with no https version.
pub(crate) const HTTP_ALLOWED: &[(&str, &str)] = &[
    (
        "http://localhost",
        "a local preview (`cargo xtask serve`) has no certificate",
    ),
    (
        "http://127.0.0.1",
        "a local preview on the loopback address has no certificate",
    ),
];

/// The bibliography, from the repository's root.
const REFERENCES: &str = "src/references.md";

/// What to do about an offence, under the list.
const HELP: &str = "help: give every source a `URL:` (https), an `arXiv:` or a `DOI:` (see \
                    CONTRIBUTING.md, Citations); link with https:, or add an address that has \
                    no https version to HTTP_ALLOWED in xtask/src/sources.rs, with why";

/// A source that cannot be found, or a plain-HTTP URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Offence {
    /// The file, from the repository's root (`src/…`).
    pub(crate) path: String,
    /// Line and column (in characters), both from 1.
    pub(crate) line: usize,
    pub(crate) col: usize,
    pub(crate) reason: String,
    /// What to do about it, in its annotation.
    pub(crate) help: &'static str,
}

/// What to do about a source with no address.
const HELP_SOURCE: &str = "add `- URL: https://…`, `- arXiv: NNNN.NNNNN` or `- DOI: 10.NNNN/…` \
                           to the list under its heading (CONTRIBUTING.md, Citations)";

/// What to do about an `http:` URL.
const HELP_HTTP: &str = "link to its https address; an address with no https version goes in \
                         HTTP_ALLOWED in xtask/src/sources.rs, with why";

impl Offence {
    /// The offence as a GitHub error annotation on its line and column.
    pub(crate) fn annotation(&self) -> String {
        github::command(
            github::Level::Error,
            Some((&self.path, self.line, Some(self.col))),
            &self.reason,
            self.help,
        )
    }
}

impl fmt::Display for Offence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.path, self.line, self.col, self.reason
        )
    }
}

/// Line and column (in characters), from 1, of byte `offset` in `text`.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// The entries of the bibliography `text` (at `path`) with no `URL:`,
/// `arXiv:` or `DOI:`, read as the preprocessor reads them; each is placed
/// at its heading. (The preprocessor itself reports malformed fields.)
pub(crate) fn unfindable_sources(path: &str, text: &str) -> Vec<Offence> {
    let mut diags = Diagnostics::default();
    let refs = References::parse(path, text, &mut diags);
    refs.refs
        .iter()
        .zip(&refs.entries)
        .filter(|(r, _)| r.url.is_none() && r.arxiv.is_none() && r.doi.is_none())
        .map(|(r, e)| {
            let (line, col) = line_col(text, e.heading.start);
            Offence {
                path: path.to_string(),
                line,
                col,
                reason: format!("reference `{}` has no `URL:`, `arXiv:` or `DOI:`", r.id),
                help: HELP_SOURCE,
            }
        })
        .collect()
}

/// Every `http:` URL in `text` (at `path`) that `allowed` does not list.
/// Plain text search, case-insensitive, so a URL in a link, an autolink,
/// raw HTML, a code block or a data file's string all count.
pub(crate) fn http_urls(path: &str, text: &str, allowed: &[(&str, &str)]) -> Vec<Offence> {
    let lower = text.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(i) = lower[from..].find("http://") {
        let start = from + i;
        from = start + "http://".len();
        // `xhttp://` is another scheme.
        if lower[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        {
            continue;
        }
        let len = text[start..]
            .find(|c: char| {
                c.is_whitespace() || matches!(c, '<' | '>' | '"' | '\'' | '`' | ')' | ']')
            })
            .unwrap_or(text.len() - start);
        // A sentence's full stop or comma is not the URL's.
        let url = text[start..start + len].trim_end_matches(['.', ',', ';', ':', '!', '?']);
        let ok = allowed.iter().any(|(prefix, _)| {
            url.get(..prefix.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
                && url[prefix.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| matches!(c, '/' | ':' | '?' | '#'))
        });
        if !ok {
            let (line, col) = line_col(text, start);
            found.push(Offence {
                path: path.to_string(),
                line,
                col,
                reason: format!("`{url}` is plain HTTP: link to its https address"),
                help: HELP_HTTP,
            });
        }
    }
    found
}

/// Every text file under `root/src/`, as (path from `root`, text), in path
/// order. Files that are not UTF-8 (images) are skipped.
pub(crate) fn text_files(root: &Path) -> Result<Vec<(String, String)>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> Result<()> {
        let mut paths = Vec::new();
        for entry in
            std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))?
        {
            paths.push(entry?.path());
        }
        paths.sort();
        for path in paths {
            if path.is_dir() {
                walk(root, &path, out)?;
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                let shown = path.strip_prefix(root).unwrap_or(&path);
                out.push((shown.display().to_string().replace('\\', "/"), text));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(root, &root.join("src"), &mut out)?;
    Ok(out)
}

/// Both checks over the book at `root`: the number of sources and of text
/// files checked, or an error that lists every offence.
pub(crate) fn check(root: &Path) -> Result<(usize, usize)> {
    let files = text_files(root)?;
    let bibliography = files
        .iter()
        .find(|(p, _)| p == REFERENCES)
        .with_context(|| format!("the book has no {REFERENCES}"))?;
    let mut offences = unfindable_sources(REFERENCES, &bibliography.1);
    for (path, text) in &files {
        offences.extend(http_urls(path, text, HTTP_ALLOWED));
    }
    offences.sort_by(|a, b| (&a.path, a.line, a.col).cmp(&(&b.path, b.line, b.col)));
    if !offences.is_empty() {
        github::emit(offences.iter().map(Offence::annotation));
        let list: Vec<String> = offences.iter().map(Offence::to_string).collect();
        bail!(
            "{} place{} in src/ where a source cannot be found or a URL is plain HTTP:\n  {}\n{HELP}",
            offences.len(),
            if offences.len() == 1 { "" } else { "s" },
            list.join("\n  ")
        );
    }
    let mut diags = Diagnostics::default();
    let sources = References::parse(REFERENCES, &bibliography.1, &mut diags)
        .refs
        .len();
    Ok((sources, files.len()))
}

/// The step in `cargo xtask check`.
pub(crate) fn step() -> Result<()> {
    let (sources, files) = check(&root())?;
    eprintln!(
        "    {sources} sources, each with a URL, an arXiv id or a DOI; {files} files under src/, \
         no http: URL"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENTRY: &str = "- Authors: A\n- Cite as: A 2024\n- Year: 2024\n";

    fn shown(offences: &[Offence]) -> Vec<String> {
        offences.iter().map(Offence::to_string).collect()
    }

    #[test]
    fn a_source_needs_a_url_an_arxiv_id_or_a_doi() {
        let text = format!(
            "# References\n\n## Paper {{#p}}\n\n{ENTRY}- arXiv: 2407.21783\n\n\
             ## Page {{#w}}\n\n{ENTRY}- URL: https://example.org/\n\n\
             ## Article {{#d}}\n\n{ENTRY}- DOI: 10.1000/abc\n\n\
             ## A book on paper {{#b}}\n\n{ENTRY}\nRead in a library.\n"
        );
        assert_eq!(
            shown(&unfindable_sources("src/references.md", &text)),
            ["src/references.md:24:1: reference `b` has no `URL:`, `arXiv:` or `DOI:`"]
        );
    }

    #[test]
    fn an_http_url_is_an_offence_wherever_it_is() {
        let text = "# T\n\nSee [x](http://example.org/a) and <HTTP://example.org>.\n\n\
                    ```text\nfetch http://example.org/b, then\n```\n\
                    <a href=\"http://example.org/c\">c</a> https://example.org/ok\n";
        assert_eq!(
            shown(&http_urls("src/p.md", text, &[])),
            [
                "src/p.md:3:9: `http://example.org/a` is plain HTTP: link to its https address",
                "src/p.md:3:36: `HTTP://example.org` is plain HTTP: link to its https address",
                "src/p.md:6:7: `http://example.org/b` is plain HTTP: link to its https address",
                "src/p.md:8:10: `http://example.org/c` is plain HTTP: link to its https address",
            ]
        );
        assert_eq!(
            shown(&http_urls(
                "src/data/f.toml",
                "source = \"see http://x.org\"\n",
                &[]
            )),
            ["src/data/f.toml:1:15: `http://x.org` is plain HTTP: link to its https address"]
        );
        // Another scheme that ends in `http` is not one.
        assert!(http_urls("src/p.md", "xhttp://a and git+http://b", &[]).is_empty());
    }

    #[test]
    fn the_allow_list_matches_a_whole_host() {
        let text = "Open http://localhost:3000/ or http://localhost or \
                    http://127.0.0.1/x, not http://localhost.example.com/.\n";
        assert_eq!(
            shown(&http_urls("src/p.md", text, HTTP_ALLOWED)),
            [
                "src/p.md:1:76: `http://localhost.example.com/` is plain HTTP: link to its https address"
            ]
        );
    }

    #[test]
    fn the_book_s_check_fails_with_every_offence_listed() {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("src");
        std::fs::create_dir_all(src.join("data")).unwrap();
        std::fs::write(
            src.join("references.md"),
            format!("# References\n\n## Gone {{#g}}\n\n{ENTRY}- URL: http://example.org/g\n"),
        )
        .unwrap();
        std::fs::write(src.join("a.md"), "# A\n\nNothing to see.\n").unwrap();
        let err = format!("{:#}", check(dir.path()).unwrap_err());
        assert!(
            err.starts_with(
                "1 place in src/ where a source cannot be found or a URL is plain HTTP:\n  \
                 src/references.md:8:8: `http://example.org/g` is plain HTTP: link to its https address\nhelp: "
            ),
            "{err}"
        );
        std::fs::write(
            src.join("references.md"),
            format!("# References\n\n## Gone {{#g}}\n\n{ENTRY}\nNo address.\n"),
        )
        .unwrap();
        let err = format!("{:#}", check(dir.path()).unwrap_err());
        assert!(
            err.contains("src/references.md:3:1: reference `g` has no `URL:`, `arXiv:` or `DOI:`"),
            "{err}"
        );
        std::fs::write(
            src.join("references.md"),
            format!("# References\n\n## Here {{#h}}\n\n{ENTRY}- DOI: 10.1000/h\n"),
        )
        .unwrap();
        assert_eq!(check(dir.path()).unwrap(), (1, 2));
    }

    #[test]
    fn an_offence_is_an_annotation_on_its_line_and_column() {
        let o = &http_urls("src/p.md", "x http://a.org", &[])[0];
        assert_eq!(
            o.annotation(),
            "::error file=src/p.md,line=1,col=3,title=`http%3A//a.org` is plain HTTP%3A link to its \
             https address::link to its https address; an address with no https version goes in \
             HTTP_ALLOWED in xtask/src/sources.rs, with why"
        );
    }
}
