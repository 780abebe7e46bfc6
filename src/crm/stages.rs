//! Business status groups (商机状态组) and their stages (商机阶段): the administrator keeps
//! them (`businessType/*`), each limited to departments or open to all; a business moves
//! through its group's stages to an end (赢单, 输单, 无效) with `boostBusinessStatus`, and
//! every move is in its history.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::Value;

use super::access::{Reach, Right};
use super::error::{Error, Result};
use super::input::{Input, Parse, Unparsed, is_blank, to_i64, to_text};
use super::modules::BUSINESS;
use super::rows::{column_in, read_columns, require_existing, rows};
use super::{Actor, Crm};
use crate::store::records::{self, Assign, ListSpec, Select, Source};
use crate::store::tables::{BUSINESS_STATUS, BUSINESS_TYPE, BUSINESS_TYPE_DEPT, USER};
use crate::store::{Cell, Exec, Filter, Kind, Op, Order, Tx, org, serialize_on};

/// The longest group and stage name, the most stages of a group, departments of a group,
/// and the longest remark of an end.
const MAX_NAME: usize = 50;
const MAX_STAGES: usize = 50;
const MAX_DEPTS: usize = 1000;
const MAX_REMARK: usize = 500;
/// The most groups one page of `queryBusinessTypeList` shows.
const MAX_PAGE: i64 = 100;

/// One stage of a `setBusinessType`: kept (`statusId`) or new.
#[derive(Clone, Debug)]
pub struct StageDraft {
    pub id: Option<i64>,
    pub name: String,
    pub rate: i64,
}

/// `setBusinessType`: a new group (no `typeId`) or a group's new name, state, departments
/// and stages, in order.
#[derive(Clone, Debug)]
pub struct GroupDraft {
    pub id: Option<i64>,
    pub name: String,
    pub status: Option<i64>,
    pub dept_ids: Vec<i64>,
    pub stages: Vec<StageDraft>,
}

impl Parse for GroupDraft {
    fn parse(input: Input<'_>) -> Result<Self> {
        let group = input.object("crmBusinessType")?;
        let group = group.as_ref().map_or(input, Input);
        let name = group
            .opt_text("name", "商机组名称", MAX_NAME)?
            .ok_or_else(|| Error::bad("商机组名称不能为空"))?;
        let status = group.opt_i64("status")?;
        if status.is_some_and(|s| !(0..=1).contains(&s)) {
            return Err(Error::bad("status只能为0（停用）或1（启用）"));
        }
        let dept_ids = match input.raw("deptIds") {
            None => Vec::new(),
            Some(v) => dept_ids(v)?,
        };
        if dept_ids.len() > MAX_DEPTS {
            return Err(Error::bad(format!("一个商机组最多{MAX_DEPTS}个部门")));
        }
        let items = input.array("crmBusinessStatus")?;
        if items.is_empty() {
            return Err(Error::bad("请至少设置一个商机阶段"));
        }
        if items.len() > MAX_STAGES {
            return Err(Error::bad(format!("一个商机组最多{MAX_STAGES}个阶段")));
        }
        let stages = items.iter().map(stage_draft).collect::<Result<Vec<_>>>()?;
        let mut seen = HashSet::new();
        if stages.iter().filter_map(|s| s.id).any(|id| !seen.insert(id)) {
            return Err(Error::bad("商机阶段重复"));
        }
        Ok(GroupDraft {
            id: group.opt_i64("typeId")?,
            name,
            status,
            dept_ids,
            stages,
        })
    }
}

