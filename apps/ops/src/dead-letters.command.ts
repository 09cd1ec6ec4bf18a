import { Partitioners, type Kafka } from 'kafkajs';
import { DeadLetterHeaders as H, dlqTopic, redriveTopic } from '@jobstream/contracts';
import { formatTable, partitionRanges, readWholeTopic, type StoredMessage } from './topic-reader.util';

export type Print = (text: string) => void;

/** A dead letter as an operator sees it. */
export interface LetterSummary {
  /** `partition:offset` in the dead-letter topic: what `show` and `redrive` take. */
  ref: string;
  failedAt: string;
  origin: string;
  attempts: number;
  eventType: string;
  eventId: string;
  error: string;
  redriven: boolean;
}

/** The group whose committed offset marks how far `redrive --all` got, so letters go once. */
export const redriveCursorGroup = (groupId: string) => `ops-redrive.${groupId}`;

const refOf = (m: Pick<StoredMessage, 'partition' | 'offset'>) => `${m.partition}:${m.offset}`;

export function summarize(m: StoredMessage, cursor: ReadonlyMap<number, bigint>): LetterSummary {
  let eventType = '?';
  let eventId = '?';
  try {
    const parsed = JSON.parse(m.value?.toString('utf8') ?? '') as { type?: unknown; id?: unknown };
    if (typeof parsed.type === 'string') eventType = parsed.type;
    if (typeof parsed.id === 'string') eventId = parsed.id;
  } catch {
    eventType = '(not JSON)';
  }
  return {
    ref: refOf(m),
    failedAt: m.headers[H.failedAt] ?? m.timestamp,
    origin: `${m.headers[H.originTopic] ?? '?'}/${m.headers[H.originPartition] ?? '?'}@${m.headers[H.originOffset] ?? '?'}`,
    attempts: Number(m.headers[H.attempts] ?? 0),
    eventType,
    eventId,
    error: m.headers[H.error] ?? '',
    redriven: BigInt(m.offset) < (cursor.get(m.partition) ?? 0n),
  };
}

/** Which letters `redrive --all` has already sent, per partition of the dead-letter topic. */
async function redriveCursor(kafka: Kafka, groupId: string): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [committed] = await admin.fetchOffsets({ groupId: redriveCursorGroup(groupId), topics: [dlqTopic(groupId)] });
    return new Map((committed?.partitions ?? []).filter((p) => Number(p.offset) >= 0).map((p) => [p.partition, BigInt(p.offset)]));
  } finally {
    await admin.disconnect();
  }
}

export async function listDeadLetters(kafka: Kafka, groupId: string): Promise<LetterSummary[]> {
  const [letters, cursor] = await Promise.all([readWholeTopic(kafka, dlqTopic(groupId)), redriveCursor(kafka, groupId)]);
  return letters.map((m) => summarize(m, cursor));
}

export async function dlqListCommand(kafka: Kafka, groupId: string, print: Print, options: { json?: boolean; limit?: number } = {}): Promise<void> {
  const all = await listDeadLetters(kafka, groupId);
  const shown = options.limit ? all.slice(-options.limit) : all;
  if (options.json) return print(JSON.stringify(shown, null, 2));
  if (all.length === 0) return print(`${dlqTopic(groupId)}: no dead letters`);
  const pending = all.filter((l) => !l.redriven).length;
  print(
    formatTable(
      ['ref', 'failed at', 'origin', 'tries', 'event', 'redriven', 'error'],
      shown.map((l) => [l.ref, l.failedAt, l.origin, String(l.attempts), `${l.eventType} ${l.eventId}`, l.redriven ? 'yes' : 'no', l.error.slice(0, 120)]),
    ),
  );
  print(`\n${all.length} dead letters in ${dlqTopic(groupId)}, ${pending} not re-driven yet${shown.length < all.length ? ` (showing the last ${shown.length})` : ''}`);
}

export async function dlqShowCommand(kafka: Kafka, groupId: string, ref: string, print: Print): Promise<void> {
  const letters = await readWholeTopic(kafka, dlqTopic(groupId));
  const letter = letters.find((m) => refOf(m) === normalizeRef(ref));
  if (!letter) throw new Error(`no dead letter ${ref} in ${dlqTopic(groupId)} (see: ops dlq list ${groupId})`);
  const text = letter.value?.toString('utf8') ?? '';
  let body = text;
  try {
    body = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // Shown as stored: a letter is often there precisely because it is not JSON.
  }
  print(JSON.stringify({ ref: refOf(letter), key: letter.key, timestamp: letter.timestamp, headers: letter.headers }, null, 2));
  print(`value (${letter.value?.length ?? 0} bytes):\n${body}`);
}

/** `7` means partition 0 (dead-letter topics have one), `0:7` is explicit. */
export function normalizeRef(ref: string): string {
  if (/^\d+$/.test(ref)) return `0:${ref}`;
  if (/^\d+:\d+$/.test(ref)) return ref;
  throw new Error(`"${ref}" is not a dead letter reference (partition:offset, or an offset)`);
}

export interface RedriveOptions {
  /** Explicit letters; when empty, every letter not re-driven yet. */
  refs: string[];
  dryRun?: boolean;
}

/**
 * Sends letters to `redrive.<group>`, which only that group reads: it handles each as an event of
 * its origin topic, and one that fails again is dead-lettered again. Other groups never see it twice.
 */
export async function dlqRedriveCommand(kafka: Kafka, groupId: string, options: RedriveOptions, print: Print): Promise<number> {
  const dlq = dlqTopic(groupId);
  const [letters, cursor] = await Promise.all([readWholeTopic(kafka, dlq), redriveCursor(kafka, groupId)]);
  const wanted = new Set(options.refs.map(normalizeRef));
  const chosen = wanted.size > 0 ? letters.filter((m) => wanted.has(refOf(m))) : letters.filter((m) => BigInt(m.offset) >= (cursor.get(m.partition) ?? 0n));
  const missing = [...wanted].filter((ref) => !letters.some((m) => refOf(m) === ref));
  if (missing.length > 0) throw new Error(`no such dead letters in ${dlq}: ${missing.join(', ')}`);
  if (chosen.length === 0) {
    print(`${dlq}: nothing to re-drive`);
    return 0;
  }
  if (options.dryRun) {
    print(`would re-drive ${chosen.length} letters to ${redriveTopic(groupId)}: ${chosen.map(refOf).join(', ')}`);
    return chosen.length;
  }
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    const now = new Date().toISOString();
    await producer.send({
      topic: redriveTopic(groupId),
      acks: -1,
      messages: chosen.map((m) => ({ key: m.key, value: m.value, headers: { ...m.headers, [H.redrivenAt]: now } })),
    });
  } finally {
    await producer.disconnect();
  }
  if (wanted.size === 0) {
    // Only `--all` moves the cursor: letters picked by hand don't mark the ones before them as sent.
    const admin = kafka.admin();
    await admin.connect();
    try {
      const ranges = await partitionRanges(admin, dlq);
      const partitions = ranges.map((r) => {
        const last = chosen.filter((m) => m.partition === r.partition).at(-1);
        return { partition: r.partition, offset: String(last ? BigInt(last.offset) + 1n : (cursor.get(r.partition) ?? r.low)) };
      });
      await admin.setOffsets({ groupId: redriveCursorGroup(groupId), topic: dlq, partitions });
    } finally {
      await admin.disconnect();
    }
  }
  print(`re-drove ${chosen.length} letters to ${redriveTopic(groupId)}; the ${groupId} consumers handle them next (failures go back to ${dlq})`);
  return chosen.length;
}
