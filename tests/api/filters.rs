//! The filter language against an in-memory evaluation of the same conditions over the same
//! records, for every operator on system and custom fields of each form type.

use proptest::prelude::*;
use serde_json::{Value, json};

use crate::helpers::*;

/// How a field compares, as the evaluator sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Flavour {
    Text,
    Number,
    Float,
    Date,
    Instant,
    Checkbox,
    /// User or department ids: conditions mean any of them.
    Ids,
}

/// A field under test: its request name, how it compares, whether it is custom.
#[derive(Clone, Copy, Debug)]
struct F {
    name: &'static str,
    flavour: Flavour,
    custom: bool,
}

const fn f(name: &'static str, flavour: Flavour, custom: bool) -> F {
    F {
        name,
        flavour,
        custom,
    }
}

const FIELDS: [F; 12] = [
    f("leads_name", Flavour::Text, false),
    f("mobile", Flavour::Text, false),
    f("next_time", Flavour::Instant, false),
    f("is_transform", Flavour::Number, false),
    f("备注2", Flavour::Text, true),
    f("选项", Flavour::Text, true),
    f("数量", Flavour::Number, true),
    f("日期", Flavour::Date, true),
    f("标签", Flavour::Checkbox, true),
    f("金额", Flavour::Float, true),
    f("时刻", Flavour::Instant, true),
    f("协作人", Flavour::Ids, true),
];

/// The custom fields and their definitions.
const CUSTOM: [(&str, &str, &str); 8] = [
    ("备注2", "text", ""),
    ("选项", "select", "A,B,C"),
    ("数量", "number", ""),
    ("日期", "date", ""),
    ("标签", "checkbox", "x,y,z"),
    ("金额", "floatnumber", ""),
    ("时刻", "datetime", ""),
    ("协作人", "user", ""),
];

/// The values records take.
fn domain(name: &str) -> &'static [&'static str] {
    match name {
        "leads_name" => &["甲公司", "乙甲", "丙1", "1甲", "丁"],
        "mobile" => &["13800000001", "13900000002", "13800000003"],
        "next_time" | "时刻" => &[
            "2020-01-01 08:00:00",
            "2020-01-01 23:30:00",
            "2020-01-02 00:10:00",
            "2020-01-03 12:00:00",
        ],
        "is_transform" => &["0", "1"],
        "备注2" => &["甲", "乙甲", "丙"],
        "选项" => &["A", "B", "C"],
        "数量" => &["1", "2", "3", "4"],
        "日期" => &["2020-01-01", "2020-01-02", "2020-01-05"],
        "金额" => &["0.5", "1.5", "2", "10"],
        "协作人" => &["2", "3", "4"],
        _ => &["x", "y", "z"],
    }
}

/// The values conditions use.
fn needles(name: &str) -> &'static [&'static str] {
    match name {
        "leads_name" => &["甲", "乙", "1", "丁", "甲公司"],
        "mobile" => &["138", "0001", "139", "2", "13900000002"],
        "备注2" => &["甲", "乙", "丙"],
        "next_time" | "时刻" => &[
            "2020-01-01 00:00:00",
            "2020-01-01 23:59:59",
            "2020-01-02",
            "2020-01-03 12:00:00",
        ],
        "日期" => &["2020-01-01", "2020-01-02", "2020-01-04"],
        other => domain(other),
    }
}

fn ops(flavour: Flavour) -> &'static [&'static str] {
    match flavour {
        Flavour::Text => &[
            "is",
            "isNot",
            "contains",
            "notContains",
            "startWith",
            "endWith",
            "isNull",
            "isNotNull",
            "in",
        ],
        Flavour::Number | Flavour::Float => &[
            "is",
            "isNot",
            "gt",
            "egt",
            "lt",
            "elt",
            "in",
            "isNull",
            "isNotNull",
        ],
        Flavour::Date | Flavour::Instant => &["range", "gt", "egt", "lt", "elt", "isNull", "isNotNull"],
        Flavour::Checkbox => &["is", "contains", "notContains", "isNull", "isNotNull"],
        Flavour::Ids => &["is", "in", "contains", "notContains", "isNull", "isNotNull"],
    }
}

fn is_list(f: &F) -> bool {
    matches!(f.flavour, Flavour::Checkbox | Flavour::Ids)
}

