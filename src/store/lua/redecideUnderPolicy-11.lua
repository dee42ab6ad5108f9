--[[
  Records a re-moderation under a new policy. It only replaces the automatic verdict it was
  computed from (decided at ARGV[7]): never a moderator's decision, nor a verdict that changed
  in between. The replaced verdict moves into the comment's history; the day's flag counters
  change by the difference between the two verdicts.

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
  KEYS[11] the flag counters of the day the comment was submitted

  ARGV[1] decision
  ARGV[2] the packed verdict (store/verdict-codec.ts) without "r"
  ARGV[3] decidedAt (epoch ms)
  ARGV[4] comment id
  ARGV[5] the channel that announces decisions
  ARGV[6] how many events the stream keeps, about
  ARGV[7] decidedAt (epoch ms) of the verdict this one replaces
  ARGV[8] the flagged categories, comma-separated
  ARGV[9..] the names to number: the policy version, the layout, then the rules the evidence cites

  Returns {APPLIED, previous status}, {STALE, status} when the verdict to replace is not the
  current one (or not automatic), or {MISSING, ''}.
]]
local APPLIED, STALE, MISSING = 1, 0, -1

--- @include "loadDecidable"
--- @include "keepInHistory"
--- @include "withRuleNumbers"
--- @include "flaggedIn"
--- @include "countFlags"
--- @include "recordDecision"

local c = loadDecidable(KEYS[1], KEYS[2])
if not c then return {MISSING, ''} end
if c.status == 'queued' or not c.verdict or c.decidedAt ~= ARGV[7] then return {STALE, c.status} end
local current = cjson.decode(c.verdict)
if current.by then return {STALE, c.status} end
keepInHistory(KEYS[3], c.verdict, c.decidedAt)
local verdict = withRuleNumbers(ARGV[2], KEYS[9], KEYS[10], {unpack(ARGV, 9)})
countFlags(KEYS[11], setOf(ARGV[8]), flaggedIn(current, KEYS[10]))
recordDecision(c, {
  commentKey = KEYS[1], bodyKey = KEYS[2], eventsKey = KEYS[4],
  indexes = {queued = KEYS[5], approved = KEYS[6], held = KEYS[7], rejected = KEYS[8]},
  decision = ARGV[1], verdict = verdict, decidedAt = ARGV[3], id = ARGV[4],
  channel = ARGV[5], maxlen = ARGV[6], decidedBy = 'auto',
})
return {APPLIED, c.status}
