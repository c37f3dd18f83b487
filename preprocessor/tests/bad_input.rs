//! The bad-input corpus: every mistake a contributor can make, and every
//! hostile or awkward input that must come out harmless, one folder each
//! under `tests/bad-input/`, laid over the valid book in
//! `tests/bad-input/base/` (a file named `X.delete` deletes `X`; a
//! `theme/gloss/X.html` replaces that template). A case expects one of two
//! outcomes:
//!
//! - `expected.txt`: the build is refused. Through the real binary, as mdBook
//!   runs it: exit code 1, nothing on stdout, and exactly these diagnostics
//!   on stderr; in-process through mdBook: the build fails and writes
//!   nothing. `BLESS=1 cargo test -p mdbook-gloss --test bad_input` rewrites
//!   them.
//! - `renders.txt`: the book builds. The real binary exits 0; in-process,
//!   mdBook builds the HTML book without panicking; then every page passes
//!   the universal checks of [`page_problems`] (no live payload, nothing
//!   swallowed, the base chapter's sentence still a paragraph), and the
//!   case's own assertions hold, one per line:
//!
//!   ```text
//!   # why the case exists (lines starting with `#` and blank lines are skipped)
//!   chapter.html: contains &lt;script&gt;
//!   chapter.html: lacks <script>
//!   ```
//!
//!   `PAGE` is a built page (`chapter.html`, `glossary.html`), `TEXT` a
//!   literal substring of that page's `<main>` element (the rest of the page
//!   is mdBook's own, with its own scripts).
//!
//! Cases that the preprocessor does not handle right yet are kept, with the
//! right expectation, under `tests/bad-input-pending/` (listed, with what
//! happens now, in its `PENDING.md`); the ignored test
//! `pending_cases_still_fail` runs them. `CASE=name` runs one case alone;
//! `KEEP=1` keeps each case's built book and prints where it is.

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use mdbook_driver::MDBook;
use mdbook_preprocessor::PreprocessorContext;

mod common;

/// The sentence of the base chapter that every rendering must keep as a
/// paragraph: if a payload opened a code block, a comment or a raw-text
/// element, this is what it would swallow.
const BASE_SENTENCE: &str = "A mixture of experts uses a router";

/// The folder of cases that run in the suite.
fn corpus() -> PathBuf {
    common::repo().join("preprocessor/tests/bad-input")
}

/// The folder of cases that wait for a fix in the preprocessor.
fn pending_corpus() -> PathBuf {
    common::repo().join("preprocessor/tests/bad-input-pending")
}

/// The case folders of `dir` (all but `base`), sorted; only `$CASE` if set.
fn cases(dir: &Path) -> Vec<PathBuf> {
    let only = std::env::var("CASE").ok();
    let mut cases: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !p.ends_with("base"))
        .filter(|p| only.as_deref().is_none_or(|o| p.ends_with(o)))
        .collect();
    cases.sort();
    cases
}

fn copy_into(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let dest = to.join(path.file_name().unwrap());
        if path.is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
            copy_into(&path, &dest);
        } else if let Some(target) = dest.to_str().and_then(|d| d.strip_suffix(".delete")) {
            std::fs::remove_file(target).unwrap();
        } else if path
            .file_name()
            .is_some_and(|n| n != "expected.txt" && n != "renders.txt")
        {
            std::fs::copy(&path, &dest).unwrap();
        }
    }
}

/// The case's book in a temporary folder.
fn lay_out(case: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_into(&corpus().join("base"), dir.path());
    copy_into(case, dir.path());
    dir
}

