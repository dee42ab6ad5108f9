--[[
  What a moderation job needs, in one command.

  KEYS[1] the comment's hash
  KEYS[2] the comment's body string

  Returns {status, repeats, submittedAt, body string}; each false when absent.
]]
local h = redis.call('HMGET', KEYS[1], 'status', 'repeats', 'submittedAt')
return {h[1], h[2], h[3], redis.call('GET', KEYS[2])}
