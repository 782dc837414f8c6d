-- wrk script for the mock benchmark: POST /customer/kyc/init for 100,000 distinct generated
-- customers (csta_load0 … csta_load99999), each wrk thread walking its own stride.
-- `offset` is a global: setup() sets it in each thread's own Lua state.
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
wrk.path = "/customer/kyc/init"
wrk.headers["content-type"] = "application/json"
wrk.headers["x-connectfi-token"] = "bench-token"

function request()
  local n = (offset + counter * stride) % 100000
  counter = counter + 1
  return wrk.format(nil, nil, nil, '{"customerId":"csta_load' .. n .. '"}')
end

function done(summary, latency, requests)
  io.write(string.format("p50_us=%d p99_us=%d max_us=%d requests=%d non2xx_or_errors=%d\n",
    latency:percentile(50), latency:percentile(99), latency.max, summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
