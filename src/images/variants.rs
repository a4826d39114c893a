//! Smaller WebP copies of big screenshots, for `srcset`: a phone downloads a 720-pixel copy
//! instead of a 2,000-pixel PNG, as Zola's and Hugo's image processing give their users.
//!
//! A copy is made once per picture and width and kept in the cache folder, named by a hash
//! of the picture's bytes: a rebuild, a `serve` start and a CI run with the cache restored
//! only read the picture to hash it. WebP here is lossless (the `image` crate's encoder), so
//! a copy is kept only when it is smaller than the picture itself; photos saved as JPEG often
//! are not, and keep only their original.

use std::path::{Path, PathBuf};

use image::ImageEncoder;
use image::codecs::webp::WebPEncoder;
use image::imageops::FilterType;
use rayon::prelude::*;

use super::size::{ImageSizes, Size};
use crate::load::Asset;

/// The widths made, in device pixels: the text column (736 CSS pixels) on a phone or at 1×,
/// and on a 2× screen.
const WIDTHS: [u32; 2] = [720, 1440];

/// A smaller copy of a picture: its width and where it is in the cache.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Variant {
    pub(crate) width: u32,
    /// The picture's content hash, which names the copy in the cache and on the site.
    pub(crate) hash: u64,
    pub(crate) file: PathBuf,
}

/// Whether a picture is one a copy is made of: a PNG or JPEG wider than the smallest copy.
fn worth_copying(relative: &str, size: Size) -> bool {
    let lower = relative.to_ascii_lowercase();
    let format = lower.ends_with(".png") || lower.ends_with(".jpg") || lower.ends_with(".jpeg");
    format && size.width > WIDTHS[0]
}

/// The copies of every picture among `assets` worth copying, made in `folder` where missing.
/// A picture that cannot be decoded simply has none.
pub(crate) fn variants_of(
    assets: &[Asset],
    sizes: &ImageSizes,
    folder: &Path,
) -> Vec<(String, Vec<Variant>)> {
    if std::fs::create_dir_all(folder).is_err() {
        return Vec::new();
    }
    assets
        .par_iter()
        .filter_map(|asset| {
            let size = *sizes.get(&asset.relative)?;
            if !worth_copying(&asset.relative, size) {
                return None;
            }
            let made = copies(&asset.absolute, size, folder);
            (!made.is_empty()).then(|| (asset.relative.clone(), made))
        })
        .collect()
}

/// The copies of one picture, made if the cache lacks them. A width whose copy came out
/// larger than the picture is remembered as such (an empty file), so it is not tried again.
fn copies(picture: &Path, size: Size, folder: &Path) -> Vec<Variant> {
    let Ok(bytes) = std::fs::read(picture) else {
        return Vec::new();
    };
    let hash = crate::model::fingerprint(&bytes[..]);
    let mut decoded = None;
    let mut made = Vec::new();
    for width in WIDTHS.into_iter().filter(|&width| width < size.width) {
        let file = folder.join(format!("{hash:016x}-{width}.webp"));
        let kept = match std::fs::metadata(&file) {
            Ok(metadata) => metadata.len() > 0,
            Err(_) => {
                if decoded.is_none() {
                    decoded = image::load_from_memory(&bytes).ok();
                }
                let Some(image) = &decoded else {
                    return made;
                };
                let webp = encode(image, width, size);
                let kept = webp.as_ref().is_some_and(|webp| webp.len() < bytes.len());
                let written = if kept {
                    webp.unwrap_or_default()
                } else {
                    Vec::new()
                };
                write_atomically(&file, &written) && kept
            }
        };
        if kept {
            made.push(Variant { width, hash, file });
        }
    }
    made
}

/// The picture at `width`, its height in proportion, as lossless WebP.
fn encode(image: &image::DynamicImage, width: u32, size: Size) -> Option<Vec<u8>> {
    let height = (u64::from(size.height) * u64::from(width) / u64::from(size.width)).max(1);
    let resized = image.resize_exact(width, height as u32, FilterType::Triangle);
    let rgba = resized.to_rgba8();
    let mut out = Vec::new();
    WebPEncoder::new_lossless(&mut out)
        .write_image(
            rgba.as_raw(),
            rgba.width(),
            rgba.height(),
            image::ExtendedColorType::Rgba8,
        )
        .ok()?;
    Some(out)
}

/// Writes through a temporary name, so a build running beside this one never reads half a
/// copy. Whether it worked.
fn write_atomically(file: &Path, bytes: &[u8]) -> bool {
    let temporary = file.with_extension(format!("{}.part", std::process::id()));
    std::fs::write(&temporary, bytes).is_ok() && std::fs::rename(&temporary, file).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A screenshot-like PNG: flat colours compress well, as real ones do.
    fn screenshot(path: &Path, width: u32, height: u32) {
        let image = image::RgbImage::from_fn(width, height, |x, y| {
            if y < 40 {
                image::Rgb([36, 41, 47])
            } else if (y / 20) % 2 == 0 && x % 300 < 240 {
                image::Rgb([190, 196, 204])
            } else {
                image::Rgb([246, 248, 250])
            }
        });
        image.save(path).unwrap();
    }

    #[test]
    fn a_wide_screenshot_gets_smaller_copies_made_once() {
        let dir = tempfile::tempdir().unwrap();
        let picture = dir.path().join("shot.png");
        screenshot(&picture, 1600, 900);
        let asset = Asset {
            relative: "img/shot.png".into(),
            absolute: picture.clone(),
        };
        let sizes = super::super::size::sizes_of(std::slice::from_ref(&asset));
        let cache = dir.path().join("cache");
        let made = variants_of(std::slice::from_ref(&asset), &sizes, &cache);
        assert_eq!(made.len(), 1);
        let widths: Vec<u32> = made[0].1.iter().map(|variant| variant.width).collect();
        assert_eq!(widths, [720, 1440]);
        for variant in &made[0].1 {
            let copy = image::open(&variant.file).unwrap();
            assert_eq!(copy.width(), variant.width);
            assert_eq!(copy.height(), variant.width * 900 / 1600);
        }
        // From the cache the second time: the copies are not written again.
        let modified = std::fs::metadata(&made[0].1[0].file)
            .unwrap()
            .modified()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let again = variants_of(std::slice::from_ref(&asset), &sizes, &cache);
        assert_eq!(again, made);
        assert_eq!(
            std::fs::metadata(&made[0].1[0].file)
                .unwrap()
                .modified()
                .unwrap(),
            modified
        );
    }

    #[test]
    fn small_pictures_and_undecodable_files_get_no_copies() {
        let dir = tempfile::tempdir().unwrap();
        screenshot(&dir.path().join("small.png"), 640, 360);
        let mut broken = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        broken.extend_from_slice(&2000u32.to_be_bytes());
        broken.extend_from_slice(&1000u32.to_be_bytes());
        broken.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        std::fs::write(dir.path().join("broken.png"), &broken).unwrap();
        let assets: Vec<Asset> = ["small.png", "broken.png"]
            .iter()
            .map(|name| Asset {
                relative: name.to_string(),
                absolute: dir.path().join(name),
            })
            .collect();
        let sizes = super::super::size::sizes_of(&assets);
        assert_eq!(sizes.len(), 2, "both headers read");
        assert!(variants_of(&assets, &sizes, &dir.path().join("cache")).is_empty());
    }
}
