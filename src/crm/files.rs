//! Attachments (附件): files of a batch. Every record has a batch id (`batch_id`); its files
//! are the batch's. A batch that no record holds yet (uploaded before the record is saved)
//! belongs to its uploader alone. Who may read or change a record's batch is decided by the
//! record's own rights and reach, the same predicate as its detail and its update.

use serde::Serialize;
use serde_json::Value;

use super::access::{Reach, Right};
use super::error::{Error, Result};
use super::input::{Input, Parse, is_blank, to_text};
use super::module::Module;
use super::rows::{self, id_filter, require_existing};
use super::{Actor, Crm};
use crate::store::files::{self as store, FileRow, NewFile};
use crate::store::{Cell, Exec, Filter, Kind, Op, Tx, serialize_on};

/// The largest file accepted unless configured otherwise (`--file-limit-mb`).
pub const DEFAULT_LIMIT: u64 = 10 * 1024 * 1024;
/// The longest file name kept, in characters.
pub const NAME_MAX: usize = 200;
/// The name of a file whose name leaves nothing once cleaned.
pub const UNNAMED: &str = "未命名";
/// The longest batch id accepted (J9's column is `varchar(50)`).
const BATCH_MAX: usize = 50;

/// 32 hex digits, like J9's `IdUtil.simpleUUID()`.
pub(crate) fn new_batch_id() -> String {
    let mut bytes = [0u8; 16];
    rand::fill(&mut bytes);
    hex::encode(bytes)
}

/// The refusal of a file over `limit` bytes.
pub fn too_large(limit: u64) -> Error {
    Error::bad(format!("文件大小不能超过{}MB", limit.div_ceil(1024 * 1024)))
}

/// `img` (pictures) or `file` (anything), as the upload's `type` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    Img,
    File,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Img => "img",
            FileKind::File => "file",
        }
    }
}

/// The bytes and the client's name of the uploaded file part.
#[derive(Clone, Debug)]
pub struct Incoming {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// `file/upload`: the file, the batch to add it to (a new one when absent), its kind.
#[derive(Clone, Debug)]
pub struct UploadRequest {
    pub file: Option<Incoming>,
    pub batch_id: Option<String>,
    pub kind: FileKind,
}

impl UploadRequest {
    pub fn parse(input: Input<'_>, file: Option<Incoming>) -> Result<Self> {
        let kind = match input.opt_str("type")?.as_deref().map(str::trim) {
            None | Some("file") => FileKind::File,
            Some("img") => FileKind::Img,
            Some(_) => return Err(Error::bad("type只能为img或file")),
        };
        Ok(UploadRequest {
            file,
            batch_id: batch_param(input.raw("batchId"))?,
            kind,
        })
    }
}

/// A batch id given by the client: absent when blank; letters, digits, `-` and `_`, at
/// most 50 characters.
fn batch_param(value: Option<&Value>) -> Result<Option<String>> {
    let Some(value) = value.filter(|v| !is_blank(v)) else {
        return Ok(None);
    };
    let text = to_text(value).unwrap_or_default();
    let text = text.trim();
    let valid = text.len() <= BATCH_MAX
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(Some(text.to_owned()))
    } else {
        Err(Error::bad("batchId格式错误"))
    }
}

/// `file/queryByBatchId`: the batch, when given (J9 answers an empty list without one).
#[derive(Clone, Debug)]
pub struct BatchQuery(pub Option<String>);

impl Parse for BatchQuery {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(BatchQuery(batch_param(input.raw("batchId"))?))
    }
}

/// The file a request names: `fileId` (`downFile`, `renameFileById`), or `id` (`removeById`).
#[derive(Clone, Copy, Debug)]
pub struct FileId(pub i64);

impl Parse for FileId {
    fn parse(input: Input<'_>) -> Result<Self> {
        input
            .first_i64(&["fileId", "id"])?
            .map(FileId)
            .ok_or_else(|| Error::bad("文件id不能为空"))
    }
}

