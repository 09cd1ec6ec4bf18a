import { Module, type BeforeApplicationShutdown, type DynamicModule } from '@nestjs/common';
import { InjectConnection, MongooseModule } from '@nestjs/mongoose';
import mongoose, { type ConnectOptions, type Connection } from 'mongoose';
import { withTimeout } from './timeout';
import { DocumentStoreModule, type DocumentEngine } from './document-store';
import { ROOT_LOGGER, type Logger } from './logger';

const stopWatches = new WeakMap<Connection, () => void>();

/** Stops the connection's server watch (see watchServer): a replacement under way opens no new client. */
export function stopServerWatch(connection: Connection): void {
  stopWatches.get(connection)?.();
}

@Module({})
class DatabaseModule implements BeforeApplicationShutdown {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  // Nest closes the connection in onApplicationShutdown, after every beforeApplicationShutdown:
  // a client replacement must not open a new client after that close.
  beforeApplicationShutdown(): void {
    stopServerWatch(this.connection);
  }
}

/** Options given to the driver for every client of the connection: the first one and each replacement. */
const clientOptions = {
  serverSelectionTimeoutMS: 5000,
  // Fail fast instead of buffering writes for 10 s while the database is down.
  bufferCommands: false,
  autoIndex: true,
  retryWrites: false, // FerretDB 1.x has no retryable writes; idempotent writes make them unneeded.
} satisfies ConnectOptions;

/**
 * The MongoDB connection of a service, and the engine-specific writes for it (DOCUMENT_WRITES).
 * Filters on unknown paths throw instead of silently matching everything; request input is
 * validated against patterns that rule out operators.
 */
export function databaseModule(url: string, engine: DocumentEngine | 'auto' = 'auto'): DynamicModule {
  mongoose.set('strictQuery', 'throw');
  const connection = MongooseModule.forRootAsync({
    inject: [ROOT_LOGGER],
    useFactory: (logger: Logger) => ({
      uri: url,
      ...clientOptions,
      connectionFactory: (c: Connection) => watchServer(c, logger.child({ component: 'mongodb' }), { replace: (wanted) => replaceClient(c, url, wanted) }),
    }),
  });
  return { module: DatabaseModule, imports: [connection, DocumentStoreModule.forRoot(engine)], exports: [connection, DocumentStoreModule] };
}

/**
 * Closes the connection's driver client and opens a new one on the same connection object, which
 * every model and repository reads its collections through, so none of them holds the old client.
 * Operations in flight on the old client fail; they were failing already.
 */
export async function replaceClient(connection: Connection, url: string, wanted: () => boolean, options: ConnectOptions = clientOptions, closeTimeoutMs = 15_000): Promise<void> {
  // Not forced: mongoose refuses every later operation of a connection closed by force, reopened
  // or not. The close ends the client's server sessions first, which waits up to the server
  // selection timeout (5 s) for a server. A close that never ends fails this replacement, to be
  // tried again: a new client opened meanwhile would be marked closed when the old close ended.
  await withTimeout(connection.close(), closeTimeoutMs, 'closing the stalled database client');
  // The service may have begun shutting down meanwhile: then the connection stays closed.
  if (wanted()) await connection.openUri(url, { ...options });
}

export interface ServerWatchOptions {
  /** Replaces the driver client (replaceClient in a service); `wanted` turns false once the watch is stopped. */
  replace: (wanted: () => boolean) => Promise<void>;
  /**
   * How long the driver may go without a check of the server ending (answered or failed) before
   * its client is replaced; above the driver's heartbeat interval (10 s, `heartbeatFrequencyMS`).
   */
  stallMs?: number;
  checkEveryMs?: number;
}

/**
 * Logs when the driver loses the database server and when it has it back, and each failed
 * heartbeat in between: while the server is unknown every operation fails with the error that
 * marked it so, and these lines show whether the driver is still checking.
 *
 * It also replaces the driver client when no check of the server has ended for `stallMs`, and
 * again every `stallMs` until a new client connects. The driver's monitor starts no check while
 * one is in progress (MonitorInterval in mongodb 6.20, NODE-4674), so one check that hangs stops
 * it, and operations queue behind connections that hang the same way:
 * - a server that accepts connections and never answers (a network partition, a server half
 *   started) hangs them until the connect timeout (30 s), though the server is back meanwhile;
 *   database.e2e-spec makes one so;
 * - a fault test once caught listings with no heartbeat at all in the minute after a FerretDB
 *   restart, readiness 503 throughout, and only a restart of the process recovered; which check
 *   hung then is not known.
 */
export function watchServer(connection: Connection, logger: Logger, { replace, stallMs = 20_000, checkEveryMs = 1_000 }: ServerWatchOptions): Connection {
  let lastCheckEnded = Date.now();
  let replacing = false;
  let stopped = false;
  const watchClient = (client: ReturnType<Connection['getClient']>) => {
    client.on('serverDescriptionChanged', (e) => {
      const was = e.previousDescription.type === 'Unknown';
      const is = e.newDescription.type === 'Unknown';
      if (!was && is) logger.warn({ address: e.address, error: e.newDescription.error?.message }, 'database server unknown: operations fail until a heartbeat reaches it');
      else if (was && !is) logger.info({ address: e.address, type: e.newDescription.type }, 'database server reachable again');
    });
    client.on('serverHeartbeatSucceeded', () => (lastCheckEnded = Date.now()));
    client.on('serverHeartbeatFailed', (e) => {
      lastCheckEnded = Date.now();
      logger.warn({ address: e.connectionId, durationMs: e.duration, error: e.failure.message }, 'database heartbeat failed');
    });
  };
  const stop = () => {
    stopped = true;
    clearInterval(watch);
  };
  const replaceStalled = async (sinceLastCheckMs: number) => {
    replacing = true;
    logger.error({ sinceLastCheckMs }, 'database driver has stopped checking the server: replacing the client');
    try {
      await replace(() => !stopped);
      if (stopped) return;
      watchClient(connection.getClient());
      logger.info('database client replaced: the server answers');
    } catch (err) {
      logger.warn({ error: (err as Error).message }, 'database client replacement failed: trying again');
    } finally {
      lastCheckEnded = Date.now();
      replacing = false;
    }
  };
  const watch = setInterval(() => {
    const since = Date.now() - lastCheckEnded;
    if (!stopped && !replacing && since >= stallMs) void replaceStalled(since);
  }, checkEveryMs);
  watch.unref();
  watchClient(connection.getClient());
  // Closed by its owner (not by a replacement): nothing more to watch.
  connection.on('close', () => {
    if (!replacing) stop();
  });
  stopWatches.set(connection, stop);
  return connection;
}