/// Department ids as the client sends them: numbers, `{id}`/`{deptId}` objects (what the
/// edit dialog read), or a comma string.
fn dept_ids(v: &Value) -> Result<Vec<i64>> {
    let bad = || Error::bad("参数deptIds应为部门id的数组");
    let items: Vec<Value> = match v {
        Value::Array(items) => items.clone(),
        Value::String(s) => s
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| Value::String(p.to_owned()))
            .collect(),
        Value::Number(_) => vec![v.clone()],
        _ => return Err(bad()),
    };
    let mut ids = Vec::new();
    for item in &items {
        let id = match item {
            Value::Object(o) => o.get("id").or_else(|| o.get("deptId")).and_then(to_i64),
            other => to_i64(other),
        }
        .filter(|id| *id > 0)
        .ok_or_else(bad)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

fn stage_draft(item: &Value) -> Result<StageDraft> {
    let item = item
        .as_object()
        .ok_or_else(|| Error::bad("crmBusinessStatus的每一项应为对象"))?;
    let input = Input(item);
    let name = input
        .opt_text("name", "阶段名称", MAX_NAME)?
        .ok_or_else(|| Error::bad("阶段名称不能为空"))?;
    let rate = match item.get("rate").filter(|v| !is_blank(v)) {
        None => return Err(Error::bad("赢单率不能为空")),
        Some(v) => to_text(v)
            .and_then(|t| t.trim().trim_end_matches('%').parse::<i64>().ok())
            .filter(|r| (0..=100).contains(r))
            .ok_or_else(|| Error::bad("赢单率应为0到100的整数"))?,
    };
    Ok(StageDraft {
        id: input.opt_i64("statusId")?,
        name,
        rate,
    })
}

/// `getBusinessType`, `deleteById`: the group (`id`, or `typeId`).
#[derive(Clone, Copy, Debug)]
pub struct GroupRef(pub i64);

/// `crmBusinessType/updateStatus`: a group on (1) or off (0).
#[derive(Clone, Copy, Debug)]
pub struct GroupStatus {
    pub group: i64,
    pub enabled: bool,
}

impl Parse for GroupStatus {
    fn parse(input: Input<'_>) -> Result<Self> {
        let status = input.i64("status", "状态不能为空")?;
        if !(0..=1).contains(&status) {
            return Err(Error::bad("status只能为0（停用）或1（启用）"));
        }
        Ok(GroupStatus {
            group: GroupRef::parse(input)?.0,
            enabled: status == 1,
        })
    }
}

impl Parse for GroupRef {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(GroupRef(
            input
                .first_i64(&["id", "typeId"])?
                .ok_or_else(|| Error::bad("商机组id不能为空"))?,
        ))
    }
}

/// `queryBusinessTypeList`: `page` (1), `limit` (15, at most 100).
#[derive(Clone, Copy, Debug)]
pub struct GroupPageQuery {
    pub page: i64,
    pub limit: i64,
}

impl Parse for GroupPageQuery {
    fn parse(input: Input<'_>) -> Result<Self> {
        let page = input.opt_i64("page")?.unwrap_or(1);
        let limit = input.opt_i64("limit")?.unwrap_or(15);
        if page < 1 || !(1..=MAX_PAGE).contains(&limit) {
            return Err(Error::bad(format!("页码应为正整数，每页条数应为1到{MAX_PAGE}")));
        }
        Ok(GroupPageQuery { page, limit })
    }
}

/// `queryBusinessStatus`: the business (`businessId`).
#[derive(Clone, Copy, Debug)]
pub struct BusinessRef(pub i64);

impl Parse for BusinessRef {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(BusinessRef(
            input
                .first_i64(&["businessId", "id"])?
                .ok_or_else(|| Error::bad("商机id不能为空"))?,
        ))
    }
}

/// How a business ends (`isEnd`): 1 赢单, 2 输单, 3 无效; 0 is still open.
fn end_name(is_end: i64) -> Option<&'static str> {
    match is_end {
        1 => Some("赢单"),
        2 => Some("输单"),
        3 => Some("无效"),
        _ => None,
    }
}

/// `boostBusinessStatus`: a business moves to a stage of its group (`statusId`, `isEnd` 0
/// or absent) or ends (`isEnd` 1–3, optionally at a stage), with a remark.
#[derive(Clone, Debug)]
pub struct StatusBoost {
    pub business_id: i64,
    pub status_id: Option<i64>,
    pub is_end: i64,
    pub remark: Option<String>,
}

