//! Exports (`batchExportExcel`, `allExportExcel` and the pool's): the list's selection —
//! scene, `data` conditions, keyword, the caller's reach — read in id order a batch at a
//! time (keyset, never an offset) and written as it is read, so memory stays flat however
//! many records go out.

use serde_json::{Map, Value};
use tokio::sync::mpsc;

use super::write::{Format, Out, SheetWriter};
use super::{FileOut, columns};
use crate::crm::access::Right;
use crate::crm::error::{Error, Result};
use crate::crm::input::{Input, Parse};
use crate::crm::module::{Module, PoolExport, camel_case};
use crate::crm::records::{ListPlan, ListQuery, Paging, SceneChoice, Shape};
use crate::crm::rows::id_filter;
use crate::crm::{Actor, Crm};
use crate::store::fields::FieldRow;
use crate::store::{Cell, Filter, Kind, Op, Order, Target};

/// Records read per query.
const BATCH: u64 = 1000;

/// Which records an export takes.
#[derive(Clone, Debug)]
pub enum ExportTarget {
    /// `batchExportExcel`: these ids (`leadsIds` for leads as the document writes it, `ids`).
    Ids(Vec<i64>),
    /// `allExportExcel`: what the list request selects.
    All(ListQuery),
}

#[derive(Clone, Debug)]
pub struct ExportRequest {
    pub target: ExportTarget,
    pub format: Format,
    /// The module's public pool (`Module::pool`) instead of its list.
    pub pool: bool,
    /// With `pool`, one pool (`poolId`; every pool the caller may use when absent).
    pub pool_id: Option<i64>,
}

impl ExportRequest {
    /// The ids of a batch export: the module's ids key or `ids`, as an array or a
    /// comma-separated text.
    pub fn batch(module: &Module, input: Input<'_>, pool: bool) -> Result<Self> {
        let key = if input.raw(module.ids_key).is_some() {
            module.ids_key
        } else {
            "ids"
        };
        let ids = input.ids(key, &format!("请选择要导出的{}", module.title))?;
        Ok(ExportRequest {
            target: ExportTarget::Ids(ids),
            format: Format::parse(input.opt_str("format")?.as_deref())?,
            pool,
            pool_id: input.opt_i64("poolId")?,
        })
    }

    /// A whole-list export: the list's parameters without its paging.
    pub fn all(input: Input<'_>, pool: bool) -> Result<Self> {
        let mut params = input.0.clone();
        // The list's paging does not limit an export.
        params.remove("page");
        params.remove("limit");
        Ok(ExportRequest {
            target: ExportTarget::All(ListQuery::parse(Input(&params))?),
            format: Format::parse(input.opt_str("format")?.as_deref())?,
            pool,
            pool_id: input.opt_i64("poolId")?,
        })
    }
}

fn unfiltered() -> ListQuery {
    ListQuery {
        paging: Paging { page: 1, limit: 1 },
        scene: SceneChoice::NoScene,
        conditions: Map::new(),
        search: String::new(),
        sort_field: None,
        ascending: false,
    }
}

fn above(module: &Module, id: i64) -> Filter {
    Filter::Compare {
        target: Target::Column(module.id_column().into()),
        op: Op::Gt,
        kind: Kind::Int,
        value: Cell::Int(id),
    }
}

impl Crm {
    /// The export right, and the pool's for pool exports.
    fn require_export(&self, actor: &Actor, module: &Module, pool: Option<&PoolExport>) -> Result<()> {
        if let Some(pool) = pool {
            if !actor.access.holds(pool.realm, "excelexport") {
                return Err(Error::Forbidden);
            }
            return Ok(());
        }
        actor
            .access
            .scope(module, Right::ExcelExport)
            .map(drop)
            .ok_or(Error::Forbidden)
    }

    /// An export as a file: a header row of the module's columns, then one row a record.
    pub async fn export(
        &self,
        module: &'static Module,
        actor: &Actor,
        request: ExportRequest,
    ) -> Result<FileOut> {
        self.export_with(module, actor, request, &mut |_| {}).await
    }

    /// `export`, telling `progress` the rows written so far after each batch (the CLI's bar).
    pub async fn export_with(
        &self,
        module: &'static Module,
        actor: &Actor,
        request: ExportRequest,
        progress: &mut (dyn FnMut(u64) + Send),
    ) -> Result<FileOut> {
        let pool = match (request.pool, &module.pool) {
            (false, _) => None,
            (true, Some(pool)) => Some(pool),
            (true, None) => return Err(Error::bad("只有客户有公海")),
        };
        self.require_export(actor, module, pool)?;
        let scope = match pool {
            Some(pool) => (pool.scope)(self, actor, request.pool_id).await?,
            None => (module.scope)(),
        };
        let (query, scope) = match request.target {
            ExportTarget::Ids(ids) => (unfiltered(), scope.and(id_filter(module, &ids))),
            ExportTarget::All(query) => (query, scope),
        };
        let ListPlan { customs, filter, .. } = self.list_plan(module, actor, query, scope).await?;
        let columns = columns(module, &customs);
        let mut sheet = SheetWriter::new(request.format)?;
        let header: Vec<Out> = columns.iter().map(|c| Out::Text(c.title.clone())).collect();
        sheet.row(&header)?;
        let mut pages = self.read_pages(module, customs, filter);
        while let Some(page) = pages.recv().await {
            for row in &page? {
                let cells: Vec<Out> = columns.iter().map(|c| c.out(row)).collect();
                sheet.row(&cells)?;
            }
            progress(u64::from(sheet.rows() - 1));
        }
        let mut file = sheet.finish()?;
        file.name = format!(
            "{}.{}",
            file_stem(module, request.pool),
            request.format.extension()
        );
        Ok(file)
    }

    /// The records `filter` selects, rendered, in id order a batch at a time, read by a
    /// task of their own: the next batch is read and rendered (most of an export's work
    /// besides the sheet's) on the other core while the caller writes this one.
    fn read_pages(
        &self,
        module: &'static Module,
        customs: Vec<FieldRow>,
        filter: Filter,
    ) -> mpsc::Receiver<Result<Vec<Map<String, Value>>>> {
        let (pages, received) = mpsc::channel(1);
        let crm = self.clone();
        tokio::spawn(async move {
            let order = [(Target::Column(module.id_column().into()), Kind::Int, Order::Asc)];
            let id_key = camel_case(module.id_column());
            let mut last = 0;
            loop {
                let batch = filter.clone().and(above(module, last));
                let shape = Shape {
                    module,
                    customs: &customs,
                    viewer: None,
                };
                let page = crm
                    .fetch_rendered(&crm.db, &shape, &batch, &order, (BATCH, 0))
                    .await;
                // A full batch may have more after it; a short one, or an error, ends it.
                let next = match &page {
                    Ok(rows) if rows.len() as u64 == BATCH => {
                        rows.last().and_then(|r| r.get(&id_key)).and_then(Value::as_i64)
                    }
                    _ => None,
                };
                // A send fails when the export stopped (an error while writing).
                if pages.send(page).await.is_err() {
                    break;
                }
                match next {
                    Some(end) => last = end,
                    None => break,
                }
            }
        });
        received
    }
}

/// The file name of a module's export: `leads`, `customer`, `pool`, ….
pub(crate) fn file_stem(module: &Module, pool: bool) -> String {
    match (&module.pool, pool) {
        (Some(p), true) => p.file_stem.to_owned(),
        _ => module.realm.to_owned(),
    }
}
