#!/usr/bin/env python3
"""Our own journeys through the WukongCRM 9 web client, served by wkcrm (`--web-root`).

Each journey runs in a fresh browser context, logs in through the login form, moves by
clicking, and checks what the screen shows. Every /api answer is recorded; the ones with
HTTP 404 or code != 0 are printed under a failing journey. The helpers (login, list tables,
create forms, network and toast capture) come from the shared harness's journeys.py.

usage: journeys.py --base http://127.0.0.1:PORT/ --out DIR [--seed seed.json]
                   [--only NAME,...] [--list] [--chromium PATH]
env:   WKCRM_ADMIN_USER (default admin), WKCRM_ADMIN_PASSWORD (required),
       WKCRM_SHARED_REALCLIENT (default /work/shared/realclient)

Output in DIR: shots/*.png, browser_net.jsonl, browser_console.log, results.json,
first_paint.json, import_* (the files of the import journey). Last stdout line:
"N passed, M failed".
"""
import argparse
import csv
import importlib.util
import json
import os
import re
import statistics
import sys
import time
import traceback
from pathlib import Path

from playwright.sync_api import Error as PWError
from playwright.sync_api import TimeoutError as PWTimeout
from playwright.sync_api import sync_playwright

SHARED = Path(os.environ.get('WKCRM_SHARED_REALCLIENT', '/work/shared/realclient'))
_spec = importlib.util.spec_from_file_location('shared_journeys', SHARED / 'journeys.py')
sj = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sj)

Failed = sj.Failed
Journey = sj.Journey
exact = sj.exact
login = sj.login
open_menu = sj.open_menu
find_row = sj.find_row
read_table = sj.read_table
describe_table = sj.describe_table
form_item = sj.form_item
open_create_form = sj.open_create_form
seed_item = sj.seed_item

JOURNEYS = []


def journey(fn):
    JOURNEYS.append(fn)
    return fn


NUM = re.compile(r'^-?\d+(\.\d+)?$')


# helpers of our own ------------------------------------------------------------------
def note(j, text):
    """A finding that does not fail the journey (printed as a NOTE line)."""
    j.run.notes.append((j.name, text))


def click_sidebar(j, label):
    """Click the sidebar entry whose title is `label` (its number badge aside)."""
    j.step(f'sidebar {label}')
    items = j.page.locator('.el-menu-vertical .el-menu-item').filter(
        has=j.page.locator('span', has_text=exact(label)))
    if items.count() == 0:
        raise Failed(f"the sidebar has no '{label}' entry (entries: {', '.join(sj.sidebar_entries(j))})")
    items.first.click()


def api_calls(j, path, step=None):
    return [r for r in j.api if r['path'] == path and (step is None or r['step'] == step)]


def bad_calls(j, prefixes=None, steps=None):
    """The /api answers of this journey (after login) with HTTP != 200 or code != 0."""
    out = []
    for r in j.api:
        if r['step'] == 'login' or (steps and r['step'] not in steps):
            continue
        if prefixes and not any(r['path'].startswith(p) for p in prefixes):
            continue
        if r['status'] != 200 or r['code'] not in (0, None):
            out.append(r)
    return out


def fmt_call(r):
    return (f"{r['method']} {r['path']} -> HTTP {r['status']}"
            + (f" code={r['code']}" if r['code'] is not None else '')
            + (f" msg={r['msg']!r}" if r['msg'] else '')
            + (f" (sent: {r['req'][:160]})" if r.get('req') else ''))


def error_toasts(j, since=None):
    return j.toasts('error', since=j.toasts_at_login if since is None else since)


# Reads the el-table inside the visible element matched by `root`: header labels, row
# texts, the empty text and the pager total ("共 N 条").
ROOT_TABLE_JS = """(root) => {
  const vis = el => !!(el && (el.offsetWidth || el.offsetHeight || el.getClientRects().length));
  const r = [...document.querySelectorAll(root)].find(vis);
  if (!r) return null;
  const t = [...r.querySelectorAll('.el-table')].find(vis);
  if (!t) return null;
  const heads = [...t.querySelectorAll('.el-table__header-wrapper thead tr:first-child th')]
    .map(th => th.textContent.trim());
  const rows = [...t.querySelectorAll('.el-table__body-wrapper tbody tr.el-table__row')]
    .map(tr => [...tr.children].map(td => td.textContent.trim()));
  const empty = t.querySelector('.el-table__empty-text');
  const total = r.querySelector('.el-pagination__total');
  return {heads, rows, empty: vis(empty) ? empty.textContent.trim() : null,
          total: total ? total.textContent.trim() : null};
}"""


def pager_total(t):
    m = re.search(r'(\d+)', (t or {}).get('total') or '')
    return int(m.group(1)) if m else None


