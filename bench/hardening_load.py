#!/usr/bin/env python3
"""Load phases for bench/hardening.sh: one phase per run, while a stream of small probe calls measures latency.

    hardening_load.py --port P --pid JVM_PID --phase {baseline,streams,idle,slow,bodies} [options]

With --probe-rate 0 it sends no probes (bench/hardening.sh runs the probes in a process of their own, a
baseline phase with --until-file, so the load's event loop does not delay them). Prints one JSON object: probe latency (p50/p99 ms), probe and load status counts, errors, and the JVM's
VmRSS and open fds (/proc/<pid>) sampled every 0.5 s (max and last). Standard library only: raw HTTP/1.1 over
asyncio streams.
"""
import argparse
import asyncio
import json
import os
import socket
import sys
import time

MODEL = "gpt-4o-mini"


def chat_body(stream=False, content="ping", **extra):
    body = {"model": MODEL, "messages": [{"role": "user", "content": content}]}
    if stream:
        body["stream"] = True
    body.update(extra)
    return json.dumps(body).encode()


def request_bytes(port, body, keep_alive=False):
    head = (
        "POST /v1/chat/completions HTTP/1.1\r\n"
        f"Host: 127.0.0.1:{port}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n"
        f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n\r\n"
    )
    return head.encode() + body


async def read_head(reader):
    line = await reader.readline()
    if not line:
        raise ConnectionError("closed before the status line")
    status = int(line.split()[1])
    headers = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        k, _, v = line.decode("latin-1").partition(":")
        headers[k.strip().lower()] = v.strip()
    return status, headers


async def read_body(reader, headers):
    if "content-length" in headers:
        return await reader.readexactly(int(headers["content-length"]))
    if headers.get("transfer-encoding", "").lower() == "chunked":
        out = bytearray()
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            if size == 0:
                await reader.readline()
                return bytes(out)
            out += await reader.readexactly(size)
            await reader.readline()
    return await reader.read()


class Stats:
    def __init__(self):
        self.probe_ms = []
        self.probe_status = {}
        self.load_status = {}
        self.errors = {}  # "where: exception class" -> count
        self.answered = 0  # HTTP responses the gateway sent on /v1/chat/completions (any status)
        self.extra = {}

    def error(self, where, exc):
        key = f"{where}: {type(exc).__name__}"
        self.errors[key] = self.errors.get(key, 0) + 1

    @staticmethod
    def bump(d, key):
        d[str(key)] = d.get(str(key), 0) + 1


async def one_call(port, body, timeout):
    """A call on its own connection; returns the status."""
    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
    try:
        writer.write(request_bytes(port, body))
        await writer.drain()
        status, headers = await asyncio.wait_for(read_head(reader), timeout)
        await asyncio.wait_for(read_body(reader, headers), timeout)
        return status
    finally:
        writer.close()


async def probe_loop(args, stats, stop):
    """Open loop: one probe every 1/rate s, each on a fresh connection, whatever the earlier ones do."""
    body = chat_body()
    tasks = []

    async def probe():
        start = time.perf_counter()
        try:
            status = await one_call(args.port, body, args.probe_timeout)
            stats.answered += 1
            stats.bump(stats.probe_status, status)
            if status == 200:
                stats.probe_ms.append((time.perf_counter() - start) * 1000)
        except Exception as exc:  # noqa: BLE001 - every failure is counted
            stats.error("probe", exc)

    interval = 1.0 / args.probe_rate
    next_at = time.perf_counter()
    while not stop.is_set():
        tasks.append(asyncio.create_task(probe()))
        next_at += interval
        await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
    await asyncio.gather(*tasks)


def proc_sample(pid):
    with open(f"/proc/{pid}/status") as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    return rss, fds


async def sampler(pid, out, stop):
    while True:
        rss, fds = proc_sample(pid)
        out["rss_max_kb"] = max(out.get("rss_max_kb", 0), rss)
        out["fds_max"] = max(out.get("fds_max", 0), fds)
        out["rss_last_kb"], out["fds_last"] = rss, fds
        if stop.is_set():
            return
        try:
            await asyncio.wait_for(stop.wait(), 0.5)
        except asyncio.TimeoutError:
            pass


