//! An entry's file of text for the search page's snippets, gzipped JSON: what the browser
//! shows of a result and checks a query's words against.

use serde::Serialize;

use crate::markdown::Passage;

/// An entry's file of text for snippets: what the browser shows of a result and checks a
/// query's words against.
#[derive(Serialize)]
pub struct Fragment<'a> {
    /// The page, with the base path.
    pub url: String,
    pub title: &'a str,
    pub date: String,
    pub tags: Vec<&'a str>,
    pub passages: &'a [Passage],
}

impl Fragment<'_> {
    /// The fragment as gzip-compressed JSON: an entry's text is most of what a query fetches,
    /// and Korean prose shrinks about three times. (Static hosts do not compress files
    /// themselves, and GitHub Pages would not for these; the browser inflates them.)
    /// libdeflate's fastest level takes the time zlib's fastest did and its files are a
    /// quarter smaller (43 MB of 3,000 entries' JSON: 14.6 MB against 18.8 MB).
    pub fn to_gzip_json(&self) -> Vec<u8> {
        thread_local! {
            // A compressor holds its tables (hundreds of KB): one per thread, not per entry.
            static COMPRESSOR: std::cell::RefCell<libdeflater::Compressor> =
                std::cell::RefCell::new(libdeflater::Compressor::new(
                    libdeflater::CompressionLvl::new(1).expect("level 1 exists"),
                ));
        }
        let json = serde_json::to_vec(self).expect("a fragment serialises");
        COMPRESSOR.with_borrow_mut(|compressor| {
            let mut gzip = vec![0; compressor.gzip_compress_bound(json.len())];
            let length = compressor
                .gzip_compress(&json, &mut gzip)
                .expect("the bound leaves room");
            gzip.truncate(length);
            gzip.shrink_to_fit();
            gzip
        })
    }
}
