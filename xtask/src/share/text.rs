//! Reading a built page's HTML: its title, its `<main>`, and the text of
//! its first paragraph as a description. The pages are html5ever's output
//! (mdBook 0.5 serialises every page through it), so every element but the
//! void ones has its end tag and attribute values are quoted.

/// The longest description kept, in characters (search engines show about 155
/// to 160; link previews fewer).
pub(crate) const DESCRIPTION_MAX: usize = 160;

pub(crate) fn between<'a>(s: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = s.find(start)? + start.len();
    let to = from + s[from..].find(end)?;
    Some(&s[from..to])
}

/// What `<main>` holds, for telling mdBook's index.html copy of a chapter.
pub(crate) fn main_of(html: &str) -> Option<&str> {
    let start = html.find("<main>")?;
    let end = start + html[start..].find("</main>")?;
    Some(&html[start..end])
}

/// Elements with no end tag: they open nothing.
const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr", "path",
];

/// The text of the page's first `<p>` directly inside `<main>` and without a
/// class (written by Markdown, not generated), trimmed
/// (see [`trim_description`]); `None` if it has none with any text.
pub(crate) fn first_paragraph(html: &str) -> Option<String> {
    let main = html.find("<main>")? + "<main>".len();
    let mut depth: Vec<String> = Vec::new();
    let mut i = main;
    while let Some(lt) = html[i..].find('<').map(|k| i + k) {
        let gt = lt + html[lt..].find('>')?;
        let tag = &html[lt + 1..gt];
        i = gt + 1;
        if let Some(name) = tag.strip_prefix('/') {
            let name = name.trim().to_ascii_lowercase();
            if name == "main" && depth.is_empty() {
                return None;
            }
            if let Some(k) = depth.iter().rposition(|d| *d == name) {
                depth.truncate(k);
            }
            continue;
        }
        if tag.starts_with('!') {
            // A comment: skip to its end.
            if tag.starts_with("!--") {
                i = lt + html[lt..].find("-->")? + 3;
            }
            continue;
        }
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        // A `<p>` with a class is generated (the claims strip under the
        // title): Markdown writes paragraphs without one.
        if name == "p" && depth.is_empty() && !tag.contains("class=") {
            let end = i + html[i..].find("</p>")?;
            let text = text_of(&html[i..end]);
            if !text.is_empty() {
                return Some(trim_description(&text));
            }
        }
        if !VOID.contains(&name.as_str()) && !tag.ends_with('/') {
            depth.push(name);
        }
    }
    None
}

/// The text of an HTML fragment: tags dropped, character references decoded,
/// white space collapsed. A superscript or subscript keeps its meaning in
/// plain text: `10<sup>25</sup>` is `10²⁵` (digits, `+` and minus have
/// Unicode forms), `x<sup>0.5</sup>` is `x^0.5`, `H<sub>2</sub>O` is `H₂O`.
fn text_of(fragment: &str) -> String {
    let mut text = String::new();
    let mut rest = fragment;
    // The open <sup> or <sub>, and where its text starts in `text`.
    let mut script: Option<(bool, usize)> = None;
    while let Some(lt) = rest.find('<') {
        text.push_str(&decode(&rest[..lt]));
        let Some(gt) = rest[lt..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[lt + 1..lt + gt].trim().to_ascii_lowercase();
        rest = &rest[lt + gt + 1..];
        match tag.as_str() {
            "sup" | "sub" => script = Some((tag == "sup", text.len())),
            "/sup" | "/sub" => {
                if let Some((sup, start)) = script.take() {
                    let inner = text.split_off(start);
                    text.push_str(&scripted(&inner, sup));
                }
            }
            _ => {}
        }
    }
    text.push_str(&decode(rest));
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` in Unicode superscript (`sup`) or subscript forms when it has them
/// all, else `^s` or `_s`.
pub(crate) fn scripted(s: &str, sup: bool) -> String {
    const SUPER: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];
    const SUB: [char; 10] = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'];
    let digits = if sup { SUPER } else { SUB };
    let mapped: Option<String> = s
        .trim()
        .chars()
        .map(|c| match c {
            '0'..='9' => Some(digits[c as usize - '0' as usize]),
            '-' | '−' => Some(if sup { '⁻' } else { '₋' }),
            '+' => Some(if sup { '⁺' } else { '₊' }),
            _ => None,
        })
        .collect();
    match mapped {
        Some(m) if !m.is_empty() => m,
        _ => format!("{}{}", if sup { '^' } else { '_' }, s.trim()),
    }
}

/// Decodes the character references html5ever writes (`&amp;`, `&lt;`,
/// `&gt;`, `&quot;`, `&nbsp;`, numeric ones).
fn decode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let Some(semi) = rest.find(';').filter(|&k| k <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let name = &rest[1..semi];
        let c = match name {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ => name
                .strip_prefix("#x")
                .or_else(|| name.strip_prefix("#X"))
                .and_then(|h| u32::from_str_radix(h, 16).ok())
                .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                .and_then(char::from_u32),
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
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

/// `text` cut at a word to at most [`DESCRIPTION_MAX`] characters, `…` added
/// where it was cut.
pub(crate) fn trim_description(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= DESCRIPTION_MAX {
        return text;
    }
    let cut: String = text.chars().take(DESCRIPTION_MAX - 1).collect();
    let at_word = match cut.rfind(' ') {
        Some(k) if k > 0 => &cut[..k],
        _ => &cut,
    };
    let at_word = at_word.trim_end_matches([',', ';', ':', '.', ' ', '(', '—', '–']);
    format!("{at_word}…")
}
