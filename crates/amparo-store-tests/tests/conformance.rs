//! The storage conformance suite: every check runs against every backend from `all()`.

// A test file: a failed expectation is a failed test.
#![allow(clippy::expect_used)]

use std::sync::Arc;

use chrono::{DateTime, Duration, SubsecRound, TimeZone, Utc};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use amparo_domain::{ApiTokenId, Language, OrgId, Role, UserId};
use amparo_store::{
    ApiTokenRow, AuditDraft, AuditLinker, AuditOutcome, AuditRecord, GENESIS_HASH, OrganisationRow, SessionRow,
    SessionStage, SetupTokenRow, Store, StoreError, UserRow,
};
use amparo_store_tests::{TestStore, all};

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
