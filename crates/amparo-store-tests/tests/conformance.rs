//! The storage conformance suite: every check runs against every backend from `all()`.

// A test file: a failed expectation is a failed test.
#![allow(clippy::expect_used)]

use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, SubsecRound, TimeZone, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use amparo_domain::{ApiTokenId, CaseId, ConsentId, Language, OrgId, PersonId, Role, UserId};
use amparo_store::{
    ApiTokenRow, AuditDraft, AuditLinker, AuditOutcome, AuditRecord, BreakGlassRow, CaseQuery, CaseRow, ConsentRow,
    ErasureRequestRow, ErasureRow, GENESIS_HASH, OrganisationRow, OutreachRow, PersonRow, SessionRow, SessionStage,
    SetupTokenRow, Store, StoreError, UserRow,
};
use amparo_store_tests::{TestStore, all};

#[path = "conformance/casework.rs"]
mod casework;

// --- helpers

/// SHA-256(prev ‖ canonical): deterministic and keyless, enough to check linking.
struct TestLinker;

impl AuditLinker for TestLinker {
    fn link(&self, prev_hash: &[u8], canonical: &[u8]) -> Vec<u8> {
        let mut h = Sha256::new();
        h.update(prev_hash);
        h.update(canonical);
        h.finalize().to_vec()
    }
}

fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

fn org_row(name: &str) -> OrganisationRow {
    OrganisationRow { id: OrgId::new(), name: name.to_owned(), created_at: now() }
}

fn user_row(org: OrgId, email: &str) -> UserRow {
    let t = now();
    UserRow {
        id: UserId::new(),
        org,
        email: email.to_owned(),
        name: format!("Name of {email}"),
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
    }
}

fn draft(action: &str, org: Option<OrgId>) -> AuditDraft {
    let mut d = AuditDraft::new(Utc::now(), "web", action, AuditOutcome::Ok);
    d.org = org;
    d
}

async fn add_org(s: &dyn Store, name: &str) -> OrganisationRow {
    let org = org_row(name);
    let mut tx = s.begin().await.expect("begin");
    tx.insert_organisation(&org).await.expect("insert organisation");
    tx.commit().await.expect("commit");
    org
}

async fn add_user(s: &dyn Store, user: &UserRow) {
    let mut tx = s.begin().await.expect("begin");
    tx.insert_user(user).await.expect("insert user");
    tx.commit().await.expect("commit");
}

async fn append(s: &dyn Store, drafts: &[AuditDraft]) -> amparo_store::AuditHead {
    let mut tx = s.begin().await.expect("begin");
    let head = tx.append_audit(drafts, &TestLinker).await.expect("append");
    tx.commit().await.expect("commit");
    head
}

/// Reads the whole chain and checks every link; returns it.
async fn checked_chain(t: &TestStore) -> Vec<AuditRecord> {
    let records = t.store.audit_events_after(0, i64::MAX).await.expect("read chain");
    let mut prev = GENESIS_HASH.to_vec();
    for (i, r) in records.iter().enumerate() {
        assert_eq!(r.seq, i as i64 + 1, "{}: seq contiguous from 1", t.name);
        assert_eq!(r.prev_hash, prev, "{}: prev_hash of seq {}", t.name, r.seq);
        let expected = TestLinker.link(&prev, &AuditRecord::canonical_bytes(r.seq, &r.draft));
        assert_eq!(r.hash, expected, "{}: hash of seq {}", t.name, r.seq);
        prev = r.hash.clone();
    }
    let head = t.store.audit_head().await.expect("head");
    match records.last() {
        None => assert_eq!(head, None, "{}: empty chain has no head", t.name),
        Some(last) => {
            let head = head.expect("head of a non-empty chain");
            assert_eq!((head.seq, &head.hash), (last.seq, &last.hash), "{}: head is the last entry", t.name);
        }
    }
    records
}

/// Strings that must survive storage byte for byte.
fn awkward_strings() -> Vec<String> {
    vec![
        "Robert'); DROP TABLE users;--".to_owned(),
        "' OR '1'='1".to_owned(),
        "\"double\" and 'single' and `back` quotes".to_owned(),
        "back\\slash \\x00 %wild_card% $1 ? :name @p1 ;".to_owned(),
        "/* comment */ -- comment\nnew line\r\ttab".to_owned(),
        "José Martínez Núñez, niña, acción, ¿Cómo está? ¡Sí!".to_owned(),
        "emoji 🙂👩🏽‍⚕️🏳️‍🌈 and 中文 and العربية and Ελληνικά".to_owned(),
        "e\u{301} (combining) vs é (precomposed)".to_owned(),
        " leading and trailing spaces ".to_owned(),
        String::new(),
        "ñ".repeat(50_000) + &"x".repeat(100_000),
    ]
}

// --- organisations

#[tokio::test]
async fn organisations_insert_list_find_and_refuse_duplicates() {
    for t in all().await {
        let s = &*t.store;
        assert!(s.organisations().await.expect("list").is_empty(), "{}", t.name);
        let a = add_org(s, "Casa Amparo").await;
        let b = add_org(s, "Asociación Norte").await;

        let mut listed = s.organisations().await.expect("list");
        listed.sort_by(|x, y| x.name.cmp(&y.name));
        assert_eq!(listed, vec![b.clone(), a.clone()], "{}", t.name);
        assert_eq!(s.organisation(a.id).await.expect("by id"), Some(a.clone()), "{}", t.name);
        assert_eq!(s.organisation(OrgId::new()).await.expect("by id"), None, "{}", t.name);
        assert_eq!(s.organisation_by_name("Asociación Norte").await.expect("by name"), Some(b.clone()), "{}", t.name);
        assert_eq!(s.organisation_by_name("asociación norte").await.expect("by name"), None, "{}: exact match", t.name);

        let mut tx = s.begin().await.expect("begin");
        let err = tx.insert_organisation(&org_row("Casa Amparo")).await.expect_err("duplicate name");
        assert!(matches!(err, StoreError::Duplicate), "{}: {err:?}", t.name);
        drop(tx);
        assert_eq!(s.organisations().await.expect("list").len(), 2, "{}", t.name);
    }
}

// --- users

#[tokio::test]
async fn users_insert_find_order_and_count() {
    for t in all().await {
        let s = &*t.store;
        let org = add_org(s, "Org A").await;
        let other = add_org(s, "Org B").await;
        assert_eq!(s.count_users().await.expect("count"), 0, "{}", t.name);

        let emails = ["maria@example.org", "ana@example.org", "Zoe@example.org", "luis@example.org"];
        let mut users = Vec::new();
        for e in emails {
            let u = user_row(org.id, e);
            add_user(s, &u).await;
            users.push(u);
        }
        let outsider = user_row(other.id, "outsider@example.org");
        add_user(s, &outsider).await;

        assert_eq!(s.count_users().await.expect("count"), 5, "{}", t.name);
        assert_eq!(s.user_by_email("ana@example.org").await.expect("by email"), Some(users[1].clone()), "{}", t.name);
        assert_eq!(s.user_by_email("nobody@example.org").await.expect("by email"), None, "{}", t.name);
        assert_eq!(s.user(users[0].id).await.expect("by id"), Some(users[0].clone()), "{}", t.name);
        assert_eq!(s.user(UserId::new()).await.expect("by id"), None, "{}", t.name);

        let in_org: Vec<String> = s.users_in_org(org.id).await.expect("in org").into_iter().map(|u| u.email).collect();
        // Byte order: upper case sorts before lower case.
        assert_eq!(
            in_org,
            vec!["Zoe@example.org", "ana@example.org", "luis@example.org", "maria@example.org"],
            "{}",
            t.name
        );
        assert_eq!(s.users_in_org(other.id).await.expect("in org"), vec![outsider], "{}", t.name);
        assert!(s.users_in_org(OrgId::new()).await.expect("in org").is_empty(), "{}", t.name);
    }
}

#[tokio::test]
async fn user_duplicates_and_missing_organisation_are_refused() {
    for t in all().await {
        let s = &*t.store;
        let org = add_org(s, "Org").await;
        let other = add_org(s, "Other").await;
        add_user(s, &user_row(org.id, "taken@example.org")).await;

        // Same email, any organisation.
        for in_org in [org.id, other.id] {
            let mut tx = s.begin().await.expect("begin");
            let err = tx.insert_user(&user_row(in_org, "taken@example.org")).await.expect_err("duplicate");
            assert!(matches!(err, StoreError::Duplicate), "{}: {err:?}", t.name);
            assert!(!err.to_string().contains("taken@example.org"), "{}: message leaks the value", t.name);
        }
        // Same id.
        let first = s.user_by_email("taken@example.org").await.expect("read").expect("exists");
        let mut again = user_row(org.id, "fresh@example.org");
        again.id = first.id;
        let mut tx = s.begin().await.expect("begin");
        let err = tx.insert_user(&again).await.expect_err("duplicate id");
        assert!(matches!(err, StoreError::Duplicate), "{}: {err:?}", t.name);
        drop(tx);

        // A user of an organisation that does not exist.
        let mut tx = s.begin().await.expect("begin");
        let err = tx.insert_user(&user_row(OrgId::new(), "orphan@example.org")).await.expect_err("no org");
        assert!(matches!(err, StoreError::NotFound), "{}: {err:?}", t.name);
        drop(tx);
        assert_eq!(s.count_users().await.expect("count"), 1, "{}", t.name);
    }
}

#[tokio::test]
async fn every_user_field_roles_and_languages_round_trip() {
    for t in all().await {
        let s = &*t.store;
        let org = add_org(s, "Org").await;
        for (i, role) in Role::ALL.into_iter().enumerate() {
            let mut u = user_row(org.id, &format!("user{i}@example.org"));
            u.role = role;
            u.language = Language::ALL[i % Language::ALL.len()];
            u.must_change_password = i % 2 == 0;
            u.mfa_secret = (i % 3 != 0).then(|| vec![0u8, 1, 2, 255, 0, 128, i as u8]);
            u.mfa_enrolled = i % 3 == 1;
            u.mfa_last_step = (i % 2 == 1).then_some(58_000_000 + i as i64);
            u.disabled = i == 7;
            u.failed_logins = i as i32;
            u.first_failed_at = (i > 2).then(|| now() - Duration::minutes(i as i64));
            u.locked_until = (i > 4).then(|| now() + Duration::minutes(15));
            u.lock_count = i as i32 * 2;
            u.version = 10 + i as i64;
            add_user(s, &u).await;
            assert_eq!(s.user(u.id).await.expect("read"), Some(u.clone()), "{}: role {role:?}", t.name);
            let mut tx = s.begin().await.expect("begin");
            assert_eq!(tx.user_for_update(u.id).await.expect("read in tx"), Some(u.clone()), "{}", t.name);
        }
    }
}

