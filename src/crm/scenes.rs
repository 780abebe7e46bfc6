//! Scenes (场景): saved list filters per user and module. Each user gets the module's
//! system scenes on first use; `sceneId` (or the user's default scene) applies a scene to a
//! list, merged with the request's `data` (the request wins on the same field).

use serde_json::{Map, Value, json};

use super::access::{Owners, visible_owners};
use super::error::{Error, Result};
use super::filter::{self, Catalog};
use super::input::{Input, Parse, parse_ids};
use super::module::{Module, SystemScene};
use super::records::SceneChoice;
use super::{Actor, Crm};
use crate::store::records::OWNER_COLUMN;
use crate::store::scenes::{self, NewScene, SceneRow};
use crate::store::{fields, org};

/// What `addScene` / `updateScene` give: a name, J9 conditions, whether it becomes the default.
#[derive(Clone, Debug)]
pub struct SceneDraft {
    pub name: Option<String>,
    pub data: Option<Map<String, Value>>,
    pub make_default: bool,
}

impl Parse for SceneDraft {
    fn parse(input: Input<'_>) -> Result<Self> {
        Ok(SceneDraft {
            name: input
                .opt_str("name")?
                .map(|n| n.trim().to_owned())
                .filter(|n| !n.is_empty()),
            data: input.object("data")?,
            make_default: input.opt_i64("isDefault")? == Some(1),
        })
    }
}

/// What `sceneConfig` changes: scenes to show (`noHideIds`) and to hide (`hideIds`).
#[derive(Clone, Debug)]
pub struct SceneVisibility {
    pub show: Vec<i64>,
    pub hide: Vec<i64>,
}

impl Parse for SceneVisibility {
    fn parse(input: Input<'_>) -> Result<Self> {
        let ids = |key: &str| -> Result<Vec<i64>> {
            match input.raw(key) {
                None => Ok(Vec::new()),
                Some(v) => parse_ids(v).ok_or_else(|| Error::bad(format!("参数{key}应为场景id列表"))),
            }
        };
        Ok(SceneVisibility {
            show: ids("noHideIds")?,
            hide: ids("hideIds")?,
        })
    }
}

/// The module a scene request names (`type`, or `label`).
pub fn scene_module(input: Input<'_>) -> Result<&'static Module> {
    let label = input
        .opt_i64("type")?
        .or(input.opt_i64("label")?)
        .ok_or_else(|| Error::bad("type不能为空"))?;
    super::modules::by_label(label).ok_or_else(|| Error::bad("场景label不符合要求！"))
}

fn scene_json(s: &SceneRow, default: Option<i64>) -> Value {
    json!({"sceneId": s.scene_id, "name": s.name, "data": s.data, "bydata": s.bydata, "isSystem": s.is_system,
           "isDefault": i64::from(default == Some(s.scene_id)), "isHide": s.is_hide, "sort": s.sort})
}

/// The module's system scenes the user lacks, with their place: all of them on first use,
/// and one a later version added for a user who has the others.
fn missing_system_scenes<'m>(module: &'m Module, existing: &[SceneRow]) -> Vec<(usize, &'m SystemScene)> {
    module
        .system_scenes
        .iter()
        .enumerate()
        .filter(|(_, s)| !existing.iter().any(|e| e.is_system == 1 && e.name == s.name))
        .collect()
}

impl Crm {
    /// The user's scenes of a module, creating the system ones on first use.
    async fn scenes_of(&self, actor: &Actor, module: &Module) -> Result<Vec<SceneRow>> {
        let existing = scenes::of_user(&self.db, actor.id(), module.label).await?;
        if missing_system_scenes(module, &existing).is_empty() {
            return Ok(existing);
        }
        // Two first requests at once must not both create them: check again, serialised.
        let mut tx = self.db.begin().await?;
        crate::store::serialize_on(
            &mut tx,
            &[format!("system-scenes:{}:{}", actor.id(), module.label)],
        )
        .await?;
        let existing = scenes::of_user(&mut tx, actor.id(), module.label).await?;
        let missing = missing_system_scenes(module, &existing);
        if missing.is_empty() {
            return Ok(existing);
        }
        for (i, s) in missing {
            let data = s.data.to_owned();
            let new = NewScene {
                r#type: module.label,
                user_id: actor.id(),
                name: s.name,
                sort: i as i64,
                data: &data,
                is_system: true,
                bydata: Some(s.bydata),
                now: self.clock.now(),
            };
            scenes::insert(&mut tx, &new).await?;
        }
        tx.commit().await?;
        Ok(scenes::of_user(&self.db, actor.id(), module.label).await?)
    }

