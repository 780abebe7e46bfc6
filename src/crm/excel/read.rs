//! Reading uploaded sheets: `.xlsx` streamed cell by cell (calamine's cells reader, so a
//! million rows never sit in memory at once), `.xls` (BIFF8, as Excel 97–2003 and WPS
//! write it), and CSV in UTF-8 (with or without BOM) or GBK. The kind is told by the
//! bytes, not the name. Rows go to a sink one at a time; the first visible worksheet is read.

use std::io::Cursor;

use calamine::{DataRef, Reader, SheetType, SheetVisible, Xls, Xlsx, XlsxError};
use chrono::{NaiveDate, NaiveDateTime};

use crate::crm::error::{Error, Result};

/// One cell as read.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Raw {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    DateTime(NaiveDateTime),
}

impl Raw {
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            Raw::Empty => true,
            Raw::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as text, the way a user would type it.
    pub(crate) fn text(&self) -> String {
        match self {
            Raw::Empty => String::new(),
            Raw::Text(t) => t.trim().to_owned(),
            Raw::Number(n) => number_text(*n),
            Raw::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
            Raw::DateTime(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
        }
    }
}

/// `13800000000` for 13800000000.0, `60.5` for 60.5: the shortest text that reads back.
pub(crate) fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// The datetime of an Excel serial day number (1900 system; 25569 = 1970-01-01).
pub(crate) fn excel_serial(days: f64) -> Option<NaiveDateTime> {
    if !(1.0..2_958_466.0).contains(&days) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    let ms = (days * 86_400_000.0).round() as i64;
    // Whole seconds: the wire format has none finer.
    Some(base + chrono::Duration::seconds((ms + 500) / 1000))
}

/// What kind of file the bytes are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Xlsx,
    Xls,
    Csv,
}

const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

pub(crate) fn detect(name: &str, bytes: &[u8]) -> Result<Kind> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(Error::bad("文件为空"));
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(Kind::Xlsx);
    }
    if bytes.starts_with(&OLE) {
        // A password-protected .xlsx (or .docx…) is an OLE container holding the encrypted
        // package: its directory names the `EncryptedPackage` stream (UTF-16).
        if encrypted_package(bytes) {
            return Err(encrypted());
        }
        return Ok(Kind::Xls);
    }
    let head = &bytes[..bytes.len().min(8192)];
    let textual = !head.contains(&0);
    let lower = name.to_ascii_lowercase();
    if textual && (lower.ends_with(".csv") || lower.ends_with(".txt") || !lower.contains('.')) {
        return Ok(Kind::Csv);
    }
    Err(Error::bad("文件格式错误：请上传.xlsx、.xls或.csv文件"))
}

/// Excel keeps at most this many characters in a cell; longer text is cut there.
const CELL_MAX: usize = 32_767;
/// Columns read per row (Excel's own limit).
const COLUMNS_MAX: usize = 16_384;

fn clipped(mut text: String) -> String {
    if let Some((at, _)) = text.char_indices().nth(CELL_MAX) {
        text.truncate(at);
    }
    text
}

fn from_ref(cell: &DataRef<'_>) -> Raw {
    match cell {
        DataRef::Int(i) => Raw::Number(*i as f64),
        DataRef::Float(f) => Raw::Number(*f),
        DataRef::String(s) => Raw::Text(clipped(s.clone())),
        DataRef::SharedString(s) => Raw::Text(clipped((*s).to_owned())),
        DataRef::Bool(b) => Raw::Bool(*b),
        DataRef::DateTime(d) => iso_or_serial(None, d.as_f64()),
        DataRef::DateTimeIso(s) => iso_or_serial(Some(s), 0.0),
        DataRef::DurationIso(s) => Raw::Text(s.clone()),
        DataRef::Error(_) | DataRef::Empty => Raw::Empty,
    }
}

fn from_data(cell: &calamine::Data) -> Raw {
    use calamine::Data;
    match cell {
        Data::Int(i) => Raw::Number(*i as f64),
        Data::Float(f) => Raw::Number(*f),
        Data::String(s) => Raw::Text(clipped(s.clone())),
        Data::Bool(b) => Raw::Bool(*b),
        Data::DateTime(d) => iso_or_serial(None, d.as_f64()),
        Data::DateTimeIso(s) => iso_or_serial(Some(s), 0.0),
        Data::DurationIso(s) => Raw::Text(s.clone()),
        Data::Error(_) | Data::Empty => Raw::Empty,
    }
}

fn iso_or_serial(iso: Option<&String>, serial: f64) -> Raw {
    match iso {
        Some(s) => NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
            .map(Raw::DateTime)
            .unwrap_or_else(|_| Raw::Text(s.clone())),
        None => excel_serial(serial).map_or(Raw::Number(serial), Raw::DateTime),
    }
}

/// A sink of rows: the sheet's row number (from 1) and its cells; answers whether to go on.
pub(crate) type Sink<'a> = &'a mut dyn FnMut(u32, Vec<Raw>) -> bool;

/// Reads every non-empty row of the first visible worksheet into `sink`.
pub(crate) fn read_rows(kind: Kind, bytes: &[u8], sink: Sink<'_>) -> Result<()> {
    match kind {
        Kind::Xlsx => read_xlsx(bytes, sink),
        Kind::Xls => read_xls(bytes, sink),
        Kind::Csv => read_csv(bytes, sink),
    }
}

