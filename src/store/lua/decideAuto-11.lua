--[[
  Records the engine's verdict on a queued comment. Only a queued comment: a job that runs
  twice decides once and emits one event. Counts the flagged categories on the day the comment
  was submitted (the activity chart).

  KEYS[1] the comment's hash
  KEYS[2] the comment's body string
  KEYS[3] the event stream
  KEYS[4] the index of queued comments
  KEYS[5] the index of approved comments
  KEYS[6] the index of held comments
  KEYS[7] the index of rejected comments
  KEYS[8] the rule dictionary, name to number
  KEYS[9] the rule dictionary, number to name
  KEYS[10] the flag counters of the day the comment was submitted
  KEYS[11] the count of automatic decisions (admission control reads the workers' rate from it)

  ARGV[1] decision
  ARGV[2] the packed verdict (store/verdict-codec.ts) without "r"
  ARGV[3] decidedAt (epoch ms)
  ARGV[4] comment id
  ARGV[5] the channel that announces decisions
  ARGV[6] how many events the stream keeps, about
  ARGV[7] the flagged categories, comma-separated
  ARGV[8..] the names to number: the policy version, the layout, then the rules the evidence cites

  Returns {APPLIED, previous status}, {NOT_QUEUED, status} or {MISSING, ''}.
]]
local APPLIED, NOT_QUEUED, MISSING = 1, 0, -1

--- @include "loadDecidable"
--- @include "withRuleNumbers"
--- @include "countFlags"
--- @include "recordDecision"

local c = loadDecidable(KEYS[1], KEYS[2])
if not c then return {MISSING, ''} end
if c.status ~= 'queued' then return {NOT_QUEUED, c.status} end
local verdict = withRuleNumbers(ARGV[2], KEYS[8], KEYS[9], {unpack(ARGV, 8)})
countFlags(KEYS[10], setOf(ARGV[7]), {})
redis.call('INCR', KEYS[11])
recordDecision(c, {
  commentKey = KEYS[1], bodyKey = KEYS[2], eventsKey = KEYS[3],
  indexes = {queued = KEYS[4], approved = KEYS[5], held = KEYS[6], rejected = KEYS[7]},
  decision = ARGV[1], verdict = verdict, decidedAt = ARGV[3], id = ARGV[4],
  channel = ARGV[5], maxlen = ARGV[6], decidedBy = 'auto',
})
return {APPLIED, c.status}
