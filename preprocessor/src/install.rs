//! `mdbook-gloss install`: sets a book up to use the preprocessor, as
//! mdbook-admonish and mdbook-mermaid do. It adds the `[preprocessor.gloss]`
//! table and the style sheets and script to `book.toml` (editing it with
//! `toml_edit`, so its comments and layout stay), and writes those files,
//! which are built into the binary, into the book. Running it twice changes
//! nothing; running it after an upgrade updates the files.
//!
//! Each written file starts with a comment naming the version that wrote it,
//! so that a build can warn when the book's copy is older than the binary.

use std::path::Path;

use toml_edit::{Array, DocumentMut, Item, Table, Value};

use crate::diagnostics::{Diagnostic, Diagnostics, Location};

/// The style sheets and script a book's pages load, built into the binary.
const ASSETS: [(&str, &str); 3] = [
    ("gloss.css", include_str!("../assets/gloss.css")),
    (
        "gloss-figures.css",
        include_str!("../assets/gloss-figures.css"),
    ),
    ("gloss.js", include_str!("../assets/gloss.js")),
];

const VERSION: &str = env!("CARGO_PKG_VERSION");

/// How every written file starts: `/* mdbook-gloss 0.1.0: … */`.
const HEADER_START: &str = "/* mdbook-gloss ";

fn header() -> String {
    format!(
        "{HEADER_START}{VERSION}: written by `mdbook-gloss install`, which rewrites it after an upgrade. */\n"
    )
}

/// Sets up the book whose root is `book` and writes the assets into its
/// folder `assets_dir` (from the book root). Returns one line per change
/// made, empty when the book was already set up.
pub fn install(book: &Path, assets_dir: &str) -> Result<Vec<String>, String> {
    let toml_path = book.join("book.toml");
    let original = std::fs::read_to_string(&toml_path).map_err(|e| {
        format!(
            "error: cannot read {}: {e}\n  = help: run `mdbook-gloss install` in the book's root (where book.toml is), or give that folder: `mdbook-gloss install path/to/book`",
            toml_path.display()
        )
    })?;
    let mut doc: DocumentMut = original
        .parse()
        .map_err(|e| format!("error: book.toml is not valid TOML: {e}"))?;
    let dir = assets_dir.trim_end_matches('/');
    let entry = |name: &str| {
        if dir.is_empty() || dir == "." {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        }
    };
    let mut changes = Vec::new();

    let preprocessor = table(&mut doc, &["preprocessor"])?;
    if !preprocessor.contains_key("gloss") {
        preprocessor.insert("gloss", Item::Table(Table::new()));
        changes.push("added [preprocessor.gloss] to book.toml".to_string());
    }
    let html = table(&mut doc, &["output", "html"])?;
    for (key, names) in [
        ("additional-css", &["gloss.css", "gloss-figures.css"][..]),
        ("additional-js", &["gloss.js"][..]),
    ] {
        let list = html
            .entry(key)
            .or_insert(Item::Value(Value::Array(Array::new())))
            .as_array_mut()
            .ok_or_else(|| format!("error: `output.html.{key}` in book.toml is not a list"))?;
        for name in names {
            let path = entry(name);
            if !list.iter().any(|v| v.as_str() == Some(path.as_str())) {
                list.push(path.as_str());
                changes.push(format!("added \"{path}\" to output.html.{key}"));
            }
        }
    }

    let target = book.join(dir);
    std::fs::create_dir_all(&target)
        .map_err(|e| format!("error: cannot create {}: {e}", target.display()))?;
    for (name, text) in ASSETS {
        let path = target.join(name);
        let wanted = format!("{}{text}", header());
        if std::fs::read_to_string(&path).ok().as_deref() != Some(wanted.as_str()) {
            std::fs::write(&path, &wanted)
                .map_err(|e| format!("error: cannot write {}: {e}", path.display()))?;
            changes.push(format!("wrote {} (mdbook-gloss {VERSION})", entry(name)));
        }
    }
    let edited = doc.to_string();
    if edited != original {
        std::fs::write(&toml_path, edited)
            .map_err(|e| format!("error: cannot write {}: {e}", toml_path.display()))?;
    }
    Ok(changes)
}

/// The table at `path`, made (without a header of its own where it only
/// holds others, as `[output.html]` holds `output`) if missing.
fn table<'a>(doc: &'a mut DocumentMut, path: &[&str]) -> Result<&'a mut Table, String> {
    let mut at = doc.as_table_mut();
    for (i, key) in path.iter().enumerate() {
        let item = at.entry(key).or_insert_with(|| {
            let mut t = Table::new();
            t.set_implicit(i + 1 < path.len());
            Item::Table(t)
        });
        at = item.as_table_mut().ok_or_else(|| {
            format!(
                "error: `{}` in book.toml is not a table",
                path[..=i].join(".")
            )
        })?;
    }
    Ok(at)
}

