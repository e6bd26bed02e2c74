//! A badge's share card: a PNG to post or send, drawn with the `image` crate.
//!
//! The card is the badge's medal (ribbon, disc and ring in the badge's colour) on a light
//! ground with a band of the same colour.

use image::{ImageFormat, Rgb, RgbImage};

use super::content::Badge;
use crate::error::{CoreError, Result};

/// The card's width in pixels (the common link-preview shape, 1.91:1).
pub const WIDTH: u32 = 600;
/// The card's height in pixels.
pub const HEIGHT: u32 = 314;

// TODO(badge-card): the card carries no text (badge name, date) because no CJK font is bundled
// yet; a Noto Sans SC subset with ab_glyph would add several MB to every binary.

/// Draws `badge`'s share card as PNG bytes.
pub fn share_card_png(badge: &Badge) -> Result<Vec<u8>> {
    let colour = parse_colour(&badge.colour)?;
    let ground = Rgb([246, 248, 244]);
    let white = Rgb([255, 255, 255]);
    let ribbon = mix(colour, white, 0.4);

    let (cx, cy, r) = (WIDTH as f32 / 2.0, 170.0_f32, 100.0_f32);
    let image = RgbImage::from_fn(WIDTH, HEIGHT, |x, y| {
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
            let t = (py - 10.0) / 70.0;
            (0.0..=1.0).contains(&t) && (px - (x0 + t * (cx - x0) * 0.3)).abs() <= 22.0
        };
        if tail(cx - 40.0) || tail(cx + 40.0) {
            return ribbon;
        }
        ground
    });

    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, ImageFormat::Png)
        .map_err(|e| CoreError::InvalidInput(format!("cannot draw the share card: {e}")))?;
    Ok(bytes.into_inner())
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

    #[test]
    fn the_card_is_a_png_in_the_badge_colour() {
        let badge = bundled().badge("streak-7").expect("the 7-day badge is bundled");
        let png = share_card_png(badge).expect("card drawn");
        let card = image::load_from_memory_with_format(&png, ImageFormat::Png)
            .expect("a readable PNG")
            .to_rgb8();
        assert_eq!(card.dimensions(), (WIDTH, HEIGHT));
        assert_eq!(card.get_pixel(WIDTH / 2, 170), &Rgb([0xef, 0x6c, 0x00]), "disc centre");
        assert_eq!(card.get_pixel(5, 5), &Rgb([246, 248, 244]), "ground");
        assert_eq!(card.get_pixel(5, HEIGHT - 1), &Rgb([0xef, 0x6c, 0x00]), "band");
    }
}
