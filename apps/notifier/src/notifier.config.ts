import { str, type ConfigOf } from '@jobstream/platform/config';
import { ConsumerConfigSpec, KafkaConfigSpec } from '@jobstream/messaging/messaging.config';
import { platformConfigSpec } from '@jobstream/platform/platform.config';
import { RedisConfigSpec } from '@jobstream/platform/redis.config';

export const NotifierConfigSpec = {
  ...platformConfigSpec(3003),
  ...KafkaConfigSpec,
  ...ConsumerConfigSpec,
  KAFKA_GROUP_ID: { ...ConsumerConfigSpec.KAFKA_GROUP_ID, default: 'notifier' },
  ...RedisConfigSpec,
  SMTP_URL: str({ description: 'SMTP server the emails go through', default: 'smtp://127.0.0.1:1025', pattern: /^smtps?:\/\/.+/, hint: 'an smtp:// URL', secret: true }),
  MAIL_FROM: str({ description: 'Sender of every email', default: 'jobstream <no-reply@jobstream.local>' }),
};
export type NotifierConfig = ConfigOf<typeof NotifierConfigSpec>;
