//! GitHub Actions workflow commands: a check that finds a problem at a
//! file and line also writes it to stderr as `::error file=…,line=…::…`
//! when it runs under GitHub Actions, and GitHub shows it on that line of
//! the pull request's diff.

/// Whether this is a GitHub Actions run (`GITHUB_ACTIONS=true`).
pub(crate) fn actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// How bad an annotation is.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Level {
    Error,
    Warning,
}

/// One workflow command: `level` at `file:line[:col]` (`file` from the
/// repository's root), with a one-line `title` and a `message`.
pub(crate) fn command(
    level: Level,
    place: Option<(&str, usize, Option<usize>)>,
    title: &str,
    message: &str,
) -> String {
    let level = match level {
        Level::Error => "error",
        Level::Warning => "warning",
    };
    let mut properties = Vec::new();
    if let Some((file, line, col)) = place {
        properties.push(format!("file={}", escape_property(file)));
        properties.push(format!("line={line}"));
        if let Some(col) = col {
            properties.push(format!("col={col}"));
        }
    }
    properties.push(format!("title={}", escape_property(title)));
    format!(
        "::{level} {}::{}",
        properties.join(","),
        escape_data(message)
    )
}

/// Writes `commands` to stderr, one a line, under GitHub Actions only.
pub(crate) fn emit(commands: impl IntoIterator<Item = String>) {
    if actions() {
        for c in commands {
            eprintln!("{c}");
        }
    }
}

/// GitHub's escaping, from the preprocessor, whose diagnostics are written
/// the same way.
pub(crate) use mdbook_gloss::testing::{escape_data, escape_property};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_escaped_as_github_requires() {
        assert_eq!(
            escape_data("100% gone,\r\nreally: yes"),
            "100%25 gone,%0D%0Areally: yes"
        );
        assert_eq!(escape_property("a: b, 5%\n"), "a%3A b%2C 5%25%0A");
        assert_eq!(
            command(
                Level::Error,
                Some(("src/a,b.md", 3, Some(7))),
                "link to a `javascript:` URL",
                "help: 100%\nmore"
            ),
            "::error file=src/a%2Cb.md,line=3,col=7,title=link to a `javascript%3A` URL\
             ::help: 100%25%0Amore"
        );
        assert_eq!(
            command(Level::Warning, Some(("src/a.md", 1, None)), "t", "m"),
            "::warning file=src/a.md,line=1,title=t::m"
        );
        assert_eq!(
            command(Level::Warning, None, "did not run", "why"),
            "::warning title=did not run::why"
        );
    }
}
