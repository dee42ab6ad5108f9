--[[
  A record found through a lookup hash (a key's digest to a moderator's or an API key's id), in
  one round trip. Auth runs this on every request.

  The record's key is the one key no caller can name in advance: it is ARGV[2] followed by the
  id the lookup holds. ARGV[2] carries KEYS[1]'s hash tag, so in Redis Cluster the record lives
  in the same slot.

  KEYS[1] the lookup hash

  ARGV[1] the field to look up
  ARGV[2] the record's key without its id

  Returns the record's field/value pairs; {} when the lookup or the record is missing.
]]
local id = redis.call('HGET', KEYS[1], ARGV[1])
if not id then return {} end
return redis.call('HGETALL', ARGV[2] .. id)
