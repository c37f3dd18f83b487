//! What the published pages add to the page mdBook writes around a chapter,
//! where no theme partial reaches and a copy of mdBook's `index.hbs` would
//! drift from mdBook's: a step of `cargo xtask build`
//! (`site::build_book_at`), like csp.rs and share.rs.
//!
//! - A "Skip to content" link, the first element of `<body>`, so that a
//!   reader without JavaScript can also pass the sidebar and the menu bar
//!   (WCAG 2.4.1). It is off screen until focused (theme/a11y.css). With
//!   JavaScript, theme/a11y.js takes it over, so that following it moves focus
//!   without putting `#mdbook-content` in the address, and writes one where a
//!   page has none (a preview with `cargo xtask serve`).
//! - A title for the `<iframe>` that shows the table of contents when
//!   JavaScript is off (WCAG 4.1.2, axe `frame-title`).
//! - On the whole-book `print.html`, no stores of previews
//!   (`<div class="gloss-previews">`, written by the preprocessor after each
//!   chapter that links somewhere). mdBook's print page rewrites the links
//!   of the chapters it joins into anchors of its own, so no link there
//!   names a store's key, and the page is only printed, where previews are
//!   hidden: the 55 stores were a quarter of its gzipped size.
//!
//! Pages without mdBook's content element (`toc.html`, the frame itself) are
//! left as they are. Running the step twice gives the same bytes.

use std::path::Path;

use anyhow::{Context, Result, bail};

use crate::site;

/// The link, as this step writes it right after `<body…>`.
const SKIP_LINK: &str = r##"<a class="a11y-skip-link" href="#mdbook-content">Skip to content</a>"##;
/// mdBook 0.5.4's frame for the table of contents without JavaScript.
const FRAME: &str = r#"<iframe class="sidebar-iframe-outer" src="#;
/// The same with the title this step gives it.
const TITLED_FRAME: &str = r#"<iframe class="sidebar-iframe-outer" title="Table of contents" src="#;

