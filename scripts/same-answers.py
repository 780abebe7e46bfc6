#!/usr/bin/env python3
"""Do two wkcrm builds answer the same? Replays one fixed sequence of API requests (reads,
writes and refusals across users, organisation, fields, categories and every record module)
against each binary on a fresh SQLite database and compares the answers byte for byte, after
masking what differs between any two runs (times, tokens, generated field keys).

    python3 scripts/same-answers.py OLD_BINARY NEW_BINARY

Exits 0 when every answer is identical, 1 (printing the first differences) otherwise.
Used for refactors that must not change behaviour (issue 8).
"""
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

PASSWORD = "same-answers-123"

# (path, params); "{name}" in a value is replaced by an id answered earlier under that name.
STEPS = [
    ("/api/system/user/queryUserList", {"page": 1, "limit": 10}),
    ("/api/system/menu/getAllMenuList", {}),
    ("/api/system/dept/queryDeptTree", {}),
    ("/api/system/role/getAllRoleList", {}),
    ("/api/system/dept/addDept=dept", {"name": "销售部", "pid": 1, "remark": "一部"}),
    ("/api/system/dept/setDept", {"deptId": "{dept}", "name": "销售一部"}),
    ("/api/system/dept/setDept", {"deptId": "{dept}", "pid": "{dept}"}),
    ("/api/system/dept/addDept", {"name": ""}),
    ("/api/system/dept/deleteDept", {"deptId": 99999}),
    ("/api/system/dept/queryDeptTree", {}),
    ("/api/system/role/add=role", {"roleName": "销售", "dataType": 2}),
    ("/api/system/role/add", {"roleName": "x", "dataType": 9}),
    ("/api/system/role/update", {"roleId": "{role}", "remark": "改"}),
    ("/api/system/role/update", {"roleId": 1, "roleName": "改"}),
    ("/api/system/role/updateRoleMenu", {"roleId": "{role}", "dataType": 5, "menuIds": "1,9,10"}),
    ("/api/system/role/updateRoleMenu", {"id": "{role}", "type": 3, "rules": [1, 9]}),
    ("/api/system/role/updateRoleMenu", {"roleId": "{role}", "menuIds": "99999"}),
    ("/api/system/user/addUser=user", {"username": "13800000001", "password": "123456a", "realname": "张三", "deptId": "{dept}"}),
    ("/api/system/user/addUser", {"username": "13800000001", "password": "123456a", "realname": "重复"}),
    ("/api/system/role/relatedUser", {"userIds": "{user}", "roleIds": "{role}"}),
    ("/api/system/role/unbindingUser", {"userIds": "{user}", "roleIds": "99999"}),
    ("/api/system/user/setUser", {"userId": "{user}", "realname": " 李四 ", "post": "经理", "roleIds": "{role}"}),
    ("/api/system/user/setUser", {"userId": "{user}", "parentId": "{user}"}),
    ("/api/system/user/setUserStatus", {"userIds": "{user}", "status": 3}),
    ("/api/system/user/queryUserList", {"search": "李"}),
    ("/api/system/role/getAllRoleList", {}),
    ("/api/field/addField=field", {"label": 2, "name": "客户来源渠道", "formType": "select", "options": "a,b,c", "isUnique": 0}),
    ("/api/field/addField", {"label": 2, "name": "x", "formType": "nope"}),
    ("/api/field/addField", {"label": 2, "name": "y", "formType": "select"}),
    ("/api/field/addField", {"label": 2, "name": "z", "formType": "text", "maxLength": 0}),
    ("/api/field/updateField", {"fieldId": "{field}", "formType": "text"}),
    ("/api/field/updateField", {"fieldId": "{field}", "inputTips": "请选择"}),
    ("/api/field/setFieldHidden", {"fieldId": "{field}", "isHidden": 1}),
    ("/api/field/setFieldHidden", {"fieldId": "{field}", "isHidden": 0}),
    ("/api/field/queryField", {"label": 2}),
    ("/api/field/verify", {"fieldId": "{field}", "value": "q"}),
    ("/api/CrmProductCategory/saveAndUpdate=cat", {"name": "硬件", "pid": 0}),
    ("/api/CrmProductCategory/saveAndUpdate", {"name": "子类", "pid": "{cat}"}),
    ("/api/CrmProductCategory/saveAndUpdate", {"categoryId": "{cat}", "name": "硬件", "pid": "{cat}"}),
    ("/api/CrmProductCategory/queryList", {}),
    ("/api/CrmProductCategory/deleteById", {"id": "{cat}"}),
    ("/api/CrmLeads/addOrUpdate=lead", {"entity": {"leads_name": "线索一", "mobile": "13900000000"}}),
    ("/api/CrmLeads/queryPageList", {"page": 1, "limit": 15}),
    ("/api/CrmLeads/queryById", {"leadsId": "{lead}"}),
    ("/api/CrmCustomer/addOrUpdate=customer", {"entity": {"customer_name": "客户一", "level": "A"}}),
    ("/api/CrmCustomer/addOrUpdate", {"entity": {"customer_name": "客户一"}}),
    ("/api/CrmContacts/addOrUpdate=contact", {"entity": {"name": "联系人一", "customer_id": "{customer}"}}),
    ("/api/CrmProduct/addOrUpdate=product", {"entity": {"name": "产品一", "price": "10.50", "category_id": "{cat}", "num": "P1"}}),
    ("/api/CrmProduct/updateStatus", {"ids": "{product}", "status": 0}),
    ("/api/CrmBusiness/addOrUpdate=business", {"entity": {"business_name": "商机一", "customer_id": "{customer}", "money": 100},
                                               "product": [{"productId": "{product}", "price": 10, "salesPrice": 9, "num": 2}]}),
    ("/api/CrmBusiness/queryProduct", {"businessId": "{business}"}),
    ("/api/CrmCustomer/queryPageList", {"search": "客户"}),
    ("/api/CrmCustomer/queryById", {"customerId": "{customer}"}),
    ("/api/CrmContacts/queryPageList", {}),
    ("/api/CrmBusiness/queryPageList", {}),
    ("/api/CrmProduct/queryPageList", {}),
    ("/api/CrmCustomer/transfer", {"ids": "{customer}", "newOwnerUserId": "{user}", "transferType": 2, "power": 2}),
    ("/api/CrmCustomer/queryById", {"customerId": "{customer}"}),
    ("/api/CrmLeads/deleteByIds", {"ids": "{lead}"}),
    ("/api/scene/queryScene", {"type": 2}),
    ("/api/field/deleteField", {"fieldId": "{field}"}),
]