def canvas_has_color(j, selector, rgb=None, tol=10):
    """Whether the canvas under `selector` has drawn pixels (of colour `rgb`, if given)."""
    return j.page.evaluate("""([sel, rgb, tol]) => {
      const c = document.querySelector(sel + ' canvas');
      if (!c || !c.width || !c.height) return null;
      const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] < 200) continue;
        if (!rgb) { if (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250) return true; continue; }
        if (Math.abs(d[i] - rgb[0]) <= tol && Math.abs(d[i + 1] - rgb[1]) <= tol
            && Math.abs(d[i + 2] - rgb[2]) <= tol) return true;
      }
      return false;
    }""", [selector, rgb, tol])


# 仪表盘 ---------------------------------------------------------------------------------
BULLETIN = [('新增客户', 'customerCount'), ('新增联系人', 'contactsCount'),
            ('新增商机', 'businessCount'), ('阶段变化的商机', 'recordStatusCount'),
            ('新增合同', 'contractCount'), ('新增跟进记录', 'recordCount'),
            ('新增回款', 'receivablesCount')]


def read_bulletin(j):
    return dict(j.page.evaluate("""() => [...document.querySelectorAll('.jianbao-icon-content')].map(
        e => [(e.querySelector('.jianbao-title') || {}).textContent || '',
              (e.querySelector('.jianbao-value') || {}).textContent || ''].map(s => s.trim()))"""))


def check_bulletin(j, want, label, problem):
    """Wait until the 销售简报 shows `want`; add a problem line for each number that differs."""
    end = time.time() + 10
    while True:
        shown = read_bulletin(j)
        wrong = {t: (shown.get(t), want[k]) for t, k in BULLETIN if shown.get(t) != str(want[k])}
        if not wrong or time.time() > end:
            break
        j.page.wait_for_timeout(300)
    for title, (got, exp) in wrong.items():
        problem(f"销售简报 ({label}) {title} shows {got!r}, expected {exp}")
    return shown


@journey
def dashboard_shows_numbers(j):
    seed = j.run.seed
    exp = (seed.get('expected') or {}).get('bulletin')
    if not exp:
        raise Failed('no expected numbers in the seed file (seed_more.py did not run)')
    login(j)
    pg = j.page
    if '#/crm/workbench' not in pg.url:
        click_sidebar(j, '仪表盘')
    j.step('open 仪表盘')
    j.expect_visible(pg.locator('.jianbao-icon-content'), 'the 销售简报 panel of 仪表盘', 15000)
    j.wait_api_idle()
    j.shot('dashboard_year')
    problems = []
    problem = lambda text: problems.append(f'[{j.step_name}] {text}')

    j.step('销售简报 本年')
    period = pg.locator('.user-container .type-select input').first.input_value()
    if period != '本年':
        problem(f"the period select shows {period!r}, expected 本年 (the client's default)")
    check_bulletin(j, exp['year'], '本年', problem)

    j.step('choose 今天')
    pg.locator('.user-container .type-select').first.click()
    item = j.expect_visible(pg.locator('.type-content-item').filter(has_text=exact('今天')),
                            "the period '今天' in the period popover", 5000)
    item.click()
    j.wait_api_idle()
    j.shot('dashboard_today')
    asked = [r for r in api_calls(j, '/api/Crm/Instrument/queryBulletin', 'choose 今天')
             if 'type=today' in (r.get('req') or '')]
    if not asked:
        problem('choosing 今天 did not ask Crm/Instrument/queryBulletin with type=today')
    check_bulletin(j, exp['today'], '今天', problem)

    j.step('销售漏斗')
    business = seed.get('business') or {}
    group = pg.locator('.funnelSelect input').first.input_value()
    want_group = (business.get('type') or {}).get('name')
    if want_group and group != want_group:
        problem(f"销售漏斗 shows the 商机组 {group!r}, expected {want_group!r}")
    elif not group:
        problem('销售漏斗 shows no 商机组')
    for text in [t.strip() for t in pg.locator('.funnel-label div').all_text_contents()]:
        if not re.match(r'^(赢单|输单)：-?\d+(\.\d+)?元$', text):
            problem(f"销售漏斗 label reads {text!r} (no amount)")
    if business.get('id') is not None and business.get('status'):
        # the seeded business sits in the first stage: the funnel draws it in the first
        # series colour (#6CA2FF)
        drawn = canvas_has_color(j, '#funnelmain', [0x6C, 0xA2, 0xFF])
        if not drawn:
            problem('销售漏斗 draws no stage for the seeded business (its canvas has no '
                            f"#6CA2FF area; canvas {'missing' if drawn is None else 'blank there'})")

    j.step('销售趋势 and 业绩指标')
    for block in ('.trend-target-item', '.target-item'):
        for name, value in pg.evaluate("""(sel) => [...document.querySelectorAll(sel)].map(e =>
                [(e.querySelector('.name') || {}).textContent || '', (e.querySelector('.value') || {}).textContent || '']
                .map(s => s.trim()))""", block):
            if not re.match(r'^-?\d+(\.\d+)?元$', value):
                problem(f"{'销售趋势' if 'trend' in block else '业绩指标'} {name} reads {value!r} (no amount)")
    if not canvas_has_color(j, '#axismain'):
        problem('销售趋势 chart is blank')

    errs = error_toasts(j)
    if errs:
        problem(f"error messages shown: {' / '.join(dict.fromkeys(errs))}")
    bad = bad_calls(j, prefixes=('/api/Crm/Instrument/', '/api/CrmBusiness/'))
    if bad:
        problem('the dashboard calls were refused: ' + '; '.join(fmt_call(r) for r in bad[:6]))
    if problems:
        j.step('summary')
        raise Failed(' | '.join(problems))


