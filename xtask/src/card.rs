//! The link-preview card (`og:image`): a 1200×630 PNG of the book's title,
//! its description and its address, drawn at build time (share.rs).
//!
//! Pure Rust and the same bytes on any machine: the glyphs are the Open Sans
//! regular and bold that mdBook ships with its theme, read from the built
//! site's `fonts/` (WOFF2, decoded by `wuff`), their outlines read by
//! `ttf-parser` and filled by `tiny-skia`; `png` writes it. No system
//! font is asked for, so the card does not depend on what a machine has
//! installed. Text is laid out glyph by glyph with the fonts' advances, no
//! shaping or kerning: the title and description are plain Latin text.
//!
//! Colours are those of mdBook's navy theme (the book's dark one): background
//! `#161923`, text `#bcbdd0`, links `#2b79a2` for the band.

use std::path::Path;

use anyhow::{Context, Result, bail};
use sha2::{Digest, Sha256};
use tiny_skia::{Color, FillRule, Paint, PathBuilder, Pixmap, Rect, Transform};
use ttf_parser::{Face, OutlineBuilder};

use crate::share::Settings;

/// The card's size: the 1.91:1 Open Graph and X (Twitter) recommend.
pub(crate) const WIDTH: u32 = 1200;
pub(crate) const HEIGHT: u32 = 630;
/// Left and right margin.
const MARGIN: f32 = 80.0;

/// The card's file name: `card-` and the first 8 hex digits of its SHA-256.
pub(crate) fn file_name(png: &[u8]) -> String {
    let digest = Sha256::digest(png);
    let hex: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    format!("card-{hex}.png")
}

/// The WOFF2 font in `site/fonts/` whose name starts with `stem` (mdBook adds
/// a content hash to it), decoded to TrueType.
fn font(site: &Path, stem: &str) -> Result<Vec<u8>> {
    let fonts = site.join("fonts");
    let mut found: Vec<_> = std::fs::read_dir(&fonts)
        .with_context(|| format!("listing {}", fonts.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            // `stem.woff2` or, hashed, `stem-0123abcd.woff2`; not `stem` + `italic`.
            name.strip_prefix(stem)
                .and_then(|rest| rest.strip_suffix(".woff2"))
                .is_some_and(|hash| {
                    hash.is_empty()
                        || hash.strip_prefix('-').is_some_and(|h| {
                            h.len() == 8 && h.chars().all(|c| c.is_ascii_hexdigit())
                        })
                })
        })
        .collect();
    found.sort();
    let [file] = found.as_slice() else {
        bail!(
            "expected one {stem}*.woff2 in {} (mdBook's Open Sans), found {}",
            fonts.display(),
            found.len()
        );
    };
    let woff2 = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    wuff::decompress_woff2(&woff2)
        .map_err(|e| anyhow::anyhow!("decoding {}: {e:?}", file.display()))
}

/// Draws the card for `settings` with the fonts of the site built at `site`.
pub(crate) fn draw(site: &Path, settings: &Settings) -> Result<Vec<u8>> {
    let bold = font(site, "open-sans-v17-all-charsets-700")?;
    let regular = font(site, "open-sans-v17-all-charsets-regular")?;
    let bold = Face::parse(&bold, 0).context("reading Open Sans bold")?;
    let regular = Face::parse(&regular, 0).context("reading Open Sans regular")?;
    let address = settings
        .root_url()
        .split_once("://")
        .map_or(settings.root_url(), |(_, rest)| rest.to_string());
    render(
        &bold,
        &regular,
        &settings.title,
        &settings.description,
        &address,
    )
}

