//! The generic record engine: create, update, detail, list and delete for every module,
//! driven by its descriptor.

use serde_json::{Map, Value, json};

use super::access::{Reach, Right};
use super::auth::Caller;
use super::error::{Error, Result};
use super::fields::{self, UniqueValue, require_unique};
use super::filter::{self, Catalog};
use super::input::{Input, Parse, is_blank, to_i64, to_text};
use super::module::{Access, FieldKind, Module, SysField, camel_case};
use super::rows::{column_in, id_filter, read_columns, require_active_user, require_existing, rows};
use super::transfer::Plan;
use super::{Actor, Crm, money, stars};
use crate::store::fields::FieldRow;
use crate::store::records::{self, Assign, Join, ListSpec, OWNER_COLUMN, Select, Source, Table};
use crate::store::sessions::SessionCheck;
use crate::store::{Cell, Exec, Filter, Kind, Order, Target, Tx, team};

/// `page`/`limit` of a list request: page from 1, limit 1..=100 (1..=10000 with `pageType=0`).
#[derive(Clone, Copy, Debug)]
pub struct Paging {
    pub page: u64,
    pub limit: u64,
}

impl Paging {
    pub const MAX_PAGE: i64 = 1_000_000;

    pub fn parse(input: Input<'_>) -> Result<Self> {
        let page = input.opt_i64("page")?.unwrap_or(1);
        if !(1..=Self::MAX_PAGE).contains(&page) {
            return Err(Error::bad(format!("页码应为1到{}之间的整数", Self::MAX_PAGE)));
        }
        let max = if input.opt_i64("pageType")? == Some(0) {
            10_000
        } else {
            100
        };
        let limit = input.opt_i64("limit")?.unwrap_or(15);
        if !(1..=max).contains(&limit) {
            return Err(Error::bad(format!("每页条数应为1到{max}之间的整数")));
        }
        Ok(Paging {
            page: page as u64,
            limit: limit as u64,
        })
    }

    pub fn offset(&self) -> u64 {
        (self.page - 1) * self.limit
    }
}

/// Which scene a list starts from (`sceneId`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SceneChoice {
    /// None given: the caller's default scene, if it has one.
    UserDefault,
    /// `sceneId=0`: no scene.
    NoScene,
    Scene(i64),
}

/// A list request (`queryPageList`), parsed once.
#[derive(Clone, Debug)]
pub struct ListQuery {
    pub paging: Paging,
    pub scene: SceneChoice,
    /// Conditions in the J9 `data` format, with the J11 `searchList` merged in.
    pub conditions: Map<String, Value>,
    /// The keyword `search`.
    pub search: String,
    /// `sortField` (camelCase or a custom field's name) and `order` (`2` ascending).
    pub sort_field: Option<String>,
    pub ascending: bool,
}

impl Parse for ListQuery {
    fn parse(input: Input<'_>) -> Result<Self> {
        let paging = Paging::parse(input)?;
        let scene = match input.opt_i64("sceneId")? {
            None => SceneChoice::UserDefault,
            Some(0) => SceneChoice::NoScene,
            Some(id) => SceneChoice::Scene(id),
        };
        let mut conditions = input.object("data")?.unwrap_or_default();
        conditions.extend(filter::search_list(&input.array("searchList")?)?);
        Ok(ListQuery {
            paging,
            scene,
            conditions,
            search: input.opt_str("search")?.unwrap_or_default(),
            sort_field: input.opt_str("sortField")?,
            ascending: input.opt_str("order")?.is_some_and(|o| o.trim() == "2"),
        })
    }
}

/// What a list selects (see `Crm::list_plan`).
pub(crate) struct ListPlan {
    pub customs: Vec<FieldRow>,
    pub filter: Filter,
    pub order: Vec<(Target, Kind, Order)>,
}

/// An `addOrUpdate` request: the record's id when it is an update, the `entity` columns
/// (and custom values by name), the `field` array of custom values, and the request itself
/// for the module's own save rule (business: `product`).
#[derive(Clone, Debug)]
pub struct SaveRequest<'a> {
    pub id: Option<i64>,
    pub entity: Map<String, Value>,
    pub field: Vec<Value>,
    pub input: Input<'a>,
}

impl<'a> SaveRequest<'a> {
    pub fn parse(module: &Module, input: Input<'a>) -> Result<Self> {
        let entity = input
            .object("entity")?
            .ok_or_else(|| Error::bad("entity不能为空"))?;
        let id = match entity
            .get(module.id_key)
            .or_else(|| entity.get(module.id_column()))
        {
            Some(v) if !is_blank(v) => {
                Some(to_i64(v).ok_or_else(|| Error::bad(format!("{}应为整数", module.id_key)))?)
            }
            _ => input.opt_i64(module.id_key)?,
        };
        Ok(SaveRequest {
            id,
            field: input.array("field")?,
            entity,
            input,
        })
    }
}

