--[[
  Drops every key digest that points at the account (records from before the digest was kept
  in the account's hash are found by value), then, when ARGV[2] is given, adds the new one.

  KEYS[1] the account's hash
  KEYS[2] key digests to account ids
  KEYS[3] the credentials version (moved on by every change, so processes that cache who a key is drop what they hold)

  ARGV[1] account id
  ARGV[2] the new key's digest ('' for none)

  Returns DONE, or MISSING when there is no such account.
]]
local DONE, MISSING = 1, 0

if redis.call('EXISTS', KEYS[1]) == 0 then return MISSING end
local all = redis.call('HGETALL', KEYS[2])
for i = 1, #all, 2 do
  if all[i + 1] == ARGV[1] then redis.call('HDEL', KEYS[2], all[i]) end
end
if ARGV[2] ~= '' then redis.call('HSET', KEYS[2], ARGV[2], ARGV[1]) end
redis.call('INCR', KEYS[3])
return DONE
