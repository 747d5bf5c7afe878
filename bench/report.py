#!/usr/bin/env python3
"""Turns run.sh's raw "<target> <round> <key> <value>" lines into the Markdown report.

Every figure is the median over the measured rounds (round 0 is the warm-up and is left out). An "added"
figure or a ratio is taken per round against direct in the same round, then the median of those is shown.
"""
import argparse
import collections
import re
import statistics

TARGETS = ["direct", "nginx", "gateway", "gateway-traced", "gateway-sampled", "gateway-unrecorded",
           "gateway-clustered"]
PROXY_PARTS = {"nginx": "master+workers", "gateway": "gateway JVM (recording into embedded PostgreSQL)",
                "gateway-traced": "gateway JVM (recording, telemetry on: 100 % sampling, OTLP export)",
                "gateway-sampled": "gateway JVM (recording, telemetry on: 10 % of calls traced, OTLP export)",
                "gateway-unrecorded": "gateway JVM (RECORDING_ENABLED=false)", "gateway-clustered": "gateway JVM + policy JVM"}

# (label, check on the per-target summary)
GOALS = [
    ("req/s ≥ 0.6× direct", lambda s: s["rps_ratio"] is not None and s["rps_ratio"] >= 0.6),
    ("added p50 @1 ≤ 0.3 ms", lambda s: s["p50_1_added"] is not None and s["p50_1_added"] <= 0.3),
    ("added CPU ≤ 0.15 ms/req", lambda s: s["cpu_added"] is not None and s["cpu_added"] <= 0.15),
    ("added TTFC p50 ≤ 1 ms", lambda s: s["ttfc_added"] is not None and s["ttfc_added"] <= 1.0),
    ("added chunk gap p99 ≤ 1 ms", lambda s: s["gap_added"] is not None and s["gap_added"] <= 1.0),
    ("zero batched chunks", lambda s: s["batched"] == 0 and s["streams_ok"] > 0),
    ("zero errors", lambda s: s["errors"] == 0),
]


def load(path):
    data = collections.defaultdict(lambda: collections.defaultdict(dict))
    with open(path) as f:
        for line in f:
            target, rnd, key, value = line.split(maxsplit=3)
            value = value.strip()
            if key != "rss_parts_kb":
                value = float(value)
            data[target][int(rnd)][key] = value
    return data


