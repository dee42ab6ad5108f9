--[[
  Reads a comment whole, in one round trip, with the names of the rules its verdicts cite.

  KEYS[1] the comment's hash
  KEYS[2] the comment's body string (the body JSON, then, once decided, a newline and the verdict)
  KEYS[3] the comment's verdict history
  KEYS[4] the rule dictionary, number to name

  Returns {hash as field/value pairs, body string or false, history or false, the rule numbers
  the verdicts cite, their names}.
]]
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
  local nl = string.find(doc, '\n', 1, true)
  if nl then collect(string.sub(doc, nl + 1)) end
end
if history then collect(history) end
local names = {}
if #numbers > 0 then names = redis.call('HMGET', KEYS[4], unpack(numbers)) end
return {h, doc or false, history or false, numbers, names}
