//! Documents on every backend: which role sees and adds which kind, restricted cases,
//! break-glass, the size limit, and what goes into the audit log.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use secrecy::SecretString;

use amparo_app::documents::DocumentUpload;
use amparo_app::records::{CaseFields, PersonFields};
use amparo_app::{Amparo, AppConfig, AppError};
use amparo_domain::records::{Answer, DocumentKind, DocumentProblem};
use amparo_domain::{Actor, CaseId, DomainError, PersonId, Role};
use support::{PASSWORD, World, api, org, staff};

/// The limit these tests run with.
const LIMIT: usize = 64 * 1024;

async fn worlds() -> Vec<World> {
    support::worlds(AppConfig { max_document_bytes: LIMIT, ..AppConfig::default() }).await
}

fn pdf(text: &str) -> Vec<u8> {
    format!("%PDF-1.7\n1 0 obj\n<< >>\nendobj\n% {text}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n").into_bytes()
}

fn upload(kind: DocumentKind, title: &str, case: Option<CaseId>) -> DocumentUpload {
    DocumentUpload {
        kind: kind.code().to_owned(),
        title: title.to_owned(),
        file_name: Some(format!("{title}.pdf")),
        case,
        bytes: pdf(title),
    }
}

/// The kinds `who` sees listed for `person` (sorted), or the error.
async fn listed(app: &Amparo, who: Actor, person: PersonId) -> Result<Vec<String>, AppError> {
    let mut kinds: Vec<String> =
        app.person_documents(&api(who), person).await?.items.into_iter().map(|d| d.title).collect();
    kinds.sort();
    Ok(kinds)
}

fn codes(kinds: &[DocumentKind]) -> Vec<String> {
    let mut v: Vec<String> = kinds.iter().map(|k| k.code().to_owned()).collect();
    v.sort();
    v
}

#[tokio::test]
async fn each_role_sees_adds_and_downloads_only_the_kinds_of_its_sections() {
    use DocumentKind::*;
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let b = org(&w.app, "Sur").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let hotline = staff(&w.app, a, Role::Hotline, "hotline").await;
        let clinician = staff(&w.app, a, Role::Clinician, "clin").await;
        let shelter = staff(&w.app, a, Role::ShelterStaff, "shelter").await;
        let supervisor = staff(&w.app, a, Role::Supervisor, "sup").await;
        let not_on_team = staff(&w.app, a, Role::CaseManager, "other").await;
        let volunteer = staff(&w.app, a, Role::Volunteer, "vol").await;
        let analyst = staff(&w.app, a, Role::Analyst, "analyst").await;
        let admin = staff(&w.app, a, Role::Administrator, "admin2").await;
        let outsider = staff(&w.app, b, Role::Supervisor, "outsider").await;

        let p = w
            .app
            .create_person(
                &api(cm),
                PersonFields { alias: Some(Answer::Value("Luz".into())), ..PersonFields::default() },
            )
            .await
            .unwrap()
            .id;
        let team = vec![cm.user, hotline.user, clinician.user, shelter.user];
        w.app.open_case(&api(cm), p, CaseFields { team: Some(team), ..CaseFields::default() }).await.unwrap();
        // One document of every kind, titled by its kind.
        let mut ids = Vec::new();
        for kind in DocumentKind::ALL {
            let d = w.app.upload_document(&api(cm), p, upload(*kind, kind.code(), None)).await.unwrap();
            assert_eq!(d.content_type, "application/pdf", "{name}");
            ids.push((*kind, d.id));
        }

        let all = codes(DocumentKind::ALL);
        let expected: Vec<(Actor, Result<Vec<String>, &str>)> = vec![
            (cm, Ok(all.clone())),
            (supervisor, Ok(all.clone())),
            (hotline, Ok(codes(&[IdentityDocument, SignedConsent]))),
            (clinician, Ok(codes(&[Medical]))),
            (shelter, Ok(Vec::new())),
            (not_on_team, Err("forbidden")),
            (volunteer, Err("forbidden")),
            (analyst, Err("forbidden")),
            (admin, Err("forbidden")),
            (outsider, Err("not_found")),
        ];
        for (who, want) in expected {
            let got = listed(&w.app, who, p).await.map_err(|e| e.code());
            assert_eq!(got, want, "{name}: {:?} lists", who.role);
            // Downloading follows the list exactly; deleting and adding follow the write rights.
            for (kind, id) in &ids {
                let may_read = want.as_ref().is_ok_and(|k| k.contains(&kind.code().to_owned()));
                let got = w.app.download_document(&api(who), *id).await;
                match &got {
                    Ok(file) => assert_eq!(*file.bytes, pdf(kind.code()), "{name}"),
                    Err(e) if who == outsider => assert!(matches!(e, AppError::NotFound), "{name}: {e:?}"),
                    Err(e) => assert!(matches!(e, AppError::Forbidden(_)), "{name}: {e:?}"),
                }
                assert_eq!(got.is_ok(), may_read, "{name}: {:?} downloads {kind}", who.role);
            }
            let may_add = match w.app.document_choices(&api(who), p).await {
                Ok(list) => codes(&list.upload_kinds),
                Err(_) => Vec::new(),
            };
            for kind in DocumentKind::ALL {
                let added = w.app.upload_document(&api(who), p, upload(*kind, "nuevo", None)).await;
                assert_eq!(
                    added.is_ok(),
                    may_add.contains(&kind.code().to_owned()),
                    "{name}: {:?} adds {kind}",
                    who.role
                );
                if let Ok(d) = added {
                    w.app.delete_document(&api(who), d.id).await.unwrap();
                }
            }
        }
        // Write rights as the policy says: hotline identity and consent, clinicians medical.
        let kinds_of = |who| {
            let app = w.app.clone();
            async move { codes(&app.document_choices(&api(who), p).await.unwrap().upload_kinds) }
        };
        assert_eq!(kinds_of(hotline).await, codes(&[IdentityDocument, SignedConsent]), "{name}");
        assert_eq!(kinds_of(clinician).await, codes(&[Medical]), "{name}");
        assert_eq!(kinds_of(shelter).await, Vec::<String>::new(), "{name}");
        assert_eq!(kinds_of(supervisor).await, all, "{name}");
    }
}

