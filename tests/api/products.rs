//! Products: the fifth module on the same engine, categories, shelf status, and products
//! on a business.

use serde_json::{Value, json};

use crate::helpers::*;

async fn product(app: &TestApp, name: &str, num: &str, price: &str) -> i64 {
    app.create(
        "CrmProduct",
        json!({"name": name, "num": num, "price": price, "category_id": 1, "unit": "个"}),
    )
    .await
}

#[tokio::test]
async fn products_are_records_of_their_own_module_in_every_encoding() {
    let app = spawn_app().await;
    for enc in ENCODINGS {
        let entity = json!({"name": format!("产品{enc:?}"), "num": format!("P-{enc:?}"), "price": "12.50", "category_id": 1});
        let body = app
            .send(
                enc,
                "/api/CrmProduct/addOrUpdate",
                json!({ "entity": entity }),
                Some(&app.token),
            )
            .await;
        let id = body["data"].as_i64().unwrap_or_else(|| panic!("{body}"));
        let detail = app
            .send(
                enc,
                "/api/CrmProduct/queryById",
                json!({"productId": id}),
                Some(&app.token),
            )
            .await;
        assert_eq!(detail["data"]["price"], "12.50");
        assert_eq!(detail["data"]["categoryName"], "默认分类");
        assert_eq!(detail["data"]["status"], 1);
        let list = app
            .send(
                enc,
                "/api/CrmProduct/queryPageList",
                json!({"search": format!("产品{enc:?}")}),
                Some(&app.token),
            )
            .await;
        assert_eq!(list["data"]["totalRow"], 1, "{list}");
    }
    assert_error(
        &app.post(
            "/api/CrmProduct/addOrUpdate",
            json!({"entity": {"name": "重复", "num": "P-Json", "price": 1, "category_id": 1}}),
        )
        .await,
        500,
        "产品编码已存在",
    );
    assert_error(
        &app.post(
            "/api/CrmProduct/addOrUpdate",
            json!({"entity": {"name": "无类", "num": "Z", "price": 1, "category_id": 99}}),
        )
        .await,
        500,
        "产品类型不存在：99",
    );
    assert_error(
        &app.post(
            "/api/CrmProduct/addOrUpdate",
            json!({"entity": {"name": "无价", "num": "Z", "category_id": 1}}),
        )
        .await,
        400,
        "价格不能为空",
    );
    let fields = app.post("/api/field/queryField", json!({"label": 4})).await;
    let names: Vec<&str> = fields["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["产品名称", "产品类型", "产品单位", "产品编码", "价格", "产品描述"]
    );
}

#[tokio::test]
async fn shelf_status_and_product_scenes() {
    let app = spawn_app().await;
    let on = product(&app, "上架品", "A1", "1").await;
    let off = product(&app, "下架品", "A2", "1").await;
    assert_eq!(
        app.post("/api/CrmProduct/updateStatus", json!({"ids": off, "status": 0}))
            .await["code"],
        0
    );
    assert_error(
        &app.post("/api/CrmProduct/updateStatus", json!({"ids": off, "status": 5}))
            .await,
        400,
        "状态只能为0（下架）或1（上架）",
    );
    let scenes = app.post("/api/scene/queryScene", json!({"type": 4})).await["data"]
        .as_array()
        .unwrap()
        .clone();
    let id = |name: &str| scenes.iter().find(|s| s["name"] == name).unwrap()["sceneId"].clone();
    assert_eq!(
        app.list_ids("CrmProduct", "productId", json!({"sceneId": id("上架的产品")}))
            .await,
        vec![on]
    );
    assert_eq!(
        app.list_ids("CrmProduct", "productId", json!({"sceneId": id("下架的产品")}))
            .await,
        vec![off]
    );
    // Products are not owned data: a 销售员 sees them all but cannot change their status.
    app.post(
        "/api/system/user/addUser",
        json!({"username": "clerk", "password": "secret-1", "realname": "职员", "roleIds": 3}),
    )
    .await;
    let token = app.login("clerk", "secret-1").await;
    assert_eq!(
        app.post_as(&token, "/api/CrmProduct/queryPageList", json!({}))
            .await["data"]["totalRow"],
        2
    );
    assert_error(
        &app.post_as(
            &token,
            "/api/CrmProduct/updateStatus",
            json!({"ids": on, "status": 0}),
        )
        .await,
        401,
        "无权访问",
    );
}

