import type { Job } from 'bullmq';
import type Redis from 'ioredis';
import type { PinoLogger } from 'nestjs-pino';
import type { GroupWatermarks, Watermark } from '@jobstream/messaging/group-watermark';
import type { EmailJobSpec, ScheduleJob } from '../mail/email.job';
import type { NotifierStore } from '../store/notifier-store.repository';
import type { EmailProducer } from './email.producer';
import type { NotifierConfig } from './queue.tokens';
import { DIGEST_INPUT_TOPICS, ScheduleProcessor } from './schedule.processor';

/** A store in which the applicant arrives only once the consumers have caught up. */
function setup(behindFor: number) {
  const log: string[] = [];
  let applicants = 0;
  let checks = 0;
  const watermarks = {
    now: (topics: readonly string[]) => {
      log.push(`mark ${topics.join(',')}`);
      return Promise.resolve(new Map() as Watermark);
    },
    behind: () => {
      checks += 1;
      if (checks <= behindFor) return Promise.resolve(['application-outcomes[0] 4/5']);
      applicants = 1;
      return Promise.resolve([]);
    },
  } as unknown as GroupWatermarks;
  const store = {
    teamPostingIds: () => Promise.resolve(['p1']),
    hiringTeam: () => Promise.resolve({ postingTitle: 'Engineer', members: [{ name: 'Dana', email: 'dana@recruiters.test' }] }),
    posting: () => Promise.resolve({ title: 'Engineer', status: 'published' }),
    dailyStats: () => Promise.resolve({ views: 42, applyClicks: 7 }),
    applicantCount: () => Promise.resolve(applicants),
  } as unknown as NotifierStore;
  const sent: EmailJobSpec[] = [];
  const emails = { enqueue: (jobs: EmailJobSpec[]) => Promise.resolve(void sent.push(...jobs)) } as unknown as EmailProducer;
  const logger = { info: () => undefined, error: () => undefined } as unknown as PinoLogger;
  const processor = new ScheduleProcessor({} as Redis, {} as NotifierConfig, store, emails, watermarks, logger);
  const tick = { data: { kind: 'digest-tick' } } as Job<ScheduleJob, number>;
  return { processor, tick, sent, log, checks: () => checks };
}

describe('ScheduleProcessor digests', () => {
  it('computes the digest only once the consumers have committed what the topics held at the tick', async () => {
    const { processor, tick, sent, log, checks } = setup(2);
    await expect(processor.process(tick, new Date('2026-12-02T07:00:00Z'))).resolves.toBe(1);
    expect(log).toEqual([`mark ${DIGEST_INPUT_TOPICS.join(',')}`]);
    expect(checks()).toBe(3);
    expect(JSON.stringify(sent[0].data)).toContain('"applicants":1');
  });

  it('gives up at shutdown instead of holding the worker, so BullMQ retries the tick', async () => {
    const { processor, tick, sent } = setup(Number.MAX_SAFE_INTEGER);
    const pending = processor.process(tick, new Date('2026-12-02T07:00:00Z'));
    await processor.close();
    await expect(pending).rejects.toThrow(/waits for the notifier's consumers to catch up: application-outcomes\[0\] 4\/5/);
    expect(sent).toEqual([]);
  });
});
