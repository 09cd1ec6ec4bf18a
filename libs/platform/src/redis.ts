import Redis, { type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';

/** One ioredis client; commands queue while reconnecting instead of failing on a short blip. */
export function createRedis(url: string, logger: Logger, options: RedisOptions = {}): Redis {
  const client = new Redis(url, {
    lazyConnect: false,
    enableReadyCheck: true,
    maxRetriesPerRequest: 20,
    retryStrategy: (times) => Math.min(times * 200, 5000),
    ...options,
  });
  let healthy = false;
  client.on('ready', () => {
    if (!healthy) logger.info({ component: 'redis' }, 'redis connected');
    healthy = true;
  });
  client.on('error', (err) => {
    if (healthy) logger.error({ component: 'redis', err }, 'redis connection error');
    healthy = false;
  });
  return client;
}

export async function redisInfo(client: Redis): Promise<{ version: string }> {
  const pong = await client.ping();
  if (pong !== 'PONG') throw new Error(`unexpected PING answer ${String(pong)}`);
  const info = await client.info('server');
  return { version: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown' };
}
