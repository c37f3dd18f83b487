//! The bad-input corpus: every mistake a contributor can make, one folder
//! each under `tests/bad-input/`, laid over the valid book in
//! `tests/bad-input/base/` (a file named `X.delete` deletes `X`). Each case
//! runs through the real binary, as mdBook runs it, and in-process through
//! mdBook: non-zero exit, nothing on stdout, nothing written, and exactly the
//! diagnostics in the case's `expected.txt`.
//!
//! `BLESS=1 cargo test -p mdbook-gloss --test bad_input` rewrites them.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use mdbook_driver::MDBook;
use mdbook_preprocessor::PreprocessorContext;

mod common;

fn copy_into(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
            copy_into(&path, &dest);
        } else if let Some(target) = dest.to_str().and_then(|d| d.strip_suffix(".delete")) {
            std::fs::remove_file(target).unwrap();
        } else if path.file_name().is_some_and(|n| n != "expected.txt") {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

/// The case's book in a temporary folder, with the repository's templates.
fn lay_out(case: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let corpus = case.parent().unwrap();
    std::fs::create_dir_all(dir.path().join("theme/gloss")).unwrap();
    copy_into(
        &common::repo().join("theme/gloss"),
        &dir.path().join("theme/gloss"),
    );
    copy_into(&corpus.join("base"), dir.path());
    copy_into(case, dir.path());
    dir
}

fn run_binary(book: &Path) -> (Option<i32>, String, String) {
    let md = MDBook::load(book).expect("the case's book.toml and SUMMARY.md load");
    let ctx = PreprocessorContext::new(book.to_path_buf(), md.config.clone(), "html".into());
    let input = serde_json::to_vec(&(ctx, md.book)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_mdbook-gloss"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_base_book_is_valid() {
    let base = common::repo().join("preprocessor/tests/bad-input/base");
    let dir = lay_out(&base);
    let (code, stdout, stderr) = run_binary(dir.path());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("gloss-term"));
}

#[test]
fn every_bad_input_is_refused_with_its_diagnostic() {
    let corpus = common::repo().join("preprocessor/tests/bad-input");
    let mut cases: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    let mut failures = Vec::new();
    let mut tried = 0;
    for case in cases.iter().filter(|c| !c.ends_with("base")) {
        tried += 1;
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let dir = lay_out(case);
        let (code, stdout, stderr) = run_binary(dir.path());
        let expected_path = case.join("expected.txt");
        if std::env::var_os("BLESS").is_some() {
            std::fs::write(&expected_path, stderr.trim_end()).unwrap();
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if code != Some(1) {
            failures.push(format!("{name}: exit code {code:?}, expected 1"));
        }
        if !stdout.is_empty() {
            failures.push(format!("{name}: wrote {} bytes to stdout", stdout.len()));
        }
        if stderr.trim_end() != expected {
            failures.push(format!(
                "{name}: diagnostics differ\n--- expected\n{expected}\n--- got\n{stderr}"
            ));
        }
        // In-process too: the build fails and writes nothing.
        let mut md = MDBook::load(dir.path()).unwrap();
        md.with_preprocessor(mdbook_gloss::Gloss);
        if md.build().is_ok() {
            failures.push(format!("{name}: the in-process build succeeded"));
        }
        if dir.path().join("book").exists() {
            failures.push(format!("{name}: the failed build wrote book/"));
        }
    }
    assert!(tried >= 35, "only {tried} cases");
    assert!(
        failures.is_empty(),
        "{} of {tried} cases failed (BLESS=1 to accept new diagnostics):\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}
