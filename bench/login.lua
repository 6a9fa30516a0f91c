-- wrk script: every request signs in (wrong password) through the JSON API; prints the statuses.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"username":"office","password":"Wrong-Pass-2026"}'
local statuses = {}
response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end
done = function(summary, latency, requests)
  io.write(string.format("login requests %d, p99 %.1f ms\n", summary.requests, latency:percentile(99) / 1000))
end
