//! The script rule: nothing a contributor writes under `src/` may run script
//! in a reader's browser. Every page (`*.md`) and data file (`data/*.toml`,
//! whose strings are Markdown) is checked for
//!
//! - a URL whose scheme is `javascript:`, `data:` or `vbscript:`, in a
//!   Markdown link or image destination, an autolink, a link reference
//!   definition, or a URL attribute of raw HTML (`href`, `src`, `action`,
//!   `formaction`, `xlink:href`, …), however it is spelt: any case, leading
//!   blanks, tabs or line breaks inside, HTML entities (`java&#115;cript:`)
//!   or percent escapes;
//! - an event-handler attribute (`onerror=`, `onclick =`, any `on…`) in raw
//!   HTML or in a heading's `{…}` attributes.
//!
//! Only URL positions count: "Training data: 15T tokens" is prose, and code
//! spans and code blocks are shown as code, so neither is looked at. The
//! Markdown is parsed by `mdbook_markdown::new_cmark_parser`, as mdBook
//! parses it; raw HTML is read by a small tag scanner.

use std::fmt;
use std::ops::Range;
use std::path::Path;

use anyhow::{Context, Result, bail};
use mdbook_markdown::pulldown_cmark::{Event, LinkType, Tag, TagEnd};
use mdbook_markdown::{MarkdownOptions, new_cmark_parser};

use crate::github;
use crate::site::percent_decode;
use crate::tools::root;

/// The schemes a browser runs as script or renders as a document of its own.
const SCHEMES: [&str; 3] = ["javascript", "data", "vbscript"];

/// The HTML attributes whose value is a URL a browser follows or loads.
const URL_ATTRIBUTES: [&str; 9] = [
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "data",
    "background",
    "srcset",
];

/// The line printed under the list of offences.
const HELP: &str = "help: link with https:, mailto:, a relative path or the book's cite:, xref: \
                    and figure: forms; behaviour belongs in theme/*.js, never in a page";

/// A place in a file that could run script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Offence {
    /// The file, as shown to the writer (`src/…`).
    pub(crate) path: String,
    /// Line and column (in characters), both from 1.
    pub(crate) line: usize,
    pub(crate) col: usize,
    pub(crate) reason: String,
}

