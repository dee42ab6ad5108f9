/**
 * Lua scripts: each runs atomically in Redis, which is what makes a retried or duplicated job
 * harmless. Kept as plain strings beside the repository that registers them.
 */

/**
 * Create a comment unless one with this id exists; index it. Returns {created, fingerprint, status}.
 * KEYS: comment, status:queued, article, author, all, body. ARGV: submittedAt, id, body JSON, then
 * the hash's field/value pairs.
 */
export const CREATE_COMMENT = `
local existing = redis.call('HMGET', KEYS[1], 'fingerprint', 'status')
if existing[2] then
  return {0, existing[1], existing[2]}
end
redis.call('HSET', KEYS[1], 'status', 'queued', 'submittedAt', ARGV[1], unpack(ARGV, 4))
redis.call('SET', KEYS[6], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[5], ARGV[1], ARGV[2])
return {1, '', 'queued'}
`;

/**
 * Record a decision. An automatic one only applies to a queued comment (so a job that runs
 * twice decides once and emits one event); a moderator's applies at any time; a re-moderation
 * under a new policy ('policy') only replaces the automatic verdict it was computed from (so it
 * never overrides a moderator, nor a verdict that changed in between). Moderator and policy
 * decisions move the verdict they replace into the comment's history.
 * A moderator's decision also appends to the audit stream, in the same script, so the log can't
 * miss a decision or record one that didn't happen.
 * Automatic and policy decisions also count flagged categories per day of submission (the
 * activity chart): one small hash per day rather than an index entry per comment. A policy
 * decision counts only the difference from the verdict it replaces.
 * KEYS: comment, events, status:queued, status:approved, status:held, status:rejected, audit,
 * verdict, history.
 * ARGV: mode, decision, packed verdict, decidedAt, id, decided channel, events maxlen, decidedBy,
 * reason ('' for none), (policy mode) the decidedAt of the verdict it replaces, the per-day
 * flag counters' key prefix (the day number is appended; the same hash tag as KEYS), then the
 * flagged categories.
 * Returns {1, previous status} when applied, {0, status} when not, {-1, ''} when missing.
 */
export const DECIDE = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return {-1, ''} end
local mode = ARGV[1]
if mode == 'auto' and status ~= 'queued' then return {0, status} end
local old = redis.call('GET', KEYS[8])
local current
if mode == 'policy' then
  if status == 'queued' or not old then return {0, status} end
  current = cjson.decode(old)
  if current.decidedBy ~= 'auto' or current.decidedAt ~= ARGV[10] then return {0, status} end
end
local byStatus = {queued = KEYS[3], approved = KEYS[4], held = KEYS[5], rejected = KEYS[6]}
local submitted = redis.call('HGET', KEYS[1], 'submittedAt')
if mode ~= 'auto' and old then
  local history = redis.call('GET', KEYS[9])
  if history then
    history = string.sub(history, 1, -2) .. ',' .. old .. ']'
  else
    history = '[' .. old .. ']'
  end
  redis.call('SET', KEYS[9], history)
end
redis.call('ZREM', byStatus[status], ARGV[5])
redis.call('ZADD', byStatus[ARGV[2]], submitted, ARGV[5])
if mode ~= 'moderator' then
  local counters = ARGV[11] .. math.floor(tonumber(submitted) / 86400000)
  local flagged = {}
  for i = 12, #ARGV do flagged[ARGV[i]] = true end
  local before = {}
  if current then
    for c, r in pairs(current.categories) do
      if r.f == 1 then before[c] = true end
    end
  end
  for c in pairs(flagged) do
    if not before[c] then redis.call('HINCRBY', counters, c, 1) end
  end
  for c in pairs(before) do
    if not flagged[c] then redis.call('HINCRBY', counters, c, -1) end
  end
  redis.call('EXPIRE', counters, 400 * 86400)
end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'decidedAt', ARGV[4])
redis.call('SET', KEYS[8], ARGV[3])
local event = {'type', 'comment.' .. ARGV[2], 'commentId', ARGV[5], 'decidedBy', ARGV[8],
  'previousStatus', status, 'at', ARGV[4]}
if ARGV[9] ~= '' then
  table.insert(event, 'reason')
  table.insert(event, ARGV[9])
end
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[7], '*', unpack(event))
if mode == 'moderator' then
  redis.call('XADD', KEYS[7], '*', 'moderatorId', ARGV[8], 'at', ARGV[4], 'commentId', ARGV[5],
    'from', status, 'to', ARGV[2], 'reason', ARGV[9])
end
redis.call('PUBLISH', ARGV[6], ARGV[5])
return {1, status}
`;
