import { CATEGORIES } from '../engine/categories';

/** A flat [field, value, …] reply as an object: a hash returned by a Lua script, a stream entry's fields. */
export function fieldsOf(flat: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i]] = flat[i + 1];
  return out;
}

/**
 * Lua scripts: each runs atomically in Redis, which is what makes a retried or duplicated job
 * harmless. Kept as plain strings beside the repository that registers them.
 */

/**
 * Create a comment unless one with this id exists; index it; count it among the comments with
 * the same text in the last day (a HyperLogLog of ids: small, and a replay doesn't count twice),
 * keeping the number of others in the hash when there are any, for the spam rule. Counting here
 * rather than in the worker saves the worker a round trip per comment.
 * Returns {created, fingerprint, status}.
 * KEYS: comment, status:queued, article, author, body, repeats of this text. ARGV: submittedAt,
 * id, body JSON, repeat window (s), then the hash's field/value pairs.
 */
export const CREATE_COMMENT = `
local existing = redis.call('HMGET', KEYS[1], 'fingerprint', 'status')
if existing[2] then
  return {0, existing[1], existing[2]}
end
redis.call('PFADD', KEYS[6], ARGV[2])
local others = redis.call('PFCOUNT', KEYS[6]) - 1
redis.call('EXPIRE', KEYS[6], ARGV[4])
redis.call('HSET', KEYS[1], 'status', 'queued', 'submittedAt', ARGV[1], unpack(ARGV, 5))
if others > 0 then redis.call('HSET', KEYS[1], 'repeats', others) end
redis.call('SET', KEYS[5], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[3], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[4], ARGV[1], ARGV[2])
return {1, '', 'queued'}
`;

/** Lua's view of CATEGORIES: a stored verdict names categories by their index. */
const LUA_CATEGORIES = `{${CATEGORIES.map((c) => `'${c}'`).join(', ')}}`;

/**
 * Record a decision. An automatic one only applies to a queued comment (so a job that runs
 * twice decides once and emits one event); a moderator's applies at any time; a re-moderation
 * under a new policy ('policy') only replaces the automatic verdict it was computed from (so it
 * never overrides a moderator, nor a verdict that changed in between). Moderator and policy
 * decisions move the verdict they replace into the comment's history, with the time it was
 * decided (which, for the current verdict, only the hash holds).
 * The verdict is stored after the body JSON, on the same string, past a newline (JSON text never
 * holds a raw one): one key less per comment. Its policy version and rule names are numbered
 * here, in the same script, from the dictionary hashes (name to number, number to name), and
 * appended as "r".
 * A moderator's decision also appends to the audit stream, in the same script, so the log can't
 * miss a decision or record one that didn't happen.
 * Automatic and policy decisions also count flagged categories per day of submission (the
 * activity chart): one small hash per day rather than an index entry per comment. A policy
 * decision counts only the difference from the verdict it replaces.
 * KEYS: comment, events, status:queued, status:approved, status:held, status:rejected, audit,
 * body, history, rule numbers by name, rule names by number.
 * ARGV: mode, decision, packed verdict (verdict-codec.ts, without "r"), decidedAt (ms), id,
 * decided channel, events maxlen, decidedBy, reason ('' for none), (policy mode) the decidedAt
 * (ms) of the verdict it replaces, the per-day flag counters' key prefix (the day number is
 * appended; the same hash tag as KEYS), the number n of names to number, the n names (the
 * policy version, then the rules), then the flagged categories.
 * Returns {1, previous status} when applied, {0, status} when not, {-1, ''} when missing.
 */