/// The card as PNG bytes.
fn render(
    bold: &Face<'_>,
    regular: &Face<'_>,
    title: &str,
    text: &str,
    address: &str,
) -> Result<Vec<u8>> {
    let mut pixmap = Pixmap::new(WIDTH, HEIGHT).context("a 1200×630 pixmap")?;
    pixmap.fill(Color::from_rgba8(0x16, 0x19, 0x23, 0xff));
    let band = Rect::from_xywh(0.0, 0.0, WIDTH as f32, 16.0).context("the band")?;
    pixmap.fill_rect(band, &paint(0x2b, 0x79, 0xa2), Transform::identity(), None);
    let width = WIDTH as f32 - 2.0 * MARGIN;
    // The title on one line, as large as fits, at most 88 px.
    let title_size = (width / measure(bold, title, 1.0)).min(88.0);
    let mut y = 190.0;
    draw_line(
        &mut pixmap,
        bold,
        title,
        title_size,
        MARGIN,
        y,
        &paint(0xff, 0xff, 0xff),
    );
    // The description, wrapped, at most four lines.
    y += 90.0;
    for line in wrap(regular, text, 38.0, width).iter().take(4) {
        draw_line(
            &mut pixmap,
            regular,
            line,
            38.0,
            MARGIN,
            y,
            &paint(0xbc, 0xbd, 0xd0),
        );
        y += 54.0;
    }
    draw_line(
        &mut pixmap,
        regular,
        address,
        30.0,
        MARGIN,
        HEIGHT as f32 - 60.0,
        &paint(0x6c, 0xb6, 0xdb),
    );
    encode_rgb(&pixmap)
}

/// `pixmap`, opaque, as an 8-bit RGB PNG at the encoder's best compression
/// with adaptive filtering: 44 kB for this book's card, 156 kB as tiny-skia's
/// RGBA PNG.
fn encode_rgb(pixmap: &Pixmap) -> Result<Vec<u8>> {
    let rgb: Vec<u8> = pixmap
        .pixels()
        .iter()
        .flat_map(|p| [p.red(), p.green(), p.blue()])
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Best);
    encoder.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
    encoder
        .write_header()
        .and_then(|mut w| w.write_image_data(&rgb))
        .context("encoding the card as PNG")?;
    Ok(out)
}

fn paint(r: u8, g: u8, b: u8) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color_rgba8(r, g, b, 0xff);
    paint.anti_alias = true;
    paint
}

/// The width of `text` at `size` px.
fn measure(face: &Face<'_>, text: &str, size: f32) -> f32 {
    let scale = size / f32::from(face.units_per_em());
    text.chars()
        .map(|c| {
            face.glyph_index(c)
                .and_then(|g| face.glyph_hor_advance(g))
                .map_or(0.0, |a| f32::from(a) * scale)
        })
        .sum()
}

/// `text` in lines no wider than `width` at `size` px, broken at spaces.
fn wrap(face: &Face<'_>, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if measure(face, &candidate, size) > width && !line.is_empty() {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Fills `text` at `size` px with its baseline at `y`, starting at `x`.
fn draw_line(
    pixmap: &mut Pixmap,
    face: &Face<'_>,
    text: &str,
    size: f32,
    x: f32,
    y: f32,
    paint: &Paint<'_>,
) {
    let scale = size / f32::from(face.units_per_em());
    let mut pen = x;
    let mut builder = Outline {
        path: PathBuilder::new(),
        x: 0.0,
        y,
        scale,
    };
    for c in text.chars() {
        let Some(glyph) = face.glyph_index(c) else {
            continue;
        };
        builder.x = pen;
        face.outline_glyph(glyph, &mut builder);
        pen += face
            .glyph_hor_advance(glyph)
            .map_or(0.0, |a| f32::from(a) * scale);
    }
    if let Some(path) = builder.path.finish() {
        pixmap.fill_path(&path, paint, FillRule::Winding, Transform::identity(), None);
    }
}

/// A glyph's outline into a tiny-skia path: font units (y up) to pixels
/// (y down) at the pen position.
struct Outline {
    path: PathBuilder,
    x: f32,
    y: f32,
    scale: f32,
}

impl Outline {
    fn at(&self, x: f32, y: f32) -> (f32, f32) {
        (self.x + x * self.scale, self.y - y * self.scale)
    }
}

impl OutlineBuilder for Outline {
    fn move_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.path.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        let (x, y) = self.at(x, y);
        self.path.line_to(x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        let (x1, y1) = self.at(x1, y1);
        let (x, y) = self.at(x, y);
        self.path.quad_to(x1, y1, x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        let (x1, y1) = self.at(x1, y1);
        let (x2, y2) = self.at(x2, y2);
        let (x, y) = self.at(x, y);
        self.path.cubic_to(x1, y1, x2, y2, x, y);
    }
    fn close(&mut self) {
        self.path.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_follows_the_bytes() {
        assert_eq!(file_name(b""), "card-e3b0c442.png");
        assert_ne!(file_name(b"a"), file_name(b"b"));
    }
}
