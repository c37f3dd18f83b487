//! The real binary, as mdBook runs it: `supports`, JSON in and out, and the
//! exit code and stderr of every failure.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use mdbook_driver::MDBook;
use mdbook_preprocessor::PreprocessorContext;

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_mdbook-gloss");

fn run(args: &[&str], stdin: &[u8]) -> Output {
    run_with(args, stdin, &[])
}

/// The binary outside GitHub Actions (whose variables CI itself sets), with
/// `env` added.
fn run_with(args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Output {
    let mut child = Command::new(BIN)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_WORKSPACE")
        .envs(env.iter().copied())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

/// `[context, book]` as mdBook 0.5 sends it, for a fixture book.
fn input_for(case: &str) -> Vec<u8> {
    let dir = common::repo().join("preprocessor/tests/books").join(case);
    let md = MDBook::load(&dir).unwrap();
    let ctx = PreprocessorContext::new(dir, md.config.clone(), "html".into());
    serde_json::to_vec(&(ctx, md.book)).unwrap()
}

#[test]
fn supports_every_renderer_quietly() {
    for renderer in ["html", "markdown", "epub"] {
        let out = run(&["supports", renderer], b"");
        assert!(out.status.success());
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn bad_arguments_print_usage() {
    let out = run(&["frobnicate"], b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("usage: mdbook-gloss"));
}

#[test]
fn json_in_json_out_and_nothing_else_on_stdout() {
    let out = run(&[], &input_for("basic"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let book: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("stdout is only the book JSON");
    let text = book.to_string();
    assert!(text.contains("gloss-term"));
    assert!(book["items"].is_array());
}

/// A recorded mdBook 0.5.4 input: an mdBook upgrade that changes the
/// protocol's JSON fails here first.
#[test]
fn recorded_protocol_input_still_parses() {
    let recorded =
        std::fs::read(common::repo().join("preprocessor/tests/protocol/mdbook-0.5.4-input.json"))
            .unwrap();
    let out = run(&[], &recorded);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let book: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(book["items"][0]["Chapter"]["name"], "Introduction");
}

#[test]
fn empty_and_garbage_input() {
    let out = run(&[], b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("received no input"));
    let out = run(&[], b"{\"not\": \"mdbook\"");
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not mdBook's preprocessor JSON"));
}

#[test]
fn json_from_an_older_mdbook_names_the_versions() {
    let old = br#"[{"root":"/x","config":{"book":{}},"renderer":"html","mdbook_version":"0.4.40"},{"sections":[],"__non_exhaustive":null}]"#;
    let out = run(&[], old);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sent by mdBook 0.4.40"), "{err}");
    assert!(err.contains("speaks mdBook 0.5.4's protocol"), "{err}");
}

#[test]
fn failures_exit_non_zero_with_the_diagnostic_and_no_output() {
    for case in [
        "fail-unknown-id",
        "fail-unknown-kind",
        "fail-unknown-verdict",
        "fail-unknown-citation",
        "fail-duplicate-id",
    ] {
        let out = run(&[], &input_for(case));
        assert_eq!(out.status.code(), Some(1), "{case}");
        assert!(out.stdout.is_empty(), "{case}: nothing on stdout");
        let expected = std::fs::read_to_string(
            common::repo()
                .join("preprocessor/tests/books")
                .join(case)
                .join("expected.txt"),
        )
        .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            format!("{expected}\n"),
            "{case}"
        );
    }
}

/// Under GitHub Actions every diagnostic, the warnings too, is also a
/// workflow command on stderr, with the path from the repository's root
/// (`GITHUB_WORKSPACE`), so GitHub shows it on the line of the diff; the
/// rendered diagnostics stay, and stdout stays empty.
#[test]
fn under_github_actions_diagnostics_are_also_annotations() {
    let input = input_for("fail-github-annotations");
    let workspace = common::repo().canonicalize().unwrap();
    let out = run_with(
        &[],
        &input,
        &[
            ("GITHUB_ACTIONS", "true"),
            ("GITHUB_WORKSPACE", workspace.to_str().unwrap()),
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty(), "nothing on stdout");
    let annotations: Vec<&str> = stderr.lines().filter(|l| l.starts_with("::")).collect();
    assert_eq!(
        annotations,
        [
            "::warning file=preprocessor/tests/books/fail-github-annotations/src/glossary.md,\
             line=7,col=1,title=the short definition of glossary entry `moe` ends in a colon\
             ::callouts show this paragraph alone, without what it introduces\
             %0Ahelp: add `- Short: …` under the heading with a definition that stands alone",
            "::error file=preprocessor/tests/books/fail-github-annotations/src/chapter.md,\
             line=5,col=18,title=unknown cross-reference id `two-step-forcast`\
             ::no chapter, heading, glossary entry, claim or reference has this id\
             %0Ahelp: did you mean `two-step-forecast`?",
        ],
        "{stderr}"
    );
    // The rustc-style report is still there, after the annotations.
    assert!(
        stderr.contains(
            "error: unknown cross-reference id `two-step-forcast`\n --> src/chapter.md:5:18"
        ),
        "{stderr}"
    );
    // Without GitHub Actions, no annotation.
    let out = run(&[], &input);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.lines().any(|l| l.starts_with("::")), "{stderr}");
    // Outside the workspace, or without it, the path is the book's own.
    let out = run_with(&[], &input, &[("GITHUB_ACTIONS", "true")]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("::error file=src/chapter.md,line=5,col=18,"),
        "{stderr}"
    );
}

/// A bad value from mdBook's environment override is blamed on the
/// variable, not on book.toml, whose text is fine.
#[test]
fn a_bad_environment_override_names_the_variable() {
    let dir = common::repo().join("preprocessor/tests/books/basic");
    let md = MDBook::load(&dir).unwrap();
    let mut config = md.config.clone();
    // What mdBook merges from MDBOOK_PREPROCESSOR__GLOSS__DENY_WARNINGS.
    config
        .set("preprocessor.gloss.deny-warnings", "maybe")
        .unwrap();
    let ctx = PreprocessorContext::new(dir, config, "html".into());
    let input = serde_json::to_vec(&(ctx, md.book)).unwrap();
    let mut child = Command::new(BIN)
        .env_remove("GITHUB_ACTIONS")
        .env("MDBOOK_PREPROCESSOR__GLOSS__DENY_WARNINGS", "maybe")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(out.stdout.is_empty());
    assert!(
        stderr.contains("from the environment")
            && stderr.contains("MDBOOK_PREPROCESSOR__GLOSS__DENY_WARNINGS=maybe")
            && stderr.contains("`deny-warnings` accepts `true` or `false`")
            && !stderr.contains("book.toml:"),
        "{stderr}"
    );
}
