//! Import and export through the app layer on every backend (SQLite, and PostgreSQL when
//! `AMPARO_TEST_POSTGRES_URL` is set): all or nothing, lines named, duplicates flagged,
//! access decided by the domain, audit written, and an encrypted export that imports back
//! into a fresh installation as the same persons.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../../amparo-app/tests/support/mod.rs"]
mod support;

use std::io::Read;

use secrecy::SecretString;

use amparo_app::records::PersonFields;
use amparo_app::{AppConfig, AppError, Caller};
use amparo_domain::records::Answer;
use amparo_domain::{Language, Role};
use amparo_insights::import::{Options, import_file};
use amparo_insights::{Format, Mapping, Protection};
use amparo_store::AuditOutcome;
use support::{api, org, staff, worlds};

const GOOD: &str = "\
given_name,family_name,birth_date,primary_language,citizenship,phone,interpreter_needed
María,Hernández,2001-03-05,español,México,+52 55 1234 5678,no
Juan,Pérez,05/03/1999,Spanish,MX,,sí
Xóchitl,,1 de septiembre de 1990,nah,Guatemala; MX,,prefers_not_to_answer
";

/// The same file with one bad row (line 3: a date that cannot be read).
fn with_bad_row() -> String {
    GOOD.replace("05/03/1999", "31/02/1999")
}

async fn count_persons(app: &amparo_app::Amparo, org: amparo_domain::OrgId) -> usize {
    app.export_records(&Caller::Operator, org).await.unwrap().persons.len()
}

#[tokio::test]
async fn a_file_with_one_bad_row_imports_nothing_and_names_the_line_and_without_it_imports_all() {
    for w in worlds(AppConfig::default()).await {
        let o = org(&w.app, "Alba").await;
        let sup = api(staff(&w.app, o, Role::Supervisor, "sup").await);
        let m = Mapping::default();

        let bad = import_file(&w.app, &sup, o, with_bad_row().as_bytes(), &m, Options::default()).await.unwrap();
        assert_eq!(bad.imported, 0, "{}", w.t.name);
        assert_eq!(bad.problems.len(), 1);
        let p = &bad.problems[0];
        assert_eq!((p.line, p.field.as_str(), p.code.as_str()), (3, "birth_date", "import_date_unreadable"));
        assert!(p.message(Language::En).starts_with("line 3"), "{}", p.message(Language::En));
        assert!(p.message(Language::Es).starts_with("línea 3"), "{}", p.message(Language::Es));
        assert_eq!(count_persons(&w.app, o).await, 0, "nothing written ({})", w.t.name);

        // A row that reads but that intake refuses (no name nor alias) stops it too.
        let nameless = format!("{GOOD},Solo,,,,,\n");
        let r = import_file(&w.app, &sup, o, nameless.as_bytes(), &m, Options::default()).await.unwrap();
        assert_eq!((r.imported, r.bad_lines()), (0, vec![5]));
        assert_eq!(r.problems[0].code, "name_or_alias_required");
        assert_eq!(count_persons(&w.app, o).await, 0);

        // A dry run writes nothing either.
        let dry = Options { dry_run: true, ..Options::default() };
        let r = import_file(&w.app, &sup, o, GOOD.as_bytes(), &m, dry).await.unwrap();
        assert_eq!((r.imported, r.problems.len(), r.rows), (0, 0, 3));
        assert_eq!(count_persons(&w.app, o).await, 0);

        let good = import_file(&w.app, &sup, o, GOOD.as_bytes(), &m, Options::default()).await.unwrap();
        assert_eq!((good.imported, good.problems.len()), (3, 0), "{}", w.t.name);
        let export = w.app.export_records(&Caller::Operator, o).await.unwrap();
        assert_eq!(export.persons.len(), 3);
        let maria = export
            .persons
            .iter()
            .find(|p| p.fields.given_name == Some(Answer::Value("María".into())))
            .expect("María was imported");
        assert_eq!(maria.fields.birth_date, Some(Answer::Value("2001-03-05".into())));
        assert_eq!(maria.fields.primary_language, Some(Answer::Value("es".into())));
        assert_eq!(maria.fields.citizenship, Some(vec!["MX".into()]));
        let juan = export.persons.iter().find(|p| p.fields.given_name == Some(Answer::Value("Juan".into()))).unwrap();
        assert_eq!(juan.fields.birth_date, Some(Answer::Value("1999-03-05".into())), "day first");
        assert_eq!(juan.fields.interpreter_needed, Some(Answer::Value(true)));

        // Importing the same file again: every row is flagged as a possible duplicate
        // through the blind index (the supervisor sees who).
        let again = import_file(&w.app, &sup, o, GOOD.as_bytes(), &m, dry).await.unwrap();
        assert_eq!(again.duplicates.iter().map(|d| d.line).collect::<Vec<_>>(), vec![2, 3, 4]);
        assert!(again.duplicates.iter().all(|d| d.on_file == 1 && d.hints.len() == 1));

        // Skipping bad rows is an explicit choice: then the good ones go in.
        let skip = Options { skip_bad_rows: true, ..Options::default() };
        let file = with_bad_row().replace("María", "Lucía");
        let r = import_file(&w.app, &sup, o, file.as_bytes(), &m, skip).await.unwrap();
        assert_eq!((r.imported, r.skipped), (2, 1));
        assert_eq!(count_persons(&w.app, o).await, 5);

        // Every imported person was audited as created by the supervisor, through import.
        let mut drafts = 0;
        let mut after = 0;
        loop {
            let events = w.t.store.audit_events_after(after, 500).await.unwrap();
            let Some(last) = events.last() else { break };
            after = last.seq;
            drafts += events
                .iter()
                .filter(|e| e.draft.action == "person.create" && e.draft.detail.as_deref() == Some("import"))
                .count();
        }
        assert_eq!(drafts, 5);
    }
}

