-- The packed verdict with "r" appended: the dictionary numbers of its names (the policy version,
-- the layout, then the rules its evidence cites), numbering names met for the first time. Rule names repeat
-- across millions of verdicts and can be 60 bytes, so each is stored once per Redis.
local function withRuleNumbers(verdict, numbersKey, namesKey, names)
  local numbers = {}
  for i, name in ipairs(names) do
    local n = redis.call('HGET', numbersKey, name)
    if not n then
      n = redis.call('HLEN', numbersKey)
      redis.call('HSET', numbersKey, name, n)
      redis.call('HSET', namesKey, n, name)
    end
    numbers[i] = n
  end
  return string.sub(verdict, 1, -2) .. ',"r":[' .. table.concat(numbers, ',') .. ']}'
end