# 待办事项 -------------------------------------------------------------------------------
SIDE_ITEMS_JS = """() => [...document.querySelectorAll('.message-body-side .side-item')].map(el => {
  const b = el.querySelector('.el-badge__content');
  const badge = b && (b.offsetWidth || b.offsetHeight) ? b.textContent.trim() : '';
  return {name: el.textContent.replace(b ? b.textContent : '', '').trim(), badge,
          selected: el.classList.contains('side-item-select')};
})"""


def read_message_list(j, timeout=8.0):
    """The visible to-do list, once its request has been answered."""
    end = time.time() + timeout
    t = None
    while time.time() < end:
        j.wait_api_idle(timeout=3)
        t = j.page.evaluate(ROOT_TABLE_JS, '.message-body-content .ec-container')
        if t is not None and t['heads']:
            return t
        j.page.wait_for_timeout(300)
    return t


@journey
def todo_page_shows_counts_and_lists(j):
    tc = seed_item(j, 'today_customer')
    exp = (j.run.seed.get('expected') or {})
    base = (j.run.seed.get('baseline') or {}).get('backlog') or {}
    login(j)
    pg = j.page
    menu_badge = pg.locator('.el-menu-vertical .el-menu-item').filter(
        has=pg.locator('span', has_text=exact('待办事项'))).locator('.el-badge__content')
    shown_total = menu_badge.first.text_content().strip() if menu_badge.count() else '0'
    click_sidebar(j, '待办事项')
    j.step('open 待办事项')
    j.expect_visible(pg.locator('.message-header').filter(has_text=exact('待办事项')), 'the 待办事项 page')
    j.wait_api_idle()
    j.shot('todo_page')
    problems = []
    problem = lambda text: problems.append(f'[{j.step_name}] {text}')
    if not api_calls(j, '/api/CrmBackLog/num'):
        problem('the client never asked CrmBackLog/num')
    items = pg.evaluate(SIDE_ITEMS_JS)
    names = [i['name'] for i in items]
    if '今日需联系客户' not in names:
        raise Failed(f"the 待办事项 page has no '今日需联系客户' (items: {', '.join(names) or 'none'})"
                     + (f" | api: {'; '.join(fmt_call(r) for r in bad_calls(j)[:4])}" if bad_calls(j) else ''))
    nums = {i['name']: int(i['badge']) if i['badge'].isdigit() else (0 if not i['badge'] else i['badge'])
            for i in items}
    want_today = exp.get('todayCustomer', 1)
    if nums['今日需联系客户'] != want_today:
        problem(f"今日需联系客户 shows the count {nums['今日需联系客户']}, expected {want_today}")
    numeric = [v for v in nums.values() if isinstance(v, int)]
    if shown_total != str(sum(numeric)) and not (shown_total == '0' and sum(numeric) == 0):
        note(j, f"the sidebar badge of 待办事项 shows {shown_total}, the page's counts add up to {sum(numeric)}")

    # The list of each entry: its pager total must equal the count the entry shows.
    for item in items:
        name = item['name']
        j.step(f'list {name}')
        pg.locator('.message-body-side .side-item').filter(has_text=name).first.click()
        t = read_message_list(j)
        total = pager_total(t)
        if name == '今日需联系客户':
            j.shot('today_customers')
            try:
                find_row_in_message(j, '客户名称', tc['name'])
            except Failed as e:
                problem(f'今日需联系客户 does not list the seeded customer: {e}')
        if t is None:
            problem(f"{name}: no list is shown")
            continue
        want = nums.get(name)
        if isinstance(want, int) and total != want:
            problem(f"{name}: the entry shows {want}, its list shows {total} row(s) in total "
                            f"({describe_table(t)})")
    # J9 semantics of 分配给我的线索/客户 (CrmBackLogService.followLeads/followCustomer and
    # backLog.sql followLeadsNum/followCustomerNum): followup = 0, which J9 sets only when a
    # record is transferred, received or distributed; a record created by its owner has
    # followup NULL and is not counted.
    seeded = {'分配给我的线索': ('followLeads', 0), '分配给我的客户': ('followCustomer', 0)}
    for name, (key, added) in seeded.items():
        if isinstance(nums.get(name), int) and nums[name] != base.get(key, 0) + added:
            note(j, f"{name} counts {nums[name]}: wkcrm counts records whose followup was never set "
                    f"(created by their owner); J9 counts only followup = 0 (after transfer/receive/"
                    f"distribute) and would show {base.get(key, 0) + added} for the seeded data")
    errs = error_toasts(j)
    if errs:
        problem(f"error messages shown: {' / '.join(dict.fromkeys(errs))}")
    bad = bad_calls(j, prefixes=('/api/CrmBackLog/', '/api/field/', '/api/CrmCustomer/', '/api/CrmLeads/'))
    if bad:
        problem('calls of the page were refused: ' + '; '.join(fmt_call(r) for r in bad[:6]))
    if problems:
        j.step('summary')
        raise Failed(' | '.join(problems))


