//! A new book adopting mdbook-gloss: three files and a `[preprocessor.gloss]`
//! table naming only the binary build with callouts (no templates folder,
//! no copied assets), and `mdbook-gloss install` then adds the popovers'
//! style sheets and script, once.

use std::path::Path;
use std::process::Command;

use mdbook_driver::MDBook;

const BIN: &str = env!("CARGO_BIN_EXE_mdbook-gloss");

fn three_file_book(dir: &Path) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let toml = format!(
        "[book]\ntitle = \"Three files\"\n\n[preprocessor.gloss]\ncommand = {}\n",
        toml_string(BIN)
    );
    std::fs::write(dir.join("book.toml"), toml).unwrap();
    std::fs::write(
        dir.join("src/SUMMARY.md"),
        "# Summary\n\n- [Borrowing](borrowing.md)\n- [Glossary](glossary.md)\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("src/borrowing.md"),
        "# Borrowing\n\nEvery reference has a lifetime.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("src/glossary.md"),
        "# Glossary\n\n## Lifetime {#lifetime}\n\nThe span of code in which a reference is valid.\n",
    )
    .unwrap();
}

fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn build(dir: &Path) -> String {
    let book = MDBook::load(dir).expect("the book loads");
    book.build().unwrap_or_else(|e| panic!("{e:#}"));
    std::fs::read_to_string(dir.join("book/borrowing.html")).unwrap()
}

fn install(dir: &Path) -> String {
    let out = Command::new(BIN)
        .args(["install", "--assets-dir", "theme"])
        .arg(dir)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    assert!(out.stdout.is_empty());
    stderr
}

#[test]
fn a_book_of_three_files_builds_with_callouts_and_install_adds_the_popovers() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    three_file_book(dir);

    let page = build(dir);
    assert!(
        page.contains(r#"<a class="gloss-term" href="glossary.html#lifetime""#),
        "{page}"
    );
    assert!(
        !dir.join("theme").exists(),
        "nothing was copied into the book"
    );
    assert!(!page.contains("gloss.js"));

    let first = install(dir);
    assert!(
        first.contains("added \"theme/gloss.js\" to output.html.additional-js"),
        "{first}"
    );
    let toml = std::fs::read_to_string(dir.join("book.toml")).unwrap();
    assert!(
        toml.starts_with("[book]\ntitle = \"Three files\"\n"),
        "{toml}"
    );
    let page = build(dir);
    // mdBook names each copy by its hash: `theme/gloss-98e044f6.css`.
    for (stem, ext) in [("gloss", "css"), ("gloss-figures", "css"), ("gloss", "js")] {
        let prefix = format!("\"theme/{stem}-");
        let hashed = page
            .match_indices(&prefix)
            .filter_map(|(at, _)| page[at + 1..].split('"').next())
            .find(|path| {
                path[prefix.len() - 1..]
                    .strip_suffix(&format!(".{ext}"))
                    .is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit()))
            })
            .unwrap_or_else(|| panic!("{stem}.{ext} is not loaded: {page}"));
        assert!(dir.join("book").join(hashed).is_file(), "{hashed}");
    }
    assert!(page.contains(r#"class="gloss-term""#));

    let second = install(dir);
    assert!(second.contains("already set up"), "{second}");
    assert_eq!(
        std::fs::read_to_string(dir.join("book.toml")).unwrap(),
        toml
    );
}

#[test]
fn install_without_a_book_says_where_to_run_it() {
    let tmp = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .arg("install")
        .arg(tmp.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("book.toml") && stderr.contains("help"),
        "{stderr}"
    );
    assert!(
        std::fs::read_dir(tmp.path()).unwrap().next().is_none(),
        "nothing written"
    );
}
