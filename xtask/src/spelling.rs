//! The spell check: `typos` over `src/` and the docs. It flags known
//! misspellings rather than unknown words, so names and notation rarely
//! trip it; those that do are in `_typos.toml` with the reason.

use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::github;
use crate::tools::{self, root};

/// What is checked, from the repository's root: the book and the docs.
const PATHS: [&str; 6] = [
    "src",
    "README.md",
    "CONTRIBUTING.md",
    "BENCHMARKS.md",
    "preprocessor/README.md",
    "preprocessor/fuzz/README.md",
];

/// The step in `cargo xtask test`: every finding listed as
/// `path:line:col: error: ...` (and, on GitHub, an annotation on its line).
pub(crate) fn step() -> Result<()> {
    let typos = tools::typos()?;
    let out = Command::new(&typos)
        .args([
            "--format",
            "brief",
            "--color",
            "never",
            "--config",
            "_typos.toml",
        ])
        .args(PATHS)
        .current_dir(root())
        .output()
        .with_context(|| format!("could not start {}", typos.display()))?;
    if out.status.success() {
        eprintln!("    src/ and {} docs, no misspelling", PATHS.len() - 1);
        return Ok(());
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let findings: Vec<&str> = stdout.lines().filter(|l| !l.trim().is_empty()).collect();
    if findings.is_empty() {
        bail!(
            "typos failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    github::emit(findings.iter().filter_map(|l| annotation(l)));
    bail!(
        "{} misspelling{}:\n  {}\nhelp: correct the spelling; a name or notation that only looks \
         misspelt goes in _typos.toml, with why",
        findings.len(),
        if findings.len() == 1 { "" } else { "s" },
        findings.join("\n  ")
    )
}

/// A finding of `typos --format brief` (`src/a.md:3:5: error: ...`) as a
/// GitHub error annotation on its line and column.
fn annotation(line: &str) -> Option<String> {
    let mut parts = line.splitn(4, ':');
    let (file, row, col, rest) = (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let what = rest.trim();
    let what = what.strip_prefix("error:").unwrap_or(what).trim();
    Some(github::command(
        github::Level::Error,
        Some((file, row.parse().ok()?, Some(col.parse().ok()?))),
        what,
        "correct the spelling; a name or notation that only looks misspelt goes in _typos.toml, with why",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_is_an_annotation_on_its_line_and_column() {
        assert_eq!(
            annotation("src/a.md:3:5: error: `teh` should be `the`").as_deref(),
            Some(
                "::error file=src/a.md,line=3,col=5,title=`teh` should be `the`\
                 ::correct the spelling; a name or notation that only looks misspelt goes in \
                 _typos.toml, with why"
            )
        );
        assert_eq!(annotation("not a finding"), None);
    }
}
