//! The quote rule: no page or data file shares more than 25 consecutive words
//! with the annotated article.
//!
//! The article cannot be published with the book, not even as a list of
//! shingle hashes (the next word could be guessed against them), so the
//! check reads it from outside the repository: `$LLAMA_ARTICLE`, or the one
//! `*.txt` in `../shared/article/`. Where neither is there (a contributor's
//! clone, GitHub Actions) the check says it did not run; it never passes in
//! silence.

use std::collections::HashMap;
use std::fmt;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::github;
use crate::tools::root;

/// The longest run of the article's words a file may share.
pub(crate) const MAX_WORDS: usize = 25;
/// The window compared: any shared one is a quote longer than `MAX_WORDS`.
const WINDOW: usize = MAX_WORDS + 1;
/// How many of a quote's words an offence shows.
const SHOWN: usize = 8;

/// Why the check did not run, when the article is nowhere to be found.
pub(crate) const ABSENT: &str =
    "the article is not in ../shared/article/ (set LLAMA_ARTICLE to its path)";

/// A run of more than `MAX_WORDS` words a file shares with the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Offence {
    /// The file, as shown to the writer (`src/…`).
    pub(crate) path: String,
    /// The line of the quote's first word, from 1.
    pub(crate) line: usize,
    /// How many words in a row the file shares with the article.
    pub(crate) words: usize,
    /// The quote's first words, as the file writes them.
    pub(crate) start: String,
}

impl Offence {
    /// The offence as a GitHub error annotation on its line.
    pub(crate) fn annotation(&self) -> String {
        github::command(
            github::Level::Error,
            Some((&self.path, self.line, None)),
            &format!("quotes the article for {} words in a row", self.words),
            &format!(
                "\"{} …\": quote at most {MAX_WORDS} words of the article and say the rest in our own",
                self.start
            ),
        )
    }
}

impl fmt::Display for Offence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}: quotes the article for {} words in a row: \"{} …\"",
            self.path, self.line, self.words, self.start
        )
    }
}

/// What the check did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// It compared every file with the article and found no long quote.
    Ran {
        pages: usize,
        data_files: usize,
        article_words: usize,
    },
    /// It could not run, for the reason given.
    DidNotRun(String),
}

/// A word as the comparison sees it: letters and digits, lower-cased, so
/// case, punctuation and the kind of apostrophe make no difference.
struct Word {
    text: String,
    line: usize,
    start: usize,
    end: usize,
}

fn words(text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut line = 1;
    let mut start = None;
    for (i, c) in text.char_indices().chain([(text.len(), '\n')]) {
        if c.is_alphanumeric() {
            start.get_or_insert(i);
            continue;
        }
        if let Some(s) = start.take() {
            out.push(Word {
                text: text[s..i].to_lowercase(),
                line,
                start: s,
                end: i,
            });
        }
        if c == '\n' {
            line += 1;
        }
    }
    out
}

/// Every run of more than `MAX_WORDS` words that one of `files` (display
/// path, text) shares with `article`, in file order.
pub(crate) fn find_quotes(article: &str, files: &[(String, String)]) -> Vec<Offence> {
    let article: Vec<String> = words(article).into_iter().map(|w| w.text).collect();
    let mut at: HashMap<&[String], Vec<usize>> = HashMap::new();
    for (i, window) in article.windows(WINDOW).enumerate() {
        at.entry(window).or_default().push(i);
    }
    let mut offences = Vec::new();
    for (path, text) in files {
        let found = words(text);
        let page: Vec<String> = found.iter().map(|w| w.text.clone()).collect();
        let mut i = 0;
        while i + WINDOW <= page.len() {
            let Some(starts) = at.get(&page[i..i + WINDOW]) else {
                i += 1;
                continue;
            };
            let shared = starts
                .iter()
                .map(|&a| {
                    page[i..]
                        .iter()
                        .zip(&article[a..])
                        .take_while(|(x, y)| x == y)
                        .count()
                })
                .max()
                .unwrap_or(WINDOW);
            let shown = &text[found[i].start..found[i + SHOWN - 1].end];
            offences.push(Offence {
                path: path.clone(),
                line: found[i].line,
                words: shared,
                start: shown.split_whitespace().collect::<Vec<_>>().join(" "),
            });
            // On from the first window that is not inside this quote.
            i += shared - MAX_WORDS;
        }
    }
    offences
}