impl Offence {
    /// The offence as a GitHub error annotation on its line and column.
    pub(crate) fn annotation(&self) -> String {
        github::command(
            github::Level::Error,
            Some((&self.path, self.line, Some(self.col))),
            &self.reason,
            HELP,
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

/// The dangerous scheme `url` has, if any. `entities`: decode HTML character
/// references first (attribute values; the Markdown parser has already
/// decoded them in link destinations).
fn unsafe_scheme(url: &str, entities: bool) -> Option<&'static str> {
    let decoded = if entities {
        decode_entities(url)
    } else {
        url.to_string()
    };
    let decoded = percent_decode(&decoded);
    // As the URL parser does: no leading C0 controls or spaces, and tabs and
    // line breaks anywhere are dropped.
    let url: String = decoded
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = url.split_once(':')?;
    let scheme = scheme.to_ascii_lowercase();
    SCHEMES.into_iter().find(|s| *s == scheme)
}

/// `&#115;`, `&#x73;` (with or without `;`) and the few named references
/// that can spell a scheme's punctuation or blanks.
fn decode_entities(s: &str) -> String {
    const NAMED: [(&str, char); 6] = [
        ("colon;", ':'),
        ("tab;", '\t'),
        ("newline;", '\n'),
        ("amp;", '&'),
        ("percnt;", '%'),
        ("nbsp;", ' '),
    ];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(num) = rest.strip_prefix('#') {
            let (hex, digits) = match num.strip_prefix(['x', 'X']) {
                Some(h) => (true, h),
                None => (false, num),
            };
            let len = digits
                .find(|c: char| {
                    !(if hex {
                        c.is_ascii_hexdigit()
                    } else {
                        c.is_ascii_digit()
                    })
                })
                .unwrap_or(digits.len());
            let value = u32::from_str_radix(&digits[..len], if hex { 16 } else { 10 }).ok();
            if let Some(c) = value.and_then(char::from_u32) {
                out.push(c);
                let after = &digits[len..];
                rest = after.strip_prefix(';').unwrap_or(after);
                continue;
            }
        } else if let Some((name, c)) = NAMED.iter().find(|(name, _)| {
            rest.get(..name.len())
                .is_some_and(|r| r.eq_ignore_ascii_case(name))
        }) {
            out.push(*c);
            rest = &rest[name.len()..];
            continue;
        }
        out.push('&');
    }
    out.push_str(rest);
    out
}

/// What an attribute `name` (lower-cased) with `value` offends, if anything.
fn attribute_offence(name: &str, value: Option<&str>, entities: bool) -> Option<String> {
    if name.len() > 2
        && name.starts_with("on")
        && name[2..].bytes().all(|b| b.is_ascii_alphabetic())
    {
        return Some(format!("event-handler attribute `{name}`"));
    }
    if !URL_ATTRIBUTES.contains(&name) {
        return None;
    }
    let value = value?;
    // `srcset` holds a list of candidates; elsewhere a comma is the URL's own.
    let mut urls: Vec<&str> = vec![value];
    if name == "srcset" {
        urls = value.split(',').collect();
    }
    urls.into_iter()
        .find_map(|url| unsafe_scheme(url, entities))
        .map(|scheme| format!("`{name}` attribute with a `{scheme}:` URL"))
}

/// Offences in raw HTML, as (byte offset in `html`, reason): every start
/// tag's attributes, read as a browser reads them; comments are skipped.
fn scan_html(html: &str) -> Vec<(usize, String)> {
    let b = html.as_bytes();
    let blank = |i: usize| b[i].is_ascii_whitespace();
    let mut found = Vec::new();
    let mut i = 0;
    while let Some(lt) = html[i..].find('<') {
        let start = i + lt;
        if html[start..].starts_with("<!--") {
            i = html[start..].find("-->").map_or(b.len(), |e| start + e + 3);
            continue;
        }
        if !b.get(start + 1).is_some_and(u8::is_ascii_alphabetic) {
            i = start + 1;
            continue;
        }
        // The tag name, then attributes up to `>`.
        let mut j = start + 1;
        while j < b.len() && !blank(j) && b[j] != b'/' && b[j] != b'>' {
            j += 1;
        }
        loop {
            while j < b.len() && (blank(j) || b[j] == b'/') {
                j += 1;
            }
            if j >= b.len() || b[j] == b'>' {
                break;
            }
            let name_start = j;
            j += 1; // A name's first character may be anything, even `=`.
            while j < b.len() && !blank(j) && !matches!(b[j], b'/' | b'>' | b'=') {
                j += 1;
            }
            let name = html[name_start..j].to_ascii_lowercase();
            let mut k = j;
            while k < b.len() && blank(k) {
                k += 1;
            }
            let mut value = None;
            if b.get(k) == Some(&b'=') {
                k += 1;
                while k < b.len() && blank(k) {
                    k += 1;
                }
                match b.get(k) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let end = html[k + 1..].find(q as char).map_or(b.len(), |e| k + 1 + e);
                        value = Some(&html[k + 1..end]);
                        k = (end + 1).min(b.len());
                    }
                    _ => {
                        let from = k;
                        while k < b.len() && !blank(k) && b[k] != b'>' {
                            k += 1;
                        }
                        value = Some(&html[from..k]);
                    }
                }
                j = k;
            }
            if let Some(reason) = attribute_offence(&name, value, true) {
                found.push((name_start, format!("{reason} in raw HTML")));
            }
        }
        i = j;
    }
    found
}

/// Raw HTML as the parser hands it over: pieces of text, each with the
/// source range it came from.
#[derive(Default)]
struct Html {
    text: String,
    /// (offset in `text`, source range of that piece).
    pieces: Vec<(usize, Range<usize>)>,
}

impl Html {
    fn push(&mut self, piece: &str, range: Range<usize>) {
        self.pieces.push((self.text.len(), range));
        self.text.push_str(piece);
    }

    /// Offences, at their source offsets: exact where a piece is the source
    /// text itself, else at the start of its piece.
    fn scan(&self, out: &mut Vec<(usize, String)>) {
        for (at, reason) in scan_html(&self.text) {
            let (from, range) = self
                .pieces
                .iter()
                .rev()
                .find(|(from, _)| *from <= at)
                .expect("the first piece starts at 0");
            let piece_len = self
                .pieces
                .iter()
                .find(|(f, _)| f > from)
                .map_or(self.text.len(), |(f, _)| *f)
                - from;
            let offset = if piece_len == range.len() {
                range.start + at - from
            } else {
                range.start
            };
            out.push((offset, reason));
        }
    }
}

