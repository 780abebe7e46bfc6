#!/usr/bin/env python3
"""The extra data of our own journeys, through wkcrm's /api (beside the shared seed.py).

Two phases:

  --phase before   (run before the shared seed.py) records the numbers the start page and
                   the to-do page show before anything is seeded: zeros on a fresh database
                   (--fresh), else what the server answers for Crm/Instrument/queryBulletin
                   (type year and today) and CrmBackLog/num. Written to --baseline.
  --phase after    (run after seed.py) adds to the seed file seed.py wrote: "baseline", and
                     today_customer  a customer whose 下次联系时间 (next_time) is today,
                     record          one follow-up record (跟进记录) on customer 乙,
                   and "expected": the 销售简报 numbers the dashboard must show.

usage: seed_more.py --api http://127.0.0.1:PORT/api/ --baseline baseline.json --phase before
                    [--fresh] [--log seed.log]
       seed_more.py --api http://127.0.0.1:PORT/api/ --baseline baseline.json --phase after
                    --seed seed.json [--log seed.log]
env:   WKCRM_ADMIN_USER (default admin), WKCRM_ADMIN_PASSWORD, WKCRM_TIME_ZONE (the zone the
       server shows datetimes in, default Asia/Shanghai, as `wkcrm serve`)
"""
import argparse
import datetime
import importlib.util
import json
import os
import sys
from pathlib import Path

SHARED = Path(os.environ.get('WKCRM_SHARED_REALCLIENT', '/work/shared/realclient'))

# The API client of the shared seed.py (form or JSON POST with the Admin-Token header).
_spec = importlib.util.spec_from_file_location('shared_seed', SHARED / 'seed.py')
shared_seed = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(shared_seed)

BULLETIN_KEYS = ['customerCount', 'contactsCount', 'businessCount', 'recordStatusCount',
                 'contractCount', 'recordCount', 'receivablesCount']
BACKLOG_KEYS = ['todayCustomer', 'followLeads', 'followCustomer', 'putInPoolRemind',
                'checkContract', 'checkReceivables', 'remindReceivablesPlan', 'endContract']


def today_in_server_zone():
    zone = os.environ.get('WKCRM_TIME_ZONE') or 'Asia/Shanghai'
    try:
        from zoneinfo import ZoneInfo
        return datetime.datetime.now(ZoneInfo(zone)).date()
    except Exception:
        return datetime.date.today()


def login(api, user, password):
    status, j = api.call('login', {'username': user, 'password': password})
    token = j.get('Admin-Token')
    if not token and isinstance(j.get('data'), dict):
        token = j['data'].get('Admin-Token')
    if status != 200 or j.get('code') != 0 or not token:
        sys.exit(f"seed_more: login failed: HTTP {status} code={j.get('code')} msg={j.get('msg')}")
    api.token = token
    user_id = None
    for src in (j.get('user'), (j.get('data') or {}).get('user') if isinstance(j.get('data'), dict) else None):
        if isinstance(src, dict) and src.get('userId') is not None:
            user_id = src['userId']
    return user_id


def baseline(api, fresh, user_id):
    if fresh:
        return {'source': 'fresh database', 'year': {k: 0 for k in BULLETIN_KEYS},
                'today': {k: 0 for k in BULLETIN_KEYS}, 'backlog': {}}
    out = {'source': 'server answers before seeding', 'errors': []}
    for kind in ('year', 'today'):
        params = {'type': kind, 'deptIds': ''}
        if user_id is not None:
            params['userIds'] = str(user_id)
        status, j = api.call('Crm/Instrument/queryBulletin', params)
        data = j.get('data') if status == 200 and j.get('code') == 0 else None
        if not isinstance(data, dict):
            out['errors'].append(f"queryBulletin type={kind}: HTTP {status} code={j.get('code')}")
            data = {}
        out[kind] = {k: int(data.get(k) or 0) for k in BULLETIN_KEYS}
    status, j = api.call('CrmBackLog/num', {}, as_json=True)
    data = j.get('data') if status == 200 and j.get('code') == 0 else None
    out['backlog'] = {k: int(v or 0) for k, v in data.items()} if isinstance(data, dict) else {}
    return out