/// `file/renameFileById`: the file and its new name (cleaned like an upload's).
#[derive(Clone, Debug)]
pub struct FileRename {
    pub file_id: i64,
    pub name: String,
}

impl Parse for FileRename {
    fn parse(input: Input<'_>) -> Result<Self> {
        let FileId(file_id) = FileId::parse(input)?;
        let name = input
            .opt_str("name")?
            .filter(|n| !n.trim().is_empty())
            .ok_or_else(|| Error::bad("文件名称不能为空"))?;
        Ok(FileRename {
            file_id,
            name: clean_name(&name),
        })
    }
}

/// Bidirectional formatting characters (U+202E and kin), which make `evil<U+202E>txt.exe`
/// look like `evilexe.txt`.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A file name as stored: its last path component only (`../../x` and `C:\dir\x` are `x`),
/// without control or bidirectional formatting characters, trimmed, at most `NAME_MAX`
/// characters (an extension of up to 16 is kept when cut), never empty (`未命名`).
pub fn clean_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let kept: String = base
        .chars()
        .filter(|c| !c.is_control() && !is_bidi_control(*c))
        .collect();
    let mut name = kept.trim().to_owned();
    if name.chars().count() > NAME_MAX {
        let ext = name
            .rfind('.')
            .map(|at| name[at..].to_owned())
            .filter(|e| (2..=16).contains(&e.chars().count()));
        name = match ext {
            Some(ext) => {
                let stem: String = name.chars().take(NAME_MAX - ext.chars().count()).collect();
                format!("{}{ext}", stem.trim_end())
            }
            None => name
                .chars()
                .take(NAME_MAX)
                .collect::<String>()
                .trim_end()
                .to_owned(),
        };
    }
    if name.is_empty() || name.chars().all(|c| c == '.') {
        UNNAMED.to_owned()
    } else {
        name
    }
}

/// The type of content recognised by its first bytes: the pictures `img` accepts, and PDF.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let dib_header = || {
        bytes
            .get(14..18)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
            .is_some_and(|n| matches!(n, 12 | 40 | 52 | 56 | 64 | 108 | 124))
    };
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"\xFF\xD8\xFF") {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() >= 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.starts_with(b"BM") && dib_header() {
        Some("image/bmp")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// The type of a file by its extension, for the kinds people attach to CRM records. Types a
/// browser would run (HTML, SVG, scripts) are left to the default, `application/octet-stream`.
pub fn by_extension(name: &str) -> Option<&'static str> {
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "bmp" => "image/bmp",
        "pdf" => "application/pdf",
        "txt" | "log" => "text/plain",
        "csv" => "text/csv",
        "json" => "application/json",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "ppt" => "application/vnd.ms-powerpoint",
        "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "zip" => "application/zip",
        "rar" => "application/vnd.rar",
        "7z" => "application/x-7z-compressed",
        "gz" => "application/gzip",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "mp4" => "video/mp4",
        _ => return None,
    })
}

/// J9 shows sizes as whole kilobytes of 1,000 bytes, rounded down: `"12KB"`.
fn size_text(bytes: i64) -> String {
    format!("{}KB", bytes / 1000)
}

/// Where a file is downloaded.
fn url(file_id: i64) -> String {
    format!("/api/file/downFile?fileId={file_id}")
}

/// A file as listed (`queryByBatchId`), in J9's keys; `filePath` (J9's) and `url` are both
/// the download route.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FileView {
    pub file_id: i64,
    pub batch_id: String,
    pub name: String,
    pub size: String,
    pub file_type: String,
    pub mime_type: String,
    pub create_user_id: i64,
    pub create_user_name: String,
    pub create_time: String,
    pub file_path: String,
    pub url: String,
}

/// The answer of an upload, at the top level of the envelope as J9 has it. J9's service
/// names the id `file_id` and its JSON writer turns every key to camelCase (`fileId`, what
/// its web client reads); both are given.
#[derive(Clone, Debug, Serialize)]
pub struct UploadView {
    #[serde(rename = "batchId")]
    pub batch_id: String,
    pub name: String,
    pub url: String,
    pub size: String,
    #[serde(rename = "fileId")]
    pub file_id: i64,
    #[serde(rename = "file_id")]
    pub file_id_j9: i64,
}