def per_round(r, clk_tck):
    """Derived figures of one target in one round; None where the run produced nothing to measure."""
    out = {}
    secs = r["c32_duration_us"] / 1e6
    out["rps"] = r["c32_requests"] / secs
    out["p50_1"] = r["c1_p50_us"] / 1000
    out["p99_1"] = r["c1_p99_us"] / 1000
    out["p50_32"] = r["c32_p50_us"] / 1000
    out["p99_32"] = r["c32_p99_us"] / 1000
    out["cpu"] = r["c32_cpu_ticks"] * 1000 / clk_tck / r["c32_requests"] if r["c32_requests"] else None
    out["rss_mb"] = r["rss_kb"] / 1024 if "rss_kb" in r else None
    out["rss_parts"] = r.get("rss_parts_kb")
    out["ttfc_p50"] = r.get("stream_ttfc_p50_ms")
    out["ttfc_p99"] = r.get("stream_ttfc_p99_ms")
    out["gap_p50"] = r.get("stream_gap_p50_ms")
    out["gap_p99"] = r.get("stream_gap_p99_ms")
    out["gap_max"] = r.get("stream_gap_max_ms")
    out["batched"] = int(r.get("stream_batched", 0))
    out["stream_errors"] = int(r.get("stream_stream_errors", 0))
    out["streams"] = int(r.get("stream_streams", 0))
    out["gaps"] = int(r.get("stream_gaps", 0))
    out["wrk_errors"] = int(sum(r.get(f"{p}_errors_{k}", 0) for p in ("c32", "c1") for k in ("socket", "status")))
    out["background"] = r.get("background_cpu_pct")
    out["steal"] = r.get("steal_cpu_pct")
    out["idle_targets"] = r.get("idle_targets_cpu_pct")
    out["non2xx"] = int(sum(r.get(f"{p}_errors_status", 0) for p in ("c32", "c1")))
    return out


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def summarize(rounds, direct_rounds):
    s = {}
    for key in ("rps", "p50_1", "p99_1", "p50_32", "p99_32", "cpu", "rss_mb", "ttfc_p50", "ttfc_p99",
                "gap_p50", "gap_p99", "gap_max"):
        s[key] = median([r[key] for r in rounds.values()])

    def paired(fn):
        return median([fn(r, direct_rounds[n]) for n, r in rounds.items() if n in direct_rounds])

    def diff(key):
        return lambda r, d: r[key] - d[key] if r[key] is not None and d[key] is not None else None

    s["rps_ratio"] = paired(lambda r, d: r["rps"] / d["rps"])
    s["p50_1_added"] = paired(diff("p50_1"))
    s["cpu_added"] = paired(diff("cpu"))
    s["ttfc_added"] = paired(diff("ttfc_p50"))
    s["gap_added"] = paired(diff("gap_p99"))
    s["batched"] = sum(r["batched"] for r in rounds.values())
    s["streams"] = sum(r["streams"] for r in rounds.values())
    s["gaps"] = sum(r["gaps"] for r in rounds.values())
    s["streams_ok"] = s["streams"] - sum(r["stream_errors"] for r in rounds.values())
    s["stream_errors"] = s["streams"] - s["streams_ok"]
    s["wrk_errors"] = sum(r["wrk_errors"] for r in rounds.values())
    s["non2xx"] = sum(r["non2xx"] for r in rounds.values())
    s["errors"] = s["wrk_errors"] + s["stream_errors"]
    s["background_median"] = median([r["background"] for r in rounds.values()])
    s["background_max"] = max((r["background"] or 0) for r in rounds.values())
    s["idle_targets"] = median([r["idle_targets"] for r in rounds.values()])
    s["steal_max"] = max((r["steal"] or 0) for r in rounds.values())
    s["rps_by_round"] = [rounds[n]["rps"] for n in sorted(rounds)]
    last = rounds[max(rounds)]
    s["rss_parts_last"] = last["rss_parts"]
    return s


def fmt(value, digits=3, signed=False, suffix=""):
    if value is None:
        return "n/a"
    return f"{value:+.{digits}f}{suffix}" if signed else f"{value:.{digits}f}{suffix}"


