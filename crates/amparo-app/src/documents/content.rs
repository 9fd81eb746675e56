//! What a file is, decided from its bytes (never from its name or the browser's word), and
//! the same file without what it says about where, when and on what it was made.
//!
//! Images are taken apart into their container's segments or chunks by `img-parts` and put
//! back together without the metadata ones; the compressed pixels are copied byte for byte,
//! never decoded or re-encoded. What is kept is an allow-list: a segment or chunk nobody
//! listed (a vendor's private block, a new metadata format) is dropped, not trusted.
//! PDFs are accepted on their header and trailer and kept as they are (see `docs/documents.md`).

use img_parts::Bytes;
use img_parts::jpeg::{Jpeg, JpegSegment, markers};
use img_parts::png::Png;
use img_parts::riff::RiffContent;
use img_parts::webp::{self, WebP};

use amparo_domain::records::{DocumentProblem, DocumentType};

/// A file that passed: its type as found in its bytes, and the bytes to keep.
pub(crate) struct CheckedFile {
    pub kind: DocumentType,
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for CheckedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckedFile").field("kind", &self.kind).field("len", &self.bytes.len()).finish()
    }
}

/// Decides what `bytes` is and strips an image's metadata. Anything that is not a JPEG, PNG,
/// WebP or PDF which parses is refused, whatever it claims to be.
pub(crate) fn check_file(bytes: &[u8]) -> Result<CheckedFile, DocumentProblem> {
    if bytes.is_empty() {
        return Err(DocumentProblem::Empty);
    }
    let kind = sniff(bytes).ok_or(DocumentProblem::TypeNotAllowed)?;
    let kept = match kind {
        DocumentType::Jpeg => strip_jpeg(bytes),
        DocumentType::Png => strip_png(bytes),
        DocumentType::WebP => strip_webp(bytes),
        DocumentType::Pdf => check_pdf(bytes).then(|| bytes.to_vec()),
    };
    kept.map(|bytes| CheckedFile { kind, bytes }).ok_or(DocumentProblem::TypeNotAllowed)
}

const PNG_SIGNATURE: &[u8] = &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

