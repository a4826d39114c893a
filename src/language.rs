//! The language a journal is written in, and so the language of every word haru adds to it:
//! the theme's, the messages', the reports'. Its own room, since both the configuration that
//! names it and the diagnostics that speak it depend on it.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Ko,
    En,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Ko => "ko",
            Language::En => "en",
        }
    }
}
