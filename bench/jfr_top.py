#!/usr/bin/env python3
"""Summarises a JFR recording's CPU samples: which threads, which parts of the stack, and the hottest frames.

    jfr print --events jdk.ExecutionSample --stack-depth 128 rec.jfr | bench/jfr_top.py [--top N]

A sample counts for a part when any frame of its stack matches the part's pattern (so parts overlap), and for
the frame at the top of its stack ("self"). Only Java frames are sampled (JFR's execution samples).
"""
import argparse
import collections
import re
import sys

PARTS = [
    ("OpenTelemetry export (OTLP marshalling, HTTP)", r"io\.opentelemetry\.exporter|okhttp3|okio"),
    ("OpenTelemetry spans", r"io\.opentelemetry\.sdk\.trace"),
    ("OpenTelemetry metrics (incl. Micrometer bridge)", r"io\.opentelemetry\.sdk\.metrics|io\.micrometer"),
    ("Vert.x tracer (event-bus, HTTP, pg spans)", r"io\.vertx\.tracing"),
    ("event bus", r"io\.vertx\.core\.eventbus"),
    ("JSON deep copies", r"JsonObject\.copy|JsonArray\.copy|JsonUtil\.deepCopy"),
    ("Jackson (JSON encode/parse)", r"com\.fasterxml\.jackson"),
    ("gateway", r"io\.luthien\.gateway"),
    ("policy verticle", r"io\.luthien\.policy\."),
    ("recorder verticle", r"io\.luthien\.recorder"),
    ("  recorder: reading and encoding events", r"io\.luthien\.recorder\.RecorderVerticle\.record"),
    ("  recorder: activity relay", r"io\.luthien\.recorder\.ActivityRelay"),
    ("  gateway: live activity events", r"io\.luthien\.gateway\.recording\.CallActivity"),
    ("PostgreSQL client", r"io\.vertx\.pgclient|io\.vertx\.sqlclient"),
    ("debug verticle (live feed)", r"io\.luthien\.debug"),
]


def samples(lines):
    stack, thread = [], None
    for line in lines:
        if line.startswith("jdk.ExecutionSample"):
            if stack:
                yield thread, stack
            stack, thread = [], None
            continue
        m = re.match(r'\s+sampledThread = "([^"]*)"', line)
        if m:
            thread = re.sub(r"\d+", "N", m.group(1))
            continue
        m = re.match(r"\s+(\S+)\(.*\)\s+line:", line)
        if m:
            stack.append(m.group(1))
    if stack:
        yield thread, stack


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()
    threads, parts, selfs, luthien = (collections.Counter() for _ in range(4))
    total = 0
    for thread, stack in samples(sys.stdin):
        total += 1
        threads[thread] += 1
        selfs[stack[0]] += 1
        joined = " ".join(stack)
        for name, pattern in PARTS:
            if re.search(pattern, joined):
                parts[name] += 1
        for frame in set(stack):
            if frame.startswith("io.luthien.") and "lambda$" not in frame:
                luthien[frame] += 1
    if not total:
        sys.exit("no execution samples")
    pct = lambda n: f"{100 * n / total:5.1f} %"
    print(f"{total} samples\n\nthreads:")
    for name, n in threads.most_common(6):
        print(f"  {pct(n)}  {name}")
    print("\nparts of the stack (a sample counts for every part it passes through):")
    for name, _ in PARTS:
        print(f"  {pct(parts[name])}  {name}")
    print(f"\nhottest frames (self, top {args.top}):")
    for frame, n in selfs.most_common(args.top):
        print(f"  {pct(n)}  {frame}")
    print(f"\nluthien frames (inclusive, top {args.top}):")
    for frame, n in luthien.most_common(args.top):
        print(f"  {pct(n)}  {frame}")


if __name__ == "__main__":
    main()
