//! Sharing and search: what a link preview and a search engine read from the
//! published site. A step of `cargo xtask build` (`site::build_book_at`), like
//! the Content-Security-Policy, because every piece needs what neither mdBook's
//! `theme/head.hbs` partial nor the preprocessor has:
//!
//! - absolute URLs: the origin (`site-origin` in book.toml's
//!   `[preprocessor.gloss]`, e.g. `https://llama-annotated.github.io`) joined
//!   with `output.html.site-url` (`/llama-3-1-annotated/`). The partial's data
//!   has neither (mdBook passes `site-url` to 404.html alone);
//! - each page's own description, its first paragraph as rendered: the
//!   partial's data holds the page's HTML (`content`), but Handlebars can only
//!   print it, not pick a paragraph out of it (that needs a helper, which only
//!   a fork of mdBook's renderer can register), and the preprocessor sees
//!   Markdown, not the text a reader gets;
//! - files beside the pages: `sitemap.xml` and the card image (`card.rs`).
//!
//! Each page that is content (every chapter and `index.html`; not print.html
//! or any page marked `noindex`, nor 404.html or toc.html) gets, after mdBook's
//! book-wide `<meta name="description">` (kept: HTML allows one, and
//! `index.hbs` writes it; the page's own text goes to `og:description`):
//!
//! ```text
//! <link rel="canonical" href="https://llama-annotated.github.io/llama-3-1-annotated/decision-1/dense-vs-moe.html">
//! <meta property="og:type" content="article">   (the home page: "website")
//! <meta property="og:site_name" content="Llama 3.1, Annotated">
//! <meta property="og:title" content="Dense transformer or mixture of experts - Llama 3.1, Annotated">
//! <meta property="og:description" content="The first of the article’s three choices is a refusal. …">
//! <meta property="og:url" content="…the canonical URL…">
//! <meta property="og:image" content="https://…/llama-3-1-annotated/card-0123abcd.png">
//! <meta property="og:image:width" content="1200"> (and height, alt)
//! <meta name="twitter:card" content="summary_large_image">
//! ```
//!
//! X (Twitter) reads `og:title`, `og:description` and `og:image` when its own
//! `twitter:` ones are missing, so only the card kind is repeated for it.
//!
//! Decisions:
//! - `index.html` is mdBook's copy of the first chapter: both pages name the
//!   site's root URL as canonical, and the sitemap lists the root once.
//! - A description is the page's first paragraph directly in `<main>` (not in
//!   a card or a list) and without a class (not the generated claims strip
//!   under a chapter's title), as plain text, cut at a word to at most
//!   160 characters with `…`; a page without one gets the book's description.
//! - The card image's name carries a hash of its bytes (`card-<8 hex>.png`),
//!   so a preview cache never keeps an old title.
//! - `robots.txt` only when `site-url` is `/`: crawlers read it at the
//!   origin's root alone, which a project site under a sub-path does not own.
//! - Running the step again gives the same bytes: lines it wrote are removed
//!   first.
//!
//! Not covered: plain `mdbook build` and `mdbook serve` write none of this
//! (the contributor-path check in checks.rs compares without it).

use std::path::Path;

use anyhow::{Context, Result, bail};
use mdbook_driver::config::Config;

use crate::site;

#[cfg(test)]
mod tests;
mod text;

use text::{between, main_of};
pub(crate) use text::{first_paragraph, trim_description};

/// The start of every line this step writes into a page's head.
const OWN_LINES: [&str; 3] = [
    "<link rel=\"canonical\" ",
    "<meta property=\"og:",
    "<meta name=\"twitter:",
];
/// The sitemap protocol's namespace (sitemaps.org 0.9).
pub(crate) const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// Where the site is published and what it is called.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Settings {
    /// `https://owner.github.io`, no trailing slash.
    pub(crate) origin: String,
    /// `output.html.site-url`: starts and ends with `/`.
    pub(crate) site_url: String,
    /// The book's title, for `og:site_name` and the card.
    pub(crate) title: String,
    /// The book's description, for pages without a paragraph and the card.
    pub(crate) description: String,
}