/// One record: for each field, its value (lists: a subset), or none.
type Rec = Vec<Option<Vec<&'static str>>>;

#[derive(Clone, Debug)]
struct Cond {
    field: usize,
    op: &'static str,
    values: Vec<&'static str>,
}

fn record() -> impl Strategy<Value = Rec> {
    FIELDS
        .iter()
        .map(|f| {
            let d = domain(f.name);
            let always = f.name == "leads_name" || f.name == "is_transform";
            let value = if is_list(f) {
                proptest::sample::subsequence(d, 0..=d.len())
                    .prop_map(Some)
                    .boxed()
            } else {
                proptest::sample::select(d).prop_map(|v| Some(vec![v])).boxed()
            };
            if always {
                value
            } else {
                prop_oneof![Just(None), value].boxed()
            }
        })
        .collect::<Vec<_>>()
}

fn condition() -> impl Strategy<Value = Cond> {
    (0..FIELDS.len()).prop_flat_map(|field| {
        let f = FIELDS[field];
        let n = needles(f.name);
        (
            proptest::sample::select(ops(f.flavour)),
            proptest::sample::subsequence(n, 1..=2.min(n.len())),
        )
            .prop_map(move |(op, values)| Cond { field, op, values })
    })
}

fn cmp(flavour: Flavour, a: &str, b: &str) -> std::cmp::Ordering {
    match flavour {
        Flavour::Number => a.parse::<i64>().unwrap().cmp(&b.parse::<i64>().unwrap()),
        Flavour::Float => a.parse::<f64>().unwrap().total_cmp(&b.parse::<f64>().unwrap()),
        _ => a.cmp(b),
    }
}

/// The meaning of a condition (docs/decisions.md "List language").
fn holds(rec: &Rec, c: &Cond) -> bool {
    let f = FIELDS[c.field];
    let value = rec[c.field].as_ref().filter(|v| !is_list(&f) || !v.is_empty());
    let v = c.values[0];
    let single = value.and_then(|v| v.first().copied());
    let empty = value.is_none();
    let any_listed = value.is_some_and(|v| c.values.iter().any(|w| v.contains(w)));
    // A bare date means its whole day: "after" and "on or before" reach its last second.
    let end = |v: &str| {
        if f.flavour == Flavour::Instant && v.len() == 10 {
            format!("{v} 23:59:59")
        } else {
            v.to_owned()
        }
    };
    let equal_any = || single.is_some_and(|s| c.values.iter().any(|w| cmp(f.flavour, s, w).is_eq()));
    match (f.flavour, c.op) {
        (_, "isNull") => empty,
        (_, "isNotNull") => !empty,
        (Flavour::Checkbox, "is") => {
            let mut want: Vec<&str> = c.values.clone();
            want.sort();
            value.is_some_and(|v| v == &want)
        }
        (Flavour::Checkbox | Flavour::Ids, "notContains") => !any_listed,
        (Flavour::Checkbox | Flavour::Ids, _) => any_listed,
        (_, "is" | "in") => equal_any(),
        (_, "isNot") => !equal_any(),
        (_, "contains") => single.is_some_and(|s| s.contains(v)),
        (_, "notContains") => !single.is_some_and(|s| s.contains(v)),
        (_, "startWith") => single.is_some_and(|s| s.starts_with(v)),
        (_, "endWith") => single.is_some_and(|s| s.ends_with(v)),
        (_, "gt") => single.is_some_and(|s| cmp(f.flavour, s, &end(v)).is_gt()),
        (_, "egt") => single.is_some_and(|s| cmp(f.flavour, s, v).is_ge()),
        (_, "lt") => single.is_some_and(|s| cmp(f.flavour, s, v).is_lt()),
        (_, "elt") => single.is_some_and(|s| cmp(f.flavour, s, &end(v)).is_le()),
        (_, "range") => {
            let (lo, hi) = bounds(c);
            single.is_some_and(|s| s >= lo && s <= end(hi).as_str())
        }
        other => panic!("unmodelled {other:?}"),
    }
}

/// The range of a `range` condition, low first.
fn bounds(c: &Cond) -> (&'static str, &'static str) {
    let (lo, hi) = (c.values[0], c.values.get(1).copied().unwrap_or(c.values[0]));
    if lo <= hi { (lo, hi) } else { (hi, lo) }
}

