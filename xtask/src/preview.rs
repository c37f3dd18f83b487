//! `cargo xtask preview-summary BASE_SITE HEAD_SITE`: what a pull request
//! changes in the built site, as Markdown for the job's summary
//! (`$GITHUB_STEP_SUMMARY`, or stdout when it is not set). It lists the
//! pages whose HTML differs from the merge base's build (added, removed,
//! changed) and counts, for the whole book and for each of those pages, the
//! callouts (`a.gloss-term`), claim cards (`section.gloss-claim`) and
//! citations (`a.gloss-cite`) before and after: the markup of
//! `preprocessor/templates/term.html`, `claim.html` and `cite.html`, found
//! by reading start tags' `class` attribute (the preprocessor escapes every
//! `<` of a book's own text, so no code sample can be counted).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::site;

/// What is counted on a page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) callouts: usize,
    pub(crate) claims: usize,
    pub(crate) citations: usize,
}

impl std::ops::AddAssign for Counts {
    fn add_assign(&mut self, other: Counts) {
        self.callouts += other.callouts;
        self.claims += other.claims;
        self.citations += other.citations;
    }
}

/// The page that repeats every chapter: left out of the book's totals.
const PRINT_PAGE: &str = "print.html";

/// At most this many other (non-HTML) files are named.
const OTHER_FILES_SHOWN: usize = 10;

/// The callouts, claim cards and citations of one page of HTML.
pub(crate) fn count(html: &str) -> Counts {
    let mut counts = Counts::default();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        rest = &rest[lt + 1..];
        let name_len = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        if name_len == 0 {
            continue;
        }
        let name = rest[..name_len].to_ascii_lowercase();
        let tag = &rest[..rest.find('>').unwrap_or(rest.len())];
        let Some(class) = class_attribute(&tag[name_len..]) else {
            continue;
        };
        let has = |c: &str| class.split_ascii_whitespace().any(|t| t == c);
        match name.as_str() {
            "a" if has("gloss-term") => counts.callouts += 1,
            "a" if has("gloss-cite") => counts.citations += 1,
            "section" if has("gloss-claim") => counts.claims += 1,
            _ => {}
        }
    }
    counts
}

/// The value of `class="…"` (or `'…'`) among a start tag's attributes.
fn class_attribute(attributes: &str) -> Option<&str> {
    let mut rest = attributes;
    loop {
        let i = rest.find("class")?;
        let before = rest[..i].chars().next_back();
        rest = &rest[i + "class".len()..];
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let Some(value) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        let quote = value.chars().next()?;
        if quote != '"' && quote != '\'' {
            continue;
        }
        let value = &value[1..];
        return value.find(quote).map(|end| &value[..end]);
    }
}

/// How a file differs between the two builds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Change {
    Added,
    Removed,
    Changed,
}

impl Change {
    fn word(self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Changed => "changed",
        }
    }
}

/// A built file: its bytes, and what is compared (see [`normalise`]).
struct File {
    bytes: Vec<u8>,
    compared: Vec<u8>,
}

/// Every file of a built site, by its path with `/` and hashed names
/// normalised (see [`unhash`]).
fn files(dir: &Path) -> Result<BTreeMap<String, File>> {
    if !dir.is_dir() {
        bail!("{} is not a built site (no such folder)", dir.display());
    }
    Ok(site::snapshot(dir)?
        .into_iter()
        .map(|(name, bytes)| {
            let name = unhash(&name.replace('\\', "/"));
            let compared = normalise(&name, &bytes);
            (name, File { bytes, compared })
        })
        .collect())
}

/// What two builds are compared on. mdBook names its search index and
/// scripts by a hash of their content (`searchindex-c3d6ad1c.js`), and every
/// page loads the index by that name, so one changed word would change every
/// page; the Content-Security-Policy `cargo xtask build` adds holds hashes of
/// the inline scripts that name it. So the policy is left out and hashed
/// names are read as [`unhash`] writes them: a page differs when its own
/// content does.
fn normalise(name: &str, bytes: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return bytes.to_vec();
    };
    let text = if name.ends_with(".html") {
        crate::csp::strip(text).unwrap_or_else(|_| text.to_string())
    } else {
        text.to_string()
    };
    unhash(&text).into_bytes()
}

