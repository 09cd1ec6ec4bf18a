import type { Kafka } from 'kafkajs';
import pino from 'pino';
import { BrokerMonitor } from './broker-monitor';

/**
 * A Kafka whose admin clients answer describeCluster from a script: true = answers, false = fails.
 * `during` runs while a probe waits for its answer.
 */
function scriptedKafka(answers: boolean[], during: () => void = () => undefined): { kafka: Kafka; probes: () => number } {
  let n = 0;
  const kafka = {
    admin: () => ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      describeCluster: async () => {
        during();
        const ok = answers[n++] ?? true;
        if (!ok) throw new Error('describeCluster timed out after 2000 ms');
        return { brokers: [{ nodeId: 1, host: 'h', port: 1 }], controller: 1, clusterId: 'c' };
      },
    }),
  } as unknown as Kafka;
  return { kafka, probes: () => n };
}

describe('BrokerMonitor', () => {
  const logger = pino({ level: 'silent' });

  it('keeps a broker that was up up after one failed probe that a second, immediate probe contradicts', async () => {
    const { kafka, probes } = scriptedKafka([true, false, true]);
    const monitor = new BrokerMonitor(kafka, 60_000, logger);
    await monitor.probe();
    expect(monitor.isUp()).toBe(true);
    await monitor.probe();
    expect(probes()).toBe(3);
    expect(monitor.isUp()).toBe(true);
  });

  it('declares it down when the confirming probe fails too, and up again on the next answer', async () => {
    const { kafka } = scriptedKafka([true, false, false, true]);
    const monitor = new BrokerMonitor(kafka, 60_000, logger);
    await monitor.probe();
    await monitor.probe();
    expect(monitor.isUp()).toBe(false);
    expect(monitor.current().error).toMatch(/timed out/);
    await monitor.probe();
    expect(monitor.isUp()).toBe(true);
  });

  it('keeps it up, with no second probe, when writes were acknowledged while the failed probe waited', async () => {
    // The producer's acknowledgements arrive while each probe waits for its answer.
    const writes: { to?: BrokerMonitor } = {};
    const { kafka, probes } = scriptedKafka([true, false, false], () => writes.to?.acknowledged());
    const monitor = new BrokerMonitor(kafka, 60_000, logger);
    writes.to = monitor;
    await monitor.probe();
    await monitor.probe();
    expect(probes()).toBe(2);
    expect(monitor.isUp()).toBe(true);
  });

  it('does not confirm a broker that was never up: down at the first failure', async () => {
    const { kafka, probes } = scriptedKafka([false]);
    const monitor = new BrokerMonitor(kafka, 60_000, logger);
    await monitor.probe();
    expect(probes()).toBe(1);
    expect(monitor.isUp()).toBe(false);
  });
});
