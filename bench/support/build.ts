import { existsSync } from 'node:fs';
import { join } from 'node:path';
import webpack from 'webpack';
import { TsconfigPathsPlugin } from 'tsconfig-paths-webpack-plugin';
import { ROOT } from './engines';
import { log, now } from './util';

export const SERVICES = ['ingest', 'listings', 'analytics', 'notifier'] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Generated, never committed: under .local/ (git- and lint-ignored), next to the private Kafka's state. */
export const BUILD_DIR = join(ROOT, '.local', 'bench', 'build');
export const bundleOf = (service: ServiceName) => join(BUILD_DIR, 'dist', `${service}.js`);

/**
 * Bundles the four services from the working tree the way `nest build` does (webpack, ts-loader
 * in transpile-only mode, node_modules external), into .local/bench/build/dist, without the type check
 * and with a filesystem cache: seconds instead of a minute. The services then run as plain
 * `node <bundle>` processes, as in production, so their RSS is the service's own (no ts-node).
 */
export async function buildServices(): Promise<void> {
  const started = now();
  const tsconfig = join(ROOT, 'tsconfig.build.json');
  const config: webpack.Configuration = {
    context: ROOT,
    mode: 'none',
    target: 'node',
    devtool: false,
    entry: Object.fromEntries(SERVICES.map((s) => [s, join(ROOT, 'apps', s, 'src', 'main.ts')])),
    output: { path: join(BUILD_DIR, 'dist'), filename: '[name].js' },
    externalsPresets: { node: true },
    externals: [
      ({ request }, callback) => {
        // Packages stay in node_modules (resolved from the bundle's directory upwards); our code is bundled.
        if (request && /^[^./]/.test(request) && !request.startsWith('@jobstream/')) return callback(undefined, `commonjs ${request}`);
        return callback();
      },
    ],
    module: {
      rules: [{ test: /\.tsx?$/, exclude: /node_modules/, use: [{ loader: 'ts-loader', options: { transpileOnly: true, configFile: tsconfig } }] }],
    },
    resolve: { extensions: ['.tsx', '.ts', '.js'], plugins: [new TsconfigPathsPlugin({ configFile: tsconfig })] },
    optimization: { nodeEnv: false },
    node: { __filename: false, __dirname: false },
    cache: { type: 'filesystem', cacheDirectory: join(BUILD_DIR, 'cache') },
    infrastructureLogging: { level: 'error' },
    stats: 'errors-only',
  };
  await new Promise<void>((resolve, reject) => {
    const compiler = webpack(config);
    compiler.run((err, stats) => {
      compiler.close(() => undefined);
      if (err) return reject(err);
      if (stats?.hasErrors()) return reject(new Error(`service build failed:\n${stats.toString('errors-only')}`));
      resolve();
    });
  });
  for (const s of SERVICES) if (!existsSync(bundleOf(s))) throw new Error(`build produced no ${bundleOf(s)}`);
  log(`build: services bundled into .local/bench/build/dist in ${((now() - started) / 1000).toFixed(1)} s`);
}
