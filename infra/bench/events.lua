-- wrk script shared by the throughput benchmarks: one new business event per request (a unique EventId and
-- ControlNumber), POSTed to MLC_BENCH_PATH (default /events/bench); MLC_BENCH_RUN keeps runs on one database apart.
local threads = 0
setup = function(thread)
  thread:set("id", threads)
  threads = threads + 1
end
local n = 0
local run = tonumber(os.getenv("MLC_BENCH_RUN") or "") or (os.time() % 1000)
local path = os.getenv("MLC_BENCH_PATH") or "/events/bench"
request = function()
  n = n + 1
  local unique = run * 1000000000 + id * 100000000 + n
  local body = string.format('{"BusinessEventId":"PurchaseOrderConfirmedBusinessEvent","BusinessEventLegalEntity":"usmf",'
    .. '"ControlNumber":%d,"EventId":"wrk-%d","EventTime":"/Date(1764403200000)/","PurchaseOrderNumber":"USMF-000142",'
    .. '"TransactionCurrencyAmount":48250.75,"TransactionCurrencyCode":"USD","VendorAccount":"US-104"}', unique, unique)
  return wrk.format("POST", path .. "?code=bench-event-key-0123456789", {["Content-Type"] = "application/json"}, body)
end
done = function(summary, latency, requests)
  io.write(string.format("failed or non-2xx: %d\n", summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout))
  io.write(string.format("events/s: %.1f\n", summary.requests / (summary.duration / 1e6)))
  io.write(string.format("median: %.2f ms\n", latency:percentile(50) / 1000))
end