/// What a save asks to write: system columns given in `entity`, and custom values.
struct Draft {
    assigns: Vec<Assign>,
    custom: Map<String, Value>,
}

impl Draft {
    /// Reads `entity` (columns, or custom fields by name) and the `field` array, checking
    /// every value against its column kind and catalogue definition.
    fn parse(
        crm: &Crm,
        module: &Module,
        defs: &[FieldRow],
        entity: &Map<String, Value>,
        field: &[Value],
    ) -> Result<Self> {
        let mut draft = Draft {
            assigns: Vec::new(),
            custom: Map::new(),
        };
        let json_field = |key: &str| {
            defs.iter()
                .find(|c| !c.is_column() && (c.name == key || c.field_name == key))
        };
        for (key, value) in entity {
            if let Some(f) = module.field_by_key(key) {
                if f.access == Access::Input {
                    let cell = sys_value(crm, f, value)?;
                    if let (Cell::Text(text), Some(def)) = (
                        &cell,
                        defs.iter().find(|d| d.is_column() && d.field_name == f.column),
                    ) && !text.is_empty()
                    {
                        fields::check_format(def, text)?;
                    }
                    draft.set(f.column, f.kind.store_kind(), cell);
                }
            } else if let Some(def) = json_field(key) {
                draft
                    .custom
                    .insert(def.field_name.clone(), fields::normalize(def, value, &crm.clock)?);
            }
        }
        for item in field {
            let (def, value) = custom_item(defs, item)?;
            draft
                .custom
                .insert(def.field_name.clone(), fields::normalize(def, value, &crm.clock)?);
        }
        Ok(draft)
    }

    /// The value this draft gives a catalogue field, if it gives one.
    fn value_for(&self, def: &FieldRow) -> Option<Value> {
        if def.is_column() {
            match self.value_of(&def.field_name)? {
                Cell::Text(t) if !t.is_empty() => Some(Value::String(t.clone())),
                Cell::Int(i) => Some(Value::from(*i)),
                _ => None,
            }
        } else {
            self.custom.get(&def.field_name).filter(|v| !v.is_null()).cloned()
        }
    }

    fn value_of(&self, column: &str) -> Option<&Cell> {
        self.assigns.iter().find(|a| a.column == column).map(|a| &a.value)
    }

    /// Removes a column's value from the draft, answering it.
    fn take(&mut self, column: &str) -> Option<Cell> {
        let at = self.assigns.iter().position(|a| a.column == column)?;
        Some(self.assigns.remove(at).value)
    }

    fn set(&mut self, column: &'static str, kind: Kind, value: Cell) {
        self.assigns.retain(|a| a.column != column);
        self.assigns.push(Assign { column, kind, value });
    }
}

/// The records and users a draft refers to: (field, id) in the draft's order.
fn references<'a>(
    module: &'a Module,
    draft: &'a Draft,
) -> impl Iterator<Item = (&'static SysField, i64)> + 'a {
    draft
        .assigns
        .iter()
        .filter_map(|assign| match (module.field(assign.column), &assign.value) {
            (Some(f), Cell::Int(id)) if matches!(f.kind, FieldKind::Ref(..) | FieldKind::User) => {
                Some((f, *id))
            }
            _ => None,
        })
}

/// A system field's value from `entity`, typed and bounded.
fn sys_value(crm: &Crm, f: &SysField, value: &Value) -> Result<Cell> {
    if is_blank(value) {
        if f.required {
            return Err(Error::bad(format!("{}不能为空", f.name)));
        }
        // Text keeps an empty string as the client sent it (the seed shows `"telephone": ""`).
        return Ok(match (f.kind, value) {
            (FieldKind::Text(_), Value::String(_)) => Cell::Text(String::new()),
            _ => Cell::Null,
        });
    }
    Ok(match f.kind {
        FieldKind::Text(max) => {
            let text = to_text(value).ok_or_else(|| Error::bad(format!("{}应为文本", f.name)))?;
            if text.chars().count() > max {
                return Err(Error::bad(format!("{}长度不能超过{max}个字符", f.name)));
            }
            Cell::Text(text)
        }
        FieldKind::Int | FieldKind::User | FieldKind::Ref(..) => {
            Cell::Int(to_i64(value).ok_or_else(|| Error::bad(format!("{}应为整数", f.name)))?)
        }
        FieldKind::Money => Cell::Int(
            money::parse_fen(value).ok_or_else(|| Error::bad(format!("{}应为数字，最多两位小数", f.name)))?,
        ),
        FieldKind::DateTime => {
            let text = to_text(value).ok_or_else(|| Error::bad(format!("{}应为日期时间", f.name)))?;
            Cell::DateTime(crm.clock.parse_field(f.name, &text)?)
        }
    })
}

/// Finds the custom definition named by one item of the `field` array.
fn custom_item<'a>(defs: &'a [FieldRow], item: &'a Value) -> Result<(&'a FieldRow, &'a Value)> {
    let obj = item
        .as_object()
        .ok_or_else(|| Error::bad("field的每一项应为对象"))?;
    let id = obj.get("fieldId").and_then(to_i64);
    let names: Vec<&str> = ["name", "fieldName"]
        .iter()
        .filter_map(|k| obj.get(*k).and_then(Value::as_str))
        .collect();
    let def = defs
        .iter()
        .filter(|c| !c.is_column())
        .find(|c| Some(c.field_id) == id || names.iter().any(|n| *n == c.name || *n == c.field_name))
        .ok_or_else(|| {
            Error::bad(format!(
                "自定义字段不存在：{}",
                names.first().copied().unwrap_or("?")
            ))
        })?;
    Ok((def, obj.get("value").unwrap_or(&Value::Null)))
}

