//! Rows the conformance tests hang their subjects on: an organisation, a user, a person and a
//! case, inserted through the store's own write transactions.

// Test support: a failed insert is a failed test.
#![allow(clippy::expect_used)]

use amparo_domain::{CaseId, Language, OrgId, PersonId, Role, UserId};
use amparo_store::{CaseRow, OrganisationRow, PersonRow, Store, UserRow};
use chrono::{DateTime, NaiveDate, SubsecRound, Utc};

pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

pub async fn org(s: &dyn Store, name: &str) -> OrgId {
    let row = OrganisationRow { id: OrgId::new(), name: name.to_owned(), created_at: now() };
    let mut tx = s.begin().await.expect("begin");
    tx.insert_organisation(&row).await.expect("organisation");
    tx.commit().await.expect("commit");
    row.id
}

pub async fn user(s: &dyn Store, org: OrgId, email: &str) -> UserId {
    let t = now();
    let row = UserRow {
        id: UserId::new(),
        org,
        email: email.to_owned(),
        name: "Staff".to_owned(),
        role: Role::CaseManager,
        language: Language::Es,
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo".to_owned(),
        must_change_password: false,
        mfa_secret: None,
        mfa_enrolled: false,
        mfa_last_step: None,
        disabled: false,
        failed_logins: 0,
        first_failed_at: None,
        locked_until: None,
        lock_count: 0,
        version: 1,
        created_at: t,
        updated_at: t,
    };
    let mut tx = s.begin().await.expect("begin");
    tx.insert_user(&row).await.expect("user");
    tx.commit().await.expect("commit");
    row.id
}

pub async fn person(s: &dyn Store, org: OrgId) -> PersonId {
    let t = now();
    let row = PersonRow {
        id: PersonId::new(),
        org,
        created_by: None,
        wrapped_key: vec![1; 72],
        gender: None,
        birth_year: None,
        age_band: None,
        citizenship: Vec::new(),
        primary_language: None,
        other_languages: Vec::new(),
        interpreter_needed: None,
        household_size: None,
        dependants: None,
        safe_contact_confirmed_at: None,
        identity: vec![2; 40],
        safe_contact: None,
        narrative: None,
        version: 1,
        created_at: t,
        updated_at: t,
    };
    let mut tx = s.begin().await.expect("begin");
    tx.insert_person(&row).await.expect("person");
    tx.commit().await.expect("commit");
    row.id
}

pub async fn case(s: &dyn Store, org: OrgId, person: PersonId, number: &str, team: UserId) -> CaseId {
    let t = now();
    let row = CaseRow {
        id: CaseId::new(),
        org,
        person,
        number: number.to_owned(),
        status: "Active".to_owned(),
        closure_reason: None,
        trafficking_status: None,
        status_decided_by: None,
        exploitation_types: Vec::new(),
        means_of_control: Vec::new(),
        recruitment: None,
        countries: Vec::new(),
        places: Vec::new(),
        opened_on: NaiveDate::from_ymd_opt(2026, 3, 1).expect("date"),
        closed_on: None,
        assigned_to: None,
        restricted: false,
        team: vec![team],
        created_by: Some(team),
        version: 1,
        created_at: t,
        updated_at: t,
    };
    let mut tx = s.begin().await.expect("begin");
    tx.insert_case(&row).await.expect("case");
    tx.commit().await.expect("commit");
    row.id
}
