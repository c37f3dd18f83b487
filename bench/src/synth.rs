//! Synthetic books: deterministic for a given [`Spec`], written in the syntax
//! of CONTRIBUTING.md, and shaped like the real book.
//!
//! Each chapter has a level-1 heading with an explicit id, sections with
//! explicit ids (and a few headings without one), paragraphs of filler
//! prose with term mentions at the requested density, lists, tables, fenced
//! and inline code holding term names, links, images, block quotes, native
//! admonitions, emphasis, cross-references, citations, forced callouts,
//! `<!-- no-gloss -->` mentions and, in every tenth chapter, an annotated
//! claim. The book also has an introduction, a claims ledger, a glossary
//! (`## Name {#id}`, `- Aliases:`, `- See also:`, a short definition and
//! sometimes a longer note) and a references page.
//!
//! Terms include overlapping names: `Attention` and
//! `Grouped-query attention (GQA)`, and synthetic two-word terms whose second
//! word is itself a term. Mentions take the forms the matcher handles:
//! plurals, possessives, acronyms, acronym compounds (`GQA-based`, a
//! mention) and lower-case compounds (`pre-attention`, not one). Which term
//! is mentioned follows a Zipf law, as in real prose.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::path::Path;

use mdbook_preprocessor::book::{Book, BookItem, Chapter};

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spec {
    /// Content chapters (besides the introduction, ledger, glossary and references).
    pub chapters: usize,
    /// Words of prose per content chapter (approximately).
    pub words: usize,
    /// Glossary terms (at least 10).
    pub terms: usize,
    /// Term mentions per 100 words of prose.
    pub density: f64,
    /// The random seed.
    pub seed: u64,
}

impl Default for Spec {
    fn default() -> Spec {
        Spec {
            chapters: 100,
            words: 2000,
            terms: 200,
            density: 3.0,
            seed: 1,
        }
    }
}

