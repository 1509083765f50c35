/**
 * Lua for the Redis upload quota: each script is one atomic step on the server, so concurrent
 * reservations cannot overshoot a limit. Time comes from the Redis server (TIME), so API
 * processes with skewed clocks agree on windows and leases.
 *
 * KEYS: 1 session used (hash photos/documents/bytes), 2 session held (hash id → "p:d:b:expiresMs"),
 *       3 user concurrency (zset id → lease end), 4 user photo burst (zset member → time).
 */
const clock = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

/** ARGV: id, photos, documents, bytes, maxPhotos, maxDocuments, maxBytes, maxPerMinute, maxConcurrent, leaseMs, keepMs */
export const reserveScript = `${clock}
local id = ARGV[1]
local p, d, b = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local maxP, maxD, maxB = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local maxMin, maxConc, lease, keep = tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10]), tonumber(ARGV[11])

local hp, hd, hb, soonest = 0, 0, 0, -1
local held = redis.call('HGETALL', KEYS[2])
for i = 1, #held, 2 do
  local p1, d1, b1, e1 = string.match(held[i + 1], '(%d+):(%d+):(%d+):(%d+)')
  e1 = tonumber(e1)
  if e1 <= now then
    redis.call('HDEL', KEYS[2], held[i])
  else
    hp, hd, hb = hp + tonumber(p1), hd + tonumber(d1), hb + tonumber(b1)
    if soonest < 0 or e1 < soonest then soonest = e1 end
  end
end
local used = redis.call('HMGET', KEYS[1], 'photos', 'documents', 'bytes')
local up, ud, ub = tonumber(used[1] or 0), tonumber(used[2] or 0), tonumber(used[3] or 0)
local tp, td, tb = up + hp, ud + hd, ub + hb
local waitHeld = soonest < 0 and lease or soonest - now

if p > 0 and tp + p > maxP then return {1, 'session_photo_limit', waitHeld, tp, td, tb} end
if d > 0 and td + d > maxD then return {1, 'session_document_limit', waitHeld, tp, td, tb} end
if tb + b > maxB then return {1, 'session_size_limit', waitHeld, tp, td, tb} end

redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - 60000)
if p > 0 and redis.call('ZCARD', KEYS[4]) + p > maxMin then
  local oldest = redis.call('ZRANGE', KEYS[4], 0, 0, 'WITHSCORES')
  return {1, 'burst_limit', tonumber(oldest[2]) + 60000 - now, tp, td, tb}
end
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
if redis.call('ZCARD', KEYS[3]) >= maxConc then
  local first = redis.call('ZRANGE', KEYS[3], 0, 0, 'WITHSCORES')
  return {1, 'concurrent_limit', math.min(30000, tonumber(first[2]) - now), tp, td, tb}
end

redis.call('HSET', KEYS[2], id, p .. ':' .. d .. ':' .. b .. ':' .. (now + lease))
redis.call('ZADD', KEYS[3], now + lease, id)
for i = 1, p do redis.call('ZADD', KEYS[4], now, id .. ':' .. i) end
redis.call('PEXPIRE', KEYS[2], lease * 2)
redis.call('PEXPIRE', KEYS[3], lease * 2)
redis.call('PEXPIRE', KEYS[4], 60000)
redis.call('PEXPIRE', KEYS[1], keep)
return {0, '', 0, tp + p, td + d, tb + b}
`;

/** ARGV: id, reservedPhotos, photos, documents, bytes, keepMs. Counts what was stored; frees the slot. */
export const commitScript = `
local id, reserved = ARGV[1], tonumber(ARGV[2])
redis.call('HDEL', KEYS[2], id)
redis.call('ZREM', KEYS[3], id)
for i = tonumber(ARGV[3]) + 1, reserved do redis.call('ZREM', KEYS[4], id .. ':' .. i) end
redis.call('HINCRBY', KEYS[1], 'photos', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'documents', ARGV[4])
redis.call('HINCRBY', KEYS[1], 'bytes', ARGV[5])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
return 1
`;

/** ARGV: id, reservedPhotos. Gives everything back. */
export const releaseScript = `
local id = ARGV[1]
redis.call('HDEL', KEYS[2], id)
redis.call('ZREM', KEYS[3], id)
for i = 1, tonumber(ARGV[2]) do redis.call('ZREM', KEYS[4], id .. ':' .. i) end
return 1
`;
