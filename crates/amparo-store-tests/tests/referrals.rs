//! The partner-network part of the storage conformance suite, on every backend from `all()`.

// A test file: a failed expectation is a failed test.
#![allow(clippy::expect_used)]

use amparo_domain::referrals::{PartnerId, ReferralId};
use amparo_domain::{OrgId, PersonId, UserId};
use amparo_store::{ErasureRow, IdentityRow, PartnerRow, ReferralRow, Store, StoreError};
use amparo_store_tests::all;
use amparo_store_tests::fixtures::{case, now, org, person, user};
use chrono::Duration;

fn partner(org: OrgId, name: &str, key: Option<&str>, target: Option<OrgId>) -> PartnerRow {
    PartnerRow {
        id: PartnerId::new(),
        org,
        name: name.to_owned(),
        country: "MX".to_owned(),
        region: Some("MX-CHH".to_owned()),
        services: vec!["housing".into(), "legal_aid".into()],
        languages: vec!["es".into()],
        populations: vec!["women".into()],
        contact: "referrals@example.org".to_owned(),
        public_key: key.map(str::to_owned),
        target_org: target,
        notes: String::new(),
        created_at: now(),
        version: 1,
    }
}

fn referral(org: OrgId, partner: Option<PartnerId>, person: Option<PersonId>, by: Option<UserId>) -> ReferralRow {
    ReferralRow {
        id: ReferralId::new(),
        org,
        direction: "outgoing".to_owned(),
        partner,
        from_org: None,
        counterpart: None,
        remote_id: None,
        person,
        case: None,
        consent: None,
        fields: vec!["alias".into(), "phone".into()],
        urgency: "urgent".to_owned(),
        status: "draft".to_owned(),
        wrapped_key: vec![1, 2, 3],
        reason: vec![0, 9, 9],
        shared: None,
        status_note: None,
        expires_on: None,
        created_by: by,
        created_at: now(),
        sent_at: None,
        accepted_at: None,
        declined_at: None,
        completed_at: None,
        withdrawn_at: None,
        version: 1,
    }
}

async fn write<F>(s: &dyn Store, f: F) -> Result<(), StoreError>
where
    F: for<'a> FnOnce(
        &'a mut Box<dyn amparo_store::WriteTx>,
    ) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), StoreError>> + Send + 'a>>,
{
    let mut tx = s.begin().await.expect("begin");
    f(&mut tx).await?;
    tx.commit().await.expect("commit");
    Ok(())
}

#[tokio::test]
async fn the_installation_identity_is_stored_once() {
    for t in all().await {
        let s = &*t.store;
        assert_eq!(s.installation_identity().await.expect("read"), None, "{}", t.name);
        let first = IdentityRow { public_line: "amparo-id1:a:b".into(), secret: vec![7; 40], created_at: now() };
        let second = IdentityRow { public_line: "amparo-id1:c:d".into(), ..first.clone() };
        let mut tx = s.begin().await.expect("begin");
        assert!(tx.insert_installation_identity(&first).await.expect("insert"), "{}", t.name);
        tx.commit().await.expect("commit");
        let mut tx = s.begin().await.expect("begin");
        assert!(!tx.insert_installation_identity(&second).await.expect("insert"), "{}: second is refused", t.name);
        tx.commit().await.expect("commit");
        assert_eq!(s.installation_identity().await.expect("read"), Some(first), "{}", t.name);
    }
}

#[tokio::test]
async fn partners_are_listed_per_organisation_and_found_by_key() {
    for t in all().await {
        let s = &*t.store;
        let (a, b) = (org(s, "Casa").await, org(s, "Refugio").await);
        let far = partner(a, "Zeta Legal", Some("amparo-id1:k:r"), None);
        let near = PartnerRow { country: "US".into(), region: None, ..partner(a, "Alba", None, Some(b)) };
        let theirs = partner(b, "Alba", Some("amparo-id1:k:r"), None);
        for p in [&far, &near, &theirs] {
            let p = p.clone();
            write(s, move |tx| Box::pin(async move { tx.insert_partner(&p).await })).await.expect("insert");
        }
        assert_eq!(s.partners(a).await.expect("list"), vec![near.clone(), far.clone()], "{}: by name", t.name);
        assert_eq!(s.partner(far.id).await.expect("read"), Some(far.clone()), "{}", t.name);
        assert_eq!(s.partner(PartnerId::new()).await.expect("read"), None, "{}", t.name);
        let by_key = s.partners_with_public_key("amparo-id1:k:r").await.expect("by key");
        assert_eq!(by_key.len(), 2, "{}", t.name);
        // Neither or both ways to reach a partner is refused by the database too.
        let neither = partner(a, "Nadie", None, None);
        let refused = write(s, move |tx| Box::pin(async move { tx.insert_partner(&neither).await })).await;
        assert!(refused.is_err(), "{}", t.name);
        // A target organisation that does not exist.
        let ghost = partner(a, "Ghost", None, Some(OrgId::new()));
        let refused = write(s, move |tx| Box::pin(async move { tx.insert_partner(&ghost).await })).await;
        assert!(matches!(refused, Err(StoreError::NotFound)), "{}", t.name);
    }
}

