//! Survivor records: values as stored, and rows back to their types.
//!
//! Dates are INTEGER days since 1970-01-01, code lists JSON arrays of strings (TEXT), a
//! case's team one `case_team` row per member, read back with the case in one statement.
//! Several ids or tokens are bound as one JSON array and expanded with `json_each`, so a
//! statement has a fixed number of parameters whatever the count.

use chrono::{Datelike, NaiveDate};
use sqlx::sqlite::{SqlitePool, SqliteRow};
use uuid::Uuid;

use amparo_domain::{CaseId, ConsentId, OrgId, PersonId, UserId};
use amparo_store::{
    BreakGlassRow, CaseRow, CaseStatusRow, ConsentRow, ErasureRow, OutreachRow, PersonRow, StoreError, StoreResult,
};

use crate::error::{bad_value, map_err};
use crate::{get, opt_time, time, uuid};

/// `NaiveDate::num_days_from_ce` of 1970-01-01.
const UNIX_EPOCH_DAYS_FROM_CE: i64 = 719_163;

/// Days since 1970-01-01 (negative before).
pub(crate) fn days(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce()) - UNIX_EPOCH_DAYS_FROM_CE
}

fn date_from_days(v: i64, column: &'static str) -> StoreResult<NaiveDate> {
    i32::try_from(v + UNIX_EPOCH_DAYS_FROM_CE)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .ok_or_else(|| bad_value(column))
}

pub(crate) fn date(row: &SqliteRow, column: &'static str) -> StoreResult<NaiveDate> {
    date_from_days(get(row, column)?, column)
}

pub(crate) fn opt_date(row: &SqliteRow, column: &'static str) -> StoreResult<Option<NaiveDate>> {
    get::<Option<i64>>(row, column)?.map(|v| date_from_days(v, column)).transpose()
}

/// A list of codes as a JSON array (order kept).
pub(crate) fn list(items: &[String]) -> StoreResult<String> {
    serde_json::to_string(items).map_err(|_| StoreError::Database("could not encode a list".into()))
}

pub(crate) fn list_column(row: &SqliteRow, column: &'static str) -> StoreResult<Vec<String>> {
    let text: String = get(row, column)?;
    serde_json::from_str(&text).map_err(|_| bad_value(column))
}

/// Ids as a JSON array of hex strings, for `IN (SELECT unhex(value) FROM json_each(?))`.
pub(crate) fn id_list<'a>(ids: impl IntoIterator<Item = &'a Uuid>) -> StoreResult<String> {
    let hex: Vec<String> = ids.into_iter().map(|id| id.simple().to_string()).collect();
    list(&hex)
}

/// The members once each, in the order first given.
pub(crate) fn distinct<T: PartialEq + Clone>(items: &[T]) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(item) {
            out.push(item.clone());
        }
    }
    out
}

pub(crate) fn opt_uuid(row: &SqliteRow, column: &'static str) -> StoreResult<Option<Uuid>> {
    get(row, column)
}

pub(crate) fn person_from_row(row: &SqliteRow) -> StoreResult<PersonRow> {
    Ok(PersonRow {
        id: PersonId::from_uuid(uuid(row, "id")?),
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        created_by: opt_uuid(row, "created_by")?.map(UserId::from_uuid),
        wrapped_key: get(row, "wrapped_key")?,
        gender: get(row, "gender")?,
        birth_year: get(row, "birth_year")?,
        age_band: get(row, "age_band")?,
        citizenship: list_column(row, "citizenship")?,
        primary_language: get(row, "primary_language")?,
        other_languages: list_column(row, "other_languages")?,
        interpreter_needed: get(row, "interpreter_needed")?,
        household_size: get(row, "household_size")?,
        dependants: get(row, "dependants")?,
        safe_contact_confirmed_at: opt_time(row, "safe_contact_confirmed_at")?,
        identity: get(row, "identity")?,
        safe_contact: get(row, "safe_contact")?,
        narrative: get(row, "narrative")?,
        version: get(row, "version")?,
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
    })
}

/// The `team` column: the members' ids in hex, comma-separated, in team order (or NULL).
pub(crate) fn team(row: &SqliteRow) -> StoreResult<Vec<UserId>> {
    let text: Option<String> = get(row, "team")?;
    text.as_deref()
        .filter(|t| !t.is_empty())
        .map(|t| {
            t.split(',')
                .map(|hex| Uuid::try_parse(hex).map(UserId::from_uuid).map_err(|_| bad_value("case_team.user_id")))
                .collect()
        })
        .unwrap_or_else(|| Ok(Vec::new()))
}

pub(crate) fn case_from_row(row: &SqliteRow) -> StoreResult<CaseRow> {
    Ok(CaseRow {
        id: CaseId::from_uuid(uuid(row, "id")?),
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        person: PersonId::from_uuid(uuid(row, "person_id")?),
        number: get(row, "number")?,
        status: get(row, "status")?,
        closure_reason: get(row, "closure_reason")?,
        trafficking_status: get(row, "trafficking_status")?,
        status_decided_by: get(row, "status_decided_by")?,
        exploitation_types: list_column(row, "exploitation_types")?,
        means_of_control: list_column(row, "means_of_control")?,
        recruitment: get(row, "recruitment")?,
        countries: list_column(row, "countries")?,
        places: list_column(row, "places")?,
        opened_on: date(row, "opened_on")?,
        closed_on: opt_date(row, "closed_on")?,
        assigned_to: opt_uuid(row, "assigned_to")?.map(UserId::from_uuid),
        restricted: get(row, "restricted")?,
        team: team(row)?,
        created_by: opt_uuid(row, "created_by")?.map(UserId::from_uuid),
        version: get(row, "version")?,
        created_at: time(row, "created_at")?,
        updated_at: time(row, "updated_at")?,
    })
}

