-- wrk script for bench/serve_and_load.py. BENCH_TARGETS names a file written by that script:
--   "#H<TAB>Header-Name<TAB>value"         a header sent with every request (token, cookie, CSRF)
--   "METHOD<TAB>/path?query<TAB>json body"  one request; the body is optional
-- Each connection walks the list from a random start, so parties and references vary per request.
-- done() prints one JSON line (BENCH_JSON ...) that the Python script parses.

local targets = {}
local headers = {}
local position = 1

local function load_targets()
  local file = os.getenv("BENCH_TARGETS")
  for line in io.lines(file) do
    if line:sub(1, 3) == "#H\t" then
      local name, value = line:match("^#H\t([^\t]+)\t(.*)$")
      headers[name] = value
    elseif line ~= "" then
      local method, path, body = line:match("^(%u+)\t([^\t]+)\t?(.*)$")
      if body == "" then body = nil end
      targets[#targets + 1] = { method, path, body }
    end
  end
end

function init(args)
  load_targets()
  math.randomseed(os.time() + tonumber(tostring(targets):match("0x(%x+)") or "0", 16) % 100000)
  position = math.random(#targets)
end

function request()
  local t = targets[position]
  position = position % #targets + 1
  if t[3] then
    headers["Content-Type"] = "application/json"
  else
    headers["Content-Type"] = nil
  end
  return wrk.format(t[1], t[2], headers, t[3])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"bytes":%d,"errors_connect":%d,"errors_read":%d,' ..
    '"errors_write":%d,"errors_status":%d,"errors_timeout":%d,"p50_us":%d,"p90_us":%d,"p95_us":%d,' ..
    '"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99),
    latency.max, latency.mean))
end
