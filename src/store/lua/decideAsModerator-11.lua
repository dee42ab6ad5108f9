--[[
  Records a moderator's decision, at any time. The verdict it replaces moves into the comment's
  history; the decision is appended to the audit stream in the same step, so the log can't
  miss a decision or record one that didn't happen. Flag counters are left alone: they count
  what the rules found.

  KEYS[1] the comment's hash
  KEYS[2] the comment's body string
  KEYS[3] the comment's verdict history
  KEYS[4] the event stream
  KEYS[5] the index of queued comments
  KEYS[6] the index of approved comments
  KEYS[7] the index of held comments
  KEYS[8] the index of rejected comments
  KEYS[9] the rule dictionary, name to number
  KEYS[10] the rule dictionary, number to name
  KEYS[11] the audit stream

  ARGV[1] decision
  ARGV[2] the packed verdict (store/verdict-codec.ts) without "r"
  ARGV[3] decidedAt (epoch ms)
  ARGV[4] comment id
  ARGV[5] the channel that announces decisions
  ARGV[6] how many events the stream keeps, about
  ARGV[7] the moderator's id
  ARGV[8] the moderator's reason ('' for none)
  ARGV[9..] the names to number: the policy version, the layout, then the rules the evidence cites

  Returns {APPLIED, previous status} or {MISSING, ''}.
]]
local APPLIED, MISSING = 1, -1

--- @include "loadDecidable"
--- @include "keepInHistory"
--- @include "withRuleNumbers"
--- @include "recordDecision"

local c = loadDecidable(KEYS[1], KEYS[2])
if not c then return {MISSING, ''} end
if c.verdict then keepInHistory(KEYS[3], c.verdict, c.decidedAt) end
local verdict = withRuleNumbers(ARGV[2], KEYS[9], KEYS[10], {unpack(ARGV, 9)})
recordDecision(c, {
  commentKey = KEYS[1], bodyKey = KEYS[2], eventsKey = KEYS[4],
  indexes = {queued = KEYS[5], approved = KEYS[6], held = KEYS[7], rejected = KEYS[8]},
  decision = ARGV[1], verdict = verdict, decidedAt = ARGV[3], id = ARGV[4],
  channel = ARGV[5], maxlen = ARGV[6], decidedBy = ARGV[7], reason = ARGV[8],
})
redis.call('XADD', KEYS[11], '*', 'moderatorId', ARGV[7], 'at', ARGV[3], 'commentId', ARGV[4],
  'from', c.status, 'to', ARGV[1], 'reason', ARGV[8])
return {APPLIED, c.status}
