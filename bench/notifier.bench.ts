import Redis from 'ioredis';
import nodemailer from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import { createEvent } from '@jobstream/contracts';
import { loadConfig } from '../libs/platform/src/config';
import { NotifierConfigSpec } from '../apps/notifier/src/notifier.config';
import { emailJobsForOutcome } from '../apps/notifier/src/mail/email-jobs.util';
import { postingUrlFrom, renderEmail } from '../apps/notifier/src/mail/email-render.util';
import type { EmailJobSpec } from '../apps/notifier/src/mail/email.job';
import { EmailProducer } from '../apps/notifier/src/queues/email.producer';
import { commonEnv, groupId, redisPrefix, type BenchContext } from './support/context';
import { positionGroup } from './support/kafka';
import { rateFromProgress, throughputRow } from './support/measure';
import type { ServiceProcess } from './support/services';
import { fmtInt, log, mapLimit, now } from './support/util';

function notifierEnv(ctx: BenchContext): Record<string, string> {
  return {
    ...commonEnv(ctx),
    KAFKA_GROUP_ID: groupId(ctx, 'notifier'),
    NOTIFIER_QUEUE_PREFIX: redisPrefix(ctx, 'notifier', '-'),
    SMTP_URL: ctx.engines.smtpUrl,
    // The default limiter (20 emails/s across instances) protects a real SMTP relay; the bench measures capacity.
    NOTIFIER_RATE_MAX: '1000000',
  };
}

/** The notifier, its group at the end of every topic (started before the lag phase, so it runs under load). */
export async function ensureNotifier(ctx: BenchContext): Promise<ServiceProcess> {
  if (ctx.services.notifier && !ctx.services.notifier.exited) return ctx.services.notifier;
  const env = notifierEnv(ctx);
  await positionGroup(ctx.kafka, ctx.admin, env.KAFKA_GROUP_ID);
  ctx.services.notifier = await ctx.fleet.start('notifier', env);
  return ctx.services.notifier;
}

/** The email jobs of `count` application.rejected outcomes, exactly as the outcomes consumer derives them. */
function rejectionJobs(ctx: BenchContext, round: number, count: number): EmailJobSpec[] {
  return Array.from({ length: count }, (_, i) => {
    const event = createEvent(
      'application.rejected',
      {
        applicationId: `bench-app-${round}-${i}`,
        candidateId: `bench-cand-${round}-${i}`,
        postingId: `bench-${ctx.runId}-p${i % 100}`,
        companyId: `bench-${ctx.runId}-c${i % 10}`,
        postingTitle: 'Senior Backend Engineer',
        applicant: { name: `Candidate ${i}`, email: `cand-${round}-${i}@${ctx.cleanup.emailDomain}`, resumeUrl: 'https://example.com/resume.pdf' },
        decidedAt: new Date().toISOString(),
        reason: 'LIMIT_REACHED',
      },
      'bench',
    );
    return emailJobsForOutcome(event);
  }).flat();
}

/**
 * Emails per second into the SMTP sink: the notifier's email queue and worker (BullMQ: job, sent
 * marker check, render, SMTP through its pooled transport, sent marker) against bare nodemailer
 * sending the same rendered emails with the same pool (4 connections) and concurrency (4).
 * The jobs are enqueued with the notifier's own EmailProducer, as its outcomes consumer does; they
 * are not put on the application-outcomes topic, so no other consumer group ever emails these addresses.
 */
export async function notifierPhase(ctx: BenchContext): Promise<void> {
  const plan = ctx.options.plan.notifier;
  ctx.fleet.phase = 'notifier';
  await ensureNotifier(ctx);
  const config = loadConfig(NotifierConfigSpec, notifierEnv(ctx));
  const queueRedis = new Redis(ctx.engines.redisUrl, { maxRetriesPerRequest: null });
  const producer = new EmailProducer(queueRedis, config);
  const transportOptions: SMTPPool.Options = { url: ctx.engines.smtpUrl, pool: true, maxConnections: 4, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 15_000 };
  const transport = nodemailer.createTransport(transportOptions);
  const renderCtx = { postingUrl: postingUrlFrom(config.POSTING_URL_TEMPLATE) };
  const svc: number[] = [];
  const base: number[] = [];
  const perRound = Math.ceil(plan.emails / ctx.options.plan.rounds);
  try {
    for (let round = 0; round < ctx.options.plan.rounds; round++) {
      const jobs = rejectionJobs(ctx, round, perRound);
      const counts = async () => {
        const c = await producer.queue.getJobCounts('completed', 'failed');
        return (c.completed ?? 0) + (c.failed ?? 0);
      };
      const before = await counts();
      const failedBefore = (await producer.queue.getJobCounts('failed')).failed ?? 0;
      log(`notifier: round ${round + 1}: ${fmtInt(jobs.length)} emails through the notifier`);
      const started = now();
      for (let i = 0; i < jobs.length; i += 500) await producer.enqueue(jobs.slice(i, i + 500));
      await rateFromProgress(async () => (await counts()) - before, jobs.length, 600_000);
      const seconds = (now() - started) / 1000;
      const failed = ((await producer.queue.getJobCounts('failed')).failed ?? 0) - failedBefore;
      if (failed > 0) throw new Error(`${failed} emails failed in the notifier`);
      svc.push(jobs.length / seconds);

      const baseJobs = rejectionJobs(ctx, round + 100, perRound);
      const t = now();
      await mapLimit(baseJobs, plan.concurrency, async (job) => {
        const email = renderEmail(job.data, renderCtx);
        const to = job.data.kind === 'application-rejected' ? job.data.candidate : undefined;
        await transport.sendMail({ from: config.MAIL_FROM, to: to ? [{ name: to.name, address: to.email }] : [], subject: email.subject, text: email.text, html: email.html, messageId: `<${job.jobId}@bench.baseline>` });
      });
      base.push(baseJobs.length / ((now() - t) / 1000));
      log(`notifier: ${fmtInt(svc[round])} vs bare nodemailer ${fmtInt(base[round])} emails/s`);
    }
  } finally {
    transport.close();
    await producer.close();
    queueRedis.disconnect();
    if (ctx.services.notifier) await ctx.fleet.stop(ctx.services.notifier);
  }
  ctx.rows.push(
    throughputRow('notifier', `emails accepted by the SMTP sink (maildev), ${fmtInt(perRound)} per round`, 'emails/s', svc, base, 0,
      'notifier: enqueue → BullMQ worker (concurrency 4, limiter lifted) → SMTP pool of 4; bare: nodemailer pool of 4, 4 concurrent sends of the same rendered emails'),
  );
  // No target was set for the notifier: the row shows the ratio only.
  const row = ctx.rows[ctx.rows.length - 1];
  row.target = undefined;
  row.met = undefined;
  row.margin = undefined;
}