def after(api, seed, tag):
    def save_customer(entity):
        return shared_seed.new_id(api.ok('CrmCustomer/addOrUpdate', {'entity': entity, 'field': []},
                                         as_json=True))

    def today_customer():
        day = today_in_server_zone().isoformat()
        d = {'name': f'今日联系客户-{tag}', 'next_time': f'{day} 10:00:00'}
        d['id'] = save_customer({'customer_name': d['name'], 'next_time': d['next_time']})
        return d

    def record():
        cust = seed.get('customer2') or {}
        if cust.get('id') is None:
            raise RuntimeError('no customer 乙 to add the follow-up record to')
        d = {'customer': cust['name'], 'content': f'种子跟进记录-{tag}', 'category': '打电话'}
        api.ok('CrmCustomer/addRecord', {'typesId': cust['id'], 'content': d['content'],
                                         'category': d['category']})
        return d

    for key, fn in (('today_customer', today_customer), ('record', record)):
        try:
            seed[key] = fn()
        except Exception as e:
            seed[key] = {'error': str(e)}
            print(f'seed_more: {key}: {e}', file=sys.stderr)

    def ok(key):
        item = seed.get(key)
        return isinstance(item, dict) and 'error' not in item and ('id' in item or 'content' in item)

    # 销售简报 counts (J9 InstrumentService.queryBulletin, template crm/Instrument.sql): records
    # created by the user in the period; customers only while they have an owner (the pooled
    # one does not count once it is in the pool); 阶段变化的商机 counts crm_business_change
    # rows, which a new business does not add.
    pooled = seed.get('pool_customer') or {}
    owned_customers = sum(1 for k in ('customer', 'customer2', 'today_customer') if ok(k))
    if pooled.get('id') is not None and pooled.get('error'):
        owned_customers += 1  # it could not be pooled, so it kept its owner
    added = {'customerCount': owned_customers, 'contactsCount': int(ok('contact')),
             'businessCount': int(ok('business')), 'recordStatusCount': 0, 'contractCount': 0,
             'recordCount': int(ok('record')), 'receivablesCount': 0}
    base = seed.get('baseline') or {}
    seed['expected'] = {
        'bulletin': {kind: {k: (base.get(kind) or {}).get(k, 0) + v for k, v in added.items()}
                     for kind in ('year', 'today')},
        'todayCustomer': (base.get('backlog') or {}).get('todayCustomer', 0) + int(ok('today_customer')),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--api', required=True)
    ap.add_argument('--baseline', required=True, help='the numbers before seeding (JSON)')
    ap.add_argument('--seed', help='the seed JSON file written by seed.py (phase after)')
    ap.add_argument('--phase', required=True, choices=['before', 'after'])
    ap.add_argument('--fresh', action='store_true', help='the database was created for this run')
    ap.add_argument('--log', help='append one JSON line per call')
    a = ap.parse_args()
    password = os.environ.get('WKCRM_ADMIN_PASSWORD')
    if not password:
        sys.exit('seed_more: WKCRM_ADMIN_PASSWORD is not set')
    user = os.environ.get('WKCRM_ADMIN_USER', 'admin')
    log = open(a.log, 'a', encoding='utf-8') if a.log else None
    api = shared_seed.Api(a.api, log)
    user_id = login(api, user, password)

    if a.phase == 'before':
        base = baseline(api, a.fresh, user_id)
        Path(a.baseline).write_text(json.dumps(base, ensure_ascii=False, indent=2), encoding='utf-8')
        print(f"seed_more: baseline from {base['source']}", file=sys.stderr)
        return
    if not a.seed:
        ap.error('--seed is required with --phase after')
    path = Path(a.seed)
    try:
        seed = json.loads(path.read_text(encoding='utf-8'))
        seed['baseline'] = json.loads(Path(a.baseline).read_text(encoding='utf-8'))
    except (OSError, ValueError) as e:
        sys.exit(f'seed_more: cannot read {path} or {a.baseline}: {e}')
    tag = seed.get('tag')
    if not tag:
        sys.exit('seed_more: no tag (seed.py did not write its file?)')
    after(api, seed, tag)
    path.write_text(json.dumps(seed, ensure_ascii=False, indent=2), encoding='utf-8')
    errors = [k for k in ('today_customer', 'record') if 'error' in (seed.get(k) or {})]
    print('seed_more: added today_customer and record' + (f"; failed: {', '.join(errors)}" if errors else ''),
          file=sys.stderr)


if __name__ == '__main__':
    main()