    /// One of the caller's scenes.
    async fn own_scene(&self, actor: &Actor, id: i64) -> Result<SceneRow> {
        match scenes::by_id(&self.db, id).await? {
            Some(s) if s.user_id == actor.id() => Ok(s),
            _ => Err(Error::business(format!("场景不存在：{id}"))),
        }
    }

    /// `queryScene`: the caller's visible scenes of a module.
    pub async fn query_scenes(&self, actor: &Actor, module: &'static Module) -> Result<Value> {
        let list = self.scenes_of(actor, module).await?;
        let default = scenes::default_of(&self.db, actor.id(), module.label).await?;
        Ok(Value::Array(
            list.iter()
                .filter(|s| s.is_hide == 0)
                .map(|s| scene_json(s, default))
                .collect(),
        ))
    }

    /// Checks scene conditions by compiling them against the module's fields; answers
    /// them as the stored JSON text.
    async fn checked_data(
        &self,
        actor: &Actor,
        module: &'static Module,
        data: Option<Map<String, Value>>,
    ) -> Result<Option<String>> {
        let Some(data) = data else {
            return Ok(None);
        };
        let defs = fields::of_label(&self.db, module.label, false).await?;
        filter::conditions(
            &Catalog {
                module,
                defs: &defs,
                clock: self.clock,
            },
            &data,
            actor.id(),
        )?;
        Ok(Some(Value::Object(data).to_string()))
    }

