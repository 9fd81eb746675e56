//! Password policy after NIST SP 800-63B rev. 4 and ASVS 5.0 (v5.0.0-6.2.1, 6.2.4, 6.2.9,
//! 6.2.11): at least 15 characters, up to 256, no composition rules, no truncation, and a
//! refusal of common, repetitive, sequential and context-specific passwords.

use std::collections::HashSet;
use std::sync::OnceLock;

use candidate::Candidate;

/// Why a password was refused. The code is a stable i18n key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordProblem {
    TooShort,
    TooLong,
    Common,
    Predictable,
    ContainsContext,
}

impl PasswordProblem {
    pub const fn code(self) -> &'static str {
        match self {
            PasswordProblem::TooShort => "password_too_short",
            PasswordProblem::TooLong => "password_too_long",
            PasswordProblem::Common => "password_common",
            PasswordProblem::Predictable => "password_predictable",
            PasswordProblem::ContainsContext => "password_contains_context",
        }
    }
}

pub const MIN_CHARS: usize = 15;
/// ASVS asks that at least 64 be allowed; we allow 256 (Argon2 hashes any length).
pub const MAX_CHARS: usize = 256;

static COMMON: OnceLock<HashSet<&'static str>> = OnceLock::new();

fn common_passwords() -> &'static HashSet<&'static str> {
    COMMON.get_or_init(|| include_str!("../data/common-passwords.txt").lines().filter(|l| !l.is_empty()).collect())
}

/// Checks a candidate password. `context` holds words an attacker would try first: the
/// user's email local part and name, the organisation's name, "amparo".
pub fn check(password: &str, context: &[&str]) -> Result<(), PasswordProblem> {
    let candidate = Candidate::new(password);
    let chars = candidate.chars.len();
    if chars < MIN_CHARS {
        return Err(PasswordProblem::TooShort);
    }
    if chars > MAX_CHARS {
        return Err(PasswordProblem::TooLong);
    }
    let lower = &candidate.lower;
    if common_passwords().contains(lower.as_str()) || is_repeated_common(lower) {
        return Err(PasswordProblem::Common);
    }
    if is_repetitive_or_sequential(&candidate.lower_chars) {
        return Err(PasswordProblem::Predictable);
    }
    // What is left once the context words are taken out must still be long enough to guess
    // hard; otherwise the password is the user's own name or the organisation's with padding.
    let mut rest = lower.clone();
    let mut found = false;
    for word in context.iter().map(|w| w.trim().to_lowercase()).chain(["amparo".to_owned()]) {
        if word.chars().count() >= 3 && rest.contains(&word) {
            rest = rest.replace(&word, "");
            found = true;
        }
    }
    if found && rest.chars().count() < 10 {
        return Err(PasswordProblem::ContainsContext);
    }
    Ok(())
}

/// "passwordpassword", "qwertyqwertyqwerty": a common password said again and again.
fn is_repeated_common(lower: &str) -> bool {
    let n = lower.len();
    (1..=n / 2).filter(|p| n.is_multiple_of(*p) && lower.is_char_boundary(*p)).any(|p| {
        let unit = &lower[..p];
        lower.as_bytes().chunks(p).all(|c| c == unit.as_bytes()) && (p <= 4 || common_passwords().contains(unit))
    })
}

/// "aaaaaaaaaaaaaaa", "123456789012345", "abcdefghijklmnop", "zyxwvutsrqponml".
fn is_repetitive_or_sequential(chars: &[char]) -> bool {
    let distinct: HashSet<&char> = chars.iter().collect();
    if distinct.len() <= 3 {
        return true;
    }
    let steps: Vec<i64> = chars.windows(2).map(|w| i64::from(u32::from(w[1])) - i64::from(u32::from(w[0]))).collect();
    let ascending = steps.iter().all(|s| *s == 1 || *s == -9); // 0 follows 9
    let descending = steps.iter().all(|s| *s == -1 || *s == 9);
    ascending || descending
}

mod candidate {
    /// The lowered forms of a candidate, computed once.
    pub struct Candidate {
        pub chars: Vec<char>,
        pub lower: String,
        pub lower_chars: Vec<char>,
    }
    impl Candidate {
        pub fn new(p: &str) -> Self {
            let lower = p.to_lowercase();
            Self { chars: p.chars().collect(), lower_chars: lower.chars().collect(), lower }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_limits_count_characters_not_bytes() {
        assert_eq!(check("quince letras!", &[]), Err(PasswordProblem::TooShort)); // 14
        assert_eq!(check("quince letras!!", &[]), Ok(()));
        assert_eq!(check("ñandú cigüeña ok", &[]), Ok(()));
        let p128: String = "río bravo y más ".repeat(8);
        assert_eq!(p128.chars().count(), 128);
        assert_eq!(check(&p128, &[]), Ok(()));
        let p256: String = (0..256u32).filter_map(|i| char::from_u32(u32::from('a') + (i * 7) % 26)).collect();
        assert_eq!(check(&p256, &[]), Ok(()));
        assert_eq!(check(&format!("{p256}z"), &[]), Err(PasswordProblem::TooLong));
    }

    #[test]
    fn every_listed_password_of_allowed_length_is_refused() {
        let listed = include_str!("../data/common-passwords.txt").lines().filter(|l| l.chars().count() >= MIN_CHARS);
        let mut n = 0;
        for p in listed {
            assert!(check(p, &[]).is_err(), "{p}");
            assert!(check(&p.to_uppercase(), &[]).is_err(), "{p}");
            n += 1;
        }
        assert!(n > 20);
    }

    #[test]
    fn repetitive_sequential_and_repeated_common_are_refused() {
        assert_eq!(check("aaaaaaaaaaaaaaaa", &[]), Err(PasswordProblem::Common));
        assert_eq!(check("123456789012345", &[]), Err(PasswordProblem::Common));
        assert_eq!(check("1234567890123456", &[]), Err(PasswordProblem::Predictable));
        assert_eq!(check("abcdefghijklmnop", &[]), Err(PasswordProblem::Predictable));
        assert_eq!(check("passwordpassword", &[]), Err(PasswordProblem::Common));
        assert_eq!(check("dragondragondragon", &[]), Err(PasswordProblem::Common));
    }

    #[test]
    fn context_words_with_little_else_are_refused() {
        assert_eq!(check("Refugio Esperanza 2026", &["Refugio Esperanza"]), Err(PasswordProblem::ContainsContext));
        assert_eq!(check("amparo amparo 123", &[]), Err(PasswordProblem::ContainsContext));
        assert_eq!(check("anamaria.lopez2026", &["anamaria.lopez"]), Err(PasswordProblem::ContainsContext));
        assert_eq!(check("el nopal florece cada abril", &["ana"]), Ok(()));
    }

    #[test]
    fn no_composition_rules_and_no_truncation() {
        // lower case only, spaces, no digits: fine.
        assert_eq!(check("tortillas de maiz con frijol", &[]), Ok(()));
        // Past the 72nd byte (bcrypt's truncation point) every character still counts.
        let long = "una frase muy larga con más de setenta y dos bytes, para ver".to_owned() + " si se trunca";
        assert_eq!(check(&long, &[]), Ok(()));
        assert_eq!(
            check(&format!("{long}{}", "é".repeat(MAX_CHARS - long.chars().count() + 1)), &[]),
            Err(PasswordProblem::TooLong)
        );
    }
}
