#!/usr/bin/env python3
"""Times streamed chat completions over a raw socket, one keep-alive connection, streams one after another.

Every socket.recv() is timestamped as it returns, so what the server flushed separately is seen separately:
  ttfc     time from the request's last byte sent to the first complete SSE `data:` event
  gap      time between consecutive content chunks (the upstream spaces them fake_chunk_delay_ms apart)
  batched  recv() calls that completed more than one content chunk, i.e. chunks the path held back and
           sent together although the upstream sent them apart

Prints "key value" lines (times in ms) for run.sh; with --verbose also one line per failed stream.
--extra adds fields to every request's body (e.g. '{"fake_tool_call": true}'); --any-count accepts a stream whose
content chunks are not --chunks in number (a policy that holds text back may merge or split chunks), as long as
it ends with [DONE]. --seconds stops starting streams after that long (then "streams" is how many ran). --model
names the model asked for (default gpt-bench; run.sh routes gpt-bench-stream to the fake upstream). Also
prints content_chunks (received in all streams) and elapsed_s (all streams).
"""
import argparse
import json
import socket
import sys
import time

MODEL = "gpt-bench"


def percentile(values, pct):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil(n * pct / 100)
    return ordered[int(rank) - 1]


class StreamError(Exception):
    pass


class ChunkedDecoder:
    """Incremental HTTP/1.1 chunked transfer decoder: feed() raw bytes, get body bytes; .done at the end."""

    def __init__(self):
        self.buf = bytearray()
        self.remaining = None  # bytes left in the current chunk; None while reading a size line
        self.trailer = False
        self.done = False

    def feed(self, data):
        self.buf += data
        out = bytearray()
        while not self.done:
            if self.trailer:
                if self.buf.startswith(b"\r\n"):
                    del self.buf[:2]
                    self.done = True
                    continue
                end = self.buf.find(b"\r\n\r\n")
                if end < 0:
                    break
                del self.buf[:end + 4]
                self.done = True
            elif self.remaining is None:
                end = self.buf.find(b"\r\n")
                if end < 0:
                    break
                size = int(bytes(self.buf[:end]).split(b";")[0].strip(), 16)
                del self.buf[:end + 2]
                if size == 0:
                    self.trailer = True
                else:
                    self.remaining = size
            elif self.remaining > 0:
                take = min(self.remaining, len(self.buf))
                if take == 0:
                    break
                out += self.buf[:take]
                del self.buf[:take]
                self.remaining -= take
            else:
                if len(self.buf) < 2:
                    break
                if self.buf[:2] != b"\r\n":
                    raise StreamError("bad chunk terminator")
                del self.buf[:2]
                self.remaining = None
        return bytes(out)


class Connection:
    def __init__(self, host, port):
        self.host, self.port = host, port
        self.sock = None
        self.leftover = b""

    def ensure_open(self):
        if self.sock is None:
            self.sock = socket.create_connection((self.host, self.port), timeout=30)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.leftover = b""

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def recv(self):
        data = self.sock.recv(65536)
        if not data:
            raise StreamError("connection closed by server mid-response")
        return data


def is_content_chunk(data):
    try:
        chunk = json.loads(data)
        return bool(chunk["choices"][0]["delta"].get("content"))
    except (ValueError, KeyError, IndexError, TypeError):
        return False


