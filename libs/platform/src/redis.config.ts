import { str } from './config';

export const RedisConfigSpec = {
  REDIS_URL: str({ description: 'Redis connection URL', default: 'redis://127.0.0.1:6379', pattern: /^rediss?:\/\/.+/, hint: 'a redis:// URL', secret: true }),
};