def find_row_in_message(j, column, text, timeout=8.0):
    end = time.time() + timeout
    t = None
    while True:
        t = j.page.evaluate(ROOT_TABLE_JS, '.message-body-content .ec-container')
        if t and column in t['heads']:
            c = t['heads'].index(column)
            if any(c < len(cells) and text in cells[c] for cells in t['rows']):
                return
        if time.time() > end:
            break
        j.page.wait_for_timeout(300)
    if t and column not in t['heads']:
        raise Failed(f"the list has no column '{column}' ({describe_table(t)})")
    raise Failed(f"no row with '{text}' under '{column}' ({describe_table(t)})")


# 自定义字段 -----------------------------------------------------------------------------
@journey
def field_admin_adds_custom_field(j):
    name = f'界面字段{j.run.tag[-6:]}'
    login(j)
    pg = j.page
    j.step('open 企业管理后台')
    pg.locator('.navbar .user-container').first.click()
    j.expect_visible(pg.locator('button').filter(has_text='进入企业管理后台'),
                     "the button '进入企业管理后台' in the user menu", 5000).click()
    try:
        pg.wait_for_function("() => location.hash.startsWith('#/manager')", timeout=10000)
    except PWTimeout:
        raise Failed(f'进入企业管理后台 did not open the system settings (at {pg.url})')
    j.wait_api_idle()
    j.step('open 自定义字段设置')
    sub = pg.locator('.el-menu-vertical .el-submenu__title').filter(has_text=exact('客户管理'))
    if sub.count() == 0:
        raise Failed(f"the settings sidebar has no '客户管理' group (entries: "
                     f"{', '.join(t.strip() for t in pg.locator('.el-menu-vertical').first.all_text_contents())})")
    sub.first.click()
    entry = pg.locator('.el-menu-vertical .el-menu-item').filter(has_text=exact('自定义字段设置'))
    try:
        entry.first.wait_for(state='visible', timeout=5000)
    except PWTimeout:
        j.shot('no_field_entry')
        manage = (j.run.login_auth or {}).get('manage')
        missing = ("the settings sidebar shows no '自定义字段设置' under 客户管理 (the client's router "
                   "adds it only when the login auth has manage.crm.field; login auth.manage = "
                   f"{json.dumps(manage, ensure_ascii=False)})")
        # Diagnostic, not a user step: open the field editor through the client's own router
        # (its route needs no right), to learn whether the rest of the journey would work.
        j.step('diagnostic: field editor via router')
        pg.evaluate("""() => document.querySelector('#app').__vue__.$router.push(
            {name: 'handlefield', params: {type: 'crm_customer', id: 'none', label: 2}})""")
        try:
            edit_customer_fields(j, name)
        except Failed as e:
            raise Failed(f"{missing} | diagnostic (editor opened through the router): [{j.step_name}] {e}")
        raise Failed(f"{missing} | diagnostic (editor opened through the router): adding the field, "
                     "field/save and the field in 新建客户 work")
    entry.first.click()
    rows = pg.locator('.system-customer .table-list')
    j.expect_visible(rows, 'the list of modules on 自定义字段设置')
    j.wait_api_idle()
    j.shot('custom_field_modules')
    row = rows.filter(has=pg.locator('.table-item-label').filter(has_text=exact('客户管理')))
    if row.count() == 0:
        raise Failed('自定义字段设置 lists no 客户管理 (modules: '
                     f"{', '.join(t.strip() for t in pg.locator('.table-item-label').all_text_contents())})")
    when = (row.first.locator('.table-item-time').text_content() or '').strip()
    if not re.match(r'^(暂无|\d{4}-\d{2}-\d{2}.*)更新$', when):
        note(j, f"自定义字段设置 shows the update time of 客户管理 as {when!r}: field/queryFields "
                "answers no updateTime (J9 adminField.sql queryFields: IFNULL(MAX(update_time), "
                "'2000-01-01 00:00:00') as update_time)")
    j.step('edit 客户 fields')
    row.first.locator('button').filter(has_text=re.compile(r'^\s*编\s*辑\s*$')).first.click()
    edit_customer_fields(j, name)


