-- POSTs a body of SIZE bytes (default 4096) to the URL; the server echoes it.
-- Usage: wrk -s post.lua URL -- SIZE
local body_request

init = function(args)
  local size = tonumber(args[1]) or 4096
  local body = string.rep("x", size)
  body_request = wrk.format("POST", nil, { ["Content-Type"] = "application/octet-stream" }, body)
end

request = function()
  return body_request
end
