--[[
  Removes the account, its email claim and its key digests together.

  KEYS[1] the account's hash
  KEYS[2] emails to account ids
  KEYS[3] key digests to account ids
  KEYS[4] the credentials version (moved on by every change, so processes that cache who a key is drop what they hold)

  ARGV[1] account id

  Returns DONE, or MISSING when there is no such account.
]]
local DONE, MISSING = 1, 0

local email = redis.call('HGET', KEYS[1], 'email')
if not email then return MISSING end
local all = redis.call('HGETALL', KEYS[3])
for i = 1, #all, 2 do
  if all[i + 1] == ARGV[1] then redis.call('HDEL', KEYS[3], all[i]) end
end
if redis.call('HGET', KEYS[2], email) == ARGV[1] then redis.call('HDEL', KEYS[2], email) end
redis.call('DEL', KEYS[1])
redis.call('INCR', KEYS[4])
return DONE