/// What a rendered record carries: the module's columns and looked-up names, its custom
/// fields, and, when it is shown to someone, whether they follow it (`star`).
pub(crate) struct Shape<'a> {
    pub module: &'a Module,
    pub customs: &'a [FieldRow],
    /// The user the record is shown to; `None` for history and exports, which carry no star.
    pub viewer: Option<&'a Actor>,
}

impl Shape<'_> {
    /// The select list: system columns, looked-up names, custom values, the viewer's star.
    fn selects(&self) -> (Vec<Select>, Vec<Join>) {
        let module = self.module;
        let mut selects: Vec<Select> = module
            .fields
            .iter()
            .map(|f| Select {
                source: Source::Own(f.column),
                kind: f.kind.store_kind(),
            })
            .collect();
        selects.extend(module.lookups.iter().map(|l| Select {
            source: Source::Joined {
                alias: l.join.alias,
                column: l.column,
            },
            kind: Kind::Text,
        }));
        selects.push(Select {
            source: Source::Own("custom"),
            kind: Kind::Json,
        });
        // The star is a column of the same select: no second query per page or detail.
        if let Some(viewer) = self.viewer.filter(|_| module.stars) {
            selects.push(Select {
                source: Source::Matches(stars::starred_by(viewer.id(), module)),
                kind: Kind::Int,
            });
        }
        // Look-ups may share a join (a status's name and rate): each alias is joined once.
        let mut joins: Vec<Join> = Vec::new();
        for lookup in module.lookups {
            if !joins.iter().any(|j| j.alias == lookup.join.alias) {
                joins.push(lookup.join);
            }
        }
        (selects, joins)
    }
}

/// Rows of `shape` matching `filter`, as cells in the order of its selects and then `last`.
async fn fetch_shaped<'a>(
    exec: impl Into<Exec<'a>>,
    shape: &Shape<'_>,
    last: Option<Select>,
    filter: &Filter,
    order: &[(Target, Kind, Order)],
    (limit, offset): (u64, u64),
) -> Result<Vec<Vec<Cell>>> {
    let (mut columns, joins) = shape.selects();
    columns.extend(last);
    let spec = ListSpec {
        table: shape.module.table,
        joins: &joins,
        columns: &columns,
        filter,
        order,
        limit,
        offset,
    };
    Ok(records::list(exec, &spec).await?)
}

impl Crm {
    /// Renders one row of `shape.selects()` in the API's camelCase shape.
    fn render(&self, shape: &Shape<'_>, cells: Vec<Cell>) -> Map<String, Value> {
        let module = shape.module;
        let mut row = Map::new();
        let mut cells = cells.into_iter();
        for f in module.fields {
            let cell = cells.next().unwrap_or(Cell::Null);
            row.insert(camel_case(f.column), self.render_cell(f.kind, cell));
        }
        for lookup in module.lookups {
            row.insert(
                lookup.key.into(),
                self.render_cell(FieldKind::Text(0), cells.next().unwrap_or(Cell::Null)),
            );
        }
        let custom = match cells.next() {
            Some(Cell::Json(Value::Object(map))) => map,
            _ => Map::new(),
        };
        for c in shape.customs.iter().filter(|c| !c.is_column()) {
            row.insert(
                c.name.clone(),
                custom.get(&c.field_name).cloned().unwrap_or(Value::Null),
            );
        }
        if let Some(star) = cells.next() {
            row.insert("star".into(), self.render_cell(FieldKind::Text(0), star));
        }
        if let Some(batch) = row.get("batchId").cloned() {
            row.insert("fieldBatchId".into(), batch);
        }
        (module.decorate)(&mut row);
        row
    }

