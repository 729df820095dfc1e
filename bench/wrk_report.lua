-- wrk script: counts non-200 responses per thread and prints one
-- machine-readable RESULT line (latencies in ms) when the run ends.
-- The same script as the Review Board peer harness uses (../shared/peers/reviewboard).

local threads = {}

function setup(thread)
    table.insert(threads, thread)
end

function init(args)
    non200 = 0
    redirects = 0
end

function response(status, headers, body)
    if status ~= 200 then
        non200 = non200 + 1
        if status >= 300 and status < 400 then
            redirects = redirects + 1
        end
    end
end

function done(summary, latency, requests)
    local n200, nredir = 0, 0
    for _, t in ipairs(threads) do
        n200 = n200 + t:get("non200")
        nredir = nredir + t:get("redirects")
    end
    local e = summary.errors
    local secs = summary.duration / 1e6
    io.write(string.format(
        "RESULT requests=%d secs=%.2f rps=%.2f mean_ms=%.1f p50_ms=%.1f " ..
        "p90_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f " ..
        "err_connect=%d err_read=%d err_write=%d err_status=%d " ..
        "err_timeout=%d non200=%d redirects=%d bytes=%d\n",
        summary.requests, secs, summary.requests / secs,
        latency.mean / 1000, latency:percentile(50) / 1000,
        latency:percentile(90) / 1000, latency:percentile(95) / 1000,
        latency:percentile(99) / 1000, latency.max / 1000,
        e.connect, e.read, e.write, e.status, e.timeout, n200, nredir,
        summary.bytes))
end
