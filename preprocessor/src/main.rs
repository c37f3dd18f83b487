//! The `mdbook-gloss` binary: mdBook's preprocessor protocol, and the
//! command that sets a book up.
//!
//! `mdbook-gloss supports <renderer>` answers with the exit code; with no
//! arguments it reads `[context, book]` JSON on stdin and writes the book JSON
//! on stdout. `mdbook-gloss install [--assets-dir DIR] [BOOK]` adds the
//! preprocessor, its style sheets and its script to a book. Every diagnostic
//! goes to stderr.

use std::io;
use std::process::ExitCode;

const USAGE: &str = "usage: mdbook-gloss [supports <renderer>]\n       mdbook-gloss install [--assets-dir DIR] [BOOK]\n(mdBook runs the first form; see preprocessor/README.md)";

fn main() -> ExitCode {
    if std::env::args().nth(1).as_deref() == Some("install") {
        return install(std::env::args().skip(2).collect());
    }
    let mut args = std::env::args().skip(1);
    match (args.next().as_deref(), args.next()) {
        (Some("supports"), Some(renderer)) => {
            if mdbook_gloss::supports_renderer(&renderer) {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        (None, None) => {
            // Buffered: stdout alone flushes every kilobyte, a write call
            // per kilobyte of a book that can be tens of megabytes.
            let stdout = io::BufWriter::with_capacity(1 << 16, io::stdout().lock());
            match mdbook_gloss::handle_preprocessing(io::stdin().lock(), stdout) {
                Ok(()) => ExitCode::SUCCESS,
                Err(err) => {
                    eprintln!("{err}");
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}

/// `install [--assets-dir DIR] [BOOK]`: the book's root defaults to the
/// current folder, the assets' folder to the book's root.
fn install(args: Vec<String>) -> ExitCode {
    let mut book = None;
    let mut assets_dir = ".".to_string();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--assets-dir" => match args.next() {
                Some(dir) => assets_dir = dir,
                None => {
                    eprintln!("error: --assets-dir needs a folder, from the book's root\n{USAGE}");
                    return ExitCode::from(2);
                }
            },
            _ if book.is_none() && !arg.starts_with('-') => book = Some(arg),
            _ => {
                eprintln!("error: unexpected argument `{arg}`\n{USAGE}");
                return ExitCode::from(2);
            }
        }
    }
    let book = std::path::PathBuf::from(book.unwrap_or_else(|| ".".into()));
    match mdbook_gloss::install(&book, &assets_dir) {
        Ok(changes) if changes.is_empty() => {
            eprintln!("mdbook-gloss: {} is already set up", book.display());
            ExitCode::SUCCESS
        }
        Ok(changes) => {
            for change in changes {
                eprintln!("mdbook-gloss: {change}");
            }
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("{err}");
            ExitCode::FAILURE
        }
    }
}