fn first_visible(sheets: &[calamine::Sheet]) -> Result<String> {
    sheets
        .iter()
        .find(|s| s.visible == SheetVisible::Visible && s.typ == SheetType::WorkSheet)
        .or_else(|| sheets.first())
        .map(|s| s.name.clone())
        .ok_or_else(|| Error::bad("文件中没有工作表"))
}

/// The refusal of a password-protected file.
fn encrypted() -> Error {
    Error::bad("文件已加密，请取消密码保护后再导入")
}

/// Whether an OLE container holds an encrypted OOXML package (ECMA-376 encryption: the
/// `EncryptionInfo` and `EncryptedPackage` streams).
fn encrypted_package(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    bytes.windows(name.len()).any(|w| w == name.as_slice())
}

fn unreadable(e: impl std::fmt::Display) -> Error {
    let text = e.to_string();
    if text.contains("password") || text.contains("Password") {
        encrypted()
    } else {
        Error::bad("文件无法读取：不是有效的Excel文件或已损坏")
    }
}

/// The rows an `.xlsx` file's first visible sheet declares it spans (its `dimension`,
/// which spreadsheet programs write), without reading them; `None` when it declares none.
pub(crate) fn declared_xlsx_rows(bytes: &[u8]) -> Option<u64> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).ok()?;
    let name = first_visible(book.sheets_metadata()).ok()?;
    let declared = book.worksheet_cells_reader(&name).ok()?.dimensions();
    let (first, last) = (declared.start.0, declared.end.0);
    (last > first).then(|| u64::from(last - first) + 1)
}

fn read_xlsx(bytes: &[u8], sink: Sink<'_>) -> Result<()> {
    let mut book: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let name = first_visible(book.sheets_metadata())?;
    let mut cells = book.worksheet_cells_reader(&name).map_err(unreadable)?;
    let mut current: Option<(u32, Vec<Raw>)> = None;
    loop {
        let cell = match cells.next_cell() {
            Ok(Some(cell)) => cell,
            Ok(None) => break,
            Err(XlsxError::Password) => return Err(unreadable("password")),
            Err(e) => return Err(unreadable(e)),
        };
        let (row, col) = cell.get_position();
        if current.as_ref().is_some_and(|(r, _)| *r != row)
            && let Some((r, cells)) = current.take()
            && !emit(sink, r, cells)
        {
            return Ok(());
        }
        let (_, line) = current.get_or_insert_with(|| (row, Vec::new()));
        let col = col as usize;
        if col < COLUMNS_MAX {
            if line.len() <= col {
                line.resize(col + 1, Raw::Empty);
            }
            line[col] = from_ref(cell.get_value());
        }
    }
    if let Some((r, cells)) = current {
        emit(sink, r, cells);
    }
    Ok(())
}

/// Passes a row on unless it is empty; answers whether to go on.
fn emit(sink: Sink<'_>, row: u32, cells: Vec<Raw>) -> bool {
    if cells.iter().all(Raw::is_empty) {
        return true;
    }
    sink(row + 1, cells)
}

fn read_xls(bytes: &[u8], sink: Sink<'_>) -> Result<()> {
    // An encrypted .xlsx is an OLE file too: calamine's xlsx reader tells it.
    if let Err(XlsxError::Password) = Xlsx::new(Cursor::new(bytes)) {
        return Err(unreadable("password"));
    }
    let mut book: Xls<_> = Xls::new(Cursor::new(bytes)).map_err(unreadable)?;
    let name = first_visible(book.sheets_metadata())?;
    let range = book.worksheet_range(&name).map_err(unreadable)?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    for (i, row) in range.rows().enumerate() {
        let mut cells = vec![Raw::Empty; first_col as usize];
        cells.extend(row.iter().take(COLUMNS_MAX).map(from_data));
        if !emit(sink, first_row + i as u32, cells) {
            break;
        }
    }
    Ok(())
}

/// The text of a CSV file: UTF-8 (a BOM dropped), else GBK as Chinese Excel saves it.
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::GBK.decode(bytes).0.into_owned(),
    }
}

fn read_csv(bytes: &[u8], sink: Sink<'_>) -> Result<()> {
    let text = decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            Error::bad(format!(
                "CSV格式错误：第{}行",
                e.position().map_or(i as u64 + 1, |p| p.line())
            ))
        })?;
        let cells = record
            .iter()
            .take(COLUMNS_MAX)
            .map(|c| {
                if c.is_empty() {
                    Raw::Empty
                } else {
                    Raw::Text(clipped(c.to_owned()))
                }
            })
            .collect();
        if !emit(sink, i as u32, cells) {
            break;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_and_numbers_read_as_typed() {
        assert_eq!(excel_serial(44197.5).unwrap().to_string(), "2021-01-01 12:00:00");
        assert_eq!(number_text(13800000000.0), "13800000000");
        assert_eq!(number_text(60.5), "60.5");
    }

    #[test]
    fn gbk_csv_is_decoded() {
        let (gbk, _, _) = encoding_rs::GBK.encode("线索名称,手机\n张三,138\n");
        let mut rows = Vec::new();
        read_csv(&gbk, &mut |_, cells| {
            rows.push(cells);
            true
        })
        .unwrap();
        assert_eq!(rows[0][0], Raw::Text("线索名称".into()));
        assert_eq!(rows.len(), 2);
    }
}