impl Parse for StatusBoost {
    fn parse(input: Input<'_>) -> Result<Self> {
        let BusinessRef(business_id) = BusinessRef::parse(input)?;
        let is_end = input.opt_i64("isEnd")?.unwrap_or(0);
        if !(0..=3).contains(&is_end) {
            return Err(Error::bad("isEnd只能为0（推进）1（赢单）2（输单）3（无效）"));
        }
        let status_id = input.opt_i64("statusId")?;
        if is_end == 0 && status_id.is_none() {
            return Err(Error::bad("商机阶段不能为空"));
        }
        Ok(StatusBoost {
            business_id,
            status_id,
            is_end,
            remark: input.opt_text("statusRemark", "备注", MAX_REMARK)?,
        })
    }
}

/// A stage as the client reads it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StageView {
    status_id: i64,
    type_id: i64,
    name: String,
    rate: Option<String>,
    order_num: i64,
}

/// A department of a group's range: `{id, name}` (J9's `deptIds`).
#[derive(Clone, Debug, Serialize)]
pub struct DeptView {
    id: i64,
    name: String,
}

/// A status group with its departments and stages.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupView {
    type_id: i64,
    name: String,
    status: i64,
    dept_ids: Vec<DeptView>,
    create_user_id: Option<i64>,
    create_name: Option<String>,
    create_time: Option<String>,
    update_time: Option<String>,
    status_list: Vec<StageView>,
}

/// A page of groups: `{totalRow, list}`.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GroupPage {
    total_row: i64,
    list: Vec<GroupView>,
}

/// `queryBusinessStatus`: where a business stands in its group.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BusinessStatusView {
    business_id: i64,
    type_id: Option<i64>,
    type_name: Option<String>,
    status_id: Option<i64>,
    status_name: Option<String>,
    is_end: i64,
    status_remark: String,
    status_list: Vec<StageView>,
}

const GROUP_COLUMNS: [(&str, Kind); 6] = [
    ("type_id", Kind::Int),
    ("name", Kind::Text),
    ("status", Kind::Int),
    ("create_user_id", Kind::Int),
    ("create_time", Kind::DateTime),
    ("update_time", Kind::DateTime),
];
const STAGE_COLUMNS: [(&str, Kind); 5] = [
    ("status_id", Kind::Int),
    ("type_id", Kind::Int),
    ("name", Kind::Text),
    ("rate", Kind::Text),
    ("order_num", Kind::Int),
];

fn int_eq(column: &str, value: i64) -> Filter {
    compare(column, Op::Eq, Kind::Int, Cell::Int(value))
}

fn compare(column: &str, op: Op, kind: Kind, value: Cell) -> Filter {
    Filter::Compare {
        target: Filter::column(column),
        op,
        kind,
        value,
    }
}

fn assign(column: &'static str, kind: Kind, value: Cell) -> Assign {
    Assign { column, kind, value }
}

fn text(cell: &Cell) -> String {
    cell.as_str().unwrap_or_default().to_owned()
}

/// The stages of these groups, in each group's order.
async fn stages_of<'a>(exec: impl Into<Exec<'a>>, type_ids: &[i64]) -> Result<Vec<StageView>> {
    let found = rows(
        exec,
        BUSINESS_STATUS,
        &STAGE_COLUMNS,
        &column_in("type_id", type_ids),
    )
    .await?;
    let mut stages: Vec<StageView> = found
        .iter()
        .map(|r| StageView {
            status_id: r[0].as_i64().unwrap_or_default(),
            type_id: r[1].as_i64().unwrap_or_default(),
            name: text(&r[2]),
            rate: r[3].as_str().map(str::to_owned),
            order_num: r[4].as_i64().unwrap_or_default(),
        })
        .collect();
    stages.sort_by_key(|s| (s.type_id, s.order_num, s.status_id));
    Ok(stages)
}

