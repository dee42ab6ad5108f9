--[[
  Fixed-window counters for several limits at once, atomically. A request is admitted only if
  every counter is under its limit, and then counts once against each; a refused request counts
  against none (it stored nothing, so it used nothing up). A window starts with the first
  request counted in it and lasts ARGV[1] ms (Redis's clock, so every process agrees).

  KEYS[1..n] the counters, one per limit that is on

  ARGV[1] window (ms)
  ARGV[2..n+1] each counter's limit

  Returns {REFUSED, index of the limit that frees up last (1-based), its ms left}, or
  {ADMITTED, count 1, ms left 1, count 2, ms left 2, ...}.
]]
local ADMITTED, REFUSED = 1, 0

local window = tonumber(ARGV[1])
local worst, worstTtl = 0, -1
for i = 1, #KEYS do
  local count = tonumber(redis.call('GET', KEYS[i]) or '0')
  if count >= tonumber(ARGV[i + 1]) then
    local ttl = redis.call('PTTL', KEYS[i])
    if ttl < 0 then
      redis.call('PEXPIRE', KEYS[i], window)
      ttl = window
    end
    if ttl > worstTtl then worst, worstTtl = i, ttl end
  end
end
if worst > 0 then return {REFUSED, worst, worstTtl} end
local out = {ADMITTED}
for i = 1, #KEYS do
  local count = redis.call('INCR', KEYS[i])
  local ttl = redis.call('PTTL', KEYS[i])
  if ttl < 0 then
    redis.call('PEXPIRE', KEYS[i], window)
    ttl = window
  end
  out[#out + 1] = count
  out[#out + 1] = ttl
end
return out
