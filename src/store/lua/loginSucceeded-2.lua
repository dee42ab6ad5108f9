--[[
  The right password: the email's failures are forgiven, and the attempt is taken back from the
  address's count.

  KEYS[1] the email's failure counter
  KEYS[2] the client address's failure counter

  Returns DONE.
]]
local DONE = 1

redis.call('DEL', KEYS[1])
if tonumber(redis.call('GET', KEYS[2]) or '0') > 0 then redis.call('DECR', KEYS[2]) end
return DONE
