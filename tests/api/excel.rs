//! Spreadsheets: exports (xlsx and CSV, filters, data scope, rights), templates, imports
//! as jobs (progress, result, error workbook, duplicates, bad files, resuming), every
//! fixture made here.

use std::io::Cursor;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use calamine::{Data, Reader, Xls, Xlsx};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::helpers::{TestApp, assert_error, exec_sql, salesperson, scalar, spawn_app};

/// Calls `path` with a JSON body; answers the status, headers and raw body.
async fn fetch(app: &TestApp, token: &str, path: &str, params: Value) -> (StatusCode, HeaderMap, Vec<u8>) {
    let req = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header("Admin-Token", token)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(params.to_string()))
        .unwrap();
    let res = app.app.clone().oneshot(req).await.unwrap();
    let (status, headers) = (res.status(), res.headers().clone());
    let bytes = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, headers, bytes)
}

/// A file download: fails unless the answer is a file.
async fn download(app: &TestApp, token: &str, path: &str, params: Value) -> (HeaderMap, Vec<u8>) {
    let (status, headers, bytes) = fetch(app, token, path, params).await;
    assert_eq!(status, StatusCode::OK);
    let kind = headers[header::CONTENT_TYPE].to_str().unwrap().to_owned();
    assert!(
        !kind.contains("json"),
        "{path}: {}",
        String::from_utf8_lossy(&bytes)
    );
    (headers, bytes)
}

/// A JSON answer from a route that answers files when it succeeds.
async fn refusal(app: &TestApp, token: &str, path: &str, params: Value) -> Value {
    let (status, _, bytes) = fetch(app, token, path, params).await;
    assert_eq!(status, StatusCode::OK);
    serde_json::from_slice(&bytes).unwrap_or_else(|_| panic!("{path} answered a file"))
}

/// `uploadExcel` with a multipart form.
async fn upload(
    app: &TestApp,
    token: &str,
    route: &str,
    name: &str,
    bytes: &[u8],
    fields: &[(&str, &str)],
) -> Value {
    let boundary = "wkcrm-test-boundary";
    let mut body = Vec::new();
    for (k, v) in fields {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes(),
        );
    }
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/{route}/uploadExcel"))
        .header("Admin-Token", token)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    app.raw(req).await.1
}