# ---------------------------------------------------------------------------------------------- phases


async def phase_baseline(args, stats):
    """Probes alone: for --seconds, or (--until-file) until that file exists, the probe process of a phase."""
    if args.until_file:
        while not os.path.exists(args.until_file):
            await asyncio.sleep(0.1)
    else:
        await asyncio.sleep(args.seconds)


async def stream_call(args, stats, body, slow=False):
    """A streamed call; slow: a small receive buffer and a few bytes read per second until told to stop."""
    start = time.perf_counter()
    try:
        if slow:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.setblocking(False)
            await asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", args.port))
            reader, writer = await asyncio.open_connection(sock=sock, limit=1024)
        else:
            reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", args.port), 30)
        try:
            writer.write(request_bytes(args.port, body))
            await writer.drain()
            status, headers = await asyncio.wait_for(read_head(reader), 60)
            stats.answered += 1
            stats.bump(stats.load_status, status)
            if slow:
                got = 0
                while not args.stop_slow.is_set():
                    data = await reader.read(args.slow_bytes)
                    if not data:
                        stats.bump(stats.extra.setdefault("slow_ended_by_server", {}), status)
                        break
                    got += len(data)
                    try:
                        await asyncio.wait_for(args.stop_slow.wait(), 1.0)
                    except asyncio.TimeoutError:
                        pass
                stats.extra.setdefault("slow_bytes_read", []).append(got)
                return
            data = await asyncio.wait_for(read_body(reader, headers), args.stream_timeout)
            if status == 200 and b"[DONE]" in data:
                stats.extra.setdefault("stream_seconds", []).append(time.perf_counter() - start)
            else:
                stats.bump(stats.extra.setdefault("stream_incomplete", {}), status)
        finally:
            writer.close()
    except Exception as exc:  # noqa: BLE001
        stats.error("stream", exc)


async def phase_streams(args, stats):
    body = chat_body(stream=True, fake_chunks=args.stream_chunks, fake_chunk_delay_ms=args.stream_delay_ms)
    tasks = []
    for i in range(args.count):
        tasks.append(asyncio.create_task(stream_call(args, stats, body)))
        if i % 50 == 49:
            await asyncio.sleep(0.05)  # the listen backlog is finite: open them over ~0.5 s
    await asyncio.gather(*tasks)


async def phase_idle(args, stats):
    conns = []
    failed = 0
    for i in range(args.count):
        try:
            conns.append(await asyncio.wait_for(asyncio.open_connection("127.0.0.1", args.port), 10))
        except Exception as exc:  # noqa: BLE001
            failed += 1
            stats.error("idle connect", exc)
        if i % 100 == 99:
            await asyncio.sleep(0.01)
    stats.extra["idle_connected"] = len(conns)
    await asyncio.sleep(args.seconds)
    # Still open? A closed connection reads EOF at once; an open one times out.
    closed = 0
    for reader, _ in conns:
        try:
            data = await asyncio.wait_for(reader.read(1), 0.001)
            if data == b"":
                closed += 1
        except asyncio.TimeoutError:
            pass
        except Exception:  # noqa: BLE001
            closed += 1
    stats.extra["idle_closed_by_server"] = closed
    for _, writer in conns:
        writer.close()


async def small_calls(args, stats, total):
    """total non-streamed calls over args.concurrency keep-alive connections."""
    body = chat_body(content="small call")
    left = [total]
    lat = stats.extra.setdefault("small_ms", [])

    async def worker():
        reader = writer = None
        while left[0] > 0:
            left[0] -= 1
            start = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", args.port), 10)
                writer.write(request_bytes(args.port, body, keep_alive=True))
                await writer.drain()
                status, headers = await asyncio.wait_for(read_head(reader), args.probe_timeout)
                await asyncio.wait_for(read_body(reader, headers), args.probe_timeout)
                stats.answered += 1
                stats.bump(stats.load_status, status)
                lat.append((time.perf_counter() - start) * 1000)
                if headers.get("connection", "").lower() == "close":
                    writer.close()
                    writer = None
            except Exception as exc:  # noqa: BLE001
                stats.error("small call", exc)
                if writer is not None:
                    writer.close()
                writer = None
        if writer is not None:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(args.concurrency)))


