#!/usr/bin/env python3
"""An unauthenticated login flood against a wkcrm on this machine.

    bench/login_flood.py --url http://127.0.0.1:PORT --pid SERVER_PID [--clients 400] [--duration 10]

Each client logs in with random usernames over its own keep-alive connection, from its own
loopback source address (127.10.x.y), so a per-address limit does not hide what the server
does with many attackers. Meanwhile the server's resident memory is sampled. Prints one
line of JSON: answers by message, logins answered per second, latency p50/p99, and the
server's RSS before and at its peak (VmHWM, and the highest sample).
Only loopback addresses are used; the flood stops by itself after --duration seconds.
"""

import argparse
import asyncio
import collections
import json
import random
import string
import time
import urllib.parse


def rss_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


async def read_response(reader):
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    body = await reader.readexactly(length)
    return json.loads(body)


async def client(i, host, port, deadline, counts, latencies):
    source = f"127.10.{i // 250}.{i % 250 + 1}"
    reader = writer = None
    while time.monotonic() < deadline:
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port, local_addr=(source, 0))
            user = "".join(random.choices(string.ascii_lowercase, k=10))
            body = urllib.parse.urlencode({"username": user, "password": "guess-123"}).encode()
            writer.write(
                b"POST /api/login HTTP/1.1\r\nHost: bench\r\n"
                b"Content-Type: application/x-www-form-urlencoded\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            started = time.monotonic()
            answer = await asyncio.wait_for(read_response(reader), timeout=max(0.1, deadline + 5 - started))
            latencies.append(time.monotonic() - started)
            counts[answer.get("msg", "ok")] += 1
        except (OSError, asyncio.IncompleteReadError, asyncio.TimeoutError, json.JSONDecodeError):
            counts["connection error"] += 1
            if writer is not None:
                writer.close()
            reader = writer = None
            await asyncio.sleep(0.05)
    if writer is not None:
        writer.close()


async def sample(pid, deadline, peak):
    while time.monotonic() < deadline:
        peak[0] = max(peak[0], rss_kib(pid, "VmRSS"))
        await asyncio.sleep(0.05)


async def main():
    p = argparse.ArgumentParser()
    p.add_argument("--url", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--clients", type=int, default=400)
    p.add_argument("--duration", type=float, default=10)
    args = p.parse_args()
    url = urllib.parse.urlparse(args.url)
    if not url.hostname.startswith("127.") and url.hostname != "localhost":
        raise SystemExit("the flood only targets loopback addresses")
    before = rss_kib(args.pid, "VmRSS")
    counts, latencies, peak = collections.Counter(), [], [before]
    start = time.monotonic()
    deadline = start + args.duration
    await asyncio.gather(
        sample(args.pid, deadline, peak),
        *(client(i, url.hostname, url.port, deadline, counts, latencies) for i in range(args.clients)),
    )
    elapsed = time.monotonic() - start
    latencies.sort()
    pick = lambda q: round(latencies[int(q * (len(latencies) - 1))] * 1000, 1) if latencies else None
    print(json.dumps({
        "clients": args.clients,
        "answers": dict(counts),
        "answered_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": pick(0.5),
        "p99_ms": pick(0.99),
        "rss_before_mib": round(before / 1024, 1),
        "rss_peak_sampled_mib": round(peak[0] / 1024, 1),
        "vm_hwm_mib": round(rss_kib(args.pid, "VmHWM") / 1024, 1),
    }, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())