def edit_customer_fields(j, name):
    """On 编辑客户字段: add a 单行文本 named `name`, 保存, then find it in 新建客户."""
    pg = j.page
    j.expect_visible(pg.locator('.title').filter(has_text=exact('编辑客户字段')), 'the page 编辑客户字段')
    j.wait_api_idle()
    listed = pg.locator('.wrapper .content .box-wrapper .title')
    try:
        listed.first.wait_for(state='visible', timeout=8000)
    except PWTimeout:
        raise Failed('编辑客户字段 shows none of the existing fields'
                     + (f" | api: {'; '.join(fmt_call(r) for r in bad_calls(j)[:4])}" if bad_calls(j) else ''))
    before = len(listed.all_text_contents())
    j.step('add 单行文本')
    pg.locator('.wrapper .left li.field-item').filter(has_text=exact('单行文本')).first.click()
    pg.wait_for_timeout(300)
    if len(listed.all_text_contents()) != before + 1:
        raise Failed('clicking 单行文本 added no field to the form')
    label_input = pg.locator('.field-info-section .item-section').filter(
        has=pg.locator('.name').filter(has_text=exact('标识名'))).locator('input')
    j.expect_visible(label_input, 'the 标识名 input of the new field', 5000).fill(name)
    j.shot('field_added')
    j.step('save fields')
    toasts_before = len(j.toast_records())
    pg.locator('.wrapper .content .el-header button').filter(has_text=exact('保存')).first.click()
    j.wait_api_idle()
    pg.wait_for_timeout(500)
    j.wait_api_idle()
    j.shot('fields_saved')
    saved = api_calls(j, '/api/field/save', 'save fields')
    if not saved:
        raise Failed('保存 sent no field/save request')
    if saved[-1]['status'] != 200 or saved[-1]['code'] != 0:
        raise Failed(f"field/save was refused: {fmt_call(saved[-1])}"
                     + (f" | messages: {' / '.join(error_toasts(j, toasts_before))}" if error_toasts(j, toasts_before) else ''))
    if '操作成功' not in j.toasts('success', since=toasts_before):
        raise Failed(f"no 操作成功 after 保存 (messages: {' / '.join(j.toasts(since=toasts_before)) or 'none'})")
    titles = [t.strip().lstrip('*') for t in listed.all_text_contents()]
    if name not in titles:
        raise Failed(f"after 保存 the reloaded field list lacks '{name}' (fields: {', '.join(titles)})")

    j.step('back to 客户')
    pg.locator('.navbar .back-home').first.click()
    try:
        pg.wait_for_function("() => location.hash.startsWith('#/crm')", timeout=10000)
    except PWTimeout:
        raise Failed(f'返回首页 did not lead back to 客户管理 (at {pg.url})')
    j.expect_visible(pg.locator('.el-menu-vertical'), 'the sidebar after 返回首页')
    open_menu(j, '客户', '客户管理')
    open_create_form(j, '新建客户')
    j.shot('create_form')
    j.step('find the field in 新建客户')
    item = form_item(j, name)
    if not item.locator('input').count():
        raise Failed(f"the field '{name}' in 新建客户 has no text input")


# 导入 -----------------------------------------------------------------------------------
def make_import_file(j, template, name, mobile):
    """The file to upload: the downloaded template with one row filled in, when it is a
    readable .xlsx and openpyxl is installed; else a UTF-8 CSV (with BOM) of 客户名称, 手机."""
    out = j.run.out
    if template is not None:
        try:
            import openpyxl
            wb = openpyxl.load_workbook(template)
            ws = wb.worksheets[0]
            head_row, cols = None, {}
            for r in range(1, min(ws.max_row, 5) + 1):
                vals = [str(c.value or '') for c in ws[r]]
                if any(v.startswith('客户名称') for v in vals):
                    head_row = r
                    cols = {v.split('(')[0]: i + 1 for i, v in enumerate(vals)}
                    break
            if head_row:
                ws.cell(head_row + 1, cols['客户名称'], name)
                if '手机' in cols:
                    ws.cell(head_row + 1, cols['手机'], mobile)
                path = out / 'import_customers.xlsx'
                wb.save(path)
                return path, f'the downloaded template with one row ({path.name})'
            note(j, f'the downloaded template has no 客户名称 header in its first rows; a CSV is uploaded')
        except ImportError:
            pass
        except Exception as e:
            note(j, f'the downloaded template could not be read ({type(e).__name__}: {e}); a CSV is uploaded')
    path = out / 'import_customers.csv'
    with open(path, 'w', encoding='utf-8-sig', newline='') as f:
        w = csv.writer(f)
        w.writerow(['客户名称', '手机'])
        w.writerow([name, mobile])
    return path, f'a CSV ({path.name})'