/// A file to send: its name, type and bytes.
#[derive(Clone, Debug)]
pub struct Download {
    pub name: String,
    pub mime_type: String,
    pub bytes: Vec<u8>,
}

/// What a caller wants to do with a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Use {
    /// List or download: the owning record must be readable.
    Read,
    /// Upload, rename or delete: the owning record must be changeable.
    Change,
}

/// The lock key that serialises uses of one batch (uploads into it, a record claiming it).
fn batch_key(batch: &str) -> String {
    format!("file-batch:{batch}")
}

impl Crm {
    fn file_view(&self, row: FileRow) -> FileView {
        FileView {
            file_path: url(row.file_id),
            url: url(row.file_id),
            size: size_text(row.size),
            create_time: self.clock.render(row.create_time),
            create_user_name: row.create_user_name.unwrap_or_default(),
            file_id: row.file_id,
            batch_id: row.batch_id,
            name: row.name,
            file_type: row.file_type,
            mime_type: row.mime_type,
            create_user_id: row.create_user_id,
        }
    }

    /// The record that holds batch `batch`, if any: its module and id.
    async fn batch_owner(&self, mut exec: Exec<'_>, batch: &str) -> Result<Option<(&'static Module, i64)>> {
        let holds = Filter::Compare {
            target: Filter::column("batch_id"),
            op: Op::Eq,
            kind: Kind::Text,
            value: Cell::Text(batch.to_owned()),
        };
        for module in super::modules::ALL {
            let found = rows::rows(
                exec.reborrow(),
                module.table,
                &[(module.id_column(), Kind::Int)],
                &holds,
            )
            .await?;
            if let Some(id) = found.first().and_then(|r| r.first()).and_then(Cell::as_i64) {
                return Ok(Some((module, id)));
            }
        }
        // A follow-up's files are its record's.
        let columns = [("label", Kind::Int), ("target_id", Kind::Int)];
        let found = rows::rows(exec, crate::store::tables::FOLLOW_RECORD, &columns, &holds).await?;
        Ok(found.first().and_then(|r| {
            let module = super::modules::by_label(r[0].as_i64()?)?;
            Some((module, r[1].as_i64()?))
        }))
    }

    /// The files of several batches (a timeline page's follow-ups), split as J9 shows them:
    /// `(img, file)` per batch. The caller has checked access to the batches' records.
    pub(crate) async fn files_of_batches(
        &self,
        batches: &[String],
    ) -> Result<std::collections::HashMap<String, (Vec<FileView>, Vec<FileView>)>> {
        let mut out: std::collections::HashMap<String, (Vec<FileView>, Vec<FileView>)> = Default::default();
        if batches.is_empty() {
            return Ok(out);
        }
        for row in store::by_batches(&self.db, batches).await? {
            let view = self.file_view(row);
            let entry = out.entry(view.batch_id.clone()).or_default();
            if view.file_type == "img" {
                entry.0.push(view);
            } else {
                entry.1.push(view);
            }
        }
        Ok(out)
    }

    /// Checks that the caller may `usage` batch `batch`. A record's batch: reading needs the
    /// module's read right and the record within the caller's read reach (as its detail);
    /// changing needs the update right and write reach (as its update). A batch of no record
    /// is its uploader's, and the administrator's. In a transaction the owning record stays
    /// locked for the rest of the transaction, so it cannot be deleted meanwhile.
    async fn require_batch(&self, tx: Option<&mut Tx>, actor: &Actor, batch: &str, usage: Use) -> Result<()> {
        let (right, reach) = match usage {
            Use::Read => (Right::Read, Reach::Read),
            Use::Change => (Right::Update, Reach::Write),
        };
        let checked = match tx {
            Some(tx) => match self.batch_owner(Exec::Tx(&mut *tx), batch).await? {
                Some((module, id)) => {
                    require_existing(tx, module, &[id]).await?;
                    self.require_reach(&mut *tx, actor, module, &[id], right, reach)
                        .await
                }
                None => self.require_uploader(Exec::Tx(tx), actor, batch).await,
            },
            None => match self.batch_owner(Exec::Pool(&self.db), batch).await? {
                Some((module, id)) => {
                    self.require_reach(&self.db, actor, module, &[id], right, reach)
                        .await
                }
                None => self.require_uploader(Exec::Pool(&self.db), actor, batch).await,
            },
        };
        match checked {
            // A caller without the module's right at all is refused like one out of reach.
            Err(Error::Forbidden) => Err(Error::NoPermission),
            other => other,
        }
    }

