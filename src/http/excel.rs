//! Spreadsheet routes: every module's import (`uploadExcel`), template (`downloadExcel`)
//! and exports (`batchExportExcel`, `allExportExcel`; the pool's for customers), and the
//! import jobs under `/api/system/message/` as J9's client calls them. Files answer as
//! bytes streamed from a temporary file; every failure still answers the JSON envelope.

use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use futures_util::stream;
use tokio::io::AsyncReadExt;

use super::auth::CurrentUser;
use super::files::UploadForm;
use super::params::BodyLimit;
use super::routes::{Route, data, done, handler};
use super::{AppState, envelope, get_post};
use crate::crm::excel::{ExportRequest, FileOut, ImportRequest, JobRef};
use crate::crm::module::Module;
use crate::crm::modules::CUSTOMER;
use crate::crm::{Input, Parse};

/// The routes of one module.
pub fn routes(m: &'static Module) -> Vec<Route> {
    let route = |action: &str, summary: &str, handler| Route::of_module(m, action, summary, handler);
    let mut list = vec![
        route(
            "uploadExcel",
            "导入（multipart）：file（.xlsx/.xls/.csv）, repeatHandling（1覆盖 2跳过）, ownerUserId；返回导入id",
            upload(m),
        ),
        route(
            "downloadExcel",
            "导入模板（.xlsx）",
            handler!(|crm, actor, input| Ok(file(crm.import_template(m, actor).await?))),
        ),
    ];
    // The pool's exports are the customer list's with the pool's records and right.
    let pool_too: &[bool] = if m.route == CUSTOMER.route {
        &[false, true]
    } else {
        &[false]
    };
    for &pool in pool_too {
        let (prefix, of) = if pool { ("pool", "公海") } else { ("", "") };
        let batch = format!("{prefix}BatchExportExcel");
        let all = format!("{prefix}AllExportExcel");
        list.extend([
            route(
                &lower_first(&batch),
                &format!("{of}按id导出：{}或ids, format（xlsx|csv）", m.ids_key),
                handler!(|crm, actor, input| Ok(file(
                    crm.export(m, actor, ExportRequest::batch(m, input, pool)?)
                        .await?
                ))),
            ),
            route(
                &lower_first(&all),
                &format!("{of}导出列表的全部数据（同列表的search、sceneId、data）, format（xlsx|csv）"),
                handler!(|crm, actor, input| Ok(file(
                    crm.export(m, actor, ExportRequest::all(input, pool)?).await?
                ))),
            ),
        ]);
    }
    list
}

/// `BatchExportExcel` → `batchExportExcel`.
fn lower_first(action: &str) -> String {
    let mut chars = action.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// The import job routes.
pub fn job_routes() -> Vec<Route> {
    vec![
        Route::new(
            "/api/system/message/queryImportNum",
            "导入进度：messageId（导入id）；已处理行数，结束后为null",
            handler!(|crm, actor, input| data(crm.import_progress(actor, JobRef::parse(input)?).await?)),
        ),
        Route::new(
            "/api/system/message/queryImportInfo",
            "导入结果：messageId；totalSize, errSize，data中有明细",
            handler!(|crm, actor, input| envelope::top_level(
                crm.import_report(actor, JobRef::parse(input)?).await?
            )),
        ),
        Route::new(
            "/api/system/message/downImportError",
            "导入失败的行（.xlsx，首列错误原因）：messageId",
            handler!(|crm, actor, input| Ok(file(crm.import_errors(actor, JobRef::parse(input)?).await?))),
        ),
        Route::new(
            "/api/system/message/stopImport",
            "终止导入：messageId（已提交的批次保留）",
            handler!(|crm, actor, input| done(crm.cancel_import(actor, JobRef::parse(input)?).await?)),
        ),
    ]
}

/// `uploadExcel`: the form read with the body limit as the file's limit.
fn upload(m: &'static Module) -> axum::routing::MethodRouter<AppState> {
    get_post(
        move |State(state): State<AppState>, CurrentUser(user): CurrentUser, req: Request| async move {
            let limit = req
                .extensions()
                .get::<BodyLimit>()
                .map_or(state.crm.file_limit, |BodyLimit(n)| *n as u64);
            let form = UploadForm::read(req, &state, limit).await?;
            let request = ImportRequest::parse(Input(&form.params), form.file)?;
            data(state.crm.start_import(m, &user, request).await?)
        },
    )
    .layer(DefaultBodyLimit::disable())
}

/// A written file as the response, read from its temporary file a chunk at a time.
fn file(out: FileOut) -> Response {
    let FileOut {
        file,
        len,
        name,
        format,
    } = out;
    let chunks = stream::unfold(tokio::fs::File::from_std(file), |mut file| async move {
        let mut buf = vec![0u8; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok::<_, std::io::Error>(axum::body::Bytes::from(buf)), file))
            }
            Err(e) => Some((Err(e), file)),
        }
    });
    // J9's client takes the name after `filename=` (and decodes it): a plain ASCII name.
    let disposition = HeaderValue::from_str(&format!("attachment; filename={name}"))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static(format.content_type()),
            ),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CONTENT_LENGTH, HeaderValue::from(len)),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, no-cache"),
            ),
        ],
        Body::from_stream(chunks),
    )
        .into_response()
}
