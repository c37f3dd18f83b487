//! A chapter's content read back from the page mdBook wrote, as the events of
//! the tree it serialised (mdbook-html 0.5.4, `html/serialize.rs`): text
//! escapes only `<`, `>` and `&`; attributes are double-quoted with `<`, `>`,
//! `'`, `"`, `\` and `&` escaped; every element but a void or self-closing one
//! has an end tag; comments are `<!--…-->`; and the serialiser adds one
//! newline after the end tag of a block element, which was not in the tree
//! and is dropped here.
//!
//! Not a general HTML parser: anything outside that form is an error.

use std::borrow::Cow;

use anyhow::{Context, Result, bail};

/// The content of a page: what mdBook's `index.hbs` puts between `<main>` and
/// `</main>`, less the template's indentation around it.
pub(super) fn content(page: &str) -> Result<&str> {
    let start = page.find("<main>").context("the page has no <main>")? + "<main>".len();
    let end = page.rfind("</main>").context("the page has no </main>")?;
    if end < start {
        bail!("the page's </main> comes before its <main>");
    }
    Ok(page[start..end].trim_matches(|c| c == ' ' || c == '\n'))
}

/// A start tag.
pub(super) struct Tag<'a> {
    name: &'a str,
    attrs: Vec<(&'a str, Cow<'a, str>)>,
    self_closing: bool,
}

impl<'a> Tag<'a> {
    pub(super) fn attr(&self, name: &str) -> Option<Cow<'a, str>> {
        self.attrs
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
    }

    /// Whether one of the element's classes is in `classes`.
    pub(super) fn has_class(&self, classes: &[&str]) -> bool {
        self.attr("class")
            .is_some_and(|c| c.split_ascii_whitespace().any(|c| classes.contains(&c)))
    }

    pub(super) fn heading_level(&self) -> Option<u8> {
        heading_level(self.name)
    }

    /// `script` and `style`, whose content mdBook's indexer leaves out.
    pub(super) fn is_raw_text(&self) -> bool {
        matches!(self.name, "script" | "style")
    }

    pub(super) fn name(&self) -> &'a str {
        self.name
    }

    /// Whether the element ends with its start tag.
    pub(super) fn is_empty(&self) -> bool {
        self.self_closing || is_void(self.name)
    }
}

pub(super) fn heading_level(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h', d @ b'1'..=b'6'] => Some(d - b'0'),
        _ => None,
    }
}