#[tokio::test]
async fn who_may_import_and_export() {
    for w in worlds(AppConfig::default()).await {
        let o = org(&w.app, "Alba").await;
        let admin = api(staff(&w.app, o, Role::Administrator, "adm").await);
        let case_manager = api(staff(&w.app, o, Role::CaseManager, "cm").await);
        let analyst = api(staff(&w.app, o, Role::Analyst, "an").await);
        let sup = api(staff(&w.app, o, Role::Supervisor, "sup").await);
        let other = org(&w.app, "Otra").await;
        let m = Mapping::default();
        let r = import_file(&w.app, &admin, o, GOOD.as_bytes(), &m, Options::default()).await.unwrap();
        assert_eq!(r.imported, 3, "administrators import");
        for who in [&case_manager, &analyst] {
            let e = import_file(&w.app, who, o, GOOD.as_bytes(), &m, Options::default()).await.unwrap_err();
            assert!(matches!(e, amparo_insights::ImportError::App(AppError::Forbidden(_))), "{e:?}");
        }
        let e = import_file(&w.app, &admin, other, GOOD.as_bytes(), &m, Options::default()).await.unwrap_err();
        assert!(matches!(e, amparo_insights::ImportError::App(AppError::NotFound)), "{e:?}");
        assert_eq!(w.app.export_records(&admin, o).await.unwrap().persons.len(), 3, "administrators export");
        for who in [&sup, &case_manager, &analyst] {
            assert!(matches!(w.app.export_records(who, o).await, Err(AppError::Forbidden(_))));
        }
        assert!(matches!(w.app.export_records(&admin, other).await, Err(AppError::NotFound)));
        // The export was audited, one entry per person too.
        let events = w.t.store.audit_events_after(0, 10_000).await.unwrap();
        assert_eq!(
            events.iter().filter(|e| e.draft.action == "records.export" && e.draft.outcome == AuditOutcome::Ok).count(),
            1
        );
        assert_eq!(events.iter().filter(|e| e.draft.action == "person.export").count(), 3);
    }
}

fn decrypt(bytes: &[u8], passphrase: &str) -> Vec<u8> {
    let d = age::Decryptor::new_buffered(bytes).unwrap();
    let id = age::scrypt::Identity::new(SecretString::from(passphrase.to_owned()));
    let mut r = d.decrypt(std::iter::once(&id as &dyn age::Identity)).unwrap();
    let mut out = Vec::new();
    r.read_to_end(&mut out).unwrap();
    out
}

fn sorted_fields(mut v: Vec<PersonFields>) -> Vec<String> {
    let mut s: Vec<String> = v.drain(..).map(|f| serde_json::to_string(&f).unwrap()).collect();
    s.sort();
    s
}

