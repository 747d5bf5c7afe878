#!/usr/bin/env python3
"""One client, one keep-alive connection, one request at a time: POSTs a JSON body for --seconds and prints the
latency of each whole call (request sent -> whole answer read) as "key value" lines, times in ms:

  requests, errors, p50_ms, p99_ms, mean_ms, min_ms, max_ms

An answer that is not 200, or (with --expect) does not contain that text, counts as an error; with --verbose
the first error's answer is printed to stderr. --pause-ms waits that long between calls (the connection idle).
Python 3 standard library only (used by bench/policies.sh).
"""
import argparse
import http.client
import sys
import time


def percentile(values, pct):
    """Nearest-rank percentile of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--path", default="/v1/chat/completions")
    parser.add_argument("--body", required=True, help="the JSON body, as text")
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--expect", help="text every answer must contain")
    parser.add_argument("--pause-ms", type=float, default=0)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()

    body = args.body.encode()
    headers = {"Content-Type": "application/json", "Content-Length": str(len(body))}
    conn = http.client.HTTPConnection(args.host, args.port, timeout=30)
    times, errors, shown = [], 0, False
    end = time.monotonic() + args.seconds
    while time.monotonic() < end:
        if args.pause_ms and (times or errors):
            time.sleep(args.pause_ms / 1000)
        start = time.perf_counter_ns()
        try:
            conn.request("POST", args.path, body=body, headers=headers)  # headers and body in one send
            response = conn.getresponse()
            answer = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as e:
            conn.close()
            errors += 1
            if args.verbose and not shown:
                print(f"# request failed: {e}", file=sys.stderr)
                shown = True
            continue
        elapsed = (time.perf_counter_ns() - start) / 1e6
        if status != 200 or (args.expect and args.expect.encode() not in answer):
            errors += 1
            if args.verbose and not shown:
                print(f"# unexpected answer, status {status}: {answer[:500]!r}", file=sys.stderr)
                shown = True
            continue
        times.append(elapsed)
    conn.close()

    print(f"requests {len(times) + errors}")
    print(f"errors {errors}")
    if times:
        print(f"p50_ms {percentile(times, 50):.3f}")
        print(f"p99_ms {percentile(times, 99):.3f}")
        print(f"mean_ms {sum(times) / len(times):.3f}")
        print(f"min_ms {min(times):.3f}")
        print(f"max_ms {max(times):.3f}")


if __name__ == "__main__":
    main()