def one_stream(conn, chunks, delay_ms, report_batch=None, extra=None, any_count=False, model=MODEL):
    """Runs one streamed request; returns (ttfc_ms, [gap_ms], batched_recvs, content_chunks)."""
    body = json.dumps({
        "model": model, "stream": True, "fake_chunks": chunks, "fake_chunk_delay_ms": delay_ms,
        "messages": [{"role": "user", "content": "Stream a short answer."}], **(extra or {}),
    }).encode()
    request = (f"POST /v1/chat/completions HTTP/1.1\r\nHost: {conn.host}:{conn.port}\r\n"
               f"Content-Type: application/json\r\nAccept: text/event-stream\r\n"
               f"Content-Length: {len(body)}\r\n\r\n").encode() + body
    conn.ensure_open()
    conn.sock.sendall(request)
    sent = time.perf_counter_ns()

    raw = conn.leftover
    conn.leftover = b""
    while b"\r\n\r\n" not in raw:
        raw += conn.recv()
    head, _, rest = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    if status != 200:
        raise StreamError(f"status {status}")
    if headers.get("transfer-encoding", "").lower() != "chunked":
        raise StreamError(f"expected a chunked response, got headers {headers}")
    closes = headers.get("connection", "").lower() == "close"

    decoder = ChunkedDecoder()
    sse = bytearray()
    content_times = []
    first_event = None
    saw_done = False
    batched = 0
    pending = rest
    while True:
        now = time.perf_counter_ns()
        sse += decoder.feed(pending)
        completed_content = 0
        while True:
            end = sse.find(b"\n\n")
            if end < 0:
                break
            event = bytes(sse[:end]).decode()
            del sse[:end + 2]
            data = "\n".join(line[5:].lstrip() for line in event.split("\n") if line.startswith("data:"))
            if not data:
                continue
            if first_event is None:
                first_event = now
            if data.strip() == "[DONE]":
                saw_done = True
            elif is_content_chunk(data):
                content_times.append(now)
                completed_content += 1
        if completed_content > 1:
            batched += 1
            if report_batch:
                previous = content_times[-completed_content - 1] if len(content_times) > completed_content else sent
                report_batch(f"recv completed content chunks {len(content_times) - completed_content}.."
                             f"{len(content_times) - 1} together, {(now - previous) / 1e6:.3f} ms after the one before")
        if decoder.done:
            break
        pending = conn.recv()

    conn.leftover = bytes(decoder.buf)
    if closes:
        conn.close()
    if (len(content_times) != chunks and not (any_count and content_times)) or not saw_done:
        raise StreamError(f"got {len(content_times)}/{chunks} content chunks, [DONE] seen: {saw_done}")
    ttfc = (first_event - sent) / 1e6
    gaps = [(b - a) / 1e6 for a, b in zip(content_times, content_times[1:])]
    return ttfc, gaps, batched, len(content_times)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--streams", type=int, default=50)
    parser.add_argument("--chunks", type=int, default=20)
    parser.add_argument("--delay-ms", type=int, default=5)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--extra", type=json.loads, default={}, help="JSON object merged into every body")
    parser.add_argument("--any-count", action="store_true", help="accept any number (>0) of content chunks")
    parser.add_argument("--seconds", type=float, default=0, help="start no stream after this long (0: no limit)")
    parser.add_argument("--model", default=MODEL, help=f"the model asked for (default {MODEL})")
    args = parser.parse_args()

    conn = Connection(args.host, args.port)
    ttfcs, gaps, batched, errors, content_chunks = [], [], 0, 0, 0
    started = time.perf_counter()
    run = 0
    for i in range(args.streams):
        if args.seconds and time.perf_counter() - started >= args.seconds:
            break
        run += 1
        try:
            report = (lambda text, i=i: print(f"# stream {i}: {text}", file=sys.stderr)) if args.verbose else None
            ttfc, stream_gaps, stream_batched, received = one_stream(
                conn, args.chunks, args.delay_ms, report, args.extra, args.any_count, args.model)
        except (StreamError, OSError, ValueError) as e:
            errors += 1
            conn.close()
            if args.verbose:
                print(f"# stream {i} failed: {e}", file=sys.stderr)
            continue
        ttfcs.append(ttfc)
        gaps.extend(stream_gaps)
        batched += stream_batched
        content_chunks += received
    elapsed = time.perf_counter() - started
    conn.close()

    print(f"streams {run}")
    print(f"stream_errors {errors}")
    print(f"batched {batched}")
    print(f"gaps {len(gaps)}")
    print(f"content_chunks {content_chunks}")
    print(f"elapsed_s {elapsed:.3f}")
    if ttfcs:
        print(f"ttfc_p50_ms {percentile(ttfcs, 50):.4f}")
        print(f"ttfc_p99_ms {percentile(ttfcs, 99):.4f}")
    if gaps:
        print(f"gap_p50_ms {percentile(gaps, 50):.4f}")
        print(f"gap_p99_ms {percentile(gaps, 99):.4f}")
        print(f"gap_max_ms {max(gaps):.4f}")


if __name__ == "__main__":
    main()