/// Waits for an import to end (as the J9 dialog does: `queryImportNum` until null), then
/// answers `queryImportInfo`.
async fn finished(app: &TestApp, token: &str, id: i64) -> Value {
    for _ in 0..600 {
        let num = app
            .post_as(
                token,
                "/api/system/message/queryImportNum",
                json!({"messageId": id}),
            )
            .await;
        assert_eq!(num["code"], 0, "{num}");
        if num["data"].is_null() {
            return app
                .post_as(
                    token,
                    "/api/system/message/queryImportInfo",
                    json!({"messageId": id}),
                )
                .await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("import {id} did not end");
}

/// Uploads and waits: the result.
async fn import(app: &TestApp, route: &str, name: &str, bytes: &[u8], fields: &[(&str, &str)]) -> Value {
    let body = upload(app, &app.token, route, name, bytes, fields).await;
    let id = body["data"].as_i64().unwrap_or_else(|| panic!("{body}"));
    finished(app, &app.token, id).await
}

/// `n` leads named `<prefix>00000`, … under a 线索名称 header.
fn many_leads(prefix: &str, n: usize) -> Vec<u8> {
    let names: Vec<String> = (0..n).map(|i| format!("{prefix}{i:05}")).collect();
    let mut rows = vec![vec!["线索名称"]];
    rows.extend(names.iter().map(|name| vec![name.as_str()]));
    xlsx(&rows)
}

fn xlsx(rows: &[Vec<&str>]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if !cell.is_empty() {
                sheet.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

fn sheet_rows(range: calamine::Range<Data>) -> Vec<Vec<String>> {
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

fn read_xlsx(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut book = Xlsx::new(Cursor::new(bytes.to_vec())).expect("an xlsx file");
    let name = book.sheet_names()[0].clone();
    sheet_rows(book.worksheet_range(&name).unwrap())
}

fn column(rows: &[Vec<String>], title: &str) -> Vec<String> {
    let at = rows[0]
        .iter()
        .position(|h| h == title)
        .unwrap_or_else(|| panic!("no column {title} in {:?}", rows[0]));
    rows[1..]
        .iter()
        .map(|r| r.get(at).cloned().unwrap_or_default())
        .collect()
}

async fn lead(app: &TestApp, name: &str, source: &str) -> i64 {
    app.create(
        "CrmLeads",
        json!({"leads_name": name, "mobile": "13800000000", "线索来源": source, "next_time": "2024-05-06 07:08:09"}),
    )
    .await
}

#[tokio::test]
async fn leads_export_as_xlsx_and_csv_with_custom_fields_users_and_dates() {
    let app = spawn_app().await;
    let a = lead(&app, "线索甲", "促销").await;
    let b = lead(&app, "线索乙", "广告").await;
    let (headers, bytes) = download(&app, &app.token, "/api/CrmLeads/allExportExcel", json!({})).await;
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=leads.xlsx"
    );
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    let rows = read_xlsx(&bytes);
    assert_eq!(&rows[0][..3], ["线索名称", "线索来源", "电话"], "catalogue order");
    assert_eq!(column(&rows, "线索名称"), ["线索甲", "线索乙"]);
    assert_eq!(column(&rows, "线索来源"), ["促销", "广告"]);
    assert_eq!(
        column(&rows, "负责人"),
        ["admin", "admin"].map(|_| rows[1][rows[0].iter().position(|h| h == "负责人").unwrap()].clone())
    );
    assert!(!column(&rows, "负责人")[0].is_empty(), "owners by name");
    assert_eq!(column(&rows, "下次联系时间")[0], "2024-05-06 07:08:09");
    assert_eq!(column(&rows, "手机")[0], "13800000000");

    // Only the named ids, by the document's `leadsIds` or J9's `ids`.
    for key in ["leadsIds", "ids"] {
        let (_, bytes) = download(
            &app,
            &app.token,
            "/api/CrmLeads/batchExportExcel",
            json!({ key: b.to_string() }),
        )
        .await;
        assert_eq!(column(&read_xlsx(&bytes), "线索名称"), ["线索乙"], "{key}");
    }
    let (_, bytes) = download(
        &app,
        &app.token,
        "/api/CrmLeads/batchExportExcel",
        json!({"leadsIds": [a, b]}),
    )
    .await;
    assert_eq!(read_xlsx(&bytes).len(), 3);

    // The list's search and `data` conditions apply.
    let (_, bytes) = download(
        &app,
        &app.token,
        "/api/CrmLeads/allExportExcel",
        json!({"search": "线索甲"}),
    )
    .await;
    assert_eq!(column(&read_xlsx(&bytes), "线索名称"), ["线索甲"]);
    let data =
        json!({"线索来源": {"name": "线索来源", "condition": "is", "value": "广告", "formType": "select"}});
    let (_, bytes) = download(
        &app,
        &app.token,
        "/api/CrmLeads/allExportExcel",
        json!({"data": data}),
    )
    .await;
    assert_eq!(column(&read_xlsx(&bytes), "线索名称"), ["线索乙"]);

    // CSV: UTF-8 with a BOM.
    let (headers, bytes) = download(
        &app,
        &app.token,
        "/api/CrmLeads/allExportExcel",
        json!({"format": "csv"}),
    )
    .await;
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=leads.csv"
    );
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("线索名称,线索来源,"), "{text}");
    assert!(text.contains("线索乙,广告,"), "{text}");
}

#[tokio::test]
async fn every_module_exports_and_customers_show_deal_status_and_money_exactly() {
    let app = spawn_app().await;
    let customer = app
        .create("CrmCustomer", json!({"customer_name": "甲公司"}))
        .await;
    let dealt = app
        .create("CrmCustomer", json!({"customer_name": "乙公司"}))
        .await;
    let body = app
        .post(
            "/api/CrmCustomer/setDealStatus",
            json!({"ids": dealt.to_string(), "dealStatus": 1}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    app.create("CrmContacts", json!({"name": "张三", "customer_id": customer}))
        .await;
    app.create(
        "CrmBusiness",
        json!({"business_name": "大单", "customer_id": customer, "money": "1234567.89"}),
    )
    .await;
    let (_, bytes) = download(&app, &app.token, "/api/CrmCustomer/allExportExcel", json!({})).await;
    let rows = read_xlsx(&bytes);
    assert_eq!(column(&rows, "客户名称"), ["甲公司", "乙公司"]);
    assert_eq!(column(&rows, "成交状态"), ["未成交", "已成交"]);
    let (_, bytes) = download(&app, &app.token, "/api/CrmContacts/allExportExcel", json!({})).await;
    let rows = read_xlsx(&bytes);
    assert_eq!(column(&rows, "客户名称"), ["甲公司"], "references by name");
    let (_, bytes) = download(
        &app,
        &app.token,
        "/api/CrmBusiness/allExportExcel",
        json!({"format": "csv"}),
    )
    .await;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    assert!(text.contains("1234567.89"), "{text}");
    let (_, bytes) = download(&app, &app.token, "/api/CrmProduct/allExportExcel", json!({})).await;
    assert_eq!(read_xlsx(&bytes)[0][0], "产品名称");

    // The pool's customers, by the pool's own routes.
    let body = app
        .post(
            "/api/CrmCustomer/updateCustomerByIds",
            json!({"ids": customer.to_string()}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    let (headers, bytes) = download(&app, &app.token, "/api/CrmCustomer/poolAllExportExcel", json!({})).await;
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=pool.xlsx"
    );
    assert_eq!(column(&read_xlsx(&bytes), "客户名称"), ["甲公司"]);
    let (_, bytes) = download(&app, &app.token, "/api/CrmCustomer/allExportExcel", json!({})).await;
    assert_eq!(column(&read_xlsx(&bytes), "客户名称"), ["乙公司"]);
    let (_, bytes) = download(
        &app,
        &app.token,
        "/api/CrmCustomer/poolBatchExportExcel",
        json!({"ids": format!("{customer},{dealt}")}),
    )
    .await;
    assert_eq!(
        column(&read_xlsx(&bytes), "客户名称"),
        ["甲公司"],
        "only pool customers"
    );
}

#[tokio::test]
async fn a_salesperson_exports_only_its_own_and_needs_the_rights() {
    let app = spawn_app().await;
    lead(&app, "管理员的线索", "促销").await;
    let (_, token) = salesperson(&app, "xiaowang").await;
    let body = app
        .post_as(
            &token,
            "/api/CrmLeads/addOrUpdate",
            json!({"entity": {"leads_name": "小王的线索"}}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    let (_, bytes) = download(&app, &token, "/api/CrmLeads/allExportExcel", json!({})).await;
    assert_eq!(column(&read_xlsx(&bytes), "线索名称"), ["小王的线索"]);
    let admins = scalar(&app, "SELECT MIN(leads_id) FROM crm_leads").await;
    let (_, bytes) = download(
        &app,
        &token,
        "/api/CrmLeads/batchExportExcel",
        json!({"leadsIds": admins}),
    )
    .await;
    assert_eq!(read_xlsx(&bytes).len(), 1, "out of reach: header only");

    // 销售员 may not import (the seeded role lacks 导入), nor export without 导出.
    let file = xlsx(&[vec!["线索名称"], vec!["x"]]);
    let body = upload(&app, &token, "CrmLeads", "a.xlsx", &file, &[]).await;
    assert_eq!(body["code"], 401, "{body}");
    exec_sql(
        &app,
        "DELETE FROM admin_role_menu WHERE role_id = 3 AND menu_id IN (SELECT menu_id FROM admin_menu WHERE realm = 'excelexport')",
    )
    .await;
    let body = refusal(&app, &token, "/api/CrmLeads/allExportExcel", json!({})).await;
    assert_eq!(body["code"], 401, "{body}");
    let body = refusal(&app, &token, "/api/CrmCustomer/poolAllExportExcel", json!({})).await;
    assert_eq!(body["code"], 401, "{body}");
}

#[tokio::test]
async fn templates_have_a_title_row_required_markers_and_no_untyped_fields() {
    let app = spawn_app().await;
    for (route, first) in [
        ("CrmLeads", "线索名称(*)"),
        ("CrmCustomer", "客户名称(*)"),
        ("CrmContacts", "姓名(*)"),
        ("CrmBusiness", "商机名称(*)"),
        ("CrmProduct", "产品名称(*)"),
    ] {
        let (headers, bytes) = download(
            &app,
            &app.token,
            &format!("/api/{route}/downloadExcel"),
            json!({}),
        )
        .await;
        assert!(
            headers[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .ends_with("_template.xlsx")
        );
        let rows = read_xlsx(&bytes);
        assert!(rows[0][0].contains("导入模板"), "{route}: {:?}", rows[0]);
        assert_eq!(rows[1][0], first, "{route}");
        assert!(
            !rows[1]
                .iter()
                .any(|h| h.contains("负责人") || h.contains("创建时间")),
            "{route}"
        );
    }
    // The select fields get drop-down lists.
    let (_, bytes) = download(&app, &app.token, "/api/CrmLeads/downloadExcel", json!({})).await;
    let sheet = zip_member(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("<dataValidation"), "{sheet}");
    assert!(sheet.contains("促销,搜索引擎"), "{sheet}");
}

/// One member of an xlsx (a zip), as text.
fn zip_member(bytes: &[u8], member: &str) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).unwrap();
    let mut file = archive.by_name(member).unwrap();
    let mut text = String::new();
    file.read_to_string(&mut text).unwrap();
    text
}

#[tokio::test]
async fn exported_records_import_back_identical_custom_fields_included() {
    let app = spawn_app().await;
    let field = app
        .post(
            "/api/field/addField",
            json!({"label": 1, "name": "预算", "formType": "floatnumber"}),
        )
        .await;
    assert_eq!(field["code"], 0, "{field}");
    for (name, source, budget) in [("线索一", "促销", "1200.5"), ("线索二", "广告", "88")] {
        app.create(
            "CrmLeads",
            json!({"leads_name": name, "mobile": "13800000001", "线索来源": source, "预算": budget,
                   "next_time": "2024-01-02 03:04:05", "remark": "多行\n备注"}),
        )
        .await;
    }
    let (_, bytes) = download(&app, &app.token, "/api/CrmLeads/allExportExcel", json!({})).await;
    let before = read_xlsx(&bytes);
    exec_sql(&app, "DELETE FROM crm_leads").await;
    let info = import(&app, "CrmLeads", "leads.xlsx", &bytes, &[("repeatHandling", "1")]).await;
    assert_eq!(info["code"], 0, "{info}");
    assert_eq!(info["totalSize"], 2, "{info}");
    assert_eq!(info["errSize"], 0, "{info}");
    assert_eq!(info["data"]["status"], "finished", "{info}");
    let (_, again) = download(&app, &app.token, "/api/CrmLeads/allExportExcel", json!({})).await;
    let after = read_xlsx(&again);
    for title in [
        "线索名称",
        "线索来源",
        "预算",
        "手机",
        "下次联系时间",
        "备注",
        "负责人",
    ] {
        assert_eq!(column(&after, title), column(&before, title), "{title}");
    }
}

#[tokio::test]
async fn refused_rows_come_back_with_their_reasons_and_the_rest_is_imported() {
    let app = spawn_app().await;
    let file = xlsx(&[
        vec!["线索导入模板（标(*)的为必填项）"],
        vec!["线索名称(*)", "手机", "线索来源", "下次联系时间", "不认识的列"],
        vec!["好线索", "13900000000", "促销", "2024-03-04", "x"],
        vec!["", "13900000001", "", "", ""],
        vec!["坏手机", "abc", "", "", ""],
        vec!["坏来源", "", "", "明天", ""],
    ]);
    let info = import(&app, "CrmLeads", "leads.xlsx", &file, &[]).await;
    assert_eq!(info["totalSize"], 4, "{info}");
    assert_eq!(info["errSize"], 3, "{info}");
    assert_eq!(info["data"]["imported"], 1, "{info}");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM crm_leads").await, 1);
    let id = info["data"]["importId"].as_i64().unwrap();
    let (headers, bytes) = download(
        &app,
        &app.token,
        "/api/system/message/downImportError",
        json!({"messageId": id}),
    )
    .await;
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=import_error.xlsx"
    );
    let rows = read_xlsx(&bytes);
    assert_eq!(rows[0][..3], ["错误原因", "线索名称(*)", "手机"]);
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[1][0], "线索名称不能为空");
    assert_eq!(rows[1][2], "13900000001", "the row as uploaded");
    assert!(rows[2][0].contains("手机格式错误"), "{:?}", rows[2]);
    assert!(rows[3][0].contains("日期格式错误"), "{:?}", rows[3]);

    // Someone else's job is not reported to a salesperson.
    let (_, token) = salesperson(&app, "xiaoli").await;
    let body = app
        .post_as(
            &token,
            "/api/system/message/queryImportInfo",
            json!({"messageId": id}),
        )
        .await;
    assert_eq!(body["code"], 401, "{body}");
}

#[tokio::test]
async fn duplicates_are_overwritten_or_skipped_by_the_unique_fields() {
    let app = spawn_app().await;
    app.create(
        "CrmCustomer",
        json!({"customer_name": "老客户", "mobile": "13000000000"}),
    )
    .await;
    let file = xlsx(&[
        vec!["客户名称", "手机"],
        vec!["老客户", "13100000000"],
        vec!["新客户", "13200000000"],
        vec!["新客户", "13300000000"],
    ]);
    let user = app.add_user("owner1", "负责人一").await.to_string();
    let count = |cond: &str| {
        let sql = format!("SELECT COUNT(*) FROM crm_customer WHERE {cond}");
        let app = &app;
        async move { scalar(app, &sql).await }
    };
    let with = |repeat| [("repeatHandling", repeat), ("ownerUserId", user.as_str())];
    let info = import(&app, "CrmCustomer", "c.xlsx", &file, &with("2")).await;
    assert_eq!(info["data"]["skipped"], 2, "{info}");
    assert_eq!(info["data"]["imported"], 1, "{info}");
    assert_eq!(count("mobile = '13000000000'").await, 1, "skipped: unchanged");
    let info = import(&app, "CrmCustomer", "c.xlsx", &file, &with("1")).await;
    assert_eq!(info["data"]["updated"], 3, "{info}");
    assert_eq!(count("1 = 1").await, 2);
    assert_eq!(
        count("mobile IN ('13100000000', '13300000000')").await,
        2,
        "overwritten, the file's last row winning"
    );
    assert_eq!(
        count(&format!("owner_user_id = {user}")).await,
        1,
        "new records get the owner"
    );

    // Without an owner, imported customers go to the pool.
    let file = xlsx(&[vec!["客户名称"], vec!["公海客户"]]);
    let info = import(&app, "CrmCustomer", "p.xlsx", &file, &[]).await;
    assert_eq!(info["data"]["imported"], 1, "{info}");
    assert_eq!(
        scalar(
            &app,
            "SELECT COUNT(*) FROM crm_customer WHERE customer_name = '公海客户' AND owner_user_id IS NULL"
        )
        .await,
        1
    );
}

#[tokio::test]
async fn csv_in_utf8_with_or_without_bom_and_gbk_and_references_by_name() {
    let app = spawn_app().await;
    app.create("CrmCustomer", json!({"customer_name": "甲公司"}))
        .await;
    let text = "姓名*,客户名称 (*),手机\n张三,甲公司,13800000000\n李四,没有的公司,\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend(text.as_bytes());
    for (name, bytes) in [
        ("a.csv", text.as_bytes().to_vec()),
        ("b.csv", bom),
        ("c.csv", gbk.into_owned()),
    ] {
        let info = import(&app, "CrmContacts", name, &bytes, &[]).await;
        assert_eq!(info["totalSize"], 2, "{name}: {info}");
        assert_eq!(info["errSize"], 1, "{name}: {info}");
    }
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM crm_contacts WHERE name = '张三'").await,
        3
    );
    let id = scalar(&app, "SELECT MAX(import_id) FROM crm_import").await;
    let (_, bytes) = download(
        &app,
        &app.token,
        "/api/system/message/downImportError",
        json!({"messageId": id}),
    )
    .await;
    assert_eq!(read_xlsx(&bytes)[1][0], "客户名称不存在：没有的公司");
}

#[tokio::test]
async fn numbers_dates_formulas_merged_cells_and_sheets_read_sensibly() {
    let app = spawn_app().await;
    app.post(
        "/api/field/addField",
        json!({"label": 1, "name": "人数", "formType": "number"}),
    )
    .await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let hidden = book.add_worksheet();
    hidden.set_name("隐藏").unwrap();
    hidden.write_string(0, 0, "线索名称").unwrap();
    hidden.write_string(1, 0, "不该读").unwrap();
    hidden.set_hidden(true);
    let sheet = book.add_worksheet();
    // The first sheet may be hidden once another is the active one.
    sheet.set_active(true);
    let merged = rust_xlsxwriter::Format::new();
    sheet.merge_range(0, 0, 0, 3, "标题行", &merged).unwrap();
    for (c, h) in ["线索名称", "下次联系时间", "人数", "手机"].iter().enumerate() {
        sheet.write_string(1, c as u16, *h).unwrap();
    }
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd hh:mm");
    sheet.write_string(2, 0, "公式线索").unwrap();
    sheet
        .write_datetime_with_format(
            2,
            1,
            rust_xlsxwriter::ExcelDateTime::parse_from_str("2024-02-03 04:05:00").unwrap(),
            &date,
        )
        .unwrap();
    sheet
        .write_formula(
            2,
            2,
            rust_xlsxwriter::Formula::new("=1000+234").set_result("1234"),
        )
        .unwrap();
    sheet.write_number(2, 3, 13800000000.0).unwrap();
    sheet.write_string(3, 0, "千分位").unwrap();
    sheet.write_string(3, 2, "1,234").unwrap();
    sheet.write_string(3, 1, "2024/02/03").unwrap();
    let long = "长".repeat(32_767);
    sheet.write_string(4, 0, &long).unwrap();
    sheet.write_string(4, 199, "第200列").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let info = import(&app, "CrmLeads", "x.xlsx", &bytes, &[]).await;
    assert_eq!(info["totalSize"], 3, "{info}");
    assert_eq!(info["errSize"], 1, "the cell too long for 线索名称: {info}");
    let page = app.list("CrmLeads", json!({"search": "公式线索"})).await;
    let row = &page["list"][0];
    assert_eq!(row["nextTime"], "2024-02-03 04:05:00", "{row}");
    assert_eq!(row["人数"], 1234, "the formula's cached value: {row}");
    assert_eq!(row["mobile"], "13800000000", "{row}");
    let page = app.list("CrmLeads", json!({"search": "千分位"})).await;
    assert_eq!(page["list"][0]["人数"], 1234);
    assert_eq!(page["list"][0]["nextTime"], "2024-02-03 00:00:00");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM crm_leads WHERE leads_name = '不该读'").await,
        0
    );
}

#[tokio::test]
async fn bad_files_are_refused_with_a_clear_message() {
    let app = spawn_app().await;
    let token = app.token.clone();
    let cases: [(&str, Vec<u8>, &str); 6] = [
        (
            "a.pdf",
            b"%PDF-1.4\x00\x01binary".to_vec(),
            "文件格式错误：请上传.xlsx、.xls或.csv文件",
        ),
        ("a.xlsx", Vec::new(), "文件为空"),
        (
            "a.xlsx",
            b"PK\x03\x04broken zip".to_vec(),
            "文件无法读取：不是有效的Excel文件或已损坏",
        ),
        (
            "a.xlsx",
            xlsx(&[vec!["线索名称", "手机"]]),
            "文件中只有表头，没有数据行",
        ),
        (
            "a.xlsx",
            xlsx(&[vec!["甲", "乙"], vec!["丙"], vec!["丁"], vec!["戊"]]),
            "未找到表头：前几行应有字段名称，请使用导入模板",
        ),
        ("a.csv", b" \n".to_vec(), "文件为空"),
    ];
    for (name, bytes, msg) in cases {
        let body = upload(&app, &token, "CrmLeads", name, &bytes, &[]).await;
        assert_error(&body, 400, msg);
    }
    // A 300 KB cell is cut at Excel's 32,767 characters and refused by the field's bound.
    let huge = format!("线索名称\n{}\n", "x".repeat(300_000));
    let info = import(&app, "CrmLeads", "huge.csv", huge.as_bytes(), &[]).await;
    assert_eq!(info["errSize"], 1, "{info}");
    let one = xlsx(&[vec!["线索名称"], vec!["x"]]);
    let one_lead = |fields: &'static [(&'static str, &'static str)]| {
        upload(&app, &token, "CrmLeads", "a.xlsx", &one, fields)
    };
    let body = upload(&app, &token, "CrmLeads", "a.xls", &OLE_GARBAGE, &[]).await;
    assert_eq!(body["code"], 400, "{body}");
    let body = one_lead(&[("repeatHandling", "3")]).await;
    assert_error(&body, 400, "repeatHandling应为1（覆盖）或2（跳过）");
    let body = one_lead(&[("ownerUserId", "99999")]).await;
    assert_eq!(body["code"], 500, "{body}");
    let body = app
        .post("/api/system/message/queryImportNum", json!({"messageId": 424242}))
        .await;
    assert_error(&body, 500, "导入记录不存在");
    let body = refusal(&app, &token, "/api/CrmLeads/batchExportExcel", json!({})).await;
    assert_eq!(body["code"], 400, "{body}");
    let body = refusal(
        &app,
        &token,
        "/api/CrmLeads/allExportExcel",
        json!({"format": "pdf"}),
    )
    .await;
    assert_error(&body, 400, "format应为xlsx或csv");
}

/// A password-protected workbook as Excel writes one (an OLE container with the
/// `EncryptionInfo` and `EncryptedPackage` streams), refused at upload with a clear message.
/// `tests/fixtures/encrypted.xlsx` is a 3-lead `wkcrm export leads` encrypted with
/// msoffcrypto-tool 6.1.0 (`msoffcrypto-tool -e -p 123456 plain.xlsx encrypted.xlsx`,
/// ECMA-376 agile encryption, as Excel 2010 and later write it).
#[tokio::test]
async fn a_password_protected_workbook_is_refused_in_chinese() {
    let app = spawn_app().await;
    let bytes = include_bytes!("../fixtures/encrypted.xlsx");
    for name in ["secret.xlsx", "secret.xls"] {
        let body = upload(&app, &app.token, "CrmLeads", name, bytes, &[]).await;
        assert_error(&body, 400, "文件已加密，请取消密码保护后再导入");
    }
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM crm_import").await, 0);
}

/// An OLE header with nothing valid after it.
const OLE_GARBAGE: [u8; 16] = [
    0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 1, 2, 3, 4, 5, 6, 7, 8,
];

#[tokio::test]
async fn a_job_taken_over_midway_finishes_once_without_duplicates() {
    let app = spawn_app().await;
    let file = many_leads("批量", 2500);
    let body = upload(&app, &app.token, "CrmLeads", "big.xlsx", &file, &[]).await;
    let id = body["data"].as_i64().unwrap();
    // Another (dead) worker takes the job over at once: this one stops at its next batch,
    // which it rolls back; the job then looks abandoned and a second instance resumes it.
    exec_sql(
        &app,
        &format!(
            "UPDATE crm_import SET worker = 'dead', heartbeat = '2000-01-01 00:00:00' WHERE import_id = {id}"
        ),
    )
    .await;
    let second = app.second_instance().await;
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    assert!(second.crm.resume_imports().await.unwrap() <= 1);
    let info = finished(&second, &second.token, id).await;
    assert_eq!(info["totalSize"], 2500, "{info}");
    assert_eq!(info["errSize"], 0, "{info}");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM crm_leads").await, 2500);
    assert_eq!(
        scalar(&app, "SELECT COUNT(DISTINCT leads_name) FROM crm_leads").await,
        2500,
        "no row twice"
    );
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM crm_import_file").await,
        0,
        "a finished job's file goes"
    );
}

