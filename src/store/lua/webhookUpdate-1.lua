--[[
  Sets (and deletes) fields only on a webhook endpoint that still exists, so a delivery
  finishing after the endpoint was deleted doesn't bring a half record back.

  KEYS[1] the endpoint's hash

  ARGV[1] n, the number of set arguments
  ARGV[2..n+1] field/value pairs to set
  ARGV[n+2..] fields to delete

  Returns DONE, or MISSING when the endpoint is gone.
]]
local DONE, MISSING = 1, 0

if redis.call('EXISTS', KEYS[1]) == 0 then return MISSING end
local n = tonumber(ARGV[1])
if n > 0 then redis.call('HSET', KEYS[1], unpack(ARGV, 2, n + 1)) end
if #ARGV > n + 1 then redis.call('HDEL', KEYS[1], unpack(ARGV, n + 2)) end
return DONE
