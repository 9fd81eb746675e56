//! Values of a person's record that stay in clear for reports: birth year and age band.
//! Everything that identifies (names, birth date, contact details, story) is sealed.

use chrono::{Datelike, NaiveDate};

use super::case::code_enum;

code_enum!(
    /// Age bands as the CTDC global dataset writes them (`ageBroad`), for reports.
    AgeBand {
        Under9 => "0--8",
        From9To17 => "9--17",
        From18To20 => "18--20",
        From21To23 => "21--23",
        From24To26 => "24--26",
        From27To29 => "27--29",
        From30To38 => "30--38",
        From39To47 => "39--47",
        From48 => "48+",
    }
);

/// The band of an age in whole years.
pub fn age_band_of(age: i32) -> AgeBand {
    match age {
        i32::MIN..=8 => AgeBand::Under9,
        9..=17 => AgeBand::From9To17,
        18..=20 => AgeBand::From18To20,
        21..=23 => AgeBand::From21To23,
        24..=26 => AgeBand::From24To26,
        27..=29 => AgeBand::From27To29,
        30..=38 => AgeBand::From30To38,
        39..=47 => AgeBand::From39To47,
        _ => AgeBand::From48,
    }
}

pub fn birth_year_of(birth_date: NaiveDate) -> i32 {
    birth_date.year()
}

/// Age in whole years on `on`.
pub fn age_on(birth_date: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth_date.year();
    if (on.month(), on.day()) < (birth_date.month(), birth_date.day()) {
        age -= 1;
    }
    age
}

/// What went wrong with a person's field (the code is an i18n key `error-<code>`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PersonFieldError {
    NameOrAliasRequired,
    BirthDateInFuture,
    BirthDateMalformed,
    AgeOutOfRange,
    PhoneMalformed,
    QueryTooShort,
    ReasonTooShort,
    ConsentTooLong,
    ConsentExpiryInPast,
}

impl PersonFieldError {
    pub const fn code(self) -> &'static str {
        match self {
            PersonFieldError::NameOrAliasRequired => "name_or_alias_required",
            PersonFieldError::BirthDateInFuture => "birth_date_in_future",
            PersonFieldError::BirthDateMalformed => "birth_date_malformed",
            PersonFieldError::AgeOutOfRange => "age_out_of_range",
            PersonFieldError::PhoneMalformed => "phone_malformed",
            PersonFieldError::QueryTooShort => "query_too_short",
            PersonFieldError::ReasonTooShort => "reason_too_short",
            PersonFieldError::ConsentTooLong => "consent_too_long",
            PersonFieldError::ConsentExpiryInPast => "consent_expiry_in_past",
        }
    }
}

/// The E.164 form of a phone number as typed (`+52 55 1234 5678` → `+525512345678`), kept
/// beside the number exactly as given. None when it cannot be E.164 (no country code).
pub fn normalise_e164(phone: &str) -> Result<Option<String>, PersonFieldError> {
    let trimmed = phone.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    if !trimmed.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c)) {
        return Err(PersonFieldError::PhoneMalformed);
    }
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 4 || digits.len() > 15 {
        return Err(PersonFieldError::PhoneMalformed);
    }
    let international = trimmed.starts_with('+') || trimmed.starts_with("00");
    let digits = if trimmed.starts_with("00") { digits.trim_start_matches("00").to_owned() } else { digits };
    Ok((international && !digits.starts_with('0')).then(|| format!("+{digits}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_keep_a_normalised_form_beside_them() {
        assert_eq!(normalise_e164("+52 55 1234 5678"), Ok(Some("+525512345678".into())));
        assert_eq!(normalise_e164("0052 (55) 1234-5678"), Ok(Some("+525512345678".into())));
        assert_eq!(normalise_e164("55 1234 5678"), Ok(None));
        assert_eq!(normalise_e164(""), Ok(None));
        assert_eq!(normalise_e164("call me"), Err(PersonFieldError::PhoneMalformed));
    }

    #[test]
    fn ages_fall_in_ctdc_bands() {
        assert_eq!(age_band_of(17), AgeBand::From9To17);
        assert_eq!(age_band_of(18), AgeBand::From18To20);
        assert_eq!(age_band_of(60).code(), "48+");
        let b = NaiveDate::from_ymd_opt(2008, 6, 15).unwrap_or_default();
        assert_eq!(age_on(b, NaiveDate::from_ymd_opt(2026, 6, 14).unwrap_or_default()), 17);
        assert_eq!(age_on(b, NaiveDate::from_ymd_opt(2026, 6, 15).unwrap_or_default()), 18);
    }
}
