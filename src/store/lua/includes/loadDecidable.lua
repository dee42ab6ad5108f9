-- The comment's status and times, and its body string split into the body JSON and the current
-- stored verdict (after the newline, once decided; JSON text never holds a raw newline).
-- nil when the comment is missing.
local function loadDecidable(commentKey, bodyKey)
  local h = redis.call('HMGET', commentKey, 'status', 'submittedAt', 'decidedAt')
  if not h[1] then return nil end
  local doc = redis.call('GET', bodyKey)
  if not doc then return nil end
  local c = {status = h[1], submittedAt = h[2], decidedAt = h[3], body = doc, verdict = nil}
  local nl = string.find(doc, '\n', 1, true)
  if nl then
    c.body = string.sub(doc, 1, nl - 1)
    c.verdict = string.sub(doc, nl + 1)
  end
  return c
end
