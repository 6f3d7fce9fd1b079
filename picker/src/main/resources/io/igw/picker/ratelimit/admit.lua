-- Check-and-reserve over several token buckets, atomically (Redis runs a script alone).
-- KEYS: the buckets. ARGV: for each key, its capacity, window (ms) and the amount to take.
-- A bucket is a hash {l = level, t = ms of that level}; it refills capacity per window, evenly.
-- Takes every amount when each bucket holds it, nothing otherwise. Time is Redis's own (TIME), so
-- gateway replicas with skewed clocks agree. A key lives until its bucket is full again (at most one
-- window unless it owes tokens): an idle bucket costs nothing.
-- Returns {index of the first refused bucket (0-based) or -1, now (ms), each level before}.
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local levels = {}
local refused = -1
for i = 1, #KEYS do
  local cap = tonumber(ARGV[3 * i - 2])
  local win = tonumber(ARGV[3 * i - 1])
  local amount = tonumber(ARGV[3 * i])
  local state = redis.call('HMGET', KEYS[i], 'l', 't')
  local level = cap
  if state[1] and state[2] then
    local elapsed = math.max(0, now - tonumber(state[2]))
    level = math.min(cap, tonumber(state[1]) + elapsed * cap / win)
  end
  levels[i] = level
  if refused < 0 and level < amount then
    refused = i - 1
  end
end
if refused < 0 then
  for i = 1, #KEYS do
    local cap = tonumber(ARGV[3 * i - 2])
    local win = tonumber(ARGV[3 * i - 1])
    local level = levels[i] - tonumber(ARGV[3 * i])
    redis.call('HSET', KEYS[i], 'l', tostring(level), 't', tostring(now))
    redis.call('PEXPIRE', KEYS[i], math.max(1, math.ceil((cap - level) * win / cap)))
  end
end
local out = {tostring(refused), tostring(now)}
for i = 1, #KEYS do
  out[#out + 1] = tostring(levels[i])
end
return out
