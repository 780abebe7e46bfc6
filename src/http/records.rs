//! The routes of the four CRM modules: one set of handlers, parameterised by the module
//! descriptor.

use axum::Router;
use axum::extract::State;
use axum::response::Response;

use super::auth::CurrentUser;
use super::params::Params;
use super::{AppState, envelope, get_post};
use crate::crm::Error;
use crate::crm::module::Module;
use crate::crm::modules::{CONTACTS, CUSTOMER, LEADS};

/// The actions every module answers, with a one-line summary for the OpenAPI document.
pub fn actions(module: &Module) -> [(&'static str, &'static str); 5] {
    // Leads change owner with `changeOwnerUser`; `CrmLeads/transfer` is lead conversion.
    let transfer = if std::ptr::eq(module, &LEADS) {
        "changeOwnerUser"
    } else {
        "transfer"
    };
    [
        (
            "addOrUpdate",
            "新增（无id）或修改（带id）：{\"entity\":{…},\"field\":[…]}",
        ),
        ("queryById", "详情"),
        (
            "queryPageList",
            "列表：page, limit, search, sortField, order, data 高级筛选",
        ),
        ("deleteByIds", "批量删除（一个事务）"),
        (
            transfer,
            "转移负责人：ids, newOwnerUserId, transferType, power, changeType",
        ),
    ]
}

pub fn routes(module: &'static Module) -> Router<AppState> {
    let [save_, detail_, page_, delete_, transfer_] =
        actions(module).map(|(action, _)| format!("/api/{}/{action}", module.route));
    Router::new()
        .route(&save_, get_post(move |s, u, p| save(module, s, u, p)))
        .route(&detail_, get_post(move |s, u, p| detail(module, s, u, p)))
        .route(&page_, get_post(move |s, u, p| page(module, s, u, p)))
        .route(&delete_, get_post(move |s, u, p| delete(module, s, u, p)))
        .route(
            &transfer_,
            get_post(move |s, u, p| transfer_owner(module, s, u, p)),
        )
}

async fn save(
    module: &'static Module,
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    let id = s.crm.save_record(module, &u, p.input()).await?;
    Ok(envelope::data(id))
}

async fn detail(
    module: &'static Module,
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    let input = p.input();
    // The seed documents the contacts detail at `CrmCustomer/queryById` with `contactsId`.
    let module = if std::ptr::eq(module, &CUSTOMER)
        && input.raw("customerId").is_none()
        && input.raw("contactsId").is_some()
    {
        &CONTACTS
    } else {
        module
    };
    let id = input.i64(module.id_key, &format!("{}id不能为空", module.title))?;
    Ok(envelope::data(s.crm.record_detail(module, &u, id).await?))
}

async fn page(
    module: &'static Module,
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    Ok(envelope::data(s.crm.record_page(module, &u, p.input()).await?))
}

async fn delete(
    module: &'static Module,
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    s.crm.delete_records(module, &u, p.input()).await?;
    Ok(envelope::ok())
}

async fn transfer_owner(
    module: &'static Module,
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    s.crm.transfer_records(module, &u, p.input()).await?;
    Ok(envelope::ok())
}
