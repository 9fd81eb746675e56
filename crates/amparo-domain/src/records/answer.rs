//! Every optional field may hold a value or say why it holds none (DESIGN.md §2): the
//! client doesn't know, prefers not to answer, or it was not collected. Reports count these
//! apart from "missing".

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeclineCode {
    ClientDoesntKnow,
    PrefersNotToAnswer,
    NotCollected,
}

impl DeclineCode {
    pub const ALL: [DeclineCode; 3] =
        [DeclineCode::ClientDoesntKnow, DeclineCode::PrefersNotToAnswer, DeclineCode::NotCollected];

    pub const fn code(self) -> &'static str {
        match self {
            DeclineCode::ClientDoesntKnow => "client_doesnt_know",
            DeclineCode::PrefersNotToAnswer => "prefers_not_to_answer",
            DeclineCode::NotCollected => "not_collected",
        }
    }

    pub fn from_code(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == s)
    }
}

/// A value, or the reason there is none. In JSON: the value itself, or one of the decline
/// codes as a string (`"prefers_not_to_answer"`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer<T> {
    Value(T),
    Declined(DeclineCode),
}

impl<T> Answer<T> {
    pub fn value(&self) -> Option<&T> {
        match self {
            Answer::Value(v) => Some(v),
            Answer::Declined(_) => None,
        }
    }
}