    /// A batch of no record: every file in it must be the caller's (or the caller the
    /// administrator). An empty batch is anyone's to start.
    async fn require_uploader(&self, exec: Exec<'_>, actor: &Actor, batch: &str) -> Result<()> {
        if actor.is_admin() {
            return Ok(());
        }
        let uploaders = store::uploaders(exec, batch).await?;
        if uploaders.iter().all(|u| *u == actor.id()) {
            Ok(())
        } else {
            Err(Error::NoPermission)
        }
    }

    /// The file `file_id`, or `文件不存在`.
    async fn require_file(&self, exec: Exec<'_>, file_id: i64) -> Result<FileRow> {
        store::by_id(exec, file_id)
            .await?
            .ok_or_else(|| Error::business("文件不存在"))
    }

    /// `file/upload`: stores the file in its batch (a new batch when none is named).
    pub async fn upload_file(&self, actor: &Actor, request: UploadRequest) -> Result<UploadView> {
        let file = request.file.ok_or_else(|| Error::bad("请选择要上传的文件"))?;
        if file.bytes.len() as u64 > self.file_limit {
            return Err(too_large(self.file_limit));
        }
        let name = clean_name(&file.name);
        let sniffed = sniff(&file.bytes);
        let mime_type = match request.kind {
            FileKind::Img => sniffed
                .filter(|m| m.starts_with("image/"))
                .ok_or_else(|| Error::bad("只能上传图片"))?,
            FileKind::File => sniffed
                .or_else(|| by_extension(&name))
                .unwrap_or("application/octet-stream"),
        };
        let batch = request.batch_id.unwrap_or_else(new_batch_id);
        let mut tx = self.db.begin().await?;
        serialize_on(&mut tx, &[batch_key(&batch)]).await?;
        self.require_batch(Some(&mut tx), actor, &batch, Use::Change)
            .await?;
        let size = file.bytes.len() as i64;
        let new = NewFile {
            batch_id: &batch,
            name: &name,
            file_type: request.kind.as_str(),
            mime_type,
            content: file.bytes,
            create_user_id: actor.id(),
            create_time: self.clock.now(),
        };
        let file_id = store::insert(&mut tx, new).await?;
        tx.commit().await?;
        Ok(UploadView {
            batch_id: batch,
            name,
            url: url(file_id),
            size: size_text(size),
            file_id,
            file_id_j9: file_id,
        })
    }

    /// `file/queryByBatchId`: the files of a batch, oldest first.
    pub async fn batch_files(&self, actor: &Actor, query: BatchQuery) -> Result<Vec<FileView>> {
        let Some(batch) = query.0 else {
            return Ok(Vec::new());
        };
        self.require_batch(None, actor, &batch, Use::Read).await?;
        let rows = store::by_batch(&self.db, &batch).await?;
        Ok(rows.into_iter().map(|r| self.file_view(r)).collect())
    }

    /// `file/downFile`: the file's name, type and bytes.
    pub async fn file_content(&self, actor: &Actor, FileId(file_id): FileId) -> Result<Download> {
        let file = self.require_file(Exec::Pool(&self.db), file_id).await?;
        self.require_batch(None, actor, &file.batch_id, Use::Read).await?;
        let bytes = store::content(&self.db, file_id)
            .await?
            .ok_or_else(|| Error::business("文件不存在"))?;
        Ok(Download {
            name: file.name,
            mime_type: file.mime_type,
            bytes,
        })
    }

