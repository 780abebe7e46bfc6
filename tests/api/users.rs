//! `/api/system/user/*`.

use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn the_admin_adds_users_in_every_encoding() {
    let app = spawn_app().await;
    for (i, enc) in ENCODINGS.into_iter().enumerate() {
        let params = json!({"username": format!("sales{i}"), "password": "secret-1", "realname": format!("销售{i}"),
                            "mobile": "13800000000", "deptId": 1, "parentId": 1});
        let body = app
            .send(enc, "/api/system/user/addUser", params, Some(&app.token))
            .await;
        assert_eq!(body["code"], 0, "{body}");
        assert!(body["data"].as_i64().unwrap() > 1);
        app.login(&format!("sales{i}"), "secret-1").await;
    }
    let list = app
        .post("/api/system/user/queryUserList", json!({"page": 1, "limit": 2}))
        .await;
    assert_eq!(list["data"]["totalRow"], 4);
    assert_eq!(list["data"]["list"].as_array().unwrap().len(), 2);
    let found = app
        .send(
            Enc::Query,
            "/api/system/user/queryUserList",
            json!({"search": "销售2"}),
            Some(&app.token),
        )
        .await;
    assert_eq!(found["data"]["totalRow"], 1);
    assert_eq!(found["data"]["list"][0]["parentName"], "admin");
    assert!(found["data"]["list"][0].get("password").is_none());
    let page2 = app
        .send(
            Enc::Form,
            "/api/system/user/queryUserList",
            json!({"page": "2", "limit": "3"}),
            Some(&app.token),
        )
        .await;
    assert_eq!(page2["data"]["totalRow"], 4);
    assert_eq!(page2["data"]["list"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn adding_a_user_checks_its_fields() {
    let app = spawn_app().await;
    app.add_user("zhang", "张三").await;
    let add = |params| app.post("/api/system/user/addUser", params);
    assert_error(
        &add(json!({"username": "zhang", "password": "secret-1", "realname": "张"})).await,
        500,
        "用户名已存在",
    );
    assert_error(
        &add(json!({"password": "secret-1", "realname": "张"})).await,
        400,
        "用户名不能为空",
    );
    assert_error(
        &add(json!({"username": "li", "realname": "李"})).await,
        400,
        "密码不能为空",
    );
    assert_error(
        &add(json!({"username": "li", "password": "123", "realname": "李"})).await,
        400,
        "密码长度应为6到64个字符",
    );
    assert_error(
        &add(json!({"username": "li", "password": "secret-1"})).await,
        400,
        "姓名不能为空",
    );
    assert_error(
        &add(json!({"username": "li", "password": "secret-1", "realname": "李", "deptId": 99})).await,
        500,
        "部门不存在",
    );
    assert_error(
        &add(json!({"username": "li", "password": "secret-1", "realname": "李", "parentId": 99})).await,
        500,
        "直属上级不存在",
    );
    assert_error(
        &add(json!({"username": "li", "password": "secret-1", "realname": "李", "deptId": "x"})).await,
        400,
        "参数deptId应为整数",
    );
    assert_error(
        &add(json!({"username": "x".repeat(51), "password": "secret-1", "realname": "李"})).await,
        400,
        "用户名长度不能超过50个字符",
    );
}

#[tokio::test]
async fn only_the_admin_manages_users() {
    let app = spawn_app().await;
    app.add_user("zhang", "张三").await;
    let token = app.login("zhang", "secret-1").await;
    for path in [
        "/api/system/user/addUser",
        "/api/system/user/setUserStatus",
        "/api/system/user/resetPassword",
    ] {
        let body = app.post_as(&token, path, json!({"username": "x", "password": "secret-1", "realname": "x", "userIds": "1", "status": 0})).await;
        assert_error(&body, 401, "无权操作");
    }
    // Everyone may list users, to pick owners.
    assert_eq!(
        app.post_as(&token, "/api/system/user/queryUserList", json!({}))
            .await["code"],
        0
    );
}

#[tokio::test]
async fn a_disabled_user_cannot_log_in_and_its_tokens_die() {
    let app = spawn_app().await;
    for enc in ENCODINGS {
        let name = format!("u{enc:?}");
        let id = app.add_user(&name, "王五").await;
        let token = app.login(&name, "secret-1").await;
        let body = app
            .send(
                enc,
                "/api/system/user/setUserStatus",
                json!({"userIds": id.to_string(), "status": "0"}),
                Some(&app.token),
            )
            .await;
        assert_eq!(body["code"], 0, "{body}");
        app.assert_logged_out(&token).await;
        let body = app.try_login(&name, "secret-1").await;
        assert_error(&body, 500, "账户被禁用！");
        app.post(
            "/api/system/user/setUserStatus",
            json!({"userIds": [id], "status": 1}),
        )
        .await;
        app.login(&name, "secret-1").await;
    }
    let body = app
        .post(
            "/api/system/user/setUserStatus",
            json!({"userIds": "1", "status": 0}),
        )
        .await;
    assert_error(&body, 500, "不能禁用自己");
    let body = app
        .post(
            "/api/system/user/setUserStatus",
            json!({"userIds": "424242", "status": 0}),
        )
        .await;
    assert_error(&body, 500, "用户不存在：424242");
    let body = app
        .post(
            "/api/system/user/setUserStatus",
            json!({"userIds": "2", "status": 5}),
        )
        .await;
    assert_error(&body, 400, "状态只能为0（禁用）或1（启用）");
}

#[tokio::test]
async fn reset_password_replaces_the_old_one_and_ends_sessions() {
    let app = spawn_app().await;
    for (i, enc) in ENCODINGS.into_iter().enumerate() {
        let name = format!("reset{i}");
        let id = app.add_user(&name, "赵六").await;
        let token = app.login(&name, "secret-1").await;
        let body = app
            .send(
                enc,
                "/api/system/user/resetPassword",
                json!({"userIds": id, "password": "brand-new-1"}),
                Some(&app.token),
            )
            .await;
        assert_eq!(body["code"], 0, "{body}");
        app.assert_logged_out(&token).await;
        let old = app.try_login(&name, "secret-1").await;
        assert_error(&old, 500, "用户名或密码错误！");
        app.login(&name, "brand-new-1").await;
    }
    assert_error(
        &app.post("/api/system/user/resetPassword", json!({"userIds": "2"}))
            .await,
        400,
        "密码不能为空",
    );
    assert_error(
        &app.post("/api/system/user/resetPassword", json!({"password": "abcdefg"}))
            .await,
        400,
        "用户id不能为空",
    );
}
