//! Building and serving the book, and checking the built site the way a
//! reader's browser meets it: over HTTP, under the sub-path GitHub project
//! pages serve it from.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::thread;

use anyhow::{Context, Result, bail};
use mdbook_driver::MDBook;
use mdbook_driver::config::Config;

use crate::tools::{self, root};

/// Builds the real book in-process, with the preprocessor registered, into
/// `dest`. Returns `dest`.
pub(crate) fn build_book(dest: &Path) -> Result<PathBuf> {
    build_book_at(&root(), dest)
}

/// Builds the book at `book_root` into `dest`, through a folder beside it
/// (see [`build_then_swap`]): a build that fails leaves `dest` as it was.
pub(crate) fn build_book_at(book_root: &Path, dest: &Path) -> Result<PathBuf> {
    let mut book = MDBook::load(book_root)
        .with_context(|| format!("could not load the book at {}", book_root.display()))?;
    book.with_preprocessor(mdbook_gloss::Gloss);
    let share = crate::share::Settings::from_config(&book.config)?;
    build_then_swap(dest, |dest| {
        // Here `dest` is the temporary folder: a step that rewrites the built
        // site belongs in this closure, so that its failure too keeps the
        // last good site.
        book.config.build.build_dir = dest.to_path_buf();
        book.build().map_err(|e| anyhow::anyhow!("{e:#}"))?;
        rewrite_search_index(&book, dest)?;
        crate::chrome::apply_to_site(dest)?;
        if let Some(share) = &share {
            crate::share::apply_to_site(dest, share)?;
        }
        crate::csp::apply_to_site(dest)?;
        Ok(())
    })?;
    eprintln!("==> built the book into {}", dest.display());
    Ok(dest.to_path_buf())
}

/// Writes the search index of the book built into `dest` again, without the
/// lists the preprocessor generates (see `search.rs`).
fn rewrite_search_index(book: &MDBook, dest: &Path) -> Result<()> {
    let search = (book.config.html_config())
        .and_then(|html| html.search)
        .unwrap_or_default();
    let chapters = crate::search::chapters(book, &search);
    let sections =
        crate::search::apply_to_site(dest, &search, &chapters, crate::search::Options::SITE)?;
    if let Some(sections) = sections {
        eprintln!("==> search index: {sections} sections, without the generated lists");
    }
    Ok(())
}

/// Runs `build` on an empty folder beside `dest` (`<name>.building-<pid>`,
/// same parent, so on one file system) and, only when it succeeds, swaps
/// that folder in: `dest` is renamed to `<name>.old-<pid>`, the new folder to
/// `dest`, then the old one is removed. When `build` fails, its folder is
/// removed and `dest` is left exactly as it was: a failed build never takes
/// the last good site away. Folders left beside `dest` by a run that
/// crashed are cleaned up first (an `.old-` one is put back if `dest` is
/// missing: it is then the last good site).
///
/// Plain `mdbook build` does not work this way: mdBook empties its build
/// folder when it starts rendering, so a build that fails while rendering
/// (a preprocessor's error stops it before that) leaves `book/` empty or
/// half written.
fn build_then_swap(dest: &Path, build: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let name = dest
        .file_name()
        .with_context(|| format!("{} has no folder name", dest.display()))?
        .to_string_lossy()
        .into_owned();
    let parent = match dest.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(parent)
        .with_context(|| format!("could not create {}", parent.display()))?;
    clean_up_stale(parent, &name, dest)?;
    let pid = std::process::id();
    let building = parent.join(format!("{name}.building-{pid}"));
    let old = parent.join(format!("{name}.old-{pid}"));
    if let Err(err) = build(&building) {
        remove_path(&building)?;
        return Err(err);
    }
    let had_old = match std::fs::rename(dest, &old) {
        Ok(()) => true,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => {
            remove_path(&building)?;
            return Err(e).with_context(|| format!("could not move {} aside", dest.display()));
        }
    };
    if let Err(e) = std::fs::rename(&building, dest) {
        if had_old {
            let _ = std::fs::rename(&old, dest);
        }
        remove_path(&building)?;
        return Err(e)
            .with_context(|| format!("could not move the new site to {}", dest.display()));
    }
    if had_old && let Err(e) = remove_path(&old) {
        // The new site is in place; the old one is only in the way.
        eprintln!("warning: {e:#}");
    }
    Ok(())
}