async def phase_slow(args, stats):
    body = chat_body(stream=True, fake_chunks=args.stream_chunks, fake_chunk_delay_ms=args.stream_delay_ms)
    args.stop_slow = asyncio.Event()
    readers = []
    for i in range(args.count):
        readers.append(asyncio.create_task(stream_call(args, stats, body, slow=True)))
        if i % 50 == 49:
            await asyncio.sleep(0.05)
    await asyncio.sleep(2)  # let the slow streams start and fill their buffers
    start = time.perf_counter()
    await small_calls(args, stats, args.calls)
    stats.extra["small_calls_seconds"] = time.perf_counter() - start
    args.stop_slow.set()
    await asyncio.gather(*readers)


async def phase_bodies(args, stats):
    filler = "x" * (args.body_bytes - len(chat_body(content="")))
    body = chat_body(content=filler)
    stats.extra["body_bytes"] = len(body)
    lat = stats.extra.setdefault("body_ms", [])

    async def big():
        start = time.perf_counter()
        try:
            status = await one_call(args.port, body, 120)
            stats.answered += 1
            stats.bump(stats.load_status, status)
            lat.append((time.perf_counter() - start) * 1000)
        except Exception as exc:  # noqa: BLE001
            stats.error("big body", exc)

    tasks = []
    interval = 1.0 / args.rate
    next_at = time.perf_counter()
    for _ in range(int(args.rate * args.seconds)):
        tasks.append(asyncio.create_task(big()))
        next_at += interval
        await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
    await asyncio.gather(*tasks)


def pct(values, p):
    if not values:
        return None
    s = sorted(values)
    return round(s[min(len(s) - 1, int(round(p / 100 * (len(s) - 1))))], 2)


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--phase", required=True, choices=["baseline", "streams", "idle", "slow", "bodies"])
    ap.add_argument("--probe-rate", type=float, default=20)
    ap.add_argument("--probe-timeout", type=float, default=30)
    ap.add_argument("--count", type=int, default=0, help="streams, idle connections or slow readers")
    ap.add_argument("--seconds", type=float, default=10)
    ap.add_argument("--stream-chunks", type=int, default=20)
    ap.add_argument("--stream-delay-ms", type=int, default=500)
    ap.add_argument("--stream-timeout", type=float, default=120)
    ap.add_argument("--slow-bytes", type=int, default=8, help="bytes a slow reader reads per second")
    ap.add_argument("--calls", type=int, default=5000)
    ap.add_argument("--concurrency", type=int, default=20)
    ap.add_argument("--body-bytes", type=int, default=10 * 1024 * 1024)
    ap.add_argument("--rate", type=float, default=2)
    ap.add_argument("--until-file", help="baseline: probe until this file exists")
    args = ap.parse_args()

    stats = Stats()
    proc = {}
    stop = asyncio.Event()
    sample_task = asyncio.create_task(sampler(args.pid, proc, stop))
    probes = asyncio.create_task(probe_loop(args, stats, stop)) if args.probe_rate > 0 else None
    started = time.perf_counter()
    await globals()["phase_" + args.phase](args, stats)
    elapsed = time.perf_counter() - started
    stop.set()
    if probes:
        await probes
    await sample_task

    out = {
        "phase": args.phase,
        "seconds": round(elapsed, 1),
        "probes": sum(stats.probe_status.values()) + sum(v for k, v in stats.errors.items() if k.startswith("probe")),
        "probe_p50_ms": pct(stats.probe_ms, 50),
        "probe_p99_ms": pct(stats.probe_ms, 99),
        "probe_max_ms": pct(stats.probe_ms, 100),
        "probe_status": stats.probe_status,
        "load_status": stats.load_status,
        "errors": stats.errors,
        "answered": stats.answered,
        **proc,
    }
    for key, values in stats.extra.items():
        if isinstance(values, list):
            out[key] = {"n": len(values), "p50": pct(values, 50), "p99": pct(values, 99), "max": pct(values, 100)}
        else:
            out[key] = values
    print(json.dumps(out))


if __name__ == "__main__":
    asyncio.run(main())
