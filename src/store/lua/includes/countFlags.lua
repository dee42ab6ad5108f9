-- The activity chart's per-day counters (one small hash per day of submission): counts each
-- category flagged now and not before, and takes back each flagged before and not now.
local COUNTERS_TTL_S = 400 * 86400

local function countFlags(countersKey, now, before)
  for c in pairs(now) do
    if not before[c] then redis.call('HINCRBY', countersKey, c, 1) end
  end
  for c in pairs(before) do
    if not now[c] then redis.call('HINCRBY', countersKey, c, -1) end
  end
  redis.call('EXPIRE', countersKey, COUNTERS_TTL_S)
end

-- A comma-separated list of categories as a set.
local function setOf(list)
  local s = {}
  for c in string.gmatch(list, '[^,]+') do s[c] = true end
  return s
end