/// Removes `<name>.building-<pid>` and `<name>.old-<pid>` folders in
/// `parent` whose process is no longer running (or is this one), restoring
/// an `.old-` folder as `dest` if `dest` is missing. Where there is no
/// `/proc` to ask, every such folder counts as stale.
fn clean_up_stale(parent: &Path, name: &str, dest: &Path) -> Result<()> {
    let running = |pid: u32| {
        pid != std::process::id()
            && Path::new("/proc/self").exists()
            && Path::new("/proc").join(pid.to_string()).exists()
    };
    let mut stale = Vec::new();
    for entry in
        std::fs::read_dir(parent).with_context(|| format!("could not list {}", parent.display()))?
    {
        let path = entry?.path();
        let file_name = path.file_name().unwrap_or_default().to_string_lossy();
        let Some(rest) = file_name.strip_prefix(name) else {
            continue;
        };
        let pid = (rest.strip_prefix(".building-"))
            .map(|pid| (false, pid))
            .or_else(|| rest.strip_prefix(".old-").map(|pid| (true, pid)));
        if let Some((is_old, Ok(pid))) = pid.map(|(o, p)| (o, p.parse::<u32>()))
            && !running(pid)
        {
            stale.push((is_old, path));
        }
    }
    stale.sort();
    for (is_old, path) in stale {
        if is_old && !dest.exists() {
            eprintln!(
                "==> putting back {} as {}: a crashed build left it aside",
                path.display(),
                dest.display()
            );
            std::fs::rename(&path, dest)
                .with_context(|| format!("could not move {} back", path.display()))?;
        } else {
            remove_path(&path)?;
        }
    }
    Ok(())
}

/// Removes the folder or file at `path`, if there is one.
fn remove_path(path: &Path) -> Result<()> {
    let removed = if path.is_dir() {
        std::fs::remove_dir_all(path)
    } else {
        std::fs::remove_file(path)
    };
    match removed {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("could not remove {}", path.display()))
        }
        _ => Ok(()),
    }
}

/// Builds the book's content with plain mdBook into `dest`: no preprocessor,
/// none of our CSS, JavaScript or theme partials, the rest of `book.toml` as it
/// is. The baseline the browser suite's Lighthouse test compares performance
/// with.
pub(crate) fn build_plain(dest: &Path) -> Result<PathBuf> {
    let mut config = Config::from_disk(root().join("book.toml"))?;
    config.set("preprocessor", BTreeMap::<String, String>::new())?;
    config.set("output.html.additional-css", Vec::<String>::new())?;
    config.set("output.html.additional-js", Vec::<String>::new())?;
    // An empty theme folder: mdBook's own theme, without theme/head.hbs.
    let theme = dest.with_extension("theme");
    let _ = std::fs::remove_dir_all(&theme);
    std::fs::create_dir_all(&theme)?;
    config.set("output.html.theme", &theme)?;
    config.build.build_dir = dest.to_path_buf();
    let book = MDBook::load_with_config(root(), config)?;
    book.build().map_err(|e| anyhow::anyhow!("{e:#}"))?;
    eprintln!(
        "==> built the plain-mdBook baseline into {}",
        dest.display()
    );
    Ok(dest.to_path_buf())
}

