//! Product routes beyond the generic ones: shelf status, categories, a business's products.

use super::routes::{Route, data, done, handler};
use crate::crm::modules::PRODUCT;
use crate::crm::records::SaveRequest;

pub fn routes() -> Vec<Route> {
    vec![
        Route::new(
            "/api/CrmProduct/saveAndUpdate",
            "新增或修改产品（J9 客户端的名称，同 addOrUpdate）：{\"entity\":{…},\"field\":[…]}",
            handler!(|crm, actor, input| data(
                crm.save_record(&PRODUCT, actor, SaveRequest::parse(&PRODUCT, input)?)
                    .await?
            )),
        ),
        Route::new(
            "/api/CrmProduct/updateStatus",
            "产品上架/下架：ids, status（1上架 0下架）",
            handler!(|crm, actor, input| done(crm.set_product_status(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/CrmProductCategory/queryList",
            "产品分类树",
            handler!(|crm, actor, input| data(crm.category_tree().await?)),
        ),
        Route::new(
            "/api/CrmProductCategory/saveAndUpdate",
            "新增或修改产品分类（管理员）：categoryId, name, pid",
            handler!(|crm, actor, input| data(crm.save_category(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/CrmProductCategory/deleteById",
            "删除产品分类（管理员）：categoryId",
            handler!(|crm, actor, input| done(crm.delete_category(actor, input.into()).await?)),
        ),
        Route::new(
            "/api/CrmBusiness/queryProduct",
            "商机的产品：businessId → list, totalPrice, discountRate",
            handler!(|crm, actor, input| {
                let id = input.i64("businessId", "商机id不能为空")?;
                data(crm.line_items(actor, id).await?)
            }),
        ),
    ]
}
