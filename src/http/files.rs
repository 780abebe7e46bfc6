//! Attachment routes (附件): upload, list, rename, delete, download.
//!
//! An upload is read by its own extractor, not `Params`: the file part is kept, counted as
//! it arrives and refused as soon as it passes the file limit, and the request body limit
//! does not apply to this route, so a file limit above the body limit still holds.

use std::fmt::Write;

use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Request, State};
use axum::http::{HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value};

use super::auth::CurrentUser;
use super::params::{parse_form, put, refuse_control_chars, too_large, unreadable};
use super::routes::{Route, data, done, handler};
use super::{AppState, envelope, get_post};
use crate::crm::files::{self, BatchQuery, Download, FileId, FileRename, Incoming, UploadRequest};
use crate::crm::{Error, Input, Parse};

/// What a multipart upload may hold beyond its file: boundaries, part headers, text parts.
const OVERHEAD: u64 = 1024 * 1024;
/// The text parts of an upload (`batchId`, `type`) together.
const TEXT_MAX: usize = 64 * 1024;

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(
            "/api/file/upload",
            "上传附件（multipart）：file, batchId（不传则新建批次）, type（img 图片 | file 文件，默认 file）；\
             返回 batchId, name, url, size, fileId",
            get_post(upload).layer(DefaultBodyLimit::disable()),
        ),
        Route::new(
            "/api/file/queryByBatchId",
            "批次的附件列表：batchId",
            handler!(|crm, actor, input| data(crm.batch_files(actor, BatchQuery::parse(input)?).await?)),
        ),
        Route::new(
            "/api/file/renameFileById",
            "重命名附件：fileId, name",
            handler!(|crm, actor, input| done(crm.rename_file(actor, FileRename::parse(input)?).await?)),
        ),
        Route::new(
            "/api/file/removeById",
            "删除附件：id（附件id）",
            handler!(|crm, actor, input| done(crm.remove_file(actor, FileId::parse(input)?).await?)),
        ),
        Route::new(
            "/api/file/downFile",
            "下载附件：fileId",
            handler!(|crm, actor, input| Ok(download(crm.file_content(actor, FileId::parse(input)?).await?))),
        ),
    ]
}

/// `file/upload`: the answer at the top level of the envelope, as J9 gives it.
async fn upload(
    State(state): State<AppState>,
    CurrentUser(user): CurrentUser,
    form: UploadForm,
) -> Result<Response, Error> {
    let request = UploadRequest::parse(Input(&form.params), form.file)?;
    envelope::top_level(state.crm.upload_file(&user, request).await?)
}

/// The parameters of an upload and its `file` part.
pub(super) struct UploadForm {
    pub(super) params: Map<String, Value>,
    pub(super) file: Option<Incoming>,
}

impl FromRequest<AppState> for UploadForm {
    type Rejection = Error;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        UploadForm::read(req, state, state.crm.file_limit).await
    }
}

impl UploadForm {
    /// Reads the form, refusing a file part over `limit` bytes as soon as it passes it.
    pub(super) async fn read(req: Request, state: &AppState, limit: u64) -> Result<Self, Error> {
        let mut params = req
            .uri()
            .query()
            .map(|q| parse_form(q.as_bytes()))
            .unwrap_or_default();
        let multipart = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
        if !multipart || req.method() == Method::HEAD {
            // No file can be in it; what the body holds is drained after the answer.
            refuse_control_chars(&params)?;
            return Ok(UploadForm { params, file: None });
        }
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        if declared.is_some_and(|n| n > limit + OVERHEAD) {
            return Err(files::too_large(limit));
        }
        let mut multipart = Multipart::from_request(req, state)
            .await
            .map_err(|_| Error::bad("multipart请求格式错误"))?;
        let mut body = Map::new();
        let mut file = None;
        let (mut total, mut text_total) = (0u64, 0usize);
        while let Some(mut field) = multipart.next_field().await.map_err(|e| unreadable(e.status()))? {
            let name = field.name().map(str::to_owned);
            let file_name = field.file_name().map(str::to_owned);
            // The first file part named `file` is the upload; other file parts are dropped.
            let wanted = file_name.is_some() && name.as_deref() == Some("file") && file.is_none();
            let mut bytes = Vec::new();
            let mut size = 0u64;
            while let Some(chunk) = field.chunk().await.map_err(|e| unreadable(e.status()))? {
                size += chunk.len() as u64;
                total += chunk.len() as u64;
                if file_name.is_some() && size > limit {
                    return Err(files::too_large(limit));
                }
                if file_name.is_none() {
                    text_total += chunk.len();
                    if text_total > TEXT_MAX {
                        return Err(too_large());
                    }
                }
                if total > limit + OVERHEAD {
                    return Err(too_large());
                }
                if wanted || file_name.is_none() {
                    bytes.extend_from_slice(&chunk);
                }
            }
            match (file_name, name) {
                (Some(file_name), _) if wanted => {
                    file = Some(Incoming {
                        name: file_name,
                        bytes,
                    })
                }
                (None, Some(name)) => put(
                    &mut body,
                    name,
                    Value::String(String::from_utf8_lossy(&bytes).into_owned()),
                ),
                _ => {}
            }
        }
        params.extend(body);
        refuse_control_chars(&params)?;
        Ok(UploadForm { params, file })
    }
}

/// The file as the response body, with its type and its name for saving.
fn download(file: Download) -> Response {
    let content_type = HeaderValue::from_str(&file.mime_type)
        .unwrap_or_else(|_| HeaderValue::from_static("application/octet-stream"));
    let disposition = HeaderValue::from_str(&disposition(&file.name))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_DISPOSITION, disposition),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-cache"),
            ),
        ],
        file.bytes,
    )
        .into_response()
}

/// `attachment; filename="<ASCII stand-in>"; filename*=UTF-8''<the name, RFC 5987>`: clients
/// that read `filename*` (every current browser) get the real name, Chinese included.
fn disposition(name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() || c == ' ') && !matches!(c, '"' | '\\' | '%') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            let _ = write!(encoded, "%{b:02X}");
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_encoded_for_the_disposition_header() {
        assert_eq!(
            super::disposition("报价 v1.pdf"),
            "attachment; filename=\"__ v1.pdf\"; filename*=UTF-8''%E6%8A%A5%E4%BB%B7%20v1.pdf"
        );
        assert_eq!(
            super::disposition("a\"b%.txt"),
            "attachment; filename=\"a_b_.txt\"; filename*=UTF-8''a%22b%25.txt"
        );
    }
}