#[tokio::test]
async fn a_restricted_cases_documents_stay_with_its_team_and_break_glass_only_reads() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let supervisor = staff(&w.app, a, Role::Supervisor, "sup").await;
        let other_cm = staff(&w.app, a, Role::CaseManager, "other").await;
        let p = w
            .app
            .create_person(
                &api(cm),
                PersonFields { alias: Some(Answer::Value("Luz".into())), ..PersonFields::default() },
            )
            .await
            .unwrap()
            .id;
        let open = w.app.open_case(&api(cm), p, CaseFields::default()).await.unwrap();
        let hidden = w.app.open_case(&api(cm), p, CaseFields::default()).await.unwrap();
        let restrict = CaseFields { restricted: Some(true), team: Some(vec![cm.user]), ..CaseFields::default() };
        w.app.update_case(&api(cm), hidden.id, Some(hidden.version), restrict).await.unwrap();

        let on_person = w.app.upload_document(&api(cm), p, upload(DocumentKind::Legal, "persona", None)).await.unwrap();
        let on_open =
            w.app.upload_document(&api(cm), p, upload(DocumentKind::Legal, "abierto", Some(open.id))).await.unwrap();
        let on_hidden =
            w.app.upload_document(&api(cm), p, upload(DocumentKind::Legal, "oculto", Some(hidden.id))).await.unwrap();
        assert_eq!(on_hidden.case_number.as_deref(), Some(hidden.number.as_str()), "{name}");

        assert_eq!(listed(&w.app, cm, p).await.unwrap(), vec!["abierto", "oculto", "persona"], "{name}");
        // The supervisor is not named on the restricted case: its papers do not show, even on
        // the person's page, and cannot be opened; nor can documents be attached to it.
        assert_eq!(listed(&w.app, supervisor, p).await.unwrap(), vec!["abierto", "persona"], "{name}");
        let refused = w.app.download_document(&api(supervisor), on_hidden.id).await;
        assert!(matches!(refused, Err(AppError::Forbidden(amparo_domain::Denied::Restricted))), "{name}: {refused:?}");
        let refused = w.app.case_documents(&api(supervisor), hidden.id).await;
        assert!(matches!(refused, Err(AppError::Forbidden(_))), "{name}");
        let refused =
            w.app.upload_document(&api(supervisor), p, upload(DocumentKind::Legal, "x", Some(hidden.id))).await;
        assert!(matches!(refused, Err(AppError::Invalid { field: "case_id", .. })), "{name}: {refused:?}");
        let case_list = w.app.case_documents(&api(supervisor), open.id).await.unwrap();
        assert_eq!(case_list.items.iter().map(|d| d.id).collect::<Vec<_>>(), vec![on_open.id], "{name}");

        // Break-glass on the open case: read and download, never add or delete.
        assert!(matches!(listed(&w.app, other_cm, p).await, Err(AppError::Forbidden(_))), "{name}");
        w.app
            .break_glass(
                &api(other_cm),
                open.id,
                "she is at the consulate and needs her papers",
                SecretString::from(PASSWORD.to_owned()),
            )
            .await
            .unwrap();
        assert_eq!(listed(&w.app, other_cm, p).await.unwrap(), vec!["abierto", "persona"], "{name}");
        assert!(w.app.download_document(&api(other_cm), on_open.id).await.is_ok(), "{name}");
        let refused = w.app.upload_document(&api(other_cm), p, upload(DocumentKind::Legal, "x", Some(open.id))).await;
        assert!(matches!(refused, Err(AppError::Forbidden(_))), "{name}: {refused:?}");
        assert!(
            matches!(w.app.delete_document(&api(other_cm), on_person.id).await, Err(AppError::Forbidden(_))),
            "{name}"
        );
    }
}

