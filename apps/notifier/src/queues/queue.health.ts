import type { Queue } from 'bullmq';
import type { HealthIndicatorFunction } from '@nestjs/terminus';
import { withDeadline } from '@jobstream/platform/health';

/** Readiness of one queue: Redis answers for it and its worker runs; reports the job counts. */
export function queueReadiness(queue: Queue, workerRunning: () => boolean): HealthIndicatorFunction {
  return withDeadline(`queue:${queue.name}`, 3000, async () => {
    const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
    if (!workerRunning()) throw new Error('worker is not running');
    return { worker: 'running', ...counts };
  });
}