    fn render_cell(&self, kind: FieldKind, cell: Cell) -> Value {
        match (kind, cell) {
            (_, Cell::Null) => Value::Null,
            (FieldKind::Money, Cell::Int(fen)) => Value::String(money::render(fen)),
            (_, Cell::Int(i)) => json!(i),
            (_, Cell::Float(f)) => json!(f),
            (_, Cell::Text(s)) => Value::String(s),
            (_, Cell::DateTime(t)) => Value::String(self.clock.render(t)),
            (_, Cell::Json(j)) => j,
        }
    }

    /// `addOrUpdate`: creates a record when `entity` has no id, else updates the given
    /// fields of it. Answers the record's id.
    pub async fn save_record(
        &self,
        module: &'static Module,
        actor: &Actor,
        request: SaveRequest<'_>,
    ) -> Result<i64> {
        let customs = self.field_defs(module).await?;
        let mut tx = self.db.begin().await?;
        let id = self.save_in(&mut tx, module, actor, &customs, request).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// `addOrUpdate` inside `tx` with the module's catalogue `customs`: every check and
    /// write of a save (an import saves its rows so, a batch to a transaction).
    pub(crate) async fn save_in(
        &self,
        tx: &mut Tx,
        module: &'static Module,
        actor: &Actor,
        customs: &[FieldRow],
        request: SaveRequest<'_>,
    ) -> Result<i64> {
        let SaveRequest {
            id,
            entity,
            field,
            input,
        } = request;
        let draft = Draft::parse(self, module, customs, &entity, &field)?;
        if id.is_none() {
            self.authorize(actor, module, Right::Save).await?;
        }
        let created = id.is_none();
        self.check_references(tx, actor, module, &draft).await?;
        self.require_unique_values(tx, module, customs, &draft, id)
            .await?;
        let id = match id {
            Some(id) => self.update_record(tx, module, actor, id, customs, draft).await?,
            None => {
                // Files uploaded before the record was saved come with it (`batchId`).
                let named = entity.get("batchId").or_else(|| entity.get("batch_id"));
                let batch = self.claim_batch(tx, actor, named).await?;
                self.create_record(tx, module, actor, customs, draft, batch)
                    .await?
            }
        };
        if let Some(after_save) = module.after_save {
            after_save(self, tx, actor, crate::crm::module::Saved { id, created }, input).await?;
        }
        Ok(id)
    }

    /// Fails with `<字段>已存在` unless every unique field's value in the draft is free
    /// (`own`: the record being updated).
    async fn require_unique_values(
        &self,
        tx: &mut Tx,
        module: &Module,
        customs: &[FieldRow],
        draft: &Draft,
        own: Option<i64>,
    ) -> Result<()> {
        let uniques = customs
            .iter()
            .filter(|d| d.is_unique == 1)
            .filter_map(|d| draft.value_for(d).map(|v| UniqueValue::new(d, &v, &self.clock)))
            .collect::<Result<Vec<_>>>()?;
        require_unique(tx, module, &uniques, own).await
    }

    /// Creates a record from `entity` (columns, and custom fields by name) inside `tx`, with
    /// every check of `addOrUpdate` but the references (the caller made the values):
    /// for records one service makes from another (a lead's customer).
    pub(crate) async fn create_in(
        &self,
        tx: &mut Tx,
        module: &'static Module,
        actor: &Actor,
        entity: &Map<String, Value>,
    ) -> Result<i64> {
        let customs = self.field_defs(module).await?;
        let draft = Draft::parse(self, module, &customs, entity, &[])?;
        self.require_unique_values(tx, module, &customs, &draft, None)
            .await?;
        let batch = super::files::new_batch_id();
        self.create_record(tx, module, actor, &customs, draft, batch)
            .await
    }

    async fn create_record(
        &self,
        tx: &mut Tx,
        module: &Module,
        actor: &Actor,
        customs: &[FieldRow],
        mut draft: Draft,
        batch: String,
    ) -> Result<i64> {
        self.complete_new(module, actor, customs, &mut draft, batch)?;
        let ids = self.insert_new(tx, module, actor, vec![draft]).await?;
        Ok(ids[0])
    }

    /// The last checks of a create, none of which reads the database — the required
    /// fields, the custom defaults — and the columns the server sets (owner by default,
    /// creator, times, the files' batch): for `create_record` and imports' batches alike.
    fn complete_new(
        &self,
        module: &Module,
        actor: &Actor,
        customs: &[FieldRow],
        draft: &mut Draft,
        batch: String,
    ) -> Result<()> {
        for f in module.fields.iter().filter(|f| f.required) {
            if matches!(draft.value_of(f.column), None | Some(Cell::Null)) {
                return Err(Error::bad(format!("{}不能为空", f.name)));
            }
        }
        for c in customs.iter().filter(|c| !c.is_column()) {
            let given = draft.custom.get(&c.field_name).is_some_and(|v| !v.is_null());
            if !given && !c.default_value.is_empty() {
                let default = fields::normalize(c, &Value::String(c.default_value.clone()), &self.clock)?;
                draft.custom.insert(c.field_name.clone(), default);
            } else if !given && c.is_null == 1 {
                return Err(Error::bad(format!("{}不能为空", c.name)));
            }
        }
        if matches!(draft.value_of(OWNER_COLUMN), None | Some(Cell::Null)) {
            draft.set(OWNER_COLUMN, Kind::Int, Cell::Int(actor.id()));
        }
        let now = Cell::DateTime(self.clock.now());
        draft.set("create_user_id", Kind::Int, Cell::Int(actor.id()));
        draft.set("create_time", Kind::DateTime, now.clone());
        draft.set("update_time", Kind::DateTime, now);
        draft.set("batch_id", Kind::Text, Cell::Text(batch));
        draft.custom.retain(|_, v| !v.is_null());
        let custom = Value::Object(draft.custom.clone());
        draft.set("custom", Kind::Json, Cell::Json(custom));
        Ok(())
    }

    /// Writes completed creates (one statement for as many as the backends bind), their
    /// `新建了…` history in one more, then the module's create hook over all of them.
    async fn insert_new(
        &self,
        tx: &mut Tx,
        module: &Module,
        actor: &Actor,
        drafts: Vec<Draft>,
    ) -> Result<Vec<i64>> {
        let rows: Vec<Vec<Assign>> = drafts.into_iter().map(|d| d.assigns).collect();
        let ids = match rows.as_slice() {
            [one] => vec![records::insert(&mut *tx, module.table, one).await?],
            _ => records::insert_each(&mut *tx, module.table, &rows, "batch_id").await?,
        };
        self.log(tx, actor, module, &ids, &[format!("新建了{}", module.title)])
            .await?;
        if let Some(after_create) = module.after_create {
            after_create(self, tx, &ids).await?;
        }
        Ok(ids)
    }

    async fn update_record(
        &self,
        tx: &mut Tx,
        module: &'static Module,
        actor: &Actor,
        id: i64,
        customs: &[FieldRow],
        mut draft: Draft,
    ) -> Result<i64> {
        // Locked first, so that concurrent updates of one record merge in turn.
        if records::lock_existing(tx, module.table, &[id]).await?.is_empty() {
            return Err(Error::business(format!("{}不存在或已删除", module.title)));
        }
        self.require_reach(&mut *tx, actor, module, &[id], Right::Update, Reach::Write)
            .await?;
        let before = self.rendered_in(tx, module, customs, id).await?;
        let [Some(owner), custom] = read_columns(tx, module, id, [OWNER_COLUMN, "custom"]).await? else {
            return Err(Error::business(format!("{}不存在或已删除", module.title)));
        };
        if let Some(Cell::Int(new_owner)) = draft.take(OWNER_COLUMN)
            && owner.as_i64() != Some(new_owner)
        {
            // A new owner only through the transfer rules: the transfer right over the
            // record, and the team and follow-up changes a transfer makes.
            self.require_reach(&mut *tx, actor, module, &[id], Right::Transfer, Reach::Own)
                .await?;
            self.change_owner(tx, actor, module, &[id], new_owner, &Plan::default())
                .await?;
        }
        if !draft.custom.is_empty() {
            let mut custom = match custom {
                Some(Cell::Json(Value::Object(map))) => map,
                _ => Map::new(),
            };
            for (k, v) in std::mem::take(&mut draft.custom) {
                if v.is_null() {
                    custom.remove(&k)
                } else {
                    custom.insert(k, v)
                };
            }
            draft.set("custom", Kind::Json, Cell::Json(Value::Object(custom)));
        }
        draft.set("update_time", Kind::DateTime, Cell::DateTime(self.clock.now()));
        records::update(&mut *tx, module.table, &[id], &draft.assigns).await?;
        let after = self.rendered_in(tx, module, customs, id).await?;
        self.log_changes(tx, actor, module, id, customs, (&before, &after))
            .await?;
        Ok(id)
    }

    /// Rows of a module, rendered, in the given order.
    pub(crate) async fn fetch_rendered<'a>(
        &self,
        exec: impl Into<Exec<'a>>,
        shape: &Shape<'_>,
        filter: &Filter,
        order: &[(Target, Kind, Order)],
        (limit, offset): (u64, u64),
    ) -> Result<Vec<Map<String, Value>>> {
        let rows = fetch_shaped(exec, shape, None, filter, order, (limit, offset)).await?;
        Ok(rows.into_iter().map(|cells| self.render(shape, cells)).collect())
    }