/// Offences in a Markdown text, as (byte offset, reason), in source order.
pub(crate) fn scan_markdown(text: &str) -> Vec<(usize, String)> {
    let parser = new_cmark_parser(text, &MarkdownOptions::default());
    let mut found = Vec::new();
    // Reported at the definition, so not again at each link that uses it.
    for (_, def) in parser.reference_definitions().iter() {
        if let Some(scheme) = unsafe_scheme(&def.dest, false) {
            found.push((
                def.span.start,
                format!("link reference definition to a `{scheme}:` URL"),
            ));
        }
    }
    let mut block: Option<Html> = None;
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::HtmlBlock) => block = Some(Html::default()),
            Event::End(TagEnd::HtmlBlock) => {
                if let Some(html) = block.take() {
                    html.scan(&mut found);
                }
            }
            Event::Html(piece) => match &mut block {
                Some(html) => html.push(&piece, range),
                None => {
                    let mut html = Html::default();
                    html.push(&piece, range);
                    html.scan(&mut found);
                }
            },
            Event::InlineHtml(piece) => {
                let mut html = Html::default();
                html.push(&piece, range);
                html.scan(&mut found);
            }
            Event::Start(
                Tag::Link {
                    link_type,
                    dest_url,
                    ..
                }
                | Tag::Image {
                    link_type,
                    dest_url,
                    ..
                },
            ) => {
                let by_reference = matches!(
                    link_type,
                    LinkType::Reference | LinkType::Collapsed | LinkType::Shortcut
                );
                if !by_reference && let Some(scheme) = unsafe_scheme(&dest_url, false) {
                    found.push((range.start, format!("link to a `{scheme}:` URL")));
                }
            }
            Event::Start(Tag::Heading { attrs, .. }) => {
                for (name, value) in attrs {
                    let name = name.to_ascii_lowercase();
                    if let Some(reason) = attribute_offence(&name, value.as_deref(), false) {
                        found.push((range.start, format!("{reason} in a heading's attributes")));
                    }
                }
            }
            _ => {}
        }
    }
    found.sort();
    found
}

