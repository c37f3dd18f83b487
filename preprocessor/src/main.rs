//! The `mdbook-gloss` binary: mdBook's preprocessor protocol, nothing else.
//!
//! `mdbook-gloss supports <renderer>` answers with the exit code; with no
//! arguments it reads `[context, book]` JSON on stdin and writes the book JSON
//! on stdout. Every diagnostic goes to stderr.

use std::io;
use std::process::ExitCode;

fn main() -> ExitCode {
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
            eprintln!(
                "usage: mdbook-gloss [supports <renderer>]\n(mdBook runs this program; see preprocessor/README.md)"
            );
            ExitCode::from(2)
        }
    }
}