    /// One record as the detail shows it, read inside a transaction (for its history).
    async fn rendered_in(
        &self,
        tx: &mut Tx,
        module: &Module,
        customs: &[FieldRow],
        id: i64,
    ) -> Result<Map<String, Value>> {
        let shape = Shape {
            module,
            customs,
            viewer: None,
        };
        let rows = self
            .fetch_rendered(tx, &shape, &id_filter(module, &[id]), &[], (1, 0))
            .await?;
        Ok(rows.into_iter().next().unwrap_or_default())
    }

    /// `queryById` for a caller this instance may only remember: a remembered session is
    /// checked by the statement that reads the record (one round trip where a check of
    /// its own and the read were two); when that check fails, or finds no record to
    /// answer with, or the read fails, the session is checked as for any request and the
    /// record read again.
    pub async fn record_detail_as(&self, module: &Module, caller: &Caller, id: i64) -> Result<Value> {
        let Caller::Remembered { actor, check } = caller else {
            return self.record_detail(module, caller.actor(), id).await;
        };
        // An error too may come of what the memory holds (a right granted since): none is
        // answered before the full check.
        if let Ok(Some(row)) = self.detail_row(module, actor, id, Some(check)).await {
            return Ok(row);
        }
        let actor = self.authenticate_hash(&check.token_hash).await?;
        self.serving(&actor).record_detail(module, &actor, id).await
    }

