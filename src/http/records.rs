//! The routes of the four CRM modules: one set of handlers, parameterised by the module
//! descriptor.

use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::MethodRouter;

use super::auth::CurrentUser;
use super::params::Params;
use super::{AppState, envelope, get_post};
use crate::crm::Error;
use crate::crm::module::Module;
use crate::crm::modules::{CONTACTS, CUSTOMER, LEADS};

/// One route of a module: its action, a summary for the OpenAPI document, its handler.
pub struct Endpoint {
    pub action: &'static str,
    pub summary: &'static str,
    pub handler: MethodRouter<AppState>,
}

/// Every route a module answers (team routes only where records have teams).
pub fn endpoints(module: &'static Module) -> Vec<Endpoint> {
    let m = module;
    // Leads change owner with `changeOwnerUser`; `CrmLeads/transfer` is lead conversion.
    let transfer = if std::ptr::eq(m, &LEADS) {
        "changeOwnerUser"
    } else {
        "transfer"
    };
    let mut list = vec![
        Endpoint {
            action: "addOrUpdate",
            summary: "新增（无id）或修改（带id）：{\"entity\":{…},\"field\":[…]}",
            handler: get_post(move |s, u, p| save(m, s, u, p)),
        },
        Endpoint {
            action: "queryById",
            summary: "详情",
            handler: get_post(move |s, u, p| detail(m, s, u, p)),
        },
        Endpoint {
            action: "queryPageList",
            summary: "列表：page, limit, search, sortField, order, data 高级筛选",
            handler: get_post(move |s, u, p| page(m, s, u, p)),
        },
        Endpoint {
            action: "deleteByIds",
            summary: "批量删除（一个事务）",
            handler: get_post(move |s, u, p| delete(m, s, u, p)),
        },
        Endpoint {
            action: transfer,
            summary: "转移负责人：ids, newOwnerUserId, transferType, power, changeType",
            handler: get_post(move |s, u, p| transfer_owner(m, s, u, p)),
        },
    ];
    if m.has_team {
        list.extend([
            Endpoint {
                action: "getMembers",
                summary: "团队成员（负责人在前）",
                handler: get_post(move |s, u, p| members(m, s, u, p)),
            },
            Endpoint {
                action: "addMembers",
                summary: "添加团队成员：ids, memberIds, power(1只读 2读写), expiresTime",
                handler: get_post(move |s, u, p| save_members(m, s, u, p)),
            },
            Endpoint {
                action: "updateMembers",
                summary: "修改团队成员权限：ids, memberIds, power, expiresTime",
                handler: get_post(move |s, u, p| save_members(m, s, u, p)),
            },
            Endpoint {
                action: "deleteMembers",
                summary: "删除团队成员：ids, memberIds",
                handler: get_post(move |s, u, p| delete_members(m, s, u, p)),
            },
            Endpoint {
                action: "exitTeam",
                summary: "退出团队",
                handler: get_post(move |s, u, p| exit_team(m, s, u, p)),
            },
        ]);
    }
    list
}

pub fn routes(module: &'static Module) -> Router<AppState> {
    endpoints(module).into_iter().fold(Router::new(), |router, e| {
        router.route(&format!("/api/{}/{}", module.route, e.action), e.handler)
    })
}

/// The record id of a single-record call: the module's key (`customerId`) or `id`.
fn one_id(module: &Module, p: &Params) -> Result<i64, Error> {
    let input = p.input();
    let key = if input.raw(module.id_key).is_some() {
        module.id_key
    } else {
        "id"
    };
    input.i64(key, &format!("{}id不能为空", module.title))
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

async fn members(
    module: &'static Module,
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    Ok(envelope::data(
        s.crm.team_members(module, &u, one_id(module, &p)?).await?,
    ))
}

async fn save_members(
    module: &'static Module,
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    s.crm.save_members(module, &u, p.input()).await?;
    Ok(envelope::ok())
}

async fn delete_members(
    module: &'static Module,
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    s.crm.delete_members(module, &u, p.input()).await?;
    Ok(envelope::ok())
}

async fn exit_team(
    module: &'static Module,
    State(s): State<AppState>,
    CurrentUser(u): CurrentUser,
    p: Params,
) -> Result<Response, Error> {
    s.crm.exit_team(module, &u, one_id(module, &p)?).await?;
    Ok(envelope::ok())
}
