import { Controller, type INestApplication } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import { Test } from '@nestjs/testing';
import { createEvent } from '@jobstream/contracts';
import { BrokerUnavailableError } from './errors';
import { InMemoryEventTransport } from './in-memory.transport';
import { OnEvents, type EventBatch, type EventsContext } from './on-events.decorator';

const applicant = { name: 'Ada', email: 'ada@example.com', resumeUrl: 'https://cv.example/ada.pdf' };
const outcome = (applicationId: string, candidateId = 'c1') => ({ applicationId, candidateId, postingId: 'p1', postingTitle: 'SRE', applicant, decidedAt: '2025-01-01T10:00:00.000Z' });
const accepted = (id: string, candidateId?: string) => createEvent('application.accepted', outcome(id, candidateId), 'test');
const rejected = (id: string, candidateId?: string) => createEvent('application.rejected', { ...outcome(id, candidateId), reason: 'LIMIT_REACHED' }, 'test');
const company = (id: string) => createEvent('company.upserted', { companyId: id, name: id }, 'test');

/** Every handler call, in the order they happened: `<handler>:<application or company ids>` plus the group. */
const calls: { handler: string; ids: string[]; groupId: string; topic: string }[] = [];
const ids = (batch: EventBatch) => batch.map(({ event }) => ('applicationId' in event.data ? event.data.applicationId : event.key));
let failTransiently = 0;

@Controller()
class OutcomeHandlers {
  @OnEvents(['application.accepted'])
  async accepted(@Payload() batch: EventBatch<'application.accepted'>, @Ctx() ctx: EventsContext): Promise<void> {
    calls.push({ handler: 'accepted', ids: ids(batch), groupId: ctx.groupId, topic: ctx.topic });
  }

  @OnEvents(['application.rejected'])
  async rejected(@Payload() batch: EventBatch<'application.rejected'>, @Ctx() ctx: EventsContext): Promise<void> {
    if (failTransiently > 0) {
      failTransiently--;
      throw new BrokerUnavailableError('broker down for a moment');
    }
    if (batch.some(({ event }) => event.data.candidateId === 'poison')) throw new Error('cannot apply this one');
    calls.push({ handler: 'rejected', ids: ids(batch), groupId: ctx.groupId, topic: ctx.topic });
  }

  @OnEvents(['company.upserted'])
  async companies(@Payload() batch: EventBatch<'company.upserted'>, @Ctx() ctx: EventsContext): Promise<void> {
    calls.push({ handler: 'companies', ids: ids(batch), groupId: ctx.groupId, topic: ctx.topic });
  }
}

/** A second projection: its own group, only some of the types. */
@Controller()
class SearchHandlers {
  @OnEvents(['company.upserted', 'application.accepted'], { group: 'search' })
  async index(@Payload() batch: EventBatch<'company.upserted' | 'application.accepted'>, @Ctx() ctx: EventsContext): Promise<void> {
    calls.push({ handler: 'search', ids: ids(batch), groupId: ctx.groupId, topic: ctx.topic });
  }
}

@Controller()
class DuplicateHandler {
  @OnEvents(['application.accepted'])
  async again(_batch: EventBatch<'application.accepted'>): Promise<void> {}
}

@Controller()
class WrongType {
  // @ts-expect-error a handler of company events can't be declared for application outcomes
  @OnEvents(['application.accepted'])
  async wrong(_batch: EventBatch<'company.upserted'>): Promise<void> {}
}

async function boot(controllers: (new (...args: never[]) => object)[], transport: InMemoryEventTransport): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ controllers }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.connectMicroservice({ strategy: transport });
  await app.init();
  await app.startAllMicroservices();
  return app;
}