/// The request's J9 condition for `c`.
fn request(c: &Cond) -> (String, Value) {
    let f = FIELDS[c.field];
    let value: Value = if c.values.len() > 1 {
        json!(c.values)
    } else {
        json!(c.values[0])
    };
    let spec = match c.op {
        "range" => {
            let (lo, hi) = bounds(c);
            json!({"name": f.name, "start": lo, "end": hi})
        }
        "gt" | "egt" | "lt" | "elt" | "startWith" | "endWith" | "contains" | "notContains"
            if !is_list(&f) =>
        {
            json!({"name": f.name, "condition": c.op, "value": c.values[0]})
        }
        _ => json!({"name": f.name, "condition": c.op, "value": value}),
    };
    (f.name.to_owned(), spec)
}

async fn seed(app: &TestApp, records: &[Rec]) -> Vec<i64> {
    for (name, form_type, options) in CUSTOM {
        let body = app
            .post(
                "/api/field/addField",
                json!({"label": 1, "name": name, "formType": form_type, "options": options}),
            )
            .await;
        assert_eq!(body["code"], 0, "{body}");
    }
    let mut ids = Vec::new();
    for rec in records {
        let mut entity = json!({});
        let mut field = Vec::new();
        for (f, value) in FIELDS.iter().zip(rec) {
            let Some(value) = value else { continue };
            let v: Value = if is_list(f) { json!(value) } else { json!(value[0]) };
            if f.custom {
                field.push(json!({"name": f.name, "value": v}));
            } else if f.name != "is_transform" {
                entity[f.name] = v;
            }
        }
        let body = app
            .post(
                "/api/CrmLeads/addOrUpdate",
                json!({"entity": entity, "field": field}),
            )
            .await;
        let id = body["data"].as_i64().unwrap_or_else(|| panic!("{body}"));
        if rec[3].as_ref().is_some_and(|v| v[0] == "1") {
            exec_sql(
                app,
                &format!("UPDATE crm_leads SET is_transform = 1 WHERE leads_id = {id}"),
            )
            .await;
        }
        ids.push(id);
    }
    ids
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn lists_return_exactly_the_records_the_conditions_describe(
        records in proptest::collection::vec(record(), 4..10),
        queries in proptest::collection::vec(proptest::collection::vec(condition(), 1..3), 12..20),
    ) {
        tokio::runtime::Runtime::new().unwrap().block_on(async move {
            let app = spawn_app().await;
            let ids = seed(&app, &records).await;
            for conds in &queries {
                let mut data = serde_json::Map::new();
                // The request wins over the leads default (is_transform = 0) only when it names it.
                let mut conds = conds.clone();
                conds.dedup_by_key(|c| c.field);
                for c in &conds {
                    let (key, spec) = request(c);
                    data.insert(key, spec);
                }
                let names_transform = conds.iter().any(|c| FIELDS[c.field].name == "is_transform");
                let mut want: Vec<i64> = ids
                    .iter()
                    .zip(&records)
                    .filter(|(_, r)| names_transform || r[3].as_ref().is_some_and(|v| v[0] == "0"))
                    .filter(|(_, r)| conds.iter().all(|c| holds(r, c)))
                    .map(|(id, _)| *id)
                    .collect();
                want.sort();
                let body = app.post("/api/CrmLeads/queryPageList", json!({"limit": 100, "data": data})).await;
                assert_eq!(body["code"], 0, "{data:?}: {body}");
                let mut got: Vec<i64> = body["data"]["list"].as_array().unwrap().iter().map(|r| r["leadsId"].as_i64().unwrap()).collect();
                got.sort();
                assert_eq!(got, want, "conditions {conds:?}");
                assert_eq!(body["data"]["totalRow"].as_u64().unwrap() as usize, want.len());
            }
        });
    }
}

