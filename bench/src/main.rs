//! `cargo xtask bench`: how fast `mdbook-gloss` is, and how it scales.
//!
//! ```text
//! gloss-bench [--quick] [--reps N] [--no-real-book]   the report (default: the full run)
//! gloss-bench json [SPEC] > input.json                the preprocessor's input for a synthetic book
//! gloss-bench generate DIR [SPEC]                     a synthetic book on disk (book.toml, src/)
//! SPEC: --chapters N --words N --terms N --density X --seed N
//! ```
//!
//! For each synthetic book it times, in the same process, the preprocessor
//! end to end (`handle_preprocessing` from the JSON bytes to the output
//! bytes), the floor (one parse of every chapter) and the term matcher alone,
//! in CPU time of the thread (the wall clock alongside), repeating in rounds
//! over the books of a series; then it runs the preprocessor once more in a
//! child process to read its peak resident memory (`VmHWM`). Last it times
//! `mdbook build` of the real book with and without the preprocessor (CPU
//! time of the children, and the wall clock). The report is Markdown on
//! stdout; progress goes to stderr. Linux only (`/proc`).

#![allow(clippy::print_stdout, reason = "the report is this program's output")]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, anyhow, bail};
use gloss_bench::synth::{Spec, SynthBook};
use gloss_bench::{context, floor, input_json, synthetic_root, workspace_root};

/// The mdBook version the preprocessor is built against (as in xtask).
const MDBOOK_VERSION: &str = "0.5.4";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("peak-rss") => peak_rss_child(),
        Some("as-preprocessor") => as_preprocessor(&args[1..]),
        Some("replay") => replay(&args[1..]),
        Some("json") => parse_spec(&args[1..]).and_then(write_json),
        Some("generate") => generate(&args[1..]),
        Some("help" | "-h" | "--help") => {
            eprintln!("{}", USAGE);
            Ok(())
        }
        _ => Options::parse(&args).and_then(report),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}

const USAGE: &str = "usage: gloss-bench [--quick] [--reps N] [--no-real-book]
       gloss-bench json [SPEC] > input.json
       gloss-bench generate DIR [SPEC]
SPEC: --chapters N --words N --terms N --density MENTIONS_PER_100_WORDS --seed N";

/// What the report covers.
struct Options {
    quick: bool,
    /// Repetitions of each synthetic case (median taken).
    reps: usize,
    /// Repetitions of each real-book build.
    build_reps: usize,
    real_book: bool,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options> {
        let quick = args.iter().any(|a| a == "--quick");
        let mut o = Options {
            quick,
            reps: if quick { 3 } else { 7 },
            build_reps: if quick { 3 } else { 11 },
            real_book: true,
        };
        let mut it = args.iter();
        while let Some(a) = it.next() {
            match a.as_str() {
                "--quick" | "--full" => {}
                "--reps" => {
                    o.reps = it.next().context("--reps needs a number")?.parse()?;
                    o.build_reps = o.reps;
                }
                "--no-real-book" => o.real_book = false,
                other => bail!("unknown argument `{other}`\n{USAGE}"),
            }
        }
        if o.reps == 0 {
            bail!("--reps must be at least 1");
        }
        Ok(o)
    }
}

fn parse_spec(args: &[String]) -> Result<Spec> {
    let mut spec = Spec::default();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let mut value = || it.next().with_context(|| format!("{a} needs a value"));
        match a.as_str() {
            "--chapters" => spec.chapters = value()?.parse()?,
            "--words" => spec.words = value()?.parse()?,
            "--terms" => spec.terms = value()?.parse()?,
            "--density" => spec.density = value()?.parse()?,
            "--seed" => spec.seed = value()?.parse()?,
            other => bail!("unknown argument `{other}`\n{USAGE}"),
        }
    }
    Ok(spec)
}

fn write_json(spec: Spec) -> Result<()> {
    let book = SynthBook::generate(spec);
    let json = input_json(
        &context(&synthetic_root(), &templates_dir(&workspace_root()))?,
        &book.to_book(),
    )?;
    std::io::stdout().lock().write_all(&json)?;
    Ok(())
}

/// The built-in templates' sources, given as the book's templates folder
/// (the same files, so the output is what the defaults give).
fn templates_dir(root: &Path) -> PathBuf {
    root.join("preprocessor").join("templates")
}

fn generate(args: &[String]) -> Result<()> {
    let dir = PathBuf::from(args.first().context("generate needs a folder")?);
    let spec = parse_spec(&args[1..])?;
    let root = workspace_root();
    let book = SynthBook::generate(spec);
    let command = root.join("target").join("release").join("mdbook-gloss");
    book.write_to(&dir, &templates_dir(&root), &command.to_string_lossy())?;
    eprintln!(
        "wrote a book of {} chapters ({:.1} MB of Markdown) to {}",
        spec.chapters,
        mb(book.markdown_bytes()),
        dir.display()
    );
    Ok(())
}

