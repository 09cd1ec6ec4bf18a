import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Kafka, logLevel } from 'kafkajs';
import { createEvent, topicOf, type AnyEvent } from '@jobstream/contracts';
import { eventually, groupPinned, startNotifier, waitReady } from './support/apps';
import { engines, runId } from './support/engines';

interface Mail {
  subject: string;
  to: { address: string }[];
  text: string;
}

const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The scheduled mail (daily digest, expiry reminder) with the job schedulers ticking every two
 * seconds instead of daily, and the queue dashboard behind its operator credentials.
 */
describe('notifier: scheduled digests and reminders, queue dashboard', () => {
  const kafka = new Kafka({ clientId: 'e2e-notifier', brokers: [engines.kafkaBrokers], sasl: engines.kafkaSasl, logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  let notifier: INestApplication;
  const recruiter = { name: 'Dana Digest', email: `dana-${runId}@recruiters.test` };
  const postingId = `digest-${runId}`;
  const title = `Digest Engineer ${runId}`;
  const now = Date.now();
  const yesterday = new Date(now - 86_400_000).toISOString().slice(0, 10);
  const expiresAt = new Date(now + 2 * 86_400_000).toISOString();

  const mailTo = async (address: string): Promise<Mail[]> => {
    const all = (await (await fetch(`${engines.smtpApi}/email`)).json()) as Mail[];
    return all.filter((m) => m.to.some((t) => t.address === address));
  };
  // One produce request for all of them: a scheduler tick then comes before all of them or after
  // all of them, and a digest waits for what was in the topics at its tick (see ScheduleProcessor).
  const send = async (events: AnyEvent[]) => {
    await producer.sendBatch({ acks: -1, topicMessages: events.map((e) => ({ topic: topicOf(e.type).name, messages: [{ key: e.key, value: JSON.stringify(e) }] })) });
  };

  beforeAll(async () => {
    let groupId: string;
    ({ app: notifier, groupId } = await startNotifier('scheduled', {
      CONSUMER_FROM_BEGINNING: 'latest',
      NOTIFIER_DIGEST_CRON: '*/2 * * * * *',
      NOTIFIER_REMINDER_CRON: '*/2 * * * * *',
      NOTIFIER_REMINDER_DAYS: '3',
      NOTIFIER_ADMIN_USER: 'operator',
      NOTIFIER_ADMIN_PASSWORD: 'a-long-dashboard-password',
    }));
    await waitReady(notifier, 60_000);
    await groupPinned(groupId, ['postings', 'hiring-teams', 'posting-stats', 'application-outcomes']);
    await producer.connect();
  }, 120_000);

  afterAll(async () => {
    await producer.disconnect();
    await notifier?.close();
  });

  it('sends the recruiter one digest of yesterday and one reminder before expiry, however often the schedulers tick', async () => {
    const applicant = { name: 'Ari Applicant', email: `ari-${runId}@candidates.test`, resumeUrl: 'https://cv.example/ari.pdf' };
    await send([
      createEvent('posting.published', {
        postingId, companyId: `co-${runId}`, externalId: `ext-${postingId}`, revision: 1, title, status: 'published',
        location: 'Singapore', workplaceType: 'on-site', employmentType: 'full-time', description: 'Digest me.', postedAt: new Date(now - 3 * 86_400_000).toISOString(), expiresAt,
      }, 'e2e'),
      createEvent('hiring-team.updated', { postingId, companyId: `co-${runId}`, revision: 1, postingTitle: title, members: [recruiter] }, 'e2e'),
      createEvent('posting-stats.updated', {
        postingId, totalViews: 50, uniqueViewers: 30, applyClicks: 9, scraps: 2, mockApplicants: 1, trendingScore: 3.5,
        daily: [{ date: yesterday, views: 42, applyClicks: 7, scraps: 1, mockApplicants: 1 }],
        updatedAt: new Date().toISOString(),
      }, 'e2e'),
      createEvent('application.accepted', {
        applicationId: `app-${runId}`, candidateId: `cand${runId}`, postingId, postingTitle: title, applicant, decidedAt: new Date(now - 86_400_000).toISOString(),
      }, 'e2e'),
    ]);
    const digest = (m: Mail) => m.subject === `Your postings on ${yesterday}`;
    const reminder = (m: Mail) => m.subject === `${title} expires on ${expiresAt.slice(0, 10)}`;
    const mail = await eventually(async () => {
      const m = await mailTo(recruiter.email);
      return m.some(digest) && m.some(reminder) ? m : undefined;
    }, 90_000, 1000);
    const body = mail.find(digest)!.text;
    expect(body).toContain(title);
    expect(body).toContain('Views: 42');
    expect(body).toContain('Apply clicks: 7');
    expect(body).toContain('Applicants: 1');
    await settle(7000); // three more ticks of each scheduler
    const after = await mailTo(recruiter.email);
    expect(after.filter(digest)).toHaveLength(1);
    expect(after.filter(reminder)).toHaveLength(1);
    expect(after.filter((m) => m.subject.startsWith('New applicant'))).toHaveLength(1);
  }, 150_000);

  it('serves the queue dashboard only to the operator', async () => {
    await request(notifier.getHttpServer()).get('/admin/queues').expect(401);
    await request(notifier.getHttpServer()).get('/admin/queues').auth('operator', 'wrong').expect(401);
    const ok = await request(notifier.getHttpServer()).get('/admin/queues').auth('operator', 'a-long-dashboard-password').expect(200);
    expect(ok.text.toLowerCase()).toContain('bull');
  });
});
