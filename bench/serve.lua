-- wrk script for bench/serve.sh.  With ARTICLE set: POST that file to the
-- URL as text/plain.  With QUERIES set: GET the URL paths in that file (one
-- a line), in turn, each wrk thread from its own place in the list; with
-- DISTINCT=1 too, the WRK_THREADS threads (default 2) take disjoint parts
-- of it, so that no path is asked twice while the list lasts (done() says
-- if it ran out).
local article, queries = os.getenv("ARTICLE"), os.getenv("QUERIES")
local distinct = os.getenv("DISTINCT") == "1"
local paths = {}
if article then
  local f = assert(io.open(article, "rb"))
  wrk.method = "POST"
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = "text/plain; charset=utf-8"
elseif queries then
  for line in io.lines(queries) do
    if line ~= "" then paths[#paths + 1] = line end
  end
  assert(#paths > 0, "QUERIES has no paths")
end

local part = math.floor(#paths / (tonumber(os.getenv("WRK_THREADS")) or 2))
local threads = 0
local thread_list = {}
function setup(thread)
  thread:set("first", threads * (distinct and part or 7919))
  threads = threads + 1
  thread_list[threads] = thread
end

n = 0 -- a global: done() reads it from each thread
function init(args)
  n = tonumber(first) or 0
end

if queries then
  function request()
    n = n + 1
    return wrk.format("GET", paths[n % #paths + 1])
  end
end

function done(summary, latency, requests)
  -- each thread has its own part of the list: a path came back only if a
  -- thread asked more than its part
  local again = false
  for _, t in ipairs(thread_list) do
    if tonumber(t:get("n")) - tonumber(t:get("first")) > part then again = true end
  end
  if distinct and again then
    io.write(string.format("WARNING: %d requests from %d paths: some were asked twice\n", summary.requests, #paths))
  end
  io.write(string.format("RESULT requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p99_ms=%.2f non2xx=%d errors=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