// ---------------------------------------------------------------------------
// Child processes

/// `gloss-bench peak-rss < input.json`: runs the preprocessor on stdin as the
/// real binary does (output to a sink), then prints `VmHWM VmRSS-at-start`
/// in KiB.
fn peak_rss_child() -> Result<()> {
    let start = proc_status_kb("VmRSS")?;
    mdbook_gloss::handle_preprocessing(std::io::stdin().lock(), std::io::sink())
        .map_err(|e| anyhow!(e))?;
    let peak = proc_status_kb("VmHWM")?;
    println!("{peak} {start}");
    Ok(())
}

/// `gloss-bench as-preprocessor INPUT OUTPUT`: the preprocessor, as mdBook
/// runs it, that also saves its input and its output (used once, to capture
/// what mdBook sends for the real book and what the preprocessor answers).
fn as_preprocessor(args: &[String]) -> Result<()> {
    let (Some(input_file), Some(output_file)) = (args.first(), args.get(1)) else {
        bail!("as-preprocessor needs two files");
    };
    if args.get(2).is_some_and(|a| a == "supports") {
        return Ok(());
    }
    let mut input = Vec::new();
    std::io::stdin().lock().read_to_end(&mut input)?;
    std::fs::write(input_file, &input)?;
    let mut output = Vec::new();
    mdbook_gloss::handle_preprocessing(&input[..], &mut output).map_err(|e| anyhow!(e))?;
    std::fs::write(output_file, &output)?;
    std::io::stdout().lock().write_all(&output)?;
    Ok(())
}

/// `gloss-bench replay OUTPUT`: a preprocessor that answers with a saved
/// output, doing no work: what mdBook costs with the preprocessor's output
/// but without the preprocessor.
fn replay(args: &[String]) -> Result<()> {
    let output_file = args.first().context("replay needs a file")?;
    if args.get(1).is_some_and(|a| a == "supports") {
        return Ok(());
    }
    std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink())?;
    let output = std::fs::read(output_file)?;
    std::io::stdout().lock().write_all(&output)?;
    Ok(())
}

fn proc_status_kb(key: &str) -> Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")
        .context("reading /proc/self/status (Linux only)")?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .with_context(|| format!("no {key} in /proc/self/status"))
}

