--[[
  A failed delivery attempt: remembers when the endpoint started failing (kept until a success
  clears it) and disables the endpoint once it has been failing for ARGV[2] ms.

  KEYS[1] the endpoint's hash

  ARGV[1] now (epoch ms)
  ARGV[2] how long an endpoint may fail before it is disabled (ms)
  ARGV[3] the reason recorded when disabling

  Returns DISABLED when this call disabled the endpoint, else UNCHANGED.
]]
local DISABLED, UNCHANGED = 1, 0

if redis.call('EXISTS', KEYS[1]) == 0 then return UNCHANGED end
redis.call('HSETNX', KEYS[1], 'failingSince', ARGV[1])
local since = tonumber(redis.call('HGET', KEYS[1], 'failingSince'))
if redis.call('HGET', KEYS[1], 'enabled') == '1' and tonumber(ARGV[1]) - since >= tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'enabled', '0', 'disabledAt', ARGV[1], 'disabledReason', ARGV[3])
  return DISABLED
end
return UNCHANGED
