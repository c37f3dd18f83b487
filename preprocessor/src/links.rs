//! Relative links between chapters, always with `/`, so that the site works
//! from any sub-path (GitHub project pages) and from disk.

/// Resolves `rel` (a link written in the chapter at `from`) to a path inside
/// `src/`, or `None` if it climbs out of it.
pub(crate) fn resolve_relative(from: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for piece in rel.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// The link that opens the repository's issue form "Suggest a correction"
/// (`.github/ISSUE_TEMPLATE/correction.yml`) prefilled: the issue's title,
/// and the form's fields `claim` (empty for a chapter), `chapter` (its
/// title) and `source` (its path, `src/…`). `repository` is
/// `git-repository-url`, without a trailing `/`.
pub(crate) fn correction_url(
    repository: &str,
    claim: Option<&str>,
    chapter: &str,
    source: &str,
) -> String {
    let title = match claim {
        Some(id) => format!("Correction: {id} in \u{201c}{chapter}\u{201d}"),
        None => format!("Correction: \u{201c}{chapter}\u{201d}"),
    };
    let mut url = format!("{repository}/issues/new?template=correction.yml");
    for (key, value) in [
        ("title", title.as_str()),
        ("claim", claim.unwrap_or("")),
        ("chapter", chapter),
        ("source", source),
    ] {
        if !value.is_empty() {
            url.push('&');
            url.push_str(key);
            url.push('=');
            url.push_str(&percent_encode(value));
        }
    }
    url
}

/// `value` for a query string: every byte but the unreserved
/// (`A-Z a-z 0-9 - . _ ~`) as `%XX`.
fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The page a chapter source renders to: `.md` → `.html`, and `README.md`
/// → `index.html` as mdBook does.
pub(crate) fn html_path(md_path: &str) -> String {
    let stem = md_path.strip_suffix(".md").unwrap_or(md_path);
    match stem.rsplit_once('/') {
        Some((dir, "README")) => format!("{dir}/index.html"),
        None if stem == "README" => "index.html".to_string(),
        _ => format!("{stem}.html"),
    }
}

/// A relative link from the chapter at `from` to `to` (both paths inside
/// `src/`), to its `.html` page when `html`, else to its `.md` source.
pub(crate) fn relative(from: &str, to: &str, fragment: Option<&str>, html: bool) -> String {
    let target = if html { html_path(to) } else { to.to_string() };
    let from_dirs: Vec<&str> = from.split('/').collect();
    let from_dirs = &from_dirs[..from_dirs.len() - 1];
    let to_parts: Vec<&str> = target.split('/').collect();
    let common = from_dirs
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = String::new();
    for _ in common..from_dirs.len() {
        out.push_str("../");
    }
    out.push_str(&to_parts[common..].join("/"));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links() {
        assert_eq!(
            relative("decision-1/a.md", "decision-2/b.md", Some("x"), true),
            "../decision-2/b.html#x"
        );
        assert_eq!(
            relative("decision-1/a.md", "decision-1/c.md", None, true),
            "c.html"
        );
        assert_eq!(
            relative("intro.md", "decision-1/c.md", None, false),
            "decision-1/c.md"
        );
        assert_eq!(
            relative("a/b/c.md", "glossary.md", Some("moe"), true),
            "../../glossary.html#moe"
        );
        assert_eq!(relative("a.md", "README.md", None, true), "index.html");
        assert_eq!(relative("x/y.md", "x/README.md", None, true), "index.html");
    }

    #[test]
    fn correction_links_prefill_the_form() {
        assert_eq!(
            correction_url(
                "https://github.com/o/r",
                Some("C17"),
                "Dense, not MoE: the stability argument",
                "src/decision-1/stability.md"
            ),
            "https://github.com/o/r/issues/new?template=correction.yml\
             &title=Correction%3A%20C17%20in%20%E2%80%9CDense%2C%20not%20MoE%3A%20the%20stability%20argument%E2%80%9D\
             &claim=C17\
             &chapter=Dense%2C%20not%20MoE%3A%20the%20stability%20argument\
             &source=src%2Fdecision-1%2Fstability.md"
        );
        assert_eq!(
            correction_url("https://h/r", None, "A & B <x>?#", "src/a b.md"),
            "https://h/r/issues/new?template=correction.yml\
             &title=Correction%3A%20%E2%80%9CA%20%26%20B%20%3Cx%3E%3F%23%E2%80%9D\
             &chapter=A%20%26%20B%20%3Cx%3E%3F%23&source=src%2Fa%20b.md"
        );
    }

    #[test]
    fn resolving() {
        assert_eq!(
            resolve_relative("decision-1/a.md", "../glossary.md").as_deref(),
            Some("glossary.md")
        );
        assert_eq!(
            resolve_relative("a.md", "./glossary.md").as_deref(),
            Some("glossary.md")
        );
        assert_eq!(resolve_relative("a.md", "../x.md"), None);
    }
}
