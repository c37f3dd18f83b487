//! Every claim card's link into the article opens it at the claim's words:
//! each `#:~:text=` fragment in the built site must find its words in the
//! article. The article is read as the quote check reads it (outside the
//! repository); without it the check says it did not run.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::{github, quotes};

/// The text fragments of `html`, each as its decoded parts (`start` or
/// `start`, `end`), with the page's text around none of them.
fn fragments(html: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for piece in html.split("href=\"").skip(1) {
        let href = entities(piece.split('"').next().unwrap_or_default());
        if let Some((_, fragment)) = href.split_once("#:~:text=") {
            out.push(fragment.split(',').map(percent_decoded).collect());
        }
    }
    out
}

/// An attribute value with the character references Tera writes decoded.
fn entities(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.find(';') else { break };
        let name = &rest[1..end];
        let decoded = match name {
            "amp" => Some('&'),
            "quot" => Some('"'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            _ => name
                .strip_prefix("#x")
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn percent_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Lower case, one space for any white space, quote marks straight: how a
/// browser's text-fragment search treats them, closely enough to tell a
/// fragment that lands from one that does not.
fn normalised(text: &str) -> String {
    let straight: String = text
        .chars()
        .map(|c| match c {
            '’' | '‘' => '\'',
            '“' | '”' => '"',
            c => c,
        })
        .collect();
    straight
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The fragments in `pages` (name, HTML) whose words are not in `article`,
/// as "page: words"; and how many fragments there were.
fn missing(article: &str, pages: &[(String, String)]) -> (Vec<String>, usize) {
    let article = normalised(article);
    let mut missing = Vec::new();
    let mut count = 0;
    for (name, html) in pages {
        for parts in fragments(html) {
            count += 1;
            if let Some(part) = parts.iter().find(|p| !article.contains(&normalised(p))) {
                missing.push(format!("{name}: \"{part}\""));
            }
        }
    }
    (missing, count)
}

/// The step in `cargo xtask check` over the built `site`: `Ok(None)` when
/// it ran and passed, `Ok(Some(line))` when there was no article to read.
pub(crate) fn step(site: &Path) -> Result<Option<String>> {
    let Some(article) = quotes::article()? else {
        let why = quotes::ABSENT;
        return Ok(Some(if github::actions() {
            github::command(
                github::Level::Warning,
                None,
                "Article-link check did not run",
                &format!("The check of links into the article did not run: {why}"),
            )
        } else {
            format!("    article-link check did not run: {why}")
        }));
    };
    let mut pages = Vec::new();
    for entry in
        std::fs::read_dir(site).with_context(|| format!("cannot list {}", site.display()))?
    {
        collect(&entry?.path(), site, &mut pages)?;
    }
    pages.sort();
    let (missing, count) = missing(&article, &pages);
    if !missing.is_empty() {
        bail!(
            "{} links into the article look for words it does not have; quote the article \
             as it writes them (CONTRIBUTING.md, Generated pages):\n  {}",
            missing.len(),
            missing.join("\n  ")
        );
    }
    eprintln!("    {count} links into the article, each finds its words");
    Ok(None)
}

/// The HTML pages under `path` (the whole-book `print.html` aside, which
/// repeats them), as (path from `site`, text).
fn collect(path: &Path, site: &Path, out: &mut Vec<(String, String)>) -> Result<()> {
    if path.is_dir() {
        for entry in std::fs::read_dir(path)? {
            collect(&entry?.path(), site, out)?;
        }
    } else if path.extension().is_some_and(|e| e == "html") && !path.ends_with("print.html") {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let shown = path.strip_prefix(site).unwrap_or(path);
        out.push((shown.display().to_string(), text));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_are_decoded_from_the_attribute_and_the_url() {
        let html = r#"<a href="https:&#x2F;&#x2F;x.example&#x2F;a#:&#126;:text=much%20better,tool%20use">the article</a> <a href="b.html#c">c</a>"#;
        assert_eq!(fragments(html), [["much better", "tool use"]]);
        assert_eq!(
            percent_decoded("near%2Dubiquitous%20%E2%80%9Cx%E2%80%9D"),
            "near-ubiquitous “x”"
        );
    }

    #[test]
    fn a_fragment_lands_only_where_the_article_has_its_words() {
        let article = "It is “much better” at\nzero-shot Tool use, it says.";
        let page = |f: &str| {
            (
                String::from("p.html"),
                format!(r#"<a href="https://x#:~:text={f}">a</a>"#),
            )
        };
        let (none, n) = missing(
            article,
            &[page("much%20better"), page("zero%2Dshot%20tool%20use")],
        );
        assert_eq!((none.len(), n), (0, 2));
        let (found, _) = missing(article, &[page("much%20better,tool%20used")]);
        assert_eq!(found, ["p.html: \"tool used\""]);
    }
}
