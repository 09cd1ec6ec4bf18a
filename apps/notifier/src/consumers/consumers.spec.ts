import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getLoggerToken } from 'nestjs-pino';
import { createEvent, type EventData } from '@jobstream/contracts';
import { BrokerUnavailableError } from '@jobstream/messaging/errors';
import { InMemoryEventTransport } from '@jobstream/messaging/in-memory.transport';
import { emailJobsForOutcome } from '../mail/email-jobs.util';
import type { EmailJobSpec } from '../mail/email.job';
import { EmailProducer } from '../queues/email.producer';
import { NotifierStore } from '../store/notifier-store.repository';
import { HiringTeamsConsumer } from './hiring-teams.consumer';
import { OutcomesConsumer } from './outcomes.consumer';

/**
 * The notifier's outcome and hiring-team handlers on the in-memory transport: which events reach
 * them, in which runs, and what a failing write does to the rest of the slice. The store and the
 * queue are recording fakes of their interfaces; their Redis behaviour is covered by
 * test/notifier.e2e-spec.ts on the real engines.
 */
const applicant = { name: 'Ada', email: 'ada@example.com', resumeUrl: 'https://cv.example/ada.pdf' };
const outcome = (applicationId: string, postingId = 'p1') => ({ applicationId, candidateId: `c-${applicationId}`, postingId, postingTitle: 'SRE', applicant, decidedAt: '2025-01-01T10:00:00.000Z' });
const team = (postingId: string, revision: number): EventData<'hiring-team.updated'> => ({ postingId, companyId: 'acme', revision, postingTitle: 'SRE', members: [{ name: 'Rita', email: 'rita@acme.io' }] });

class FakeStore {
  readonly applicants: { postingId: string; date: string; applicationId: string }[] = [];
  readonly teams = new Map<string, number>();
  async recordApplicants(entries: readonly { postingId: string; date: string; applicationId: string }[]): Promise<void> {
    if (entries.some((e) => e.postingId === 'broken')) throw new Error('posting key holds the wrong type');
    this.applicants.push(...entries);
  }
  /** Newest revision wins, as the Redis script does. */
  async applyHiringTeam(t: EventData<'hiring-team.updated'>): Promise<boolean> {
    if ((this.teams.get(t.postingId) ?? 0) >= t.revision) return false;
    this.teams.set(t.postingId, t.revision);
    return true;
  }
}

class FakeQueue {
  readonly jobs: EmailJobSpec[] = [];
  outages = 0;
  async enqueue(jobs: readonly EmailJobSpec[]): Promise<void> {
    if (this.outages > 0) {
      this.outages--;
      throw new BrokerUnavailableError('redis unreachable');
    }
    this.jobs.push(...jobs);
  }
}

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined };

describe('notifier consumers on the in-memory transport', () => {
  let app: INestApplication;
  let transport: InMemoryEventTransport;
  let store: FakeStore;
  let queue: FakeQueue;

  beforeEach(async () => {
    store = new FakeStore();
    queue = new FakeQueue();
    const moduleRef = await Test.createTestingModule({
      controllers: [OutcomesConsumer, HiringTeamsConsumer],
      providers: [
        { provide: NotifierStore, useValue: store },
        { provide: EmailProducer, useValue: queue },
        { provide: getLoggerToken(OutcomesConsumer.name), useValue: quiet },
        { provide: getLoggerToken(HiringTeamsConsumer.name), useValue: quiet },
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    transport = new InMemoryEventTransport({ groupId: 'notifier', maxRetries: 1 });
    app.connectMicroservice({ strategy: transport });
    await app.init();
    await app.startAllMicroservices();
  });
  afterEach(() => app.close());

  it('registers the notifier rows of the Consumers table it owns', () => {
    expect(transport.subscriptions()).toEqual([
      { topic: 'application-outcomes', events: ['application.accepted', 'application.rejected'] },
      { topic: 'hiring-teams', events: ['hiring-team.updated'] },
    ]);
  });

  it('turns outcomes into email jobs and counts only acceptances as applicants', async () => {
    const events = [createEvent('application.accepted', outcome('a1'), 'test'), createEvent('application.rejected', { ...outcome('a2'), reason: 'LIMIT_REACHED' }, 'test')];
    await transport.publish(events);
    expect(queue.jobs.map((j) => j.jobId)).toEqual(events.flatMap((e) => emailJobsForOutcome(e).map((j) => j.jobId)));
    expect(store.applicants).toEqual([{ postingId: 'p1', date: '2025-01-01', applicationId: 'a1' }]);
    expect(transport.deadLetters).toEqual([]);
  });

  it('parks only the outcome whose write keeps failing; the rest of the slice gets its emails', async () => {
    const good = createEvent('application.accepted', outcome('a1'), 'test');
    const bad = createEvent('application.accepted', outcome('a2', 'broken'), 'test');
    const after = createEvent('application.accepted', outcome('a3'), 'test');
    await transport.publish([good, bad, after]);
    expect(transport.deadLetters.map((l) => [l.groupId, l.topic, JSON.parse(l.value!).id])).toEqual([['notifier', 'application-outcomes', bad.id]]);
    expect(transport.deadLetters[0].error).toBe('Error: posting key holds the wrong type');
    expect(store.applicants.map((a) => a.applicationId)).toEqual(['a1', 'a3']);
    expect(new Set(queue.jobs.map((j) => j.jobId))).toEqual(new Set([...emailJobsForOutcome(good), ...emailJobsForOutcome(after)].map((j) => j.jobId)));
  });

  it('retries a queue outage until it passes, parking nothing', async () => {
    queue.outages = 2;
    const event = createEvent('application.accepted', outcome('a1'), 'test');
    await transport.publish([event]);
    expect(transport.deadLetters).toEqual([]);
    expect(queue.jobs.map((j) => j.jobId)).toEqual(emailJobsForOutcome(event).map((j) => j.jobId));
  });

  it('keeps the newest hiring team when revisions arrive out of order', async () => {
    await transport.publish([createEvent('hiring-team.updated', team('p1', 2), 'test'), createEvent('hiring-team.updated', team('p1', 1), 'test'), createEvent('hiring-team.updated', team('p2', 1), 'test')]);
    expect([...store.teams]).toEqual([
      ['p1', 2],
      ['p2', 1],
    ]);
  });

  it('dead-letters a hiring team that breaks the contract without calling the handler', async () => {
    await transport.publishRaw('hiring-teams', JSON.stringify(createEvent('hiring-team.updated', { ...team('p1', 1), members: [{ name: 'Rita', email: 'not-an-email' }] }, 'test')));
    expect(transport.deadLetters).toHaveLength(1);
    expect(transport.deadLetters[0].error).toMatch(/^invalid event: .*email/);
    expect(store.teams.size).toBe(0);
  });
});