/// The article: `article_env` (`$LLAMA_ARTICLE`) when given, which must then
/// be readable, or the one `*.txt` in `../shared/article/` beside `root`.
/// `None` when there is no such folder or no `*.txt` in it.
fn read_article(root: &Path, article_env: Option<&Path>) -> Result<Option<String>> {
    let path = match article_env {
        Some(path) => path.to_path_buf(),
        None => {
            let dir = root.join("..").join("shared").join("article");
            let entries = match std::fs::read_dir(&dir) {
                Ok(entries) => entries,
                Err(e) if e.kind() == ErrorKind::NotFound => return Ok(None),
                Err(e) => return Err(e).with_context(|| format!("cannot list {}", dir.display())),
            };
            let mut texts = Vec::new();
            for entry in entries {
                let path = entry?.path();
                if path.extension().is_some_and(|e| e == "txt") {
                    texts.push(path);
                }
            }
            texts.sort();
            match <[PathBuf; 1]>::try_from(texts) {
                Ok([one]) => one,
                Err(texts) if texts.is_empty() => return Ok(None),
                Err(texts) => bail!(
                    "../shared/article/ holds {} .txt files; set LLAMA_ARTICLE to the article's path",
                    texts.len()
                ),
            }
        }
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read the article at {}", path.display()))?;
    let n = words(&text).len();
    if n < WINDOW {
        bail!(
            "the article at {} has {n} words: is it the right file?",
            path.display()
        );
    }
    Ok(Some(text))
}

/// Every text file under `dir` a reader sees, as (path from `root`, text):
/// the pages (`*.md`) and the data files the charts and tables are drawn
/// from (`data/*.toml`). Files that are not UTF-8 (images) are left out.
fn reader_files(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) -> Result<()> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
        paths.push(entry?.path());
    }
    paths.sort();
    for path in paths {
        if path.is_dir() {
            reader_files(root, &path, out)?;
            continue;
        }
        let bytes =
            std::fs::read(&path).with_context(|| format!("cannot read {}", path.display()))?;
        if let Ok(text) = String::from_utf8(bytes) {
            let shown = path.strip_prefix(root).unwrap_or(&path);
            out.push((shown.display().to_string(), text));
        }
    }
    Ok(())
}

/// The check over `root/src/`, against the article `article_env` names or
/// the one in `../shared/article/`. An error lists every offence.
pub(crate) fn check(root: &Path, article_env: Option<&Path>) -> Result<Outcome> {
    let Some(article) = read_article(root, article_env)? else {
        return Ok(Outcome::DidNotRun(ABSENT.to_string()));
    };
    let mut files = Vec::new();
    reader_files(root, &root.join("src"), &mut files)?;
    let offences = find_quotes(&article, &files);
    if !offences.is_empty() {
        github::emit(offences.iter().map(Offence::annotation));
        let list: Vec<String> = offences.iter().map(Offence::to_string).collect();
        bail!(
            "{} passages quote the article for more than {MAX_WORDS} words in a row; \
             quote at most {MAX_WORDS} words and say the rest in our own:\n  {}",
            offences.len(),
            list.join("\n  ")
        );
    }
    let pages = files.iter().filter(|(p, _)| p.ends_with(".md")).count();
    Ok(Outcome::Ran {
        pages,
        data_files: files.len() - pages,
        article_words: words(&article).len(),
    })
}

/// The line that says the check did not run: a warning annotation when
/// `github` (a GitHub Actions run), escaped by GitHub's rules.
pub(crate) fn did_not_run_line(why: &str, github: bool) -> String {
    if github {
        github::command(
            github::Level::Warning,
            None,
            "Quote check did not run",
            &format!("The 25-word quote check did not run: {why}"),
        )
    } else {
        format!("    quote check did not run: {why}")
    }
}

/// The article, as the check reads it: `None` where it is not to be found.
pub(crate) fn article() -> Result<Option<String>> {
    read_article(&root(), article_env().as_deref())
}

