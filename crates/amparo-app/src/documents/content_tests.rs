//! Files built byte by byte here (no binary fixtures): each test knows exactly which bytes
//! must survive and which must go.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use img_parts::Bytes;
use img_parts::png::PngChunk;

use super::*;

// --- building blocks

/// A JPEG marker segment: FF, marker, big-endian length (counting itself), contents.
fn seg(marker: u8, contents: &[u8]) -> Vec<u8> {
    let len = u16::try_from(contents.len() + 2).expect("segment fits");
    let mut out = vec![0xff, marker];
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(contents);
    out
}

/// A TIFF block as EXIF carries it, whose IFD0 points to a GPS IFD: 19°25'30" N, 99°8'10" W
/// (Mexico City). Little-endian, offsets from the TIFF header.
fn tiff_with_gps() -> Vec<u8> {
    let mut t = Vec::new();
    t.extend_from_slice(b"II*\0");
    t.extend_from_slice(&8u32.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&kind.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value);
    };
    // IFD0 at 8: one entry, GPSInfo (0x8825) → the GPS IFD at 26.
    t.extend_from_slice(&1u16.to_le_bytes());
    entry(&mut t, 0x8825, 4, 1, 26u32.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    // GPS IFD at 26: latitude ref, latitude (→ 68), longitude ref, longitude (→ 92).
    t.extend_from_slice(&4u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, *b"N\0\0\0");
    entry(&mut t, 0x0002, 5, 3, 80u32.to_le_bytes());
    entry(&mut t, 0x0003, 2, 2, *b"W\0\0\0");
    entry(&mut t, 0x0004, 5, 3, 104u32.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    assert_eq!(t.len(), 80);
    t.extend_from_slice(&gps_rationals());
    t
}

/// The latitude and longitude as stored (degrees, minutes, seconds: six rationals).
fn gps_rationals() -> Vec<u8> {
    let mut r = Vec::new();
    for (n, d) in [(19u32, 1u32), (25, 1), (3000, 100), (99, 1), (8, 1), (1000, 100)] {
        r.extend_from_slice(&n.to_le_bytes());
        r.extend_from_slice(&d.to_le_bytes());
    }
    r
}

const XMP: &[u8] =
    b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta><exif:GPSLatitude>19,25.5N</exif:GPSLatitude></x:xmpmeta>";
const ICC: &[u8] = b"ICC_PROFILE\0\x01\x01pretend-this-is-an-icc-colour-profile";

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The parts of a small baseline JPEG: (what a stripped copy must keep, exactly; the full
/// file with every kind of metadata and a trailer).
fn jpeg_parts() -> (Vec<u8>, Vec<u8>) {
    let jfif_with_thumbnail = [b"JFIF\0".as_slice(), &[1, 2, 0, 0, 1, 0, 1, 2, 1], &[9; 6]].concat();
    let jfif_without = [b"JFIF\0".as_slice(), &[1, 2, 0, 0, 1, 0, 1, 0, 0]].concat();
    let dqt = seg(0xdb, &[[0u8].as_slice(), &[1; 64]].concat());
    let sof = seg(0xc0, &[8, 0, 8, 0, 8, 1, 1, 0x11, 0]);
    let dht = seg(0xc4, &[[0u8].as_slice(), &[1], &[0; 15], &[0]].concat());
    let sos = seg(0xda, &[1, 1, 0, 0, 0x3f, 0]);
    // Entropy-coded data with a stuffed 0xFF and a restart marker in it.
    let scan = [0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78, 0x9a];
    let eoi = [0xff, 0xd9];
    let exif = [b"Exif\0\0".as_slice(), &tiff_with_gps()].concat();

    let kept =
        [&[0xff, 0xd8][..], &seg(0xe0, &jfif_without), &seg(0xe2, ICC), &dqt, &sof, &dht, &sos, &scan, &eoi].concat();
    let full = [
        &[0xff, 0xd8][..],
        &seg(0xe0, &jfif_with_thumbnail),
        &seg(0xe1, &exif),
        &seg(0xe1, XMP),
        &seg(0xe2, ICC),
        &seg(0xe2, b"MPF\0II*\0pretend-multi-picture-index"),
        &seg(0xed, b"Photoshop 3.0\08BIM\x04\x04IPTC: Sublocation"),
        &seg(0xfe, b"taken on Calle 5 de Mayo"),
        &dqt,
        &sof,
        &dht,
        &sos,
        &scan,
        &eoi,
        // A motion photo's video (with its own location) after the end of the image.
        b"\0\0\0\x18ftypmp42\xa9xyz+19.4326-099.1332/",
    ]
    .concat();
    (kept, full)
}

fn png_chunk(kind: &[u8; 4], contents: &[u8]) -> Vec<u8> {
    PngChunk::new(*kind, Bytes::copy_from_slice(contents)).encoder().bytes().to_vec()
}

/// (what a stripped copy must keep, exactly; the full file).
fn png_parts() -> (Vec<u8>, Vec<u8>) {
    let ihdr = png_chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
    let iccp = png_chunk(b"iCCP", b"sRGB profile\0\0\x78\x9c\x63\x00\x00\x00\x01\x00\x01");
    let phys = png_chunk(b"pHYs", &[0, 0, 0x0b, 0x13, 0, 0, 0x0b, 0x13, 1]);
    // One grey pixel: filter byte 0, value 0, deflated.
    let idat = png_chunk(b"IDAT", &[0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01]);
    let iend = png_chunk(b"IEND", &[]);
    let kept = [PNG_SIGNATURE, &ihdr, &iccp, &phys, &idat, &iend].concat();
    let full = [
        PNG_SIGNATURE,
        &ihdr,
        &iccp,
        &png_chunk(b"eXIf", &tiff_with_gps()),
        &png_chunk(b"tEXt", b"Location\0Calle 5 de Mayo, Centro"),
        &png_chunk(b"iTXt", &[b"XML:com.adobe.xmp\0\0\0\0\0".as_slice(), &XMP[29..]].concat()),
        &png_chunk(b"zTXt", b"Comment\0\0\x78\x9c\x03\x00\x00\x00\x00\x01"),
        &png_chunk(b"tIME", &[0x07, 0xea, 3, 14, 9, 30, 0]),
        &phys,
        &png_chunk(b"prVt", b"a vendor's private block"),
        &idat,
        &iend,
        b"trailing bytes after IEND",
    ]
    .concat();
    (kept, full)
}

fn riff_chunk(id: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = id.to_vec();
    out.extend_from_slice(&u32::try_from(data.len()).expect("fits").to_le_bytes());
    out.extend_from_slice(data);
    if data.len() % 2 == 1 {
        out.push(0);
    }
    out
}

fn riff(chunks: &[Vec<u8>]) -> Vec<u8> {
    let body: Vec<u8> = [b"WEBP".as_slice(), &chunks.concat()].concat();
    [b"RIFF".as_slice(), &u32::try_from(body.len()).expect("fits").to_le_bytes(), &body].concat()
}

/// (what a stripped copy must keep, exactly; the full file).
fn webp_parts() -> (Vec<u8>, Vec<u8>) {
    // A 1×1 lossless picture; VP8X flags: ICC (0x20), EXIF (0x08), XMP (0x04).
    let vp8x = |flags: u8| riff_chunk(b"VP8X", &[flags, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    let iccp = riff_chunk(b"ICCP", b"pretend-this-is-an-icc-colour-profile");
    let vp8l = riff_chunk(b"VP8L", &[0x2f, 0, 0, 0, 0, 0x88, 0x88, 0x08]);
    let kept = riff(&[vp8x(0x20), iccp.clone(), vp8l.clone()]);
    let full = [
        riff(&[
            vp8x(0x2c),
            iccp,
            vp8l,
            riff_chunk(b"EXIF", &[b"Exif\0\0".as_slice(), &tiff_with_gps()].concat()),
            riff_chunk(b"XMP ", &XMP[29..]),
            riff_chunk(b"prVt", b"a vendor's private block"),
        ]),
        b"trailing bytes after the container".to_vec(),
    ]
    .concat();
    (kept, full)
}

fn pdf(body: &str) -> Vec<u8> {
    format!(
        "%PDF-1.7\n%\u{e2}\u{e3}\n1 0 obj\n<< /Type /Catalog >>\nendobj\n{body}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}

fn refused(bytes: &[u8]) -> DocumentProblem {
    check_file(bytes).map(|c| c.kind).expect_err("refused")
}

// --- what is accepted

#[test]
fn the_four_allowed_types_are_recognised_from_their_bytes() {
    assert_eq!(check_file(&jpeg_parts().1).map(|c| c.kind), Ok(DocumentType::Jpeg));
    assert_eq!(check_file(&png_parts().1).map(|c| c.kind), Ok(DocumentType::Png));
    assert_eq!(check_file(&webp_parts().1).map(|c| c.kind), Ok(DocumentType::WebP));
    assert_eq!(check_file(&pdf("")).map(|c| c.kind), Ok(DocumentType::Pdf));
}

#[test]
fn a_pdf_is_kept_byte_for_byte() {
    let file = pdf("% a comment with a name in it: Ana María");
    assert_eq!(check_file(&file).map(|c| c.bytes), Ok(file.clone()));
    // A PDF 2.0 header is fine too.
    let v2 = [b"%PDF-2.0".as_slice(), &file[8..]].concat();
    assert!(check_file(&v2).is_ok());
}

// --- what is refused

#[test]
fn other_files_are_refused_whatever_they_are_called() {
    let exe = [b"MZ\x90\x00\x03\x00\x00\x00\x04\x00".as_slice(), &[0; 64], b"This program cannot be run in DOS mode"]
        .concat();
    let html = b"<!doctype html><html><script>fetch('/api/v1/persons')</script></html>".to_vec();
    let svg = b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec();
    let zip = [b"PK\x03\x04\x14\x00\x00\x00\x08\x00".as_slice(), &[0; 40]].concat();
    let gif = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00!\xf9\x04;".to_vec();
    let text = b"just some words in a .jpg".to_vec();
    for file in [exe, html, svg, zip, gif, text] {
        assert_eq!(refused(&file), DocumentProblem::TypeNotAllowed);
    }
    assert_eq!(refused(&[]), DocumentProblem::Empty);
}

#[test]
fn a_file_that_only_starts_like_an_allowed_type_is_refused() {
    let (_, jpeg) = jpeg_parts();
    // The magic, then nothing that parses.
    assert_eq!(refused(b"\xff\xd8\xff\xe0<html><script>alert(1)</script>"), DocumentProblem::TypeNotAllowed);
    assert_eq!(refused(&[PNG_SIGNATURE, b"<html>"].concat()), DocumentProblem::TypeNotAllowed);
    assert_eq!(refused(b"RIFF\x10\x00\x00\x00WEBPjunkjunk"), DocumentProblem::TypeNotAllowed);
    assert_eq!(refused(b"%PDF-<html><script>alert(1)</script></html>%%EOF"), DocumentProblem::TypeNotAllowed);
    // A JPEG without a frame header or without a scan carries no picture.
    let no_scan = [&jpeg[..2], &seg(0xe0, b"JFIF\0\x01\x02\0\0\x01\0\x01\0\0"), &[0xff, 0xd9]].concat();
    assert_eq!(refused(&no_scan), DocumentProblem::TypeNotAllowed);
}

#[test]
fn truncated_files_are_refused() {
    let (kept, full) = jpeg_parts();
    // Cut inside the scan (no end of image), inside a header segment, and right after SOI.
    for cut in [kept.len() - 2, kept.len() - 5, 40, 3] {
        assert_eq!(refused(&kept[..cut]), DocumentProblem::TypeNotAllowed, "JPEG cut at {cut}");
    }
    assert!(check_file(&full[..full.len() - 3]).is_ok(), "only the trailer is cut: still an image");
    let (png, _) = png_parts();
    assert_eq!(refused(&png[..png.len() - 12]), DocumentProblem::TypeNotAllowed, "PNG without IEND");
    assert_eq!(refused(&png[..png.len() - 20]), DocumentProblem::TypeNotAllowed, "PNG cut inside a chunk");
    let (webp, _) = webp_parts();
    assert_eq!(refused(&webp[..webp.len() - 4]), DocumentProblem::TypeNotAllowed, "WebP cut short");
    let whole = pdf("");
    assert_eq!(refused(&whole[..whole.len() / 2]), DocumentProblem::TypeNotAllowed, "PDF without its trailer");
}

#[test]
fn a_png_whose_checksum_does_not_match_is_refused() {
    let (mut png, _) = png_parts();
    let at = png.len() - 20; // inside the IDAT data
    png[at] ^= 0x01;
    assert_eq!(refused(&png), DocumentProblem::TypeNotAllowed);
}

// --- what is stripped

#[test]
fn a_jpeg_loses_exif_gps_xmp_and_comments_and_keeps_its_pixels_and_colour_profile() {
    let (kept, full) = jpeg_parts();
    let out = check_file(&full).expect("accepted").bytes;
    assert_eq!(out, kept, "exactly the picture's own segments, scan data byte for byte");
    for gone in [
        b"Exif\0\0".as_slice(),
        &gps_rationals(),
        b"http://ns.adobe.com/xap/1.0/",
        b"GPSLatitude",
        b"MPF\0",
        b"Photoshop",
        b"Calle 5 de Mayo",
        b"ftypmp42",
        &[9; 6],
    ] {
        assert!(!contains(&out, gone), "{:?} left in", String::from_utf8_lossy(gone));
    }
    assert!(contains(&out, ICC), "the ICC profile stays");
    // Stripping what is already stripped changes nothing.
    assert_eq!(check_file(&out).map(|c| c.bytes), Ok(kept));
}

#[test]
fn jpeg_metadata_between_scans_and_a_second_image_after_the_end_are_dropped() {
    let (kept, _) = jpeg_parts();
    // A progressive file: a second table and scan after the first scan, a comment and an
    // EXIF block between them, then a whole second JPEG (as MPF appends one) after EOI.
    let first = &kept[..kept.len() - 2];
    let between_kept =
        [seg(0xc4, &[[0x10u8].as_slice(), &[1], &[0; 15], &[0]].concat()), seg(0xda, &[1, 1, 0, 1, 0x3f, 0])].concat();
    let second_scan = [0xab, 0xff, 0x00, 0xcd];
    let exif = [b"Exif\0\0".as_slice(), &tiff_with_gps()].concat();
    let file = [
        first.to_vec(),
        seg(0xfe, b"comment between scans"),
        seg(0xe1, &exif),
        between_kept.clone(),
        second_scan.to_vec(),
        vec![0xff, 0xd9],
        [&[0xff, 0xd8][..], &seg(0xe1, &exif), &[0xff, 0xd9]].concat(),
    ]
    .concat();
    let expected = [first.to_vec(), between_kept, second_scan.to_vec(), vec![0xff, 0xd9]].concat();
    assert_eq!(check_file(&file).map(|c| c.bytes), Ok(expected));
}

#[test]
fn a_png_loses_exif_and_text_chunks_and_keeps_its_image_data() {
    let (kept, full) = png_parts();
    let out = check_file(&full).expect("accepted").bytes;
    assert_eq!(out, kept, "exactly the picture's chunks, IDAT byte for byte");
    for gone in
        [b"eXIf".as_slice(), &gps_rationals(), b"tEXt", b"iTXt", b"zTXt", b"tIME", b"Calle 5", b"prVt", b"trailing"]
    {
        assert!(!contains(&out, gone), "{:?} left in", String::from_utf8_lossy(gone));
    }
    assert!(contains(&out, b"iCCP"), "the ICC profile stays");
}

#[test]
fn a_webp_loses_exif_and_xmp_and_its_header_stops_announcing_them() {
    let (kept, full) = webp_parts();
    let out = check_file(&full).expect("accepted").bytes;
    assert_eq!(out, kept);
    assert!(!contains(&out, &gps_rationals()) && !contains(&out, b"GPSLatitude") && !contains(&out, b"trailing"));
}