@journey
def customer_import_through_dialog(j):
    name = f'导入客户-{j.run.tag}'
    mobile = '139' + j.run.tag[-8:].rjust(8, '0')
    login(j)
    pg = j.page
    open_menu(j, '客户', '客户管理')
    j.step('open 导入')
    pg.locator('.c-container .right-container .right-more-item').first.click()
    j.expect_visible(pg.locator('.el-dropdown-menu:visible .el-dropdown-menu__item').filter(has_text=exact('导入')),
                     "the entry '导入' under 更多", 5000).click()
    dlg = pg.locator('.el-dialog').filter(has=pg.locator('.el-dialog__title').filter(has_text=exact('导入客户')))
    j.expect_visible(dlg, 'the 导入客户 dialog', 8000)
    j.wait_api_idle()
    j.shot('import_dialog')
    problems = []
    problem = lambda text: problems.append(f'[{j.step_name}] {text}')

    j.step('download template')
    template = None
    try:
        with pg.expect_download(timeout=15000) as dl:
            dlg.locator('.download').first.click()
        d = dl.value
        template = j.run.out / ('import_template_' + (d.suggested_filename or 'template.xlsx'))
        d.save_as(template)
        head = template.read_bytes()[:4]
        if head != b'PK\x03\x04':
            problem(f"the downloaded template {d.suggested_filename!r} is not an .xlsx (starts {head!r})")
            template = None
    except PWTimeout:
        calls = api_calls(j, '/api/CrmCustomer/downloadExcel')
        problem('点击下载《客户导入模板》 downloaded nothing'
                        + (f" ({fmt_call(calls[-1])})" if calls else ' (no CrmCustomer/downloadExcel request)'))

    upload, what = make_import_file(j, template, name, mobile)
    j.step('choose file')
    with pg.expect_file_chooser(timeout=5000) as fc:
        dlg.locator('button').filter(has_text=exact('选择文件')).first.click()
    fc.value.set_files(str(upload))
    pg.wait_for_timeout(300)
    shown = dlg.locator('.file-select input').first.input_value()
    if shown != upload.name:
        raise Failed(f"after choosing {upload.name} the dialog shows the file name {shown!r}")
    # the chosen 负责人 (the cell also holds its '+添加员工' button)
    owner = ((dlg.locator('.user-cell').first.text_content() or '').strip().splitlines() or [''])[0].strip()
    j.shot('file_chosen')

    j.step('import')
    toasts_before = len(j.toast_records())
    dlg.locator('.dialog-footer button').filter(has_text=exact('立即导入')).first.click()
    result = dlg.locator('.result-info')
    end = time.time() + 60
    while time.time() < end:
        if result.count() and result.first.is_visible():
            break
        errs = error_toasts(j, toasts_before)
        if errs:
            break
        pg.wait_for_timeout(300)
    j.wait_api_idle(timeout=3)
    j.shot('import_result')
    up = api_calls(j, '/api/CrmCustomer/uploadExcel')
    if not (result.count() and result.first.is_visible()):
        errs = error_toasts(j, toasts_before)
        polled = [fmt_call(r) for r in j.api if r['step'] == 'import' and r['path'] != '/api/CrmCustomer/uploadExcel'][-3:]
        raise Failed(f"the dialog shows no import result after 立即导入 with {what}"
                     + (f" (upload: {fmt_call(up[-1])})" if up else ' (no CrmCustomer/uploadExcel request)')
                     + (f"; messages: {' / '.join(errs)}" if errs else '')
                     + (f"; then: {' ; '.join(polled)}" if polled else ''))
    detail = (result.first.locator('.result-info__detail').text_content() or '').strip()
    m = re.search(r'导入总数据\s*(\S*?)\s*条，导入成功\s*(\S*?)\s*条，导入失败\s*(\S*?)\s*条', detail)
    if not m or m.groups() != ('1', '1', '0'):
        problem(f"the result reads {detail!r} for {what}, expected 导入总数据1条，导入成功1条，导入失败0条")
    j.step('close dialog')
    dlg.locator('.dialog-footer button').filter(has_text=re.compile(r'^\s*确\s*定\s*$')).first.click()
    pg.wait_for_timeout(500)
    if dlg.first.is_visible():
        problem('the dialog stayed open after 确定')
    j.step('search the imported customer')
    box = pg.locator('.c-container .sc-container input').first
    box.fill(name)
    box.press('Enter')
    j.wait_api_idle()
    j.shot('searched')
    try:
        r, c = find_row(j, '客户名称', name)
        t = read_table(j)
        heads = t['heads']
        row = t['rows'][r]
        if '负责人' in heads and owner and owner not in row[heads.index('负责人')]:
            problem(f"the imported customer's 负责人 is {row[heads.index('负责人')]!r}, the dialog had {owner!r}")
    except Failed as e:
        problem(f'the imported customer is not in the list: {e}')
    errs = error_toasts(j)
    if errs:
        problem(f"error messages shown: {' / '.join(dict.fromkeys(errs))}")
    if problems:
        j.step('summary')
        raise Failed(' | '.join(problems))


