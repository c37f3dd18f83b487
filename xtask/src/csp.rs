//! A Content-Security-Policy in every page of the built site, so that a script
//! which slips past everything else into a page still cannot run.
//!
//! GitHub Pages sets no response headers, so the policy is a
//! `<meta http-equiv="Content-Security-Policy">`, inserted right after
//! `<meta charset>`, before any script. Only the site's own scripts run: files
//! from the site's origin (`'self'`) and, by their SHA-256, the inline scripts
//! of the theme (mdBook's `index.hbs`, ours in `theme/head.hbs`, print.html's).
//! Those change with every edit (`path_to_root`, the search index's content
//! hash), so the hashes are computed from the built pages, page by page, as the
//! last step of `cargo xtask build` (`site::build_book_at`, what
//! `.github/workflows/pages.yml` publishes) and of the browser suite's fixture
//! builds. No `'unsafe-inline'` or `'unsafe-eval'` for scripts, and no
//! `'unsafe-hashes'`: an inline event handler (`onerror="…"`) never runs.
//!
//! ```text
//! <meta charset="UTF-8">
//! <meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'sha256-…' …; …">
//! ```
//!
//! Not covered: plain `mdbook serve`, and `cargo xtask serve`, which runs it,
//! do not go through this step, so a contributor's preview has no policy (and
//! mdBook's live-reload script would need one of its own).
//!
//! Decisions:
//! - An inline script inside `<main>` (the chapters' content, every chapter on
//!   print.html) is an error, not hashed: the content is where a payload would
//!   land, and hashing it would let it run. Scripts of a chapter belong in a
//!   file listed in `output.html.additional-js`.
//! - A page without `<head>` is an error: every page mdBook writes has one, and
//!   a page we cannot protect should not be published in silence.
//! - Running the step again gives the same bytes: a policy meta in the form
//!   this module writes is replaced, not doubled.
//! - Data blocks (`<script type="application/json">` and other non-JavaScript
//!   types) never run, so they are not hashed; `<script src>` is allowed by
//!   `'self'`.

use std::ops::Range;
use std::path::Path;

use anyhow::{Context, Result, bail};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest, Sha256};

use crate::site;

/// The policy up to the inline scripts' hashes.
const BEFORE_HASHES: &str = "default-src 'self'; script-src 'self'";
/// The policy after them. Styles keep `'unsafe-inline'`: mdBook's print.html
/// and clearfix use `style` attributes, and a style cannot run script. Images
/// allow `data:` for the SVG icon in mdBook's chrome.css.
const AFTER_HASHES: &str = "; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
     font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";
/// The start of the element this module writes; one in this form is replaced.
const META_START: &str = r#"<meta http-equiv="Content-Security-Policy" content=""#;

/// Puts the policy into every HTML page under `dir`. Reports every page that
/// cannot have one, then fails. Returns the number of pages.
pub(crate) fn apply_to_site(dir: &Path) -> Result<usize> {
    let mut pages = Vec::new();
    site::collect_html(dir, dir, &mut pages)?;
    pages.sort();
    let mut problems = Vec::new();
    for page in &pages {
        let file = dir.join(page);
        let html = std::fs::read_to_string(&file)
            .with_context(|| format!("reading {}", file.display()))?;
        match apply(&html) {
            Ok(out) if out == html => {}
            Ok(out) => {
                std::fs::write(&file, out).with_context(|| format!("writing {}", file.display()))?
            }
            Err(e) => problems.push(format!("{page}: {e:#}")),
        }
    }
    if !problems.is_empty() {
        bail!(
            "{} pages cannot get a Content-Security-Policy:\n  {}",
            problems.len(),
            problems.join("\n  ")
        );
    }
    eprintln!("==> Content-Security-Policy in {} pages", pages.len());
    Ok(pages.len())
}

/// `html` without the policy this step wrote: what plain `mdbook build`
/// writes, which the contributor-path check compares with.
pub(crate) fn strip(html: &str) -> Result<String> {
    let mut html = html.to_string();
    for range in scan(&html)?.own_metas.into_iter().rev() {
        html.replace_range(range, "");
    }
    Ok(html)
}

