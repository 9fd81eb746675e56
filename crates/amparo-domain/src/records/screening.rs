//! Screenings: a validated instrument (PHQ-9, GAD-7, PCL-5, the trafficking indicator
//! screen, …) answered with a person. The instruments themselves are data, scored by the
//! `amparo-instruments` crate; what belongs here is the id and the input problems, whose
//! codes are also i18n keys (`error-<code>`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::ids::id_type;

id_type!(
    /// One screening taken with a person.
    ScreeningId
);

/// Why a set of answers was refused. A refusal names the item (1-based) where it can.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScreeningProblem {
    /// No instrument with that id.
    UnknownInstrument,
    /// More or fewer answers than the instrument has scored items.
    AnswerCount,
    /// An answer that is not one of the item's options.
    AnswerOutOfRange,
    /// An item left unanswered on a form.
    AnswerMissing,
    /// An answer to an unscored extra question (PHQ-9's difficulty) outside its options.
    ExtraOutOfRange,
}

impl ScreeningProblem {
    pub const fn code(self) -> &'static str {
        match self {
            ScreeningProblem::UnknownInstrument => "screening_unknown_instrument",
            ScreeningProblem::AnswerCount => "screening_answer_count",
            ScreeningProblem::AnswerOutOfRange => "screening_answer_out_of_range",
            ScreeningProblem::AnswerMissing => "screening_answer_missing",
            ScreeningProblem::ExtraOutOfRange => "screening_extra_out_of_range",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screening_ids_round_trip_and_codes_are_distinct() {
        let id = ScreeningId::new();
        assert_eq!(id.to_string().parse::<ScreeningId>(), Ok(id));
        let all = [
            ScreeningProblem::UnknownInstrument,
            ScreeningProblem::AnswerCount,
            ScreeningProblem::AnswerOutOfRange,
            ScreeningProblem::AnswerMissing,
            ScreeningProblem::ExtraOutOfRange,
        ];
        for (i, a) in all.iter().enumerate() {
            assert!(a.code().starts_with("screening_"));
            assert!(all[i + 1..].iter().all(|b| b.code() != a.code()));
        }
    }
}