    /// `queryById`: one record in the detail shape; `{"dataAuth":0}` (as the original
    /// answers) when it exists but lies outside the caller's reach.
    pub async fn record_detail(&self, module: &Module, actor: &Actor, id: i64) -> Result<Value> {
        if let Some(row) = self.detail_row(module, actor, id, None).await? {
            return Ok(row);
        }
        if records::matching_ids(&self.db, module.table, &[id], &Filter::True)
            .await?
            .is_empty()
        {
            return Err(Error::business(format!("{}不存在或已删除", module.title)));
        }
        Ok(json!({"dataAuth": 0}))
    }

    /// The record in the detail shape if the caller reaches it — and, with `check`, if the
    /// session is still as this instance remembers it (else the memory of it goes).
    async fn detail_row(
        &self,
        module: &Module,
        actor: &Actor,
        id: i64,
        check: Option<&SessionCheck>,
    ) -> Result<Option<Value>> {
        let owners = self.authorize(actor, module, Right::Read).await?;
        let customs = self.field_defs(module).await?;
        let reach = self.reach_filter(actor, module, &owners, Reach::Read);
        let shape = Shape {
            module,
            customs: &customs,
            viewer: Some(actor),
        };
        let filter = id_filter(module, &[id]).and(reach);
        let proof = check.map(|check| Select {
            source: Source::SessionVersion(check.clone()),
            kind: Kind::Int,
        });
        let mut cells = fetch_shaped(&self.db, &shape, proof, &filter, &[], (1, 0)).await?;
        if let Some(check) = check {
            let live = cells.first_mut().and_then(Vec::pop).and_then(|v| v.as_i64());
            if live.is_none() || live != actor.settings_version {
                self.remembered.forget(&check.token_hash);
                return Ok(None);
            }
        }
        let mut rows: Vec<_> = cells.into_iter().map(|c| self.render(&shape, c)).collect();
        self.add_extras(module, &mut rows).await?;
        Ok(rows.into_iter().next().map(Value::Object))
    }

    /// `queryPageList`: a page of records with `totalRow` (and the business money sum).
    pub async fn record_page(
        &self,
        module: &'static Module,
        actor: &Actor,
        query: ListQuery,
    ) -> Result<Value> {
        self.record_page_within(module, actor, query, (module.scope)())
            .await
    }

    /// A page of the records within `scope` (the module's list scope and one customer's
    /// contacts; the pool's customers).
    pub(crate) async fn record_page_within(
        &self,
        module: &'static Module,
        actor: &Actor,
        query: ListQuery,
        scope: Filter,
    ) -> Result<Value> {
        let paging = query.paging;
        let ListPlan {
            customs,
            filter,
            order,
        } = self.list_plan(module, actor, query, scope).await?;
        let shape = Shape {
            module,
            customs: &customs,
            viewer: Some(actor),
        };
        let (mut list, total) = tokio::try_join!(
            self.fetch_rendered(&self.db, &shape, &filter, &order, (paging.limit, paging.offset())),
            async { Ok(records::count(&self.db, module.table, &filter).await?) },
        )?;
        self.add_extras(module, &mut list).await?;
        let mut page = json!({"totalRow": total, "list": list});
        if let Some((column, key)) = module.list_sum {
            let sum = records::sum(&self.db, module.table, column, &filter).await?;
            page["money"] = json!({ key: money::render(sum) });
        }
        Ok(page)
    }

