//! The journal's pictures, as pages show them: each image's size, read from its file, so a
//! page keeps its layout while images load (`width`/`height`), and the smaller copies a phone
//! downloads instead of a 2,000-pixel screenshot.
//!
//! Steps: `size` reads each image's header when the content folder is walked (a few bytes a
//! file); the markdown renderer looks sizes up by content path.

mod size;

pub(crate) use size::{ImageSizes, Size, sizes_of};