/// `$LLAMA_ARTICLE`, when set and not empty.
fn article_env() -> Option<PathBuf> {
    std::env::var_os("LLAMA_ARTICLE")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// The step in `cargo xtask check`: `Ok(None)` when the check ran and
/// passed, `Ok(Some(line))` with the line to print when it did not run.
pub(crate) fn step() -> Result<Option<String>> {
    match check(&root(), article_env().as_deref())? {
        Outcome::Ran {
            pages,
            data_files,
            article_words,
        } => {
            eprintln!(
                "    {pages} pages and {data_files} data files compared with the article ({article_words} words)"
            );
            Ok(None)
        }
        Outcome::DidNotRun(why) => Ok(Some(did_not_run_line(&why, github::actions()))),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Our own words, standing in for the article: 71 words.
    const ARTICLE: &str = "\
Lighthouses were once kept by families who trimmed the wicks every four hours, \
logged the weather, and rowed out to ships in distress when the fog came down. \
Today most of them run themselves; a small computer watches the lamp, and \
nobody’s kettle boils on the gallery any more, which some keepers still miss. \
The last keeper on our stretch of coast left in 1998 and took the logbooks home.";

    /// A folder under the system's temporary one, removed when dropped.
    struct TempDir(PathBuf);

    impl TempDir {
        fn new() -> Self {
            static N: AtomicUsize = AtomicUsize::new(0);
            let dir = std::env::temp_dir().join(format!(
                "xtask-quotes-{}-{}",
                std::process::id(),
                N.fetch_add(1, Ordering::Relaxed)
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            Self(dir)
        }

        fn write(&self, path: &str, text: &str) -> PathBuf {
            let path = self.0.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
            path
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// `n` words of `ARTICLE` from its `from`th, as the article writes them.
    fn article_words(from: usize, n: usize) -> String {
        let w = words(ARTICLE);
        ARTICLE[w[from].start..w[from + n - 1].end].to_string()
    }

    /// A book at `tmp/repo` whose article is at `tmp/shared/article/`.
    fn book(tmp: &TempDir, files: &[(&str, &str)]) -> PathBuf {
        tmp.write("shared/article/article.txt", ARTICLE);
        tmp.write("repo/src/SUMMARY.md", "# Summary\n\n- [One](one.md)\n");
        for (path, text) in files {
            tmp.write(&format!("repo/{path}"), text);
        }
        tmp.0.join("repo")
    }

    fn file(path: &str, text: &str) -> Vec<(String, String)> {
        vec![(path.to_string(), text.to_string())]
    }

    #[test]
    fn twenty_six_words_in_a_page_are_an_offence_and_twenty_five_are_not() {
        let quote = article_words(10, 26);
        let page = format!("# One\n\nAs the article puts it,\n“{quote}”, and so on.\n");
        let found = find_quotes(ARTICLE, &file("src/one.md", &page));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].path, "src/one.md");
        assert_eq!(found[0].line, 4);
        assert_eq!(found[0].words, 26);
        assert_eq!(found[0].start, article_words(10, 8));
        let ok = format!("“{}”, and so on.", article_words(10, 25));
        assert_eq!(find_quotes(ARTICLE, &file("src/one.md", &ok)), []);
    }

    #[test]
    fn case_punctuation_curly_apostrophes_and_line_breaks_do_not_hide_a_quote() {
        let quote = article_words(30, 26)
            .to_uppercase()
            .replace("NOBODY’S", "Nobody's")
            .replace(", ", " — ")
            .replace("; ", ";\n");
        assert!(quote.contains("Nobody's"), "{quote}");
        let found = find_quotes(ARTICLE, &file("src/one.md", &format!("x\n\n{quote}\n")));
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].line, 3);
        // And the other way round: a straight apostrophe in the article.
        let straight = ARTICLE.replace('’', "'");
        let curly = article_words(30, 26);
        assert_eq!(find_quotes(&straight, &file("src/one.md", &curly)).len(), 1);
    }

    #[test]
    fn a_long_quote_is_one_offence_with_its_length_and_every_quote_is_listed() {
        let page = format!(
            "{}\n\nOurs, not theirs.\n\n{}\n",
            article_words(0, 40),
            article_words(20, 30)
        );
        let found = find_quotes(ARTICLE, &file("src/one.md", &page));
        let lines: Vec<String> = found.iter().map(Offence::to_string).collect();
        assert_eq!(
            lines,
            [
                format!(
                    "src/one.md:1: quotes the article for 40 words in a row: \"{} …\"",
                    article_words(0, 8)
                ),
                format!(
                    "src/one.md:5: quotes the article for 30 words in a row: \"{} …\"",
                    article_words(20, 8)
                ),
            ]
        );
    }

    #[test]
    fn a_data_file_is_checked_like_a_page() {
        let tmp = TempDir::new();
        let toml = format!(
            "[chart]\ntitle = \"Keepers\"\n\n[[note]]\ntext = \"\"\"\n{}\"\"\"\n",
            article_words(5, 26)
        );
        let root = book(&tmp, &[("src/data/keepers.toml", &toml)]);
        let err = check(&root, None).unwrap_err().to_string();
        assert!(
            err.contains("src/data/keepers.toml:6: quotes the article for 26 words in a row"),
            "{err}"
        );
        let toml = format!("text = \"{}\"\n", article_words(5, 25));
        let root = book(&tmp, &[("src/data/keepers.toml", &toml)]);
        assert_eq!(
            check(&root, None).unwrap(),
            Outcome::Ran {
                pages: 1,
                data_files: 1,
                article_words: words(ARTICLE).len()
            }
        );
    }

    #[test]
    fn the_check_reads_every_page_and_lists_every_offence() {
        let tmp = TempDir::new();
        let root = book(
            &tmp,
            &[
                (
                    "src/one.md",
                    &format!("# One\n\n{}\n", article_words(0, 26)),
                ),
                ("src/part/two.md", "# Two\n\nAll ours.\n"),
                (
                    "src/part/three.md",
                    &format!("\n{}\n", article_words(30, 27)),
                ),
            ],
        );
        std::fs::write(root.join("src/image.png"), [0x89, b'P', 0xff, 0xfe]).unwrap();
        let err = check(&root, None).unwrap_err().to_string();
        assert!(err.starts_with("2 passages quote the article"), "{err}");
        assert!(
            err.contains("\n  src/one.md:3: quotes the article for 26 words"),
            "{err}"
        );
        assert!(
            err.contains("\n  src/part/three.md:2: quotes the article for 27 words"),
            "{err}"
        );
    }

    #[test]
    fn without_the_article_the_check_says_it_did_not_run() {
        let tmp = TempDir::new();
        tmp.write("repo/src/one.md", &article_words(0, 40));
        let root = tmp.0.join("repo");
        let absent = Outcome::DidNotRun(ABSENT.to_string());
        assert_eq!(check(&root, None).unwrap(), absent);
        // An empty article folder is no article either.
        std::fs::create_dir_all(tmp.0.join("shared/article")).unwrap();
        assert_eq!(check(&root, None).unwrap(), absent);
    }

    #[test]
    fn an_article_named_but_unreadable_or_too_short_is_an_error() {
        let tmp = TempDir::new();
        let root = book(&tmp, &[]);
        let missing = tmp.0.join("nowhere.txt");
        let err = check(&root, Some(&missing)).unwrap_err();
        assert!(
            format!("{err:#}").contains("cannot read the article at"),
            "{err:#}"
        );
        let short = tmp.write("short.txt", "Too short to be the article.");
        let err = check(&root, Some(&short)).unwrap_err().to_string();
        assert!(err.contains("has 6 words"), "{err}");
        // Two candidates in ../shared/article/: which one is meant?
        tmp.write("shared/article/other.txt", ARTICLE);
        let err = check(&root, None).unwrap_err().to_string();
        assert!(err.contains("holds 2 .txt files"), "{err}");
    }

    #[test]
    fn the_did_not_run_line_is_a_warning_annotation_on_github() {
        assert_eq!(
            did_not_run_line(ABSENT, false),
            "    quote check did not run: the article is not in ../shared/article/ \
             (set LLAMA_ARTICLE to its path)"
        );
        assert_eq!(
            did_not_run_line(ABSENT, true),
            "::warning title=Quote check did not run::The 25-word quote check did not run: \
             the article is not in ../shared/article/ (set LLAMA_ARTICLE to its path)"
        );
        assert_eq!(
            did_not_run_line("100% gone,\r\nreally: yes", true),
            "::warning title=Quote check did not run::The 25-word quote check did not run: \
             100%25 gone,%0D%0Areally: yes"
        );
    }

    /// The real article, where it is (`$LLAMA_ARTICLE` or
    /// `../shared/article/`, as for `.ci/run` on our CI): 26 of its words
    /// in a page fail the check, 25 do not. The words stay in memory; nothing
    /// of the article is written to any file.
    #[test]
    fn the_real_article_fails_a_page_that_quotes_26_of_its_words() {
        let root = root();
        let Some(article) = read_article(&root, article_env().as_deref()).unwrap() else {
            // Our own CI has the article; GitHub Actions (also CI=true) does not.
            let ci = std::env::var("CI").is_ok_and(|v| v == "true")
                && std::env::var("GITHUB_ACTIONS").is_err();
            assert!(!ci, "CI=true but {ABSENT}");
            let _ = writeln!(
                std::io::stderr(),
                "the_real_article_fails_a_page_that_quotes_26_of_its_words did not run: {ABSENT}"
            );
            return;
        };
        let w = words(&article);
        let from = w.len() / 2;
        let quote = |n: usize| article[w[from].start..w[from + n - 1].end].to_string();
        for path in ["src/chapter.md", "src/data/chart.toml"] {
            let page = format!("Xyzzy.\n\n{}\n\nPlugh.\n", quote(26));
            let found = find_quotes(&article, &file(path, &page));
            assert_eq!(found.len(), 1, "{path}");
            assert_eq!((found[0].line, found[0].words), (3, 26), "{path}");
            let page = format!("Xyzzy.\n\n{}\n\nPlugh.\n", quote(25));
            assert_eq!(find_quotes(&article, &file(path, &page)), [], "{path}");
        }
    }
}
