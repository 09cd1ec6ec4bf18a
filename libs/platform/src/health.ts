import { Controller, Get, Inject, Module, type DynamicModule, type FactoryProvider } from '@nestjs/common';
import { HealthCheck, HealthCheckError, HealthCheckService, TerminusModule, type HealthIndicatorFunction, type HealthIndicatorResult } from '@nestjs/terminus';

export const READINESS_CHECKS = Symbol('jobstream:readiness-checks');

/** Runs a check with a deadline so a hung dependency reads as down rather than hanging the probe. */
export function withDeadline(name: string, ms: number, check: () => Promise<unknown>): HealthIndicatorFunction {
  return async (): Promise<HealthIndicatorResult> => {
    let timer: NodeJS.Timeout | undefined;
    try {
      const data = await Promise.race([
        check(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
        }),
      ]);
      return { [name]: { status: 'up', ...(data && typeof data === 'object' ? data : {}) } };
    } catch (err) {
      if (err instanceof HealthCheckError) throw err;
      throw new HealthCheckError(`${name} is down`, { [name]: { status: 'down', error: (err as Error).message } });
    } finally {
      clearTimeout(timer);
    }
  };
}

@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    @Inject(READINESS_CHECKS) private readonly checks: HealthIndicatorFunction[],
  ) {}

  /** The process is up and serving HTTP; orchestrators restart it when this fails. */
  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  /** Every dependency this service needs answers; load balancers stop routing when this fails. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check(this.checks);
  }
}

@Module({})
export class HealthModule {
  static forRoot(checks: Omit<FactoryProvider<HealthIndicatorFunction[]>, 'provide'>): DynamicModule {
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers: [{ provide: READINESS_CHECKS, ...checks }],
    };
  }
}