# first paint -------------------------------------------------------------------------
# In the page from its first script on: on the customer list URL, record performance.now()
# (ms since navigation start) of the first animation frame in which a visible list table has
# a body row with text under 客户名称.
FIRST_ROW_JS = """(() => {
  if (!location.hash.startsWith('#/crm/customer')) return;
  const shown = el => { const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight; };
  const firstRow = () => {
    for (const t of document.querySelectorAll('.crm-container .el-table')) {
      if (!shown(t)) continue;
      const heads = [...t.querySelectorAll('.el-table__header-wrapper thead tr:first-child th')]
        .map(th => th.textContent.trim());
      const c = heads.indexOf('客户名称');
      if (c < 0) continue;
      for (const tr of t.querySelectorAll('.el-table__body-wrapper tbody tr.el-table__row')) {
        const td = tr.children[c];
        if (td && td.textContent.trim() && shown(tr)) return td.textContent.trim();
      }
    }
    return null;
  };
  const tick = () => {
    const name = firstRow();
    if (name) { window.__rcFirstRow = {ms: performance.now(), name}; return; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})();"""


@journey
def first_paint_customer_list(j):
    login(j)
    pg = j.page
    open_menu(j, '客户', '客户管理')
    find_row(j, '客户名称', '')  # the list shows customers at all
    url = pg.url
    if '#/crm/customer' not in url:
        raise Failed(f'the customer list is at {url}, not #/crm/customer')
    j.context.add_init_script(FIRST_ROW_JS)
    runs = []
    for i in range(1, 6):
        j.step(f'load {i}')
        pg.goto('about:blank')
        pg.goto(url)
        try:
            pg.wait_for_function('() => window.__rcFirstRow', timeout=30000)
        except PWTimeout:
            j.shot(f'load_{i}')
            raise Failed(f'load {i}: no customer row within 30s'
                         + (f" | api: {'; '.join(fmt_call(r) for r in bad_calls(j, steps={j.step_name})[:4])}"
                            if bad_calls(j, steps={j.step_name}) else ''))
        info = pg.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0] || {};
            return {row: window.__rcFirstRow, dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd,
                    ttfb: n.responseStart,
                    api: performance.getEntriesByType('resource').filter(e => e.name.includes('/api/')).length,
                    resources: performance.getEntriesByType('resource').length}; }""")
        runs.append({'ms': round(info['row']['ms'], 1), 'first_name': info['row']['name'],
                     'ttfb_ms': round(info['ttfb'] or 0, 1), 'dom_content_loaded_ms': round(info['dcl'] or 0, 1),
                     'load_ms': round(info['load'] or 0, 1), 'api_calls': info['api'],
                     'resources': info['resources']})
        j.wait_api_idle(timeout=5)
    j.shot('list_loaded')
    times = [r['ms'] for r in runs]
    median = statistics.median(times)
    line = (f"first paint of the customer list: median {median:.0f} ms "
            f"({', '.join(f'{t:.0f}' for t in times)})")
    j.run.lines.append(line)
    print(line, file=sys.stderr, flush=True)
    (j.run.out / 'first_paint.json').write_text(json.dumps({
        'what': 'ms from navigation start until the first customer-list row with a 客户名称 is '
                'visible (first animation frame that has it), after login, token in the browser',
        'url': url, 'median_ms': median, 'runs_ms': times, 'runs': runs,
        'time': time.strftime('%Y-%m-%dT%H:%M:%S%z')}, ensure_ascii=False, indent=2), encoding='utf-8')


# runner ------------------------------------------------------------------------------
class Run:
    def __init__(self, a):
        self.base = a.base if a.base.endswith('/') else a.base + '/'
        self.out = Path(a.out)
        self.shots = self.out / 'shots'
        self.shots.mkdir(parents=True, exist_ok=True)
        self.user = os.environ.get('WKCRM_ADMIN_USER', 'admin')
        self.password = os.environ.get('WKCRM_ADMIN_PASSWORD')
        if not self.password:
            sys.exit('journeys: WKCRM_ADMIN_PASSWORD is not set')
        self.seed = {}
        if a.seed:
            try:
                self.seed = json.loads(Path(a.seed).read_text(encoding='utf-8'))
            except (OSError, ValueError) as e:
                print(f'journeys: cannot read seed file {a.seed}: {e}', file=sys.stderr)
        self.tag = self.seed.get('tag') or time.strftime('%m%d%H%M%S')
        self.net = []
        self.net_file = open(self.out / 'browser_net.jsonl', 'w', encoding='utf-8', buffering=1)
        self.console = open(self.out / 'browser_console.log', 'w', encoding='utf-8', buffering=1)
        self.login_auth = None
        self.notes = []
        self.lines = []


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--base', help='URL of wkcrm serving the client, e.g. http://127.0.0.1:8080/')
    ap.add_argument('--out', default='realclient-own-out', help='output folder')
    ap.add_argument('--seed', help='seed.json written by seed.py and seed_more.py')
    ap.add_argument('--only', help='comma-separated journey names to run')
    ap.add_argument('--list', action='store_true', help='list the journeys and exit')
    ap.add_argument('--chromium', default=os.environ.get('CHROMIUM'), help='Chromium binary')
    ap.add_argument('--headed', action='store_true', help='show the browser window')
    a = ap.parse_args()
    if a.list:
        for fn in JOURNEYS:
            print(fn.__name__)
        return 0
    if not a.base:
        ap.error('--base is required')
    run = Run(a)
    selected = JOURNEYS
    if a.only:
        names = [n.strip() for n in a.only.split(',') if n.strip()]
        unknown = [n for n in names if n not in {f.__name__ for f in JOURNEYS}]
        if unknown:
            ap.error(f"unknown journey(s): {', '.join(unknown)}")
        selected = [f for f in JOURNEYS if f.__name__ in names]

    results = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=sj.find_chromium(a.chromium), headless=not a.headed,
            args=['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'])
        for i, fn in enumerate(selected, 1):
            name = fn.__name__
            ctx = browser.new_context(viewport={'width': 1440, 'height': 900}, locale='zh-CN',
                                      accept_downloads=True)
            ctx.set_default_timeout(10000)
            ctx.add_init_script(sj.TOAST_RECORDER)
            j = Journey(run, i, name, ctx)
            t0 = time.time()
            ok, reason = True, ''
            try:
                fn(j)
            except Failed as e:
                ok, reason = False, f'[{j.step_name}] {e}'
            except Exception as e:  # a harness problem or an unexpected page state
                first = (str(e).strip().splitlines() or [''])[0]
                ok, reason = False, f'[{j.step_name}] unexpected {type(e).__name__}: {first}'
                run.console.write(f'[{name}] harness exception:\n{traceback.format_exc()}\n')
            if not ok:
                try:
                    j.shot('FAILED')
                except Exception:
                    pass
            bad = [r for r in j.api if r['status'] == 404 or r['code'] not in (0, None)]
            results.append({'name': name, 'ok': ok, 'reason': reason,
                            'seconds': round(time.time() - t0, 1), 'shots': j.shots,
                            'api_errors': bad})
            print(f"[{i}/{len(selected)}] {name}: {'ok' if ok else 'failed'} "
                  f"({time.time() - t0:.0f}s)", file=sys.stderr, flush=True)
            ctx.close()
        browser.close()

    (run.out / 'results.json').write_text(json.dumps(
        {'base': run.base, 'seed': run.seed, 'journeys': results,
         'notes': [{'journey': n, 'note': t} for n, t in run.notes]},
        ensure_ascii=False, indent=2), encoding='utf-8')

    for r in results:
        if r['ok']:
            print('PASS ' + r['name'])
            continue
        print(f"FAIL {r['name']}: {r['reason']}")
        seen = set()
        for c in r['api_errors']:
            key = (c['method'], c['path'], c['status'], c['code'], c['msg'])
            if key in seen:
                continue
            seen.add(key)
            print(f"     api [{c['step']}] {fmt_call(c)}")
    for n, t in run.notes:
        print(f'NOTE {n}: {t}')
    for line in run.lines:
        print(line)
    passed = sum(1 for r in results if r['ok'])
    failed = len(results) - passed
    print(f'{passed} passed, {failed} failed', flush=True)
    return 0 if failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
