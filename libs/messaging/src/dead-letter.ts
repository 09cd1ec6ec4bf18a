import type { IHeaders } from 'kafkajs';
import { dlqTopic } from '@jobstream/contracts';
import type { DeadLetter } from './batch-processor';
import type { EventPublisher, RawMessage } from './event-publisher';

/** Keeps the original bytes and headers; adds why and where from, so the letter can be re-driven. */
export function deadLetterMessage(letter: DeadLetter, groupId: string, now = new Date()): RawMessage {
  const { message } = letter;
  const headers: IHeaders = {
    ...(message.headers ?? {}),
    'dlq-error': letter.error.slice(0, 4000),
    'dlq-origin-topic': message.topic,
    'dlq-origin-partition': String(message.partition),
    'dlq-origin-offset': message.offset,
    'dlq-consumer-group': groupId,
    'dlq-attempts': String(letter.attempts),
    'dlq-failed-at': now.toISOString(),
  };
  return { key: message.key, value: message.value, headers };
}

export async function sendDeadLetters(publisher: EventPublisher, groupId: string, letters: DeadLetter[]): Promise<void> {
  await publisher.publishRaw(dlqTopic(groupId), letters.map((l) => deadLetterMessage(l, groupId)));
}