/// `html` with the policy for its own inline scripts right after
/// `<meta charset>` (or, without one, right after `<head>`).
pub(crate) fn apply(html: &str) -> Result<String> {
    // Drop a policy this step wrote before: the result depends only on the rest.
    let mut html = html.to_string();
    for range in scan(&html)?.own_metas.into_iter().rev() {
        html.replace_range(range, "");
    }
    let page = scan(&html)?;
    let head_end = page
        .head
        .context("no <head>: the policy must be in the head, before every script")?;
    if let Some(first) = page.scripts.first()
        && first.tag < head_end
    {
        bail!("a <script> before <head> (byte {})", first.tag);
    }
    if let Some(script) = page.scripts.iter().find(|s| s.in_main && s.executable) {
        bail!(
            "an inline <script> inside <main> (byte {}): page content may not carry scripts, \
             as a payload would land there; put it in a file listed in output.html.additional-js",
            script.tag
        );
    }
    let mut hashes: Vec<String> = Vec::new();
    for script in page.scripts.iter().filter(|s| s.executable) {
        let h = hash(&html[script.text.clone()]);
        if !hashes.contains(&h) {
            hashes.push(h);
        }
    }
    let policy = format!(
        "{BEFORE_HASHES}{}{AFTER_HASHES}",
        hashes.iter().map(|h| format!(" {h}")).collect::<String>()
    );
    // After <meta charset> when it precedes every script, else after <head>.
    let first_script = page.scripts.first().map_or(html.len(), |s| s.tag);
    let anchor = match page.charset {
        Some(meta) if meta.end <= first_script => meta,
        _ => page.head_tag.clone(),
    };
    let line_start = html[..anchor.start].rfind('\n').map_or(0, |i| i + 1);
    let indent = &html[line_start..anchor.start];
    let indent = if indent.trim().is_empty() { indent } else { "" };
    let meta = format!("\n{indent}{META_START}{policy}\">");
    html.insert_str(anchor.end, &meta);
    Ok(html)
}

/// The CSP source for an inline script: `'sha256-<base64>'` of its text as the
/// browser hashes it, after the HTML parser has turned CRLF and CR into LF (a
/// theme file checked out with CRLF line ends).
pub(crate) fn hash(script: &str) -> String {
    let text = script.replace("\r\n", "\n").replace('\r', "\n");
    format!(
        "'sha256-{}'",
        BASE64.encode(Sha256::digest(text.as_bytes()))
    )
}

/// What `apply` needs to know about a page.
#[derive(Debug, Default)]
struct Page {
    /// The `<head>` start tag, and where it ends (`head.unwrap() == head_tag.end`).
    head_tag: Range<usize>,
    head: Option<usize>,
    /// The first `<meta charset>` in the head.
    charset: Option<Range<usize>>,
    /// Policy elements in this module's form, in the head.
    own_metas: Vec<Range<usize>>,
    scripts: Vec<Script>,
}

#[derive(Debug)]
struct Script {
    /// Where its start tag begins.
    tag: usize,
    /// Its text, between the start and the end tag.
    text: Range<usize>,
    /// Inline and of a JavaScript type: what the policy must name.
    executable: bool,
    /// Inside `<main>`: page content.
    in_main: bool,
}

