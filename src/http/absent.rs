//! Routes of modules wkcrm does not have (contracts, receivables, approvals, OA, projects,
//! business intelligence, achievements): the WukongCRM 9 web client calls them from its
//! CRM pages too, and gets an envelope saying the module is not enabled rather than a 404.

use axum::Json;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::{Params, envelope};
use crate::crm::Error;

/// Path prefixes (after `/api/`) of the absent modules, most specific first, and the
/// message each answers.
const ABSENT: &[(&str, &str)] = &[
    ("CrmBackLog/checkContract", CONTRACT),
    ("CrmBackLog/endContract", CONTRACT),
    ("CrmBackLog/checkReceivables", RECEIVABLES),
    ("CrmBackLog/remindReceivables", RECEIVABLES),
    ("CrmCustomer/queryContract", CONTRACT),
    ("CrmBusiness/queryContract", CONTRACT),
    ("CrmCustomer/queryReceivables", RECEIVABLES),
    ("CrmContract/", CONTRACT),
    ("CrmReceivables/", RECEIVABLES),
    ("Crm/ReceivablesPlan/", RECEIVABLES),
    ("crm/receivables/", RECEIVABLES),
    ("field/examineFieldSave", EXAMINE),
    ("OaExamine", EXAMINE),
    ("examine/", EXAMINE),
    ("examineRecord/", EXAMINE),
    ("Oa", OA),
    ("task/", OA),
    ("taskLabel/", OA),
    ("comment/", OA),
    ("workbench/", OA),
    ("work/", PROJECT),
    ("workTrash/", PROJECT),
    ("system/role/queryProjectRoleList", PROJECT),
    ("system/role/setWorkRole", PROJECT),
    ("system/role/deleteWorkRole", PROJECT),
    ("system/menu/getWorkMenuList", PROJECT),
    // The address book is OA's (通讯录), the customer analysis BI's.
    ("system/user/queryListName", OA),
    ("CrmCustomer/getUserCustomerAnalysis", BI),
    ("achievement/", ACHIEVEMENT),
    ("bi", BI),
];

const CONTRACT: &str = "合同模块未启用";
const RECEIVABLES: &str = "回款模块未启用";
const EXAMINE: &str = "审批模块未启用";
const OA: &str = "办公模块未启用";
const PROJECT: &str = "项目管理模块未启用";
const ACHIEVEMENT: &str = "业绩目标模块未启用";
const BI: &str = "商业智能模块未启用";

/// The message of an absent module's route, if `path` is one.
pub fn absent_module(path: &str) -> Option<&'static str> {
    let rest = path.strip_prefix("/api/")?;
    ABSENT
        .iter()
        .find(|(prefix, _)| rest.starts_with(prefix))
        .map(|(_, msg)| *msg)
}

/// The router's fallback for `/api/…`: an absent module's message (HTTP 200, code 500),
/// else the 404 envelope. The body is read either way (see `envelope::not_found`).
pub async fn fallback(uri: Uri, params: Result<Params, Error>) -> Response {
    match absent_module(uri.path()) {
        Some(msg) => Json(json!({"code": 500, "msg": msg})).into_response(),
        None => envelope::not_found(params).await,
    }
}

#[cfg(test)]
mod tests {
    use super::absent_module;

    #[test]
    fn absent_modules_are_named_and_crm_routes_are_not() {
        assert_eq!(
            absent_module("/api/CrmContract/queryPageList"),
            Some("合同模块未启用")
        );
        assert_eq!(absent_module("/api/OaLog/queryList"), Some("办公模块未启用"));
        assert_eq!(
            absent_module("/api/biFunnel/sellFunnel"),
            Some("商业智能模块未启用")
        );
        assert_eq!(
            absent_module("/api/CrmCustomer/queryReceivablesPlan"),
            Some("回款模块未启用")
        );
        assert_eq!(absent_module("/api/CrmCustomer/queryPageList"), None);
        assert_eq!(absent_module("/api/CrmNothing/x"), None);
    }
}
