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

impl<T: Serialize> Serialize for Answer<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Answer::Value(v) => v.serialize(s),
            Answer::Declined(d) => s.serialize_str(d.code()),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Answer<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // A decline code is recognised first: a name is never literally "not_collected".
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw<T> {
            Code(DeclineCode),
            Value(T),
        }
        Ok(match Raw::deserialize(d)? {
            Raw::Code(c) => Answer::Declined(c),
            Raw::Value(v) => Answer::Value(v),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Probe {
        name: Answer<String>,
        age: Answer<i32>,
    }

    #[test]
    fn answers_read_and_write_as_the_value_or_the_decline_code() -> Result<(), serde_json::Error> {
        let p =
            Probe { name: Answer::Value("Xóchitl".into()), age: Answer::Declined(DeclineCode::PrefersNotToAnswer) };
        let json = serde_json::to_string(&p)?;
        assert_eq!(json, r#"{"name":"Xóchitl","age":"prefers_not_to_answer"}"#);
        assert_eq!(serde_json::from_str::<Probe>(&json)?, p);
        let q: Probe = serde_json::from_str(r#"{"name":"client_doesnt_know","age":31}"#)?;
        assert_eq!(q, Probe { name: Answer::Declined(DeclineCode::ClientDoesntKnow), age: Answer::Value(31) });
        assert!(serde_json::from_str::<Probe>(r#"{"name":"x","age":"thirty"}"#).is_err());
        Ok(())
    }
}
