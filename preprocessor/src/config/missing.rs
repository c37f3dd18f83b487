//! The errors for a setting of `[preprocessor.gloss]` that names what the
//! book does not have: a chapter, a folder of templates. Each points at the
//! key in book.toml and suggests what was probably meant.

use crate::chapter::Chapter;
use crate::diagnostics::{Diagnostic, Location, suggest};

/// The error for `glossary` or `references` naming no chapter: what was
/// looked for, where it is set, and the path that was probably meant.
pub(crate) fn missing_page(
    key: &str,
    path: &str,
    src: &str,
    chapters: &[Chapter],
    book_toml: Option<&str>,
) -> Diagnostic {
    let mut d = Diagnostic::error(format!("`{key} = \"{path}\"` names no chapter of the book"))
        .label(format!(
            "looked for `{src}/{path}` among the chapters of SUMMARY.md"
        ));
    if let Some((text, at)) = book_toml.and_then(|t| Some((t, super::key_offset(t, key)?))) {
        d = d.at(Location::new("book.toml", text, at..at + key.len()));
    }
    let inside = path.strip_prefix(&format!("{src}/")).unwrap_or(path);
    if inside != path && chapters.iter().any(|c| c.path == inside) {
        d.help(format!(
            "the path is inside `{src}/`: write `{key} = \"{inside}\"`"
        ))
    } else if let Some(s) = suggest(path, chapters.iter().map(|c| c.path.as_str())) {
        d.help(s)
    } else {
        d.help(format!(
            "add the {key} chapter to SUMMARY.md, or remove `{key}` from `[preprocessor.gloss]`"
        ))
    }
}

/// The error for a `templates` folder that does not exist: one error at the
/// key, not one per missing template.
pub(crate) fn missing_templates(
    root: &std::path::Path,
    shown: &str,
    book_toml: Option<&str>,
) -> Diagnostic {
    let mut d = Diagnostic::error(format!("the templates folder `{shown}` does not exist"));
    if let Some((text, span)) =
        book_toml.and_then(|t| Some((t, super::value_span(t, "templates")?)))
    {
        d = d.at(Location::new("book.toml", text, span)).label("here");
    }
    // Sibling folders, as the writer would name them.
    let (parent, _) = shown.rsplit_once('/').unwrap_or(("", shown));
    let siblings: Vec<String> = std::fs::read_dir(root.join(parent))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            if parent.is_empty() {
                name
            } else {
                format!("{parent}/{name}")
            }
        })
        .collect();
    match suggest(shown, siblings.iter().map(String::as_str)) {
        Some(s) => d.help(s),
        None => d.help("point `templates` in `[preprocessor.gloss]` at the folder of Tera templates, from the book root"),
    }
}
