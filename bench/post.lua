-- A non-streaming chat completion, POSTed on every request. done() prints the figures run.sh records as
-- "key value" lines (latencies in microseconds), which is more exact than parsing wrk's rounded summary.
wrk.method = "POST"
wrk.path = "/v1/chat/completions"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"gpt-bench","messages":[{"role":"user","content":"Say hello in five words."}]}'

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests %d\n", summary.requests))
  io.write(string.format("BENCH duration_us %d\n", summary.duration))
  io.write(string.format("BENCH p50_us %d\n", latency:percentile(50)))
  io.write(string.format("BENCH p99_us %d\n", latency:percentile(99)))
  io.write(string.format("BENCH errors_socket %d\n", e.connect + e.read + e.write + e.timeout))
  io.write(string.format("BENCH errors_status %d\n", e.status))
end
