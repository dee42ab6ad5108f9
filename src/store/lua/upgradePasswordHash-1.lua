--[[
  Stores a rehashed password (the same password under stronger parameters, after a successful
  sign-in) only if the hash is still the one that was checked, so it can't undo a password
  change made in between. Sessions and keys are untouched.

  KEYS[1] the account's hash

  ARGV[1] the password hash that was checked
  ARGV[2] the rehashed one

  Returns DONE, or CHANGED when the hash is no longer the one checked.
]]
local DONE, CHANGED = 1, 0

if redis.call('HGET', KEYS[1], 'passwordHash') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'passwordHash', ARGV[2])
  return DONE
end
return CHANGED