pub(crate) fn break_glass_from_row(row: &SqliteRow) -> StoreResult<BreakGlassRow> {
    Ok(BreakGlassRow {
        id: uuid(row, "id")?,
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        case: CaseId::from_uuid(uuid(row, "case_id")?),
        user: UserId::from_uuid(uuid(row, "user_id")?),
        reason: get(row, "reason")?,
        granted_at: time(row, "granted_at")?,
        expires_at: time(row, "expires_at")?,
    })
}

pub(crate) fn consent_from_row(row: &SqliteRow) -> StoreResult<ConsentRow> {
    Ok(ConsentRow {
        id: ConsentId::from_uuid(uuid(row, "id")?),
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        person: PersonId::from_uuid(uuid(row, "person_id")?),
        recipient_partner: opt_uuid(row, "recipient_partner")?,
        recipient_name: get(row, "recipient_name")?,
        fields: list_column(row, "fields")?,
        purpose: get(row, "purpose")?,
        expires_on: date(row, "expires_on")?,
        given_as: get(row, "given_as")?,
        given_at: time(row, "given_at")?,
        recorded_by: opt_uuid(row, "recorded_by")?.map(UserId::from_uuid),
        revoked_at: opt_time(row, "revoked_at")?,
    })
}

pub(crate) fn outreach_from_row(row: &SqliteRow) -> StoreResult<OutreachRow> {
    Ok(OutreachRow {
        id: uuid(row, "id")?,
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        person: PersonId::from_uuid(uuid(row, "person_id")?),
        channel: get(row, "channel")?,
        at: time(row, "at")?,
        by: opt_uuid(row, "by_id")?.map(UserId::from_uuid),
    })
}

pub(crate) fn erasure_from_row(row: &SqliteRow) -> StoreResult<ErasureRow> {
    Ok(ErasureRow {
        person: PersonId::from_uuid(uuid(row, "person_id")?),
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        erased_at: time(row, "erased_at")?,
        erased_by: opt_uuid(row, "erased_by")?.map(UserId::from_uuid),
        reason: get(row, "reason")?,
    })
}

pub(crate) fn erasure_request_from_row(row: &SqliteRow) -> StoreResult<amparo_store::ErasureRequestRow> {
    let approved: Option<i64> = get(row, "approved")?;
    Ok(amparo_store::ErasureRequestRow {
        id: uuid(row, "id")?,
        org: OrgId::from_uuid(uuid(row, "org_id")?),
        person: PersonId::from_uuid(uuid(row, "person_id")?),
        requested_by: UserId::from_uuid(uuid(row, "requested_by")?),
        reason: get(row, "reason")?,
        requested_at: time(row, "requested_at")?,
        decided_by: opt_uuid(row, "decided_by")?.map(UserId::from_uuid),
        decided_at: opt_time(row, "decided_at")?,
        approved: approved.map(|a| a != 0),
    })
}

pub(crate) async fn case_status_history(pool: &SqlitePool, case: CaseId) -> StoreResult<Vec<CaseStatusRow>> {
    let rows = sqlx::query(
        "SELECT case_id, org_id, seq, status, closure_reason, on_date, changed_by, changed_at
         FROM case_status_changes WHERE case_id = ? ORDER BY seq",
    )
    .bind(case.as_uuid())
    .fetch_all(pool)
    .await
    .map_err(map_err)?;
    rows.iter()
        .map(|row| {
            let by: Option<Uuid> = get(row, "changed_by")?;
            Ok(CaseStatusRow {
                case: CaseId::from_uuid(uuid(row, "case_id")?),
                org: OrgId::from_uuid(uuid(row, "org_id")?),
                seq: get(row, "seq")?,
                status: get(row, "status")?,
                closure_reason: get(row, "closure_reason")?,
                on_date: date(row, "on_date")?,
                changed_by: by.map(UserId::from_uuid),
                changed_at: time(row, "changed_at")?,
            })
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_days_since_the_unix_epoch_and_round_trip() {
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).expect("date");
        assert_eq!(days(epoch), 0);
        assert_eq!(days(NaiveDate::from_ymd_opt(1969, 12, 31).expect("date")), -1);
        for d in [NaiveDate::MIN, NaiveDate::MAX, epoch, NaiveDate::from_ymd_opt(2024, 2, 29).expect("date")] {
            assert_eq!(date_from_days(days(d), "x").expect("round trip"), d);
        }
        assert!(date_from_days(i64::from(i32::MAX), "x").is_err());
    }

    #[test]
    fn lists_keep_order_and_odd_text() {
        let items = vec!["b".to_owned(), "a,\"x\"]".to_owned(), String::new(), "ñ\u{0}".to_owned()];
        let text = list(&items).expect("encode");
        assert_eq!(serde_json::from_str::<Vec<String>>(&text).expect("decode"), items);
        assert_eq!(list(&[]).expect("encode"), "[]");
    }

    #[test]
    fn distinct_keeps_first_occurrences_in_order() {
        assert_eq!(distinct(&[3, 1, 3, 2, 1]), vec![3, 1, 2]);
    }
}
