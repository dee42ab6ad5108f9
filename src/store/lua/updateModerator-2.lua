--[[
  Sets fields on an account that exists, and can move its session epoch on (ending its
  sessions) in the same step.

  KEYS[1] the account's hash
  KEYS[2] the credentials version (moved on by every change, so processes that cache who a key is drop what they hold)

  ARGV[1] '1' to move the session epoch on, else '0'
  ARGV[2..] field/value pairs to set

  Returns DONE, or MISSING when there is no such account.
]]
local DONE, MISSING = 1, 0

if redis.call('EXISTS', KEYS[1]) == 0 then return MISSING end
if ARGV[1] == '1' then redis.call('HINCRBY', KEYS[1], 'epoch', 1) end
if #ARGV > 1 then redis.call('HSET', KEYS[1], unpack(ARGV, 2)) end
redis.call('INCR', KEYS[2])
return DONE
