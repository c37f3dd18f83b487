//! Fixture books for the end-to-end tests: `tests/books/<case>/` copied to a
//! temporary folder and built in-process by mdBook with the preprocessor
//! registered, using the repository's own templates.

#![allow(dead_code, reason = "each test file uses a different part")]

use std::path::{Path, PathBuf};

use mdbook_driver::MDBook;

/// The repository root.
pub(crate) fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A built fixture book.
pub(crate) struct Built {
    /// Keeps the folder alive.
    pub(crate) dir: tempfile::TempDir,
    /// The build's result: `Err` holds the rendered diagnostics.
    pub(crate) result: Result<(), String>,
}

impl Built {
    /// The output folder.
    pub(crate) fn out(&self) -> PathBuf {
        self.dir.path().join("book")
    }

    /// A page of the output.
    pub(crate) fn page(&self, name: &str) -> String {
        std::fs::read_to_string(self.out().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    /// The `<main>` of a page.
    pub(crate) fn main(&self, name: &str) -> String {
        let page = self.page(name);
        let start = page.find("<main>").expect("a <main>");
        let end = page.find("</main>").expect("a </main>");
        page[start..end + 7].to_string()
    }

    /// The error text of a failed build.
    pub(crate) fn error(&self) -> &str {
        self.result
            .as_ref()
            .expect_err("the build should have failed")
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_dir(&path, &dest);
        } else {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

/// Builds `tests/books/<case>`.
pub(crate) fn build(case: &str) -> Built {
    build_with(case, |_| {})
}

/// Builds `tests/books/<case>` after `tweak` has changed the loaded book.
pub(crate) fn build_with(case: &str, tweak: impl FnOnce(&mut MDBook)) -> Built {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/books")
            .join(case),
        dir.path(),
    );
    let result = build_in(dir.path(), tweak);
    Built { dir, result }
}

/// Builds the book already laid out in `dir` (by the caller, in a folder
/// it owns) after `tweak` has changed the loaded book; `Err` holds the
/// rendered diagnostics.
pub(crate) fn build_in(dir: &Path, tweak: impl FnOnce(&mut MDBook)) -> Result<(), String> {
    let mut book = MDBook::load(dir).expect("fixture loads");
    book.with_preprocessor(mdbook_gloss::Gloss);
    tweak(&mut book);
    book.build().map_err(|e| format!("{e:#}"))
}

/// The message of a caught panic.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_string()))
        .unwrap_or_default()
}
