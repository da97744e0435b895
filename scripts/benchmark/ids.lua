-- wrk: GET a random claim from ids.txt (one id per line) on every request.
local ids = {}
for line in io.lines(os.getenv("IDS_FILE")) do ids[#ids + 1] = line end
math.randomseed(42)
request = function()
  return wrk.format("GET", "/v1/claims/" .. ids[math.random(#ids)])
end
