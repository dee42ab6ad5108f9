--[[
  Claims the email, then writes the account and its key digest: all or nothing.

  KEYS[1] emails to account ids
  KEYS[2] the account's hash
  KEYS[3] key digests to account ids

  ARGV[1] email (normalised)
  ARGV[2] account id
  ARGV[3] role
  ARGV[4] password hash
  ARGV[5] createdAt (ISO)
  ARGV[6] the personal API key's digest
  ARGV[7] the site it is bound to ('' for every site)

  Returns CREATED, or EMAIL_TAKEN when another account has the email.
]]
local CREATED, EMAIL_TAKEN = 1, 0

if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return EMAIL_TAKEN end
redis.call('HSET', KEYS[2], 'id', ARGV[2], 'email', ARGV[1], 'role', ARGV[3], 'passwordHash', ARGV[4], 'createdAt', ARGV[5])
if ARGV[7] ~= '' then redis.call('HSET', KEYS[2], 'site', ARGV[7]) end
redis.call('HSET', KEYS[3], ARGV[6], ARGV[2])
return CREATED
