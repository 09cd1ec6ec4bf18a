import { HealthCheckError, type HealthIndicatorResult } from '@nestjs/terminus';
import type { BrokerMonitor } from './broker-monitor';

/** Readiness of the Kafka connection, from the monitor's latest probe (never blocks on a dead broker). */
export function kafkaReadiness(monitor: BrokerMonitor): () => Promise<HealthIndicatorResult> {
  return () => {
    const state = monitor.current();
    const up = monitor.isUp();
    const result: HealthIndicatorResult = {
      kafka: up
        ? { status: 'up', brokers: state.brokers, checkedAt: new Date(state.checkedAt).toISOString() }
        : { status: 'down', error: state.error ?? 'stale probe', checkedAt: state.checkedAt ? new Date(state.checkedAt).toISOString() : null },
    };
    return up ? Promise.resolve(result) : Promise.reject(new HealthCheckError('kafka is down', result));
  };
}