#[tokio::test]
async fn update_user_is_optimistically_concurrent() {
    for t in all().await {
        let s = &*t.store;
        let org = add_org(s, "Org").await;
        let u = user_row(org.id, "editor@example.org");
        add_user(s, &u).await;

        // Two people read version 1.
        let first = s.user(u.id).await.expect("read").expect("exists");
        let second = first.clone();

        let mut changed = first.clone();
        changed.name = "New name".to_owned();
        changed.role = Role::Supervisor;
        changed.language = Language::En;
        changed.failed_logins = 3;
        changed.mfa_secret = Some(vec![9; 40]);
        changed.locked_until = Some(now() + Duration::minutes(5));
        let mut tx = s.begin().await.expect("begin");
        let saved = tx.update_user(&changed).await.expect("update");
        tx.commit().await.expect("commit");
        assert_eq!(saved.version, first.version + 1, "{}: version bumps", t.name);
        assert!(saved.updated_at >= first.updated_at, "{}: updated_at moves", t.name);
        assert_eq!(saved.name, "New name", "{}", t.name);
        assert_eq!(saved.role, Role::Supervisor, "{}", t.name);
        assert_eq!(saved.language, Language::En, "{}", t.name);
        assert_eq!(saved.mfa_secret, Some(vec![9; 40]), "{}", t.name);
        assert_eq!(saved.created_at, first.created_at, "{}", t.name);
        assert_eq!(s.user(u.id).await.expect("read"), Some(saved.clone()), "{}: returned row is stored", t.name);

        // The second editor still holds version 1.
        let mut stale = second;
        stale.name = "Overwrite".to_owned();
        let mut tx = s.begin().await.expect("begin");
        let err = tx.update_user(&stale).await.expect_err("stale");
        assert!(matches!(err, StoreError::Conflict), "{}: {err:?}", t.name);
        drop(tx);
        assert_eq!(s.user(u.id).await.expect("read"), Some(saved.clone()), "{}: nothing overwritten", t.name);

        // Re-reading inside the transaction and retrying works.
        let mut tx = s.begin().await.expect("begin");
        let mut fresh = tx.user_for_update(u.id).await.expect("read").expect("exists");
        fresh.disabled = true;
        let again = tx.update_user(&fresh).await.expect("update");
        tx.commit().await.expect("commit");
        assert_eq!(again.version, saved.version + 1, "{}", t.name);
        assert!(again.disabled, "{}", t.name);

        // Email changes are unique too.
        add_user(s, &user_row(org.id, "other@example.org")).await;
        let mut clash = again.clone();
        clash.email = "other@example.org".to_owned();
        let mut tx = s.begin().await.expect("begin");
        let err = tx.update_user(&clash).await.expect_err("duplicate email");
        assert!(matches!(err, StoreError::Duplicate), "{}: {err:?}", t.name);
        drop(tx);

        // A user that does not exist.
        let mut tx = s.begin().await.expect("begin");
        let err = tx.update_user(&user_row(org.id, "ghost@example.org")).await.expect_err("missing");
        assert!(matches!(err, StoreError::NotFound), "{}: {err:?}", t.name);
    }
}

// --- sessions

#[tokio::test]
async fn sessions_insert_read_update_delete() {
    for t in all().await {
        let s = &*t.store;
        let org = add_org(s, "Org").await;
        let alice = user_row(org.id, "alice@example.org");
        let bob = user_row(org.id, "bob@example.org");
        add_user(s, &alice).await;
        add_user(s, &bob).await;

        let base = now();
        let session = |id: u8, user: UserId, created: i64, seen: i64| SessionRow {
            id_hash: vec![id; 32],
            user,
            stage: SessionStage::MfaChallenge,
            created_at: base - Duration::minutes(created),
            last_seen_at: base - Duration::minutes(seen),
        };
        let a1 = session(1, alice.id, 10, 1);
        let a2 = session(2, alice.id, 5, 5);
        let b1 = session(3, bob.id, 600, 1); // old but active
        let b2 = session(4, bob.id, 30, 20); // idle
        let b3 = session(5, bob.id, 2, 1); // fresh
        let mut tx = s.begin().await.expect("begin");
        for row in [&a1, &a2, &b1, &b2, &b3] {
            tx.insert_session(row).await.expect("insert");
        }
        let err = tx.insert_session(&a1).await.expect_err("duplicate");
        assert!(matches!(err, StoreError::Duplicate), "{}: {err:?}", t.name);
        drop(tx);
        let mut tx = s.begin().await.expect("begin");
        for row in [&a1, &a2, &b1, &b2, &b3] {
            tx.insert_session(row).await.expect("insert");
        }
        tx.commit().await.expect("commit");

        assert_eq!(s.session(&a1.id_hash).await.expect("read"), Some(a1.clone()), "{}", t.name);
        assert_eq!(s.session(&[9; 32]).await.expect("read"), None, "{}", t.name);

        for stage in [SessionStage::MfaEnrolment, SessionStage::PasswordChange, SessionStage::Active] {
            let mut moved = a1.clone();
            moved.stage = stage;
            moved.last_seen_at = now();
            let mut tx = s.begin().await.expect("begin");
            tx.update_session(&moved).await.expect("update");
            tx.commit().await.expect("commit");
            assert_eq!(s.session(&a1.id_hash).await.expect("read"), Some(moved), "{}: {stage:?}", t.name);
        }

        let mut tx = s.begin().await.expect("begin");
        tx.delete_session(&a2.id_hash).await.expect("delete");
        tx.delete_session(&[9; 32]).await.expect("deleting a missing session is fine");
        tx.commit().await.expect("commit");
        assert_eq!(s.session(&a2.id_hash).await.expect("read"), None, "{}", t.name);

        // Housekeeping: idle for more than 15 minutes, or older than 8 hours.
        let mut tx = s.begin().await.expect("begin");
        let n = tx.delete_sessions_before(base - Duration::minutes(15), base - Duration::hours(8)).await.expect("gc");
        tx.commit().await.expect("commit");
        assert_eq!(n, 2, "{}: b1 (too old) and b2 (idle) end", t.name);
        assert_eq!(s.session(&b1.id_hash).await.expect("read"), None, "{}", t.name);
        assert_eq!(s.session(&b2.id_hash).await.expect("read"), None, "{}", t.name);
        assert_eq!(s.session(&b3.id_hash).await.expect("read"), Some(b3.clone()), "{}", t.name);

        let mut tx = s.begin().await.expect("begin");
        assert_eq!(tx.delete_sessions_of_user(bob.id).await.expect("end all"), 1, "{}", t.name);
        assert_eq!(tx.delete_sessions_of_user(bob.id).await.expect("end all"), 0, "{}", t.name);
        tx.commit().await.expect("commit");
        assert_eq!(s.session(&b3.id_hash).await.expect("read"), None, "{}", t.name);
        assert!(s.session(&a1.id_hash).await.expect("read").is_some(), "{}: alice keeps hers", t.name);
    }
}

// --- API tokens

#[tokio::test]
async fn api_tokens_insert_find_revoke_touch_list() {
    for t in all().await {
        let s = &*t.store;
        let org = add_org(s, "Org").await;
        let u = user_row(org.id, "api@example.org");
        let other = user_row(org.id, "other@example.org");
        add_user(s, &u).await;
        add_user(s, &other).await;

        let base = now();
        let token = |n: u8, user: UserId, age: i64| ApiTokenRow {
            id: ApiTokenId::new(),
            user,
            name: format!("token {n}"),
            token_hash: vec![n; 32],
            created_at: base - Duration::minutes(age),
            last_used_at: None,
            revoked_at: None,
        };
        let t1 = token(1, u.id, 10);
        let t2 = token(2, u.id, 5);
        let t3 = token(3, other.id, 1);
        let mut tx = s.begin().await.expect("begin");
        for row in [&t2, &t1, &t3] {
            tx.insert_api_token(row).await.expect("insert");
        }
        tx.commit().await.expect("commit");

        let mut same_hash = token(1, u.id, 0);
        same_hash.name = "copy".to_owned();
        let mut tx = s.begin().await.expect("begin");
        let err = tx.insert_api_token(&same_hash).await.expect_err("duplicate hash");
        assert!(matches!(err, StoreError::Duplicate), "{}: {err:?}", t.name);
        drop(tx);

        assert_eq!(s.api_token_by_hash(&[1; 32]).await.expect("by hash"), Some(t1.clone()), "{}", t.name);
        assert_eq!(s.api_token_by_hash(&[7; 32]).await.expect("by hash"), None, "{}", t.name);
        assert_eq!(s.api_token(t1.id).await.expect("by id"), Some(t1.clone()), "{}", t.name);
        assert_eq!(s.api_token(ApiTokenId::new()).await.expect("by id"), None, "{}", t.name);
        assert_eq!(s.api_tokens_of_user(u.id).await.expect("list"), vec![t1.clone(), t2.clone()], "{}", t.name);
        assert!(s.api_tokens_of_user(UserId::new()).await.expect("list").is_empty(), "{}", t.name);

        let used = now();
        let revoked = used + Duration::seconds(1);
        let mut tx = s.begin().await.expect("begin");
        tx.touch_api_token(t1.id, used).await.expect("touch");
        assert!(tx.revoke_api_token(t1.id, revoked).await.expect("revoke"), "{}", t.name);
        assert!(!tx.revoke_api_token(t1.id, revoked).await.expect("revoke again"), "{}", t.name);
        assert!(!tx.revoke_api_token(ApiTokenId::new(), revoked).await.expect("revoke missing"), "{}", t.name);
        tx.commit().await.expect("commit");

        let stored = s.api_token_by_hash(&[1; 32]).await.expect("by hash").expect("exists");
        assert_eq!(stored.last_used_at, Some(used), "{}", t.name);
        assert_eq!(stored.revoked_at, Some(revoked), "{}", t.name);
        let mut tx = s.begin().await.expect("begin");
        assert!(!tx.revoke_api_token(t1.id, now()).await.expect("revoke later"), "{}", t.name);
        tx.commit().await.expect("commit");
        assert_eq!(
            s.api_token_by_hash(&[1; 32]).await.expect("by hash").and_then(|r| r.revoked_at),
            Some(revoked),
            "{}: the first revocation time stays",
            t.name
        );
        assert_eq!(s.api_tokens_of_user(other.id).await.expect("list"), vec![t3], "{}", t.name);
    }
}

// --- setup tokens

#[tokio::test]
async fn setup_tokens_are_single_use() {
    for t in all().await {
        let s = &*t.store;
        let row = SetupTokenRow {
            token_hash: vec![0xab; 32],
            created_at: now(),
            expires_at: now() + Duration::hours(1),
            used_at: None,
        };
        let mut tx = s.begin().await.expect("begin");
        tx.insert_setup_token(&row).await.expect("insert");
        tx.commit().await.expect("commit");
        assert_eq!(s.setup_token(&row.token_hash).await.expect("read"), Some(row.clone()), "{}", t.name);
        assert_eq!(s.setup_token(&[0; 32]).await.expect("read"), None, "{}", t.name);

        let used_at = now();
        let mut tx = s.begin().await.expect("begin");
        assert!(tx.use_setup_token(&row.token_hash, used_at).await.expect("use"), "{}", t.name);
        tx.commit().await.expect("commit");
        let mut tx = s.begin().await.expect("begin");
        assert!(!tx.use_setup_token(&row.token_hash, now()).await.expect("use again"), "{}", t.name);
        assert!(!tx.use_setup_token(&[0; 32], now()).await.expect("use missing"), "{}", t.name);
        tx.commit().await.expect("commit");
        assert_eq!(
            s.setup_token(&row.token_hash).await.expect("read").and_then(|r| r.used_at),
            Some(used_at),
            "{}",
            t.name
        );

        let mut tx = s.begin().await.expect("begin");
        let err = tx.insert_setup_token(&row).await.expect_err("duplicate");
        assert!(matches!(err, StoreError::Duplicate), "{}: {err:?}", t.name);
    }
}

