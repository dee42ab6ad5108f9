-- What every decision does once it applies: moves the comment between the status indexes,
-- stores the new status and verdict, appends the decision to the event stream (trimmed to
-- about maxlen) and announces it on the channel that wakes requests waiting for a verdict.
local function recordDecision(c, d)
  redis.call('ZREM', d.indexes[c.status], d.id)
  redis.call('ZADD', d.indexes[d.decision], c.submittedAt, d.id)
  redis.call('HSET', d.commentKey, 'status', d.decision, 'decidedAt', d.decidedAt)
  redis.call('SET', d.bodyKey, c.body .. '\n' .. d.verdict)
  local event = {'type', 'comment.' .. d.decision, 'commentId', d.id, 'decidedBy', d.decidedBy,
    'previousStatus', c.status, 'at', d.decidedAt}
  if d.reason and d.reason ~= '' then
    table.insert(event, 'reason')
    table.insert(event, d.reason)
  end
  redis.call('XADD', d.eventsKey, 'MAXLEN', '~', d.maxlen, '*', unpack(event))
  redis.call('PUBLISH', d.channel, d.id)
end