/// Peak and starting resident memory of the preprocessor on `json`, in KiB,
/// from a child process.
fn peak_rss(json: &[u8]) -> Result<(u64, u64)> {
    let mut file = tempfile::NamedTempFile::new()?;
    file.write_all(json)?;
    file.flush()?;
    let exe = std::env::current_exe()?;
    let out = Command::new(exe)
        .arg("peak-rss")
        .stdin(std::fs::File::open(file.path())?)
        .stderr(Stdio::inherit())
        .output()
        .context("starting the peak-memory child")?;
    if !out.status.success() {
        bail!("the peak-memory child failed ({})", out.status);
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let mut nums = text.split_whitespace().map(str::parse::<u64>);
    match (nums.next(), nums.next()) {
        (Some(Ok(peak)), Some(Ok(start))) => Ok((peak, start)),
        _ => bail!("the peak-memory child printed `{}`", text.trim()),
    }
}

// ---------------------------------------------------------------------------
// Synthetic books

/// A duration measured two ways, in seconds: wall clock, and CPU time of the
/// measuring thread (or of the waited-for children, for builds). CPU time is
/// what the code costs; on a busy machine the wall clock also holds waiting.
#[derive(Debug, Clone, Copy, Default)]
struct Sample {
    wall: f64,
    cpu: f64,
}

/// Medians of samples.
fn medians(samples: &[Sample]) -> Sample {
    Sample {
        wall: median(samples.iter().map(|s| s.wall).collect()),
        cpu: median(samples.iter().map(|s| s.cpu).collect()),
    }
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        return f64::NAN;
    }
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// CPU time of the calling thread (`CLOCK_THREAD_CPUTIME_ID`), if the
/// platform has it.
fn thread_cpu() -> Option<f64> {
    cpu_time::ThreadTime::try_now()
        .ok()
        .map(|t| t.as_duration().as_secs_f64())
}

/// CPU time (user + system) of this process's waited-for children, from
/// `/proc/self/stat` (clock ticks of 10 ms).
fn children_cpu() -> Option<f64> {
    let s = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name, which is in parentheses: state is field 3.
    let rest = &s[s.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let cutime: u64 = fields.get(13)?.parse().ok()?;
    let cstime: u64 = fields.get(14)?.parse().ok()?;
    Some((cutime + cstime) as f64 / 100.0)
}

/// Runs `f` once, timing it on the wall clock and in CPU time of this thread.
fn time<T>(f: impl FnOnce() -> T) -> (T, Sample) {
    let cpu0 = thread_cpu();
    let start = Instant::now();
    let out = f();
    let wall = start.elapsed().as_secs_f64();
    let cpu = match (cpu0, thread_cpu()) {
        (Some(a), Some(b)) => b - a,
        _ => wall,
    };
    (out, Sample { wall, cpu })
}

/// Runs `f` once, timing it on the wall clock and in CPU time of the
/// children it waits for.
fn time_children<T>(f: impl FnOnce() -> T) -> (T, Sample) {
    let cpu0 = children_cpu();
    let start = Instant::now();
    let out = f();
    let wall = start.elapsed().as_secs_f64();
    let cpu = match (cpu0, children_cpu()) {
        (Some(a), Some(b)) => b - a,
        _ => wall,
    };
    (out, Sample { wall, cpu })
}

/// One case's figures.
struct Measured {
    spec: Spec,
    /// Bytes of the glossary page's Markdown.
    glossary: usize,
    /// Bytes of the glossary page as the preprocessor writes it.
    glossary_out: usize,
    json: usize,
    output: usize,
    callouts: usize,
    /// Medians.
    pre: Sample,
    floor: Sample,
    /// Building the term matcher and running it over every chapter's whole
    /// text (not split into runs as the preprocessor does): how matching
    /// alone scales with the terms.
    matcher: Sample,
    peak_kb: u64,
    start_kb: u64,
}

impl Measured {
    fn ratio(&self) -> f64 {
        self.pre.cpu / self.floor.cpu
    }
    fn peak_over_json(&self) -> f64 {
        self.peak_kb as f64 * 1024.0 / self.json as f64
    }
}

/// The size of the glossary page (`glossary.md`) in the preprocessor's
/// output: what a reader's browser loads for it, before mdBook's chrome.
fn glossary_page(out: &[u8]) -> Result<usize> {
    fn find(items: &[serde_json::Value]) -> Option<usize> {
        items.iter().find_map(|item| {
            let ch = item.get("Chapter")?;
            if ch.get("path").and_then(|p| p.as_str()) == Some("glossary.md") {
                return ch.get("content")?.as_str().map(str::len);
            }
            find(ch.get("sub_items")?.as_array()?)
        })
    }
    let book: serde_json::Value = serde_json::from_slice(out)?;
    book.get("items")
        .and_then(|items| find(items.as_array()?))
        .context("the output has no glossary page")
}

/// Samples of the floor per round (its median is taken over all of them).
const FLOOR_SAMPLES: usize = 3;

/// A synthetic book ready to be timed: its input JSON, its chapters' text,
/// and the samples taken so far.
struct Case {
    spec: Spec,
    json: Vec<u8>,
    texts: Vec<String>,
    /// The glossary, for the matcher-alone timing.
    terms: mdbook_gloss::testing::Glossary,
    glossary: usize,
    glossary_out: usize,
    output: usize,
    callouts: usize,
    events: usize,
    found: usize,
    pre: Vec<Sample>,
    floor: Vec<Sample>,
    matcher: Vec<Sample>,
}

impl Case {
    /// Generates the book for `spec`, checks that the preprocessor accepts it,
    /// and runs each timed piece once untimed.
    fn prepare(root: &Path, spec: Spec) -> Result<Case> {
        let (book, gen_time) = time(|| SynthBook::generate(spec));
        let ctx = context(&synthetic_root(), &templates_dir(root))?;
        let json = input_json(&ctx, &book.to_book())?;
        let texts: Vec<String> = book.files().map(|f| f.content.clone()).collect();
        let markdown = book.markdown_bytes();
        let glossary = book
            .files()
            .find(|f| f.path == "glossary.md")
            .map_or(0, |f| f.content.len());
        drop(book);
        eprintln!(
            "    {} chapters × {} words, {} terms: {:.1} MB Markdown, {:.1} MB JSON (generated in {:.1} s)",
            spec.chapters,
            spec.words,
            spec.terms,
            mb(markdown),
            mb(json.len()),
            gen_time.wall
        );
        let mut out = Vec::new();
        mdbook_gloss::handle_preprocessing(&json[..], &mut out)
            .map_err(|e| anyhow!("the preprocessor rejected the synthetic book:\n{e}"))?;
        let callouts = count(&out, br#"class=\"gloss-term\""#);
        if callouts == 0 {
            bail!("the preprocessor made no callouts in the synthetic book");
        }
        let glossary_out = glossary_page(&out)?;
        let glossary_text = texts
            .iter()
            .rev()
            .nth(1)
            .context("the glossary comes before the references")?;
        let mut diags = mdbook_gloss::testing::Diagnostics::default();
        let terms =
            mdbook_gloss::testing::Glossary::parse("src/glossary.md", glossary_text, &mut diags);
        let mut case = Case {
            spec,
            json,
            texts,
            terms,
            glossary,
            glossary_out,
            output: out.len(),
            callouts,
            events: 0,
            found: 0,
            pre: Vec::new(),
            floor: Vec::new(),
            matcher: Vec::new(),
        };
        case.events = floor(case.texts.iter().map(String::as_str));
        case.found = case.match_all();
        Ok(case)
    }

    /// The matcher alone: built, then run over every chapter's whole text.
    fn match_all(&self) -> usize {
        let matcher = mdbook_gloss::testing::Matcher::new(self.terms.patterns());
        let chapters = &self.texts[..self.texts.len() - 2];
        chapters.iter().map(|t| matcher.find(t).len()).sum()
    }

    /// One timed run of each: the preprocessor, the floor, the matcher.
    fn rep(&mut self) -> Result<()> {
        let mut out = Vec::with_capacity(self.output);
        let (r, t) = time(|| mdbook_gloss::handle_preprocessing(&self.json[..], &mut out));
        r.map_err(|e| anyhow!(e))?;
        self.pre.push(t);
        drop(out);
        // The floor is short and so noisier: three samples a round.
        for _ in 0..FLOOR_SAMPLES {
            let (n, t) = time(|| floor(self.texts.iter().map(String::as_str)));
            assert_eq!(n, self.events);
            self.floor.push(t);
        }
        let (n, t) = time(|| self.match_all());
        assert_eq!(n, self.found);
        self.matcher.push(t);
        Ok(())
    }

    /// The medians, and the peak memory from a child process.
    fn finish(self) -> Result<Measured> {
        let (peak_kb, start_kb) = peak_rss(&self.json)?;
        let m = Measured {
            spec: self.spec,
            glossary: self.glossary,
            glossary_out: self.glossary_out,
            json: self.json.len(),
            output: self.output,
            callouts: self.callouts,
            pre: medians(&self.pre),
            floor: medians(&self.floor),
            matcher: medians(&self.matcher),
            peak_kb,
            start_kb,
        };
        eprintln!(
            "    {} chapters, {} terms: preprocessor {:.0} ms, floor {:.0} ms ({:.2}×) in CPU time; wall {:.0} / {:.0} ms; \
             peak {:.0} MB ({:.2}× JSON)",
            m.spec.chapters,
            m.spec.terms,
            m.pre.cpu * 1e3,
            m.floor.cpu * 1e3,
            m.ratio(),
            m.pre.wall * 1e3,
            m.floor.wall * 1e3,
            m.peak_kb as f64 / 1024.0,
            m.peak_over_json()
        );
        Ok(m)
    }
}

/// Measures a series of books. The repetitions are interleaved (round `i`
/// times every book once), so that a change in the machine's load during
/// the run weighs on every book of the series alike and their ratios hold.
fn measure_series(root: &Path, specs: &[Spec], reps: usize) -> Result<Vec<Measured>> {
    let mut cases = specs
        .iter()
        .map(|s| Case::prepare(root, *s))
        .collect::<Result<Vec<_>>>()?;
    for round in 0..reps {
        eprintln!("    round {} of {reps}", round + 1);
        for case in &mut cases {
            case.rep()?;
        }
    }
    cases.into_iter().map(Case::finish).collect()
}

fn count(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len()).filter(|w| *w == needle).count()
}

/// The sizes of a run.
struct Plan {
    chapters: Vec<Spec>,
    terms: Vec<Spec>,
    headline: Spec,
    headline_label: &'static str,
}

fn plan(quick: bool) -> Plan {
    let base = Spec::default();
    if quick {
        let c = Spec {
            chapters: 25,
            words: 500,
            terms: 100,
            ..base
        };
        let t = Spec {
            chapters: 50,
            words: 500,
            ..base
        };
        Plan {
            chapters: [1, 2, 4, 8]
                .iter()
                .map(|k| Spec {
                    chapters: c.chapters * k,
                    ..c
                })
                .collect(),
            terms: [10, 100, 1_000, 10_000]
                .iter()
                .map(|&n| Spec { terms: n, ..t })
                .collect(),
            headline: Spec {
                chapters: 200,
                words: 2000,
                terms: 200,
                ..base
            },
            headline_label: "a tenth of the target size (--quick)",
        }
    } else {
        let c = Spec {
            chapters: 250,
            words: 2000,
            terms: 500,
            ..base
        };
        let t = Spec {
            chapters: 500,
            words: 2000,
            ..base
        };
        Plan {
            chapters: [1, 2, 4, 8]
                .iter()
                .map(|k| Spec {
                    chapters: c.chapters * k,
                    ..c
                })
                .collect(),
            terms: [10, 100, 1_000, 10_000]
                .iter()
                .map(|&n| Spec { terms: n, ..t })
                .collect(),
            headline: Spec {
                chapters: 2000,
                words: 2000,
                terms: 2000,
                ..base
            },
            headline_label: "the target size",
        }
    }
}

// ---------------------------------------------------------------------------
// The real book

struct RealBook {
    /// `mdbook build`, medians.
    with: Sample,
    without: Sample,
    /// With a preprocessor that answers with the saved output at once.
    replay: Sample,
    reps: usize,
    /// The preprocessor alone on the JSON mdBook sent it, and the floor.
    pre: Sample,
    floor: Sample,
    json: usize,
    output: usize,
    peak_kb: u64,
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

fn run(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    let out = cmd
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .with_context(|| format!("could not start {shown}"))?;
    if !out.status.success() {
        bail!(
            "{shown} failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(())
}

/// The pinned mdBook in `.tools/`, installed as `cargo xtask install-tools` does.
fn mdbook(root: &Path) -> Result<PathBuf> {
    let tools = root.join(".tools");
    let bin = tools.join("bin").join(if cfg!(windows) {
        "mdbook.exe"
    } else {
        "mdbook"
    });
    let ok = Command::new(&bin)
        .arg("--version")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(MDBOOK_VERSION));
    if !ok {
        eprintln!("==> installing mdBook {MDBOOK_VERSION} into .tools/ (once; a few minutes)");
        let status = Command::new(cargo())
            .args([
                "install",
                "mdbook",
                "--version",
                MDBOOK_VERSION,
                "--locked",
                "--root",
            ])
            .arg(&tools)
            .status()?;
        if !status.success() {
            bail!("installing mdBook failed; run `cargo xtask install-tools`");
        }
    }
    Ok(bin)
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let path = entry?.path();
        let dest = to.join(path.file_name().context("a file name")?);
        if path.is_dir() {
            copy_dir(&path, &dest)?;
        } else {
            std::fs::copy(&path, &dest)?;
        }
    }
    Ok(())
}

/// `book.toml` with the `[preprocessor.gloss]` table's command replaced by
/// `command`, or the table removed when `command` is `None`.
fn book_toml(original: &str, command: Option<&str>) -> Result<String> {
    let mut out = String::new();
    let mut in_gloss = false;
    let mut seen = false;
    for line in original.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_gloss = t == "[preprocessor.gloss]";
            seen |= in_gloss;
        }
        if in_gloss {
            match command {
                None => continue,
                Some(c) if t.starts_with("command") && t[7..].trim_start().starts_with('=') => {
                    out.push_str(&format!(
                        "command = {}\n",
                        gloss_bench::synth::toml_string(c)
                    ));
                    continue;
                }
                Some(_) => {}
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    if !seen {
        bail!("book.toml has no [preprocessor.gloss] table");
    }
    Ok(out)
}

/// A copy of the real book (book.toml, src/, theme/, and the style sheets
/// and script book.toml loads from preprocessor/assets/) in `dir`.
fn book_copy(root: &Path, dir: &Path, command: Option<&str>) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    copy_dir(&root.join("src"), &dir.join("src"))?;
    copy_dir(&root.join("theme"), &dir.join("theme"))?;
    let assets = Path::new("preprocessor").join("assets");
    copy_dir(&root.join(&assets), &dir.join(&assets))?;
    let toml = std::fs::read_to_string(root.join("book.toml"))?;
    std::fs::write(dir.join("book.toml"), book_toml(&toml, command)?)?;
    Ok(())
}

fn real_book(root: &Path, reps: usize) -> Result<RealBook> {
    let mdbook = mdbook(root)?;
    eprintln!("==> the real book: building the release preprocessor");
    run(Command::new(cargo())
        .args([
            "build",
            "--release",
            "--locked",
            "--quiet",
            "-p",
            "mdbook-gloss",
        ])
        .current_dir(root))?;
    let bin = root.join("target").join("release").join(if cfg!(windows) {
        "mdbook-gloss.exe"
    } else {
        "mdbook-gloss"
    });
    let tmp = tempfile::tempdir()?;
    let dir = |name: &str| tmp.path().join(name);
    let (on, off, replayed, capture_dir) = (dir("on"), dir("off"), dir("replay"), dir("capture"));
    book_copy(root, &on, Some(&bin.to_string_lossy()))?;
    book_copy(root, &off, None)?;
    let (capture, captured_output) = (dir("input.json"), dir("output.json"));
    let exe = std::env::current_exe()?.to_string_lossy().into_owned();
    let wrapper = format!(
        "{exe} as-preprocessor {} {}",
        capture.to_string_lossy(),
        captured_output.to_string_lossy()
    );
    book_copy(root, &capture_dir, Some(&wrapper))?;
    let replayer = format!("{exe} replay {}", captured_output.to_string_lossy());
    book_copy(root, &replayed, Some(&replayer))?;

    let build = |dir: &Path| -> Result<Sample> {
        let (r, t) = time_children(|| run(Command::new(&mdbook).arg("build").current_dir(dir)));
        r?;
        Ok(t)
    };
    // The JSON mdBook sends, for the preprocessor-alone figures.
    build(&capture_dir)?;
    let json = std::fs::read(&capture).context("mdBook did not run the capturing preprocessor")?;

    eprintln!(
        "==> the real book: {reps} builds each with the preprocessor, with its output replayed, and without"
    );
    build(&on)?;
    build(&off)?;
    build(&replayed)?;
    let (mut with, mut without, mut replay) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..reps {
        // Rotate which goes first, so that drift hits all alike.
        for k in 0..3 {
            match (i + k) % 3 {
                0 => with.push(build(&on)?),
                1 => without.push(build(&off)?),
                _ => replay.push(build(&replayed)?),
            }
        }
    }
    if std::fs::read(on.join("book").join("glossary.html"))?
        != std::fs::read(replayed.join("book").join("glossary.html"))?
    {
        bail!("the replayed build differs from the build with the preprocessor");
    }
    let page = std::fs::read_to_string(on.join("book").join("glossary.html"))?;
    if !page.contains("gloss-appears-in") {
        bail!("the build with the preprocessor has no glossary backlinks");
    }
    let page = std::fs::read_to_string(off.join("book").join("glossary.html"))?;
    if page.contains("gloss-appears-in") {
        bail!("the build without the preprocessor still ran it");
    }

    let (_, book) = mdbook_preprocessor::parse_input(&json[..]).map_err(|e| anyhow!("{e:#}"))?;
    let texts: Vec<String> = book.chapters().map(|c| c.content.clone()).collect();
    let mut out = Vec::new();
    mdbook_gloss::handle_preprocessing(&json[..], &mut out).map_err(|e| anyhow!(e))?;
    let output = out.len();
    let (mut pre, mut flo) = (Vec::new(), Vec::new());
    for _ in 0..reps.max(5) {
        let mut out = Vec::with_capacity(output);
        let (r, t) = time(|| mdbook_gloss::handle_preprocessing(&json[..], &mut out));
        r.map_err(|e| anyhow!(e))?;
        pre.push(t);
        let (_, t) = time(|| floor(texts.iter().map(String::as_str)));
        flo.push(t);
    }
    let (peak_kb, _) = peak_rss(&json)?;
    Ok(RealBook {
        with: medians(&with),
        without: medians(&without),
        replay: medians(&replay),
        reps,
        pre: medians(&pre),
        floor: medians(&flo),
        json: json.len(),
        output,
        peak_kb,
    })
}

// ---------------------------------------------------------------------------
// The report

fn machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")?
                .split_once(':')
                .map(|(_, v)| v.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kb: u64 = meminfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("MemTotal:")?
                .trim()
                .trim_end_matches("kB")
                .trim()
                .parse()
                .ok()
        })
        .unwrap_or(0);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let rustc = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default();
    format!(
        "{cores} cores (nproc), {cpu}, {:.1} GiB memory; {rustc}",
        mem_kb as f64 / (1024.0 * 1024.0)
    )
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg").map_or_else(
        |_| "unknown".into(),
        |s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "),
    )
}