/// A small xorshift64* generator: fast, deterministic and good enough here.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `seed` (any value, zero included).
    pub fn new(seed: u64) -> Rng {
        let mut state = seed ^ 0x9E37_79B9_7F4A_7C15;
        if state == 0 {
            state = 1;
        }
        let mut rng = Rng(state);
        for _ in 0..4 {
            rng.next_u64();
        }
        rng
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// A float in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Everyday words for the prose. None of them is, or contains as a whole
/// word, a term name.
const FILLER: &[&str] = &[
    "the",
    "model",
    "paper",
    "training",
    "data",
    "results",
    "team",
    "reports",
    "shows",
    "that",
    "with",
    "from",
    "into",
    "over",
    "under",
    "each",
    "every",
    "some",
    "most",
    "more",
    "less",
    "than",
    "when",
    "where",
    "which",
    "while",
    "because",
    "although",
    "layer",
    "layers",
    "weights",
    "budget",
    "compute",
    "run",
    "runs",
    "step",
    "steps",
    "loss",
    "curve",
    "figure",
    "table",
    "section",
    "appendix",
    "measured",
    "reported",
    "estimated",
    "chosen",
    "fixed",
    "larger",
    "smaller",
    "faster",
    "slower",
    "stable",
    "unstable",
    "early",
    "late",
    "first",
    "second",
    "third",
    "final",
    "released",
    "described",
    "compared",
    "against",
    "baseline",
    "version",
    "setting",
    "settings",
    "number",
    "numbers",
    "value",
    "values",
    "rate",
    "rates",
    "length",
    "context",
    "window",
    "batch",
    "size",
    "sizes",
    "hardware",
    "cluster",
    "nodes",
    "memory",
    "bandwidth",
    "throughput",
    "latency",
    "cost",
    "costs",
    "hours",
    "days",
    "weeks",
    "article",
    "claim",
    "reason",
    "evidence",
    "source",
    "sources",
    "authors",
    "question",
    "answer",
    "method",
    "methods",
    "recipe",
    "choice",
    "choices",
    "design",
    "designs",
    "decision",
    "trade-off",
    "practice",
    "theory",
    "argument",
    "detail",
    "details",
    "summary",
    "note",
    "notes",
    "point",
    "points",
    "case",
    "cases",
    "example",
    "examples",
    "this",
    "these",
    "those",
    "their",
    "its",
    "our",
    "we",
    "they",
    "it",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "has",
    "have",
    "had",
    "not",
    "only",
    "also",
    "both",
    "either",
    "neither",
    "about",
    "around",
    "between",
    "after",
    "before",
    "during",
    "without",
    "within",
    "across",
    "per",
    "a",
    "an",
    "of",
    "in",
    "on",
    "for",
    "to",
    "by",
    "as",
    "at",
    "or",
    "and",
    "but",
    "so",
    "yet",
    "then",
    "thus",
    "here",
    "there",
    "again",
    "still",
    "already",
    "nearly",
    "roughly",
    "exactly",
    "clearly",
    "directly",
    "largely",
    "mostly",
    "partly",
    "well-known",
    "long-context",
    "state-of-the-art",
    "open",
    "closed",
    "public",
    "private",
];

/// Fixed terms, as `(heading, id, aliases)`, so that the book always has the
/// overlaps the matching rules are about.
const SEED_TERMS: &[(&str, &str, &[&str])] = &[
    ("Attention", "attention", &[]),
    (
        "Grouped-query attention (GQA)",
        "gqa",
        &["grouped query attention"],
    ),
    ("Self-attention", "self-attention", &[]),
    (
        "Mixture of experts",
        "moe",
        &["MoE", "sparse MoE", "mixture-of-experts"],
    ),
    ("Direct preference optimization (DPO)", "dpo", &[]),
    ("KV cache", "kv-cache", &["key-value cache"]),
    ("H100", "h100", &["H100 GPU"]),
    ("Rotary position embedding (RoPE)", "rope", &[]),
    ("Scaling law", "scaling-law", &[]),
    ("Supervised fine-tuning (SFT)", "sft", &["fine-tuning"]),
];

/// Words of the seed terms: filler must not contain them.
const SEED_WORDS: &[&str] = &[
    "attention",
    "experts",
    "cache",
    "embedding",
    "law",
    "fine-tuning",
    "optimization",
];

const SYLLABLES: &[&str] = &[
    "ba", "ko", "ri", "tel", "mun", "sa", "vor", "den", "li", "qua", "zen", "po", "fi", "gra",
    "ster", "nol", "ka", "mi", "tor", "vel", "ru", "sen", "da", "phi", "lon", "ter", "ga", "bri",
    "xo", "hul", "ne", "mar", "tis", "dro", "ven", "cal",
];

/// Admonition kinds mdBook itself renders, and ours: acronyms must not be one.
const RESERVED: &[&str] = &[
    "NOTE",
    "TIP",
    "IMPORTANT",
    "WARNING",
    "CAUTION",
    "CLAIM",
    "VERDICT",
    "EVIDENCE",
];

/// A glossary term of the synthetic book.
#[derive(Debug, Clone)]
pub struct Term {
    /// Its id.
    pub id: String,
    /// The heading, as written in the glossary.
    pub heading: String,
    /// The name mentions use (the heading without a parenthetical alias).
    pub name: String,
    /// Every alias, the parenthetical one included.
    pub aliases: Vec<String>,
    /// Ids of related terms.
    pub see_also: Vec<usize>,
}

/// One file of the book.
#[derive(Debug, Clone)]
pub struct File {
    /// Path inside `src/`.
    pub path: String,
    /// The name in SUMMARY.md.
    pub name: String,
    /// The Markdown.
    pub content: String,
}

/// An item of the table of contents.
#[derive(Debug, Clone)]
pub enum Item {
    /// A part title.
    Part(String),
    /// A chapter.
    File(File),
}

/// A generated book.
#[derive(Debug, Clone)]
pub struct SynthBook {
    /// What it was made from.
    pub spec: Spec,
    /// The table of contents, in order.
    pub items: Vec<Item>,
    /// The glossary's terms.
    pub terms: Vec<Term>,
    /// Mentions written into the prose (plain, plural, possessive, acronym,
    /// compound), not counting those in code, links or headings.
    pub mentions: usize,
}

/// Sections per content chapter: one every 250 words.
fn sections_for(words: usize) -> usize {
    (words / 250).max(1)
}

const CHAPTERS_PER_PART: usize = 25;
const REFERENCES: usize = 40;

impl SynthBook {
    /// Generates the book for `spec`.
    pub fn generate(spec: Spec) -> SynthBook {
        let mut rng = Rng::new(spec.seed);
        let terms = make_terms(&mut rng, spec.terms.max(SEED_TERMS.len()));
        let zipf = Zipf::new(terms.len(), 1.0);
        let mut items = Vec::new();
        let mut mentions = 0;
        items.push(Item::File(File {
            path: "introduction.md".into(),
            name: "Introduction".into(),
            content: introduction(&terms),
        }));
        for ci in 0..spec.chapters {
            if ci % CHAPTERS_PER_PART == 0 {
                items.push(Item::Part(format!(
                    "Part {}: {}",
                    ci / CHAPTERS_PER_PART + 1,
                    pseudo_word(&mut rng, 3)
                )));
            }
            let mut w = Writer {
                rng: Rng::new(spec.seed ^ (ci as u64 + 1).wrapping_mul(0xA076_1D64_78BD_642F)),
                terms: &terms,
                zipf: &zipf,
                spec,
                out: String::new(),
                words: 0,
                mentions: 0,
                up: "../",
            };
            let content = w.chapter(ci);
            mentions += w.mentions;
            items.push(Item::File(File {
                path: chapter_path(ci),
                name: chapter_name(ci),
                content,
            }));
        }
        items.push(Item::Part("Back matter".into()));
        items.push(Item::File(File {
            path: "ledger.md".into(),
            name: "Claims ledger".into(),
            content: ledger(),
        }));
        let mut w = Writer {
            rng: Rng::new(spec.seed ^ 0x5EED),
            terms: &terms,
            zipf: &zipf,
            spec,
            out: String::new(),
            words: 0,
            mentions: 0,
            up: "",
        };
        let glossary = w.glossary();
        mentions += w.mentions;
        items.push(Item::File(File {
            path: "glossary.md".into(),
            name: "Glossary".into(),
            content: glossary,
        }));
        let mut w = Writer {
            rng: Rng::new(spec.seed ^ 0x4EF5),
            terms: &terms,
            zipf: &zipf,
            spec,
            out: String::new(),
            words: 0,
            mentions: 0,
            up: "",
        };
        items.push(Item::File(File {
            path: "references.md".into(),
            name: "References".into(),
            content: w.references(),
        }));
        SynthBook {
            spec,
            items,
            terms,
            mentions,
        }
    }

    /// The files, in book order.
    pub fn files(&self) -> impl Iterator<Item = &File> {
        self.items.iter().filter_map(|i| match i {
            Item::File(f) => Some(f),
            Item::Part(_) => None,
        })
    }

    /// Total bytes of Markdown.
    pub fn markdown_bytes(&self) -> usize {
        self.files().map(|f| f.content.len()).sum()
    }

    /// The book as mdBook hands it to a preprocessor.
    pub fn to_book(&self) -> Book {
        let mut items = Vec::new();
        let mut part: Option<String> = None;
        for item in &self.items {
            match item {
                Item::Part(title) => {
                    items.push(BookItem::PartTitle(title.clone()));
                    part = Some(title.clone());
                }
                Item::File(f) => {
                    let parents = part.iter().cloned().collect();
                    items.push(BookItem::Chapter(Chapter::new(
                        &f.name,
                        f.content.clone(),
                        &f.path,
                        parents,
                    )));
                }
            }
        }
        // mdBook numbers chapters; not needed by the preprocessor.
        Book::new_with_items(items)
    }

    /// `src/SUMMARY.md`.
    pub fn summary(&self) -> String {
        let mut out = String::from("# Summary\n\n");
        let mut in_part = false;
        for item in &self.items {
            match item {
                Item::Part(title) => {
                    let _ = write!(out, "\n# {title}\n\n");
                    in_part = true;
                }
                Item::File(f) if in_part => {
                    let _ = writeln!(out, "- [{}]({})", f.name, f.path);
                }
                Item::File(f) => {
                    let _ = writeln!(out, "[{}]({})", f.name, f.path);
                }
            }
        }
        out
    }

    /// Writes the book to `dir` (`book.toml` and `src/`), to build or
    /// profile it with mdBook. `templates` is the folder of the preprocessor's
    /// templates and `command` the preprocessor to run.
    pub fn write_to(&self, dir: &Path, templates: &Path, command: &str) -> std::io::Result<()> {
        let src = dir.join("src");
        for f in self.files() {
            let path = src.join(&f.path);
            std::fs::create_dir_all(path.parent().expect("a file has a folder"))?;
            std::fs::write(path, &f.content)?;
        }
        std::fs::write(src.join("SUMMARY.md"), self.summary())?;
        let toml = format!(
            "[book]\ntitle = \"Synthetic book\"\nsrc = \"src\"\n\n[preprocessor.gloss]\ncommand = {}\nafter = [\"links\"]\nclaims = true\ntemplates = {}\n",
            toml_string(command),
            toml_string(&templates.to_string_lossy())
        );
        std::fs::write(dir.join("book.toml"), toml)
    }
}

/// A TOML basic string.
pub fn toml_string(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn chapter_path(ci: usize) -> String {
    format!("part-{:02}/ch-{:04}.md", ci / CHAPTERS_PER_PART + 1, ci + 1)
}

fn chapter_name(ci: usize) -> String {
    format!("Notes {}", ci + 1)
}

/// Zipf-distributed ranks: rank `k` has weight `1 / (k + 1)^s`.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        let mut total = 0.0;
        let cumulative = (0..n)
            .map(|k| {
                total += 1.0 / ((k + 1) as f64).powf(s);
                total
            })
            .collect();
        Zipf { cumulative }
    }

    fn sample(&self, rng: &mut Rng) -> usize {
        let x = rng.unit() * self.cumulative.last().copied().unwrap_or(0.0);
        self.cumulative
            .partition_point(|&c| c <= x)
            .min(self.cumulative.len() - 1)
    }
}