/// Builds the fixture book `preprocessor/tests/books/<case>` into `dest`,
/// with the repository's theme and the preprocessor's CSS and callout script.
pub(crate) fn build_fixture(case: &str, dest: &Path) -> Result<PathBuf> {
    let book = dest.with_extension("book");
    let _ = std::fs::remove_dir_all(&book);
    copy_dir(&root().join("preprocessor/tests/books").join(case), &book)?;
    copy_dir(&root().join("theme"), &book.join("theme"))?;
    // The preprocessor's own style sheet and script, as `mdbook-gloss
    // install` would put them beside the book's theme.
    copy_dir(&root().join("preprocessor/assets"), &book.join("theme"))?;
    let mut md = MDBook::load(&book)?;
    md.config.set(
        "output.html.additional-css",
        ["theme/gloss.css", "theme/a11y.css"],
    )?;
    md.config.set(
        "output.html.additional-js",
        ["theme/gloss.js", "theme/a11y.js"],
    )?;
    md.config.build.build_dir = dest.to_path_buf();
    md.with_preprocessor(mdbook_gloss::Gloss);
    md.build().map_err(|e| anyhow::anyhow!("{e:#}"))?;
    rewrite_search_index(&md, dest)?;
    crate::chrome::apply_to_site(dest)?;
    crate::csp::apply_to_site(dest)?;
    Ok(dest.to_path_buf())
}

pub(crate) fn copy_dir(from: &Path, to: &Path) -> Result<()> {
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

/// `cargo xtask serve`: the pinned mdBook, the preprocessor built, live reload.
pub(crate) fn serve() -> Result<()> {
    let mdbook = tools::mdbook()?;
    // The profile book.toml's `command` runs, so mdBook finds it built.
    eprintln!("==> building the preprocessor");
    tools::run(
        Command::new(tools::cargo())
            .args(["build", "--quiet", "--locked", "-p", "mdbook-gloss"])
            .current_dir(root()),
    )?;
    eprintln!("==> serving on http://localhost:3000 (Ctrl-C to stop)");
    tools::run(
        Command::new(mdbook)
            .args(["serve", "--hostname", "127.0.0.1", "--port", "3000"])
            .current_dir(root()),
    )
}

/// A static file server for `dir`, mounted at `prefix` (e.g. `/repo/`), on an
/// ephemeral port of 127.0.0.1. Requests outside the prefix get 404, as they
/// would on GitHub Pages. Returns the base URL.
pub(crate) fn serve_static(dir: &Path, prefix: &str) -> Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let dir = Arc::new(dir.to_path_buf());
    let prefix = prefix.to_string();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = Arc::clone(&dir);
            let prefix = prefix.clone();
            thread::spawn(move || {
                let _ = respond(stream, &dir, &prefix);
            });
        }
    });
    Ok(format!("http://127.0.0.1:{port}"))
}

fn respond(mut stream: TcpStream, dir: &Path, prefix: &str) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line == "\r\n" || line == "\n" {
            break;
        }
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split(['?', '#']).next().unwrap_or("/");
    let file = path.strip_prefix(prefix).and_then(|rel| {
        let rel = percent_decode(rel);
        if rel.split('/').any(|p| p == "..") {
            return None;
        }
        let mut f = dir.join(&rel);
        if rel.is_empty() || rel.ends_with('/') {
            f = f.join("index.html");
        }
        f.is_file().then_some(f)
    });
    let (status, body, mime) = match file {
        Some(f) => ("200 OK", std::fs::read(&f)?, mime(&f)),
        None => (
            "404 Not Found",
            std::fs::read(dir.join("404.html")).unwrap_or_default(),
            "text/html; charset=utf-8",
        ),
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {mime}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)
}

fn mime(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css",
        Some("js") => "text/javascript",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("ttf") => "font/ttf",
        _ => "application/octet-stream",
    }
}

pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let (Some(&h), Some(&l)) = (bytes.get(i + 1), bytes.get(i + 2))
            && let (Some(h), Some(l)) = (hex(h), hex(l))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// GETs `url` (http://127.0.0.1:port/…): status code and body.
pub(crate) fn get(url: &str) -> Result<(u16, String)> {
    let rest = url.strip_prefix("http://").context("only http:// URLs")?;
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_string()), |(h, p)| (h, format!("/{p}")));
    let mut stream = TcpStream::connect(host)?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let text = String::from_utf8_lossy(&raw);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let code = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    Ok((code, body.to_string()))
}

