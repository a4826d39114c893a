//! Search without a server: the index the build writes as static files, and the rules for
//! cutting text into terms that `static/search.js` follows on the query side.
//!
//! Korean is written in words with particles glued on (`서버리스를`, `VPC에서`), so splitting on
//! spaces, as Pagefind and elasticlunr do, finds nothing a learner types. Terms here are
//! Hangul *bigrams* (every two adjacent syllables: `서버리스를` → 서버, 버리, 리스, 스를) and
//! lowercased ASCII words, matched by prefix. A query matches an entry holding all of its
//! bigrams; the browser then checks the words really stand together in the entry's text
//! before showing it. Titles, headings and tags also get *initials* terms (`ㅅㅂㄹㅅ` for
//! 서버리스), the 초성 search every Korean search box has, and each tag a `#slug` term, so
//! `Simple Queue Service` finds what is tagged SQS.
//!
//! The index is sorted by term and cut into chunks at points that depend on the terms alone
//! (content-defined, like backup tools cut files), so a query fetches the small meta file and
//! the chunks of its own terms, never the whole index, and a rebuild that changes one entry
//! rewrites only the chunks of that entry's terms. Each entry's text for snippets is a file of
//! its own, fetched for the results shown.
//!
//! Entries are numbered oldest first, so today's new entry adds a number instead of shifting
//! every other.

mod fragment;
mod index;
mod terms;
#[cfg(test)]
mod tests;

pub use fragment::Fragment;
pub use index::Index;
pub use terms::{DocumentText, document_terms};