/// A warning for each of the book's style sheets and scripts that an older
/// (or newer) `mdbook-gloss install` wrote: the pages would run markup of
/// this version with a script of another.
pub(crate) fn check_versions(
    root: &Path,
    entries: &[String],
    book_toml: Option<&str>,
    diags: &mut Diagnostics,
) {
    for entry in entries {
        let Ok(text) = std::fs::read_to_string(root.join(entry)) else {
            continue;
        };
        // Only a header we wrote: "/* mdbook-gloss figures: …" is not one.
        let Some(found) = text
            .lines()
            .next()
            .filter(|l| l.contains("written by `mdbook-gloss install`"))
            .and_then(|l| l.strip_prefix(HEADER_START))
            .and_then(|rest| rest.split(':').next())
        else {
            continue;
        };
        if found == VERSION {
            continue;
        }
        let mut d = Diagnostic::warning(format!(
            "`{entry}` was written by mdbook-gloss {found}, and this is {VERSION}"
        ))
        .help("run `mdbook-gloss install` in the book's root to update it");
        if let Some((toml, at)) =
            book_toml.and_then(|t| Some((t, t.find(&format!("\"{entry}\""))?)))
        {
            d = d
                .at(Location::new("book.toml", toml, at..at + entry.len() + 2))
                .label("the pages load this copy");
        }
        diags.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOOK: &str = "# A book's own comment\n[book]\ntitle = \"A book\"  # kept\n\n[output.html]\nadditional-css = [\"custom.css\"]\n";

    #[test]
    fn installs_once_keeps_the_layout_and_changes_nothing_the_second_time() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("book.toml"), BOOK).unwrap();
        let first = install(dir.path(), "theme").unwrap();
        assert_eq!(first.len(), 7, "{first:#?}");
        let toml = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
        assert!(
            toml.starts_with("# A book's own comment\n[book]\ntitle = \"A book\"  # kept\n"),
            "{toml}"
        );
        assert!(toml.contains("[preprocessor.gloss]"), "{toml}");
        assert!(
            toml.contains("additional-css = [\"custom.css\", \"theme/gloss.css\", \"theme/gloss-figures.css\"]"),
            "{toml}"
        );
        assert!(
            toml.contains("additional-js = [\"theme/gloss.js\"]"),
            "{toml}"
        );
        let js = std::fs::read_to_string(dir.path().join("theme/gloss.js")).unwrap();
        assert!(js.starts_with(&format!("{HEADER_START}{VERSION}:")), "{js}");
        assert!(install(dir.path(), "theme").unwrap().is_empty());
        assert_eq!(
            std::fs::read_to_string(dir.path().join("book.toml")).unwrap(),
            toml
        );
    }

    #[test]
    fn an_upgrade_rewrites_the_assets_and_a_build_warns_until_it_does() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("book.toml"), "[book]\n").unwrap();
        install(dir.path(), ".").unwrap();
        let path = dir.path().join("gloss.css");
        let old = std::fs::read_to_string(&path)
            .unwrap()
            .replacen(VERSION, "0.0.1", 1);
        std::fs::write(&path, old).unwrap();
        let toml = std::fs::read_to_string(dir.path().join("book.toml")).unwrap();
        let mut diags = Diagnostics::default();
        let entries = ["gloss.css".to_string(), "gloss.js".to_string()];
        check_versions(dir.path(), &entries, Some(&toml), &mut diags);
        let out = diags.render(false);
        assert_eq!(diags.warning_count(), 1, "{out}");
        assert!(
            out.contains("`gloss.css` was written by mdbook-gloss 0.0.1"),
            "{out}"
        );
        assert!(out.contains("book.toml:"), "{out}");
        assert_eq!(
            install(dir.path(), ".").unwrap(),
            [format!("wrote gloss.css (mdbook-gloss {VERSION})")]
        );
        let mut diags = Diagnostics::default();
        check_versions(dir.path(), &entries, Some(&toml), &mut diags);
        assert_eq!(diags.warning_count(), 0, "{}", diags.render(false));
    }

    #[test]
    fn a_book_toml_it_cannot_edit_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        assert!(install(dir.path(), ".").unwrap_err().contains("book.toml"));
        std::fs::write(dir.path().join("book.toml"), "[output]\nhtml = 3\n").unwrap();
        let err = install(dir.path(), ".").unwrap_err();
        assert!(
            err.contains("`output.html` in book.toml is not a table"),
            "{err}"
        );
        std::fs::write(
            dir.path().join("book.toml"),
            "[output.html]\nadditional-js = \"a.js\"\n",
        )
        .unwrap();
        let err = install(dir.path(), ".").unwrap_err();
        assert!(err.contains("not a list"), "{err}");
    }
}
