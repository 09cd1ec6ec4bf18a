import { join } from 'node:path';
import { register } from 'tsconfig-paths';
import { compilerOptions } from './support/tsconfig-paths';
import { engines, enginesScript } from './support/engines';

/** Starts the real engines (idempotent), prints their versions, provisions the topics. */
export default async function globalSetup(): Promise<void> {
  // Global setup runs outside jest's module mapper: resolve the @jobstream/* aliases ourselves.
  register({ baseUrl: join(__dirname, '..'), paths: compilerOptions.paths });
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { createLogger } = require('../libs/platform/src/logger') as typeof import('../libs/platform/src/logger');
  const { loadConfig } = require('../libs/platform/src/config') as typeof import('../libs/platform/src/config');
  const { OpsConfigSpec } = require('../apps/ops/src/ops.config') as typeof import('../apps/ops/src/ops.config');
  const { provisionCommand } = require('../apps/ops/src/provision.command') as typeof import('../apps/ops/src/provision.command');
  /* eslint-enable @typescript-eslint/no-require-imports */
  if (!engines.external) enginesScript('start');
  if (!engines.external) process.stdout.write(`\nengines under test:\n${enginesScript('versions')}\n`);
  const config = loadConfig(OpsConfigSpec, { ...process.env, KAFKA_BROKERS: engines.kafkaBrokers, KAFKA_SASL_USERNAME: engines.kafkaSasl.username, KAFKA_SASL_PASSWORD: engines.kafkaSasl.password });
  await provisionCommand(config, createLogger('e2e-setup', 'warn'));
}