    /// What a list request selects within `scope`: the scene's and the request's conditions,
    /// the keyword, the caller's read reach (by the list right's scope), and the order.
    pub(crate) async fn list_plan(
        &self,
        module: &'static Module,
        actor: &Actor,
        query: ListQuery,
        scope: Filter,
    ) -> Result<ListPlan> {
        let owners = self.authorize(actor, module, Right::Index).await?;
        let customs = self.field_defs(module).await?;
        let catalog = Catalog {
            module,
            defs: &customs,
            clock: self.clock,
        };
        let mut data = self.scene_conditions(actor, module, query.scene).await?;
        data.extend(query.conditions);
        let filter = scope
            .and(filter::conditions(&catalog, &data, actor.id())?)
            .and(filter::search(module, &query.search)?)
            .and(self.reach_filter(actor, module, &owners, Reach::Read));
        let order = filter::order(&catalog, query.sort_field.as_deref(), query.ascending)?;
        Ok(ListPlan {
            customs,
            filter,
            order,
        })
    }

    /// `deleteByIds`: all or nothing, in one transaction.
    pub async fn delete_records(&self, module: &Module, actor: &Actor, ids: Vec<i64>) -> Result<()> {
        let mut tx = self.db.begin().await?;
        require_existing(&mut tx, module, &ids).await?;
        self.require_reach(&mut tx, actor, module, &ids, Right::Delete, Reach::Own)
            .await?;
        for dep in module.dependents {
            if records::count(&mut tx, dep.table, &column_in(dep.foreign_key, &ids)).await? > 0 {
                return Err(Error::business("该条数据与其他数据有必要关联，请勿删除"));
            }
        }
        if let Some(before_delete) = module.before_delete {
            before_delete(self, &mut tx, &ids).await?;
        }
        if module.has_team {
            team::delete_for_records(&mut tx, module.label, &ids).await?;
        }
        // A record's attachments go with it.
        self.delete_record_files(&mut tx, module, &ids).await?;
        self.log_deletes(&mut tx, actor, module, &ids).await?;
        self.forget_relations(&mut tx, module, &ids).await?;
        records::delete(&mut tx, module.table, &ids).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A create of an import's batch that has passed every check of `save_in`'s create but
/// the uniqueness of its values (the import decides duplicates itself, under the locks of
/// `require_unique`): see `Crm::check_creates`.
pub(crate) struct CheckedCreate<'c> {
    draft: Draft,
    entity: Map<String, Value>,
    /// The unique values it gives, as `require_unique` reads them.
    pub uniques: Vec<UniqueValue<'c>>,
    /// The failure of the checks that come after uniqueness in `save_in` (required fields,
    /// defaults), if one failed.
    pub incomplete: Option<String>,
}

impl Crm {
    /// `save_in`'s checks of creates, in its order, for a batch of entities: the values,
    /// the right to create, the references (each distinct record or user checked once, its
    /// row locked as `require_readable` does), the unique values read, then the required
    /// fields and defaults. Answers each entity's checked create, or the reason `save_in`
    /// would refuse it with.
    pub(crate) async fn check_creates<'c>(
        &self,
        tx: &mut Tx,
        module: &'static Module,
        actor: &Actor,
        customs: &'c [FieldRow],
        entities: Vec<Map<String, Value>>,
    ) -> Result<Vec<Result<CheckedCreate<'c>, String>>> {
        let allowed = refusal(self.authorize(actor, module, Right::Save).await.map(drop))?;
        let mut checked: std::collections::HashMap<(&'static str, i64), Result<(), String>> =
            std::collections::HashMap::new();
        let mut out = Vec::with_capacity(entities.len());
        for entity in entities {
            let draft = match refusal(Draft::parse(self, module, customs, &entity, &[]))? {
                Ok(draft) => draft,
                Err(reason) => {
                    out.push(Err(reason));
                    continue;
                }
            };
            if let Err(reason) = &allowed {
                out.push(Err(reason.clone()));
                continue;
            }
            let mut refused = None;
            for (f, id) in references(module, &draft) {
                let outcome = match checked.get(&(f.column, id)) {
                    Some(outcome) => outcome.clone(),
                    None => {
                        let outcome = refusal(self.check_reference(tx, actor, f, id).await)?;
                        checked.insert((f.column, id), outcome.clone());
                        outcome
                    }
                };
                if let Err(reason) = outcome {
                    refused = Some(reason);
                    break;
                }
            }
            if let Some(reason) = refused {
                out.push(Err(reason));
                continue;
            }
            let uniques = customs
                .iter()
                .filter(|d| d.is_unique == 1)
                .filter_map(|d| draft.value_for(d).map(|v| UniqueValue::new(d, &v, &self.clock)))
                .collect::<Result<Vec<_>>>();
            let uniques = match refusal(uniques)? {
                Ok(uniques) => uniques,
                Err(reason) => {
                    out.push(Err(reason));
                    continue;
                }
            };
            let mut draft = draft;
            let batch = super::files::new_batch_id();
            let incomplete = refusal(self.complete_new(module, actor, customs, &mut draft, batch))?.err();
            out.push(Ok(CheckedCreate {
                draft,
                entity,
                uniques,
                incomplete,
            }));
        }
        Ok(out)
    }