/// Applies [`apply`] to every HTML page under `dir`. Returns the number of
/// pages changed.
pub(crate) fn apply_to_site(dir: &Path) -> Result<usize> {
    let mut pages = Vec::new();
    site::collect_html(dir, dir, &mut pages)?;
    pages.sort();
    let mut changed = 0;
    for page in &pages {
        let file = dir.join(page);
        let html = std::fs::read_to_string(&file)
            .with_context(|| format!("reading {}", file.display()))?;
        let mut out = apply(&html).with_context(|| format!("in {page}"))?;
        if page == "print.html" {
            out = drop_previews(&out);
        }
        if out != html {
            std::fs::write(&file, out).with_context(|| format!("writing {}", file.display()))?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// `html` with the skip link and the frame's title, if it is a page with
/// mdBook's content element.
pub(crate) fn apply(html: &str) -> Result<String> {
    let html = strip(html);
    if !html.contains(r#"id="mdbook-content""#) {
        return Ok(html);
    }
    let body = html
        .find("<body")
        .context("a page with content but no <body>")?;
    let Some(end) = html[body..].find('>') else {
        bail!("the <body> tag is not closed");
    };
    let at = body + end + 1;
    let mut out = String::with_capacity(html.len() + SKIP_LINK.len() + 30);
    out.push_str(&html[..at]);
    out.push('\n');
    out.push_str(SKIP_LINK);
    out.push_str(&html[at..]);
    Ok(out.replace(FRAME, TITLED_FRAME))
}

/// `html` without what [`apply`] writes: what plain mdBook writes, which the
/// contributor-path check compares with.
pub(crate) fn strip(html: &str) -> String {
    html.replacen(&format!("\n{SKIP_LINK}"), "", 1)
        .replace(TITLED_FRAME, FRAME)
}

/// The preprocessor's template for a page's previews, as mdBook writes it.
const PREVIEWS: &str = "<div class=\"gloss-previews\">";

/// `html` without the stores of previews, each with the line break that
/// follows it. A store holds only `<span>`s whose text is in escaped
/// attributes, so its first `</div>` closes it.
pub(crate) fn drop_previews(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find(PREVIEWS) {
        let Some(len) = rest[start..].find("</div>") else {
            break;
        };
        out.push_str(&rest[..start]);
        rest = &rest[start + len + "</div>".len()..];
        rest = rest.strip_prefix('\n').unwrap_or(rest);
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<html><head></head>\n    <body class=\"x\">\n<nav><noscript>\n<iframe class=\"sidebar-iframe-outer\" src=\"toc.html\"></iframe>\n</noscript></nav>\n<div id=\"mdbook-content\"><main>Text</main></div></body></html>";

    #[test]
    fn the_link_comes_first_in_body_and_the_frame_gets_a_title() {
        let out = apply(PAGE).unwrap();
        assert_eq!(
            out,
            "<html><head></head>\n    <body class=\"x\">\n<a class=\"a11y-skip-link\" href=\"#mdbook-content\">Skip to content</a>\n<nav><noscript>\n<iframe class=\"sidebar-iframe-outer\" title=\"Table of contents\" src=\"toc.html\"></iframe>\n</noscript></nav>\n<div id=\"mdbook-content\"><main>Text</main></div></body></html>"
        );
        assert_eq!(apply(&out).unwrap(), out, "a second run changed the page");
        assert_eq!(strip(&out), PAGE);
    }

    #[test]
    fn the_print_page_loses_its_stores_of_previews_and_nothing_else() {
        let page = "<main>\n<p>One</p>\n<div class=\"gloss-previews\">\n<span data-gloss-preview=\"a.html\" data-text=\"x &lt;/div&gt;\"></span>\n</div>\n\n<div class=\"gloss-note\">kept</div>\n<div class=\"gloss-previews\">\n</div>\n</main>";
        let out = drop_previews(page);
        assert_eq!(
            out,
            "<main>\n<p>One</p>\n\n<div class=\"gloss-note\">kept</div>\n</main>"
        );
        assert_eq!(drop_previews(&out), out, "a second run changed the page");
    }

    #[test]
    fn a_page_without_content_is_left_alone() {
        let toc = "<html><body class=\"sidebar-iframe-inner\"><ol></ol></body></html>";
        assert_eq!(apply(toc).unwrap(), toc);
    }

    #[test]
    fn a_page_with_content_but_no_body_is_an_error() {
        assert!(apply("<div id=\"mdbook-content\"></div>").is_err());
    }

    /// mdBook sets the root font to 10 px (62.5%), so `1rem` is 10 px where a
    /// reader of a style sheet expects 16: `22rem` made a 220 px popover.
    /// The style sheets the pages load (the preprocessor's and the theme's)
    /// give sizes in px or em.
    #[test]
    fn no_style_sheet_of_ours_sizes_in_rem() {
        let root = crate::tools::root();
        let mut checked = 0;
        for dir in ["preprocessor/assets", "theme"] {
            for entry in std::fs::read_dir(root.join(dir)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_none_or(|e| e != "css") {
                    continue;
                }
                let css = std::fs::read_to_string(&path).unwrap();
                // Comments may name the unit.
                let mut code = String::new();
                let mut rest = css.as_str();
                while let Some(start) = rest.find("/*") {
                    code.push_str(&rest[..start]);
                    rest = rest[start..]
                        .find("*/")
                        .map_or("", |end| &rest[start + end + 2..]);
                }
                code.push_str(rest);
                let bytes = code.as_bytes();
                for (at, _) in code.match_indices("rem") {
                    let after = bytes.get(at + 3).copied().unwrap_or(b' ');
                    let before = at.checked_sub(1).map(|i| bytes[i]);
                    let is_rem = before.is_some_and(|b| b.is_ascii_digit())
                        && !after.is_ascii_alphanumeric();
                    assert!(
                        !is_rem,
                        "{}: a size in rem near {:?}",
                        path.display(),
                        &code[at.saturating_sub(30)..at + 3]
                    );
                }
                checked += 1;
            }
        }
        assert!(checked >= 3, "only {checked} style sheets found");
    }
}