    /// `addScene`: answers the new scene's id.
    pub async fn add_scene(&self, actor: &Actor, module: &'static Module, draft: SceneDraft) -> Result<i64> {
        let name = draft.name.ok_or_else(|| Error::bad("场景名称不能为空"))?;
        if name.chars().count() > 50 {
            return Err(Error::bad("场景名称长度不能超过50个字符"));
        }
        let data = self
            .checked_data(actor, module, draft.data)
            .await?
            .ok_or_else(|| Error::bad("data不能为空"))?;
        let existing = self.scenes_of(actor, module).await?;
        let new = NewScene {
            r#type: module.label,
            user_id: actor.id(),
            name: &name,
            sort: existing.iter().map(|s| s.sort).max().unwrap_or(0) + 1,
            data: &data,
            is_system: false,
            bydata: None,
            now: self.clock.now(),
        };
        let mut tx = self.db.begin().await?;
        let id = scenes::insert(&mut tx, &new).await?;
        if draft.make_default {
            scenes::set_default(&mut tx, actor.id(), module.label, id).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// `updateScene`: a custom scene's name and conditions; any scene's default flag.
    pub async fn update_scene(&self, actor: &Actor, id: i64, draft: SceneDraft) -> Result<()> {
        let scene = self.own_scene(actor, id).await?;
        let module =
            super::modules::by_label(scene.r#type).ok_or_else(|| Error::bad("场景label不符合要求！"))?;
        let name = draft.name;
        let data = self.checked_data(actor, module, draft.data).await?;
        if scene.is_system == 1 && (name.is_some() || data.is_some()) {
            return Err(Error::business("系统场景不能修改"));
        }
        let mut tx = self.db.begin().await?;
        if name.is_some() || data.is_some() {
            scenes::update(
                &mut tx,
                scene.scene_id,
                name.as_deref().unwrap_or(&scene.name),
                data.as_deref().unwrap_or(&scene.data),
            )
            .await?;
        }
        if draft.make_default {
            scenes::set_default(&mut tx, actor.id(), scene.r#type, scene.scene_id).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// `deleteScene`: custom scenes only.
    pub async fn delete_scene(&self, actor: &Actor, id: i64) -> Result<()> {
        let scene = self.own_scene(actor, id).await?;
        if scene.is_system == 1 {
            return Err(Error::business("系统场景不能删除"));
        }
        let mut tx = self.db.begin().await?;
        scenes::delete(&mut tx, scene.scene_id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// `setDefaultScene`.
    pub async fn set_default_scene(&self, actor: &Actor, id: i64) -> Result<()> {
        let scene = self.own_scene(actor, id).await?;
        scenes::set_default(&self.db, actor.id(), scene.r#type, scene.scene_id).await?;
        Ok(())
    }

    /// `querySceneConfig`: `{value: [shown scenes], hideValue: [hidden scenes]}`.
    pub async fn scene_config(&self, actor: &Actor, module: &'static Module) -> Result<Value> {
        let list = self.scenes_of(actor, module).await?;
        let default = scenes::default_of(&self.db, actor.id(), module.label).await?;
        let (shown, hidden): (Vec<&SceneRow>, Vec<&SceneRow>) = list.iter().partition(|s| s.is_hide == 0);
        Ok(json!({
            "value": shown.iter().map(|s| scene_json(s, default)).collect::<Vec<_>>(),
            "hideValue": hidden.iter().map(|s| scene_json(s, default)).collect::<Vec<_>>(),
        }))
    }

    /// `sceneConfig`: shows `noHideIds` and hides `hideIds`; system scenes stay visible.
    pub async fn configure_scenes(
        &self,
        actor: &Actor,
        module: &'static Module,
        change: SceneVisibility,
    ) -> Result<()> {
        let list = self.scenes_of(actor, module).await?;
        let (show, hide) = (change.show, change.hide);
        let mut tx = self.db.begin().await?;
        for (id, hidden) in show
            .iter()
            .map(|i| (*i, false))
            .chain(hide.iter().map(|i| (*i, true)))
        {
            let scene = list
                .iter()
                .find(|s| s.scene_id == id)
                .ok_or_else(|| Error::business(format!("场景不存在：{id}")))?;
            if hidden && scene.is_system == 1 {
                return Err(Error::business("系统场景不能隐藏"));
            }
            scenes::set_hidden(&mut tx, id, hidden).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The J9 conditions a list starts from: the module's defaults, then the scene given by
    /// `sceneId` or else the caller's default scene, with its live rule resolved now.
    pub(crate) async fn scene_conditions(
        &self,
        actor: &Actor,
        module: &Module,
        choice: SceneChoice,
    ) -> Result<Map<String, Value>> {
        let mut data: Map<String, Value> =
            serde_json::from_str(module.default_conditions).unwrap_or_default();
        let scene_id = match choice {
            SceneChoice::NoScene => None,
            SceneChoice::Scene(id) => Some(id),
            SceneChoice::UserDefault => scenes::default_of(&self.db, actor.id(), module.label).await?,
        };
        let Some(scene_id) = scene_id else { return Ok(data) };
        let scene = self.own_scene(actor, scene_id).await?;
        if scene.r#type != module.label {
            return Err(Error::business(format!("场景不存在：{scene_id}")));
        }
        if let Ok(Value::Object(stored)) = serde_json::from_str::<Value>(&scene.data) {
            data.extend(stored);
        }
        let me = actor.id();
        let owner = |condition: &str, value: Value| json!({"name": OWNER_COLUMN, "condition": condition, "value": value});
        match scene.bydata.as_deref() {
            Some("self") => {
                data.insert(OWNER_COLUMN.into(), owner("is", json!(me)));
            }
            Some("child") => {
                let below = self.subordinates(actor).await?;
                // No subordinates: an impossible owner, so the scene lists nothing.
                let below = if below.is_empty() { vec![0] } else { below };
                data.insert(OWNER_COLUMN.into(), owner("in", json!(below)));
            }
            Some("takePart") => {
                data.insert("ro_user_id".into(), json!({"condition": "takePart", "value": me}));
            }
            Some("star") => {
                data.insert("star".into(), json!({"condition": "star", "value": me}));
            }
            _ => {}
        }
        Ok(data)
    }

    /// The users below the actor, at any depth (not the actor).
    pub(crate) async fn subordinates(&self, actor: &Actor) -> Result<Vec<i64>> {
        let links = org::user_links(&self.db).await?;
        Ok(match visible_owners(2, actor.id(), &links, &[]) {
            Owners::Only(ids) => ids.into_iter().filter(|id| *id != actor.id()).collect(),
            Owners::All => Vec::new(),
        })
    }
}
