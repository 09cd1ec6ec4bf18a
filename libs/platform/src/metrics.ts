import { Controller, Get, Res } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Counter, Gauge, Histogram, collectDefaultMetrics, register, type CounterConfiguration, type GaugeConfiguration, type HistogramConfiguration } from 'prom-client';

/**
 * Metrics live in prom-client's process-wide registry: the libraries (consumer, publisher) record
 * without wiring, and tests that boot several services in one process share it (labels tell them apart).
 * Get-or-create, since a second app in the same process declares the same metrics again.
 */
function existing<T>(name: string): T | undefined {
  return register.getSingleMetric(name) as T | undefined;
}
export function counter<L extends string>(config: CounterConfiguration<L>): Counter<L> {
  return existing<Counter<L>>(config.name) ?? new Counter(config);
}
export function gauge<L extends string>(config: GaugeConfiguration<L>): Gauge<L> {
  return existing<Gauge<L>>(config.name) ?? new Gauge(config);
}
export function histogram<L extends string>(config: HistogramConfiguration<L>): Histogram<L> {
  return existing<Histogram<L>>(config.name) ?? new Histogram(config);
}

let defaultsOn = false;
/** Process metrics (RSS, heap, event-loop lag, GC), once per process. */
export function collectProcessMetrics(): void {
  if (defaultsOn) return;
  defaultsOn = true;
  collectDefaultMetrics();
}

const httpDuration = () =>
  histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route pattern (not raw URL, to keep cardinality bounded)',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  });

/** Express middleware: observes every response under its route pattern, e.g. /v1/postings/:id. */
export function httpMetrics(): (req: Request, res: Response, next: NextFunction) => void {
  const duration = httpDuration();
  return (req, res, next) => {
    const end = duration.startTimer();
    res.once('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      end({ method: req.method, route: route ? `${req.baseUrl}${route}` : 'unmatched', status: String(res.statusCode) });
    });
    next();
  };
}

/** Prometheus scrape endpoint. Serve it on an internal network only: it reveals traffic shapes. */
@Controller()
export class MetricsController {
  @Get('metrics')
  async metrics(@Res() res: Response): Promise<void> {
    res.setHeader('Content-Type', register.contentType);
    res.send(await register.metrics());
  }
}
