--[[
  Creates a webhook delivery unless it exists (the dispatcher may process one event twice after
  a crash), indexes it under its endpoint and trims the index to the newest ARGV[3].

  KEYS[1] the delivery's hash
  KEYS[2] the endpoint's delivery index

  ARGV[1] createdAt (epoch ms)
  ARGV[2] delivery id
  ARGV[3] how many deliveries the index keeps
  ARGV[4] the delivery's time to live (s)
  ARGV[5..] the hash's field/value pairs

  Returns {CREATED, 'pending', '0'} or {EXISTS, its status, its attempts}.
]]
local CREATED, EXISTS = 1, 0

local existing = redis.call('HMGET', KEYS[1], 'status', 'attempts')
if existing[1] then return {EXISTS, existing[1], existing[2]} end
redis.call('HSET', KEYS[1], unpack(ARGV, 5))
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZREMRANGEBYRANK', KEYS[2], 0, -(tonumber(ARGV[3]) + 1))
return {CREATED, 'pending', '0'}
