import type { Queue } from 'bullmq';
import { counter, gauge } from '@jobstream/platform/metrics';

const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;
const tracked = new Set<Queue>();

/** Read from Redis at scrape time, so the figure is the queue's, not this replica's. */
gauge({
  name: 'jobstream_queue_jobs',
  help: 'Jobs in each BullMQ queue by state, read at scrape time',
  labelNames: ['queue', 'prefix', 'state'],
  async collect() {
    this.reset();
    for (const queue of tracked) {
      const counts = await queue.getJobCounts(...STATES).catch(() => undefined);
      if (!counts) continue; // Redis down: the series disappears rather than reporting a stale figure
      for (const state of STATES) this.set({ queue: queue.name, prefix: queue.opts.prefix ?? 'bull', state }, counts[state] ?? 0);
    }
  },
});

/** Reports the queue's depth until it closes. */
export function trackQueueDepth(queue: Queue): () => void {
  tracked.add(queue);
  return () => tracked.delete(queue);
}

export const emailMetrics = {
  sent: counter({ name: 'jobstream_emails_sent_total', help: 'Emails the SMTP server accepted', labelNames: ['kind'] }),
  skipped: counter({ name: 'jobstream_emails_skipped_total', help: 'Email jobs skipped: already sent, or no recipients', labelNames: ['kind', 'reason'] }),
  failed: counter({ name: 'jobstream_emails_failed_total', help: 'Failed send attempts; final=true when no retry is left', labelNames: ['kind', 'final'] }),
};
