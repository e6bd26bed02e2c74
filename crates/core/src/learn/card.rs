//! A badge's share card: a PNG to post or send, drawn with the `image` crate, its text set with
//! `ab_glyph`.
//!
//! The card is the badge's medal (ribbon, disc and ring in the badge's colour) on a light
//! ground with a band of the same colour, and beside it the badge's name in the chosen
//! language, the day it was earned and its criteria ([`CardText`]).
//!
//! No font is compiled in: a font that covers Chinese adds megabytes to every binary, so the
//! text is set in a font of the system, found by [`find_font`]: the file named by
//! `GREENMILE_CARD_FONT` (`PATH` or `PATH#INDEX` for a collection), else a Noto Sans CJK or
//! another CJK font at the usual places of Debian, Fedora, Arch, macOS and Windows, else (for
//! English text) DejaVu Sans or Liberation Sans. A font is used only when it has a glyph for
//! every character of the text. When none does, the card is drawn without text and
//! [`ShareCard::text_drawn`] says so, so the caller can tell the user what to install.

use std::path::{Path, PathBuf};

use ab_glyph::{Font, FontVec, PxScale, ScaleFont, point};
use chrono::{Datelike, NaiveDate};
use image::{ImageFormat, Rgb, RgbImage};

use super::content::{Badge, Lang};
use crate::error::{CoreError, Result};

/// The card's width in pixels (the common link-preview shape, 1.91:1).
pub const WIDTH: u32 = 600;
/// The card's height in pixels.
pub const HEIGHT: u32 = 314;

/// Where the text goes: the card right of the medal, above the band (left, top, right,
/// bottom, in pixels).
pub const TEXT_AREA: (u32, u32, u32, u32) = (272, 24, 584, 290);

/// The environment variable naming a font file for card text (`PATH` or `PATH#INDEX`).
pub const FONT_ENV: &str = "GREENMILE_CARD_FONT";

/// The ground colour.
const GROUND: Rgb<u8> = Rgb([246, 248, 244]);

/// Font files tried in order, with the face to use in a collection: Noto Sans CJK SC is face 2
/// of Noto's collections; PingFang and Microsoft YaHei are face 0 of theirs.
const SYSTEM_FONTS: &[(&str, u32)] = &[
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Bold.ttc", 2),
    ("/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Bold.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("/System/Library/Fonts/PingFang.ttc", 0),
    ("/System/Library/Fonts/STHeiti Medium.ttc", 0),
    ("C:\\Windows\\Fonts\\msyh.ttc", 0),
    ("C:\\Windows\\Fonts\\simhei.ttf", 0),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 0),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0),
    ("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
    ("C:\\Windows\\Fonts\\arial.ttf", 0),
];

/// A font read from a file, with where it came from.
#[derive(Debug)]
pub struct CardFont {
    font: FontVec,
    /// The file it was read from.
    pub path: PathBuf,
    /// The face within the file.
    pub index: u32,
}

impl CardFont {
    /// Reads face `index` of the font file at `path`.
    pub fn open(path: &Path, index: u32) -> Result<Self> {
        let data = std::fs::read(path)
            .map_err(|e| CoreError::io(format!("cannot read the font {}", path.display()), e))?;
        let font = FontVec::try_from_vec_and_index(data, index).map_err(|e| {
            CoreError::InvalidInput(format!("{} is not a usable font: {e}", path.display()))
        })?;
        Ok(Self { font, path: path.to_owned(), index })
    }

    /// Whether the font has a glyph for every character of `text` but white space.
    pub fn covers(&self, text: &str) -> bool {
        text.chars().filter(|c| !c.is_whitespace()).all(|c| self.font.glyph_id(c).0 != 0)
    }
}