fn run_binary(book: &Path) -> (Option<i32>, String, String) {
    let md = MDBook::load(book).expect("the case's book.toml and SUMMARY.md load");
    let ctx = PreprocessorContext::new(book.to_path_buf(), md.config.clone(), "html".into());
    let input = serde_json::to_vec(&(ctx, md.book)).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_mdbook-gloss"))
        // The diagnostics as a contributor sees them, not GitHub's annotations.
        .env_remove("GITHUB_ACTIONS")
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

/// Runs one case; what went wrong, one entry per problem. `bless` rewrites
/// an error case's `expected.txt` with what the build printed.
fn run_case(case: &Path, bless: bool) -> Vec<String> {
    let name = case.file_name().unwrap().to_string_lossy().into_owned();
    let dir = lay_out(case);
    let mut failures = Vec::new();
    if case.join("renders.txt").exists() && case.join("expected.txt").exists() {
        failures.push(format!(
            "{name}: holds both renders.txt and expected.txt; a case expects one outcome"
        ));
    } else if case.join("renders.txt").exists() {
        check_rendering(case, dir.path(), &name, &mut failures);
    } else {
        check_refusal(case, dir.path(), &name, bless, &mut failures);
    }
    if std::env::var_os("KEEP").is_some() {
        eprintln!("{name}: built in {}", dir.keep().display());
    }
    failures
}

/// An `expected.txt` case: refused with exactly these diagnostics.
fn check_refusal(case: &Path, dir: &Path, name: &str, bless: bool, failures: &mut Vec<String>) {
    let (code, stdout, stderr) = run_binary(dir);
    let expected_path = case.join("expected.txt");
    if bless {
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
    let built = catch_unwind(AssertUnwindSafe(|| {
        let mut md = MDBook::load(dir).unwrap();
        md.with_preprocessor(mdbook_gloss::Gloss);
        md.build().is_ok()
    }));
    match built {
        Err(_) => failures.push(format!("{name}: mdBook panicked")),
        Ok(true) => failures.push(format!("{name}: the in-process build succeeded")),
        Ok(false) => {}
    }
    if dir.join("book").exists() {
        failures.push(format!("{name}: the failed build wrote book/"));
    }
}

/// A `renders.txt` case: built, harmless, and as the case asserts.
fn check_rendering(case: &Path, dir: &Path, name: &str, failures: &mut Vec<String>) {
    let (code, stdout, stderr) = run_binary(dir);
    if code != Some(0) {
        failures.push(format!(
            "{name}: the binary exited with {code:?}, expected 0\n{stderr}"
        ));
    }
    if code == Some(0) && serde_json::from_str::<serde_json::Value>(&stdout).is_err() {
        failures.push(format!("{name}: the binary's stdout is not a book"));
    }
    let built = catch_unwind(AssertUnwindSafe(|| {
        let mut md = MDBook::load(dir).unwrap();
        md.with_preprocessor(mdbook_gloss::Gloss);
        md.build().map_err(|e| format!("{e:#}"))
    }));
    match built {
        Err(_) => return failures.push(format!("{name}: mdBook panicked")),
        Ok(Err(e)) => return failures.push(format!("{name}: the in-process build failed\n{e}")),
        Ok(Ok(())) => {}
    }
    let out = dir.join("book");
    let mut pages = Vec::new();
    collect_pages(&out, &out, &mut pages);
    for (page, html) in &pages {
        match main_of(html) {
            Some(main) => failures.extend(
                page_problems(page, main)
                    .into_iter()
                    .map(|p| format!("{name}: {page}: {p}")),
            ),
            None => failures.push(format!("{name}: {page} has no <main>")),
        }
    }
    let assertions = std::fs::read_to_string(case.join("renders.txt")).unwrap();
    for (n, line) in assertions.lines().enumerate() {
        // Only the line break goes: TEXT may end in a space of any kind.
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let at = format!("{name}/renders.txt:{}", n + 1);
        let Some((page, rest)) = line.split_once(": ") else {
            failures.push(format!(
                "{at}: not `PAGE: contains TEXT` or `PAGE: lacks TEXT`"
            ));
            continue;
        };
        let main = pages
            .iter()
            .find(|(p, _)| p == page)
            .and_then(|(_, html)| main_of(html));
        let Some(main) = main else {
            failures.push(format!("{at}: no page `{page}` with a <main> was built"));
            continue;
        };
        match (rest.strip_prefix("contains "), rest.strip_prefix("lacks ")) {
            (Some(text), _) if !main.contains(text) => failures.push(format!(
                "{at}: {page} lacks `{text}`\n--- its <main>\n{main}"
            )),
            (_, Some(text)) if main.contains(text) => failures.push(format!(
                "{at}: {page} contains `{text}`\n--- its <main>\n{main}"
            )),
            (None, None) => failures.push(format!("{at}: expected `contains` or `lacks`")),
            _ => {}
        }
    }
}

/// Every `.html` page under `dir`, as (path from `out`, text), skipping
/// mdBook's own `print.html` (the chapters again) and `toc.html`.
fn collect_pages(out: &Path, dir: &Path, pages: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_pages(out, &path, pages);
        } else if path.extension().is_some_and(|e| e == "html") {
            let rel = path
                .strip_prefix(out)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if rel != "print.html" && rel != "toc.html" {
                pages.push((rel, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    pages.sort();
}

/// The `<main>` element of a page.
fn main_of(page: &str) -> Option<&str> {
    let start = page.find("<main>")?;
    let end = page.rfind("</main>")?;
    (start < end).then(|| &page[start..end + "</main>".len()])
}

/// The universal checks on the `<main>` of a built page: no element or
/// attribute that an author's text smuggled in, no content swallowed by a
/// comment or a raw-text element left open, and on the base chapter's page
/// its sentence still a paragraph.
fn page_problems(page: &str, main: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let (visible, unclosed_comment) = without_comments(main);
    if unclosed_comment {
        problems.push("an HTML comment is left open: it swallows the rest of the page".into());
    }
    for tag in tags(&visible) {
        let lower = tag.to_ascii_lowercase();
        let name: String = lower[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if [
            "script", "img", "iframe", "object", "embed", "form", "base", "meta", "link",
        ]
        .contains(&name.as_str())
        {
            problems.push(format!("a live `<{name}>` element: {tag}"));
        }
        for (attr, value) in attributes(tag) {
            if attr.starts_with("on") && attr.len() > 2 {
                problems.push(format!("a live `{attr}=` attribute: {tag}"));
            }
            if ["href", "src", "xlink:href", "action", "formaction"].contains(&attr.as_str()) {
                let url: String = decode_entities(&value)
                    .chars()
                    .filter(|c| !c.is_whitespace() && !c.is_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                if ["javascript:", "data:", "vbscript:"]
                    .iter()
                    .any(|s| url.starts_with(s))
                {
                    problems.push(format!("a live `{attr}` with a script scheme: {tag}"));
                }
            }
        }
    }
    // Raw-text elements read everything up to their end tag as text;
    // `<pre>` left open turns the rest into preformatted text.
    let lower = visible.to_ascii_lowercase();
    for element in [
        "textarea", "style", "script", "xmp", "title", "pre", "noscript",
    ] {
        let opened = lower.matches(&format!("<{element}")).count();
        let closed = lower.matches(&format!("</{element}")).count();
        if opened != closed {
            problems.push(format!(
                "`<{element}>` opened {opened} times, closed {closed}: it swallows what follows"
            ));
        }
    }
    if page == "chapter.html"
        && !paragraphs(&visible)
            .iter()
            .any(|p| p.contains(BASE_SENTENCE))
    {
        problems.push(format!("no paragraph reads \"{BASE_SENTENCE}\" any more"));
    }
    problems
}

/// `html` without its comments, ended as a browser ends them (`-->`,
/// `--!>`, or at once for `<!-->` and `<!--->`), and whether one is left open.
fn without_comments(html: &str) -> (String, bool) {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find("<!--") {
        out.push_str(&rest[..open]);
        let body = &rest[open + 4..];
        let end = if body.starts_with('>') {
            Some(1)
        } else if body.starts_with("->") {
            Some(2)
        } else {
            [
                body.find("-->").map(|i| i + 3),
                body.find("--!>").map(|i| i + 4),
            ]
            .into_iter()
            .flatten()
            .min()
        };
        match end {
            Some(end) => rest = &body[end..],
            None => return (out, true),
        }
    }
    out.push_str(rest);
    (out, false)
}

/// The start and end tags of `html`, `<` to `>` (quoted `>` included).
fn tags(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let bytes = html.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts_tag = bytes[i] == b'<'
            && bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'/');
        if !starts_tag {
            i += 1;
            continue;
        }
        let mut quote = None;
        let mut j = i + 1;
        while j < bytes.len() {
            match (quote, bytes[j]) {
                (None, b'"' | b'\'') => quote = Some(bytes[j]),
                (Some(q), b) if b == q => quote = None,
                (None, b'>') => break,
                _ => {}
            }
            j += 1;
        }
        out.push(&html[i..(j + 1).min(html.len())]);
        i = j + 1;
    }
    out
}

/// The attributes of a start tag, names lower-cased, values unquoted.
fn attributes(tag: &str) -> Vec<(String, String)> {
    let inner = tag.trim_start_matches('<').trim_end_matches('>');
    // Skip the tag name.
    let mut rest = inner.trim_start_matches(|c: char| !c.is_whitespace() && c != '/');
    let mut out = Vec::new();
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() {
            return out;
        }
        let name_len = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(rest.len());
        let name = rest[..name_len].to_ascii_lowercase();
        rest = rest[name_len..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (v, tail) = match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let end = body.find(q).unwrap_or(body.len());
                    (&body[..end], &body[(end + 1).min(body.len())..])
                }
                _ => {
                    let end = after.find(char::is_whitespace).unwrap_or(after.len());
                    (&after[..end], &after[end..])
                }
            };
            value = v.to_string();
            rest = tail;
        }
        out.push((name, value));
    }
}

/// Character references as a browser reads them in an attribute value:
/// numeric ones and the few named ones that spell a scheme.
fn decode_entities(value: &str) -> String {
    let mut out = String::new();
    let mut rest = value;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after
            .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
            .unwrap_or(after.len());
        let entity = &after[..end];
        let decoded = if let Some(hex) = entity
            .strip_prefix("#x")
            .or_else(|| entity.strip_prefix("#X"))
        {
            u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
        } else if let Some(dec) = entity.strip_prefix('#') {
            dec.parse().ok().and_then(char::from_u32)
        } else {
            match entity {
                "colon" => Some(':'),
                "Tab" => Some('\t'),
                "NewLine" => Some('\n'),
                "amp" => Some('&'),
                _ => None,
            }
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = after[end..].strip_prefix(';').unwrap_or(&after[end..]);
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text of every `<p>` element, tags removed.
fn paragraphs(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find("<p") {
        let after = &rest[open + 2..];
        if !after.starts_with(['>', ' ']) {
            rest = after;
            continue;
        }
        let end = after.find("</p>").unwrap_or(after.len());
        let inner = &after[after.find('>').map_or(0, |i| i + 1).min(end)..end];
        let mut text = String::new();
        let mut in_tag = false;
        for c in inner.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        out.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
        rest = &after[end..];
    }
    out
}

#[test]
fn the_base_book_is_valid() {
    let dir = lay_out(&corpus().join("base"));
    let (code, stdout, stderr) = run_binary(dir.path());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("gloss-term"));
}

#[test]
fn the_universal_checks_catch_payloads() {
    let main = |body: &str| format!("<main><p>{BASE_SENTENCE}.</p>{body}</main>");
    let clean = main("<p>&lt;script&gt; <a href=\"#x\" title=\"a > b\">x</a></p>");
    assert_eq!(page_problems("chapter.html", &clean), Vec::<String>::new());
    for payload in [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<a href=\"java&#115;cript:alert(1)\">x</a>",
        "<a href=' JaVaScRiPt:alert(1)'>x</a>",
        "<a href=data:text/html,x>x</a>",
        "<!-- never closed",
        "<!--> <b onclick=x>b</b> -->",
        "<textarea>",
    ] {
        assert!(
            !page_problems("chapter.html", &main(payload)).is_empty(),
            "{payload}"
        );
    }
    let swallowed = format!("<main><pre><code>{BASE_SENTENCE}</code></pre></main>");
    assert!(!page_problems("chapter.html", &swallowed).is_empty());
}

#[test]
fn every_bad_input_is_refused_with_its_diagnostic() {
    let cases = cases(&corpus());
    let mut failures = Vec::new();
    let mut renders = 0;
    for case in &cases {
        renders += usize::from(case.join("renders.txt").exists());
        failures.extend(run_case(case, std::env::var_os("BLESS").is_some()));
    }
    let tried = cases.len();
    if std::env::var_os("CASE").is_none() {
        assert!(tried >= 121, "only {tried} cases");
        assert!(renders >= 21, "only {renders} cases expect a rendering");
    }
    assert!(
        failures.is_empty(),
        "{} problems in {tried} cases ({renders} expecting a rendering; BLESS=1 to accept new diagnostics):\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// The cases waiting for a fix: each must still fail. When one passes, move
/// it into `tests/bad-input/` and take it off `PENDING.md`.
#[test]
#[ignore = "documents what the preprocessor does not handle yet"]
fn pending_cases_still_fail() {
    let mut fixed = Vec::new();
    for case in cases(&pending_corpus()) {
        // Never blessed: their `expected.txt` says what should be printed.
        let failures = run_case(&case, false);
        if failures.is_empty() {
            fixed.push(case.file_name().unwrap().to_string_lossy().into_owned());
        } else {
            eprintln!("{}", failures.join("\n"));
        }
    }
    assert!(fixed.is_empty(), "now handled, move them: {fixed:?}");
}
