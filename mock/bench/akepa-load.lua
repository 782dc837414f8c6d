-- wrk script for the mock benchmark on POST /akepa/identification: one application for each of the
-- 100,000 generated customers in turn (csta_load0 … csta_load99999, ids `common-id` accepts), each
-- wrk thread walking its own stride, with a reference of letters and digits.
local counter = 0
local stride = 1
local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  stride = tonumber(os.getenv("WRK_THREADS") or "1")
  offset = offset or 0
end

wrk.method = "POST"
wrk.path = "/akepa/identification"
wrk.headers["content-type"] = "application/json"
wrk.headers["x-connectfi-token"] = "bench-token"

function request()
  local n = (offset + counter * stride) % 100000
  counter = counter + 1
  return wrk.format(nil, nil, nil, '{"customerId":"csta_load' .. n .. '","reference":"ref' .. n .. '"}')
end

function done(summary, latency, requests)
  io.write(string.format("p50_us=%d p99_us=%d max_us=%d requests=%d non2xx_or_errors=%d\n",
    latency:percentile(50), latency:percentile(99), latency.max, summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
