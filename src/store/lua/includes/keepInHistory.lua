-- Appends the verdict being replaced to the comment's history, with the time it was decided
-- (which, for the current verdict, only the comment's hash holds).
local function keepInHistory(historyKey, verdict, decidedAt)
  local entry = string.sub(verdict, 1, -2) .. ',"at":' .. (decidedAt or '0') .. '}'
  local history = redis.call('GET', historyKey)
  if history then
    history = string.sub(history, 1, -2) .. ',' .. entry .. ']'
  else
    history = '[' .. entry .. ']'
  end
  redis.call('SET', historyKey, history)
end
