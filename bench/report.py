#!/usr/bin/env python3
"""Turns run.sh's raw "<target> <round> <key> <value>" lines into the Markdown report.

Every figure is the median over the measured rounds (round 0 is the warm-up and is left out). A ratio or an
"added" figure is taken per round against its reference target in the same round (nginx for throughput and
latency, direct for the streams, another gateway target for a cost), then the median of those is shown.
"""
import argparse
import collections
import re
import statistics

TARGETS = ["direct", "nginx", "gateway", "gateway-traced", "gateway-sampled", "gateway-unrecorded",
           "gateway-clustered"]
GATEWAYS = [t for t in TARGETS if t.startswith("gateway")]
RECORDING = ["gateway", "gateway-traced", "gateway-sampled"]  # all-in-one, recording into embedded PostgreSQL
AS_SHIPPED = "gateway-traced"  # recording on, 100 % traced and exported
PROXY_PARTS = {"nginx": "master, workers",
               "gateway": "gateway JVM (recording, telemetry off), then its PostgreSQL processes",
               "gateway-traced": "gateway JVM (recording, telemetry on: 100 % sampling, OTLP export), then its "
                                 "PostgreSQL processes",
               "gateway-sampled": "gateway JVM (recording, telemetry on: 10 % of calls traced, OTLP export), then "
                                  "its PostgreSQL processes",
               "gateway-unrecorded": "gateway JVM (RECORDING_ENABLED=false), then its PostgreSQL processes",
               "gateway-clustered": "gateway JVM, policy JVM"}
LOAD_SECONDS_ASKED = 60  # issue 17: no event dropped at full load for 60 s


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
    requests = r["c32_requests"]
    out["rps"] = requests / secs
    out["p50_1"] = r["c1_p50_us"] / 1000
    out["p99_1"] = r["c1_p99_us"] / 1000
    out["p50_32"] = r["c32_p50_us"] / 1000
    out["p99_32"] = r["c32_p99_us"] / 1000
    out["c32_seconds"] = secs
    # every server-side process (static nginx, fake upstream, proxy) per request, and the proxy's alone
    out["cpu"] = r["c32_cpu_ticks"] * 1000 / clk_tck / requests if requests else None
    out["proxy_cpu"] = (r["c32_proxy_cpu_ticks"] * 1000 / clk_tck / requests
                        if requests and "c32_proxy_cpu_ticks" in r else None)
    chunks = r.get("stream_content_chunks", 0)
    out["chunk_cpu_us"] = (r["stream_proxy_cpu_ticks"] * 1e6 / clk_tck / chunks
                           if chunks and "stream_proxy_cpu_ticks" in r else None)
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


def paired(rounds, ref_rounds, fn):
    """The median over rounds of fn(this target's round, the reference's same round)."""
    if not ref_rounds:
        return None
    return median([fn(r, ref_rounds[n]) for n, r in rounds.items() if n in ref_rounds])


def diff(key):
    return lambda r, d: r[key] - d[key] if r[key] is not None and d[key] is not None else None


def ratio(key):
    return lambda r, d: r[key] / d[key] if r[key] is not None and d[key] else None


def summarize(rounds, direct_rounds, nginx_rounds):
    s = {}
    for key in ("rps", "p50_1", "p99_1", "p50_32", "p99_32", "cpu", "proxy_cpu", "chunk_cpu_us", "rss_mb",
                "ttfc_p50", "ttfc_p99", "gap_p50", "gap_p99", "gap_max"):
        s[key] = median([r[key] for r in rounds.values()])
    s["rps_x_nginx"] = paired(rounds, nginx_rounds, ratio("rps"))
    s["rps_x_direct"] = paired(rounds, direct_rounds, ratio("rps"))
    s["p50_1_vs_nginx"] = paired(rounds, nginx_rounds, diff("p50_1"))
    s["ttfc_added"] = paired(rounds, direct_rounds, diff("ttfc_p50"))
    s["gap_added"] = paired(rounds, direct_rounds, diff("gap_p99"))
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
    s["measured_load_s"] = sum(r["c32_seconds"] for r in rounds.values())
    last = rounds[max(rounds)]
    s["rss_parts_last"] = last["rss_parts"]
    return s


def recorder_figures(warm_up):
    """Dropped events over the whole run (warm-up and rounds): the node's count, or the log's if higher."""
    out = {}
    for phase in ("warmup", "total"):
        counted = warm_up.get(f"recorder_dropped_events_{phase}")
        logged = warm_up.get(f"recorder_logged_dropped_{phase}")
        out[f"dropped_{phase}"] = None if counted is None else int(max(counted, logged or 0))
        out[f"written_{phase}"] = warm_up.get(f"recorder_written_events_{phase}")
        out[f"queued_{phase}"] = warm_up.get(f"recorder_queued_events_{phase}")
    return out


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


