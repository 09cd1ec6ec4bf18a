/**
 * BullMQ queue names. NEVER rename one: jobs waiting in Redis under the old name would be
 * orphaned (and their dedupe by job id lost). Add a new queue and drain the old one instead.
 */
export enum QueueName {
  Email = 'notifier-email',
  Schedule = 'notifier-schedule',
  Webhook = 'notifier-webhook',
}