/// The type the file's first bytes announce (a claim only: the parse decides).
fn sniff(b: &[u8]) -> Option<DocumentType> {
    if b.starts_with(&[0xff, 0xd8, 0xff]) {
        Some(DocumentType::Jpeg)
    } else if b.starts_with(PNG_SIGNATURE) {
        Some(DocumentType::Png)
    } else if b.len() >= 12 && &b[0..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        Some(DocumentType::WebP)
    } else if b.starts_with(b"%PDF-") {
        Some(DocumentType::Pdf)
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------------
// JPEG

/// The JPEG without metadata: every APPn and COM segment is dropped except the JFIF header
/// (without its thumbnail), ICC colour profiles and Adobe's colour-transform flag, which a
/// decoder needs to show the colours right. Anything after the end of the first image goes
/// too: phones append whole second images and videos there (MPF, motion photos), each with
/// metadata of its own, and a file can hide another format behind its pixels.
fn strip_jpeg(input: &[u8]) -> Option<Vec<u8>> {
    let mut jpeg = Jpeg::from_bytes(Bytes::copy_from_slice(input)).ok()?;
    // A frame header, then a scan: without them there is no picture.
    let sof = jpeg.segments().iter().position(|s| is_sof(s.marker()))?;
    let sos = jpeg.segments().iter().position(JpegSegment::has_entropy)?;
    if sof > sos || jpeg.dimensions().is_none() {
        return None;
    }
    // img-parts stops at the first scan: its entropy-coded data is the rest of the file,
    // kept opaque. Walk it to the end of the image, dropping metadata met between scans.
    let scan = &jpeg.segments()[sos];
    let rest_len = scan.len_with_entropy() - scan.len();
    let tail = image_tail(input.get(input.len().checked_sub(rest_len)?..)?)?;
    let scan = JpegSegment::new_with_entropy(markers::SOS, scan.contents().clone(), Bytes::from(tail));
    let segments = jpeg.segments_mut();
    segments.truncate(sos);
    let mut kept: Vec<JpegSegment> = segments.drain(..).filter_map(keep_jpeg_segment).collect();
    kept.push(scan);
    *jpeg.segments_mut() = kept;
    Some(jpeg.encoder().bytes().to_vec())
}

fn is_sof(marker: u8) -> bool {
    matches!(marker, 0xc0..=0xc3 | 0xc5..=0xc7 | 0xc9..=0xcb | 0xcd..=0xcf)
}

fn is_metadata_marker(marker: u8) -> bool {
    matches!(marker, markers::APP0..=markers::APP15 | markers::COM)
}

/// The header segments kept: everything that describes the picture, and of the application
/// segments only those a decoder needs.
fn keep_jpeg_segment(segment: JpegSegment) -> Option<JpegSegment> {
    let contents = segment.contents();
    match segment.marker() {
        // JFIF: version, pixel density, and a thumbnail, which is dropped (a thumbnail can
        // show what was cropped out of the picture).
        markers::APP0 if contents.starts_with(b"JFIF\0") && contents.len() >= 14 => {
            let mut header = contents[..14].to_vec();
            header[12] = 0;
            header[13] = 0;
            Some(JpegSegment::new_with_contents(markers::APP0, Bytes::from(header)))
        }
        markers::APP2 if contents.starts_with(b"ICC_PROFILE\0") => Some(segment),
        markers::APP14 if contents.starts_with(b"Adobe") => Some(segment),
        m if is_metadata_marker(m) => None,
        _ => Some(segment),
    }
}

/// The bytes from the first scan's data to the end of the image (EOI included), with any
/// APPn and COM segment between scans dropped and anything after EOI cut off. None when
/// the image never ends (a truncated file) or holds a marker that cannot be there.
///
/// The rules are those of ITU T.81 B.1.1.2–B.1.1.5 (and the ones img-parts follows for the
/// header): in entropy-coded data 0xFF is followed by 0x00 (a stuffed byte) or by a restart
/// marker RST0–7; 0xFF may repeat as fill before a marker; every other marker but SOI, EOI,
/// TEM and RSTn carries a two-byte length that counts itself.
fn image_tail(data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    // Inside a scan's entropy-coded data (kept), or between segments (where stray bytes
    // are not part of anything and are dropped).
    let mut in_scan = true;
    let mut i = 0;
    loop {
        let ff = i + data.get(i..)?.iter().position(|&b| b == 0xff)?;
        let mut m = ff + 1;
        while *data.get(m)? == 0xff {
            m += 1;
        }
        let marker = data[m];
        if marker == 0x00 || (markers::RST0..=markers::RST7).contains(&marker) {
            if in_scan {
                out.extend_from_slice(&data[i..=m]);
            }
            i = m + 1;
            continue;
        }
        if in_scan {
            out.extend_from_slice(&data[i..ff]);
        }
        if marker == markers::EOI {
            out.extend_from_slice(&[0xff, markers::EOI]);
            return Some(out);
        }
        // SOI, TEM and the reserved markers have no place inside an image.
        if !matches!(marker, 0xc0..=0xcf | 0xda..=0xdf | 0xe0..=0xef | 0xf0..=0xfd | 0xfe) {
            return None;
        }
        let len = usize::from(u16::from_be_bytes([*data.get(m + 1)?, *data.get(m + 2)?]));
        let end = m.checked_add(1)?.checked_add(len)?;
        if len < 2 || end > data.len() {
            return None;
        }
        if !is_metadata_marker(marker) {
            out.extend_from_slice(&[0xff, marker]);
            out.extend_from_slice(&data[m + 1..end]);
        }
        in_scan = marker == markers::SOS;
        i = end;
    }
}

// ---------------------------------------------------------------------------------------------
// PNG

/// The chunks that make up the picture (PNG 3rd edition: critical, colour, transparency,
/// pixel size, animation). Text (`tEXt`, `zTXt`, `iTXt`, where XMP lives), `eXIf`, `tIME`
/// and anything private are dropped.
const PNG_KEPT: [&[u8; 4]; 19] = [
    b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB", b"cICP", b"mDCV",
    b"cLLI", b"bKGD", b"hIST", b"pHYs", b"acTL", b"fcTL", b"fdAT",
];

fn strip_png(input: &[u8]) -> Option<Vec<u8>> {
    // Every chunk's CRC is checked by the parse.
    let mut png = Png::from_bytes(Bytes::copy_from_slice(input)).ok()?;
    let chunks = png.chunks();
    let well_formed = chunks.first().is_some_and(|c| &c.kind() == b"IHDR")
        && chunks.last().is_some_and(|c| &c.kind() == b"IEND")
        && chunks.iter().any(|c| &c.kind() == b"IDAT");
    if !well_formed || png.dimensions().is_none() {
        return None;
    }
    png.chunks_mut().retain(|c| PNG_KEPT.contains(&&c.kind()));
    Some(png.encoder().bytes().to_vec())
}

// ---------------------------------------------------------------------------------------------
// WebP

const WEBP_KEPT: [[u8; 4]; 7] = [
    webp::CHUNK_VP8X,
    webp::CHUNK_VP8,
    webp::CHUNK_VP8L,
    webp::CHUNK_ALPH,
    webp::CHUNK_ANIM,
    webp::CHUNK_ANMF,
    webp::CHUNK_ICCP,
];
/// The VP8X header's flags that announce EXIF and XMP chunks.
const VP8X_EXIF_AND_XMP: u8 = 0b0000_1100;

fn strip_webp(input: &[u8]) -> Option<Vec<u8>> {
    let mut image = WebP::from_bytes(Bytes::copy_from_slice(input)).ok()?;
    let has_picture = [webp::CHUNK_VP8, webp::CHUNK_VP8L, webp::CHUNK_ANMF].iter().any(|id| image.has_chunk(*id));
    if !has_picture || image.dimensions().is_none() {
        return None;
    }
    image.chunks_mut().retain(|c| WEBP_KEPT.contains(&c.id()));
    // The extended header must no longer announce the chunks that went.
    for chunk in image.chunks_mut().iter_mut().filter(|c| c.id() == webp::CHUNK_VP8X) {
        let RiffContent::Data(data) = chunk.content_mut() else { return None };
        let mut header = data.to_vec();
        *header.first_mut()? &= !VP8X_EXIF_AND_XMP;
        *data = Bytes::from(header);
    }
    // Nothing after the RIFF container is kept: the encoder writes only what was parsed.
    Some(image.encoder().bytes().to_vec())
}

// ---------------------------------------------------------------------------------------------
// PDF

/// A PDF starts with `%PDF-1.x` or `%PDF-2.x` (ISO 32000 7.5.2) and ends with `%%EOF` in its
/// last kilobyte (7.5.5; readers tolerate a little trailing whitespace or junk). A truncated
/// upload has no trailer and is refused.
fn check_pdf(b: &[u8]) -> bool {
    let header = b.len() > 8 && matches!(b[5], b'1' | b'2') && b[6] == b'.' && b[7].is_ascii_digit();
    let tail = &b[b.len().saturating_sub(1024)..];
    header && tail.windows(5).any(|w| w == b"%%EOF")
}

#[cfg(test)]
#[path = "content_tests.rs"]
mod tests;