impl Crm {
    /// Groups matching `filter` (a page of them when `page` is given), each with its
    /// departments, creator and stages: five queries whatever their number.
    async fn groups(&self, filter: &Filter, page: Option<GroupPageQuery>) -> Result<Vec<GroupView>> {
        let selects: Vec<Select> = GROUP_COLUMNS
            .iter()
            .map(|(c, k)| Select {
                source: Source::Own(c),
                kind: *k,
            })
            .collect();
        let (limit, offset) = page.map_or((u64::MAX >> 1, 0), |p| {
            (p.limit as u64, ((p.page - 1) * p.limit) as u64)
        });
        let spec = ListSpec {
            table: BUSINESS_TYPE,
            joins: &[],
            columns: &selects,
            filter,
            order: &[(Filter::column("type_id"), Kind::Int, Order::Asc)],
            limit,
            offset,
        };
        let found = records::list(&self.db, &spec).await?;
        let ids: Vec<i64> = found.iter().filter_map(|r| r[0].as_i64()).collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let stages = stages_of(&self.db, &ids).await?;
        let links = rows(
            &self.db,
            BUSINESS_TYPE_DEPT,
            &[("type_id", Kind::Int), ("dept_id", Kind::Int)],
            &column_in("type_id", &ids),
        )
        .await?;
        let dept_names: HashMap<i64, String> = org::depts(&self.db)
            .await?
            .into_iter()
            .map(|d| (d.dept_id, d.name))
            .collect();
        let creators: Vec<i64> = found.iter().filter_map(|r| r[3].as_i64()).collect();
        let names: HashMap<i64, String> = rows(
            &self.db,
            USER,
            &[("user_id", Kind::Int), ("realname", Kind::Text)],
            &column_in("user_id", &creators),
        )
        .await?
        .into_iter()
        .filter_map(|r| Some((r[0].as_i64()?, text(&r[1]))))
        .collect();
        let time = |cell: &Cell| match cell {
            Cell::DateTime(t) => Some(self.clock.render(*t)),
            _ => None,
        };
        Ok(found
            .iter()
            .map(|r| {
                let type_id = r[0].as_i64().unwrap_or_default();
                let mut depts: Vec<DeptView> = links
                    .iter()
                    .filter(|l| l[0].as_i64() == Some(type_id))
                    .filter_map(|l| {
                        let id = l[1].as_i64()?;
                        Some(DeptView {
                            id,
                            name: dept_names.get(&id)?.clone(),
                        })
                    })
                    .collect();
                depts.sort_by_key(|d| d.id);
                let creator = r[3].as_i64();
                GroupView {
                    type_id,
                    name: text(&r[1]),
                    status: r[2].as_i64().unwrap_or(1),
                    dept_ids: depts,
                    create_user_id: creator,
                    create_name: creator.and_then(|c| names.get(&c).cloned()),
                    create_time: time(&r[4]),
                    update_time: time(&r[5]),
                    status_list: stages.iter().filter(|s| s.type_id == type_id).cloned().collect(),
                }
            })
            .collect())
    }

    /// `businessType/queryBusinessTypeList`: every group, paged (the administrator's
    /// settings page, as J9).
    pub async fn business_type_page(
        &self,
        actor: &Actor,
        request: Unparsed<'_, GroupPageQuery>,
    ) -> Result<GroupPage> {
        actor.require_admin()?;
        let page = request.parse()?;
        let total_row = records::count(&self.db, BUSINESS_TYPE, &Filter::True).await?;
        let list = self.groups(&Filter::True, Some(page)).await?;
        Ok(GroupPage { total_row, list })
    }