pub(super) enum Event<'a> {
    Open(Tag<'a>),
    /// An end tag; a void or self-closing element has none.
    Close(&'a str),
    Text(Cow<'a, str>),
}

pub(super) struct Events<'a> {
    html: &'a str,
    pos: usize,
    /// The elements open at `pos`: every end tag must close the last.
    open: Vec<&'a str>,
}

impl<'a> Events<'a> {
    pub(super) fn new(html: &'a str) -> Events<'a> {
        Events {
            html,
            pos: 0,
            open: Vec::new(),
        }
    }

    /// Moves past the rest of the element `tag` opened, its end tag included.
    pub(super) fn skip_element(&mut self, tag: &Tag<'a>) -> Result<()> {
        if tag.is_empty() {
            return Ok(());
        }
        if tag.is_raw_text() {
            // Its content is raw: only its own end tag ends it.
            let close = format!("</{}>", tag.name);
            let end = self.html[self.pos..]
                .find(&close)
                .with_context(|| format!("<{}> at byte {} is not closed", tag.name, self.pos))?;
            self.pos += end;
            return match self.next().transpose()? {
                Some(Event::Close(_)) => Ok(()),
                _ => unreachable!("the end tag was just found"),
            };
        }
        let mut depth = 1usize;
        while depth > 0 {
            match self.next().transpose()? {
                Some(Event::Open(t)) if t.is_raw_text() => self.skip_element(&t)?,
                Some(Event::Open(t)) if !t.is_empty() => depth += 1,
                Some(Event::Close(_)) => depth -= 1,
                Some(_) => {}
                None => bail!("<{}> is not closed", tag.name),
            }
        }
        Ok(())
    }

    fn tag(&mut self) -> Result<Option<Event<'a>>> {
        let rest = &self.html[self.pos..];
        let at = self.pos;
        if rest.starts_with("<!--") {
            let end = rest
                .find("-->")
                .with_context(|| format!("comment at byte {at} is not closed"))?;
            self.pos += end + 3;
            return Ok(None);
        }
        let end = rest
            .find('>')
            .with_context(|| format!("tag at byte {at} is not closed"))?;
        let inner = &rest[1..end];
        self.pos += end + 1;
        if let Some(name) = inner.strip_prefix('/') {
            match self.open.pop() {
                Some(open) if open == name => {}
                open => bail!(
                    "at byte {at}: </{name}> closes {}",
                    open.map_or("nothing".into(), |o| format!("<{o}>"))
                ),
            }
            // The newline the serialiser wrote after this end tag.
            if is_pretty(name) && self.html[self.pos..].starts_with('\n') {
                self.pos += 1;
            }
            return Ok(Some(Event::Close(name)));
        }
        // `<br />` as the serialiser writes a self-closing element, and
        // `<path …/>` as Font Awesome's SVG, which mdBook copies raw.
        let (inner, self_closing) = match inner.strip_suffix('/') {
            Some(inner) => (inner.strip_suffix(' ').unwrap_or(inner), true),
            None => (inner, false),
        };
        let name_end = inner.find(' ').unwrap_or(inner.len());
        let name = &inner[..name_end];
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b':')
        {
            bail!("at byte {at}: `<{name}` is not a tag mdBook writes");
        }
        let mut attrs = Vec::new();
        let mut s = &inner[name_end..];
        while let Some(rest) = s.strip_prefix(' ') {
            let eq = rest
                .find("=\"")
                .with_context(|| format!("at byte {at}: an attribute without =\"…\""))?;
            let value_end = rest[eq + 2..]
                .find('"')
                .with_context(|| format!("at byte {at}: an attribute value is not closed"))?;
            attrs.push((&rest[..eq], unescape(&rest[eq + 2..eq + 2 + value_end])));
            s = &rest[eq + 2 + value_end + 1..];
        }
        if !s.is_empty() {
            bail!("at byte {at}: unexpected `{s}` in a tag");
        }
        let tag = Tag {
            name,
            attrs,
            self_closing,
        };
        if !tag.is_empty() {
            self.open.push(name);
        }
        Ok(Some(Event::Open(tag)))
    }
}

impl<'a> Iterator for Events<'a> {
    type Item = Result<Event<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let rest = &self.html[self.pos..];
            if rest.is_empty() {
                let open = self.open.pop()?;
                return Some(Err(anyhow::anyhow!("<{open}> is not closed")));
            }
            if rest.starts_with('<') {
                match self.tag() {
                    Ok(Some(event)) => return Some(Ok(event)),
                    Ok(None) => continue,
                    Err(e) => {
                        // Stop here: the rest cannot be read.
                        self.pos = self.html.len();
                        return Some(Err(e));
                    }
                }
            }
            let end = rest.find('<').unwrap_or(rest.len());
            self.pos += end;
            return Some(Ok(Event::Text(unescape(&rest[..end]))));
        }
    }
}

/// The text or attribute value that mdBook's escaping wrote as `s`. Entities
/// it never writes are left as they are.
fn unescape(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    const ENTITIES: &[(&str, char)] = &[
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&#39;", '\''),
        ("&#92;", '\\'),
    ];
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        match ENTITIES.iter().find(|(e, _)| rest.starts_with(e)) {
            Some((e, c)) => {
                out.push(*c);
                rest = &rest[e.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// mdBook's `is_void_element`.
fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
    )
}

/// mdBook's `wants_pretty_html_newline`: the elements whose end tag the
/// serialiser follows with a newline.
fn is_pretty(name: &str) -> bool {
    matches!(
        name,
        "blockquote"
            | "dd"
            | "div"
            | "dl"
            | "dt"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hr"
            | "li"
            | "ol"
            | "p"
            | "pre"
            | "table"
            | "tbody"
            | "thead"
            | "tr"
            | "ul"
    )
}
