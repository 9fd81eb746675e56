//! TOTP (RFC 6238) and QR rendering (security.md row 5).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on failure

use amparo_crypto::{CryptoError, FieldAad, KeyRing, MasterKey, TotpError, TotpSecret, qr_svg};

fn rfc_secret() -> TotpSecret {
    TotpSecret::from_bytes(b"12345678901234567890".to_vec()).unwrap()
}

#[test]
fn rfc6238_appendix_b_sha1_vectors() {
    let s = rfc_secret();
    for (t, code) in [
        (59, "287082"),
        (1_111_111_109, "081804"),
        (1_111_111_111, "050471"),
        (1_234_567_890, "005924"),
        (2_000_000_000, "279037"),
        (20_000_000_000, "353130"),
    ] {
        assert_eq!(s.code_at(t), code, "t={t}");
        assert!(s.verify(code, t, None).is_ok(), "t={t}");
    }
}

#[test]
fn codes_one_step_off_are_accepted_two_are_not() {
    let s = rfc_secret();
    let now = 1_700_000_000i64; // mid-step: 1_700_000_000 / 30 = 56_666_666.67
    let step = now / 30;
    for delta in [-1i64, 0, 1] {
        let code = s.code_at(now + delta * 30);
        assert_eq!(s.verify(&code, now, None), Ok(step + delta), "delta {delta}");
    }
    for delta in [-3i64, -2, 2, 3] {
        let code = s.code_at(now + delta * 30);
        assert_eq!(s.verify(&code, now, None), Err(TotpError::Wrong), "delta {delta}");
    }
}

#[test]
fn a_code_is_single_use() {
    let s = rfc_secret();
    let now = 1_700_000_000i64;
    let code = s.code_at(now);
    let used = s.verify(&code, now, None).unwrap();
    assert_eq!(s.verify(&code, now, Some(used)), Err(TotpError::Replayed));
    // Still refused a step later, while it is inside the skew window.
    assert_eq!(s.verify(&code, now + 30, Some(used)), Err(TotpError::Replayed));
    // An older code after a newer one was used is refused too.
    let previous = s.code_at(now - 30);
    assert_eq!(s.verify(&previous, now, Some(used)), Err(TotpError::Replayed));
    // The next step's code is fine.
    let next = s.code_at(now + 30);
    assert_eq!(s.verify(&next, now + 30, Some(used)), Ok(used + 1));
    assert_eq!(TotpError::Replayed.code(), "totp_replayed");
}

#[test]
fn spaces_are_ignored_and_other_shapes_rejected() {
    let s = rfc_secret();
    assert_eq!(s.verify("287 082", 59, None), Ok(1));
    assert_eq!(s.verify(" 28 70 82 ", 59, None), Ok(1));
    for bad in ["", "28708", "2870820", "28708a", "287-082", "２８７０８２", "94287082", "+28708"] {
        assert_eq!(s.verify(bad, 59, None), Err(TotpError::Malformed), "{bad:?}");
    }
    assert_eq!(s.verify("000000", 59, None).err().map(|e| e.code()), Some("totp_wrong"));
}

#[test]
fn early_times_do_not_underflow() {
    let s = rfc_secret();
    assert_eq!(s.verify(&s.code_at(0), 0, None), Ok(0));
    assert_eq!(s.code_at(-100), s.code_at(0));
}

#[test]
fn secrets_are_random_and_length_checked() {
    let a = TotpSecret::generate();
    assert_eq!(a.as_bytes().len(), 20);
    assert_ne!(a.as_bytes(), TotpSecret::generate().as_bytes());
    assert_eq!(TotpSecret::from_bytes(vec![0; 15]).err(), Some(TotpError::InvalidSecret));
    assert!(TotpSecret::from_bytes(vec![0; 16]).is_ok());
    assert!(TotpSecret::from_bytes(vec![0; 65]).is_err());
    assert!(!format!("{a:?}").contains(&a.base32()));
}

#[test]
fn base32_and_otpauth_uri() {
    let s = rfc_secret();
    assert_eq!(s.base32(), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    assert!(!TotpSecret::from_bytes(vec![1; 16]).unwrap().base32().contains('='));
    assert_eq!(
        s.otpauth_uri("Amparo MX", "ana@example.org"),
        "otpauth://totp/Amparo%20MX:ana%40example.org?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Amparo%20MX&algorithm=SHA1&digits=6&period=30"
    );
    // A colon in the account cannot forge the issuer/account separator.
    assert!(s.otpauth_uri("A", "evil:x").contains("A:evil%3Ax?"));
}

#[test]
fn secret_survives_sealing() {
    let ring = KeyRing::new(&MasterKey::generate());
    let aad = FieldAad { table: "users", column: "totp_secret", row: b"u1" };
    let s = TotpSecret::generate();
    let sealed = ring.seal_secret(&aad, s.as_bytes());
    let back = TotpSecret::from_bytes(ring.open_secret(&aad, &sealed).unwrap().to_vec()).unwrap();
    assert_eq!(back.code_at(1_234_567_890), s.code_at(1_234_567_890));
}

#[test]
fn qr_svg_is_self_contained_and_labelled() {
    let s = TotpSecret::generate();
    let uri = s.otpauth_uri("Amparo", "ana@example.org");
    let svg = qr_svg(&uri, r#"Scan <this> & "that""#).unwrap();
    assert!(svg.starts_with("<svg "), "{}", &svg[..40]);
    assert!(svg.contains(r#"role="img""#));
    assert!(svg.contains(r#"aria-label="Scan &lt;this&gt; &amp; &quot;that&quot;""#));
    assert!(svg.trim_end().ends_with("</svg>"));
    assert!(!svg.contains("<?xml"));
    assert!(!svg.to_lowercase().contains("<script"));
    assert!(!svg.contains("href"));
    let without_ns = svg.replace(r#"xmlns="http://www.w3.org/2000/svg""#, "");
    assert!(!without_ns.contains("http"), "external reference in SVG");
    assert!(!svg.contains(&s.base32()), "secret must only be in the QR modules");
    // Exactly one <svg element: the label cannot inject markup.
    assert_eq!(svg.matches("<svg").count(), 1);
}

#[test]
fn qr_svg_rejects_oversized_data() {
    let err = qr_svg(&"x".repeat(5000), "too big").err();
    assert!(matches!(err, Some(CryptoError::QrEncode)));
}

#[test]
fn base32_secret_round_trips_as_typed() {
    let s = TotpSecret::generate();
    let typed = s.base32().to_lowercase();
    let spaced: String =
        typed.chars().collect::<Vec<_>>().chunks(4).map(|c| c.iter().collect::<String>()).collect::<Vec<_>>().join(" ");
    let back = TotpSecret::from_base32(&spaced).expect("decodes");
    assert_eq!(back.as_bytes(), s.as_bytes());
    assert!(TotpSecret::from_base32("not base32 !!").is_err());
}
