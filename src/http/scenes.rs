//! `/api/scene/*`: saved list filters.

use super::routes::{Route, data, done, handler};
use crate::crm::scenes::{SceneDraft, SceneVisibility, scene_module};
use crate::crm::{Error, Input, Parse};

fn scene_id(input: Input<'_>) -> Result<i64, Error> {
    input.i64("sceneId", "场景id不能为空")
}

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(
            "/api/scene/queryField",
            "高级筛选可用的字段：label（9 公海）",
            handler!(|crm, actor, input| {
                data(
                    crm.filter_fields(crate::crm::columns::ListLabel::parse(input)?)
                        .await?,
                )
            }),
        ),
        Route::new(
            "/api/scene/queryScene",
            "筛选场景：type（1线索 2客户 3联系人 5商机）",
            handler!(|crm, actor, input| data(crm.query_scenes(actor, scene_module(input)?).await?)),
        ),
        Route::new(
            "/api/scene/addScene",
            "添加场景：type, name, data, isDefault",
            handler!(|crm, actor, input| {
                let module = scene_module(input)?;
                data(crm.add_scene(actor, module, SceneDraft::parse(input)?).await?)
            }),
        ),
        Route::new(
            "/api/scene/updateScene",
            "修改场景：sceneId, name, data, isDefault",
            handler!(|crm, actor, input| {
                let id = scene_id(input)?;
                done(crm.update_scene(actor, id, SceneDraft::parse(input)?).await?)
            }),
        ),
        Route::new(
            "/api/scene/deleteScene",
            "删除场景：sceneId（系统场景不能删除）",
            handler!(|crm, actor, input| done(crm.delete_scene(actor, scene_id(input)?).await?)),
        ),
        Route::new(
            "/api/scene/setDefaultScene",
            "设为默认场景：sceneId",
            handler!(|crm, actor, input| done(crm.set_default_scene(actor, scene_id(input)?).await?)),
        ),
        Route::new(
            "/api/scene/querySceneConfig",
            "场景设置：type → value, hideValue",
            handler!(|crm, actor, input| data(crm.scene_config(actor, scene_module(input)?).await?)),
        ),
        Route::new(
            "/api/scene/sceneConfig",
            "显示/隐藏场景：type, noHideIds, hideIds",
            handler!(|crm, actor, input| {
                let module = scene_module(input)?;
                done(
                    crm.configure_scenes(actor, module, SceneVisibility::parse(input)?)
                        .await?,
                )
            }),
        ),
    ]
}