MASKS = [
    (re.compile(r'"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}"'), '"<time>"'),
    (re.compile(r'"\d{4}-\d{2}-\d{2}"'), '"<date>"'),
    (re.compile(r'field_[0-9a-f]{8}'), 'field_<key>'),
    (re.compile(r'"(field)?[bB]atchId":"[0-9a-f]{32}"'), '"batchId":"<batch>"'),
    (re.compile(r'"Admin-Token":"[^"]+"'), '"Admin-Token":"<token>"'),
]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base, path, params, token=None):
    req = urllib.request.Request(base + path, data=json.dumps(params).encode(), method="POST")
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Admin-Token", token)
    try:
        with urllib.request.urlopen(req) as answer:
            return answer.read().decode()
    except urllib.error.HTTPError as refused:
        return f"HTTP {refused.code} " + refused.read().decode()


def fill(value, ids):
    if isinstance(value, str):
        return re.sub(r"\{(\w+)\}", lambda m: str(ids.get(m.group(1), 0)), value)
    if isinstance(value, list):
        return [fill(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: fill(v, ids) for k, v in value.items()}
    return value


def replay(binary):
    port = free_port()
    with tempfile.TemporaryDirectory() as work:
        server = subprocess.Popen(
            [binary, "serve", "--database", f"sqlite:{work}/db", "--listen", f"127.0.0.1:{port}",
             "--admin-password", PASSWORD],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            base = f"http://127.0.0.1:{port}"
            for _ in range(200):
                try:
                    call(base, "/api/health", {})
                    break
                except OSError:
                    time.sleep(0.05)
            login = call(base, "/api/login", {"username": "admin", "password": PASSWORD})
            token = json.loads(login)["Admin-Token"]
            answers, ids = [login], {}
            for step, params in STEPS:
                path, _, name = step.partition("=")
                body = call(base, path, fill(params, ids), token)
                if name and not body.startswith("HTTP"):
                    data = json.loads(body).get("data")
                    ids[name] = data if isinstance(data, int) else (data or {}).get("id", 0)
                answers.append(body)
            return answers
        finally:
            server.terminate()
            server.wait()


def masked(text):
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    old, new = (list(map(masked, replay(b))) for b in sys.argv[1:])
    labels = ["/api/login"] + [s[0] for s in STEPS]
    differ = [(l, a, b) for l, a, b in zip(labels, old, new) if a != b]
    for label, a, b in differ[:10]:
        print(f"{label}\n  before: {a[:400]}\n  after:  {b[:400]}")
    print(f"{len(old)} answers compared, {len(differ)} differ")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