describe('InMemoryEventTransport with @OnEvents handlers', () => {
  let app: INestApplication;
  let transport: InMemoryEventTransport;

  beforeEach(async () => {
    calls.length = 0;
    failTransiently = 0;
    transport = new InMemoryEventTransport({ groupId: 'svc', maxBatch: 10, maxRetries: 1 });
    app = await boot([OutcomeHandlers, SearchHandlers], transport);
  });
  afterEach(() => app.close());

  it('registers one row per group and topic, as the Consumers table has them', () => {
    expect(transport.subscriptions()).toEqual([
      { topic: 'application-outcomes', events: ['application.accepted', 'application.rejected'] },
      { topic: 'companies', events: ['company.upserted'] },
      { group: 'search', topic: 'application-outcomes', events: ['application.accepted'] },
      { group: 'search', topic: 'companies', events: ['company.upserted'] },
    ]);
  });

  it('hands each handler its events as consecutive runs, in partition order', async () => {
    await transport.publish([accepted('a1'), accepted('a2'), rejected('r1'), accepted('a3'), rejected('r2'), rejected('r3')]);
    const main = calls.filter((c) => c.groupId === 'svc');
    expect(main.map((c) => [c.handler, c.ids])).toEqual([
      ['accepted', ['a1', 'a2']],
      ['rejected', ['r1']],
      ['accepted', ['a3']],
      ['rejected', ['r2', 'r3']],
    ]);
    expect(main.every((c) => c.topic === 'application-outcomes')).toBe(true);
    // The search group takes only acceptances: rejections between them are skipped, not a run boundary.
    expect(calls.filter((c) => c.groupId === 'svc-search').map((c) => c.ids)).toEqual([['a1', 'a2', 'a3']]);
    expect(transport.committed.get('svc/application-outcomes')).toBe(6);
    expect(transport.committed.get('svc-search/application-outcomes')).toBe(6);
    expect(transport.deadLetters).toEqual([]);
  });

  it('delivers one event type to each group that registered it, each in its own group', async () => {
    await transport.publish([company('acme')]);
    expect(calls.map((c) => [c.handler, c.groupId, c.ids])).toEqual([
      ['companies', 'svc', ['acme']],
      ['search', 'svc-search', ['acme']],
    ]);
  });

  it('cuts slices at maxBatch', async () => {
    await transport.publish(Array.from({ length: 25 }, (_, i) => accepted(`a${i}`)));
    expect(calls.filter((c) => c.groupId === 'svc').map((c) => c.ids.length)).toEqual([10, 10, 5]);
  });

  it('parks a poison event in the group’s dead letters and applies the rest of its partition', async () => {
    await transport.publish([rejected('r1'), rejected('bad', 'poison'), rejected('r2'), accepted('a1')]);
    expect(transport.deadLetters).toHaveLength(1);
    expect(transport.deadLetters[0]).toMatchObject({ groupId: 'svc', topic: 'application-outcomes', offset: '1', attempts: 2, error: 'Error: cannot apply this one' });
    expect(JSON.parse(transport.deadLetters[0].value!)).toMatchObject({ type: 'application.rejected', data: { applicationId: 'bad' } });
    const handled = calls.filter((c) => c.groupId === 'svc').flatMap((c) => c.ids);
    expect(handled).toEqual(expect.arrayContaining(['r1', 'r2', 'a1']));
    expect(handled).not.toContain('bad');
    expect(transport.committed.get('svc/application-outcomes')).toBe(4);
  });

  it('retries a transient failure without parking anything', async () => {
    failTransiently = 3;
    await transport.publish([rejected('r1')]);
    expect(transport.deadLetters).toEqual([]);
    expect(calls.filter((c) => c.handler === 'rejected').map((c) => c.ids)).toEqual([['r1']]);
  });

  it('dead-letters a malformed message at once, in every group that reads the topic', async () => {
    await transport.publishRaw('companies', '{"not":"an event"}');
    expect(transport.deadLetters.map((l) => [l.groupId, l.attempts])).toEqual([
      ['svc', 0],
      ['svc-search', 0],
    ]);
    expect(transport.deadLetters[0].error).toMatch(/^invalid event:/);
    expect(calls).toEqual([]);
  });
});

describe('registration errors', () => {
  it('refuses two handlers of one event type in one group', async () => {
    const transport = new InMemoryEventTransport();
    await expect(boot([OutcomeHandlers, DuplicateHandler], transport)).rejects.toThrow(/two handlers of "application.accepted"/);
  });

  it('keeps the compile-time check honest (the mistyped handler still registers)', () => {
    expect(WrongType.prototype.wrong).toBeInstanceOf(Function);
  });
});
