--[[
  Sign-in: check and count in one step. Refuses (returning the seconds left) when either
  counter is at its limit, else counts the attempt against both, as a failure until it is shown
  otherwise. Parallel attempts therefore can't all pass the check before any of them is counted.

  KEYS[1] the email's failure counter
  KEYS[2] the client address's failure counter

  ARGV[1] the email's limit
  ARGV[2] the address's limit
  ARGV[3] window (s)

  Returns ADMITTED, or the seconds until the attempt would be admitted.
]]
local ADMITTED = 0

local wait = 0
for i = 1, 2 do
  if tonumber(redis.call('GET', KEYS[i]) or '0') >= tonumber(ARGV[i]) then
    local ttl = redis.call('TTL', KEYS[i])
    if ttl < 0 then
      redis.call('EXPIRE', KEYS[i], ARGV[3])
      ttl = tonumber(ARGV[3])
    end
    if ttl > wait then wait = ttl end
  end
end
if wait > 0 then return wait end
for i = 1, 2 do
  redis.call('INCR', KEYS[i])
  if redis.call('TTL', KEYS[i]) < 0 then redis.call('EXPIRE', KEYS[i], ARGV[3]) end
end
return ADMITTED