impl Settings {
    /// The settings of `config`; `None` when it sets no `site-origin` (a
    /// fixture book): the step is then skipped.
    pub(crate) fn from_config(config: &Config) -> Result<Option<Settings>> {
        let Some(origin) = config.get::<String>("preprocessor.gloss.site-origin")? else {
            return Ok(None);
        };
        let site_url = config
            .get::<String>("output.html.site-url")?
            .unwrap_or_else(|| "/".into());
        Ok(Some(Settings::new(
            &origin,
            &site_url,
            config.book.title.as_deref().unwrap_or_default(),
            config.book.description.as_deref().unwrap_or_default(),
        )?))
    }

    pub(crate) fn new(
        origin: &str,
        site_url: &str,
        title: &str,
        description: &str,
    ) -> Result<Settings> {
        let host = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"));
        let valid_host = |h: &str| {
            !h.is_empty()
                && h.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
        };
        if !host.is_some_and(valid_host) {
            bail!(
                "`site-origin = \"{origin}\"` in [preprocessor.gloss] is not an origin: \
                 write the scheme and host alone, e.g. \"https://owner.github.io\" (no path, no trailing slash)"
            );
        }
        if !site_url.starts_with('/') || !site_url.ends_with('/') {
            bail!(
                "`site-url = \"{site_url}\"` in [output.html] must start and end with `/` \
                 for absolute URLs, e.g. \"/repo/\""
            );
        }
        Ok(Settings {
            origin: origin.to_string(),
            site_url: site_url.to_string(),
            title: title.to_string(),
            description: description.to_string(),
        })
    }

    /// The absolute URL of the site's root.
    pub(crate) fn root_url(&self) -> String {
        format!("{}{}", self.origin, self.site_url)
    }

    /// The absolute URL of `page` (`decision-1/dense-vs-moe.html`).
    pub(crate) fn url(&self, page: &str) -> String {
        format!("{}{}", self.root_url(), encode_path(page))
    }
}

/// Percent-encodes what may not stand in a URL path as it is.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The pages that get metadata and a place in the sitemap: not print.html
/// (`noindex`), 404.html (not a page of its own URL) or toc.html (the
/// sidebar's frame for readers without JavaScript).
fn is_content(page: &str) -> bool {
    !matches!(page, "print.html" | "404.html" | "toc.html")
}

/// Writes the metadata into every content page under `dir`, the card image
/// and `sitemap.xml` (and `robots.txt` at an origin's root). Returns the
/// number of pages.
pub(crate) fn apply_to_site(dir: &Path, settings: &Settings) -> Result<usize> {
    let card = crate::card::draw(dir, settings)?;
    let card_name = crate::card::file_name(&card);
    std::fs::write(dir.join(&card_name), &card).with_context(|| format!("writing {card_name}"))?;
    let mut pages = Vec::new();
    site::collect_html(dir, dir, &mut pages)?;
    pages.retain(|p| is_content(p));
    pages.sort();
    let read = |page: &str| {
        std::fs::read_to_string(dir.join(page)).with_context(|| format!("reading {page}"))
    };
    // The chapter index.html copies: same <main>, one canonical URL.
    let index_main = main_of(&read("index.html")?).map(str::to_string);
    let mut urls = Vec::new();
    let mut problems = Vec::new();
    let mut written = 0;
    for page in &pages {
        let html = read(page)?;
        // A page that asks not to be indexed has no canonical URL to give.
        if html.contains("<meta name=\"robots\" content=\"noindex\">") {
            continue;
        }
        let is_index = page == "index.html"
            || (index_main.is_some() && main_of(&html).map(str::to_string) == index_main);
        let url = if is_index {
            settings.root_url()
        } else {
            settings.url(page)
        };
        match apply(&html, &url, &card_name, settings) {
            Ok(out) => {
                written += 1;
                if out != html {
                    std::fs::write(dir.join(page), out)
                        .with_context(|| format!("writing {page}"))?;
                }
                if !urls.contains(&url) {
                    urls.push(url);
                }
            }
            Err(e) => problems.push(format!("{page}: {e:#}")),
        }
    }
    if !problems.is_empty() {
        bail!(
            "{} pages cannot get sharing metadata:\n  {}",
            problems.len(),
            problems.join("\n  ")
        );
    }
    // The root first, then by URL: a stable order.
    urls.sort_by_key(|u| (u != &settings.root_url(), u.clone()));
    std::fs::write(dir.join("sitemap.xml"), sitemap(&urls)?).context("writing sitemap.xml")?;
    if settings.site_url == "/" {
        std::fs::write(dir.join("robots.txt"), robots(settings)).context("writing robots.txt")?;
    }
    eprintln!(
        "==> sharing metadata in {written} pages, {} URLs in sitemap.xml, {card_name}",
        urls.len()
    );
    Ok(written)
}

