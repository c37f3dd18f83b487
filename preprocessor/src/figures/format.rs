//! How numbers and text are written and measured: coordinates, rounding,
//! axis values in their [`Format`], typographic quotes, superscripts
//! (`10^25`), and the rough text widths that layout uses to keep labels
//! apart. Shared by every kind of chart and by the tables.

use serde::Serialize;

/// How the values of an axis are written in labels and tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// `405`, with the axis unit: `405B`.
    #[default]
    Plain,
    /// `16.55T`, `1.4B`, `250K`.
    Si,
    /// `3.8 × 10²⁵`.
    Power,
}

/// Piece of text in a label or a table cell: text with an optional
/// superscript (an exponent), or a citation.
#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub(super) struct Piece {
    /// Plain text.
    pub(super) text: String,
    /// A superscript after it.
    pub(super) sup: Option<String>,
    /// For a citation: its text, "(Llama Team 2024, §3.2.1)".
    pub(super) cite: Option<String>,
    /// For a citation: the link to the references page.
    pub(super) href: Option<String>,
}

impl Piece {
    /// Plain text.
    pub(super) fn text(t: impl Into<String>) -> Piece {
        Piece {
            text: t.into(),
            ..Piece::default()
        }
    }
}

/// Typographic quotes, as mdBook's smart punctuation gives the chapters:
/// `'` becomes ‘ or ’, `"` becomes “ or ”, `--` an en dash and `...` an
/// ellipsis.
pub(super) fn smart(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev: Option<char> = None;
    let opens = |p: Option<char>| p.is_none_or(|c| c.is_whitespace() || "([{—–-/".contains(c));
    for c in text.replace("...", "…").replace("--", "–").chars() {
        let s = match c {
            '\'' if opens(prev) => '‘',
            '\'' => '’',
            '"' if opens(prev) => '“',
            '"' => '”',
            c => c,
        };
        out.push(s);
        prev = Some(c);
    }
    out
}

/// Text in which `^` starts a superscript that runs to the next space or
/// punctuation other than `.` and `-` inside it: `10^25 FLOPs`, `C^0.537`.
pub(super) fn rich(text: &str) -> Vec<Piece> {
    let mut out: Vec<Piece> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('^') {
        let after = &rest[at + 1..];
        let len = after
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '.' || c == '-' || c == '−'))
            .map_or(after.len(), |(i, _)| i);
        let mut sup = &after[..len];
        // A full stop after the exponent ends the sentence.
        while let Some(s) = sup.strip_suffix('.') {
            sup = s;
        }
        if sup.is_empty() {
            out.push(Piece::text(&rest[..at + 1]));
        } else {
            out.push(Piece {
                text: rest[..at].to_string(),
                sup: Some(sup.to_string()),
                ..Piece::default()
            });
        }
        rest = &after[sup.len()..];
    }
    if !rest.is_empty() || out.is_empty() {
        out.push(Piece::text(rest));
    }
    out
}

/// A coordinate: one decimal at most.
pub(super) fn coord(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// `v` rounded to `significant` digits.
pub(super) fn round_sig(v: f64, significant: usize) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    let digits = significant as i32 - 1 - v.abs().log10().floor() as i32;
    let scale = 10f64.powi(digits);
    (v * scale).round() / scale
}

/// A number as short as it can be written: `405`, `16.55`, `0.537`.
pub(super) fn plain_number(v: f64) -> String {
    if v != 0.0 && (v.abs() >= 1e7 || v.abs() < 1e-3) {
        let exp = v.abs().log10().floor() as i32;
        let mantissa = round_sig(v / 10f64.powi(exp), 4);
        return format!("{mantissa}e{exp}");
    }
    format!("{}", round_sig(v, 6))
}

/// `v` written in `format`, to `significant` digits.
pub(super) fn format_value(v: f64, format: Format, unit: &str, significant: usize) -> Vec<Piece> {
    let v = round_sig(v, significant);
    match format {
        Format::Plain => vec![Piece::text(format!("{}{unit}", plain_number(v)))],
        Format::Si => {
            let (div, suffix) = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")]
                .into_iter()
                .find(|(d, _)| v.abs() >= *d)
                .unwrap_or((1.0, ""));
            let n = round_sig(v / div, significant);
            vec![Piece::text(format!("{n}{suffix}{unit}"))]
        }
        Format::Power => {
            if v == 0.0 {
                return vec![Piece::text(format!("0{unit}"))];
            }
            let exp = v.abs().log10().floor() as i32;
            let mantissa = round_sig(v / 10f64.powi(exp), significant);
            let (mantissa, exp) = if mantissa.abs() >= 10.0 {
                (mantissa / 10.0, exp + 1)
            } else {
                (mantissa, exp)
            };
            let text = if mantissa == 1.0 {
                "10".to_string()
            } else {
                format!("{mantissa} × 10")
            };
            let mut out = vec![Piece {
                text,
                sup: Some(exp.to_string()),
                ..Piece::default()
            }];
            if !unit.is_empty() {
                out.push(Piece::text(unit));
            }
            out
        }
    }
}

/// Roughly how wide `text` is at font size `size` in the book's sans-serif
/// font, a little generous so labels never collide.
pub(super) fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | 'I' | '(' | ')' => 0.3,
            'f' | 't' | 'r' | ' ' | '/' | '-' => 0.36,
            'm' | 'w' | 'M' | 'W' | '—' | '×' => 0.88,
            c if c.is_ascii_uppercase() => 0.68,
            c if c.is_ascii_digit() => 0.58,
            _ => 0.56,
        })
        .sum();
    em * size * if bold { 1.08 } else { 1.0 }
}

/// `text` broken into lines no wider than `width`.
pub(super) fn wrap(text: &str, width: f64, size: f64, bold: bool) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if text_width(&format!("{line} {word}"), size, bold) <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}