fn case_table(title: &str, cases: &[&Measured]) {
    println!("\n### {title}\n");
    println!(
        "| Chapters | Words/ch. | Terms | JSON in | JSON out | Callouts | Preprocessor | Floor | Ratio | Wall: pre. / floor | Matcher | Peak RSS | Peak / JSON in |"
    );
    println!("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for m in cases {
        println!(
            "| {} | {} | {} | {:.1} MB | {:.1} MB | {} | {:.0} ms | {:.1} ms | {:.2}× | {:.0} / {:.0} ms | {:.0} ms | {:.0} MB | {:.2}× |",
            m.spec.chapters,
            m.spec.words,
            m.spec.terms,
            mb(m.json),
            mb(m.output),
            m.callouts,
            m.pre.cpu * 1e3,
            m.floor.cpu * 1e3,
            m.ratio(),
            m.pre.wall * 1e3,
            m.floor.wall * 1e3,
            m.matcher.cpu * 1e3,
            m.peak_kb as f64 / 1024.0,
            m.peak_over_json()
        );
    }
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "**missed**" }
}

fn report(o: Options) -> Result<()> {
    let root = workspace_root();
    if !templates_dir(&root).join("term.html").is_file() {
        bail!(
            "no templates in {}/preprocessor/templates; run from the repository",
            root.display()
        );
    }
    let started = Instant::now();
    let load_before = loadavg();
    let plan = plan(o.quick);
    let mode = if o.quick { "quick" } else { "full" };
    eprintln!(
        "==> gloss-bench, {mode} run, {} repetitions per case (median)",
        o.reps
    );

    eprintln!("==> chapters series");
    let chapters = measure_series(&root, &plan.chapters, o.reps)?;
    eprintln!("==> terms series");
    let terms = measure_series(&root, &plan.terms, o.reps)?;
    eprintln!("==> headline: {}", plan.headline_label);
    let headline = measure_series(&root, &[plan.headline], o.reps)?.remove(0);
    let real = if o.real_book {
        Some(real_book(&root, o.build_reps)?)
    } else {
        None
    };

    println!("## gloss-bench, {mode} run\n");
    println!(
        "Machine: {}. Load average {} at the start, {} at the end.\n",
        machine(),
        load_before,
        loadavg()
    );
    println!(
        "Each figure is the median of {} repetitions ({FLOOR_SAMPLES} samples a repetition for the floor), \
         interleaved across the books of a series. Preprocessor: `handle_preprocessing` from the JSON bytes to the \
         output bytes; floor: one `markdown::parse` of every chapter, consuming all events; both in CPU time of the \
         measuring thread (wall clock alongside). Matcher: building the term matcher and running it over each \
         chapter's whole text. Peak RSS: `VmHWM` of a child process running the preprocessor on the \
         same JSON from stdin.",
        o.reps
    );
    case_table(
        &format!(
            "Chapters ×1, ×2, ×4, ×8 ({} words per chapter, {} terms)",
            plan.chapters[0].words, plan.chapters[0].terms
        ),
        &chapters.iter().collect::<Vec<_>>(),
    );
    println!("\nTime when the chapters double (target: at most 2× ± 15%, so ≤ 2.30×):\n");
    let doubling: Vec<f64> = chapters
        .windows(2)
        .map(|w| w[1].pre.cpu / w[0].pre.cpu)
        .collect();
    for (w, r) in chapters.windows(2).zip(&doubling) {
        println!(
            "- {} → {} chapters: preprocessor {:.2}×, floor {:.2}×",
            w[0].spec.chapters,
            w[1].spec.chapters,
            r,
            w[1].floor.cpu / w[0].floor.cpu
        );
    }
    case_table(
        &format!(
            "Glossary of 10 to 10,000 terms ({} chapters × {} words)",
            plan.terms[0].chapters, plan.terms[0].words
        ),
        &terms.iter().collect::<Vec<_>>(),
    );
    println!("\nTime when the terms grow tenfold (target: at most +20%, so ≤ 1.20×):\n");
    let tenfold: Vec<f64> = terms
        .windows(2)
        .map(|w| w[1].pre.cpu / w[0].pre.cpu)
        .collect();
    for (w, r) in terms.windows(2).zip(&tenfold) {
        println!(
            "- {} → {} terms: preprocessor {:.2}×, floor {:.2}×, matcher {:.2}×; the glossary page grows from {:.2} to {:.2} MB of Markdown",
            w[0].spec.terms,
            w[1].spec.terms,
            r,
            w[1].floor.cpu / w[0].floor.cpu,
            w[1].matcher.cpu / w[0].matcher.cpu,
            mb(w[0].glossary),
            mb(w[1].glossary)
        );
    }
    case_table(&format!("Headline: {}", plan.headline_label), &[&headline]);
    println!(
        "\nThe child's resident memory before it reads its input: {:.1} MB. Output is {:.1}× the input. \
         The glossary page: {:.2} MB of Markdown in, {:.2} MB out.",
        headline.start_kb as f64 / 1024.0,
        headline.output as f64 / headline.json as f64,
        mb(headline.glossary),
        mb(headline.glossary_out)
    );
    if let Some(r) = &real {
        println!("\n### The real book\n");
        println!(
            "| | With the preprocessor | Its output replayed | Without | Ratio with / without |\n|---|---:|---:|---:|---:|"
        );
        for (what, pick) in [
            (
                "`mdbook build`, CPU time (mdBook and the preprocessor)",
                (|s: &Sample| s.cpu) as fn(&Sample) -> f64,
            ),
            ("`mdbook build`, wall clock", |s: &Sample| s.wall),
        ] {
            println!(
                "| {what} | {:.0} ms | {:.0} ms | {:.0} ms | {:.3}× |",
                pick(&r.with) * 1e3,
                pick(&r.replay) * 1e3,
                pick(&r.without) * 1e3,
                pick(&r.with) / pick(&r.without)
            );
        }
        println!(
            "\nBuilds: median of {} each, in rotation, with the pinned mdBook {MDBOOK_VERSION} CLI and the release \
             preprocessor binary. \"Its output replayed\" runs a stand-in preprocessor that answers at once with the \
             preprocessor's saved output: mdBook's own cost of the richer pages. The preprocessor alone on the JSON mdBook sends it ({:.2} MB in, {:.2} MB out): \
             {:.1} ms CPU against a floor of {:.1} ms ({:.1}×); peak RSS {:.0} MB.",
            r.reps,
            mb(r.json),
            mb(r.output),
            r.pre.cpu * 1e3,
            r.floor.cpu * 1e3,
            r.pre.cpu / r.floor.cpu,
            r.peak_kb as f64 / 1024.0
        );
    }

    // The targets of issue 17 ("mdbook-gloss near the parse floor").
    println!("\n### Targets\n");
    println!("| Target | Figure | |\n|---|---|---|");
    let size = format!(
        "{} × {} words, {} terms",
        plan.headline.chapters, plan.headline.words, plan.headline.terms
    );
    println!(
        "| preprocessor ≤ 6× the floor at {size} (stretch: 4×) | {:.2}× | {} |",
        headline.ratio(),
        verdict(headline.ratio() <= 6.0)
    );
    println!(
        "| peak memory ≤ 3× the input JSON at {size} | {:.2}× ({:.0} MB for {:.0} MB) | {} |",
        headline.peak_over_json(),
        headline.peak_kb as f64 / 1024.0,
        mb(headline.json),
        verdict(headline.peak_over_json() <= 3.0)
    );
    println!(
        "| the glossary page under 2 MB (2,000,000 bytes) at {size} | {} bytes | {} |",
        headline.glossary_out,
        verdict(headline.glossary_out < 2_000_000)
    );
    let worst = doubling.iter().copied().fold(0.0, f64::max);
    println!(
        "| doubling the chapters at most doubles the time (±15%) | worst step {worst:.2}× | {} |",
        verdict(worst <= 2.3)
    );
    let worst = terms
        .windows(2)
        .map(|w| w[1].matcher.cpu / w[0].matcher.cpu)
        .fold(0.0, f64::max);
    println!(
        "| ten times the terms: the matcher (built and run) at most 1.2× | worst step {worst:.2}× | {} |",
        verdict(worst <= 1.2)
    );
    let per_callout = |m: &Measured| m.pre.cpu / m.callouts.max(1) as f64;
    let worst = terms
        .windows(2)
        .map(|w| per_callout(&w[1]) / per_callout(&w[0]))
        .fold(0.0, f64::max);
    println!(
        "| ten times the terms: the preprocessor at most 1.2× per callout written | worst step {worst:.2}× | {} |",
        verdict(worst <= 1.2)
    );
    if let Some(r) = &real {
        let share = r.pre.cpu / r.with.cpu;
        println!(
            "| real book: the preprocessor's own CPU time ≤ 10% of `mdbook build`'s | {:.1} of {:.0} ms, {:.1}% | {} |",
            r.pre.cpu * 1e3,
            r.with.cpu * 1e3,
            share * 100.0,
            verdict(share <= 0.10)
        );
    }
    println!(
        "\nThe whole run took {:.0} s.",
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `mdbook build` of the copy fails when a file book.toml loads is left
    /// out (it did when the style sheets moved to preprocessor/assets/).
    #[test]
    fn the_copy_holds_every_file_book_toml_loads() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let toml = std::fs::read_to_string(root.join("book.toml")).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        book_copy(root, tmp.path(), None).unwrap();
        let mut loaded = 0;
        for line in toml.lines() {
            let line = line.trim_start();
            if !(line.starts_with("additional-css") || line.starts_with("additional-js")) {
                continue;
            }
            for file in line.split('"').skip(1).step_by(2) {
                assert!(tmp.path().join(file).is_file(), "the copy has no {file}");
                loaded += 1;
            }
        }
        assert!(loaded >= 4, "book.toml loads only {loaded} files");
    }
}