def cost(derived, target, reference):
    """The median over rounds of 1 − req/s(target) ÷ req/s(reference) in the same round: the throughput lost."""
    if target not in derived or reference not in derived:
        return None
    return paired(derived[target], derived[reference], lambda r, d: 1 - r["rps"] / d["rps"] if d["rps"] else None)


def check(ok, text):
    mark = "✓" if ok else "✗"
    return f"- {mark} {text}"


def targets_section(summary, derived, recorder):
    """Issue 17's targets, each with its figure."""
    out = ["## Targets (issue 17)", ""]

    def figure(value, spec):
        return "n/a (not measured)" if value is None else spec.format(value)

    shipped = summary.get(AS_SHIPPED)
    if shipped:
        v = shipped["rps_x_nginx"]
        out.append(check(v is not None and v >= 0.5,
                         f"as shipped ({AS_SHIPPED}): req/s ≥ 0.5× nginx's — {figure(v, '{:.2f}×')}"))
        v = shipped["proxy_cpu"]
        out.append(check(v is not None and v <= 0.08,
                         f"as shipped: gateway CPU (JVM + embedded PostgreSQL) ≤ 0.08 ms per call — "
                         f"{figure(v, '{:.4f} ms')}"))
        v = shipped["p50_1_vs_nginx"]
        out.append(check(v is not None and v <= 0.1,
                         f"as shipped: p50 at one connection ≤ nginx's + 0.1 ms — {figure(v, '{:+.3f} ms')}"))
    for target, reference, bound, what in (
            ("gateway-traced", "gateway", 0.10, "telemetry on at 100 %"),
            ("gateway-sampled", "gateway", 0.05, "telemetry on at 10 % sampling"),
            ("gateway", "gateway-unrecorded", 0.20, "recording")):
        v = cost(derived, target, reference)
        out.append(check(v is not None and v <= bound,
                         f"{what} costs ≤ {bound * 100:.0f} % of throughput (1 − {target} ÷ {reference}) — "
                         f"{figure(None if v is None else v * 100, '{:.1f} %')}"))
    for t, r in recorder.items():
        load = summary[t]["load_s"]
        short = f" (less than the {LOAD_SECONDS_ASKED} s asked)" if load < LOAD_SECONDS_ASKED else ""
        dropped = r["dropped_total"]
        out.append(check(dropped == 0,
                         f"{t}: no recorder event dropped — "
                         f"{figure(dropped, '{} dropped')} over {load:.0f} s of 32-connection load{short}"))
    gateways = [t for t in GATEWAYS if t in summary]
    ttfc = {t: summary[t]["ttfc_added"] for t in gateways}
    out.append(check(all(v is not None and v <= 0.3 for v in ttfc.values()),
                     "streams: added time to first chunk ≤ 0.3 ms on every gateway target — "
                     + ", ".join(f"{t} {figure(v, '{:+.3f} ms')}" for t, v in ttfc.items())))
    out.append(check(all(summary[t]["batched"] == 0 and summary[t]["streams_ok"] > 0 for t in gateways),
                     "streams: no batched chunks on any gateway target — "
                     + ", ".join(f"{t} {summary[t]['batched']}" for t in gateways)))
    out.append("- streams: proxy CPU per streamed chunk (through the policy hop; reported, no bound) — "
               + ", ".join(f"{t} {figure(summary[t]['chunk_cpu_us'], '{:.1f} µs')}" for t in gateways))
    clustered, allinone = summary.get("gateway-clustered"), "gateway"
    if clustered and allinone in derived:
        v = paired(derived["gateway-clustered"], derived[allinone], ratio("rps"))
        out.append(check(v is not None and v >= 0.5,
                         f"clustered: req/s ≥ 0.5× the all-in-one's — {figure(v, '{:.2f}×')} (against `{allinone}`, "
                         "recording on and telemetry off, as the clustered pair runs with telemetry off; the pair has "
                         "no recorder node, so its gateway's recorder events reach no one); its other figures are its "
                         "row of the table"))
    errors = {t: s["errors"] for t, s in summary.items()}
    out.append(check(not any(errors.values()),
                     "no errors (wrk non-2xx and socket errors, failed streams) on any target — "
                     + (", ".join(f"{t} {n}" for t, n in errors.items() if n) or "0")))
    out.append("")
    return out


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
    summary = {t: summarize(rounds, derived.get("direct", {}), derived.get("nginx", {}))
               for t, rounds in derived.items()}
    warm_up = {t: data[t][0] for t in TARGETS if 0 in data.get(t, {})}
    warm_up_errors = {t: int(sum(v for k, v in w.items() if re.fullmatch(r"warmup\d+_errors_\w+|warmupstream_stream_errors", k)))
                      for t, w in warm_up.items()}
    recorder = {t: recorder_figures(warm_up.get(t, {})) for t in RECORDING if t in summary}
    for t, s in summary.items():
        s["load_s"] = (warm_up.get(t, {}).get("warmup_seconds") or 0) + s["measured_load_s"]

    out = []
    out.append("# luthien-vertx benchmark")
    out.append("")
    out.append(f"Config: {args.config}")
    out.append("")
    out.append("Medians over rounds. direct: the static nginx upstream for the load, the fake upstream for the streams. "
               "× nginx and \"+p50 @1 vs nginx\": the median over rounds of (target ÷ or − nginx in the same round); "
               "+TTFC and +gap: likewise against direct's streams. Times in ms. Proxy CPU: the proxy's processes only "
               "(nginx master and workers; the gateway JVM and its embedded PostgreSQL; the gateway and policy JVMs), "
               "per call under the 32-connection load and per content chunk of the streams. RSS: the same processes.")
    out.append("")
    out.append("| target | req/s @32 | × nginx | p50 @1 | +p50 @1 vs nginx | p99 @1 | p99 @32 | proxy CPU ms/call "
               "| RSS MB | +TTFC p50 | +gap p99 | proxy CPU µs/chunk | batched | dropped events | errors |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for t in summary:
        s = summary[t]
        direct = t == "direct"
        dropped = recorder[t]["dropped_total"] if t in recorder else None
        out.append("| " + " | ".join([
            t,
            fmt(s["rps"], 0),
            "—" if direct else "1.00" if t == "nginx" else fmt(s["rps_x_nginx"], 2),
            fmt(s["p50_1"]),
            "—" if t in ("direct", "nginx") else fmt(s["p50_1_vs_nginx"], signed=True),
            fmt(s["p99_1"]), fmt(s["p99_32"]),
            "—" if direct else fmt(s["proxy_cpu"], 4),
            "—" if direct else fmt(s["rss_mb"], 0),
            "—" if direct else fmt(s["ttfc_added"], signed=True),
            "—" if direct else fmt(s["gap_added"], signed=True),
            "—" if direct else fmt(s["chunk_cpu_us"], 1),
            str(s["batched"]),
            "—" if t not in recorder else "n/a" if dropped is None else str(dropped),
            str(s["errors"]),
        ]) + " |")
    out.append("")
    out.extend(targets_section(summary, derived, recorder))
    out.append("## Details")
    out.append("")
    out.append("| target | warm-up s | req/s by round | × direct | p50 @32 | server CPU ms/req | TTFC p50 | TTFC p99 | "
               "gap p50 | gap p99 | gap max | batched / gaps | streams ok | non-2xx | socket errors | "
               "other CPU % (median/max) | steal % (max) | idle targets CPU % | RSS KB (last round) |")
    out.append("|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for t in summary:
        s = summary[t]
        parts = "—" if t == "direct" else f"{s['rss_parts_last']} ({PROXY_PARTS[t]})"
        out.append("| " + " | ".join([
            t, fmt(warm_up.get(t, {}).get("warmup_seconds"), 0), " ".join(f"{v:.0f}" for v in s["rps_by_round"]),
            "1.00" if t == "direct" else fmt(s["rps_x_direct"], 2), fmt(s["p50_32"]), fmt(s["cpu"], 4),
            fmt(s["ttfc_p50"]), fmt(s["ttfc_p99"]), fmt(s["gap_p50"]), fmt(s["gap_p99"]), fmt(s["gap_max"]),
            f"{s['batched']}/{s['gaps']}",
            f"{s['streams_ok']}/{s['streams']}", str(s["non2xx"]), str(s["wrk_errors"] - s["non2xx"]),
            f"{fmt(s['background_median'], 1)}/{fmt(s['background_max'], 1)}", fmt(s["steal_max"], 1),
            fmt(s["idle_targets"], 1), parts,
        ]) + " |")
    out.append("")
    out.append("Server CPU: every server-side process of the target (the static nginx, the fake upstream and the proxy) "
               "per request under the 32-connection load; × direct: req/s against the static nginx answering alone.")
    out.append("")
    if recorder:
        out.append("| recording target | 32-connection load s (warm-up + rounds) | dropped events (warm-up / whole run) "
                   "| events written | events still queued at the end |")
        out.append("|---|---:|---:|---:|---:|")
        for t, r in recorder.items():
            out.append(f"| {t} | {summary[t]['load_s']:.0f} | {fmt(r['dropped_warmup'], 0)} / {fmt(r['dropped_total'], 0)} "
                       f"| {fmt(r['written_total'], 0)} | {fmt(r['queued_total'], 0)} |")
        out.append("")
        out.append("Dropped events: the recorder's count on the node's `/health` (or the running total its drop log "
                   "lines give, if higher), over the whole run, warm-up included.")
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