#[tokio::test]
async fn categories_form_a_tree_and_guard_their_products() {
    let app = spawn_app().await;
    let hardware = app
        .post("/api/CrmProductCategory/saveAndUpdate", json!({"name": "硬件"}))
        .await["data"]
        .as_i64()
        .unwrap();
    let phones = app
        .post(
            "/api/CrmProductCategory/saveAndUpdate",
            json!({"name": "手机", "pid": hardware}),
        )
        .await["data"]
        .as_i64()
        .unwrap();
    let tree = app.post("/api/CrmProductCategory/queryList", json!({})).await;
    let hw = tree["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["categoryId"] == hardware)
        .unwrap()
        .clone();
    assert_eq!(hw["children"][0]["name"], "手机");
    assert_error(
        &app.post(
            "/api/CrmProductCategory/saveAndUpdate",
            json!({"categoryId": hardware, "name": "硬件", "pid": phones}),
        )
        .await,
        500,
        "上级分类不能是本分类或其下级分类",
    );
    assert_error(
        &app.post(
            "/api/CrmProductCategory/saveAndUpdate",
            json!({"name": "x", "pid": 999}),
        )
        .await,
        500,
        "上级分类不存在：999",
    );
    assert_error(
        &app.post(
            "/api/CrmProductCategory/deleteById",
            json!({"categoryId": hardware}),
        )
        .await,
        500,
        "该分类下有子分类，不能删除",
    );
    app.create(
        "CrmProduct",
        json!({"name": "手机A", "num": "M1", "price": 999, "category_id": phones}),
    )
    .await;
    assert_error(
        &app.post(
            "/api/CrmProductCategory/deleteById",
            json!({"categoryId": phones}),
        )
        .await,
        500,
        "该分类下有产品，不能删除",
    );
    let renamed = app
        .post(
            "/api/CrmProductCategory/saveAndUpdate",
            json!({"categoryId": phones, "name": "智能手机", "pid": hardware}),
        )
        .await;
    assert_eq!(renamed["code"], 0, "{renamed}");
    let empty = app
        .post("/api/CrmProductCategory/saveAndUpdate", json!({"name": "空"}))
        .await["data"]
        .as_i64()
        .unwrap();
    assert_eq!(
        app.post("/api/CrmProductCategory/deleteById", json!({"categoryId": empty}))
            .await["code"],
        0
    );
}

#[tokio::test]
async fn a_business_carries_products_and_its_total_follows() {
    let app = spawn_app().await;
    let cust = app.create("CrmCustomer", json!({"customer_name": "买家"})).await;
    let a = product(&app, "甲产品", "X1", "100.00").await;
    let b = product(&app, "乙产品", "X2", "19.99").await;
    let body = app
        .post(
            "/api/CrmBusiness/addOrUpdate",
            json!({
                "entity": {"business_name": "大单", "customer_id": cust, "discountRate": "10"},
                "product": [
                    {"productId": a, "num": 2, "discount": 90},
                    {"productId": b, "num": "3", "salesPrice": "15.00"},
                ],
            }),
        )
        .await;
    let business = body["data"].as_i64().unwrap_or_else(|| panic!("{body}"));
    // 2 × 90.00 + 3 × 15.00 = 225.00, less 10% = 202.50
    let lines = app
        .post("/api/CrmBusiness/queryProduct", json!({"businessId": business}))
        .await;
    assert_eq!(lines["data"]["totalPrice"], "202.50", "{lines}");
    let list = lines["data"]["list"].as_array().unwrap();
    assert_eq!(list[0]["salesPrice"], "90.00");
    assert_eq!(list[0]["subtotal"], "180.00");
    assert_eq!(list[1]["subtotal"], "45.00");
    assert_eq!(list[1]["name"], "乙产品");
    assert_eq!(
        app.post("/api/CrmBusiness/queryById", json!({"businessId": business}))
            .await["data"]["totalPrice"],
        "202.50"
    );
    // A product on a business cannot be deleted; replacing the lines frees it.
    assert_error(
        &app.post("/api/CrmProduct/deleteByIds", json!({"productIds": b}))
            .await,
        500,
        "该条数据与其他数据有必要关联，请勿删除",
    );
    app.post(
        "/api/CrmBusiness/addOrUpdate",
        json!({"entity": {"businessId": business}, "product": [{"productId": a, "num": 1}]}),
    )
    .await;
    let lines = app
        .post("/api/CrmBusiness/queryProduct", json!({"businessId": business}))
        .await;
    assert_eq!(lines["data"]["list"].as_array().unwrap().len(), 1);
    assert_eq!(lines["data"]["totalPrice"], "90.00");
    assert_eq!(
        app.post("/api/CrmProduct/deleteByIds", json!({"productIds": b}))
            .await["code"],
        0
    );
    // Bad lines change nothing.
    let bad: Value = app
        .post(
            "/api/CrmBusiness/addOrUpdate",
            json!({"entity": {"businessId": business}, "product": [{"productId": 777, "num": 1}]}),
        )
        .await;
    assert_error(&bad, 500, "产品不存在：777");
    assert_error(
        &app.post(
            "/api/CrmBusiness/addOrUpdate",
            json!({"entity": {"businessId": business}, "product": [{"productId": a, "num": 0}]}),
        )
        .await,
        400,
        "数量应大于0",
    );
    assert_eq!(
        app.post("/api/CrmBusiness/queryProduct", json!({"businessId": business}))
            .await["data"]["totalPrice"],
        "90.00"
    );
    // Deleting the business takes its lines along.
    app.post("/api/CrmBusiness/deleteByIds", json!({"businessIds": business}))
        .await;
    assert_eq!(
        app.post("/api/CrmProduct/deleteByIds", json!({"productIds": a}))
            .await["code"],
        0
    );
}

/// The whole `queryProduct` answer for a business with several lines: each line names its
/// product and category, in the order saved (a product may appear twice). Without the right
/// to read products the lines still show, with neither name.
#[tokio::test]
async fn line_items_render_each_product_with_its_category() {
    let app = spawn_app().await;
    let cust = app.create("CrmCustomer", json!({"customer_name": "买家"})).await;
    let tools = app
        .post("/api/CrmProductCategory/saveAndUpdate", json!({"name": "工具"}))
        .await["data"]
        .as_i64()
        .unwrap();
    let hammer = app
        .create(
            "CrmProduct",
            json!({"name": "锤子", "num": "T1", "price": "30.00", "category_id": tools}),
        )
        .await;
    let bolt = product(&app, "螺栓", "B1", "0.50").await;
    let body = app
        .post(
            "/api/CrmBusiness/addOrUpdate",
            json!({
                "entity": {"business_name": "工具单", "customer_id": cust},
                "product": [
                    {"productId": bolt, "num": 100, "unit": "盒"},
                    {"productId": hammer, "num": "1.5", "discount": "50"},
                    {"productId": bolt, "num": 2},
                ],
            }),
        )
        .await;
    let business = body["data"].as_i64().unwrap_or_else(|| panic!("{body}"));
    let line = |id: i64,
                name: &str,
                category: &str,
                [num, price, sales, discount, subtotal]: [&str; 5],
                unit: &str| {
        json!({"productId": id, "name": name, "categoryName": category, "num": num, "price": price,
            "salesPrice": sales, "discount": discount, "subtotal": subtotal, "unit": unit})
    };
    let expected = json!({
        "list": [
            line(bolt, "螺栓", "默认分类", ["100.00", "0.50", "0.50", "100.00", "50.00"], "盒"),
            line(hammer, "锤子", "工具", ["1.50", "30.00", "15.00", "50.00", "22.50"], ""),
            line(bolt, "螺栓", "默认分类", ["2.00", "0.50", "0.50", "100.00", "1.00"], "个"),
        ],
        "totalPrice": "73.50",
        "discountRate": "0.00",
    });
    let lines = app
        .post("/api/CrmBusiness/queryProduct", json!({"businessId": business}))
        .await;
    assert_eq!(lines["data"], expected, "{lines}");

    // 商机 list and detail (menus 12, 48, 49) over all data, but no product rights.
    let role = app
        .post(
            "/api/system/role/add",
            json!({"roleName": "只看商机", "dataType": 5}),
        )
        .await["data"]
        .as_i64()
        .unwrap();
    let body = app
        .post(
            "/api/system/role/updateRoleMenu",
            json!({"roleId": role, "dataType": 5, "menuIds": [1, 12, 48, 49]}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    let body = app
        .post(
            "/api/system/user/addUser",
            json!({"username": "viewer", "password": "secret-1", "realname": "看客", "roleIds": [role]}),
        )
        .await;
    assert_eq!(body["code"], 0, "{body}");
    let viewer = app.login("viewer", "secret-1").await;
    let mut unnamed = expected;
    for line in unnamed["list"].as_array_mut().unwrap() {
        line["name"] = Value::Null;
        line["categoryName"] = Value::Null;
    }
    let lines = app
        .post_as(
            &viewer,
            "/api/CrmBusiness/queryProduct",
            json!({"businessId": business}),
        )
        .await;
    assert_eq!(lines["data"], unnamed, "{lines}");
}

/// Line items are checked in the order given: the first bad one decides the error, whatever
/// the later ones hold, and nothing is saved.
#[tokio::test]
async fn the_first_bad_line_item_decides_the_error() {
    let app = spawn_app().await;
    let cust = app.create("CrmCustomer", json!({"customer_name": "买家"})).await;
    let a = product(&app, "甲产品", "X1", "100.00").await;
    let business = app
        .create("CrmBusiness", json!({"business_name": "单", "customer_id": cust}))
        .await;
    let save = |product: Value| {
        app.post(
            "/api/CrmBusiness/addOrUpdate",
            json!({"entity": {"businessId": business}, "product": product}),
        )
    };
    let cases = [
        (
            json!([{"productId": a, "num": 0}, {"productId": 777, "num": 1}]),
            400,
            "数量应大于0",
        ),
        (
            json!([{"productId": 777, "num": 1}, {"num": 1}]),
            500,
            "产品不存在：777",
        ),
        (
            json!([{"productId": a, "num": 1}, {"productId": 778}, {"productId": 777}]),
            500,
            "产品不存在：778",
        ),
        (
            json!([{"productId": a, "num": 1}, "x", {"productId": 777}]),
            400,
            "product的每一项应为对象",
        ),
        (
            json!([{"productId": a, "discount": 101}, {}]),
            400,
            "折扣应在0到100之间",
        ),
    ];
    for (product, code, msg) in cases {
        assert_error(&save(product).await, code, msg);
    }
    let lines = app
        .post("/api/CrmBusiness/queryProduct", json!({"businessId": business}))
        .await;
    assert_eq!(lines["data"]["list"], json!([]), "{lines}");
}
