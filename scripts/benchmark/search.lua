-- wrk: full-text search with common two-word queries, in turn.
local queries = { "reduces%20pain", "sleep%20quality", "joint%20inflammation", "opioid%20use", "muscle%20function", "chronic%20pain" }
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/v1/claims?limit=50&q=" .. queries[(n % #queries) + 1])
end
