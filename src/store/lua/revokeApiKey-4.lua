--[[
  Deletes an API key's record and its digest lookup together, so the key stops working at once.

  KEYS[1] the key's hash
  KEYS[2] key digests to key ids
  KEYS[3] the list of keys
  KEYS[4] the credentials version (moved on by every change, so processes that cache who a key is drop what they hold)

  ARGV[1] key id

  Returns DONE, or MISSING when there is no such key.
]]
local DONE, MISSING = 1, 0

local digest = redis.call('HGET', KEYS[1], 'digest')
if not digest then return MISSING end
redis.call('HDEL', KEYS[2], digest)
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('INCR', KEYS[4])
return DONE