    /// `businessType/getBusinessType`: one group with its departments and stages. Anyone
    /// logged in may read it (J9: the business form reads a group's stages).
    pub async fn business_type(&self, group: GroupRef) -> Result<GroupView> {
        self.groups(&int_eq("type_id", group.0), None)
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| Error::business("商机组不存在或已删除"))
    }

    /// `CrmBusiness/queryBusinessStatusOptions`: the enabled groups the caller may use —
    /// those open to every department and those of its department (the administrator:
    /// all) — each with its stages.
    pub async fn business_status_options(&self, actor: &Actor) -> Result<Vec<GroupView>> {
        let groups = self.groups(&int_eq("status", 1), None).await?;
        if actor.is_admin() {
            return Ok(groups);
        }
        let dept = actor.user.dept_id;
        Ok(groups
            .into_iter()
            .filter(|g| g.dept_ids.is_empty() || g.dept_ids.iter().any(|d| Some(d.id) == dept))
            .collect())
    }

    /// A group a new business may be filed under by the caller: enabled, and open to
    /// every department or to the caller's.
    pub(crate) async fn require_usable_group(&self, actor: &Actor, type_id: i64) -> Result<()> {
        if self
            .business_status_options(actor)
            .await?
            .iter()
            .any(|g| g.type_id == type_id)
        {
            return Ok(());
        }
        let group = self.business_type(GroupRef(type_id)).await?;
        Err(Error::business(if group.status == 0 {
            "商机组已停用"
        } else {
            "该商机组不适用于您所在的部门"
        }))
    }

    /// `businessType/setBusinessType`: creates a group, or replaces a group's name, state,
    /// departments and stages. Stages named by `statusId` keep their id (businesses at them
    /// stay there); a stage left out is deleted, unless a business is at it. Answers the
    /// group's id.
    pub async fn set_business_type(&self, actor: &Actor, request: Unparsed<'_, GroupDraft>) -> Result<i64> {
        actor.require_admin()?;
        let draft = request.parse()?;
        let mut tx = self.db.begin().await?;
        // Names are unique among groups: group writes queue.
        serialize_on(&mut tx, &[BUSINESS_TYPE.name.to_owned()]).await?;
        let known: HashSet<i64> = org::depts(&mut tx).await?.iter().map(|d| d.dept_id).collect();
        if let Some(d) = draft.dept_ids.iter().find(|d| !known.contains(d)) {
            return Err(Error::business(format!("部门不存在：{d}")));
        }
        let mut same_name = compare("name", Op::Eq, Kind::Text, Cell::Text(draft.name.clone()));
        if let Some(id) = draft.id {
            same_name = same_name.and(compare("type_id", Op::Ne, Kind::Int, Cell::Int(id)));
        }
        if records::count(&mut tx, BUSINESS_TYPE, &same_name).await? > 0 {
            return Err(Error::business("商机组名称已存在"));
        }
        let now = Cell::DateTime(self.clock.now());
        let mut values = vec![assign("name", Kind::Text, Cell::Text(draft.name.clone()))];
        if let Some(status) = draft.status {
            values.push(assign("status", Kind::Int, Cell::Int(status)));
        }
        values.push(assign("update_time", Kind::DateTime, now.clone()));
        let id = match draft.id {
            None => {
                if draft.status.is_none() {
                    values.push(assign("status", Kind::Int, Cell::Int(1)));
                }
                values.push(assign("create_user_id", Kind::Int, Cell::Int(actor.id())));
                values.push(assign("create_time", Kind::DateTime, now));
                records::insert(&mut tx, BUSINESS_TYPE, &values).await?
            }
            Some(id) => {
                if records::lock_existing(&mut tx, BUSINESS_TYPE, &[id])
                    .await?
                    .is_empty()
                {
                    return Err(Error::business("商机组不存在或已删除"));
                }
                records::update(&mut tx, BUSINESS_TYPE, &[id], &values).await?;
                id
            }
        };
        self.replace_stages(&mut tx, id, &draft.stages).await?;
        records::delete_where(&mut tx, BUSINESS_TYPE_DEPT, &column_in("type_id", &[id])).await?;
        let links: Vec<Vec<Cell>> = draft
            .dept_ids
            .iter()
            .map(|d| vec![Cell::Int(id), Cell::Int(*d)])
            .collect();
        let columns = [("type_id", Kind::Int), ("dept_id", Kind::Int)];
        records::insert_many(&mut tx, BUSINESS_TYPE_DEPT, &columns, &links).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Makes `stages` the group's stages, in order: kept ones updated in place, new ones
    /// added, the rest deleted unless a business is at one.
    async fn replace_stages(&self, tx: &mut Tx, type_id: i64, stages: &[StageDraft]) -> Result<()> {
        let existing = stages_of(&mut *tx, &[type_id]).await?;
        if let Some(s) = stages
            .iter()
            .filter_map(|s| s.id)
            .find(|id| !existing.iter().any(|e| e.status_id == *id))
        {
            return Err(Error::business(format!("商机阶段不属于该商机组：{s}")));
        }
        let kept: HashSet<i64> = stages.iter().filter_map(|s| s.id).collect();
        let removed: Vec<&StageView> = existing.iter().filter(|e| !kept.contains(&e.status_id)).collect();
        let removed_ids: Vec<i64> = removed.iter().map(|s| s.status_id).collect();
        if !removed_ids.is_empty() {
            let used = records::count_by(
                &mut *tx,
                BUSINESS.table,
                "status_id",
                &column_in("status_id", &removed_ids),
            )
            .await?;
            if let Some(stage) = removed
                .iter()
                .find(|s| used.iter().any(|(id, n)| *id == s.status_id && *n > 0))
            {
                return Err(Error::business(format!(
                    "商机阶段“{}”有商机正在使用，不能删除",
                    stage.name
                )));
            }
            records::delete(&mut *tx, BUSINESS_STATUS, &removed_ids).await?;
        }
        for (at, stage) in stages.iter().enumerate() {
            let values = [
                assign("name", Kind::Text, Cell::Text(stage.name.clone())),
                assign("rate", Kind::Text, Cell::Text(stage.rate.to_string())),
                assign("order_num", Kind::Int, Cell::Int(at as i64 + 1)),
            ];
            match stage.id {
                Some(id) => {
                    records::update(&mut *tx, BUSINESS_STATUS, &[id], &values).await?;
                }
                None => {
                    let mut values = values.to_vec();
                    values.push(assign("type_id", Kind::Int, Cell::Int(type_id)));
                    records::insert(&mut *tx, BUSINESS_STATUS, &values).await?;
                }
            }
        }
        Ok(())
    }

    /// `businessType/deleteById`: deletes a group no business uses, with its stages and
    /// departments.
    pub async fn delete_business_type(&self, actor: &Actor, request: Unparsed<'_, GroupRef>) -> Result<()> {
        actor.require_admin()?;
        let GroupRef(id) = request.parse()?;
        let mut tx = self.db.begin().await?;
        serialize_on(&mut tx, &[BUSINESS_TYPE.name.to_owned()]).await?;
        if records::lock_existing(&mut tx, BUSINESS_TYPE, &[id])
            .await?
            .is_empty()
        {
            return Err(Error::business("商机组不存在或已删除"));
        }
        if records::count(&mut tx, BUSINESS.table, &int_eq("type_id", id)).await? > 0 {
            return Err(Error::business("使用中的商机组不可以删除"));
        }
        let group = column_in("type_id", &[id]);
        records::delete_where(&mut tx, BUSINESS_STATUS, &group).await?;
        records::delete_where(&mut tx, BUSINESS_TYPE_DEPT, &group).await?;
        records::delete(&mut tx, BUSINESS_TYPE, &[id]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `crmBusinessType/updateStatus`: the administrator's; a stopped group is no longer
    /// offered for new business (businesses already in it keep it).
    pub async fn set_business_type_status(
        &self,
        actor: &Actor,
        request: Unparsed<'_, GroupStatus>,
    ) -> Result<()> {
        actor.require_admin()?;
        let change = request.parse()?;
        let mut tx = self.db.begin().await?;
        if records::lock_existing(&mut tx, BUSINESS_TYPE, &[change.group])
            .await?
            .is_empty()
        {
            return Err(Error::business("商机组不存在或已删除"));
        }
        let status = [assign("status", Kind::Int, Cell::Int(i64::from(change.enabled)))];
        records::update(&mut tx, BUSINESS_TYPE, &[change.group], &status).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `CrmBusiness/queryBusinessStatus`: the business's group, its stages, the current
    /// stage and the end state, for a caller who may read the business.
    pub async fn business_status(&self, actor: &Actor, business: BusinessRef) -> Result<BusinessStatusView> {
        let id = business.0;
        super::rows::require_present(&self.db, &BUSINESS, &[id]).await?;
        self.require_record(&self.db, actor, &BUSINESS, &[id], Right::Read, Reach::Read)
            .await?;
        let columns = [
            ("type_id", Kind::Int),
            ("status_id", Kind::Int),
            ("is_end", Kind::Int),
            ("status_remark", Kind::Text),
        ];
        let found = rows(&self.db, BUSINESS.table, &columns, &int_eq("business_id", id)).await?;
        let row = found
            .first()
            .ok_or_else(|| Error::business(format!("商机不存在或已删除：{id}")))?;
        let (type_id, status_id) = (row[0].as_i64(), row[1].as_i64());
        let stages = match type_id {
            Some(t) => stages_of(&self.db, &[t]).await?,
            None => Vec::new(),
        };
        let type_name = match type_id {
            Some(t) => rows(
                &self.db,
                BUSINESS_TYPE,
                &[("name", Kind::Text)],
                &int_eq("type_id", t),
            )
            .await?
            .first()
            .map(|r| text(&r[0])),
            None => None,
        };
        let is_end = row[2].as_i64().unwrap_or(0);
        let status_name = end_name(is_end).map(str::to_owned).or_else(|| {
            stages
                .iter()
                .find(|s| Some(s.status_id) == status_id)
                .map(|s| s.name.clone())
        });
        Ok(BusinessStatusView {
            business_id: id,
            type_id,
            type_name,
            status_id,
            status_name,
            is_end,
            status_remark: text(&row[3]),
            status_list: stages,
        })
    }

    /// `CrmBusiness/boostBusinessStatus`: moves a business the caller may change to a stage
    /// of its own group, or ends it, in one transaction with its history. Moving to a stage
    /// (`isEnd` 0) reopens an ended business.
    pub async fn boost_business_status(&self, actor: &Actor, boost: StatusBoost) -> Result<()> {
        let id = boost.business_id;
        let mut tx = self.db.begin().await?;
        require_existing(&mut tx, &BUSINESS, &[id]).await?;
        self.require_record(&mut tx, actor, &BUSINESS, &[id], Right::Update, Reach::Write)
            .await?;
        let [type_id, status_id, is_end] =
            read_columns(&mut tx, &BUSINESS, id, ["type_id", "status_id", "is_end"]).await?;
        let type_id = type_id.and_then(|c| c.as_i64());
        let old_status = status_id.and_then(|c| c.as_i64());
        let old_end = is_end.and_then(|c| c.as_i64()).unwrap_or(0);
        let stages = match type_id {
            // The group is locked, so its stages cannot change before this commits.
            Some(t) => {
                records::lock_existing(&mut tx, BUSINESS_TYPE, &[t]).await?;
                stages_of(&mut tx, &[t]).await?
            }
            None => Vec::new(),
        };
        let stage_name = |sid: Option<i64>| {
            stages
                .iter()
                .find(|s| Some(s.status_id) == sid)
                .map_or_else(|| "空".to_owned(), |s| s.name.clone())
        };
        let new_status = match boost.status_id {
            Some(sid) if !stages.iter().any(|s| s.status_id == sid) => {
                return Err(Error::business("商机阶段不属于该商机组"));
            }
            Some(sid) => Some(sid),
            None => old_status,
        };
        let mut sentences = Vec::new();
        let reopened = boost.is_end == 0 && old_end != 0;
        if new_status != old_status || reopened {
            let old = match end_name(old_end) {
                Some(end) if reopened => end.to_owned(),
                _ => stage_name(old_status),
            };
            sentences.push(format!("将商机阶段由{}变更为{}", old, stage_name(new_status)));
        }
        if let Some(end) = end_name(boost.is_end) {
            sentences.push(match &boost.remark {
                Some(r) if !r.is_empty() => format!("将商机状态变更为{end}，备注：{r}"),
                _ => format!("将商机状态变更为{end}"),
            });
        }
        let remark = boost.remark.clone().map_or(Cell::Null, Cell::Text);
        let values = [
            assign("status_id", Kind::Int, new_status.map_or(Cell::Null, Cell::Int)),
            assign("is_end", Kind::Int, Cell::Int(boost.is_end)),
            assign("status_remark", Kind::Text, remark),
            assign("update_time", Kind::DateTime, Cell::DateTime(self.clock.now())),
        ];
        records::update(&mut tx, BUSINESS.table, &[id], &values).await?;
        self.log(&mut tx, actor, &BUSINESS, &[id], &sentences).await?;
        tx.commit().await?;
        Ok(())
    }
}
