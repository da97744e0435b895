-- wrk: full-text search with two-word queries drawn at random from the synthetic catalogue's words, so that
-- almost every request asks a question the API has not ranked yet (the cost without the kept rankings).
local words = { "pain", "reduces", "sleep", "quality", "joint", "inflammation", "opioid", "muscle", "function",
  "chronic", "nausea", "vomiting", "arthritis", "fibromyalgia", "cancer", "anxiety", "relaxation", "dependence",
  "dizziness", "drowsiness", "mobility", "receptor", "terpene", "extract", "oil", "cannabis", "adults", "placebo",
  "neuropathic", "tension", "concentration", "mood", "addiction", "onset", "dose", "swelling", "wellbeing", "flares" }
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  local a, b = words[math.random(#words)], words[math.random(#words)]
  return wrk.format("GET", "/v1/claims?limit=50&q=" .. a .. "%20" .. b)
end