/// Attribute values of `attr` in `html`, decoded (`&amp;` → `&`).
pub(crate) fn attr_values(html: &str, attr: &str) -> Vec<String> {
    let needle = format!(" {attr}=\"");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&needle) {
        rest = &rest[i + needle.len()..];
        if let Some(end) = rest.find('"') {
            out.push(
                rest[..end]
                    .replace("&amp;", "&")
                    .replace("&quot;", "\"")
                    .replace("&#x27;", "'"),
            );
            rest = &rest[end..];
        }
    }
    out
}

/// Follows every internal link and fragment of every page of the site at
/// `dir`, served under `prefix`. Returns the number of links checked.
pub(crate) fn check_links(dir: &Path, prefix: &str) -> Result<usize> {
    let base = serve_static(dir, prefix)?;
    let mut pages: Vec<String> = Vec::new();
    collect_html(dir, dir, &mut pages)?;
    pages.sort();
    let mut ids: HashMap<String, BTreeSet<String>> = HashMap::new();
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in &pages {
        let (code, body) = get(&format!("{base}{prefix}{page}"))?;
        if code != 200 {
            broken.push(format!("{page}: served with status {code}"));
            continue;
        }
        ids.insert(page.clone(), attr_values(&body, "id").into_iter().collect());
    }
    for page in &pages {
        let body = std::fs::read_to_string(dir.join(page))?;
        // 404.html is served at any depth; its links are absolute (site-url).
        let page_dir = match page.rfind('/') {
            Some(i) => &page[..=i],
            None => "",
        };
        let mut refs = attr_values(&body, "href");
        refs.extend(attr_values(&body, "src"));
        for link in refs {
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
                || link.starts_with("javascript:")
                || link.starts_with("data:")
            {
                continue;
            }
            checked += 1;
            let (path, fragment) = match link.split_once('#') {
                Some((p, f)) => (p.to_string(), Some(f.to_string())),
                None => (link.clone(), None),
            };
            // Resolve against the page's URL under the prefix.
            let absolute = if path.is_empty() {
                format!("{prefix}{page}")
            } else if path.starts_with('/') {
                path.clone()
            } else {
                normalise(&format!("{prefix}{page_dir}{path}"))
            };
            let Some(target) = absolute.strip_prefix(prefix) else {
                broken.push(format!(
                    "{page}: {link} leaves the site's sub-path {prefix}"
                ));
                continue;
            };
            let target = if target.is_empty() || target.ends_with('/') {
                format!("{target}index.html")
            } else {
                target.to_string()
            };
            let target = percent_decode(&target);
            if !dir.join(&target).is_file() {
                broken.push(format!("{page}: {link} → {target} does not exist"));
                continue;
            }
            if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                let f = percent_decode(&f);
                if target.ends_with(".html")
                    && !ids.get(&target).is_some_and(|set| set.contains(&f))
                {
                    broken.push(format!("{page}: {link} → no id `{f}` in {target}"));
                }
            }
        }
    }
    if !broken.is_empty() {
        bail!("{} broken links:\n  {}", broken.len(), broken.join("\n  "));
    }
    Ok(checked)
}

fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// Every `.html` file under `dir`, relative, with `/`.
pub(crate) fn collect_html(base: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_html(base, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(
                path.strip_prefix(base)?
                    .to_string_lossy()
                    .replace('\\', "/"),
            );
        }
    }
    Ok(())
}

