//! WukongCRM 9 attachments (`admin_file`) with their files, read from a copy of its upload
//! directory (`--files DIR`). The metadata is mapped with the batch; the bytes are read when
//! the row is written, one file at a time, so a batch never holds more than one file.

use std::path::{Path, PathBuf};

use super::cells::{Mapping, mapped, time_or_created};
use super::{Context, Row};
use crate::crm::files::{by_extension, clean_name, sniff};
use crate::store::Cell;
use crate::store::explicit_ids as dest;

/// The type of a file whose content and name say nothing.
const UNKNOWN_TYPE: &str = "application/octet-stream";

pub(super) fn file(ctx: &Context<'_>, row: &Row<'_>) -> Mapping {
    let batch = row
        .text("batch_id")
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .ok_or("数据不完整：附件没有批次")?;
    let dir = ctx
        .options
        .files
        .as_deref()
        .ok_or("附件文件未迁移：未指定 --files")?;
    let path = locate(dir, row.text("path"))?;
    let size = std::fs::metadata(&path)
        .map_err(|e| format!("文件无法读取：{e}"))?
        .len();
    if size > ctx.options.file_limit {
        return Err(too_large(ctx.options.file_limit));
    }
    let name = clean_name(row.text("name").unwrap_or_default());
    let file_type = if row.text("file_type") == Some("img") {
        "img"
    } else {
        "file"
    };
    let mime = by_extension(&name).unwrap_or(UNKNOWN_TYPE);
    let mut m = mapped(
        row,
        &dest::FILE,
        vec![
            ("file_id", Cell::Int(row.id())),
            ("batch_id", Cell::Text(batch.to_owned())),
            ("name", Cell::Text(name)),
            ("size", Cell::Int(size as i64)),
            ("file_type", Cell::Text(file_type.into())),
            ("mime_type", Cell::Text(mime.into())),
            (
                "create_user_id",
                Cell::Int(row.int("create_user_id").unwrap_or_default()),
            ),
            ("create_time", time_or_created(ctx, row, "create_time")),
        ],
    )?;
    m.content = Some(path);
    Ok(m)
}

fn too_large(limit: u64) -> String {
    format!("文件过大：超过 --file-limit-mb（{} MB）", limit / (1024 * 1024))
}

/// The file a J9 `path` names under `dir`. J9 stored absolute paths on its own server
/// (`/usr/local/upload/20190601/x.pdf`, `D:\upload\…`), so the longest tail of the path
/// found under `dir` is taken, down to its last two parts (the upload day's folder and the
/// name); a path with `..`, or one that leads out of `dir` through a link, is refused.
pub(super) fn locate(dir: &Path, stored: Option<&str>) -> Result<PathBuf, String> {
    let stored = stored
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .ok_or("文件缺失：附件没有文件路径")?;
    let parts: Vec<&str> = stored
        .split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.is_empty() || parts.contains(&"..") {
        return Err(format!("文件路径不安全：“{stored}”"));
    }
    let root = dir
        .canonicalize()
        .map_err(|e| format!("--files 目录无法读取：{e}"))?;
    for start in 0..parts.len().saturating_sub(1).max(1) {
        let candidate: PathBuf = parts[start..].iter().collect();
        let candidate = root.join(candidate);
        if candidate.is_file() {
            let real = candidate
                .canonicalize()
                .map_err(|e| format!("文件无法读取：{e}"))?;
            if !real.starts_with(&root) {
                return Err(format!("文件路径不安全：“{stored}”指向 --files 目录之外"));
            }
            return Ok(real);
        }
    }
    Err(format!("文件缺失：--files 目录中没有“{stored}”"))
}

/// The bytes of a file to store, read once and at most `limit` of them (the file may have
/// grown since it was mapped), with their type: recognised from the bytes, else the one
/// the name gave (`current`).
pub(super) async fn read(path: &Path, limit: u64, current: &str) -> Result<(Vec<u8>, String), String> {
    use tokio::io::AsyncReadExt;
    let file = tokio::fs::File::open(path)
        .await
        .map_err(|e| format!("文件无法读取：{e}"))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .await
        .map_err(|e| format!("文件无法读取：{e}"))?;
    if bytes.len() as u64 > limit {
        return Err(too_large(limit));
    }
    let mime = sniff(&bytes).unwrap_or(current).to_owned();
    Ok((bytes, mime))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_path_is_found_by_its_tail_and_never_outside_the_directory() {
        let dir = std::env::temp_dir().join(format!("wkcrm-locate-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("20190601")).unwrap();
        std::fs::write(dir.join("20190601/报价.pdf"), b"%PDF-1.4").unwrap();
        let found = |p: &str| locate(&dir, Some(p));
        let want = dir.join("20190601/报价.pdf").canonicalize().unwrap();
        assert_eq!(found("/usr/local/upload/20190601/报价.pdf").unwrap(), want);
        assert_eq!(found("D:\\upload\\20190601\\报价.pdf").unwrap(), want);
        assert_eq!(found("20190601/报价.pdf").unwrap(), want);
        assert!(
            found("/usr/local/upload/20190602/报价.pdf")
                .unwrap_err()
                .contains("文件缺失")
        );
        assert!(found("/x/../../etc/passwd").unwrap_err().contains("不安全"));
        assert!(found("").unwrap_err().contains("没有文件路径"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