/// Offences in a TOML data file: each string is Markdown. Offsets are
/// exact where the string appears in the file as it is (no escapes), else
/// at the string's start.
fn scan_toml(text: &str) -> Result<Vec<(usize, String)>> {
    use toml::Spanned;
    use toml::de::{DeTable, DeValue};

    fn walk(text: &str, value: &Spanned<DeValue<'_>>, out: &mut Vec<(usize, String)>) {
        match value.get_ref() {
            DeValue::String(s) => {
                let span = value.span();
                let base = text[span.clone()].find(s.as_ref());
                for (at, reason) in scan_markdown(s) {
                    out.push((base.map_or(span.start, |b| span.start + b + at), reason));
                }
            }
            DeValue::Array(items) => items.iter().for_each(|v| walk(text, v, out)),
            DeValue::Table(table) => table.values().for_each(|v| walk(text, v, out)),
            _ => {}
        }
    }

    let table = DeTable::parse(text).map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut found = Vec::new();
    for value in table.get_ref().values() {
        walk(text, value, &mut found);
    }
    found.sort();
    Ok(found)
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

/// The files the rule covers, as (path from `root`, text): every `*.md`
/// under `src/` and every `src/data/*.toml`, in path order.
fn files(root: &Path) -> Result<Vec<(String, String)>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> Result<()> {
        let mut paths = Vec::new();
        for entry in
            std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))?
        {
            paths.push(entry?.path());
        }
        paths.sort();
        let data = root.join("src").join("data");
        for path in paths {
            if path.is_dir() {
                walk(root, &path, out)?;
                continue;
            }
            let ext = path.extension().and_then(|e| e.to_str());
            if ext == Some("md") || (ext == Some("toml") && path.parent() == Some(&data)) {
                let text = std::fs::read_to_string(&path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                let shown = path.strip_prefix(root).unwrap_or(&path);
                out.push((shown.display().to_string(), text));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(root, &root.join("src"), &mut out)?;
    Ok(out)
}

/// Every offence in `files` (path, text), in file order.
pub(crate) fn find_offences(files: &[(String, String)]) -> Result<Vec<Offence>> {
    let mut offences = Vec::new();
    for (path, text) in files {
        let found = if path.ends_with(".toml") {
            scan_toml(text).with_context(|| format!("{path} is not valid TOML"))?
        } else {
            scan_markdown(text)
        };
        for (offset, reason) in found {
            let (line, col) = line_col(text, offset);
            offences.push(Offence {
                path: path.clone(),
                line,
                col,
                reason,
            });
        }
    }
    Ok(offences)
}

/// The check over `root/src/`: the number of files checked, or an error
/// that lists every offence.
pub(crate) fn check(root: &Path) -> Result<usize> {
    let files = files(root)?;
    let offences = find_offences(&files)?;
    if !offences.is_empty() {
        github::emit(offences.iter().map(Offence::annotation));
        let list: Vec<String> = offences.iter().map(Offence::to_string).collect();
        bail!(
            "{} places in src/ could run script in a reader's browser:\n  {}\n{HELP}",
            offences.len(),
            list.join("\n  ")
        );
    }
    Ok(files.len())
}

/// The step in `cargo xtask check`.
pub(crate) fn step() -> Result<()> {
    let n = check(&root())?;
    eprintln!("    {n} pages and data files, no script URL or event handler");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The offences in a page, as `line:col: reason`.
    fn page(text: &str) -> Vec<String> {
        find_offences(&[("src/p.md".to_string(), text.to_string())])
            .unwrap()
            .iter()
            .map(|o| format!("{}:{}: {}", o.line, o.col, o.reason))
            .collect()
    }

    #[test]
    fn an_offence_is_an_annotation_on_its_line_and_column() {
        let found = find_offences(&[(
            "src/p.md".to_string(),
            "# T\n\nSee [x](javascript:alert(1)).\n".to_string(),
        )])
        .unwrap();
        assert_eq!(
            found[0].annotation(),
            "::error file=src/p.md,line=3,col=5,title=link to a `javascript%3A` URL\
             ::help: link with https:, mailto:, a relative path or the book's cite:, xref: \
             and figure: forms; behaviour belongs in theme/*.js, never in a page"
        );
    }

    #[test]
    fn markdown_links_images_and_autolinks_with_a_script_scheme_are_offences() {
        assert_eq!(
            page("# T\n\nSee [x](javascript:alert(1)) and ![i](data:image/svg+xml,<svg>).\n"),
            [
                "3:5: link to a `javascript:` URL",
                "3:34: link to a `data:` URL"
            ]
        );
        assert_eq!(
            page("Go <javascript:alert(1)> or <VBScript:msgbox(1)>.\n"),
            [
                "1:4: link to a `javascript:` URL",
                "1:29: link to a `vbscript:` URL"
            ]
        );
        assert_eq!(
            page("[x](<javascript:alert(1)>)\n"),
            ["1:1: link to a `javascript:` URL"]
        );
    }

    #[test]
    fn case_blanks_entities_and_percent_escapes_do_not_hide_a_scheme() {
        for dest in [
            "JaVaScRiPt:alert(1)",
            "java&#115;cript:alert(1)",
            "java&#x73;cript:alert(1)",
            "javascript&colon;alert(1)",
            "java%73cript:alert(1)",
            "%20javascript:alert(1)",
            "<java\tscript:alert(1)>",
        ] {
            assert_eq!(
                page(&format!("[x]({dest})\n")),
                ["1:1: link to a `javascript:` URL"],
                "{dest}"
            );
        }
        for value in [
            " javascript:alert(1)",
            "&#x20;javascript:alert(1)",
            "java&#115cript:alert(1)",
            "java&Tab;script:alert(1)",
            "java\nscript:alert(1)",
            "JAVASCRIPT&#58;alert(1)",
        ] {
            assert_eq!(
                page(&format!("<a href=\"{value}\">x</a>\n")),
                ["1:4: `href` attribute with a `javascript:` URL in raw HTML"],
                "{value:?}"
            );
        }
    }

    #[test]
    fn link_reference_definitions_are_offences_once() {
        assert_eq!(
            page("See [x][a] and [a].\n\n[a]: javascript:alert(1)\n[b]:  data:text/html,hi\n"),
            [
                "3:1: link reference definition to a `javascript:` URL",
                "4:1: link reference definition to a `data:` URL"
            ]
        );
    }

    #[test]
    fn url_attributes_and_event_handlers_in_raw_html_are_offences() {
        let text = "\
<div>
<img src=x onerror=alert(1)>
<a HREF='vbscript:x' onclick = \"go()\">y</a>
<form action=\"javascript:x\"><button formaction=\"data:text/html,x\">b</button></form>
<svg><a xlink:href=\"javascript:x\"><text>t</text></a></svg>
</div>

Inline <span onmouseover=\"x()\">here</span> too.
";
        assert_eq!(
            page(text),
            [
                "2:12: event-handler attribute `onerror` in raw HTML",
                "3:4: `href` attribute with a `vbscript:` URL in raw HTML",
                "3:22: event-handler attribute `onclick` in raw HTML",
                "4:7: `action` attribute with a `javascript:` URL in raw HTML",
                "4:37: `formaction` attribute with a `data:` URL in raw HTML",
                "5:9: `xlink:href` attribute with a `javascript:` URL in raw HTML",
                "8:14: event-handler attribute `onmouseover` in raw HTML",
            ]
        );
    }

    #[test]
    fn a_tag_across_lines_of_an_html_block_is_read_whole() {
        assert_eq!(
            page("<div\n  class=\"x\"\n  onclick=\"go()\">\n\nhi\n\n</div>\n"),
            ["3:3: event-handler attribute `onclick` in raw HTML"]
        );
    }

    #[test]
    fn heading_attributes_are_checked_like_html_ones() {
        assert_eq!(
            page("# Title {#t onclick=go}\n"),
            ["1:1: event-handler attribute `onclick` in a heading's attributes"]
        );
    }

    #[test]
    fn prose_code_and_safe_urls_are_not_offences() {
        let text = "\
# Data {#data}

Training data: 15T tokens. The scheme javascript: is named here, and
onclick=\"x\" is prose outside any tag; a < b onload is text.

A code span `<a href=\"javascript:x\" onclick=\"y\">` and `[x](javascript:y)`.

```html
<img src=x onerror=alert(1)>
[x](javascript:alert(1))
```

    <a href=\"javascript:x\">indented code</a>

[https](https://example.com/data:x), [mail](mailto:a@example.com),
[relative](../part/two.md#data), [cite](cite:l3), <xref:two-step>,
<https://example.com/?q=javascript:x>, ![img](images/data.png).

[ref]: https://example.com/javascript:x

<a href=\"https://example.com\" title=\"javascript: no\" data-onclick=\"x\">ok</a>
<!-- <a href=\"javascript:x\" onclick=\"y\"> in a comment -->
<img src=\"figure.svg\" alt=\"data: a caption\"> <!-- no-gloss -->
";
        assert_eq!(page(text), Vec::<String>::new());
    }

    #[test]
    fn a_data_file_s_strings_are_markdown_and_found_at_their_place() {
        let toml = "\
kind = \"line\"
caption = \"Training data: 15T tokens, `javascript:` in code.\"
source = \"[§3](cite:l3) and [x](javascript:alert(1))\"

[[series]]
note = \"\"\"
Line one.
<b onclick='go()'>b</b>\"\"\"
";
        let found = find_offences(&[("src/data/c.toml".to_string(), toml.to_string())]).unwrap();
        let lines: Vec<String> = found.iter().map(Offence::to_string).collect();
        assert_eq!(
            lines,
            [
                "src/data/c.toml:3:29: link to a `javascript:` URL",
                "src/data/c.toml:8:4: event-handler attribute `onclick` in raw HTML"
            ]
        );
    }

    #[test]
    fn the_check_walks_src_and_lists_every_offence_with_help() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let write = |path: &str, text: &str| {
            let path = root.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("src/SUMMARY.md", "# Summary\n\n- [One](one.md)\n");
        write("src/one.md", "# One\n\nTraining data: fine.\n");
        assert_eq!(check(root).unwrap(), 2);
        write("src/part/two.md", "# Two\n\n[x](javascript:go())\n");
        write("src/data/c.toml", "note = \"<i onload=x>\"\n");
        // Not a page or a data file: not the rule's business.
        write("src/notes.toml", "note = \"<i onload=x>\"\n");
        let err = check(root).unwrap_err().to_string();
        assert_eq!(
            err,
            format!(
                "2 places in src/ could run script in a reader's browser:\n  \
                 src/data/c.toml:1:12: event-handler attribute `onload` in raw HTML\n  \
                 src/part/two.md:3:1: link to a `javascript:` URL\n{HELP}"
            )
        );
    }

    /// The book as it is has no offence.
    #[test]
    fn the_real_book_has_no_offence() {
        let n = check(&root()).unwrap();
        assert!(n > 20, "{n} files");
    }
}
