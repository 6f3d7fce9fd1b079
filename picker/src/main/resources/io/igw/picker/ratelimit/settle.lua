-- Settles reservations: gives back each amount (takes it when negative), capped at the capacity.
-- KEYS: the buckets. ARGV: for each key, its capacity, window (ms) and the amount to give back.
-- A bucket that is full again is deleted (no key is the same as a full bucket).
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
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
  level = math.min(cap, level + amount)
  if level >= cap then
    redis.call('DEL', KEYS[i])
  else
    redis.call('HSET', KEYS[i], 'l', tostring(level), 't', tostring(now))
    redis.call('PEXPIRE', KEYS[i], math.max(1, math.ceil((cap - level) * win / cap)))
  end
end
return 1
