-- wrk: facets by condition and status for a random condition, cannabinoid and population each time, so that most
-- requests count a filter set the API has not counted yet (the cost without the kept counts).
local conditions = { "chronic-pain", "neuropathic-pain", "inflammatory-pain", "arthritis", "rheumatoid-arthritis",
  "psoriatic-arthritis", "osteoarthritis", "fibromyalgia", "musculoskeletal-pain", "cancer-pain" }
local cannabinoids = { "thc", "cbd", "whole-plant-cannabis", "cannabinoids", "cannabinoid-receptor-agonists",
  "ecs-modulators", "terpenes" }
local populations = { "adults", "older-adults", "children-adolescents", "cancer-patients" }
math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
request = function()
  return wrk.format("GET", "/v1/claims/facets?by=condition,status&condition=" .. conditions[math.random(#conditions)]
    .. "&cannabinoid=" .. cannabinoids[math.random(#cannabinoids)] .. "&population=" .. populations[math.random(#populations)])
end