// --- audit chain

#[tokio::test]
async fn audit_chain_links_from_genesis_and_moves_its_head() {
    for t in all().await {
        let s = &*t.store;
        assert_eq!(s.audit_head().await.expect("head"), None, "{}: empty chain", t.name);
        assert!(s.audit_events_after(0, 10).await.expect("read").is_empty(), "{}", t.name);

        let org = OrgId::new();
        let mut first = draft("login", Some(org));
        first.actor = Some(UserId::new());
        first.target_kind = Some("user".to_owned());
        first.target_id = Some(Uuid::new_v4());
        first.detail = Some("wrong_password".to_owned());
        first.outcome = AuditOutcome::Denied;
        first.channel = "api".to_owned();
        let head = append(s, std::slice::from_ref(&first)).await;
        assert_eq!(head.seq, 1, "{}", t.name);
        assert_eq!(s.audit_head().await.expect("head"), Some(head.clone()), "{}", t.name);

        let mut failed = draft("record.read", None);
        failed.outcome = AuditOutcome::Failed;
        let head2 = append(s, &[failed.clone(), draft("user.add", Some(org)), draft("logout", None)]).await;
        assert_eq!(head2.seq, 4, "{}", t.name);
        assert_ne!(head2.hash, head.hash, "{}", t.name);

        // An empty append changes nothing.
        assert_eq!(append(s, &[]).await, head2, "{}", t.name);

        let chain = checked_chain(&t).await;
        assert_eq!(chain.len(), 4, "{}", t.name);
        assert_eq!(chain[0].prev_hash, GENESIS_HASH.to_vec(), "{}", t.name);
        assert_eq!(chain[0].draft, first, "{}: every field round-trips", t.name);
        assert_eq!(chain[1].draft, failed, "{}", t.name);
        assert_eq!(chain[3].draft.action, "logout", "{}", t.name);
    }
}

