//! Image sizes from file headers. Only the first bytes are read: a journal with thousands
//! of screenshots costs milliseconds, and a broken file is simply an image of unknown size.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::load::Asset;

/// An image's size in pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Size {
    pub(crate) width: u32,
    pub(crate) height: u32,
}

/// Image sizes by content path.
pub(super) type ImageSizes = HashMap<String, Size>;

/// Whether the file name is a picture format browsers show, by its extension.
fn is_image_name(relative: &str) -> bool {
    let Some((_, extension)) = relative.rsplit_once('.') else {
        return false;
    };
    matches!(
        extension.to_ascii_lowercase().as_str(),
        "png" | "jpg" | "jpeg" | "gif" | "webp" | "avif" | "bmp"
    )
}

/// The size of every image among `assets` whose header can be read.
pub(super) fn sizes_of(assets: &[Asset]) -> ImageSizes {
    assets
        .par_iter()
        .filter(|asset| is_image_name(&asset.relative))
        .filter_map(|asset| {
            let found = imagesize::size(&asset.absolute).ok()?;
            let size = Size {
                width: u32::try_from(found.width).ok()?,
                height: u32::try_from(found.height).ok()?,
            };
            (size.width > 0 && size.height > 0).then(|| (asset.relative.clone(), size))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_come_from_headers_and_unreadable_files_have_none() {
        let dir = tempfile::tempdir().unwrap();
        // A 3 × 2 PNG's signature and IHDR are all the header reader needs.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&3u32.to_be_bytes());
        png.extend_from_slice(&2u32.to_be_bytes());
        png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        std::fs::write(dir.path().join("a.png"), &png).unwrap();
        std::fs::write(dir.path().join("broken.jpg"), b"not a picture").unwrap();
        std::fs::write(dir.path().join("notes.pdf"), &png).unwrap();
        let asset = |name: &str| Asset {
            relative: format!("img/{name}"),
            absolute: dir.path().join(name),
        };
        let sizes = sizes_of(&[asset("a.png"), asset("broken.jpg"), asset("notes.pdf")]);
        assert_eq!(
            sizes.get("img/a.png"),
            Some(&Size {
                width: 3,
                height: 2
            })
        );
        assert_eq!(sizes.len(), 1, "{sizes:?}");
    }
}