#[tokio::test]
async fn a_cancelled_job_keeps_its_committed_batches_only() {
    let app = spawn_app().await;
    let body = upload(
        &app,
        &app.token,
        "CrmLeads",
        "big.xlsx",
        &many_leads("取消", 3000),
        &[],
    )
    .await;
    let id = body["data"].as_i64().unwrap();
    let body = app
        .post("/api/system/message/stopImport", json!({"messageId": id}))
        .await;
    assert_eq!(body["code"], 0, "{body}");
    let info = finished(&app, &app.token, id).await;
    assert_eq!(info["data"]["status"], "cancelled", "{info}");
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM crm_import_file").await,
        0,
        "a cancelled job's file goes"
    );
    let done = info["data"]["done"].as_i64().unwrap();
    assert_eq!(
        scalar(&app, "SELECT COUNT(*) FROM crm_leads").await,
        done,
        "{info}"
    );
    assert_eq!(done % 2000, 0, "whole batches: {info}");
}

#[tokio::test]
async fn the_committed_xls_fixture_reads_as_biff8() {
    let bytes = include_bytes!("../fixtures/leads.xls");
    let mut book = Xls::new(Cursor::new(bytes.to_vec())).expect("a BIFF8 file");
    let name = book.sheet_names()[0].clone();
    let rows = sheet_rows(book.worksheet_range(&name).unwrap());
    assert_eq!(rows[0][0], "线索名称");
    let app = spawn_app().await;
    let info = import(&app, "CrmLeads", "leads.xls", bytes, &[]).await;
    assert_eq!(info["errSize"], 0, "{info}");
    assert_eq!(info["totalSize"], (rows.len() - 1) as i64, "{info}");
    let page = app.list("CrmLeads", json!({"search": &rows[1][0]})).await;
    assert_eq!(page["totalRow"], 1, "{page}");
}

