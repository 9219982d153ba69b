-- POST the lines of a pool file (cookie <TAB> path <TAB> form body), each line once:
-- thread k of n sends lines k, k+n, k+2n, …  (POOL_FILE and POOL_THREADS come from the environment)
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("offset", counter)
end

function init(args)
  lines = {}
  for line in io.lines(os.getenv("POOL_FILE")) do
    lines[#lines + 1] = line
  end
  step = tonumber(os.getenv("POOL_THREADS"))
  index = offset - step
end

function request()
  index = index + step
  local line = lines[((index - 1) % #lines) + 1]
  local cookie, path, body = line:match("([^\t]*)\t([^\t]*)\t(.*)")
  return wrk.format("POST", path, {["Cookie"] = cookie,
                                   ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
