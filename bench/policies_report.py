#!/usr/bin/env python3
"""Summarises bench/policies.sh's raw figures ("<part> <target> <round> <key> <value>" lines) as Markdown.

  policies_report.py <raw.txt> <clock ticks per second>
"""
import collections
import statistics
import sys

med = statistics.median


def joined(values, fmt):
    return ", ".join(format(v, fmt) for v in values)


def main():
    raw, tck = sys.argv[1], int(sys.argv[2])
    d = collections.defaultdict(dict)
    for line in open(raw):
        part, target, rnd, key, value = line.split()
        d[(part, target, int(rnd))][key] = float(value)
    rounds = sorted({r for (_, _, r) in d})

    def chunk(t, r):
        x = d[("chunks", t, r)]
        return {"us": x["cpu_ticks"] * 1e6 / tck / x["chunks_sent"], "cps": x["chunks_sent"] * 1e9 / x["wall_ns"],
                "err": x["stream_errors"], "recv": x["chunks_received"], "sent": x["chunks_sent"],
                "busy": x["machine_busy_pct"]}

    print("CPU per streamed chunk (gateway JVM utime+stime / content chunks sent by the upstream)\n")
    print("| node | CPU µs/chunk per round | median | chunks/s median | content chunks received / sent "
          "| failed streams | machine busy % per round |")
    print("|---|---|---:|---:|---|---:|---|")
    for t in ("noop", "chain3"):
        c = [chunk(t, r) for r in rounds]
        print(f"| {t} | {joined([x['us'] for x in c], '.1f')} | {med(x['us'] for x in c):.1f} "
              f"| {med(x['cps'] for x in c):.0f} | {sum(x['recv'] for x in c):.0f} / {sum(x['sent'] for x in c):.0f} "
              f"| {sum(x['err'] for x in c):.0f} | {joined([x['busy'] for x in c], '.0f')} |")
    added = [chunk("chain3", r)["us"] - chunk("noop", r)["us"] for r in rounds]
    print(f"\nchain3 − noop per round: {joined(added, '+.1f')} µs; **median {med(added):+.1f} µs CPU per chunk**\n")

    print("Latency at one connection, one call at a time (ms)\n")
    print("| target | p50 per round | p50 | p99 per round | p99 | calls |")
    print("|---|---|---:|---|---:|---:|")
    for t in ("judge-direct", "gateway-noop", "gateway-noop-paced", "gateway-judge"):
        x = [d[("latency", t, r)] for r in rounds]
        print(f"| {t} | {joined([v['p50_ms'] for v in x], '.2f')} | {med(v['p50_ms'] for v in x):.2f} "
              f"| {joined([v['p99_ms'] for v in x], '.2f')} | {med(v['p99_ms'] for v in x):.2f} "
              f"| {sum(v['requests'] for v in x):.0f} |")
    print()
    for base in ("gateway-noop", "gateway-noop-paced"):
        for q in ("p50_ms", "p99_ms"):
            a = [d[("latency", "gateway-judge", r)][q] - d[("latency", base, r)][q] for r in rounds]
            j = [d[("latency", "judge-direct", r)][q] for r in rounds]
            over = [x - y for x, y in zip(a, j)]
            print(f"- {q[:3]}: added by the judge (gateway-judge − {base}) **{med(a):.2f} ms**, the judge call alone "
                  f"{med(j):.2f} ms, added − judge call **{med(over):+.2f} ms** (per round: {joined(over, '+.2f')})")


if __name__ == "__main__":
    main()