fn pseudo_word(rng: &mut Rng, max_syllables: usize) -> String {
    let n = rng.between(2, max_syllables.max(2));
    (0..n).map(|_| *rng.pick(SYLLABLES)).collect()
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The glossary terms: the seed terms, then synthetic ones.
fn make_terms(rng: &mut Rng, n: usize) -> Vec<Term> {
    let filler: HashSet<&str> = FILLER.iter().chain(SEED_WORDS).copied().collect();
    // Names and aliases, compared as the preprocessor compares them.
    let mut taken: HashSet<String> = HashSet::new();
    let mut ids: HashSet<String> = HashSet::new();
    let mut terms = Vec::with_capacity(n);
    let mut singles: Vec<String> = Vec::new();
    for (heading, id, aliases) in SEED_TERMS {
        let (name, mut all) = match heading.rsplit_once(" (") {
            Some((name, abbrev)) => (
                name.to_string(),
                vec![abbrev.trim_end_matches(')').to_string()],
            ),
            None => (heading.to_string(), Vec::new()),
        };
        all.extend(aliases.iter().map(|a| a.to_string()));
        taken.insert(name.to_lowercase());
        for a in &all {
            taken.insert(a.to_lowercase());
        }
        ids.insert(id.to_string());
        terms.push(Term {
            id: id.to_string(),
            heading: heading.to_string(),
            name,
            aliases: all,
            see_also: Vec::new(),
        });
    }
    while terms.len() < n {
        let word = pseudo_word(rng, 3);
        if filler.contains(word.as_str()) {
            continue;
        }
        // Two-word terms; half of them end in an existing single-word term,
        // so that the longer name overlaps the shorter one.
        let name = if rng.chance(0.3) {
            let second = if !singles.is_empty() && rng.chance(0.5) {
                rng.pick(&singles).clone()
            } else {
                pseudo_word(rng, 2)
            };
            format!("{word} {second}")
        } else {
            word.clone()
        };
        if filler.contains(name.as_str()) || !taken.insert(name.clone()) {
            continue;
        }
        let id = name.replace(' ', "-");
        if !ids.insert(id.clone()) {
            continue;
        }
        if !name.contains(' ') {
            singles.push(name.clone());
        }
        let mut aliases = Vec::new();
        let mut heading = capitalise(&name);
        if rng.chance(0.3) {
            // An acronym: from the initials, padded with letters or a digit.
            let mut acronym: String = name
                .split(' ')
                .filter_map(|w| w.chars().next())
                .collect::<String>()
                .to_uppercase();
            while acronym.len() < 3 {
                acronym.push((b'A' + rng.below(26) as u8) as char);
            }
            if rng.chance(0.2) {
                acronym.push((b'0' + rng.below(10) as u8) as char);
            }
            if !RESERVED.contains(&acronym.as_str()) && taken.insert(acronym.to_lowercase()) {
                if rng.chance(0.5) {
                    heading = format!("{heading} ({acronym})");
                }
                aliases.push(acronym);
            }
        }
        if name.contains(' ') && rng.chance(0.5) {
            let hyphenated = name.replace(' ', "-");
            if taken.insert(hyphenated.clone()) {
                aliases.push(hyphenated);
            }
        }
        terms.push(Term {
            id,
            heading,
            name,
            aliases,
            see_also: Vec::new(),
        });
    }
    terms.truncate(n);
    let count = terms.len();
    for (i, term) in terms.iter_mut().enumerate() {
        let k = rng.below(3);
        for _ in 0..k {
            let j = rng.below(count);
            if j != i && !term.see_also.contains(&j) {
                term.see_also.push(j);
            }
        }
    }
    // "Attention" and "Grouped-query attention" point at each other.
    terms[0].see_also = vec![1, 2];
    terms[1].see_also = vec![0];
    terms
}

fn introduction(terms: &[Term]) -> String {
    format!(
        "# Introduction {{#introduction}}\n\nThis synthetic book exercises every construct the preprocessor reads. \
         Its glossary has {} terms, among them {} and {}.\n\nSee <xref:glossary> and [the ledger](xref:ledger).\n",
        terms.len(),
        terms[0].name.to_lowercase(),
        terms[1].name.to_lowercase()
    )
}

fn ledger() -> String {
    "# Claims ledger {#ledger}\n\nEvery annotated claim, in order.\n\n<!-- gloss:ledger -->\n"
        .to_string()
}

struct Writer<'a> {
    rng: Rng,
    terms: &'a [Term],
    zipf: &'a Zipf,
    spec: Spec,
    out: String,
    /// Words of prose written so far.
    words: usize,
    /// Mentions written.
    mentions: usize,
    /// From the file's folder to `src/`: `../` for chapters, empty at the top.
    up: &'static str,
}