/// The first font that covers every character of `text`: the file named by [`FONT_ENV`], then
/// the system's fonts in [`SYSTEM_FONTS`] order. `None` when no font here covers it.
pub fn find_font(text: &str) -> Option<CardFont> {
    let named = std::env::var(FONT_ENV).ok().filter(|v| !v.is_empty()).map(|value| {
        match value.rsplit_once('#').and_then(|(p, i)| Some((p.to_owned(), i.parse().ok()?))) {
            Some((path, index)) => (PathBuf::from(path), index),
            None => (PathBuf::from(value), 0),
        }
    });
    let system = SYSTEM_FONTS.iter().map(|(path, index)| (PathBuf::from(path), *index));

    for (path, index) in named.into_iter().chain(system) {
        if !path.is_file() {
            continue;
        }
        match CardFont::open(&path, index) {
            Ok(font) if font.covers(text) => return Some(font),
            Ok(_) => tracing::debug!(font = %path.display(), "font lacks glyphs for the card"),
            Err(error) => tracing::debug!(error = %error, "font not usable for the card"),
        }
    }
    None
}

/// The words on a card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardText {
    /// The badge's name.
    pub title: String,
    /// When it was earned, written out in the card's language.
    pub earned: String,
    /// What earns it.
    pub criteria: String,
}

impl CardText {
    /// The text of `badge`'s card in `lang`, earned on `earned_on` (a date of the learner's
    /// time zone).
    pub fn new(badge: &Badge, lang: Lang, earned_on: NaiveDate) -> Self {
        let earned = match lang {
            Lang::ZhCn => {
                format!("{}年{}月{}日获得", earned_on.year(), earned_on.month(), earned_on.day())
            }
            Lang::En => format!("Earned {}", earned_on.format("%-d %B %Y")),
        };
        Self {
            title: badge.title.get(lang).to_owned(),
            earned,
            criteria: badge.criteria.get(lang).to_owned(),
        }
    }

    /// Every character the card will draw, to choose a font that covers them.
    pub fn all(&self) -> String {
        format!("{} {} {}…", self.title, self.earned, self.criteria)
    }
}

/// A drawn card.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareCard {
    /// The PNG file's bytes.
    pub png: Vec<u8>,
    /// Whether the text was drawn; false when no font was given.
    pub text_drawn: bool,
}

/// Draws `badge`'s share card with `text` set in `font`; without a font the card has the
/// medal only.
pub fn share_card_png(
    badge: &Badge,
    text: &CardText,
    font: Option<&CardFont>,
) -> Result<ShareCard> {
    let colour = parse_colour(&badge.colour)?;
    let mut image = medal(colour);
    if let Some(font) = font {
        draw_text(&mut image, &font.font, text, colour);
    }

    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, ImageFormat::Png)
        .map_err(|e| CoreError::InvalidInput(format!("cannot draw the share card: {e}")))?;
    Ok(ShareCard { png: bytes.into_inner(), text_drawn: font.is_some() })
}

/// The medal's centre and radius.
const MEDAL: (f32, f32, f32) = (150.0, 168.0, 92.0);

fn medal(colour: Rgb<u8>) -> RgbImage {
    let white = Rgb([255, 255, 255]);
    let ribbon = mix(colour, white, 0.4);
    let (cx, cy, r) = MEDAL;
    RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
        let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
        let d = ((px - cx).powi(2) + (py - cy).powi(2)).sqrt();
        if y >= HEIGHT - 18 {
            return colour;
        }
        if d <= r {
            // A white ring inside the disc, as on the SVG artwork.
            return if (d - r * 0.8).abs() <= 3.0 { white } else { colour };
        }
        // Two ribbon tails above the disc, leaning out from its top.
        let tail = |x0: f32| {
            let t = (py - 14.0) / 70.0;
            (0.0..=1.0).contains(&t) && (px - (x0 + t * (cx - x0) * 0.3)).abs() <= 20.0
        };
        if tail(cx - 38.0) || tail(cx + 38.0) {
            return ribbon;
        }
        GROUND
    })
}

