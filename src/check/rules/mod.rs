//! The rules, one module a family: `dates` (dates that disagree, repeat or are missing),
//! `leftovers` (template text never filled in), `links` (links, anchors and images that lead
//! nowhere) and `external` (servers that answer no page), `github` (markdown GitHub shows
//! unlike its author meant), `repairs` (what haru repairs and GitHub does not).

pub(super) mod dates;
pub(super) mod external;
pub(super) mod github;
pub(super) mod leftovers;
pub(super) mod links;
pub(super) mod repairs;