/// `text` with every hashed file name (`-`, at least 8 lower-case hex
/// digits, then `.js` or `.css`) written `-<hash>.js`.
fn unhash(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('-') {
        out.push_str(&rest[..=i]);
        rest = &rest[i + 1..];
        let hex = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
            .count();
        let after = &rest[hex..];
        if hex >= 8 && (after.starts_with(".js") || after.starts_with(".css")) {
            out.push_str("<hash>");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// `before → after`, or one number when they are equal; `–` for a page
/// that is not there.
fn cell(before: Option<usize>, after: Option<usize>) -> String {
    let show = |n: Option<usize>| n.map_or("–".to_string(), |n| n.to_string());
    if before == after {
        show(before)
    } else {
        format!("{} → {}", show(before), show(after))
    }
}

/// A file name as Markdown code in a table cell.
fn code(name: &str) -> String {
    format!("`{}`", name.replace('|', "\\|"))
}

/// The summary of what differs between the sites at `base` and `head`.
pub(crate) fn summary(base: &Path, head: &Path) -> Result<String> {
    let (before, after) = (files(base)?, files(head)?);
    let html = |name: &str| name.ends_with(".html");
    let counts = |bytes: &[u8]| count(&String::from_utf8_lossy(bytes));
    let total = |site: &BTreeMap<String, File>| {
        let mut sum = Counts::default();
        for (name, file) in site {
            if html(name) && name != PRINT_PAGE {
                sum += counts(&file.bytes);
            }
        }
        sum
    };
    let mut differing: Vec<(&str, Change)> = Vec::new();
    for (name, file) in &before {
        match after.get(name) {
            None => differing.push((name, Change::Removed)),
            Some(f) if f.compared != file.compared => differing.push((name, Change::Changed)),
            Some(_) => {}
        }
    }
    for name in after.keys() {
        if !before.contains_key(name) {
            differing.push((name, Change::Added));
        }
    }
    differing.sort();
    let (pages, others): (Vec<_>, Vec<_>) = differing.iter().partition(|(name, _)| html(name));

    let mut out = String::from("## Preview of the site\n\n");
    if differing.is_empty() {
        out.push_str("No file of the built site differs from the merge base's build.\n");
        return Ok(out);
    }
    let n_pages = |site: &BTreeMap<String, File>| site.keys().filter(|n| html(n)).count();
    let of = |change: Change| pages.iter().filter(|(_, c)| *c == change).count();
    writeln!(
        out,
        "Against the merge base's build: {} pages changed, {} added, {} removed ({} pages before, {} after).\n",
        of(Change::Changed),
        of(Change::Added),
        of(Change::Removed),
        n_pages(&before),
        n_pages(&after),
    )?;
    let (tb, ta) = (total(&before), total(&after));
    out.push_str("| The whole book | Before | After |\n|---|---:|---:|\n");
    for (what, b, a) in [
        ("Callouts", tb.callouts, ta.callouts),
        ("Claim cards", tb.claims, ta.claims),
        ("Citations", tb.citations, ta.citations),
    ] {
        writeln!(out, "| {what} | {b} | {a} |")?;
    }
    writeln!(
        out,
        "\nCounted over every page but `{PRINT_PAGE}`, which repeats them all.\n"
    )?;
    if pages.is_empty() {
        out.push_str("No page's HTML differs.\n");
    } else {
        out.push_str(
            "| Page | Change | Callouts | Claim cards | Citations |\n|---|---|---:|---:|---:|\n",
        );
        for (name, change) in &pages {
            let b = before.get(*name).map(|f| counts(&f.bytes));
            let a = after.get(*name).map(|f| counts(&f.bytes));
            writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                code(name),
                change.word(),
                cell(b.map(|c| c.callouts), a.map(|c| c.callouts)),
                cell(b.map(|c| c.claims), a.map(|c| c.claims)),
                cell(b.map(|c| c.citations), a.map(|c| c.citations)),
            )?;
        }
    }
    if !others.is_empty() {
        let shown: Vec<String> = others
            .iter()
            .take(OTHER_FILES_SHOWN)
            .map(|(name, change)| format!("{} ({})", code(name), change.word()))
            .collect();
        write!(out, "\nOther files that differ: {}", shown.join(", "))?;
        if others.len() > OTHER_FILES_SHOWN {
            write!(out, " and {} more", others.len() - OTHER_FILES_SHOWN)?;
        }
        out.push_str(".\n");
    }
    Ok(out)
}

/// `cargo xtask preview-summary BASE_SITE HEAD_SITE`: appends the summary
/// to `$GITHUB_STEP_SUMMARY` when it is set, else prints it.
pub(crate) fn run(args: &[String]) -> Result<()> {
    let [base, head] = args else {
        bail!("usage: cargo xtask preview-summary BASE_SITE HEAD_SITE");
    };
    let text = summary(Path::new(base), Path::new(head))?;
    let to = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty());
    write_summary(&text, to.as_deref().map(Path::new))
}

/// Appends `text` to the file `to` (GitHub's step summary is appended to,
/// by every tool of the step), or writes it to stdout.
fn write_summary(text: &str, to: Option<&Path>) -> Result<()> {
    match to {
        Some(path) => {
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .with_context(|| format!("could not open {}", path.display()))?;
            file.write_all(text.as_bytes())
                .with_context(|| format!("could not write {}", path.display()))?;
            eprintln!("==> wrote the preview summary to {}", path.display());
        }
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .context("could not write the summary to stdout")?,
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TERM: &str = r#"<a class="gloss-term" href="glossary.html#moe" title="A layer" data-gloss-term="moe">MoE</a>"#;
    const CITE: &str = r#"<a class="gloss-cite" id="gloss-cite-l3-1" href="references.html#l3">(Llama Team 2024, §1)</a>"#;
    const CLAIM: &str = r#"<section class="gloss-claim gloss-verdict-accurate" id="c01" aria-labelledby="c01-label">x</section>"#;

    fn write(dir: &Path, files: &[(&str, String)]) {
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
    }

    #[test]
    fn counts_our_markup_and_not_a_sample_of_it() {
        let html = format!(
            "<main>{TERM} {TERM} {CITE} {CLAIM}<a href=\"x\" class='gloss-cite'>y</a>\
             <span class=\"gloss-term\">not a link</span>\
             <pre><code>&lt;a class=\"gloss-term\"&gt;</code></pre>\
             <a data-class=\"gloss-term\" href=\"z\">z</a></main>"
        );
        assert_eq!(
            count(&html),
            Counts {
                callouts: 2,
                claims: 1,
                citations: 2
            }
        );
    }

    #[test]
    fn summarises_added_removed_and_changed_pages_with_their_counts() {
        let (base, head) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let same = format!("<p>{TERM}</p>");
        write(
            base.path(),
            &[
                ("index.html", same.clone()),
                ("part/a.html", format!("{TERM}{CITE}{CLAIM}")),
                ("old.html", format!("{CITE}{CITE}")),
                ("print.html", format!("{TERM}{CITE}{CLAIM}{CITE}{CITE}")),
                ("searchindex-0123abcd.js", "1".into()),
                ("book.js", "same".into()),
                (
                    "toc.html",
                    "<script src=\"toc-0123abcd.js\"></script>".into(),
                ),
                ("toc-0123abcd.js", "same".into()),
            ],
        );
        write(
            head.path(),
            &[
                ("index.html", same),
                ("part/a.html", format!("{TERM}{TERM}{CITE}{CLAIM}")),
                ("new.html", format!("{TERM}{CITE}")),
                (
                    "print.html",
                    format!("{TERM}{TERM}{CITE}{CLAIM}{TERM}{CITE}"),
                ),
                ("searchindex-4567cdef.js", "2".into()),
                ("book.js", "same".into()),
                (
                    "toc.html",
                    "<script src=\"toc-89abcdef.js\"></script>".into(),
                ),
                ("toc-89abcdef.js", "same".into()),
            ],
        );
        assert_eq!(
            summary(base.path(), head.path()).unwrap(),
            "## Preview of the site\n\
             \n\
             Against the merge base's build: 2 pages changed, 1 added, 1 removed (5 pages before, 5 after).\n\
             \n\
             | The whole book | Before | After |\n\
             |---|---:|---:|\n\
             | Callouts | 2 | 4 |\n\
             | Claim cards | 1 | 1 |\n\
             | Citations | 3 | 2 |\n\
             \n\
             Counted over every page but `print.html`, which repeats them all.\n\
             \n\
             | Page | Change | Callouts | Claim cards | Citations |\n\
             |---|---|---:|---:|---:|\n\
             | `new.html` | added | – → 1 | – → 0 | – → 1 |\n\
             | `old.html` | removed | 0 → – | 0 → – | 2 → – |\n\
             | `part/a.html` | changed | 1 → 2 | 1 | 1 |\n\
             | `print.html` | changed | 1 → 3 | 1 | 3 → 2 |\n\
             \n\
             Other files that differ: `searchindex-<hash>.js` (changed).\n"
        );
    }

    #[test]
    fn hashed_names_and_the_policy_are_not_differences() {
        assert_eq!(
            unhash("a-0123abcd.js b-0123abcdef.css c-0123abc.js d-0123ABCD.js e-0123abcd.json"),
            "a-<hash>.js b-<hash>.css c-0123abc.js d-0123ABCD.js e-<hash>.json"
        );
        let page = |hash: &str| {
            format!(
                "<head><meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'sha256-{hash}'\">\
                 </head><body><script>var i = \"searchindex-{hash}.js\";</script>{TERM}</body>"
            )
        };
        assert_eq!(
            normalise("a.html", page("0123abcd").as_bytes()),
            normalise("a.html", page("4567cdef").as_bytes())
        );
    }

    #[test]
    fn says_so_when_nothing_differs() {
        let (base, head) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        for dir in [base.path(), head.path()] {
            write(dir, &[("index.html", TERM.to_string())]);
        }
        assert_eq!(
            summary(base.path(), head.path()).unwrap(),
            "## Preview of the site\n\nNo file of the built site differs from the merge base's build.\n"
        );
        let missing = base.path().join("nope");
        let err = summary(&missing, head.path()).unwrap_err().to_string();
        assert!(
            err.ends_with("is not a built site (no such folder)"),
            "{err}"
        );
    }

    #[test]
    fn appends_to_the_step_summary_file() {
        let out = tempfile::tempdir().unwrap();
        let file = out.path().join("summary.md");
        std::fs::write(&file, "before\n").unwrap();
        write_summary("## Preview of the site\n", Some(&file)).unwrap();
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            "before\n## Preview of the site\n"
        );
        assert!(run(&["one".to_string()]).is_err());
    }
}
