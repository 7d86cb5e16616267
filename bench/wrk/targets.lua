-- wrk script for bench/serve_and_load.py. BENCH_TARGETS names a file written by that script:
--   "#S<TAB>set<TAB>Header-Name<TAB>value"        a header of header set <set> (a token, a session cookie)
--   "METHOD<TAB>/path?query<TAB>json body<TAB>set" one request (body may be empty) and its header set;
--   a body is JSON unless the header set names another Content-Type (a form post to a Twilio webhook)
-- The connection walks the list from a random start, so parties, references and agents vary.
-- done() prints one JSON line (BENCH_JSON ...) that the Python script parses.

local targets = {}
local sets = {}
local position = 1

local function load_targets()
  for line in io.lines(os.getenv("BENCH_TARGETS")) do
    if line:sub(1, 3) == "#S\t" then
      local set, name, value = line:match("^#S\t(%d+)\t([^\t]+)\t(.*)$")
      sets[set] = sets[set] or {}
      sets[set][name] = value
    elseif line ~= "" then
      local method, path, body, set = line:match("^(%u+)\t([^\t]+)\t([^\t]*)\t(%d+)$")
      local headers = {}
      for name, value in pairs(sets[set] or {}) do headers[name] = value end
      if body ~= "" then
        headers["Content-Type"] = headers["Content-Type"] or "application/json"
      else
        body = nil
      end
      -- Pre-formatted once: building the request text per request would cost wrk CPU.
      targets[#targets + 1] = wrk.format(method, path, headers, body)
    end
  end
end

function init(args)
  load_targets()
  math.randomseed(os.time() + (tonumber(tostring(targets):match("0x(%x+)") or "0", 16) % 100000))
  position = math.random(#targets)
end

function request()
  local text = targets[position]
  position = position % #targets + 1
  return text
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