    /// `file/renameFileById`.
    pub async fn rename_file(&self, actor: &Actor, request: FileRename) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let file = self.require_file(Exec::Tx(&mut tx), request.file_id).await?;
        self.require_batch(Some(&mut tx), actor, &file.batch_id, Use::Change)
            .await?;
        store::rename(&mut tx, request.file_id, &request.name).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `file/removeById`.
    pub async fn remove_file(&self, actor: &Actor, FileId(file_id): FileId) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let file = self.require_file(Exec::Tx(&mut tx), file_id).await?;
        self.require_batch(Some(&mut tx), actor, &file.batch_id, Use::Change)
            .await?;
        store::delete(&mut tx, file_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The batch of a new record: the one the save names (`entity.batchId`: files uploaded
    /// before the record was saved) when no record holds it yet and every file in it is the
    /// caller's; else a new one when none is named.
    pub(crate) async fn claim_batch(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        named: Option<&Value>,
    ) -> Result<String> {
        let Some(batch) = batch_param(named)? else {
            return Ok(new_batch_id());
        };
        serialize_on(tx, &[batch_key(&batch)]).await?;
        if self.batch_owner(Exec::Tx(&mut *tx), &batch).await?.is_some() {
            return Err(Error::business("该附件批次已属于其他记录"));
        }
        self.require_uploader(Exec::Tx(tx), actor, &batch).await?;
        Ok(batch)
    }

    /// Deletes the files of records about to be deleted, in the delete's transaction.
    pub(crate) async fn delete_record_files(&self, tx: &mut Tx, module: &Module, ids: &[i64]) -> Result<()> {
        let found = rows::rows(
            &mut *tx,
            module.table,
            &[("batch_id", Kind::Text)],
            &id_filter(module, ids),
        )
        .await?;
        let batches: Vec<String> = found
            .into_iter()
            .filter_map(|r| r.into_iter().next())
            .filter_map(|c| c.as_str().map(str::to_owned))
            .collect();
        store::delete_batches(tx, &batches).await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_paths_and_control_characters_and_stay_bounded() {
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name("C:\\Users\\x\\报价单.pdf"), "报价单.pdf");
        assert_eq!(clean_name("a\u{0}b\r\nc.txt"), "abc.txt");
        assert_eq!(clean_name("evil\u{202E}fdp.exe"), "evilfdp.exe");
        assert_eq!(clean_name("  "), UNNAMED);
        assert_eq!(clean_name(".."), UNNAMED);
        assert_eq!(clean_name("dir/"), UNNAMED);
        assert_eq!(clean_name(".env"), ".env");
        let long = format!("{}.docx", "长".repeat(300));
        let cut = clean_name(&long);
        assert_eq!(cut.chars().count(), NAME_MAX);
        assert!(cut.ends_with(".docx"));
        assert_eq!(clean_name(&"x".repeat(300)).chars().count(), NAME_MAX);
    }

    #[test]
    fn pictures_are_known_by_their_first_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some("image/png"));
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0"), Some("image/jpeg"));
        assert_eq!(sniff(b"GIF89a..."), Some("image/gif"));
        assert_eq!(sniff(b"RIFF\x10\0\0\0WEBPVP8 "), Some("image/webp"));
        let mut bmp = b"BM".to_vec();
        bmp.extend([0u8; 12]);
        bmp.extend(40u32.to_le_bytes());
        assert_eq!(sniff(&bmp), Some("image/bmp"));
        assert_eq!(sniff(b"BMW annual report"), None);
        assert_eq!(sniff(b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(sniff(b"<html>"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn batch_ids_are_plain() {
        let given = |s: &str| batch_param(Some(&Value::String(s.into())));
        assert_eq!(given("").unwrap(), None);
        assert_eq!(given("ab12_-Z").unwrap().as_deref(), Some("ab12_-Z"));
        assert!(given("../x").is_err());
        assert!(given(&"a".repeat(51)).is_err());
        assert_eq!(new_batch_id().len(), 32);
    }
}