/// `WKCRM_LARGE_TESTS=1`: 100,000 leads out and back in.
#[tokio::test]
async fn large_files_round_trip() {
    if std::env::var_os("WKCRM_LARGE_TESTS").is_none() {
        return;
    }
    let mut app = spawn_app().await;
    app.app = wkcrm::http::app(app.crm.clone(), 200 << 20);
    let n = 100_000;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory().unwrap();
    for (c, h) in ["线索名称", "手机", "线索来源"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for i in 1..=n {
        sheet.write_string(i, 0, format!("大线索{i}")).unwrap();
        sheet.write_string(i, 1, "13800000000").unwrap();
        sheet.write_string(i, 2, "促销").unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let info = import(&app, "CrmLeads", "big.xlsx", &bytes, &[]).await;
    assert_eq!(info["totalSize"], n, "{info}");
    let (_, out) = download(&app, &app.token, "/api/CrmLeads/allExportExcel", json!({})).await;
    assert_eq!(read_xlsx(&out).len(), n as usize + 1);
}

/// An export reads in batches of 1,000 by id: exactly two batches, and then one record
/// more, come out whole, each record once and in id order.
#[tokio::test]
async fn an_export_over_several_batches_has_every_record_once_in_order() {
    let app = spawn_app().await;
    let info = import(&app, "CrmLeads", "two.xlsx", &many_leads("分批", 2000), &[]).await;
    assert_eq!(info["errSize"], 0, "{info}");
    let names = |n: usize| (0..n).map(|i| format!("分批{i:05}")).collect::<Vec<_>>();
    let (_, out) = download(&app, &app.token, "/api/CrmLeads/allExportExcel", json!({})).await;
    assert_eq!(column(&read_xlsx(&out), "线索名称"), names(2000));
    lead(&app, "分批02000", "促销").await;
    let (_, out) = download(&app, &app.token, "/api/CrmLeads/allExportExcel", json!({})).await;
    assert_eq!(column(&read_xlsx(&out), "线索名称"), names(2001));
}

/// The command line's progress bar takes an `.xlsx` sheet's declared size (its
/// `dimension`) instead of reading the file through; other files are counted.
#[tokio::test]
async fn the_row_estimate_is_the_sheets_declared_size_else_a_count() {
    // The declared size spans the empty second row, which a count skips.
    let file = xlsx(&[vec!["线索名称"], vec![""], vec!["甲"]]);
    assert_eq!(wkcrm::crm::excel::count_rows("a.xlsx", &file).unwrap(), 2);
    assert_eq!(wkcrm::crm::excel::estimate_rows("a.xlsx", &file).unwrap(), 3);
    let csv = "线索名称\n甲\n\n乙\n";
    assert_eq!(
        wkcrm::crm::excel::estimate_rows("a.csv", csv.as_bytes()).unwrap(),
        3
    );
}

/// `WKCRM_LARGE_TESTS=1`: a sheet with Excel's most rows (1,048,576, the header among
/// them) is read through to its end by the streaming reader the import uses, in flat
/// memory, and its upload is taken as a job like any other.
#[tokio::test]
async fn a_sheet_with_excels_most_rows_reads_without_exhausting_memory() {
    if std::env::var_os("WKCRM_LARGE_TESTS").is_none() {
        return;
    }
    const MAX_ROWS: u32 = 1_048_576;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet_with_constant_memory().unwrap();
    sheet.write_string(0, 0, "线索名称").unwrap();
    for r in 1..MAX_ROWS {
        sheet.write_number(r, 0, f64::from(r)).unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let peak_before = peak_rss_kb();
    assert_eq!(
        wkcrm::crm::excel::count_rows("max.xlsx", &bytes).unwrap(),
        u64::from(MAX_ROWS)
    );
    let grown = peak_rss_kb().saturating_sub(peak_before);
    assert!(grown < 100 * 1024, "reading grew the peak RSS by {grown} KB");
    let mut app = spawn_app().await;
    app.app = wkcrm::http::app(app.crm.clone(), 200 << 20);
    let body = upload(&app, &app.token, "CrmLeads", "max.xlsx", &bytes, &[]).await;
    let id = body["data"].as_i64().unwrap_or_else(|| panic!("{body}"));
    let body = app
        .post("/api/system/message/stopImport", json!({"messageId": id}))
        .await;
    assert_eq!(body["code"], 0, "{body}");
}

/// This process's peak resident memory so far (`VmHWM`), in KB.
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn customers_without_an_owner_are_imported_into_the_named_pool() {
    let app = spawn_app().await;
    let (clerk, _) = salesperson(&app, "excel_pool_clerk").await;
    let pool = app
        .post(
            "/api/crmCustomerPool/setCustomerPool",
            json!({"poolName": "导入公海", "adminUserId": "1", "memberUserId": clerk.to_string(), "rule": [], "field": []}),
        )
        .await["data"]
        .as_i64()
        .unwrap();
    let file = "客户名称\n导入公海客户甲\n导入公海客户乙\n".as_bytes();
    let result = import(
        &app,
        "CrmCustomer",
        "pool.csv",
        file,
        &[("poolId", &pool.to_string())],
    )
    .await;
    assert_eq!(result["code"], 0, "{result}");
    let in_pool = scalar(
        &app,
        &format!("SELECT COUNT(*) FROM crm_customer WHERE owner_user_id IS NULL AND pool_id = {pool}"),
    )
    .await;
    assert_eq!(in_pool, 2);
    // The pool's export names the pool; a stopped or unknown pool refuses the upload.
    let (_, bytes) = download(
        &app,
        &app.token,
        "/api/CrmCustomer/poolAllExportExcel",
        json!({"poolId": pool, "format": "csv"}),
    )
    .await;
    assert!(String::from_utf8_lossy(&bytes).contains("导入公海客户乙"));
    let refused = upload(
        &app,
        &app.token,
        "CrmCustomer",
        "pool.csv",
        file,
        &[("poolId", "999")],
    )
    .await;
    assert_eq!(refused["msg"], "公海不存在", "{refused}");
    let refused = upload(&app, &app.token, "CrmLeads", "pool.csv", file, &[("poolId", "1")]).await;
    assert_eq!(refused["msg"], "只有客户有公海", "{refused}");
}

/// `n` customer names `并发客户<from>`… under a 客户名称 header (a unique field).
fn customers_from(from: usize, n: usize) -> Vec<u8> {
    let names: Vec<String> = (from..from + n).map(|i| format!("并发客户{i:05}")).collect();
    let mut rows = vec![vec!["客户名称"]];
    rows.extend(names.iter().map(|name| vec![name.as_str()]));
    xlsx(&rows)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn parallel_imports_on_two_instances_take_each_unique_value_once() {
    let app = spawn_app().await;
    let second = app.second_instance().await;
    let owner = app
        .add_user("excel_parallel_owner", "并发负责人")
        .await
        .to_string();
    let fields = [("repeatHandling", "2"), ("ownerUserId", owner.as_str())];
    // 3,000 names each, 1,500 of them in both files, in batches that overlap in time;
    // meanwhile the API creates one of the shared names too.
    let (first, other) = (customers_from(0, 3000), customers_from(1500, 3000));
    let (a, b, made) = tokio::join!(
        upload(&app, &app.token, "CrmCustomer", "a.xlsx", &first, &fields),
        upload(&second, &second.token, "CrmCustomer", "b.xlsx", &other, &fields),
        second.post(
            "/api/CrmCustomer/addOrUpdate",
            json!({"entity": {"customer_name": "并发客户02000"}})
        ),
    );
    let (a, b) = (a["data"].as_i64().unwrap(), b["data"].as_i64().unwrap());
    let (a, b) = tokio::join!(finished(&app, &app.token, a), finished(&second, &second.token, b));
    let count = |of: &Value, key: &str| of["data"][key].as_i64().unwrap_or_else(|| panic!("{of}"));
    let by_api = i64::from(made["code"] == 0);
    assert!(
        by_api == 1 || made["msg"].as_str().unwrap_or_default().contains("客户名称"),
        "the API's create either succeeds or meets the import's name: {made}"
    );
    assert_eq!(
        count(&a, "imported") + count(&b, "imported") + by_api,
        4500,
        "{a} {b} {made}"
    );
    assert_eq!(
        count(&a, "skipped") + count(&b, "skipped"),
        1500 + by_api,
        "{a} {b}"
    );
    assert_eq!(count(&a, "errors") + count(&b, "errors"), 0, "{a} {b}");
    assert_eq!(scalar(&app, "SELECT COUNT(*) FROM crm_customer").await, 4500);
    assert_eq!(
        scalar(&app, "SELECT COUNT(DISTINCT customer_name) FROM crm_customer").await,
        4500,
        "no name twice"
    );
}