#[tokio::test]
async fn audit_reads_page_and_filter_by_organisation() {
    for t in all().await {
        let s = &*t.store;
        let (a, b) = (OrgId::new(), OrgId::new());
        let drafts: Vec<AuditDraft> = (0..25)
            .map(|i| {
                let org = match i % 3 {
                    0 => Some(a),
                    1 => Some(b),
                    _ => None,
                };
                draft(&format!("action.{i}"), org)
            })
            .collect();
        append(s, &drafts[..10]).await;
        append(s, &drafts[10..]).await;

        // Pages of 7: 1-7, 8-14, 15-21, 22-25, then nothing.
        let mut after = 0;
        let mut seen = Vec::new();
        loop {
            let page = s.audit_events_after(after, 7).await.expect("page");
            if page.is_empty() {
                break;
            }
            assert!(page.len() <= 7, "{}", t.name);
            after = page.last().map(|r| r.seq).unwrap_or(after);
            seen.extend(page);
        }
        assert_eq!(seen.iter().map(|r| r.seq).collect::<Vec<_>>(), (1..=25).collect::<Vec<_>>(), "{}", t.name);
        assert_eq!(seen, checked_chain(&t).await, "{}", t.name);
        assert_eq!(s.audit_events_after(20, 100).await.expect("tail").len(), 5, "{}", t.name);
        assert!(s.audit_events_after(25, 100).await.expect("past the end").is_empty(), "{}", t.name);
        assert!(s.audit_events_after(0, 0).await.expect("limit 0").is_empty(), "{}", t.name);

        let of_a = s.audit_events_of_org(a, 100).await.expect("of org");
        let expected: Vec<i64> = (1..=25).rev().filter(|seq| (seq - 1) % 3 == 0).collect();
        assert_eq!(of_a.iter().map(|r| r.seq).collect::<Vec<_>>(), expected, "{}: newest first", t.name);
        assert!(of_a.iter().all(|r| r.draft.org == Some(a)), "{}", t.name);
        let latest_b = s.audit_events_of_org(b, 3).await.expect("of org");
        assert_eq!(latest_b.iter().map(|r| r.seq).collect::<Vec<_>>(), vec![23, 20, 17], "{}", t.name);
        assert!(s.audit_events_of_org(OrgId::new(), 10).await.expect("of org").is_empty(), "{}", t.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_appends_form_one_chain() {
    const TASKS: usize = 8;
    const APPENDS: usize = 25;
    for t in all().await {
        // Half the tasks go through a second, independent store on the same database, as
        // another process (the CLI next to the server) would.
        let second = t.reopen().await.expect("second handle");
        let mut tasks = Vec::new();
        for task in 0..TASKS {
            let store: Arc<dyn Store> = if task % 2 == 0 { t.store.clone() } else { second.clone() };
            tasks.push(tokio::spawn(async move {
                for i in 0..APPENDS {
                    let mut tx = store.begin().await.expect("begin");
                    tx.append_audit(&[draft(&format!("task{task}.{i}"), None)], &TestLinker).await.expect("append");
                    tx.commit().await.expect("commit");
                }
            }));
        }
        for task in tasks {
            task.await.expect("task");
        }
        let chain = checked_chain(&t).await;
        assert_eq!(chain.len(), TASKS * APPENDS, "{}: no entry lost", t.name);
        let mut actions: Vec<&str> = chain.iter().map(|r| r.draft.action.as_str()).collect();
        actions.sort_unstable();
        actions.dedup();
        assert_eq!(actions.len(), TASKS * APPENDS, "{}: no entry twice", t.name);
        assert_eq!(second.audit_head().await.expect("head"), t.store.audit_head().await.expect("head"), "{}", t.name);
    }
}

// --- transactions

#[tokio::test]
async fn a_transaction_dropped_without_commit_leaves_nothing() {
    for t in all().await {
        let s = &*t.store;
        let kept = add_org(s, "Kept").await;
        append(s, &[draft("kept", None)]).await;
        let head = s.audit_head().await.expect("head");

        {
            let org = org_row("Dropped");
            let mut tx = s.begin().await.expect("begin");
            tx.insert_organisation(&org).await.expect("insert");
            tx.insert_user(&user_row(org.id, "dropped@example.org")).await.expect("insert");
            tx.insert_setup_token(&SetupTokenRow {
                token_hash: vec![1; 32],
                created_at: now(),
                expires_at: now(),
                used_at: None,
            })
            .await
            .expect("insert");
            tx.append_audit(&[draft("dropped", None), draft("dropped too", None)], &TestLinker).await.expect("append");
            // Not visible outside before commit.
            assert_eq!(s.organisation_by_name("Dropped").await.expect("read"), None, "{}", t.name);
            drop(tx);
        }

        assert_eq!(s.organisations().await.expect("list"), vec![kept], "{}", t.name);
        assert_eq!(s.user_by_email("dropped@example.org").await.expect("read"), None, "{}", t.name);
        assert_eq!(s.count_users().await.expect("count"), 0, "{}", t.name);
        assert_eq!(s.setup_token(&[1; 32]).await.expect("read"), None, "{}", t.name);
        assert_eq!(s.audit_head().await.expect("head"), head, "{}: head did not move", t.name);

        // The write lock was released: the next writer continues the chain.
        let next = append(s, &[draft("after", None)]).await;
        assert_eq!(next.seq, 2, "{}", t.name);
        assert_eq!(checked_chain(&t).await.len(), 2, "{}", t.name);
    }
}

// --- values

#[tokio::test]
async fn awkward_text_round_trips_verbatim() {
    for t in all().await {
        let s = &*t.store;
        for (i, text) in awkward_strings().into_iter().enumerate() {
            // Unique (indexed) columns get the text unless it is the very long one: an index
            // entry has a size limit on PostgreSQL, and no name or email is that long.
            let indexed = if text.len() < 1000 { text.clone() } else { format!("long {}", text.len()) };
            let org = add_org(s, &format!("{indexed}#{i}")).await;
            assert_eq!(s.organisation_by_name(&org.name).await.expect("by name"), Some(org.clone()), "{}", t.name);

            let mut u = user_row(org.id, &format!("{indexed}@{i}"));
            u.name = text.clone();
            u.password_hash = text.clone();
            add_user(s, &u).await;
            assert_eq!(s.user_by_email(&u.email).await.expect("by email"), Some(u.clone()), "{}: #{i}", t.name);

            let token = ApiTokenRow {
                id: ApiTokenId::new(),
                user: u.id,
                name: text.clone(),
                token_hash: indexed.as_bytes().iter().rev().copied().chain([i as u8, 0, 0xff]).collect(),
                created_at: now(),
                last_used_at: None,
                revoked_at: None,
            };
            let mut tx = s.begin().await.expect("begin");
            tx.insert_api_token(&token).await.expect("insert");
            tx.commit().await.expect("commit");
            assert_eq!(s.api_token_by_hash(&token.token_hash).await.expect("read"), Some(token), "{}", t.name);

            let mut d = draft(&text, Some(org.id));
            d.channel = text.clone();
            d.target_kind = Some(text.clone());
            d.detail = Some(text.clone());
            append(s, std::slice::from_ref(&d)).await;
            let stored = s.audit_events_of_org(org.id, 1).await.expect("read");
            assert_eq!(stored.first().map(|r| &r.draft), Some(&d), "{}: #{i}", t.name);
        }
        checked_chain(&t).await;
        // Nothing was dropped or mangled by the hostile strings.
        assert_eq!(s.organisations().await.expect("list").len(), awkward_strings().len(), "{}", t.name);
    }
}

#[tokio::test]
async fn timestamps_round_trip_at_microsecond_precision() {
    let instants = [
        Utc.timestamp_opt(0, 0).single().expect("epoch"),
        Utc.timestamp_opt(-1, 999_999_000).single().expect("just before the epoch"),
        Utc.timestamp_opt(1_700_000_000, 123_456_000).single().expect("2023"),
        Utc.timestamp_opt(1_700_000_000, 1_000).single().expect("one microsecond"),
        Utc.timestamp_opt(1_700_000_000, 999_999_000).single().expect("last microsecond"),
        Utc.with_ymd_and_hms(1900, 2, 28, 23, 59, 59).single().expect("1900") + Duration::microseconds(7),
        Utc.with_ymd_and_hms(2038, 1, 19, 3, 14, 8).single().expect("2038") + Duration::microseconds(654_321),
        Utc.with_ymd_and_hms(9999, 12, 31, 23, 59, 59).single().expect("9999") + Duration::microseconds(999_999),
        now(),
    ];
    for t in all().await {
        let s = &*t.store;
        let org = add_org(s, "Org").await;
        for (i, at) in instants.into_iter().enumerate() {
            let mut u = user_row(org.id, &format!("t{i}@example.org"));
            u.created_at = at;
            u.updated_at = at;
            u.first_failed_at = Some(at);
            u.locked_until = Some(at);
            add_user(s, &u).await;
            assert_eq!(s.user(u.id).await.expect("read"), Some(u.clone()), "{}: {at:?}", t.name);

            let session = SessionRow {
                id_hash: vec![i as u8; 16],
                user: u.id,
                stage: SessionStage::Active,
                created_at: at,
                last_seen_at: at,
            };
            let mut tx = s.begin().await.expect("begin");
            tx.insert_session(&session).await.expect("insert");
            let mut d = draft("time", None);
            d.at = at;
            tx.append_audit(std::slice::from_ref(&d), &TestLinker).await.expect("append");
            tx.commit().await.expect("commit");
            assert_eq!(s.session(&session.id_hash).await.expect("read"), Some(session), "{}: {at:?}", t.name);
            let last = s.audit_events_after(i as i64, 1).await.expect("read");
            assert_eq!(last.first().map(|r| r.draft.at), Some(at), "{}: {at:?}", t.name);
        }
        // Hashes computed before storing still verify after reading back.
        checked_chain(&t).await;

        // Comparisons respect the instant, not a textual form.
        let mut tx = s.begin().await.expect("begin");
        let cut = Utc.timestamp_opt(1_700_000_000, 123_456_000).single().expect("2023");
        let gone = tx.delete_sessions_before(cut, cut).await.expect("gc");
        tx.commit().await.expect("commit");
        assert_eq!(gone, 4, "{}: epoch, before the epoch, 1900, 2023 plus one microsecond", t.name);
    }
}

#[tokio::test]
async fn a_migrated_database_reopens_with_its_data() {
    for t in all().await {
        let org = add_org(&*t.store, "Persistent").await;
        append(&*t.store, &[draft("before reopen", Some(org.id))]).await;
        for _ in 0..2 {
            let again = t.reopen().await.expect("reopen runs the migrations again");
            again.ping().await.expect("ping");
            assert_eq!(again.backend(), t.store.backend(), "{}", t.name);
            assert_eq!(again.organisation(org.id).await.expect("read"), Some(org.clone()), "{}", t.name);
            assert_eq!(again.audit_head().await.expect("head"), t.store.audit_head().await.expect("head"));
        }
        checked_chain(&t).await;
    }
}

#[tokio::test]
async fn ping_and_backend() {
    for t in all().await {
        t.store.ping().await.expect("ping");
        let expected = match t.name {
            "sqlite" => amparo_store::Backend::Sqlite,
            _ => amparo_store::Backend::Postgres,
        };
        assert_eq!(t.store.backend(), expected);
    }
}

// --- survivor records

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("date")
}

/// A person with every field set.
fn full_person(org: OrgId, created_by: Option<UserId>) -> PersonRow {
    let t = now();
    PersonRow {
        id: PersonId::new(),
        org,
        created_by,
        wrapped_key: vec![0, 1, 2, 255, 0, 128],
        gender: Some("prs_Gender_F".to_owned()),
        birth_year: Some(1998),
        age_band: Some("18-20".to_owned()),
        citizenship: vec!["MX".to_owned(), "GT".to_owned(), "AA".to_owned()],
        primary_language: Some("es".to_owned()),
        other_languages: vec!["mam".to_owned(), "en".to_owned()],
        interpreter_needed: Some("yes".to_owned()),
        household_size: Some(4),
        dependants: Some(0),
        safe_contact_confirmed_at: Some(t - Duration::days(3)),
        identity: vec![0xde, 0xad, 0, 0xbe, 0xef],
        safe_contact: Some(vec![7; 64]),
        narrative: Some(vec![0; 3]),
        version: 1,
        created_at: t,
        updated_at: t,
    }
}

/// A person with nothing optional.
fn bare_person(org: OrgId) -> PersonRow {
    let t = now();
    PersonRow {
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
        identity: Vec::new(),
        safe_contact: None,
        narrative: None,
        version: 1,
        created_at: t,
        updated_at: t,
    }
}

fn case_row(org: OrgId, person: PersonId, number: &str, opened_on: NaiveDate, team: Vec<UserId>) -> CaseRow {
    let t = now();
    CaseRow {
        id: CaseId::new(),
        org,
        person,
        number: number.to_owned(),
        status: "open".to_owned(),
        closure_reason: None,
        trafficking_status: None,
        status_decided_by: None,
        exploitation_types: Vec::new(),
        means_of_control: Vec::new(),
        recruitment: None,
        countries: Vec::new(),
        places: Vec::new(),
        opened_on,
        closed_on: None,
        assigned_to: None,
        restricted: false,
        created_by: team.first().copied(),
        team,
        version: 1,
        created_at: t,
        updated_at: t,
    }
}

async fn add_person(s: &dyn Store, p: &PersonRow) {
    let mut tx = s.begin().await.expect("begin");
    tx.insert_person(p).await.expect("insert person");
    tx.commit().await.expect("commit");
}

async fn add_case(s: &dyn Store, c: &CaseRow) {
    let mut tx = s.begin().await.expect("begin");
    tx.insert_case(c).await.expect("insert case");
    tx.commit().await.expect("commit");
}

async fn set_tokens(s: &dyn Store, org: OrgId, person: PersonId, tokens: &[&str]) {
    let tokens: Vec<String> = tokens.iter().map(|t| (*t).to_owned()).collect();
    let mut tx = s.begin().await.expect("begin");
    tx.set_search_tokens(org, person, &tokens).await.expect("set tokens");
    tx.commit().await.expect("commit");
}

/// An organisation with `n` users (staff for teams and assignments).
async fn org_with_users(s: &dyn Store, name: &str, n: usize) -> (OrganisationRow, Vec<UserId>) {
    let org = add_org(s, name).await;
    let mut users = Vec::new();
    for i in 0..n {
        let u = user_row(org.id, &format!("staff{i}@{name}.example.org"));
        add_user(s, &u).await;
        users.push(u.id);
    }
    (org, users)
}

fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    v.sort();
    v
}

#[tokio::test]
async fn persons_round_trip_every_field_and_update_optimistically() {
    for t in all().await {
        let s = &*t.store;
        let (org, staff) = org_with_users(s, "org", 1).await;
        let full = full_person(org.id, Some(staff[0]));
        let bare = bare_person(org.id);
        add_person(s, &full).await;
        add_person(s, &bare).await;
        assert_eq!(s.person(full.id).await.expect("read"), Some(full.clone()), "{}: every field", t.name);
        assert_eq!(s.person(bare.id).await.expect("read"), Some(bare.clone()), "{}: empty lists and None", t.name);
        assert_eq!(s.person(PersonId::new()).await.expect("read"), None, "{}", t.name);

        // Awkward values in lists and codes survive too.
        let mut odd = bare_person(org.id);
        odd.citizenship = vec![String::new(), "a,b".to_owned(), "[\"x\"]".to_owned(), "ñ 🙂".to_owned()];
        odd.other_languages = vec!["same".to_owned(), "same".to_owned()];
        odd.gender = Some(String::new());
        odd.birth_year = Some(-1);
        odd.household_size = Some(i32::MAX);
        odd.dependants = Some(i32::MIN);
        add_person(s, &odd).await;
        assert_eq!(s.person(odd.id).await.expect("read"), Some(odd.clone()), "{}: odd values", t.name);

        // Refusals: same id, unknown organisation, unknown creator.
        let mut tx = s.begin().await.expect("begin");
        let err = tx.insert_person(&full).await.expect_err("duplicate id");
        assert!(matches!(err, StoreError::Duplicate), "{}: {err:?}", t.name);
        drop(tx);
        let mut tx = s.begin().await.expect("begin");
        let err = tx.insert_person(&bare_person(OrgId::new())).await.expect_err("no org");
        assert!(matches!(err, StoreError::NotFound), "{}: {err:?}", t.name);
        drop(tx);
        let mut tx = s.begin().await.expect("begin");
        let err = tx.insert_person(&full_person(org.id, Some(UserId::new()))).await.expect_err("no creator");
        assert!(matches!(err, StoreError::NotFound), "{}: {err:?}", t.name);
        drop(tx);

        // persons(ids): found ones only, any order; nothing for nothing.
        let found = s.persons(&[bare.id, PersonId::new(), full.id, bare.id]).await.expect("persons");
        let mut ids: Vec<PersonId> = found.iter().map(|p| p.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids, sorted(vec![bare.id, full.id]), "{}", t.name);
        assert!(found.contains(&full) && found.contains(&bare), "{}", t.name);
        assert!(s.persons(&[]).await.expect("none").is_empty(), "{}", t.name);
        assert!(s.persons(&[PersonId::new()]).await.expect("missing").is_empty(), "{}", t.name);
        let many: Vec<PersonId> = (0..300).map(|_| PersonId::new()).chain([odd.id]).collect();
        assert_eq!(s.persons(&many).await.expect("many"), vec![odd.clone()], "{}", t.name);

        // Update every mutable field from the full row to nothing, and back.
        let mut changed = bare.clone();
        changed.id = full.id;
        changed.org = OrgId::new(); // ignored: never changes
        changed.created_by = None; // ignored: never changes
        changed.created_at = now() - Duration::days(400); // ignored: never changes
        changed.version = full.version;
        let mut tx = s.begin().await.expect("begin");
        let saved = tx.update_person(&changed).await.expect("update");
        tx.commit().await.expect("commit");
        let expected = PersonRow {
            org: full.org,
            created_by: full.created_by,
            created_at: full.created_at,
            version: full.version + 1,
            updated_at: saved.updated_at,
            ..changed.clone()
        };
        assert_eq!(saved, expected, "{}", t.name);
        assert!(saved.updated_at >= full.updated_at, "{}: updated_at moves", t.name);
        assert_eq!(s.person(full.id).await.expect("read"), Some(saved.clone()), "{}: returned row is stored", t.name);

        let mut back = full.clone();
        back.version = saved.version;
        let mut tx = s.begin().await.expect("begin");
        let again = tx.update_person(&back).await.expect("update back");
        tx.commit().await.expect("commit");
        assert_eq!(
            again,
            PersonRow { version: saved.version + 1, updated_at: again.updated_at, ..full.clone() },
            "{}",
            t.name
        );

        // Stale version: Conflict, nothing written. Missing person: NotFound.
        let mut stale = full.clone();
        stale.narrative = Some(vec![9; 9]);
        let mut tx = s.begin().await.expect("begin");
        let err = tx.update_person(&stale).await.expect_err("stale");
        assert!(matches!(err, StoreError::Conflict), "{}: {err:?}", t.name);
        drop(tx);
        assert_eq!(s.person(full.id).await.expect("read"), Some(again.clone()), "{}: nothing overwritten", t.name);
        let mut tx = s.begin().await.expect("begin");
        let err = tx.update_person(&bare_person(org.id)).await.expect_err("missing");
        assert!(matches!(err, StoreError::NotFound), "{}: {err:?}", t.name);
    }
}

#[tokio::test]
async fn search_tokens_find_persons_carrying_all_of_them_within_one_organisation() {
    for t in all().await {
        let s = &*t.store;
        let a = add_org(s, "A").await;
        let b = add_org(s, "B").await;
        let ana = bare_person(a.id);
        let ana2 = bare_person(a.id);
        let luis = bare_person(a.id);
        let other = bare_person(b.id);
        for p in [&ana, &ana2, &luis, &other] {
            add_person(s, p).await;
        }
        set_tokens(s, a.id, ana.id, &["t:ana", "t:garcia", "t:phone1"]).await;
        set_tokens(s, a.id, ana2.id, &["t:ana", "t:lopez", "t:lopez"]).await;
        set_tokens(s, a.id, luis.id, &["t:luis", "t:garcia"]).await;
        set_tokens(s, b.id, other.id, &["t:ana", "t:garcia"]).await;

        let find = |org: OrgId, tokens: &[&str], limit: i64| {
            let tokens: Vec<String> = tokens.iter().map(|t| (*t).to_owned()).collect();
            async move { sorted(s.persons_with_tokens(org, &tokens, limit).await.expect("search")) }
        };
        assert_eq!(find(a.id, &["t:ana"], 10).await, sorted(vec![ana.id, ana2.id]), "{}", t.name);
        assert_eq!(find(a.id, &["t:ana", "t:garcia"], 10).await, vec![ana.id], "{}: all of them", t.name);
        assert_eq!(find(a.id, &["t:garcia", "t:ana", "t:ana"], 10).await, vec![ana.id], "{}: duplicates", t.name);
        assert_eq!(find(a.id, &["t:garcia"], 10).await, sorted(vec![ana.id, luis.id]), "{}", t.name);
        assert!(find(a.id, &["t:ana", "t:nobody"], 10).await.is_empty(), "{}", t.name);
        assert!(find(a.id, &[], 10).await.is_empty(), "{}: no tokens, nobody", t.name);
        assert_eq!(find(a.id, &["t:ana"], 1).await.len(), 1, "{}: limit", t.name);
        assert!(find(a.id, &["t:ana"], 0).await.is_empty(), "{}: limit 0", t.name);
        // Organisation B's person carries the same tokens but is never found from A, and back.
        assert_eq!(find(b.id, &["t:ana", "t:garcia"], 10).await, vec![other.id], "{}", t.name);
        assert!(find(b.id, &["t:lopez"], 10).await.is_empty(), "{}", t.name);
        assert!(find(OrgId::new(), &["t:ana"], 10).await.is_empty(), "{}", t.name);

        // Setting replaces; an empty set removes them all.
        set_tokens(s, a.id, ana.id, &["t:ana", "t:new"]).await;
        assert_eq!(find(a.id, &["t:garcia"], 10).await, vec![luis.id], "{}: replaced", t.name);
        assert_eq!(find(a.id, &["t:new"], 10).await, vec![ana.id], "{}", t.name);
        set_tokens(s, a.id, ana.id, &[]).await;
        assert_eq!(find(a.id, &["t:ana"], 10).await, vec![ana2.id], "{}: cleared", t.name);

        // Tokens of a person of another organisation, or of nobody, are refused.
        for (org, person) in [(b.id, luis.id), (a.id, PersonId::new())] {
            let mut tx = s.begin().await.expect("begin");
            let err = tx.set_search_tokens(org, person, &["t:x".to_owned()]).await.expect_err("wrong org");
            assert!(matches!(err, StoreError::NotFound), "{}: {err:?}", t.name);
        }
        assert!(find(b.id, &["t:x"], 10).await.is_empty(), "{}", t.name);
    }
}

#[tokio::test]
async fn case_numbers_count_per_organisation_and_year() {
    for t in all().await {
        let s = &*t.store;
        let a = add_org(s, "A").await;
        let b = add_org(s, "B").await;
        let mut tx = s.begin().await.expect("begin");
        assert_eq!(tx.next_case_seq(a.id, 2026).await.expect("seq"), 1, "{}", t.name);
        assert_eq!(tx.next_case_seq(a.id, 2026).await.expect("seq"), 2, "{}", t.name);
        assert_eq!(tx.next_case_seq(a.id, 2027).await.expect("seq"), 1, "{}: per year", t.name);
        assert_eq!(tx.next_case_seq(b.id, 2026).await.expect("seq"), 1, "{}: per organisation", t.name);
        tx.commit().await.expect("commit");
        let mut tx = s.begin().await.expect("begin");
        assert_eq!(tx.next_case_seq(a.id, 2026).await.expect("seq"), 3, "{}: kept across transactions", t.name);
        drop(tx);
        let mut tx = s.begin().await.expect("begin");
        assert_eq!(tx.next_case_seq(a.id, 2026).await.expect("seq"), 3, "{}: a rollback gives it back", t.name);
        let err = tx.next_case_seq(OrgId::new(), 2026).await.expect_err("no org");
        assert!(matches!(err, StoreError::NotFound), "{}: {err:?}", t.name);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_case_numbers_are_never_taken_twice() {
    const TASKS: usize = 8;
    const TAKES: usize = 15;
    for t in all().await {
        let org = add_org(&*t.store, "Org").await;
        let second = t.reopen().await.expect("second handle");
        let mut tasks = Vec::new();
        for task in 0..TASKS {
            let store: Arc<dyn Store> = if task % 2 == 0 { t.store.clone() } else { second.clone() };
            tasks.push(tokio::spawn(async move {
                let mut taken = Vec::new();
                for _ in 0..TAKES {
                    let mut tx = store.begin().await.expect("begin");
                    let seq = tx.next_case_seq(org.id, 2026).await.expect("seq");
                    // Something else in the same transaction, as opening a case does.
                    tx.append_audit(&[draft("case.open", Some(org.id))], &TestLinker).await.expect("append");
                    tx.commit().await.expect("commit");
                    taken.push(seq);
                }
                taken
            }));
        }
        let mut all_taken = Vec::new();
        for task in tasks {
            all_taken.extend(task.await.expect("task"));
        }
        all_taken.sort_unstable();
        let expected: Vec<i64> = (1..=(TASKS * TAKES) as i64).collect();
        assert_eq!(all_taken, expected, "{}: each number once, none skipped", t.name);
    }
}

#[tokio::test]
async fn cases_insert_read_update_with_their_team() {
    for t in all().await {
        let s = &*t.store;
        let (org, staff) = org_with_users(s, "org", 4).await;
        let (other_org, outsiders) = org_with_users(s, "other", 1).await;
        let person = bare_person(org.id);
        add_person(s, &person).await;

        let mut full = case_row(org.id, person.id, "2026-000002", day(2026, 3, 1), vec![staff[2], staff[0], staff[1]]);
        full.status = "closed".to_owned();
        full.closure_reason = Some("cas_ClosureReason_Goals".to_owned());
        full.trafficking_status = Some("vic_TraffickingStatus_Presumed".to_owned());
        full.status_decided_by = Some("ngo".to_owned());
        full.exploitation_types = vec!["labour".to_owned(), "sexual".to_owned()];
        full.means_of_control = vec!["debt".to_owned(), "threats".to_owned(), "documents".to_owned()];
        full.recruitment = Some("job_offer".to_owned());
        full.countries = vec!["US".to_owned(), "MX".to_owned()];
        full.places = vec!["US-TX".to_owned(), "MX-CHH".to_owned()];
        full.closed_on = Some(day(2026, 12, 31));
        full.assigned_to = Some(staff[1]);
        full.restricted = true;
        full.version = 7;
        add_case(s, &full).await;
        let earlier = case_row(org.id, person.id, "2025-000001", day(2025, 1, 31), vec![staff[3]]);
        add_case(s, &earlier).await;
        let bare = case_row(org.id, person.id, "2026-000001", day(2026, 3, 1), Vec::new());
        add_case(s, &bare).await;

        assert_eq!(s.case(full.id).await.expect("read"), Some(full.clone()), "{}: every field, team order", t.name);
        assert_eq!(s.case(bare.id).await.expect("read"), Some(bare.clone()), "{}: empty team", t.name);
        assert_eq!(s.case(CaseId::new()).await.expect("read"), None, "{}", t.name);
        assert_eq!(s.case_by_number(org.id, "2025-000001").await.expect("by number"), Some(earlier.clone()));
        assert_eq!(s.case_by_number(other_org.id, "2025-000001").await.expect("by number"), None, "{}", t.name);
        assert_eq!(s.case_by_number(org.id, "2025-00000").await.expect("by number"), None, "{}", t.name);
        let mut tx = s.begin().await.expect("begin");
        assert_eq!(tx.case_for_update(full.id).await.expect("in tx"), Some(full.clone()), "{}", t.name);
        drop(tx);

        // Oldest first, by opening date then number.
        let ids = |cases: Vec<CaseRow>| cases.into_iter().map(|c| c.id).collect::<Vec<_>>();
        let expected = vec![earlier.id, bare.id, full.id];
        assert_eq!(ids(s.cases_of_person(person.id).await.expect("cases")), expected, "{}", t.name);
        assert!(s.cases_of_person(PersonId::new()).await.expect("cases").is_empty(), "{}", t.name);
        assert_eq!(s.count_cases(org.id).await.expect("count"), 3, "{}", t.name);
        assert_eq!(s.count_cases(other_org.id).await.expect("count"), 0, "{}", t.name);

        let second = bare_person(org.id);
        add_person(s, &second).await;
        let theirs = case_row(org.id, second.id, "2026-000003", day(2024, 6, 1), vec![staff[0]]);
        add_case(s, &theirs).await;
        let both = s.cases_of_persons(&[person.id, second.id, PersonId::new()]).await.expect("cases");
        assert_eq!(sorted(ids(both)), sorted(vec![earlier.id, bare.id, full.id, theirs.id]), "{}", t.name);
        assert_eq!(ids(s.cases_of_persons(&[second.id]).await.expect("cases")), vec![theirs.id], "{}", t.name);
        assert!(s.cases_of_persons(&[]).await.expect("none").is_empty(), "{}", t.name);

        // Refusals: a number taken in the organisation (another organisation may use it), a
        // team member or assignee of another organisation, a person of another organisation.
        let mut tx = s.begin().await.expect("begin");
        let err = tx.insert_case(&case_row(org.id, second.id, "2026-000001", day(2026, 1, 1), vec![])).await;
        assert!(matches!(err, Err(StoreError::Duplicate)), "{}: {err:?}", t.name);
        drop(tx);
        let outsider_person = bare_person(other_org.id);
        add_person(s, &outsider_person).await;
        add_case(s, &case_row(other_org.id, outsider_person.id, "2026-000001", day(2026, 1, 1), vec![])).await;
        let mut bad_cases = vec![
            case_row(org.id, second.id, "x1", day(2026, 1, 1), vec![staff[0], outsiders[0]]),
            case_row(org.id, second.id, "x2", day(2026, 1, 1), vec![UserId::new()]),
            case_row(org.id, outsider_person.id, "x3", day(2026, 1, 1), vec![]),
            case_row(org.id, PersonId::new(), "x4", day(2026, 1, 1), vec![]),
        ];
        let mut assigned_out = case_row(org.id, second.id, "x5", day(2026, 1, 1), vec![]);
        assigned_out.assigned_to = Some(outsiders[0]);
        bad_cases.push(assigned_out);
        for bad in bad_cases {
            let mut tx = s.begin().await.expect("begin");
            let err = tx.insert_case(&bad).await.expect_err("refused");
            assert!(matches!(err, StoreError::NotFound), "{}: {} {err:?}", t.name, bad.number);
        }
        // A member listed twice is stored once.
        let twice = case_row(org.id, second.id, "2026-000004", day(2026, 1, 1), vec![staff[1], staff[0], staff[1]]);
        add_case(s, &twice).await;
        assert_eq!(s.case(twice.id).await.expect("read").map(|c| c.team), Some(vec![staff[1], staff[0]]));

        // Update: every mutable field, team replaced; immutable fields stay.
        let mut changed = full.clone();
        changed.status = "open".to_owned();
        changed.closure_reason = None;
        changed.trafficking_status = None;
        changed.status_decided_by = None;
        changed.exploitation_types = Vec::new();
        changed.means_of_control = vec!["isolation".to_owned()];
        changed.recruitment = None;
        changed.countries = Vec::new();
        changed.places = Vec::new();
        changed.opened_on = day(2026, 2, 28);
        changed.closed_on = None;
        changed.assigned_to = None;
        changed.restricted = false;
        changed.team = vec![staff[3], staff[2]];
        changed.number = "changed".to_owned(); // ignored
        changed.created_by = None; // ignored
        changed.created_at = now() - Duration::days(9); // ignored
        let mut tx = s.begin().await.expect("begin");
        let saved = tx.update_case(&changed).await.expect("update");
        tx.commit().await.expect("commit");
        let expected = CaseRow {
            number: full.number.clone(),
            created_by: full.created_by,
            created_at: full.created_at,
            version: full.version + 1,
            updated_at: saved.updated_at,
            ..changed.clone()
        };
        assert_eq!(saved, expected, "{}", t.name);
        assert!(saved.updated_at >= full.updated_at, "{}", t.name);
        assert_eq!(s.case(full.id).await.expect("read"), Some(saved.clone()), "{}: returned row is stored", t.name);

        // Stale: Conflict, and neither the case nor its team changes.
        let mut stale = full.clone();
        stale.team = vec![staff[0]];
        let mut tx = s.begin().await.expect("begin");
        let err = tx.update_case(&stale).await.expect_err("stale");
        assert!(matches!(err, StoreError::Conflict), "{}: {err:?}", t.name);
        drop(tx);
        assert_eq!(s.case(full.id).await.expect("read"), Some(saved.clone()), "{}", t.name);
        let mut tx = s.begin().await.expect("begin");
        let err = tx.update_case(&case_row(org.id, person.id, "nope", day(2026, 1, 1), vec![])).await;
        assert!(matches!(err, Err(StoreError::NotFound)), "{}: {err:?}", t.name);
        drop(tx);
        // A team member of another organisation is refused on update too.
        let mut crossing = saved.clone();
        crossing.team.push(outsiders[0]);
        let mut tx = s.begin().await.expect("begin");
        let err = tx.update_case(&crossing).await.expect_err("outsider");
        assert!(matches!(err, StoreError::NotFound), "{}: {err:?}", t.name);
        drop(tx);
        assert_eq!(s.case(full.id).await.expect("read"), Some(saved), "{}", t.name);
    }
}

#[tokio::test]
async fn case_dates_round_trip_and_order() {
    let dates =
        [day(1, 1, 1), day(1900, 2, 28), day(1969, 12, 31), day(1970, 1, 1), day(2024, 2, 29), day(9999, 12, 31)];
    for t in all().await {
        let s = &*t.store;
        let org = add_org(s, "Org").await;
        let person = bare_person(org.id);
        add_person(s, &person).await;
        for (i, d) in dates.iter().enumerate() {
            let mut c = case_row(org.id, person.id, &format!("n{i}"), *d, vec![]);
            c.closed_on = Some(*d);
            add_case(s, &c).await;
            assert_eq!(s.case(c.id).await.expect("read"), Some(c), "{}: {d}", t.name);
        }
        let opened: Vec<NaiveDate> =
            s.cases_of_person(person.id).await.expect("cases").into_iter().map(|c| c.opened_on).collect();
        assert_eq!(opened, dates.to_vec(), "{}: ordered as dates", t.name);
    }
}

#[tokio::test]
async fn the_caseload_list_filters_orders_and_pages() {
    for t in all().await {
        let s = &*t.store;
        let (org, staff) = org_with_users(s, "org", 3).await;
        let (other, outsiders) = org_with_users(s, "other", 1).await;
        let person = bare_person(org.id);
        add_person(s, &person).await;
        // 12 cases: opened on 6 days, two per day; status and team vary.
        let mut cases = Vec::new();
        for i in 0..12u32 {
            let team = match i % 3 {
                0 => vec![staff[0]],
                1 => vec![staff[1], staff[0]],
                _ => vec![staff[2]],
            };
            let mut c = case_row(org.id, person.id, &format!("2026-{i:06}"), day(2026, 1, 1 + i / 2), team);
            c.status = if i % 4 == 0 { "closed" } else { "open" }.to_owned();
            c.assigned_to = (i % 2 == 0).then_some(staff[2]);
            add_case(s, &c).await;
            cases.push(c);
        }
        let other_person = bare_person(other.id);
        add_person(s, &other_person).await;
        let mut theirs = case_row(other.id, other_person.id, "2026-000011", day(2026, 1, 9), vec![outsiders[0]]);
        theirs.status = "open".to_owned();
        add_case(s, &theirs).await;

        let list = |q: CaseQuery| async move {
            s.list_cases(&q).await.expect("list").into_iter().map(|c| c.number).collect::<Vec<_>>()
        };
        let newest_first = |keep: &dyn Fn(&CaseRow) -> bool| {
            let mut v: Vec<&CaseRow> = cases.iter().filter(|c| keep(c)).collect();
            v.sort_by(|a, b| (b.opened_on, &b.number).cmp(&(a.opened_on, &a.number)));
            v.into_iter().map(|c| c.number.clone()).collect::<Vec<_>>()
        };
        let base = CaseQuery { org: Some(org.id), limit: 100, ..CaseQuery::default() };

        assert_eq!(list(base.clone()).await, newest_first(&|_| true), "{}: whole organisation", t.name);
        assert_eq!(list(base.clone()).await.first().map(String::as_str), Some("2026-000011"), "{}", t.name);
        assert_eq!(
            list(CaseQuery { team_member: Some(staff[0]), ..base.clone() }).await,
            newest_first(&|c| c.team.contains(&staff[0])),
            "{}: team member",
            t.name
        );
        assert_eq!(
            list(CaseQuery { assigned_to: Some(staff[2]), ..base.clone() }).await,
            newest_first(&|c| c.assigned_to == Some(staff[2])),
            "{}: assignee",
            t.name
        );
        assert_eq!(
            list(CaseQuery { status: Some("closed".to_owned()), ..base.clone() }).await,
            newest_first(&|c| c.status == "closed"),
            "{}: status",
            t.name
        );
        assert_eq!(
            list(CaseQuery {
                team_member: Some(staff[0]),
                assigned_to: Some(staff[2]),
                status: Some("open".to_owned()),
                ..base.clone()
            })
            .await,
            newest_first(&|c| c.team.contains(&staff[0]) && c.assigned_to == Some(staff[2]) && c.status == "open"),
            "{}: all filters",
            t.name
        );
        assert!(list(CaseQuery { team_member: Some(outsiders[0]), ..base.clone() }).await.is_empty(), "{}", t.name);
        assert!(list(CaseQuery { status: Some("nope".to_owned()), ..base.clone() }).await.is_empty(), "{}", t.name);
        assert_eq!(
            list(CaseQuery { org: Some(other.id), ..base.clone() }).await,
            vec!["2026-000011".to_owned()],
            "{}: organisations apart",
            t.name
        );
        assert!(list(CaseQuery { org: None, ..base.clone() }).await.is_empty(), "{}: no organisation", t.name);
        assert!(list(CaseQuery { org: Some(OrgId::new()), ..base.clone() }).await.is_empty(), "{}", t.name);

        // Pages.
        let all_numbers = newest_first(&|_| true);
        assert_eq!(list(CaseQuery { limit: 5, offset: 0, ..base.clone() }).await, all_numbers[..5], "{}", t.name);
        assert_eq!(list(CaseQuery { limit: 5, offset: 5, ..base.clone() }).await, all_numbers[5..10], "{}", t.name);
        assert_eq!(list(CaseQuery { limit: 5, offset: 10, ..base.clone() }).await, all_numbers[10..], "{}", t.name);
        assert!(list(CaseQuery { limit: 5, offset: 12, ..base.clone() }).await.is_empty(), "{}", t.name);
        assert!(list(CaseQuery { limit: 0, ..base.clone() }).await.is_empty(), "{}", t.name);
        assert!(list(CaseQuery { limit: -3, ..base.clone() }).await.is_empty(), "{}: negative limit", t.name);
        assert_eq!(list(CaseQuery { limit: 2, offset: -4, ..base.clone() }).await, all_numbers[..2], "{}", t.name);
        // Listed rows are whole rows, team included.
        let listed = s.list_cases(&CaseQuery { limit: 1, ..base.clone() }).await.expect("list");
        let newest = cases.iter().find(|c| c.number == "2026-000011").expect("case");
        assert_eq!(listed, vec![newest.clone()], "{}", t.name);
    }
}

#[tokio::test]
async fn break_glass_grants_are_active_until_they_expire() {
    for t in all().await {
        let s = &*t.store;
        let (org, staff) = org_with_users(s, "org", 2).await;
        let (_, outsiders) = org_with_users(s, "other", 1).await;
        let person = bare_person(org.id);
        add_person(s, &person).await;
        let case = case_row(org.id, person.id, "n1", day(2026, 1, 1), vec![staff[0]]);
        add_case(s, &case).await;
        let at = now();
        let grant = |user: UserId, granted: i64, expires: i64| BreakGlassRow {
            id: Uuid::new_v4(),
            org: org.id,
            case: case.id,
            user,
            reason: vec![1, 2, 3, 0, 255],
            granted_at: at - Duration::minutes(granted),
            expires_at: at + Duration::minutes(expires),
        };
        let old = grant(staff[1], 120, -60);
        let live = grant(staff[1], 30, 30);
        let edge = grant(staff[0], 10, 0); // expires exactly now: no longer active
        let mut tx = s.begin().await.expect("begin");
        for g in [&old, &live, &edge] {
            tx.insert_break_glass(g).await.expect("insert");
        }
        tx.commit().await.expect("commit");
        assert_eq!(s.active_break_glass(case.id, at).await.expect("active"), vec![live.clone()], "{}", t.name);
        let earlier = s.active_break_glass(case.id, at - Duration::minutes(61)).await.expect("active");
        assert_eq!(earlier, vec![old.clone(), live.clone(), edge.clone()], "{}: oldest first", t.name);
        assert!(s.active_break_glass(case.id, at + Duration::hours(1)).await.expect("active").is_empty());
        assert!(s.active_break_glass(CaseId::new(), at).await.expect("active").is_empty(), "{}", t.name);
        assert_eq!(
            s.break_glass_grant(old.id).await.expect("grant"),
            Some(old.clone()),
            "{}: expired grants stay",
            t.name
        );
        assert_eq!(s.break_glass_grant(Uuid::new_v4()).await.expect("grant"), None, "{}", t.name);

        for bad in [
            BreakGlassRow { user: outsiders[0], ..grant(staff[0], 0, 10) },
            BreakGlassRow { case: CaseId::new(), ..grant(staff[0], 0, 10) },
        ] {
            let mut tx = s.begin().await.expect("begin");
            let err = tx.insert_break_glass(&bad).await.expect_err("refused");
            assert!(matches!(err, StoreError::NotFound), "{}: {err:?}", t.name);
        }
    }
}

#[tokio::test]
async fn consents_list_newest_first_and_revoke_once() {
    for t in all().await {
        let s = &*t.store;
        let (org, staff) = org_with_users(s, "org", 1).await;
        let person = bare_person(org.id);
        add_person(s, &person).await;
        let at = now();
        let consent = |minutes_ago: i64| ConsentRow {
            id: ConsentId::new(),
            org: org.id,
            person: person.id,
            recipient_partner: None,
            recipient_name: None,
            fields: Vec::new(),
            purpose: vec![0, 9, 8],
            expires_on: day(2027, 6, 30),
            given_as: "written".to_owned(),
            given_at: at - Duration::minutes(minutes_ago),
            recorded_by: None,
            revoked_at: None,
        };
        let partner = ConsentRow {
            recipient_partner: Some(Uuid::new_v4()),
            fields: vec!["identity".to_owned(), "case_status".to_owned()],
            recorded_by: Some(staff[0]),
            ..consent(30)
        };
        let named = ConsentRow {
            recipient_name: Some(vec![5; 40]),
            given_as: "verbal_witnessed".to_owned(),
            revoked_at: Some(at - Duration::minutes(1)),
            ..consent(10)
        };
        let middle = consent(20);
        let mut tx = s.begin().await.expect("begin");
        for c in [&partner, &named, &middle] {
            tx.insert_consent(c).await.expect("insert");
        }
        tx.commit().await.expect("commit");
        assert_eq!(s.consent(partner.id).await.expect("read"), Some(partner.clone()), "{}", t.name);
        assert_eq!(s.consent(named.id).await.expect("read"), Some(named.clone()), "{}", t.name);
        assert_eq!(s.consent(ConsentId::new()).await.expect("read"), None, "{}", t.name);
        assert_eq!(
            s.consents_of_person(person.id).await.expect("list"),
            vec![named.clone(), middle.clone(), partner.clone()],
            "{}: newest first",
            t.name
        );
        assert!(s.consents_of_person(PersonId::new()).await.expect("list").is_empty(), "{}", t.name);

        let revoked_at = now();
        let mut tx = s.begin().await.expect("begin");
        assert!(tx.revoke_consent(partner.id, revoked_at).await.expect("revoke"), "{}", t.name);
        assert!(!tx.revoke_consent(partner.id, now()).await.expect("again"), "{}: second revoke", t.name);
        assert!(!tx.revoke_consent(named.id, now()).await.expect("revoked before"), "{}", t.name);
        assert!(!tx.revoke_consent(ConsentId::new(), now()).await.expect("missing"), "{}", t.name);
        tx.commit().await.expect("commit");
        assert_eq!(s.consent(partner.id).await.expect("read").and_then(|c| c.revoked_at), Some(revoked_at));
        assert_eq!(s.consent(named.id).await.expect("read"), Some(named), "{}: first revocation stays", t.name);

        let mut tx = s.begin().await.expect("begin");
        let err = tx.insert_consent(&ConsentRow { person: PersonId::new(), ..consent(0) }).await;
        assert!(matches!(err, Err(StoreError::NotFound)), "{}: {err:?}", t.name);
    }
}

#[tokio::test]
async fn outreach_lists_newest_first() {
    for t in all().await {
        let s = &*t.store;
        let (org, staff) = org_with_users(s, "org", 1).await;
        let person = bare_person(org.id);
        let other = bare_person(org.id);
        add_person(s, &person).await;
        add_person(s, &other).await;
        let at = now();
        let rows: Vec<OutreachRow> = [(5, "phone"), (60, "sms"), (1, "whatsapp"), (30, "in_person")]
            .into_iter()
            .enumerate()
            .map(|(i, (ago, channel))| OutreachRow {
                id: Uuid::new_v4(),
                org: org.id,
                person: person.id,
                channel: channel.to_owned(),
                at: at - Duration::minutes(ago),
                by: (i % 2 == 0).then_some(staff[0]),
            })
            .collect();
        let mut tx = s.begin().await.expect("begin");
        for r in &rows {
            tx.insert_outreach(r).await.expect("insert");
        }
        tx.insert_outreach(&OutreachRow { id: Uuid::new_v4(), person: other.id, ..rows[0].clone() }).await.expect("x");
        tx.commit().await.expect("commit");
        let expected = vec![rows[2].clone(), rows[0].clone(), rows[3].clone(), rows[1].clone()];
        assert_eq!(s.outreach_of_person(person.id, 10).await.expect("list"), expected, "{}", t.name);
        assert_eq!(s.outreach_of_person(person.id, 2).await.expect("list"), expected[..2], "{}", t.name);
        assert!(s.outreach_of_person(person.id, 0).await.expect("list").is_empty(), "{}", t.name);
        assert!(s.outreach_of_person(PersonId::new(), 10).await.expect("list").is_empty(), "{}", t.name);
    }
}

#[tokio::test]
async fn erasing_a_person_takes_everything_of_theirs_and_is_recorded() {
    for t in all().await {
        let s = &*t.store;
        let (org, staff) = org_with_users(s, "org", 2).await;
        let (other_org, _) = org_with_users(s, "other", 0).await;
        let gone = full_person(org.id, Some(staff[0]));
        let kept = full_person(org.id, Some(staff[0]));
        add_person(s, &gone).await;
        add_person(s, &kept).await;
        set_tokens(s, org.id, gone.id, &["t:same", "t:gone"]).await;
        set_tokens(s, org.id, kept.id, &["t:same"]).await;
        let gone_case = case_row(org.id, gone.id, "n1", day(2026, 1, 1), vec![staff[0], staff[1]]);
        let kept_case = case_row(org.id, kept.id, "n2", day(2026, 1, 1), vec![staff[0]]);
        add_case(s, &gone_case).await;
        add_case(s, &kept_case).await;
        let at = now();
        let mut tx = s.begin().await.expect("begin");
        for case in [&gone_case, &kept_case] {
            tx.insert_break_glass(&BreakGlassRow {
                id: Uuid::new_v4(),
                org: org.id,
                case: case.id,
                user: staff[1],
                reason: vec![1],
                granted_at: at,
                expires_at: at + Duration::hours(1),
            })
            .await
            .expect("grant");
        }
        for person in [&gone, &kept] {
            tx.insert_consent(&ConsentRow {
                id: ConsentId::new(),
                org: org.id,
                person: person.id,
                recipient_partner: None,
                recipient_name: Some(vec![3]),
                fields: vec!["identity".to_owned()],
                purpose: vec![4],
                expires_on: day(2027, 1, 1),
                given_as: "written".to_owned(),
                given_at: at,
                recorded_by: Some(staff[0]),
                revoked_at: None,
            })
            .await
            .expect("consent");
            tx.insert_outreach(&OutreachRow {
                id: Uuid::new_v4(),
                org: org.id,
                person: person.id,
                channel: "phone".to_owned(),
                at,
                by: None,
            })
            .await
            .expect("outreach");
        }
        // Case work: an entry and a task on each case, a task of each person alone.
        let mut work = Vec::new();
        for case in [&gone_case, &kept_case] {
            let entry = amparo_store::CaseEntryRow {
                id: amparo_domain::EntryId::new(),
                org: org.id,
                case: case.id,
                person: case.person,
                kind: "note".to_owned(),
                code: Some("contact".to_owned()),
                status: None,
                on_date: day(2026, 2, 1),
                due_on: None,
                minutes: None,
                staff: Some(staff[0]),
                coded: "{}".to_owned(),
                sealed: Some(vec![5; 20]),
                restricted: Some(vec![6; 20]),
                version: 1,
                created_by: Some(staff[0]),
                created_at: at,
                updated_at: at,
            };
            tx.insert_case_entry(&entry).await.expect("entry");
            let task = |case_id: Option<CaseId>, source: Uuid| amparo_store::TaskRow {
                id: amparo_domain::TaskId::new(),
                org: org.id,
                person: case.person,
                case: case_id,
                kind: "follow_up".to_owned(),
                source: Some(source),
                due_on: day(2026, 3, 1),
                assigned_to: Some(staff[1]),
                title: None,
                done_at: None,
                done_by: None,
                version: 1,
                created_at: at,
            };
            let on_entry = task(Some(case.id), *entry.id.as_uuid());
            tx.replace_derived_tasks(*entry.id.as_uuid(), std::slice::from_ref(&on_entry)).await.expect("task");
            let person_source = *case.person.as_uuid();
            let alone = amparo_store::TaskRow { kind: "safe_contact_reconfirm".into(), ..task(None, person_source) };
            tx.replace_derived_tasks(person_source, std::slice::from_ref(&alone)).await.expect("task");
            tx.record_contact(case.person, Some(case.id), day(2026, 2, 1)).await.expect("contact");
            work.push((entry.id, on_entry.id, alone.id));
        }
        tx.commit().await.expect("commit");
        let gone_consent = s.consents_of_person(gone.id).await.expect("consents")[0].id;

        let erasure = ErasureRow {
            person: gone.id,
            org: org.id,
            erased_at: now(),
            erased_by: Some(staff[1]),
            reason: vec![0xee; 24],
        };
        // Not from another organisation.
        let mut tx = s.begin().await.expect("begin");
        let wrong = tx.erase_person(&ErasureRow { org: other_org.id, ..erasure.clone() }).await.expect("erase");
        assert!(!wrong, "{}: another organisation's person is not erased", t.name);
        tx.commit().await.expect("commit");
        assert!(s.person(gone.id).await.expect("read").is_some(), "{}", t.name);
        assert_eq!(s.erasure(gone.id).await.expect("read"), None, "{}", t.name);

        let mut tx = s.begin().await.expect("begin");
        assert!(tx.erase_person(&erasure).await.expect("erase"), "{}", t.name);
        tx.commit().await.expect("commit");
        s.purge_deleted().await.expect("purge");

        assert_eq!(s.person(gone.id).await.expect("read"), None, "{}", t.name);
        assert!(s.persons(&[gone.id]).await.expect("read").is_empty(), "{}", t.name);
        assert_eq!(s.case(gone_case.id).await.expect("read"), None, "{}", t.name);
        assert!(s.cases_of_person(gone.id).await.expect("read").is_empty(), "{}", t.name);
        assert_eq!(s.case_by_number(org.id, "n1").await.expect("read"), None, "{}", t.name);
        let query = CaseQuery { org: Some(org.id), team_member: Some(staff[1]), limit: 10, ..CaseQuery::default() };
        assert!(s.list_cases(&query).await.expect("list").is_empty(), "{}: team rows gone", t.name);
        assert!(s.active_break_glass(gone_case.id, at).await.expect("read").is_empty(), "{}", t.name);
        assert!(s.consents_of_person(gone.id).await.expect("read").is_empty(), "{}", t.name);
        assert_eq!(s.consent(gone_consent).await.expect("read"), None, "{}", t.name);
        assert!(s.outreach_of_person(gone.id, 10).await.expect("read").is_empty(), "{}", t.name);
        assert!(
            s.persons_with_tokens(org.id, &["t:gone".to_owned()], 10).await.expect("search").is_empty(),
            "{}: tokens gone",
            t.name
        );
        assert_eq!(
            s.persons_with_tokens(org.id, &["t:same".to_owned()], 10).await.expect("search"),
            vec![kept.id],
            "{}",
            t.name
        );
        assert_eq!(s.erasure(gone.id).await.expect("read"), Some(erasure.clone()), "{}", t.name);
        assert_eq!(s.erasures().await.expect("ledger"), vec![erasure.clone()], "{}", t.name);
        let (gone_entry, gone_task, gone_alone) = work[0];
        assert_eq!(s.case_entry(gone_entry).await.expect("read"), None, "{}: entries gone", t.name);
        assert!(s.case_entries(gone_case.id, &[]).await.expect("read").is_empty(), "{}", t.name);
        assert_eq!(s.task(gone_task).await.expect("read"), None, "{}: tasks gone", t.name);
        assert_eq!(s.task(gone_alone).await.expect("read"), None, "{}: the person's own tasks gone", t.name);
        let due = amparo_store::TaskQuery {
            org: org.id,
            due_before: day(2027, 1, 1),
            due_from: None,
            kinds: Vec::new(),
            member: None,
            viewer: staff[0],
            limit: 100,
        };
        assert_eq!(s.tasks_due(&due).await.expect("tasks").len(), 2, "{}: the other person's two", t.name);

        // Everything of the other person is untouched.
        assert_eq!(s.person(kept.id).await.expect("read"), Some(kept.clone()), "{}", t.name);
        assert_eq!(s.case(kept_case.id).await.expect("read"), Some(kept_case.clone()), "{}", t.name);
        assert_eq!(s.active_break_glass(kept_case.id, at).await.expect("read").len(), 1, "{}", t.name);
        assert_eq!(s.consents_of_person(kept.id).await.expect("read").len(), 1, "{}", t.name);
        assert_eq!(s.outreach_of_person(kept.id, 10).await.expect("read").len(), 1, "{}", t.name);
        assert_eq!(s.count_cases(org.id).await.expect("count"), 1, "{}", t.name);
        let (kept_entry, kept_task, _) = work[1];
        assert!(s.case_entry(kept_entry).await.expect("read").is_some(), "{}", t.name);
        assert!(s.task(kept_task).await.expect("read").is_some(), "{}", t.name);

        // Again, or someone who never was: false, and the ledger keeps its first entry.
        let mut tx = s.begin().await.expect("begin");
        let later = ErasureRow { erased_at: now() + Duration::minutes(1), reason: vec![1], ..erasure.clone() };
        assert!(!tx.erase_person(&later).await.expect("erase again"), "{}", t.name);
        let nobody = ErasureRow { person: PersonId::new(), ..erasure.clone() };
        assert!(!tx.erase_person(&nobody).await.expect("erase nobody"), "{}", t.name);
        tx.commit().await.expect("commit");
        assert_eq!(s.erasures().await.expect("ledger"), vec![erasure.clone()], "{}", t.name);

        // Re-applying the ledger: idempotent, and needs no person, user or organisation.
        let restored = ErasureRow {
            person: PersonId::new(),
            org: OrgId::new(),
            erased_at: erasure.erased_at + Duration::seconds(1),
            erased_by: Some(UserId::new()),
            reason: Vec::new(),
        };
        let unsigned = ErasureRow { person: PersonId::new(), erased_by: None, ..restored.clone() };
        for _ in 0..2 {
            let mut tx = s.begin().await.expect("begin");
            tx.insert_erasure(&restored).await.expect("insert erasure");
            tx.insert_erasure(&unsigned).await.expect("insert erasure");
            tx.insert_erasure(&later).await.expect("an erased person again");
            tx.commit().await.expect("commit");
        }
        assert_eq!(s.erasure(restored.person).await.expect("read"), Some(restored.clone()), "{}", t.name);
        let ledger = s.erasures().await.expect("ledger");
        assert_eq!(ledger.len(), 3, "{}", t.name);
        assert_eq!(ledger[0], erasure, "{}: oldest first, first entry kept", t.name);
        assert!(ledger.contains(&restored) && ledger.contains(&unsigned), "{}", t.name);
    }
}

#[tokio::test]
async fn audit_events_for_targets_filter_by_organisation_and_target() {
    for t in all().await {
        let s = &*t.store;
        let (a, b) = (OrgId::new(), OrgId::new());
        let (person, case, elsewhere) = (Uuid::new_v4(), Uuid::new_v4(), Uuid::new_v4());
        let on = |org: Option<OrgId>, target: Option<Uuid>, action: &str| {
            let mut d = draft(action, org);
            d.target_kind = Some("person".to_owned());
            d.target_id = target;
            d
        };
        let drafts = vec![
            on(Some(a), Some(person), "record.read"),    // 1
            on(Some(a), Some(case), "case.read"),        // 2
            on(Some(b), Some(person), "record.read"),    // 3: other organisation
            on(Some(a), Some(elsewhere), "record.read"), // 4: other target
            on(None, Some(person), "record.read"),       // 5: no organisation
            on(Some(a), None, "login"),                  // 6: no target
            on(Some(a), Some(person), "record.update"),  // 7
        ];
        append(s, &drafts).await;
        let seqs = |records: Vec<AuditRecord>| records.into_iter().map(|r| r.seq).collect::<Vec<_>>();
        let found = s.audit_events_for_targets(a, &[person, case], 100).await.expect("read");
        assert_eq!(found[0].draft, drafts[6], "{}: whole entries", t.name);
        assert_eq!(seqs(found), vec![7, 2, 1], "{}: newest first", t.name);
        assert_eq!(seqs(s.audit_events_for_targets(a, &[person], 100).await.expect("read")), vec![7, 1]);
        assert_eq!(seqs(s.audit_events_for_targets(a, &[person, case], 2).await.expect("read")), vec![7, 2]);
        assert_eq!(seqs(s.audit_events_for_targets(b, &[person, case], 100).await.expect("read")), vec![3]);
        assert!(s.audit_events_for_targets(a, &[], 100).await.expect("read").is_empty(), "{}", t.name);
        assert!(s.audit_events_for_targets(a, &[Uuid::new_v4()], 100).await.expect("read").is_empty());
        assert!(s.audit_events_for_targets(OrgId::new(), &[person], 100).await.expect("read").is_empty());
        assert!(s.audit_events_for_targets(a, &[person], 0).await.expect("read").is_empty(), "{}", t.name);
        let many: Vec<Uuid> = (0..300).map(|_| Uuid::new_v4()).chain([elsewhere]).collect();
        assert_eq!(seqs(s.audit_events_for_targets(a, &many, 100).await.expect("read")), vec![4], "{}", t.name);
    }
}

#[tokio::test]
async fn erasure_requests_are_decided_once_and_outlive_the_person() {
    for t in amparo_store_tests::all().await {
        let s = t.store.as_ref();
        let (org, staff) = org_with_users(s, "Norte", 2).await;
        let (other, _) = org_with_users(s, "Sur", 1).await;
        let person = bare_person(org.id);
        add_person(s, &person).await;
        let at = now();
        let request = |id: Uuid, minutes: i64| ErasureRequestRow {
            id,
            org: org.id,
            person: person.id,
            requested_by: staff[0],
            reason: vec![9, 0, 9],
            requested_at: at - Duration::minutes(minutes),
            decided_by: None,
            decided_at: None,
            approved: None,
        };
        let (first, second) = (request(Uuid::new_v4(), 10), request(Uuid::new_v4(), 5));
        let mut tx = s.begin().await.expect("begin");
        tx.insert_erasure_request(&first).await.expect("insert");
        tx.insert_erasure_request(&second).await.expect("insert");
        tx.commit().await.expect("commit");
        assert_eq!(
            s.erasure_requests(org.id, 10).await.expect("list"),
            vec![second.clone(), first.clone()],
            "{}",
            t.name
        );
        assert!(s.erasure_requests(other.id, 10).await.expect("list").is_empty(), "{}", t.name);
        assert_eq!(s.erasure_requests(org.id, 1).await.expect("list").len(), 1, "{}", t.name);

        let mut tx = s.begin().await.expect("begin");
        assert!(tx.decide_erasure_request(first.id, staff[1], true, at).await.expect("decide"), "{}", t.name);
        assert!(!tx.decide_erasure_request(first.id, staff[1], false, at).await.expect("decide"), "{}: once", t.name);
        assert!(tx.decide_erasure_request(second.id, staff[1], false, at).await.expect("decide"), "{}", t.name);
        assert!(!tx.decide_erasure_request(Uuid::new_v4(), staff[1], true, at).await.expect("decide"), "{}", t.name);
        tx.commit().await.expect("commit");
        let decided = s.erasure_request(first.id).await.expect("read").expect("exists");
        assert_eq!(
            (decided.approved, decided.decided_by, decided.decided_at),
            (Some(true), Some(staff[1]), Some(at)),
            "{}",
            t.name
        );
        assert_eq!(
            s.erasure_request(second.id).await.expect("read").and_then(|r| r.approved),
            Some(false),
            "{}",
            t.name
        );

        // The request stays once the person is gone.
        let mut tx = s.begin().await.expect("begin");
        let erasure =
            ErasureRow { person: person.id, org: org.id, erased_at: at, erased_by: Some(staff[1]), reason: vec![1] };
        assert!(tx.erase_person(&erasure).await.expect("erase"), "{}", t.name);
        tx.commit().await.expect("commit");
        assert!(s.erasure_request(first.id).await.expect("read").is_some(), "{}", t.name);
    }
}