def warnings_summary(path):
    """Distinct WARN/ERROR messages of the gateway and policy JVMs, with call ids and times blanked."""
    counts = collections.Counter()
    try:
        with open(path) as f:
            for line in f:
                msg = line.split(" - ", 1)[-1].strip()
                msg = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<call>", msg)
                counts[msg] += 1
    except FileNotFoundError:
        pass
    return counts


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--raw", required=True)
    parser.add_argument("--clk-tck", type=int, required=True)
    parser.add_argument("--config", default="")
    parser.add_argument("--warnings")
    parser.add_argument("--stream-notes")
    args = parser.parse_args()

    data = load(args.raw)
    derived = {t: {n: per_round(r, args.clk_tck) for n, r in data[t].items() if n > 0} for t in TARGETS if t in data}
    summary = {t: summarize(rounds, derived["direct"]) for t, rounds in derived.items()}
    warm_up = {t: data[t][0] for t in TARGETS if 0 in data.get(t, {})}
    warm_up_errors = {t: int(sum(v for k, v in w.items() if re.fullmatch(r"warmup\d+_errors_\w+|warmupstream_stream_errors", k)))
                      for t, w in warm_up.items()}

    out = []
    out.append("# luthien-vertx benchmark")
    out.append("")
    out.append(f"Config: {args.config}")
    out.append("")
    out.append("Medians over rounds. \"+\" columns: the median over rounds of (target − direct in the same round); "
               "× direct likewise. Times in ms. CPU: all server-side processes (fake upstream + proxy). "
               "RSS: the proxy processes only.")
    out.append("")
    out.append("| target | req/s @32 | × direct | p50 @1 | p99 @1 | +p50 @1 | p50 @32 | p99 @32 | CPU ms/req | +CPU ms/req "
               "| RSS MB | +TTFC p50 | +gap p99 | batched | errors |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for t in summary:
        s = summary[t]
        ref = t == "direct"
        out.append("| " + " | ".join([
            t,
            fmt(s["rps"], 0),
            "1.00" if ref else fmt(s["rps_ratio"], 2),
            fmt(s["p50_1"]), fmt(s["p99_1"]),
            "—" if ref else fmt(s["p50_1_added"], signed=True),
            fmt(s["p50_32"]), fmt(s["p99_32"]),
            fmt(s["cpu"], 4),
            "—" if ref else fmt(s["cpu_added"], 4, signed=True),
            "—" if ref else fmt(s["rss_mb"], 0),
            "—" if ref else fmt(s["ttfc_added"], signed=True),
            "—" if ref else fmt(s["gap_added"], signed=True),
            str(s["batched"]),
            str(s["errors"]),
        ]) + " |")
    out.append("")
    out.append("## Goals")
    out.append("")
    for t in summary:
        if t == "direct":
            continue
        failed = [label for label, check in GOALS if not check(summary[t])]
        verdict = "PASS" if not failed else "FAIL (" + "; ".join(failed) + ")"
        out.append(f"- **{t}**: {verdict}")
    out.append("")
    out.append("## Details")
    out.append("")
    out.append("| target | warm-up s | req/s by round | TTFC p50 | TTFC p99 | gap p50 | gap p99 | gap max | batched / gaps | streams ok | "
               "non-2xx | socket errors | other CPU % (median/max) | steal % (max) | idle targets CPU % | RSS KB (last round) |")
    out.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for t in summary:
        s = summary[t]
        parts = "—" if t == "direct" else f"{s['rss_parts_last']} ({PROXY_PARTS[t]})"
        out.append("| " + " | ".join([
            t, fmt(warm_up.get(t, {}).get("warmup_seconds"), 0), " ".join(f"{v:.0f}" for v in s["rps_by_round"]),
            fmt(s["ttfc_p50"]), fmt(s["ttfc_p99"]), fmt(s["gap_p50"]), fmt(s["gap_p99"]), fmt(s["gap_max"]),
            f"{s['batched']}/{s['gaps']}",
            f"{s['streams_ok']}/{s['streams']}", str(s["non2xx"]), str(s["wrk_errors"] - s["non2xx"]),
            f"{fmt(s['background_median'], 1)}/{fmt(s['background_max'], 1)}", fmt(s["steal_max"], 1),
            fmt(s["idle_targets"], 1), parts,
        ]) + " |")
    out.append("")
    out.append("Other CPU %: the share of the machine's CPU used by processes outside the benchmark while a target "
               "was measured; steal %: the share the hypervisor took. Above a few % the figures are disturbed. Idle targets "
               "CPU %: what the other targets' processes (idle JVMs, Hazelcast) used meanwhile.")
    out.append("")
    worst = max(max(s["background_max"], s["steal_max"]) for s in summary.values())
    if worst > 5:
        out.append(f"**WARNING: other processes or the hypervisor took up to {worst:.1f}% of the machine's CPU during measurements; "
                   "treat this run's figures with care.**")
        out.append("")
    if any(warm_up_errors.values()):
        out.append("Warm-up errors: " + ", ".join(f"{t} {n}" for t, n in warm_up_errors.items() if n))
        out.append("")
    if args.stream_notes:
        with open(args.stream_notes) as f:
            notes = [line.strip() for line in f if line.strip()]
        if notes:
            out.append("## Batched chunks and failed streams, one by one")
            out.append("")
            out.extend(f"- {note.replace('# ', '')}" for note in notes[:30])
            if len(notes) > 30:
                out.append(f"- … and {len(notes) - 30} more")
            out.append("")
    if args.warnings:
        counts = warnings_summary(args.warnings)
        if counts:
            out.append("## Gateway / policy log warnings (whole run, distinct messages)")
            out.append("")
            for msg, n in counts.most_common(8):
                out.append(f"- {n}× `{msg[:300]}`")
            out.append("")
    print("\n".join(out))


if __name__ == "__main__":
    main()