impl Writer<'_> {
    fn filler(&mut self) -> &'static str {
        FILLER[self.rng.below(FILLER.len())]
    }

    fn term(&mut self) -> usize {
        self.zipf.sample(&mut self.rng)
    }

    fn case_sensitive(s: &str) -> bool {
        mdbook_gloss::testing::is_case_sensitive(s)
    }

    /// One mention of a term, in one of the forms the matcher knows.
    fn mention(&mut self) -> String {
        let terms = self.terms;
        let t = &terms[self.term()];
        let name = if Self::case_sensitive(&t.name) {
            t.name.clone()
        } else {
            t.name.to_lowercase()
        };
        let acronym = t.aliases.iter().find(|a| Self::case_sensitive(a)).cloned();
        let roll = self.rng.unit();
        self.mentions += 1;
        match (roll, acronym) {
            (r, Some(a)) if r < 0.2 => a,
            (r, Some(a)) if r < 0.25 => format!("{a}-based"),
            (r, Some(a)) if r < 0.3 => format!("{a}s"),
            (r, _) if r < 0.45 && !name.ends_with('s') => format!("{name}s"),
            (r, _) if r < 0.5 => format!("{name}'s"),
            (r, _) if r < 0.53 && !Self::case_sensitive(&name) => {
                // A lower-case compound: not a mention.
                self.mentions -= 1;
                format!("pre-{name}")
            }
            (r, _) if r < 0.55 => {
                self.mentions -= 1;
                format!("<!-- no-gloss -->{name}")
            }
            _ => name,
        }
    }

    /// A term name as it would appear in code.
    fn code_name(&mut self) -> String {
        let terms = self.terms;
        let t = &terms[self.term()];
        t.name.to_lowercase().replace([' ', '-'], "_")
    }

    /// A sentence of `n` words, with mentions and inline constructs.
    fn sentence(&mut self, n: usize, chapter: usize) -> String {
        let mut s = String::new();
        let p = self.spec.density / 100.0;
        for i in 0..n {
            if i > 0 {
                s.push(' ');
            }
            let word = if self.rng.chance(p) {
                self.mention()
            } else if self.rng.chance(0.004) {
                format!("`{}()`", self.code_name())
            } else if self.rng.chance(0.004) {
                let m = self.mention();
                format!("*{m}*")
            } else if self.rng.chance(0.003) {
                let m = self.mention();
                format!("**{m}**")
            } else if self.rng.chance(0.002) {
                let c = self.code_name();
                format!("[{} notes](https://example.com/{c})", c.replace('_', " "))
            } else if self.rng.chance(0.003) {
                self.xref(chapter)
            } else if self.rng.chance(0.004) {
                self.cite()
            } else if self.rng.chance(0.001) {
                let terms = self.terms;
                let t = &terms[self.term()];
                let shown = t.aliases.first().unwrap_or(&t.name);
                format!("[{shown}]({}glossary.md#{})", self.up, t.id)
            } else {
                self.filler().to_string()
            };
            if i == 0 && word.starts_with("<!--") {
                // Not at the start of a line, where CommonMark reads raw HTML.
                s.push_str("the ");
            }
            s.push_str(&word);
        }
        self.words += n;
        let mut s = capitalise(&s);
        s.push('.');
        s
    }

    fn xref(&mut self, chapter: usize) -> String {
        let total = self.spec.chapters;
        let target = if self.rng.chance(0.7) && chapter > 0 {
            // Mostly nearby chapters, as real books do.
            chapter.saturating_sub(self.rng.between(1, 5))
        } else {
            self.rng.below(total)
        };
        let section = self.rng.between(0, sections_for(self.spec.words));
        let id = if section == 0 {
            format!("ch-{}", target + 1)
        } else {
            format!("ch-{}-s{section}", target + 1)
        };
        match self.rng.below(3) {
            0 => format!("<xref:{id}>"),
            1 => format!("[](xref:{id})"),
            _ => format!("[the discussion there](xref:{id})"),
        }
    }

    fn cite(&mut self) -> String {
        let r = self.rng.below(REFERENCES);
        let loc = self.rng.between(1, 9);
        match self.rng.below(4) {
            0 => format!("[](cite:ref-{r})"),
            1 => format!("[Table {loc}](cite:ref-{r})"),
            _ => format!("[§{loc}.{}](cite:ref-{r})", self.rng.between(1, 6)),
        }
    }

    fn paragraph(&mut self, chapter: usize) {
        let sentences = self.rng.between(2, 5);
        let mut line_len = 0;
        for i in 0..sentences {
            let n = self.rng.between(8, 22);
            let s = self.sentence(n, chapter);
            if i > 0 {
                // Wrapped like hand-written Markdown: soft breaks inside paragraphs.
                if line_len > 60 {
                    self.out.push('\n');
                    line_len = 0;
                } else {
                    self.out.push(' ');
                }
            }
            line_len += s.len();
            self.out.push_str(&s);
        }
        self.out.push_str("\n\n");
    }

    fn list(&mut self, chapter: usize) {
        let ordered = self.rng.chance(0.3);
        for i in 0..self.rng.between(3, 6) {
            let n = self.rng.between(5, 14);
            let s = self.sentence(n, chapter);
            if ordered {
                let _ = writeln!(self.out, "{}. {s}", i + 1);
            } else {
                let _ = writeln!(self.out, "- {s}");
            }
        }
        self.out.push('\n');
    }

    fn table(&mut self) {
        self.out
            .push_str("| Setting | Value | Note |\n|---|---:|---|\n");
        for _ in 0..self.rng.between(3, 6) {
            let m = self.mention();
            let v = self.rng.between(1, 4096);
            let f1 = self.filler();
            let f2 = self.filler();
            let _ = writeln!(self.out, "| {m} | {v} | {f1} {f2} |");
            self.words += 4;
        }
        self.out.push('\n');
    }

    fn code_block(&mut self) {
        let lang = *self.rng.pick(&["python", "rust", "text", "console"]);
        let _ = writeln!(self.out, "```{lang}");
        for _ in 0..self.rng.between(3, 8) {
            let a = self.code_name();
            let b = self.code_name();
            let k = self.rng.below(100);
            let comment = self.terms[1].name.to_lowercase();
            let _ = writeln!(self.out, "{a} = {b}(x, attention={k})  # {comment}");
            self.words += 6;
        }
        self.out.push_str("```\n\n");
    }

    fn quote(&mut self, chapter: usize) {
        let n = self.rng.between(10, 25);
        let s = self.sentence(n, chapter);
        if self.rng.chance(0.4) {
            let kind = *self.rng.pick(&["NOTE", "TIP", "WARNING"]);
            let _ = write!(self.out, "> [!{kind}]\n> {s}\n\n");
        } else {
            let _ = write!(self.out, "> {s}\n\n");
        }
    }

    fn image(&mut self) {
        let c = self.code_name();
        let _ = write!(
            self.out,
            "![A diagram of {}](../images/{c}.svg)\n\n",
            c.replace('_', " ")
        );
    }

    fn claim(&mut self, chapter: usize) {
        let id = chapter + 1;
        // Written at the width of the largest id, as the book's check wants
        // (`C06` beside `C1996` is refused).
        let width = self.spec.chapters.to_string().len().max(2);
        let verdict = *self
            .rng
            .pick(&["accurate", "simplified", "inaccurate", "unverifiable"]);
        let claim = self.sentence(14, chapter);
        let reason = self.sentence(16, chapter);
        let cite = self.cite_forced();
        let evidence = self.sentence(30, chapter);
        let paragraph = self.rng.between(1, 40);
        let _ = write!(
            self.out,
            "> [!CLAIM C{id:0width$} ¶{}]\n> The article says \"{}\" {claim}\n\n> [!VERDICT {verdict}]\n> {reason} {cite}\n\n> [!EVIDENCE]\n> {evidence}\n\n",
            paragraph,
            FILLER[..6].join(" "),
        );
    }

    fn cite_forced(&mut self) -> String {
        let r = self.rng.below(REFERENCES);
        format!("[§{}](cite:ref-{r})", self.rng.between(1, 9))
    }

    fn heading(&mut self, level: usize, id: Option<String>) {
        let hashes = "#".repeat(level);
        let terms = self.terms;
        let t = terms[self.term()].name.to_lowercase();
        let f = self.filler();
        let title = capitalise(&format!("{f} {t} and its {}", self.filler()));
        match id {
            Some(id) => {
                let _ = write!(self.out, "{hashes} {title} {{#{id}}}\n\n");
            }
            None => {
                let _ = write!(self.out, "{hashes} {title}\n\n");
            }
        }
    }

    fn chapter(&mut self, ci: usize) -> String {
        let n = ci + 1;
        let _ = write!(self.out, "# {} {{#ch-{n}}}\n\n", chapter_name(ci));
        self.paragraph(ci);
        let sections = sections_for(self.spec.words);
        let per_section = self.spec.words / sections;
        for s in 1..=sections {
            self.heading(2, Some(format!("ch-{n}-s{s}")));
            let target = per_section * s;
            let mut blocks = 0;
            while self.words < target {
                let roll = self.rng.unit();
                if blocks > 0 && roll < 0.08 {
                    self.list(ci);
                } else if blocks > 0 && roll < 0.11 {
                    self.table();
                } else if blocks > 0 && roll < 0.14 {
                    self.code_block();
                } else if blocks > 0 && roll < 0.18 {
                    self.quote(ci);
                } else if blocks > 0 && roll < 0.19 {
                    self.image();
                } else if blocks > 0 && roll < 0.21 {
                    // A heading without an id: mdBook derives one.
                    self.heading(3, None);
                } else {
                    self.paragraph(ci);
                }
                blocks += 1;
            }
            if s == 1 && ci % 10 == 5 {
                self.claim(ci);
            }
        }
        std::mem::take(&mut self.out)
    }

    fn glossary(&mut self) -> String {
        self.out.push_str(
            "# Glossary {#glossary}\n\nEvery term the callouts explain. Under each entry, \"Appears in\" links back to \
             the chapters that use it.\n\n",
        );
        let terms = self.terms;
        for t in terms {
            let _ = write!(self.out, "## {} {{#{}}}\n\n", t.heading, t.id);
            let extra: Vec<&String> = t
                .aliases
                .iter()
                .filter(|a| !t.heading.ends_with(&format!("({a})")))
                .collect();
            if !extra.is_empty() {
                let _ = writeln!(
                    self.out,
                    "- Aliases: {}",
                    extra
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            if !t.see_also.is_empty() {
                let links: Vec<String> = t
                    .see_also
                    .iter()
                    .map(|&j| format!("[{}](#{})", terms[j].heading, terms[j].id))
                    .collect();
                let _ = writeln!(self.out, "- See also: {}", links.join(", "));
            }
            if !extra.is_empty() || !t.see_also.is_empty() {
                self.out.push('\n');
            }
            let n = self.rng.between(12, 28);
            let def = self.sentence(n, 0);
            let _ = write!(self.out, "{def}\n\n");
            if self.rng.chance(0.5) {
                let n = self.rng.between(15, 40);
                let note = self.sentence(n, 0);
                let cite = self.cite_forced();
                let _ = write!(self.out, "{note} {cite}\n\n");
            }
        }
        std::mem::take(&mut self.out)
    }

    fn references(&mut self) -> String {
        self.out
            .push_str("# References {#references}\n\nEvery source the book cites.\n\n");
        for r in 0..REFERENCES {
            let title = capitalise(&format!(
                "{} {} of {}",
                self.filler(),
                pseudo_word(&mut self.rng, 3),
                pseudo_word(&mut self.rng, 2)
            ));
            let author = capitalise(&pseudo_word(&mut self.rng, 3));
            let year = 2015 + self.rng.below(10);
            let _ = write!(
                self.out,
                "## {title} {{#ref-{r}}}\n\n- Authors: {author} et al.\n- Cite as: {author} {year}\n- Year: {year}\n"
            );
            if r % 2 == 0 {
                let _ = writeln!(
                    self.out,
                    "- arXiv: {}{:02}.{:05}",
                    year % 100,
                    self.rng.between(1, 12),
                    self.rng.below(100_000)
                );
            }
            let _ = write!(self.out, "- URL: https://example.org/papers/{r}\n\n");
            let n = self.rng.between(20, 40);
            let s = self.sentence(n, 0);
            let _ = write!(self.out, "{s}\n\n");
        }
        std::mem::take(&mut self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic() {
        let spec = Spec {
            chapters: 7,
            words: 600,
            terms: 40,
            ..Spec::default()
        };
        let a = SynthBook::generate(spec);
        let b = SynthBook::generate(spec);
        let ca: Vec<_> = a.files().map(|f| &f.content).collect();
        let cb: Vec<_> = b.files().map(|f| &f.content).collect();
        assert_eq!(ca, cb);
        let c = SynthBook::generate(Spec { seed: 2, ..spec });
        assert_ne!(ca, c.files().map(|f| &f.content).collect::<Vec<_>>());
    }

    #[test]
    fn sizes_follow_the_spec() {
        let spec = Spec {
            chapters: 30,
            words: 1000,
            terms: 300,
            ..Spec::default()
        };
        let book = SynthBook::generate(spec);
        assert_eq!(book.terms.len(), 300);
        assert_eq!(book.files().count(), 30 + 4);
        let chapter = book.files().nth(1).expect("a chapter");
        let words = chapter.content.split_whitespace().count();
        assert!((900..1600).contains(&words), "{words} words");
        assert!(
            book.mentions > 30 * 1000 * 2 / 100,
            "{} mentions",
            book.mentions
        );
    }

    #[test]
    fn the_preprocessor_accepts_it() {
        let spec = Spec {
            chapters: 12,
            words: 800,
            terms: 60,
            ..Spec::default()
        };
        let book = SynthBook::generate(spec);
        let chapters = mdbook_gloss::testing::collect_chapters(&book.to_book(), "src");
        let mut diags = mdbook_gloss::testing::Diagnostics::default();
        let mut config = mdbook_gloss::testing::Config::default();
        config.claims = true;
        let out = mdbook_gloss::testing::transform(&chapters, &config, None, &mut diags);
        assert_eq!(diags.error_count(), 0, "{}", diags.render(false));
        assert_eq!(out.len(), chapters.len());
        let glossary = mdbook_gloss::testing::Glossary::parse(
            "src/glossary.md",
            &chapters[chapters.len() - 2].content,
            &mut diags,
        );
        assert_eq!(glossary.terms.len(), 60);
        assert_eq!(diags.error_count(), 0, "{}", diags.render(false));
    }
}