#[tokio::test]
async fn relative_dates_and_searchlist_work_on_system_and_custom_fields() {
    let app = spawn_app().await;
    app.post(
        "/api/field/addField",
        json!({"label": 1, "name": "回访日", "formType": "date"}),
    )
    .await;
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive();
    let fmt = |d: chrono::NaiveDate| d.format("%Y-%m-%d").to_string();
    let yesterday = today.pred_opt().unwrap();
    let a = app.post("/api/CrmLeads/addOrUpdate", json!({"entity": {"leads_name": "今天", "next_time": format!("{} 09:00:00", fmt(today))}, "field": [{"name": "回访日", "value": fmt(today)}]})).await["data"].as_i64().unwrap();
    let b = app.post("/api/CrmLeads/addOrUpdate", json!({"entity": {"leads_name": "昨天", "next_time": format!("{} 23:00:00", fmt(yesterday))}, "field": [{"name": "回访日", "value": fmt(yesterday)}]})).await["data"].as_i64().unwrap();
    let ids = |data: Value| {
        let app = &app;
        async move {
            let mut v = app.list_ids("CrmLeads", "leadsId", json!({ "data": data })).await;
            v.sort();
            v
        }
    };
    assert_eq!(
        ids(json!({"next_time": {"value": "today", "formType": "datetime"}})).await,
        vec![a]
    );
    assert_eq!(ids(json!({"next_time": {"start": "yesterday"}})).await, vec![b]);
    assert_eq!(
        ids(json!({"回访日": {"value": "previous7day"}})).await,
        vec![a, b]
    );
    assert_eq!(
        ids(json!({"create_time": {"condition": "range", "value": "today"}})).await,
        vec![a, b]
    );
    assert_eq!(
        ids(json!({"create_time": {"value": "lastYear"}})).await,
        Vec::<i64>::new()
    );
    // J11's searchList: numeric operators and `values`.
    let list = app
        .post(
            "/api/CrmLeads/queryPageList",
            json!({"searchList": [{"name": "leads_name", "formType": "text", "type": 3, "values": ["今"]}]}),
        )
        .await;
    assert_eq!(list["data"]["list"][0]["leadsId"], a);
    let list = app.post("/api/CrmLeads/queryPageList", json!({"searchList": [{"name": "回访日", "formType": "date", "type": 14, "values": [fmt(yesterday), fmt(yesterday)]}]})).await;
    assert_eq!(list["data"]["totalRow"], 1);
    assert_error(
        &app.post(
            "/api/CrmLeads/queryPageList",
            json!({"searchList": [{"name": "leads_name", "type": 99, "values": ["x"]}]}),
        )
        .await,
        400,
        "不支持的筛选条件：99",
    );
}

#[tokio::test]
async fn business_type_take_part_and_map_address() {
    let app = spawn_app().await;
    let zhang = app.add_user("zhang", "张三").await;
    let cust = app
        .create(
            "CrmCustomer",
            json!({"customer_name": "北京客户", "address": "北京市,北京城区,朝阳区"}),
        )
        .await;
    app.create(
        "CrmCustomer",
        json!({"customer_name": "上海客户", "address": "上海市,上海城区,浦东新区"}),
    )
    .await;
    let ids = app
        .list_ids(
            "CrmCustomer",
            "customerId",
            json!({"data": {"address": {"formType": "map_address", "value": "北京市,北京城区,"}}}),
        )
        .await;
    assert_eq!(ids, vec![cust]);
    app.post(
        "/api/CrmCustomer/addMembers",
        json!({"ids": cust, "memberIds": zhang}),
    )
    .await;
    let ids = app
        .list_ids(
            "CrmCustomer",
            "customerId",
            json!({"data": {"ro_user_id": {"condition": "takePart", "value": zhang}}}),
        )
        .await;
    assert_eq!(ids, vec![cust]);
    let won = app
        .create(
            "CrmBusiness",
            json!({"business_name": "赢", "customer_id": cust, "type_id": 1, "status_id": 1}),
        )
        .await;
    let open = app
        .create(
            "CrmBusiness",
            json!({"business_name": "进行", "customer_id": cust, "type_id": 1, "status_id": 2}),
        )
        .await;
    exec_sql(
        &app,
        &format!("UPDATE crm_business SET is_end = 1 WHERE business_id = {won}"),
    )
    .await;
    let by = |status: Value| {
        app.list_ids(
            "CrmBusiness",
            "businessId",
            json!({"data": {"type_id": {"formType": "business_type", "typeId": 1, "statusId": status}}}),
        )
    };
    assert_eq!(by(json!("win")).await, vec![won]);
    assert_eq!(by(json!(2)).await, vec![open]);
    assert_eq!(by(json!("lose")).await, Vec::<i64>::new());
    let detail = app
        .post("/api/CrmBusiness/queryById", json!({"businessId": won}))
        .await;
    assert_eq!(detail["data"]["statusName"], "赢单");
}