/// A tokenizer for the part of HTML that matters here: start and end tags,
/// comments, and the raw text of `<script>`, `<style>`, `<textarea>` and
/// `<title>` (which may contain `<` that is not a tag).
fn scan(html: &str) -> Result<Page> {
    let bytes = html.as_bytes();
    let mut page = Page::default();
    let mut in_head = false;
    let mut main_depth = 0usize;
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let lt = i + off;
        let rest = &html[lt..];
        if rest.starts_with("<!--") {
            i = html[lt + 4..]
                .find("-->")
                .map_or(html.len(), |e| lt + 4 + e + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i = html[lt..].find('>').map_or(html.len(), |e| lt + e + 1);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_start = lt + if closing { 2 } else { 1 };
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            i = lt + 1;
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let end = tag_end(html, name_start + name_len)
            .with_context(|| format!("an unterminated <{name}> tag (byte {lt})"))?;
        let tag = &html[lt..end];
        i = end;
        match (closing, name.as_str()) {
            (false, "head") if page.head.is_none() => {
                page.head_tag = lt..end;
                page.head = Some(end);
                in_head = true;
            }
            (true, "head") | (false, "body") => in_head = false,
            (false, "meta") if in_head => {
                if page.charset.is_none() && attr(tag, "charset").is_some() {
                    page.charset = Some(lt..end);
                }
                if tag.starts_with(META_START) {
                    // With the line's indentation and the line break before it.
                    let line = html[..lt].trim_end_matches([' ', '\t']).len();
                    let from = if html[..line].ends_with('\n') {
                        line - 1
                    } else {
                        lt
                    };
                    page.own_metas.push(from..end);
                }
            }
            (false, "main") => main_depth += 1,
            (true, "main") => main_depth = main_depth.saturating_sub(1),
            (false, "script" | "style" | "textarea" | "title") => {
                let text_end = raw_text_end(html, end, &name)
                    .with_context(|| format!("a <{name}> without </{name}> (byte {lt})"))?;
                if name == "script" {
                    let kind = attr(tag, "type").unwrap_or_default().to_ascii_lowercase();
                    let javascript = matches!(kind.trim(), "" | "module")
                        || kind.contains("javascript")
                        || kind.contains("ecmascript");
                    page.scripts.push(Script {
                        tag: lt,
                        text: end..text_end,
                        executable: javascript && attr(tag, "src").is_none(),
                        in_main: main_depth > 0,
                    });
                }
                i = text_end;
            }
            _ => {}
        }
    }
    Ok(page)
}

/// The end (after `>`) of the tag whose attributes start at `from`; `>`
/// inside a quoted value does not end it.
fn tag_end(html: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (j, b) in html.as_bytes()[from..].iter().enumerate() {
        match (quote, b) {
            (Some(q), _) if *b == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(*b),
            (None, b'>') => return Some(from + j + 1),
            _ => {}
        }
    }
    None
}

/// Where the raw text starting at `from` ends: at `</name` followed by white
/// space, `/` or `>`, in any case.
fn raw_text_end(html: &str, from: usize, name: &str) -> Option<usize> {
    let bytes = html.as_bytes();
    let mut j = from;
    while let Some(off) = html[j..].find("</") {
        let at = j + off;
        let after = at + 2 + name.len();
        if bytes.len() > after
            && html.is_char_boundary(after)
            && html[at + 2..after].eq_ignore_ascii_case(name)
            && matches!(
                bytes[after],
                b'>' | b'/' | b' ' | b'\t' | b'\n' | b'\r' | b'\x0c'
            )
        {
            return Some(at);
        }
        j = at + 2;
    }
    None
}

/// The value of attribute `name` in the start tag `tag` (`""` when it has
/// none), entities left as written.
fn attr(tag: &str, name: &str) -> Option<String> {
    let bytes = tag.as_bytes();
    // Past `<` and the tag name.
    let mut j = 1 + bytes[1..]
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric())
        .count();
    let space = |b: u8| b.is_ascii_whitespace() || b == b'/';
    loop {
        while j < bytes.len() && space(bytes[j]) {
            j += 1;
        }
        if j >= bytes.len() || bytes[j] == b'>' {
            return None;
        }
        let start = j;
        while j < bytes.len() && !space(bytes[j]) && !matches!(bytes[j], b'=' | b'>') {
            j += 1;
        }
        let key = &tag[start..j];
        let mut value = "";
        if bytes.get(j) == Some(&b'=') {
            j += 1;
            match bytes.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = tag[j + 1..]
                        .find(q as char)
                        .map_or(tag.len(), |e| j + 1 + e);
                    value = &tag[j + 1..end];
                    j = end + 1;
                }
                _ => {
                    let v = j;
                    while j < bytes.len() && !bytes[j].is_ascii_whitespace() && bytes[j] != b'>' {
                        j += 1;
                    }
                    value = &tag[v..j];
                }
            }
        }
        if key.eq_ignore_ascii_case(name) {
            return Some(value.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `printf %s 'x' | openssl dgst -sha256 -binary | base64`
    const X: &str = "'sha256-LXEWQrcmsEQBYnyp+6wy9chTD7GQPMTbAiWHF5IaSIE='";
    /// theme/head.hbs's script, hashed the same way.
    const HEAD_HBS: &str = "'sha256-8WnKchZFLigbVzbnXsUK41xELy+b0YG853e0qDWpFEc='";

    const PAGE: &str = "<!DOCTYPE HTML>\n<html lang=\"en\">\n    <head>\n        \
        <!-- <script>not a script</script> -->\n        <meta charset=\"UTF-8\">\n        \
        <title>T</title>\n        <script>x</script>\n        \
        <script src=\"book.js\"></script>\n        \
        <script type=\"application/json\">{\"a\":1}</script>\n    </head>\n    <body>\n        \
        <main><p>text</p></main>\n        \
        <SCRIPT type=\"module\">Object.defineProperty(window, \"onunload\", { set: function () {} });</script >\n    \
        </body>\n</html>\n";

    fn policy(hashes: &[&str]) -> String {
        let hashes: String = hashes.iter().map(|h| format!(" {h}")).collect();
        format!("{BEFORE_HASHES}{hashes}{AFTER_HASHES}")
    }

    #[test]
    fn hashes_match_openssl() {
        assert_eq!(hash("x"), X);
        assert_eq!(
            hash(r#"Object.defineProperty(window, "onunload", { set: function () {} });"#),
            HEAD_HBS
        );
        // `printf 'a\nb' | openssl …`: the parser's line ends, not the file's.
        let lf = "'sha256-fhj3NzEbLcOy8mndeDlrA1HxT7Zu+oefdoyyMYGIPHg='";
        assert_eq!(hash("a\nb"), lf);
        assert_eq!(hash("a\r\nb"), lf);
        assert_eq!(hash("a\rb"), lf);
    }

    #[test]
    fn policy_names_each_inline_script_once_and_comes_first() {
        let doubled = PAGE.replace("<title>T</title>", "<title>T</title><script>x</script>");
        let out = apply(&doubled).unwrap();
        let expected = format!(
            "        <meta charset=\"UTF-8\">\n        {META_START}{}\">\n        <title>",
            policy(&[X, HEAD_HBS])
        );
        assert!(out.contains(&expected), "{out}");
        assert_eq!(out.matches("Content-Security-Policy").count(), 1);
        let meta = out.find(META_START).unwrap();
        let first_script = out.find("<script>x").unwrap();
        assert!(meta < first_script);
        // Nothing else moved.
        assert_eq!(
            out.replacen(
                &expected,
                "        <meta charset=\"UTF-8\">\n        <title>",
                1
            ),
            doubled
        );
    }

    #[test]
    fn running_twice_changes_nothing() {
        let once = apply(PAGE).unwrap();
        assert_eq!(strip(&once).unwrap(), PAGE, "strip undoes apply");
        assert_eq!(apply(&once).unwrap(), once);
        // A stale policy (the page's scripts changed since) is replaced.
        let edited = once.replace("<script>x</script>", "<script>y</script>");
        let again = apply(&edited).unwrap();
        assert_eq!(again.matches("Content-Security-Policy").count(), 1);
        assert!(!again.contains(X) && again.contains(&hash("y")));
    }

    #[test]
    fn without_charset_the_policy_follows_head() {
        let out = apply("<html><head><script>x</script></head><body></body></html>").unwrap();
        assert_eq!(
            out,
            format!(
                "<html><head>\n{META_START}{}\"><script>x</script></head><body></body></html>",
                policy(&[X])
            )
        );
    }

    #[test]
    fn a_page_without_head_is_an_error() {
        let err = apply("<p>fragment</p><script>x</script>").unwrap_err();
        assert!(format!("{err:#}").starts_with("no <head>"), "{err:#}");
        // `<header>` is not a head.
        assert!(apply("<header></header>").is_err());
    }

    #[test]
    fn an_inline_script_in_the_content_is_an_error() {
        let page = PAGE.replace("<p>text</p>", "<p>text</p><script>alert(1)</script>");
        let err = format!("{:#}", apply(&page).unwrap_err());
        assert!(err.starts_with("an inline <script> inside <main>"), "{err}");
        // Data blocks and files are not inline scripts.
        let page = PAGE.replace(
            "<p>text</p>",
            "<script type=\"application/json\">{}</script><script src=\"a.js\"></script>",
        );
        assert!(apply(&page).is_ok());
    }

    #[test]
    fn attributes_are_read_as_html_writes_them() {
        let tag = r#"<script data-x='a>b' TYPE=module src="">"#;
        assert_eq!(attr(tag, "type").as_deref(), Some("module"));
        assert_eq!(attr(tag, "src").as_deref(), Some(""));
        assert_eq!(attr(tag, "data-x").as_deref(), Some("a>b"));
        assert_eq!(attr("<meta charset>", "charset").as_deref(), Some(""));
        assert_eq!(attr("<meta name=a>", "charset"), None);
    }
}
