//! The routes of the five CRM modules: one set of handlers, parameterised by the module
//! descriptor.

use super::auth::RecognisedCaller;
use super::routes::{Route, data, done, handler};
use crate::crm::followups::{FollowUp, Timeline};
use crate::crm::module::{Module, Via};
use crate::crm::records::{ListQuery, SaveRequest};
use crate::crm::relations::{RelatedQuery, Relating};
use crate::crm::rows::record_ids;
use crate::crm::team::MemberPlan;
use crate::crm::transfer::Transfer;
use crate::crm::{Error, Input, Parse};

/// Every route a module answers (team routes only where records have teams).
pub fn routes(m: &'static Module) -> Vec<Route> {
    let route = |action: &str, summary: &str, handler| Route::of_module(m, action, summary, handler);
    let mut list = vec![
        route(
            "addOrUpdate",
            "新增（无id）或修改（带id）：{\"entity\":{…},\"field\":[…]}",
            handler!(|crm, actor, input| if FollowUp::is_activity(input) {
                // The document's follow-up call: `activityType` and no `entity`.
                let follow_up = FollowUp::for_activity(input, &crm.clock)?;
                done(crm.add_follow_up(actor, follow_up).await.map(drop)?)
            } else {
                data(crm.save_record(m, actor, SaveRequest::parse(m, input)?).await?)
            }),
        ),
        route(
            "queryById",
            "详情",
            handler!(<RecognisedCaller> |crm, caller, input| {
                let target = m.detail_target(|key| input.raw(key).is_some());
                let id = input.i64(target.id_key, &format!("{}id不能为空", target.title))?;
                data(crm.record_detail_as(target, caller, id).await?)
            }),
        ),
        route(
            "queryPageList",
            "列表：page, limit, search, sortField, order, data 高级筛选",
            handler!(|crm, actor, input| data(crm.record_page(m, actor, ListQuery::parse(input)?).await?)),
        ),
        route(
            "deleteByIds",
            "批量删除（一个事务）",
            handler!(|crm, actor, input| done(crm.delete_records(m, actor, record_ids(m, input)?).await?)),
        ),
        route(
            m.transfer_action,
            "转移负责人：ids, newOwnerUserId, transferType, power, changeType",
            handler!(|crm, actor, input| done(
                crm.transfer_records(m, actor, Transfer::parse(m, input)?).await?
            )),
        ),
    ];
    if m.follow_ups {
        list.extend([
            route(
                "addRecord",
                "新增跟进记录：typesId, content, category, nextTime, businessIds, contactsIds, batchId, isEvent",
                handler!(|crm, actor, input| {
                    let follow_up = FollowUp::for_module(m, input, &crm.clock)?;
                    done(crm.add_follow_up(actor, follow_up).await.map(drop)?)
                }),
            ),
            route(
                "getRecord",
                "跟进记录（新的在前）：<模块>Id, page, limit",
                handler!(|crm, actor, input| data(crm.timeline(actor, Timeline::for_module(m, input)?).await?)),
            ),
        ]);
    }
    for related in m.related {
        list.push(route(
            related.action,
            &format!(
                "的{}（分页，按权限）：{}, page, limit, search",
                related.module.title, m.id_key
            ),
            handler!(|crm, actor, input| data(
                crm.related_page(m, related, actor, RelatedQuery::parse(m, input)?)
                    .await?
            )),
        ));
        if let Via::Link { relate, unrelate, .. } = related.via {
            for (action, linking) in [(relate, true), (unrelate, false)] {
                let verb = if linking { "关联" } else { "取消关联" };
                list.push(route(
                    action,
                    &format!(
                        "{verb}{}：{}, {}",
                        related.module.title, m.id_key, related.module.ids_key
                    ),
                    handler!(|crm, actor, input| {
                        let request = Relating::parse(m, related.module, input)?;
                        done(crm.relate(m, related, actor, request, linking).await?)
                    }),
                ));
            }
        }
    }
    if m.stars {
        list.extend([
            route(
                "star",
                "关注/取消关注（再次调用取消）：id",
                handler!(|crm, actor, input| done(crm.toggle_star(m, actor, one_id(m, input)?).await?)),
            ),
            route("star/{id}", "关注/取消关注（J11 路径形式）", star_by_path(m)),
        ]);
    }
    if m.has_team {
        list.extend([
            route(
                "getMembers",
                "团队成员（负责人在前）",
                handler!(|crm, actor, input| data(crm.team_members(m, actor, one_id(m, input)?).await?)),
            ),
            route(
                "addMembers",
                "添加团队成员：ids, memberIds, power(1只读 2读写), expiresTime",
                handler!(|crm, actor, input| {
                    let (ids, plan) = (record_ids(m, input)?, MemberPlan::parse(input, &crm.clock)?);
                    done(crm.save_members(m, actor, ids, plan).await?)
                }),
            ),
            route(
                "updateMembers",
                "修改团队成员权限：ids, memberIds, power, expiresTime",
                handler!(|crm, actor, input| {
                    let (ids, plan) = (record_ids(m, input)?, MemberPlan::parse(input, &crm.clock)?);
                    done(crm.save_members(m, actor, ids, plan).await?)
                }),
            ),
            route(
                "deleteMembers",
                "删除团队成员：ids, memberIds",
                handler!(|crm, actor, input| {
                    let members = input.ids("memberIds", "团队成员不能为空")?;
                    done(
                        crm.delete_members(m, actor, record_ids(m, input)?, members)
                            .await?,
                    )
                }),
            ),
            route(
                "exitTeam",
                "退出团队",
                handler!(|crm, actor, input| done(crm.exit_team(m, actor, one_id(m, input)?).await?)),
            ),
        ]);
    }
    list
}

/// J11's `star/{id}`: the id from the path. The body is read like every other handler's.
fn star_by_path(m: &'static Module) -> axum::routing::MethodRouter<super::AppState> {
    super::get_post(
        move |axum::extract::State(state): axum::extract::State<super::AppState>,
              super::auth::CurrentUser(user): super::auth::CurrentUser,
              axum::extract::Path(id): axum::extract::Path<String>,
              _: super::Params| async move {
            let id = id
                .parse::<i64>()
                .map_err(|_| Error::bad(format!("{}id应为整数", m.title)))?;
            state.crm.toggle_star(m, &user, id).await?;
            done(())
        },
    )
}

/// The record id of a single-record call: the module's key (`customerId`) or `id`.
fn one_id(module: &Module, input: Input<'_>) -> Result<i64, Error> {
    let key = if input.raw(module.id_key).is_some() {
        module.id_key
    } else {
        "id"
    };
    input.i64(key, &format!("{}id不能为空", module.title))
}