export const DECIDE = `
local h = redis.call('HMGET', KEYS[1], 'status', 'submittedAt', 'decidedAt')
local status, submitted = h[1], h[2]
if not status then return {-1, ''} end
local mode = ARGV[1]
if mode == 'auto' and status ~= 'queued' then return {0, status} end
local doc = redis.call('GET', KEYS[8])
if not doc then return {-1, ''} end
local body, old = doc, nil
local nl = string.find(doc, '\\n', 1, true)
if nl then
  body = string.sub(doc, 1, nl - 1)
  old = string.sub(doc, nl + 1)
end
local current
if mode == 'policy' then
  if status == 'queued' or not old then return {0, status} end
  current = cjson.decode(old)
  if current.by or h[3] ~= ARGV[10] then return {0, status} end
end
if mode ~= 'auto' and old then
  local entry = string.sub(old, 1, -2) .. ',"at":' .. (h[3] or '0') .. '}'
  local history = redis.call('GET', KEYS[9])
  if history then
    history = string.sub(history, 1, -2) .. ',' .. entry .. ']'
  else
    history = '[' .. entry .. ']'
  end
  redis.call('SET', KEYS[9], history)
end
local verdict = ARGV[3]
local nrules = tonumber(ARGV[12])
local numbers = {}
for i = 1, nrules do
  local name = ARGV[12 + i]
  local n = redis.call('HGET', KEYS[10], name)
  if not n then
    n = redis.call('HLEN', KEYS[10])
    redis.call('HSET', KEYS[10], name, n)
    redis.call('HSET', KEYS[11], n, name)
  end
  numbers[i] = n
end
verdict = string.sub(verdict, 1, -2) .. ',"r":[' .. table.concat(numbers, ',') .. ']}'
local byStatus = {queued = KEYS[3], approved = KEYS[4], held = KEYS[5], rejected = KEYS[6]}
redis.call('ZREM', byStatus[status], ARGV[5])
redis.call('ZADD', byStatus[ARGV[2]], submitted, ARGV[5])
if mode ~= 'moderator' then
  local categories = ${LUA_CATEGORIES}
  local counters = ARGV[11] .. math.floor(tonumber(submitted) / 86400000)
  local flagged = {}
  for i = 13 + nrules, #ARGV do flagged[ARGV[i]] = true end
  local before = {}
  if current and current.c then
    for _, entry in ipairs(current.c) do
      if entry[2] == 1 then before[categories[entry[1] + 1]] = true end
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
redis.call('SET', KEYS[8], body .. '\\n' .. verdict)
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

/**
 * Read a comment whole, in one round trip: {hash as field/value pairs, body string (with the
 * verdict after its newline), history, the rule numbers its verdicts refer to, their names}.
 * KEYS: comment, body, history, rule names by number.
 */
export const READ_COMMENT = `
local h = redis.call('HGETALL', KEYS[1])
local doc = redis.call('GET', KEYS[2])
local history = redis.call('GET', KEYS[3])
local numbers = {}
local function collect(s)
  for list in string.gmatch(s, '"r":%[([%d,]*)%]') do
    for n in string.gmatch(list, '%d+') do numbers[#numbers + 1] = n end
  end
end
if doc then
  local nl = string.find(doc, '\\n', 1, true)
  if nl then collect(string.sub(doc, nl + 1)) end
end
if history then collect(history) end
local names = {}
if #numbers > 0 then names = redis.call('HMGET', KEYS[4], unpack(numbers)) end
return {h, doc or false, history or false, numbers, names}
`;

/**
 * A record found through a lookup hash (a key's digest to a moderator's or an API key's id), in
 * one round trip: {} when the lookup or the record is missing. Auth runs this on every request.
 * KEYS: the lookup hash. ARGV: the field to look up, the record key without its id (the same
 * hash tag as KEYS).
 */
export const RECORD_BY_LOOKUP = `
local id = redis.call('HGET', KEYS[1], ARGV[1])
if not id then return {} end
return redis.call('HGETALL', ARGV[2] .. id)
`;

/**
 * What a moderation job needs, in one command: {status, repeats, body string}.
 * KEYS: comment, body.
 */
export const READ_FOR_MODERATION = `
local h = redis.call('HMGET', KEYS[1], 'status', 'repeats')
return {h[1], h[2], redis.call('GET', KEYS[2])}
`;