#[tokio::test]
async fn uploads_are_checked_before_anything_is_stored_and_audited_without_titles() {
    for w in worlds().await {
        let name = w.t.name;
        let a = org(&w.app, "Norte").await;
        let cm = staff(&w.app, a, Role::CaseManager, "cm").await;
        let p = w
            .app
            .create_person(
                &api(cm),
                PersonFields { alias: Some(Answer::Value("Luz".into())), ..PersonFields::default() },
            )
            .await
            .unwrap()
            .id;
        let other = w
            .app
            .create_person(
                &api(cm),
                PersonFields { alias: Some(Answer::Value("Sol".into())), ..PersonFields::default() },
            )
            .await
            .unwrap()
            .id;
        let their_case = w.app.open_case(&api(cm), other, CaseFields::default()).await.unwrap();
        let problem = |r: Result<_, AppError>| match r {
            Err(AppError::Invalid { field, problem }) => (field, problem),
            Err(e) => panic!("{name}: {e:?}"),
            Ok(_) => panic!("{name}: accepted"),
        };
        let doc = |p: DocumentProblem| DomainError::Document(p);
        let mut big = upload(DocumentKind::Legal, "grande", None);
        big.bytes = [pdf("x"), vec![b' '; LIMIT]].concat();
        let cases = [
            (big, ("file", doc(DocumentProblem::TooLarge))),
            (
                DocumentUpload { bytes: Vec::new(), ..upload(DocumentKind::Legal, "vacío", None) },
                ("file", doc(DocumentProblem::Empty)),
            ),
            (
                DocumentUpload {
                    bytes: b"<svg onload=alert(1)>".to_vec(),
                    ..upload(DocumentKind::Photo, "foto", None)
                },
                ("file", doc(DocumentProblem::TypeNotAllowed)),
            ),
            (
                DocumentUpload { title: " ".into(), ..upload(DocumentKind::Legal, "x", None) },
                ("title", doc(DocumentProblem::TitleInvalid)),
            ),
            (
                DocumentUpload { kind: "passport".into(), ..upload(DocumentKind::Legal, "x", None) },
                ("kind", DomainError::UnknownCode),
            ),
            (upload(DocumentKind::Legal, "x", Some(their_case.id)), ("case_id", DomainError::UnknownCode)),
            (upload(DocumentKind::Legal, "x", Some(CaseId::new())), ("case_id", DomainError::UnknownCode)),
        ];
        for (input, want) in cases {
            assert_eq!(problem(w.app.upload_document(&api(cm), p, input).await), want, "{name}");
        }
        assert!(w.app.person_documents(&api(cm), p).await.unwrap().items.is_empty(), "{name}: nothing stored");
        // Exactly at the limit is fine.
        let mut fits = upload(DocumentKind::Legal, "justo", None);
        fits.bytes = pdf(&"x".repeat(LIMIT - pdf("").len()));
        assert_eq!(fits.bytes.len(), LIMIT);
        assert!(w.app.upload_document(&api(cm), p, fits).await.is_ok(), "{name}");

        // The audit log has ids and codes: never a title or a file name.
        let d =
            w.app.upload_document(&api(cm), p, upload(DocumentKind::Legal, "Carta de Ana María", None)).await.unwrap();
        w.app.download_document(&api(cm), d.id).await.unwrap();
        let events = w.t.store.audit_events_after(0, 10_000).await.unwrap();
        let ours: Vec<_> = events.iter().filter(|e| e.draft.action.starts_with("document.")).collect();
        assert!(ours.iter().any(|e| e.draft.action == "document.upload"), "{name}");
        let download = ours.iter().find(|e| e.draft.action == "document.download").expect("download audited");
        assert_eq!(download.draft.target_id, Some(*p.as_uuid()), "{name}");
        assert_eq!(download.draft.detail.as_deref(), Some(format!("document.{}.legal", d.id).as_str()), "{name}");
        for e in events {
            let shown = format!("{:?} {:?}", e.draft.detail, e.draft.action);
            assert!(!shown.contains("Ana María") && !shown.contains(".pdf"), "{name}: {shown}");
        }
    }
}
