--[[
  Creates a comment unless one with this id exists; indexes it; counts it among the comments
  with the same text in the last day (a HyperLogLog of ids: small, and a replay doesn't count
  twice), keeping the number of others in the hash when there are any, for the spam rule.
  Counting here rather than in the worker saves the worker a round trip per comment.

  KEYS[1] the comment's hash
  KEYS[2] the index of queued comments
  KEYS[3] the article's index
  KEYS[4] the author's index
  KEYS[5] the comment's body string
  KEYS[6] the HyperLogLog of comments with this text

  ARGV[1] submittedAt (epoch ms)
  ARGV[2] comment id
  ARGV[3] body JSON
  ARGV[4] the repeat window (s)
  ARGV[5..] the hash's field/value pairs

  Returns {CREATED, '', 'queued'} or {EXISTS, its fingerprint, its status}.
]]
local CREATED, EXISTS = 1, 0

local existing = redis.call('HMGET', KEYS[1], 'fingerprint', 'status')
if existing[2] then
  return {EXISTS, existing[1], existing[2]}
end
redis.call('PFADD', KEYS[6], ARGV[2])
local others = redis.call('PFCOUNT', KEYS[6]) - 1
redis.call('EXPIRE', KEYS[6], ARGV[4])
redis.call('HSET', KEYS[1], 'status', 'queued', 'submittedAt', ARGV[1], unpack(ARGV, 5))
if others > 0 then redis.call('HSET', KEYS[1], 'repeats', others) end
redis.call('SET', KEYS[5], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[1], ARGV[2])
return {CREATED, '', 'queued'}
