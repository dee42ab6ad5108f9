-- The categories a stored verdict flags, as a set. Format 2 keys its entries by category name;
-- format 1 (no "v") by index into the category list as it was then, frozen here
-- (store/verdict-codec.ts V1_CATEGORIES; a test keeps the two equal).
local V1_CATEGORIES = {'violence', 'racism', 'profanity', 'vulgarity', 'all_caps', 'discourtesy', 'spam'}

local function flaggedIn(stored)
  local flagged = {}
  if not stored or not stored.c then return flagged end
  if stored.v then
    for name, entry in pairs(stored.c) do
      if entry[1] == 1 then flagged[name] = true end
    end
  else
    for _, entry in ipairs(stored.c) do
      if entry[2] == 1 then flagged[V1_CATEGORIES[entry[1] + 1]] = true end
    end
  end
  return flagged
end