/// `robots.txt` for a site at an origin's root: everything may be crawled,
/// and the sitemap is where it is.
pub(crate) fn robots(settings: &Settings) -> String {
    format!(
        "User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n",
        settings.root_url()
    )
}

/// The sitemap of `urls` (absolute, each at most once).
pub(crate) fn sitemap(urls: &[String]) -> Result<String> {
    if urls.len() > 50_000 {
        bail!("{} URLs: a sitemap holds at most 50,000", urls.len());
    }
    let mut out =
        format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"{SITEMAP_NS}\">\n");
    for url in urls {
        if url.len() >= 2048 {
            bail!("{url}: a sitemap <loc> is under 2,048 characters");
        }
        out.push_str(&format!("  <url><loc>{}</loc></url>\n", escape(url)));
    }
    out.push_str("</urlset>\n");
    Ok(out)
}

/// `html` without the lines this step writes: what plain mdBook writes.
pub(crate) fn strip(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    for line in html.split_inclusive('\n') {
        let t = line.trim_start();
        if !OWN_LINES.iter().any(|own| t.starts_with(own)) {
            out.push_str(line);
        }
    }
    out
}

/// `html` with its canonical URL `url` and its link-preview metadata, after
/// its `<meta name="description">`.
pub(crate) fn apply(html: &str, url: &str, card: &str, settings: &Settings) -> Result<String> {
    let html = strip(html);
    let anchor = "<meta name=\"description\" ";
    let at = html
        .find(anchor)
        .context("no <meta name=\"description\">: mdBook's index.hbs writes one")?;
    let line_start = html[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent = html[line_start..at].to_string();
    let line_end = html[at..].find('\n').map_or(html.len(), |i| at + i + 1);
    let title = between(&html, "<title>", "</title>").context("no <title>")?;
    let description =
        first_paragraph(&html).unwrap_or_else(|| trim_description(&settings.description));
    let image = format!("{}{card}", settings.root_url());
    let alt = format!("{}: {}", settings.title, settings.description);
    let lines = [
        format!("<link rel=\"canonical\" href=\"{}\">", escape(url)),
        // The home page is the site; every other page one of its articles.
        format!(
            "<meta property=\"og:type\" content=\"{}\">",
            if url == settings.root_url() {
                "website"
            } else {
                "article"
            }
        ),
        format!(
            "<meta property=\"og:site_name\" content=\"{}\">",
            escape(&settings.title)
        ),
        // Already escaped as the <title> holds it.
        format!("<meta property=\"og:title\" content=\"{}\">", title.trim()),
        format!(
            "<meta property=\"og:description\" content=\"{}\">",
            escape(&description)
        ),
        format!("<meta property=\"og:url\" content=\"{}\">", escape(url)),
        format!(
            "<meta property=\"og:image\" content=\"{}\">",
            escape(&image)
        ),
        format!(
            "<meta property=\"og:image:width\" content=\"{}\">",
            crate::card::WIDTH
        ),
        format!(
            "<meta property=\"og:image:height\" content=\"{}\">",
            crate::card::HEIGHT
        ),
        format!(
            "<meta property=\"og:image:alt\" content=\"{}\">",
            escape(&alt)
        ),
        "<meta name=\"twitter:card\" content=\"summary_large_image\">".into(),
    ];
    let mut out = String::with_capacity(html.len() + 1024);
    out.push_str(&html[..line_end]);
    for line in lines {
        out.push_str(&indent);
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&html[line_end..]);
    Ok(out)
}

/// `s` escaped for an attribute value or XML text.
pub(crate) fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
