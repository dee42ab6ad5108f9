--[[
  Writes an API key's record, its digest lookup and its place in the list: all or nothing.

  KEYS[1] the key's hash
  KEYS[2] key digests to key ids
  KEYS[3] the list of keys, by creation time

  ARGV[1] key id
  ARGV[2] name
  ARGV[3] scopes (comma-separated)
  ARGV[4] site
  ARGV[5] createdAt (ISO)
  ARGV[6] the key's digest
  ARGV[7] createdAt (epoch ms, the list's score)

  Returns DONE.
]]
local DONE = 1

redis.call('HSET', KEYS[1], 'id', ARGV[1], 'name', ARGV[2], 'scopes', ARGV[3], 'site', ARGV[4], 'createdAt', ARGV[5], 'digest', ARGV[6])
redis.call('HSET', KEYS[2], ARGV[6], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[7], ARGV[1])
return DONE