    /// Writes checked creates (see `check_creates`) as `save_in` writes one: the records,
    /// their history, the module's create hook, then its save hook for each.
    pub(crate) async fn create_checked(
        &self,
        tx: &mut Tx,
        module: &'static Module,
        actor: &Actor,
        creates: Vec<CheckedCreate<'_>>,
    ) -> Result<Vec<i64>> {
        if creates.is_empty() {
            return Ok(Vec::new());
        }
        let mut entities = Vec::with_capacity(creates.len());
        let mut drafts = Vec::with_capacity(creates.len());
        for create in creates {
            entities.push(create.entity);
            drafts.push(create.draft);
        }
        let ids = self.insert_new(tx, module, actor, drafts).await?;
        if let Some(after_save) = module.after_save {
            for (id, entity) in ids.iter().zip(entities) {
                let params = Map::from_iter([("entity".to_owned(), Value::Object(entity))]);
                let saved = crate::crm::module::Saved {
                    id: *id,
                    created: true,
                };
                after_save(self, tx, actor, saved, Input(&params)).await?;
            }
        }
        Ok(ids)
    }
}

/// A check's failure as the reason a row is refused with; a failure of the server stays one.
pub(crate) fn refusal<T>(result: Result<T>) -> Result<Result<T, String>> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(Error::Internal(detail)) => Err(Error::Internal(detail)),
        Err(e) => Ok(Err(e.to_string())),
    }
}

impl Crm {
    /// `删除了<模块>：<名称>` in the history of each record going.
    async fn log_deletes(&self, tx: &mut Tx, actor: &Actor, module: &Module, ids: &[i64]) -> Result<()> {
        let Some(name) = module.name_field() else {
            return Ok(());
        };
        let columns = [(module.id_column(), Kind::Int), (name.column, Kind::Text)];
        for row in rows(&mut *tx, module.table, &columns, &id_filter(module, ids)).await? {
            let sentence = format!("删除了{}：{}", module.title, row[1].as_str().unwrap_or_default());
            self.log(
                tx,
                actor,
                module,
                &[row[0].as_i64().unwrap_or_default()],
                &[sentence],
            )
            .await?;
        }
        Ok(())
    }

    /// Every record and user a draft refers to must exist (users also enabled), and every
    /// record must be one the caller may read, by the same predicate as its detail.
    async fn check_references(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        module: &Module,
        draft: &Draft,
    ) -> Result<()> {
        for (f, id) in references(module, draft) {
            self.check_reference(tx, actor, f, id).await?;
        }
        Ok(())
    }

    /// One value of `check_references`.
    async fn check_reference(&self, tx: &mut Tx, actor: &Actor, f: &SysField, id: i64) -> Result<()> {
        match f.kind {
            FieldKind::Ref(table, title) => self.require_readable(tx, actor, table, title, id).await,
            FieldKind::User => require_active_user(&mut *tx, id, f.name).await,
            _ => Ok(()),
        }
    }

    /// Fails unless record `id` of `table` exists and lies within the caller's read reach
    /// (`无权操作` when it exists but does not). The row stays locked until the transaction
    /// ends, so it cannot be deleted between this check and the write that refers to it.
    pub(crate) async fn require_readable(
        &self,
        tx: &mut Tx,
        actor: &Actor,
        table: Table,
        title: &str,
        id: i64,
    ) -> Result<()> {
        if records::lock_existing(tx, table, &[id]).await?.is_empty() {
            return Err(Error::business(format!("{title}不存在：{id}")));
        }
        let Some(target) = super::modules::ALL.iter().copied().find(|m| m.table == table) else {
            return Ok(());
        };
        let owners = match self.authorize(actor, target, Right::Read).await {
            Err(Error::Forbidden) => return Err(Error::NoPermission),
            other => other?,
        };
        let reach = self.reach_filter(actor, target, &owners, Reach::Read);
        if records::matching_ids(&mut *tx, table, &[id], &reach)
            .await?
            .is_empty()
        {
            return Err(Error::NoPermission);
        }
        Ok(())
    }
}