/// Every file under `dir` with its bytes, for comparing two builds.
pub(crate) fn snapshot(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(base, &path, out)?;
            } else {
                out.push((
                    path.strip_prefix(base)?.to_string_lossy().into_owned(),
                    std::fs::read(&path)?,
                ));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A copy of the fixture book `preprocessor/tests/books/<case>` in `tmp`,
    /// with the repository's theme and `edit` applied to its `book.toml`.
    fn fixture(tmp: &Path, case: &str, edit: impl FnOnce(String) -> String) -> PathBuf {
        let book = tmp.join("book-src");
        copy_dir(&root().join("preprocessor/tests/books").join(case), &book).unwrap();
        copy_dir(&root().join("theme"), &book.join("theme")).unwrap();
        let toml = book.join("book.toml");
        std::fs::write(&toml, edit(std::fs::read_to_string(&toml).unwrap())).unwrap();
        book
    }

    /// A last good site at `dir`: a sentinel page and a nested file.
    fn last_good_site(dir: &Path) -> Vec<(String, Vec<u8>)> {
        std::fs::create_dir_all(dir.join("css")).unwrap();
        std::fs::write(dir.join("index.html"), b"<p>the last good site</p>\n\xff").unwrap();
        std::fs::write(dir.join("css/site.css"), "p { color: red }\n").unwrap();
        snapshot(dir).unwrap()
    }

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_preprocessor_error_leaves_the_last_site_and_no_temporary_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let book = fixture(tmp.path(), "fail-unknown-id", |t| t);
        let dest = tmp.path().join("out/site");
        let before = last_good_site(&dest);
        let err = build_book_at(&book, &dest).unwrap_err();
        assert!(format!("{err:#}").contains("two-step-forcast"), "{err:#}");
        assert_eq!(snapshot(&dest).unwrap(), before);
        assert_eq!(names(&tmp.path().join("out")), ["site"]);
    }

    /// mdBook empties its build folder before it renders: a build into
    /// `dest` itself that failed while rendering would have emptied it.
    #[test]
    fn a_render_error_leaves_the_last_site_and_no_temporary_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let book = fixture(tmp.path(), "basic", |t| {
            t.replace(
                "[output.html]\n",
                "[output.html]\ntheme = \"no-such-theme\"\n",
            )
        });
        let dest = tmp.path().join("out/site");
        let before = last_good_site(&dest);
        let err = build_book_at(&book, &dest).unwrap_err();
        assert!(format!("{err:#}").contains("no-such-theme"), "{err:#}");
        assert_eq!(snapshot(&dest).unwrap(), before);
        assert_eq!(names(&tmp.path().join("out")), ["site"]);
    }

    #[test]
    fn a_successful_build_replaces_the_old_site() {
        let tmp = tempfile::tempdir().unwrap();
        let book = fixture(tmp.path(), "basic", |t| t);
        let dest = tmp.path().join("out/site");
        last_good_site(&dest);
        std::fs::write(dest.join("stale.html"), "gone after the build").unwrap();
        build_book_at(&book, &dest).unwrap();
        assert!(!dest.join("stale.html").exists());
        assert!(!dest.join("css/site.css").exists());
        let index = std::fs::read_to_string(dest.join("index.html")).unwrap();
        assert!(index.contains("<html"), "{index}");
        assert_eq!(names(&tmp.path().join("out")), ["site"]);
        // Into a folder that is not there yet, with no parent either.
        let fresh = tmp.path().join("new/deeper/site");
        build_book_at(&book, &fresh).unwrap();
        assert!(fresh.join("index.html").is_file());
        assert_eq!(names(&tmp.path().join("new/deeper")), ["site"]);
    }

    #[test]
    fn folders_a_crashed_build_left_are_removed_or_put_back() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        // No process has this id (Linux's pid_max is at most 2^22).
        let dead = u32::MAX;
        // A crash between the two renames: the last good site is aside.
        let before = last_good_site(&out.join(format!("site.old-{dead}")));
        last_good_site(&out.join(format!("site.building-{dead}")));
        std::fs::create_dir_all(out.join("other.building-1")).unwrap();
        let failing = fixture(&tmp.path().join("a"), "fail-unknown-id", |t| t);
        build_book_at(&failing, &out.join("site")).unwrap_err();
        assert_eq!(names(&out), ["other.building-1", "site"]);
        assert_eq!(snapshot(&out.join("site")).unwrap(), before);
        // With the site in place, a stale old copy is only removed.
        last_good_site(&out.join(format!("site.old-{dead}")));
        let good = fixture(&tmp.path().join("b"), "basic", |t| t);
        build_book_at(&good, &out.join("site")).unwrap();
        assert_eq!(names(&out), ["other.building-1", "site"]);
        assert!(out.join("site/index.html").is_file());
        assert!(!out.join("site/css/site.css").exists());
    }
}
