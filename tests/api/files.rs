//! Attachments (附件): upload, list, download, rename and delete through the real router;
//! limits, picture sniffing, name cleaning, and access by the owning record's rights.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::{Value, json};

use crate::helpers::*;

const BOUNDARY: &str = "wkcrm-test-boundary-7MA4YWxkTrZu0gW";

/// Bytes that are no UTF-8 text: every byte value, twice.
fn binary() -> Vec<u8> {
    (0..=255u8).chain((0..=255u8).rev()).collect()
}

/// A tiny PNG header (enough for the sniffer; no decoder reads it).
fn png() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    b.extend([0u8; 32]);
    b
}

/// A multipart body: text parts, then a file part named `file` when given.
fn multipart_body(texts: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in texts {
        body.extend(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                .as_bytes(),
        );
    }
    if let Some((filename, bytes)) = file {
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\
                 Content-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

fn upload_request(token: &str, texts: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Request<Body> {
    multipart_request("/api/file/upload", token, texts, file)
}

fn multipart_request(
    path: &str,
    token: &str,
    texts: &[(&str, &str)],
    file: Option<(&str, &[u8])>,
) -> Request<Body> {
    Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("Admin-Token", token)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .body(Body::from(multipart_body(texts, file)))
        .unwrap()
}

/// Uploads as the holder of `token`; answers the whole body.
async fn upload(app: &TestApp, token: &str, texts: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Value {
    let (status, body) = app.raw(upload_request(token, texts, file)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// A download that is refused: its JSON envelope.
async fn refused_download(app: &TestApp, token: &str, file_id: i64) -> Value {
    let (status, headers, bytes) = download(app, token, file_id).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    serde_json::from_slice(&bytes).unwrap()
}

async fn list(app: &TestApp, token: &str, batch: &str) -> Value {
    app.post_as(token, "/api/file/queryByBatchId", json!({ "batchId": batch }))
        .await
}

async fn files_stored(app: &TestApp) -> i64 {
    scalar(app, "SELECT COUNT(*) FROM admin_file").await
}

async fn lead_batch(app: &TestApp, lead: i64) -> String {
    let detail = app
        .post("/api/CrmLeads/queryById", json!({ "leadsId": lead }))
        .await;
    detail["data"]["batchId"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn a_file_goes_up_is_listed_comes_back_byte_for_byte_is_renamed_and_deleted() {
    let app = spawn_app().await;
    let token = app.token.clone();
    let lead = app.create("CrmLeads", json!({"leads_name": "附件线索"})).await;
    let batch = lead_batch(&app, lead).await;
    let bytes = binary();
    let name = "报价单 2024（终版）.bin";

    let up = upload(&app, &token, &[("batchId", &batch)], Some((name, &bytes))).await;
    assert_eq!(up["code"], 0, "{up}");
    assert!(up.get("data").is_none(), "J9 answers at the top level: {up}");
    assert_eq!(up["batchId"], batch);
    assert_eq!(up["name"], name);
    assert_eq!(up["size"], "0KB", "J9's whole kilobytes of 1000 bytes");
    let file_id = up["fileId"].as_i64().unwrap();
    assert_eq!(up["file_id"], file_id);
    assert_eq!(up["url"], format!("/api/file/downFile?fileId={file_id}"));

    // A picture in the same batch.
    let pic = upload(
        &app,
        &token,
        &[("batchId", &batch), ("type", "img")],
        Some(("头像.png", &png())),
    )
    .await;
    assert_eq!(pic["code"], 0, "{pic}");
    let pic_id = pic["fileId"].as_i64().unwrap();

    let listed = list(&app, &token, &batch).await;
    assert_eq!(listed["code"], 0, "{listed}");
    let files = listed["data"].as_array().unwrap();
    assert_eq!(files.len(), 2, "{listed}");
    let f = &files[0];
    assert_eq!(f["fileId"], file_id);
    assert_eq!(f["name"], name);
    assert_eq!(f["size"], "0KB");
    assert_eq!(f["fileType"], "file");
    assert_eq!(f["batchId"], batch);
    assert_eq!(f["createUserId"], 1);
    assert_eq!(f["createUserName"], "admin");
    assert_eq!(f["filePath"], format!("/api/file/downFile?fileId={file_id}"));
    assert_eq!(f["url"], f["filePath"]);
    assert_eq!(f["createTime"].as_str().unwrap().len(), 19, "{f}");
    assert_eq!(files[1]["fileType"], "img");
    assert_eq!(files[1]["mimeType"], "image/png");

    let (status, headers, body) = download(&app, &token, file_id).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, bytes, "the bytes come back unchanged");
    assert_eq!(headers[header::CONTENT_TYPE], "application/octet-stream");
    let disposition = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.ends_with(
            "filename*=UTF-8''%E6%8A%A5%E4%BB%B7%E5%8D%95%202024%EF%BC%88%E7%BB%88%E7%89%88%EF%BC%89.bin"
        ),
        "{disposition}"
    );
    assert_eq!(headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    let (_, headers, body) = download(&app, &token, pic_id).await;
    assert_eq!(headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(body, png());

    // Rename, in each encoding; the new name is cleaned like an upload's.
    for (enc, new_name) in ENCODINGS
        .into_iter()
        .zip(["合同.bin", "../../改名.bin", "终稿.bin"])
    {
        let body = app
            .send(
                enc,
                "/api/file/renameFileById",
                json!({"fileId": file_id, "name": new_name}),
                Some(&token),
            )
            .await;
        assert_eq!(body["code"], 0, "{enc:?}: {body}");
    }
    let listed = list(&app, &token, &batch).await;
    assert_eq!(listed["data"][0]["name"], "终稿.bin");
    let (_, headers, _) = download(&app, &token, file_id).await;
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .ends_with("UTF-8''%E7%BB%88%E7%A8%BF.bin")
    );
    assert_error(
        &app.post(
            "/api/file/renameFileById",
            json!({"fileId": file_id, "name": " "}),
        )
        .await,
        400,
        "文件名称不能为空",
    );

    // Delete (J9 names the id `id`).
    let body = app.post("/api/file/removeById", json!({"id": file_id})).await;
    assert_eq!(body["code"], 0, "{body}");
    let listed = list(&app, &token, &batch).await;
    assert_eq!(listed["data"].as_array().unwrap().len(), 1);
    assert_error(&refused_download(&app, &token, file_id).await, 500, "文件不存在");
    assert_eq!(files_stored(&app).await, 1);
}

#[tokio::test]
async fn files_uploaded_before_the_record_is_saved_come_with_it() {
    let app = spawn_app().await;
    let (_, token) = salesperson(&app, "clerk1").await;
    let up = upload(&app, &token, &[], Some(("名片.pdf", b"%PDF-1.4 ...".as_slice()))).await;
    assert_eq!(up["code"], 0, "{up}");
    let batch = up["batchId"].as_str().unwrap().to_owned();
    assert_eq!(batch.len(), 32);
    assert!(batch.chars().all(|c| c.is_ascii_hexdigit()));
    // Before the save, the batch is the uploader's alone.
    let listed = list(&app, &token, &batch).await;
    assert_eq!(listed["data"][0]["mimeType"], "application/pdf", "{listed}");
    let (_, other) = salesperson(&app, "clerk2").await;
    assert_error(&list(&app, &other, &batch).await, 401, "无权操作");
    let file_id = up["fileId"].as_i64().unwrap();
    assert_error(&refused_download(&app, &other, file_id).await, 401, "无权操作");
    assert_error(
        &upload(
            &app,
            &other,
            &[("batchId", &batch)],
            Some(("x.txt", b"x".as_slice())),
        )
        .await,
        401,
        "无权操作",
    );
    // Nobody else may make a record of it.
    let stolen = app
        .post_as(
            &other,
            "/api/CrmLeads/addOrUpdate",
            json!({"entity": {"leads_name": "偷", "batchId": batch}}),
        )
        .await;
    assert_error(&stolen, 401, "无权操作");

    let saved = app
        .post_as(
            &token,
            "/api/CrmLeads/addOrUpdate",
            json!({"entity": {"leads_name": "先传后存", "batchId": batch}}),
        )
        .await;
    assert_eq!(saved["code"], 0, "{saved}");
    let lead = saved["data"].as_i64().unwrap();
    assert_eq!(lead_batch(&app, lead).await, batch);
    // Now the record's rights decide: the administrator reads it, the other clerk still not.
    assert_eq!(list(&app, &app.token, &batch).await["data"][0]["fileId"], file_id);
    assert_error(&list(&app, &other, &batch).await, 401, "无权操作");
    // A batch held by a record cannot be claimed by another one.
    let again = app
        .post_as(
            &token,
            "/api/CrmLeads/addOrUpdate",
            json!({"entity": {"leads_name": "重复", "batchId": batch}}),
        )
        .await;
    assert_error(&again, 500, "该附件批次已属于其他记录");
    assert_error(
        &app.post(
            "/api/CrmLeads/addOrUpdate",
            json!({"entity": {"leads_name": "坏批次", "batchId": "../x"}}),
        )
        .await,
        400,
        "batchId格式错误",
    );
}

#[tokio::test]
async fn a_user_who_cannot_read_the_record_cannot_touch_its_files() {
    let app = spawn_app().await;
    let (clerk_id, clerk_token) = salesperson(&app, "clerk").await;
    let admins = app
        .create("CrmLeads", json!({"leads_name": "管理员的线索"}))
        .await;
    let batch = lead_batch(&app, admins).await;
    let up = upload(
        &app,
        &app.token,
        &[("batchId", &batch)],
        Some(("秘密.txt", b"secret".as_slice())),
    )
    .await;
    let file_id = up["fileId"].as_i64().unwrap();
    let (_, _, bytes) = download(&app, &app.token, file_id).await;
    assert_eq!(bytes, b"secret", "the administrator downloads it");

    assert_error(&list(&app, &clerk_token, &batch).await, 401, "无权操作");
    assert_error(
        &refused_download(&app, &clerk_token, file_id).await,
        401,
        "无权操作",
    );
    assert_error(
        &upload(
            &app,
            &clerk_token,
            &[("batchId", &batch)],
            Some(("x.txt", b"x".as_slice())),
        )
        .await,
        401,
        "无权操作",
    );
    assert_error(
        &app.post_as(
            &clerk_token,
            "/api/file/renameFileById",
            json!({"fileId": file_id, "name": "y.txt"}),
        )
        .await,
        401,
        "无权操作",
    );
    assert_error(
        &app.post_as(&clerk_token, "/api/file/removeById", json!({"id": file_id}))
            .await,
        401,
        "无权操作",
    );
    assert_eq!(files_stored(&app).await, 1, "nothing was added or removed");
    assert_eq!(
        list(&app, &app.token, &batch).await["data"][0]["name"],
        "秘密.txt"
    );

    // The clerk's own lead: its files are the clerk's to use.
    let own = app
        .create(
            "CrmLeads",
            json!({"leads_name": "职员的线索", "owner_user_id": clerk_id}),
        )
        .await;
    let own_batch = lead_batch(&app, own).await;
    let up = upload(
        &app,
        &clerk_token,
        &[("batchId", &own_batch)],
        Some(("a.txt", b"a".as_slice())),
    )
    .await;
    assert_eq!(up["code"], 0, "{up}");
    assert_eq!(
        list(&app, &clerk_token, &own_batch).await["data"][0]["createUserId"],
        clerk_id
    );
    // The administrator may change anyone's files.
    let body = app
        .post(
            "/api/file/renameFileById",
            json!({"fileId": up["fileId"], "name": "b.txt"}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
}

#[tokio::test]
async fn read_only_team_members_read_but_do_not_change_a_records_files() {
    let app = spawn_app().await;
    let (clerk_id, clerk_token) = salesperson(&app, "member").await;
    let customer = app
        .create("CrmCustomer", json!({"customer_name": "团队客户"}))
        .await;
    let detail = app
        .post("/api/CrmCustomer/queryById", json!({"customerId": customer}))
        .await;
    let batch = detail["data"]["batchId"].as_str().unwrap().to_owned();
    let up = upload(
        &app,
        &app.token,
        &[("batchId", &batch)],
        Some(("合同.docx", b"PK\x03\x04".as_slice())),
    )
    .await;
    let file_id = up["fileId"].as_i64().unwrap();
    let added = app
        .post(
            "/api/CrmCustomer/addMembers",
            json!({"ids": customer, "memberIds": clerk_id, "power": 1}),
        )
        .await;
    assert_eq!(added["code"], 0, "{added}");

    let listed = list(&app, &clerk_token, &batch).await;
    assert_eq!(listed["data"][0]["fileId"], file_id, "{listed}");
    assert_eq!(
        listed["data"][0]["mimeType"],
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let (_, _, bytes) = download(&app, &clerk_token, file_id).await;
    assert_eq!(bytes, b"PK\x03\x04");
    assert_error(
        &app.post_as(&clerk_token, "/api/file/removeById", json!({"id": file_id}))
            .await,
        401,
        "无权操作",
    );
}

#[tokio::test]
async fn a_file_over_the_limit_is_refused_and_nothing_is_stored() {
    let mut app = spawn_app().await;
    // The request body limit is 1 MiB in these tests; the file limit, 2 MiB, is above it.
    let mut crm = app.crm.clone();
    crm.file_limit = 2 * 1024 * 1024;
    app.app = wkcrm::http::app(crm, 1024 * 1024);
    let token = app.token.clone();

    let big_but_allowed = vec![0xA5u8; 1024 * 1024 + 512 * 1024];
    let up = upload(&app, &token, &[], Some(("大.bin", &big_but_allowed))).await;
    assert_eq!(up["code"], 0, "the body limit does not cut an allowed file: {up}");
    assert_eq!(up["size"], "1572KB");
    let (_, _, bytes) = download(&app, &token, up["fileId"].as_i64().unwrap()).await;
    assert_eq!(bytes.len(), big_but_allowed.len());
    assert_eq!(files_stored(&app).await, 1);

    let too_big = vec![0u8; 2 * 1024 * 1024 + 1];
    let refused = upload(&app, &token, &[], Some(("太大.bin", &too_big))).await;
    assert_error(&refused, 400, "文件大小不能超过2MB");
    // A declared length far over the limit is refused before the body is read.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/file/upload")
        .header("Admin-Token", &token)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::CONTENT_LENGTH, 500 * 1024 * 1024)
        .body(Body::new(Never))
        .unwrap();
    let answer = tokio::time::timeout(Duration::from_secs(5), app.raw(req)).await;
    assert_error(&answer.expect("answered at once").1, 400, "文件大小不能超过2MB");
    assert_eq!(files_stored(&app).await, 1, "nothing more was stored");

    // Other routes keep the body limit.
    let form = Request::builder()
        .method(Method::POST)
        .uri("/api/CrmLeads/queryPageList")
        .header("Admin-Token", &token)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!(
            "search={}",
            "x".repeat(1024 * 1024 + 512 * 1024)
        )))
        .unwrap();
    assert_error(&app.raw(form).await.1, 400, "请求体过大");
}

/// A request body that never sends a byte: only its declared length can be answered.
struct Never;

impl http_body::Body for Never {
    type Data = axum::body::Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        std::task::Poll::Pending
    }
}

#[tokio::test]
async fn an_img_upload_must_be_a_picture() {
    let app = spawn_app().await;
    let token = app.token.clone();
    let refused = upload(
        &app,
        &token,
        &[("type", "img")],
        Some(("伪装.png", b"<html>not a png".as_slice())),
    )
    .await;
    assert_error(&refused, 400, "只能上传图片");
    assert_eq!(files_stored(&app).await, 0);
    for (name, bytes) in [
        ("a.png", png()),
        ("a.jpg", b"\xFF\xD8\xFF\xE0\0\x10JFIF".to_vec()),
        ("a.gif", b"GIF89a\x01\0\x01\0".to_vec()),
        ("a.webp", b"RIFF\x1a\0\0\0WEBPVP8L".to_vec()),
    ] {
        let up = upload(&app, &token, &[("type", "img")], Some((name, &bytes))).await;
        assert_eq!(up["code"], 0, "{name}: {up}");
    }
    assert_error(
        &upload(&app, &token, &[("type", "video")], Some(("a.png", &png()))).await,
        400,
        "type只能为img或file",
    );
}

#[tokio::test]
async fn file_names_lose_their_paths_and_control_characters() {
    let app = spawn_app().await;
    let token = app.token.clone();
    for (given, stored) in [
        ("../../etc/passwd", "passwd"),
        ("..\\..\\windows\\win.ini", "win.ini"),
        ("..", "未命名"),
        ("", "未命名"),
        ("a\tb.txt", "ab.txt"),
    ] {
        let up = upload(&app, &token, &[], Some((given, b"x".as_slice()))).await;
        assert_eq!(up["code"], 0, "{given}: {up}");
        assert_eq!(up["name"], stored, "{given}");
        let (_, headers, _) = download(&app, &token, up["fileId"].as_i64().unwrap()).await;
        let disposition = headers[header::CONTENT_DISPOSITION].to_str().unwrap();
        assert!(
            !disposition.contains('/') && !disposition.contains('\\'),
            "{disposition}"
        );
    }
    let long = format!("{}.pdf", "长".repeat(300));
    let up = upload(&app, &token, &[], Some((&long, b"x".as_slice()))).await;
    let name = up["name"].as_str().unwrap();
    assert_eq!(name.chars().count(), 200);
    assert!(name.ends_with(".pdf"));
}

#[tokio::test]
async fn missing_and_unknown_files_are_answered_clearly() {
    let app = spawn_app().await;
    let token = app.token.clone();
    assert_error(
        &upload(&app, &token, &[("batchId", "abc")], None).await,
        400,
        "请选择要上传的文件",
    );
    // Not multipart at all.
    assert_error(
        &app.post("/api/file/upload", json!({"batchId": "abc"})).await,
        400,
        "请选择要上传的文件",
    );
    assert_error(&refused_download(&app, &token, 987_654).await, 500, "文件不存在");
    assert_error(
        &app.post(
            "/api/file/renameFileById",
            json!({"fileId": 987_654, "name": "x"}),
        )
        .await,
        500,
        "文件不存在",
    );
    assert_error(
        &app.post("/api/file/removeById", json!({"id": 987_654})).await,
        500,
        "文件不存在",
    );
    for path in [
        "/api/file/downFile",
        "/api/file/removeById",
        "/api/file/renameFileById",
    ] {
        assert_error(&app.post(path, json!({})).await, 400, "文件id不能为空");
    }
    // No batch: J9 answers an empty list.
    let listed = app.post("/api/file/queryByBatchId", json!({})).await;
    assert_eq!(listed, json!({"code": 0, "data": []}));
    let listed = list(&app, &token, "0123456789abcdef0123456789abcdef").await;
    assert_eq!(listed, json!({"code": 0, "data": []}));
    // No token: refused before the body is read.
    let (_, body) = app
        .raw(upload_request("nope", &[], Some(("a.txt", b"a".as_slice()))))
        .await;
    assert_error(&body, 302, "请先登录！");
    assert_eq!(files_stored(&app).await, 0);
}

#[tokio::test]
async fn a_deleted_records_files_go_with_it() {
    let app = spawn_app().await;
    let token = app.token.clone();
    let keep = app.create("CrmLeads", json!({"leads_name": "留下"})).await;
    let gone = app.create("CrmLeads", json!({"leads_name": "删除"})).await;
    for lead in [keep, gone] {
        let batch = lead_batch(&app, lead).await;
        for name in ["1.txt", "2.txt"] {
            let up = upload(
                &app,
                &token,
                &[("batchId", &batch)],
                Some((name, b"x".as_slice())),
            )
            .await;
            assert_eq!(up["code"], 0, "{up}");
        }
    }
    assert_eq!(files_stored(&app).await, 4);
    let body = app
        .post("/api/CrmLeads/deleteByIds", json!({"leadsIds": gone}))
        .await;
    assert_eq!(body["code"], 0, "{body}");
    assert_eq!(files_stored(&app).await, 2);
    let batch = lead_batch(&app, keep).await;
    assert_eq!(
        list(&app, &token, &batch).await["data"].as_array().unwrap().len(),
        2
    );
}

#[tokio::test]
async fn a_follow_ups_files_show_on_its_timeline_and_are_its_records() {
    let app = spawn_app().await;
    let (_, clerk_token) = salesperson(&app, "follow_files").await;
    let (zhang, zhang_token) = salesperson(&app, "zhang_ff").await;
    let cust = app
        .create("CrmCustomer", json!({"customer_name": "附件跟进"}))
        .await;
    // The client uploads first (a new batch), then sends the follow-up with that batch.
    let photo = upload(&app, &app.token, &[("type", "img")], Some(("现场.png", &png()))).await;
    let batch = photo["batchId"].as_str().unwrap().to_owned();
    let doc = upload(
        &app,
        &app.token,
        &[("type", "file"), ("batchId", &batch)],
        Some(("纪要.bin", &binary())),
    )
    .await;
    let body = app
        .post(
            "/api/CrmCustomer/addRecord",
            json!({"typesId": cust, "content": "带附件", "category": "上门拜访", "batchId": batch}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    let rows = app
        .post("/api/CrmCustomer/getRecord", json!({"customerId": cust}))
        .await["data"]
        .clone();
    assert_eq!(rows[0]["batchId"], batch.as_str());
    assert_eq!(rows[0]["img"][0]["name"], "现场.png", "{rows}");
    assert_eq!(rows[0]["file"][0]["fileId"], doc["fileId"], "{rows}");
    // Someone who can read the customer reads the follow-up's files; others cannot.
    app.post(
        "/api/CrmCustomer/addMembers",
        json!({"ids": cust, "memberIds": zhang, "power": 1}),
    )
    .await;
    let (status, _, bytes) = download(&app, &zhang_token, doc["fileId"].as_i64().unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(bytes, binary());
    let refused = refused_download(&app, &clerk_token, doc["fileId"].as_i64().unwrap()).await;
    assert_eq!(refused["code"], 401, "{refused}");
    // A batch already held by a follow-up cannot be claimed again.
    let again = app
        .post(
            "/api/CrmCustomer/addRecord",
            json!({"typesId": cust, "content": "抢批次", "category": "打电话", "batchId": batch}),
        )
        .await;
    assert_error(&again, 500, "该附件批次已属于其他记录");
}

#[tokio::test]
async fn a_user_edits_its_own_profile_and_picture() {
    let app = spawn_app().await;
    let (_, token) = salesperson(&app, "profile_clerk").await;
    let body = app
        .post_as(
            &token,
            "/api/system/user/updateUser",
            json!({"realname": "新名字", "email": "me@example.com", "sex": 2}),
        )
        .await;
    assert_eq!(body, json!({"code": 0}));
    let me = app
        .post_as(&token, "/api/system/user/queryLoginUser", json!({}))
        .await;
    assert_eq!(me["data"]["realname"], "新名字", "{me}");
    assert_eq!(me["data"]["email"], "me@example.com");
    assert_eq!(me["data"]["sex"], 2);
    assert_eq!(
        me["data"]["username"], "profile_clerk",
        "the username is not the profile's"
    );
    for (params, msg) in [
        (json!({"email": "not-an-address"}), "邮箱格式错误"),
        (json!({"realname": "名".repeat(51)}), "姓名长度不能超过50个字符"),
        (json!({"sex": 7}), "sex只能为1（男）或2（女）"),
    ] {
        assert_error(
            &app.post_as(&token, "/api/system/user/updateUser", params).await,
            400,
            msg,
        );
    }
    let (status, body) = app
        .raw(multipart_request(
            "/api/system/user/updateImg",
            &token,
            &[],
            Some(("me.png", &png())),
        ))
        .await;
    assert_eq!((status, body), (StatusCode::OK, json!({"code": 0})));
    let me = app
        .post_as(&token, "/api/system/user/queryLoginUser", json!({}))
        .await;
    assert!(me["data"]["img"].as_str().is_some_and(|u| !u.is_empty()), "{me}");
    assert_eq!(me["data"]["realname"], "新名字", "the picture keeps the profile");
    let (_, refused) = app
        .raw(multipart_request(
            "/api/system/user/updateImg",
            &token,
            &[],
            Some(("me.png", b"plain text")),
        ))
        .await;
    assert_eq!(refused["code"], 400, "{refused}");
    // The address book is OA's, the customer analysis BI's: modules wkcrm does not have.
    let book = app
        .post_as(&token, "/api/system/user/queryListName", json!({}))
        .await;
    assert_error(&book, 500, "办公模块未启用");
    let bi = app
        .post_as(&token, "/api/CrmCustomer/getUserCustomerAnalysis", json!({}))
        .await;
    assert_error(&bi, 500, "商业智能模块未启用");
}
