//! What the tests, the benchmarks, the fuzz target and `cargo xtask` reach
//! inside the preprocessor, behind the `testing` feature: a book's users need
//! only [`crate::Gloss`] and the protocol.

pub use crate::callouts::{remove_callouts, rendered_without_callouts};
pub use crate::chapter::{Chapter, collect_chapters};
pub use crate::config::{Config, Policy};
pub use crate::diagnostics::{Diagnostics, escape_data, escape_property};
pub use crate::figures::Figures;
pub use crate::markdown::parse;
pub use crate::matcher::{Matcher, Pattern, is_case_sensitive};
pub use crate::pipeline::{transform, transform_chapter, transform_with};
pub use crate::references::References;
pub use crate::scan::{ScanContext, scan};
pub use crate::templates::Templates;
pub use crate::terms::Glossary;
