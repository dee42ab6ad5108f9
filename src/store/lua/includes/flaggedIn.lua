-- The categories a stored verdict flags, as a set. Its entries index a list of categories:
-- format 2 names that list in its layout, the second of its names in the dictionary
-- ("categories|severities|decisions"); format 1 (no "v") used the list as it was then, frozen
-- here (store/verdict-codec.ts V1_LAYOUT; a test keeps the two equal).
local V1_CATEGORIES = {'violence', 'racism', 'profanity', 'vulgarity', 'all_caps', 'discourtesy', 'spam'}

local function flaggedIn(stored, namesKey)
  local flagged = {}
  if not stored or not stored.c then return flagged end
  local categories = V1_CATEGORIES
  if stored.v then
    local layout = redis.call('HGET', namesKey, stored.r[2]) or ''
    categories = {}
    for name in string.gmatch(string.match(layout, '^[^|]*'), '[^,]+') do categories[#categories + 1] = name end
  end
  for _, entry in ipairs(stored.c) do
    if entry[2] == 1 and categories[entry[1] + 1] then flagged[categories[entry[1] + 1]] = true end
  end
  return flagged
end
