import type { IHeaders } from 'kafkajs';
import { DeadLetterHeaders as H, dlqTopic } from '@jobstream/contracts';
import type { DeadLetter } from './batch-processor';
import type { EventPublisher, RawMessage } from './event-publisher';

/** Keeps the original bytes and headers; adds why and where from, so the letter can be re-driven. */
export function deadLetterMessage(letter: DeadLetter, groupId: string, now = new Date()): RawMessage {
  const { message } = letter;
  const headers: IHeaders = {
    ...(message.headers ?? {}),
    [H.error]: letter.error.slice(0, 4000),
    [H.originTopic]: message.topic,
    [H.originPartition]: String(message.partition),
    [H.originOffset]: message.offset,
    [H.consumerGroup]: groupId,
    [H.attempts]: String(letter.attempts),
    [H.failedAt]: now.toISOString(),
  };
  return { key: message.key, value: message.value, headers };
}

export async function sendDeadLetters(publisher: EventPublisher, groupId: string, letters: DeadLetter[]): Promise<void> {
  await publisher.publishRaw(dlqTopic(groupId), letters.map((l) => deadLetterMessage(l, groupId)));
}
