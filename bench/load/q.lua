-- Each request a distinct NQ question (threads interleave over the list); body per mode.
local questions = {}
for line in io.lines(os.getenv("QUESTIONS") or (os.getenv("HERE") .. "/questions.txt")) do questions[#questions + 1] = line end
local counter = 0
local threads = {}
function setup(thread) thread:set("id", #threads); table.insert(threads, thread) end
function init(args) mode = args[1] or "hybrid"; path = args[2] or "/v1/collections/pp/search"; counter = id * 100000 end
function request()
  counter = counter + 1
  local q = questions[(counter % #questions) + 1]:gsub('\\', ''):gsub('"', "'")
  local body
  if path:find("ask") then body = '{"question":"' .. q .. '"}'
  elseif mode == "hybrid" then body = '{"query":"' .. q .. '"}'
  else body = '{"query":"' .. q .. '","mode":"' .. mode .. '"}' end
  return wrk.format("POST", path, {["Content-Type"] = "application/json"}, body)
end
function done(summary, latency, requests)
  io.write(string.format("REQS %.0f p50 %.1f p99 %.1f errors %d non2xx %d\n", summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout, summary.errors.status))
end
