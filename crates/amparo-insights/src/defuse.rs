//! Formula injection ("CSV injection"): a spreadsheet program opening a CSV file runs a
//! cell that looks like a formula. Every text cell we write to a CSV file goes through
//! [`defuse`]; XLSX cells are written as typed strings, never formulas (see `sheet.rs`).
//!
//! The rule: a cell that starts with `=`, `@`, a tab or a carriage return, or with `+` or
//! `-` followed by something other than a digit (or by nothing), gets a leading `'`. So `-99`,
//! `+52 55 1234 5678` and `-3.5` stay as they are, while `=SUM(A1)`, `+cmd|…`, `-A1`,
//! `@SUM(…)` are shown as text.

use std::borrow::Cow;

/// The cell as it is safe to write in a CSV file.
pub fn defuse(cell: &str) -> Cow<'_, str> {
    if needs_quote(cell) { Cow::Owned(format!("'{cell}")) } else { Cow::Borrowed(cell) }
}

/// Whether a spreadsheet program could take the cell for a formula.
pub fn needs_quote(cell: &str) -> bool {
    let mut chars = cell.chars();
    match chars.next() {
        Some('=' | '@' | '\t' | '\r') => true,
        Some('+' | '-') => !chars.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_quoted() {
        for cell in [
            "=1+1",
            "=HYPERLINK(\"http://x\",\"y\")",
            "@SUM(A1:A2)",
            "\t=1",
            "\tanything",
            "\rtext",
            "+cmd|' /C calc'!A0",
            "-cmd",
            "-A1+B1",
            "+",
            "-",
            "- 5",
            "+ 52",
            "-=1",
            "+@x",
            "=",
            "@",
        ] {
            assert_eq!(defuse(cell), format!("'{cell}"), "{cell:?}");
        }
    }

    #[test]
    fn numbers_and_phone_numbers_stay_as_they_are() {
        for cell in ["-99", "+52 55 1234 5678", "-3.5", "+1 (555) 010-0199", "-0", "+0052", "42", "0"] {
            assert_eq!(defuse(cell), cell, "{cell:?}");
        }
    }

    #[test]
    fn ordinary_text_stays_as_it_is() {
        for cell in [
            "",
            "María",
            "O'Brien",
            "Calle 5 = esquina",
            "a=b",
            " =1",
            "a\t=1",
            "x@example.org",
            "'=already quoted",
            "2024-03-05",
            "Xóchitl",
            "ñandú",
        ] {
            assert_eq!(defuse(cell), cell, "{cell:?}");
        }
    }

    #[test]
    fn only_the_first_character_decides_and_a_quote_is_added_once() {
        assert_eq!(defuse("=1"), "'=1");
        assert_eq!(defuse(&defuse("=1")), "'=1", "a defused cell is not quoted again");
        assert!(!needs_quote("1=1"));
        assert!(needs_quote("-\u{663}"), "only ASCII digits make a number");
        assert!(needs_quote("+٣"));
        assert!(!needs_quote("-٣x".trim_start_matches('-')));
    }

    #[test]
    fn every_character_after_a_sign_is_classified() {
        for c in (0u32..0x250).filter_map(char::from_u32) {
            for sign in ['+', '-'] {
                let cell = format!("{sign}{c}rest");
                assert_eq!(needs_quote(&cell), !c.is_ascii_digit(), "{cell:?}");
            }
        }
    }
}