#[tokio::test]
async fn referrals_move_through_their_statuses_with_version_checks() {
    for t in all().await {
        let s = &*t.store;
        let o = org(s, "Casa").await;
        let staff = user(s, o, "ana@casa.org").await;
        let p = person(s, o).await;
        let c = case(s, o, p, "2026-000001", staff).await;
        let dest = partner(o, "Alba", Some("amparo-id1:k:r"), None);
        let d = dest.clone();
        write(s, move |tx| Box::pin(async move { tx.insert_partner(&d).await })).await.expect("partner");
        let r = ReferralRow { case: Some(c), ..referral(o, Some(dest.id), Some(p), Some(staff)) };
        let r2 = r.clone();
        write(s, move |tx| Box::pin(async move { tx.insert_referral(&r2).await })).await.expect("insert");
        assert_eq!(s.referral(r.id).await.expect("read"), Some(r.clone()), "{}", t.name);

        let sent = ReferralRow {
            status: "sent".into(),
            shared: Some(vec![5, 5, 5]),
            sent_at: Some(now() + Duration::minutes(1)),
            ..r.clone()
        };
        let mut tx = s.begin().await.expect("begin");
        let saved = tx.update_referral(&sent).await.expect("update");
        tx.commit().await.expect("commit");
        assert_eq!(saved.version, 2, "{}", t.name);
        assert_eq!(s.referral(r.id).await.expect("read"), Some(saved.clone()), "{}", t.name);
        // A stale version is a conflict; a missing row is not found.
        let mut tx = s.begin().await.expect("begin");
        assert!(matches!(tx.update_referral(&sent).await, Err(StoreError::Conflict)), "{}", t.name);
        let ghost = ReferralRow { id: ReferralId::new(), ..sent.clone() };
        assert!(matches!(tx.update_referral(&ghost).await, Err(StoreError::NotFound)), "{}", t.name);
        drop(tx);

        // Incoming from a packet: one packet files one referral.
        let incoming = ReferralRow {
            direction: "incoming".into(),
            remote_id: Some(uuid::Uuid::new_v4()),
            person: None,
            status: "sent".into(),
            ..referral(o, Some(dest.id), None, None)
        };
        let again = ReferralRow { id: ReferralId::new(), ..incoming.clone() };
        let i2 = incoming.clone();
        write(s, move |tx| Box::pin(async move { tx.insert_referral(&i2).await })).await.expect("incoming");
        let dup = write(s, move |tx| Box::pin(async move { tx.insert_referral(&again).await })).await;
        assert!(matches!(dup, Err(StoreError::Duplicate)), "{}", t.name);
        assert_eq!(s.referrals(o, "incoming", 10).await.expect("list"), vec![incoming.clone()], "{}", t.name);
        assert_eq!(s.referrals(o, "outgoing", 10).await.expect("list"), vec![saved.clone()], "{}", t.name);

        // Erasing the person takes their outgoing referrals with them; the inbox stays.
        let erasure = ErasureRow { person: p, org: o, erased_at: now(), erased_by: Some(staff), reason: vec![1; 8] };
        let mut tx = s.begin().await.expect("begin");
        assert!(tx.erase_person(&erasure).await.expect("erase"), "{}", t.name);
        tx.commit().await.expect("commit");
        assert_eq!(s.referral(r.id).await.expect("read"), None, "{}", t.name);
        assert_eq!(s.referrals(o, "incoming", 10).await.expect("list").len(), 1, "{}", t.name);
    }
}