/// Sets the title (up to two lines), the date and the criteria (up to three lines, cut with
/// an ellipsis) in the text area, top down.
fn draw_text(image: &mut RgbImage, font: &FontVec, text: &CardText, colour: Rgb<u8>) {
    let (left, top, right, bottom) = TEXT_AREA;
    let width = (right - left) as f32;
    let ink = Rgb([33, 37, 41]);
    let muted = Rgb([88, 96, 105]);
    let title_ink = mix(colour, ink, 0.55);

    let mut y = top as f32;
    for (content, size, tint, max_lines) in [
        (text.title.as_str(), 34.0, title_ink, 2),
        (text.earned.as_str(), 21.0, ink, 1),
        (text.criteria.as_str(), 17.0, muted, 3),
    ] {
        let scaled = font.as_scaled(PxScale::from(size));
        let line_height = scaled.height() + scaled.line_gap();
        for line in wrap(font, size, content, width, max_lines) {
            if y + line_height > bottom as f32 {
                return;
            }
            let baseline = y + scaled.ascent();
            draw_line(image, font, size, &line, left as f32, baseline, tint);
            y += line_height;
        }
        y += size * 0.6;
    }
}

/// The width of `text` set at `size`.
fn measure(font: &FontVec, size: f32, text: &str) -> f32 {
    let scaled = font.as_scaled(PxScale::from(size));
    text.chars().map(|c| scaled.h_advance(scaled.glyph_id(c))).sum()
}

/// `text` broken into at most `max_lines` lines no wider than `width`: between words where
/// there are spaces, between any two characters in Chinese. A cut-off last line ends in "…".
fn wrap(font: &FontVec, size: f32, text: &str, width: f32, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for c in text.chars() {
        let mut candidate = line.clone();
        candidate.push(c);
        if measure(font, size, &candidate) <= width || line.is_empty() {
            line = candidate;
            continue;
        }
        // Break at the last space when the line has one and the break is not Chinese text.
        let (kept, carried) = match line.rfind(' ') {
            Some(at) if c.is_ascii_graphic() && c != ' ' => {
                (line[..at].to_owned(), line[at + 1..].to_owned())
            }
            _ => (line.clone(), String::new()),
        };
        lines.push(kept.trim_end().to_owned());
        line = carried;
        if c != ' ' {
            line.push(c);
        }
    }
    if !line.trim().is_empty() {
        lines.push(line.trim_end().to_owned());
    }

    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && measure(font, size, &format!("{last}…")) > width {
                last.pop();
            }
            last.push('…');
        }
    }
    lines
}

/// Draws one line of text with its baseline at `baseline`, blending each glyph's coverage
/// into the ground.
fn draw_line(
    image: &mut RgbImage,
    font: &FontVec,
    size: f32,
    text: &str,
    x: f32,
    baseline: f32,
    tint: Rgb<u8>,
) {
    let scaled = font.as_scaled(PxScale::from(size));
    let mut caret = x;
    let mut previous = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        if let Some(before) = previous {
            caret += scaled.kern(before, id);
        }
        let glyph = id.with_scale_and_position(size, point(caret, baseline));
        caret += scaled.h_advance(id);
        previous = Some(id);

        let Some(outlined) = font.outline_glyph(glyph) else { continue };
        let bounds = outlined.px_bounds();
        outlined.draw(|gx, gy, coverage| {
            let px = bounds.min.x as i64 + i64::from(gx);
            let py = bounds.min.y as i64 + i64::from(gy);
            let inside =
                (0..i64::from(WIDTH)).contains(&px) && (0..i64::from(HEIGHT)).contains(&py);
            if inside {
                let pixel = image.get_pixel_mut(px as u32, py as u32);
                *pixel = mix(*pixel, tint, coverage.clamp(0.0, 1.0));
            }
        });
    }
}

