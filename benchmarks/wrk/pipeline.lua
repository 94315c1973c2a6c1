-- Sends DEPTH copies of the request in one write (HTTP/1.1 pipelining); wrk still counts and times
-- every response. Usage: wrk -s pipeline.lua URL -- DEPTH   (DEPTH defaults to 16)
local batch

init = function(args)
  local depth = tonumber(args[1]) or 16
  local one = wrk.format(nil, nil)
  batch = string.rep(one, depth)
end

request = function()
  return batch
end