#[tokio::test]
async fn an_encrypted_export_round_trips_into_a_fresh_installation() {
    let mut worlds = worlds(AppConfig::default()).await.into_iter();
    let (Some(a), b) = (worlds.next(), worlds.next()) else { panic!("no backend") };
    // To PostgreSQL when it is there, else to a second SQLite installation.
    let b = match b {
        Some(b) => b,
        None => support::worlds(AppConfig::default()).await.into_iter().next().unwrap(),
    };
    let o = org(&a.app, "Alba").await;
    let admin = api(staff(&a.app, o, Role::Administrator, "adm").await);
    let tricky = format!("{GOOD}=HYPERLINK(\"http://x\"),-cmd,,,,,\nAna,O'Brien,,,,\"+1 (555) 010-0199\",\n");
    let r = import_file(&a.app, &admin, o, tricky.as_bytes(), &Mapping::default(), Options::default()).await.unwrap();
    assert_eq!((r.imported, r.problems.len()), (5, 0), "{:?}", r.problems);
    let before = a.app.export_records(&Caller::Operator, o).await.unwrap();

    for format in [Format::Csv, Format::Xlsx] {
        let pass = Protection::Passphrase(SecretString::from("una frase de paso larga".to_owned()));
        let (sealed, persons, _) =
            amparo_insights::export::export_records(&a.app, &admin, o, format, &pass).await.unwrap();
        assert_eq!(persons, 5);
        assert!(sealed.starts_with(b"age-encryption.org/v1"), "encrypted with age");
        let plain = decrypt(&sealed, "una frase de paso larga");
        if format == Format::Csv {
            let text = String::from_utf8(plain.clone()).unwrap();
            assert!(text.contains("'=HYPERLINK"), "defused in CSV");
            assert!(text.contains(",'-cmd,"), "defused in CSV");
            assert!(text.contains(",+1 (555) 010-0199,"), "a phone number stays as it is");
        } else {
            use calamine::Reader;
            let mut book = calamine::Xlsx::new(std::io::Cursor::new(plain.clone())).unwrap();
            for sheet in ["persons", "cases"] {
                let f = book.worksheet_formula(sheet).unwrap();
                assert!(f.used_cells().all(|(_, _, f)| f.is_empty()), "no formula in {sheet}");
            }
        }
        // Into a fresh organisation of the other installation.
        let fresh = org(&b.app, &format!("Nueva{format:?}")).await;
        let r = import_file(&b.app, &Caller::Operator, fresh, &plain, &Mapping::default(), Options::default())
            .await
            .unwrap();
        assert_eq!((r.imported, r.problems.len()), (5, 0), "{format:?}: {:?}", r.problems);
        let after = b.app.export_records(&Caller::Operator, fresh).await.unwrap();
        assert_eq!(
            sorted_fields(after.persons.iter().map(|p| p.fields.clone()).collect()),
            sorted_fields(before.persons.iter().map(|p| p.fields.clone()).collect()),
            "{format:?}: the same persons"
        );
    }
    // A wrong recipient is refused before anything is read.
    let e = amparo_insights::export::export_records(&a.app, &admin, o, Format::Csv, &Protection::Recipient("x".into()))
        .await
        .unwrap_err();
    assert!(matches!(e, amparo_insights::ExportError::BadRecipient));
}

#[tokio::test]
async fn a_large_file_imports_in_one_go_and_the_export_pages_through_everyone() {
    for w in worlds(AppConfig::default()).await {
        let o = org(&w.app, "Alba").await;
        let mut file = String::from("alias,phone,estimated_age\n");
        for i in 0..1_100 {
            file.push_str(&format!("Persona {i},+52 55 {:04} {:04},{}\n", i / 100, i, 18 + i % 50));
        }
        // The same person twice in one file is flagged against the earlier line.
        file.push_str("Persona 7,,30\n");
        let dry = Options { dry_run: true, ..Options::default() };
        let r = import_file(&w.app, &Caller::Operator, o, file.as_bytes(), &Mapping::default(), dry).await.unwrap();
        assert_eq!(r.problems.len(), 0);
        assert_eq!(r.duplicates.len(), 1, "{}", w.t.name);
        assert_eq!((r.duplicates[0].line, r.duplicates[0].same_as_line), (1_102, Some(9)));
        let r = import_file(&w.app, &Caller::Operator, o, file.as_bytes(), &Mapping::default(), Options::default())
            .await
            .unwrap();
        assert_eq!(r.imported, 1_101, "{}", w.t.name);
        let export = w.app.export_records(&Caller::Operator, o).await.unwrap();
        let mut ids: Vec<_> = export.persons.iter().map(|p| p.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 1_101, "every person once, across pages ({})", w.t.name);
    }
}