fn parse_colour(text: &str) -> Result<Rgb<u8>> {
    let hex = text.strip_prefix('#').filter(|h| h.len() == 6);
    let channel = |i: usize| hex.and_then(|h| u8::from_str_radix(&h[i..i + 2], 16).ok());
    match (channel(0), channel(2), channel(4)) {
        (Some(r), Some(g), Some(b)) => Ok(Rgb([r, g, b])),
        _ => Err(CoreError::InvalidInput(format!("{text:?} is not a #rrggbb colour"))),
    }
}

fn mix(a: Rgb<u8>, b: Rgb<u8>, t: f32) -> Rgb<u8> {
    let m = |x: u8, y: u8| (x as f32 * (1.0 - t) + y as f32 * t).round() as u8;
    Rgb([m(a[0], b[0]), m(a[1], b[1]), m(a[2], b[2])])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::learn::content::bundled;

    fn decode(card: &ShareCard) -> RgbImage {
        image::load_from_memory_with_format(&card.png, ImageFormat::Png)
            .expect("a readable PNG")
            .to_rgb8()
    }

    /// Pixels of the text area that are not the ground: the glyphs drawn.
    fn inked(card: &RgbImage) -> usize {
        let (left, top, right, bottom) = TEXT_AREA;
        let mut n = 0;
        for y in top..bottom {
            for x in left..right {
                if card.get_pixel(x, y) != &GROUND {
                    n += 1;
                }
            }
        }
        n
    }

    fn text(lang: Lang) -> CardText {
        let badge = bundled().badge("streak-7").expect("the 7-day badge is bundled");
        let day = NaiveDate::from_ymd_opt(2026, 3, 2).expect("a date");
        CardText::new(badge, lang, day)
    }

    #[test]
    fn the_card_is_a_png_in_the_badge_colour() {
        let badge = bundled().badge("streak-7").expect("the 7-day badge is bundled");
        let card = share_card_png(badge, &text(Lang::En), None).expect("card drawn");
        assert!(!card.text_drawn, "no font, no text");
        let card = decode(&card);
        assert_eq!(card.dimensions(), (WIDTH, HEIGHT));
        assert_eq!(card.get_pixel(150, 168), &Rgb([0xef, 0x6c, 0x00]), "disc centre");
        assert_eq!(card.get_pixel(5, 5), &GROUND, "ground");
        assert_eq!(card.get_pixel(5, HEIGHT - 1), &Rgb([0xef, 0x6c, 0x00]), "band");
        assert_eq!(inked(&card), 0, "the text area stays empty without a font");
    }

    #[test]
    fn the_date_is_written_in_the_cards_language() {
        assert_eq!(text(Lang::ZhCn).earned, "2026年3月2日获得");
        assert_eq!(text(Lang::En).earned, "Earned 2 March 2026");
        assert!(text(Lang::ZhCn).title.chars().any(|c| c > '\u{4e00}'), "a Chinese name");
    }

    #[test]
    fn the_text_is_drawn_in_chinese_and_in_english() {
        let badge = bundled().badge("streak-7").expect("the 7-day badge is bundled");
        let mut drawn = Vec::new();
        for lang in [Lang::ZhCn, Lang::En] {
            let words = text(lang);
            let font = find_font(&words.all()).unwrap_or_else(|| {
                panic!(
                    "no font with glyphs for {:?} here: install fonts-noto-cjk (scripts/setup.sh \
                     does) or set {FONT_ENV}",
                    words.all()
                )
            });
            let card = share_card_png(badge, &words, Some(&font)).expect("card drawn");
            assert!(card.text_drawn);
            let image = decode(&card);
            let ink = inked(&image);
            assert!(ink > 2_000, "{lang:?}: the text area has glyph pixels ({ink})");
            assert_eq!(image.get_pixel(150, 168), &Rgb([0xef, 0x6c, 0x00]), "the medal stays");
            drawn.push(image);
        }
        assert_ne!(drawn[0], drawn[1], "the two languages give two cards");
    }
}
