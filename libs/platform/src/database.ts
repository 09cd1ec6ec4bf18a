import { Module, type DynamicModule } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import mongoose, { type Connection } from 'mongoose';
import { DocumentStoreModule, type DocumentEngine } from './document-store';
import { ROOT_LOGGER, type Logger } from './logger';

@Module({})
class DatabaseModule {}

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
      serverSelectionTimeoutMS: 5000,
      // Fail fast instead of buffering writes for 10 s while the database is down.
      bufferCommands: false,
      autoIndex: true,
      retryWrites: false, // FerretDB 1.x has no retryable writes; idempotent writes make them unneeded.
      connectionFactory: (c: Connection) => logServerState(c, logger.child({ component: 'mongodb' })),
    }),
  });
  return { module: DatabaseModule, imports: [connection, DocumentStoreModule.forRoot(engine)], exports: [connection, DocumentStoreModule] };
}

/**
 * Logs when the driver loses the database server and when it has it back, and each failed
 * heartbeat in between: while the server is unknown every operation fails with the error that
 * marked it so, and these lines show whether the driver is still checking.
 *
 * It also says, once, when the driver has stopped checking: the server unknown and no heartbeat
 * begun or ended for `stallMs`, where it checks every half second while the server is unknown. A
 * fault test caught listings so after a FerretDB restart: no heartbeat and no connection attempt
 * in the minute after it, readiness 503 throughout. The driver's monitor starts no check while one
 * is in progress (MonitorInterval in mongodb 6.20, with a TODO for its error handling, NODE-4674),
 * so a check that never ends would stop it for good; which check hung is not known yet. Only a
 * restart of the process recovers, and the error line says so to the operator.
 */
export function logServerState(connection: Connection, logger: Logger, { stallMs = 30_000, checkEveryMs = 5_000 } = {}): Connection {
  const client = connection.getClient();
  let unknownSince: number | undefined;
  let lastHeartbeat = Date.now();
  let stallReported = false;
  client.on('serverDescriptionChanged', (e) => {
    const was = e.previousDescription.type === 'Unknown';
    const is = e.newDescription.type === 'Unknown';
    if (!was && is) logger.warn({ address: e.address, error: e.newDescription.error?.message }, 'database server unknown: operations fail until a heartbeat reaches it');
    else if (was && !is) logger.info({ address: e.address, type: e.newDescription.type }, 'database server reachable again');
    if (is) unknownSince ??= Date.now();
    else {
      unknownSince = undefined;
      stallReported = false;
    }
  });
  const beat = () => (lastHeartbeat = Date.now());
  client.on('serverHeartbeatStarted', beat);
  client.on('serverHeartbeatSucceeded', beat);
  client.on('serverHeartbeatFailed', (e) => {
    beat();
    logger.warn({ address: e.connectionId, durationMs: e.duration, error: e.failure.message }, 'database heartbeat failed');
  });
  const watch = setInterval(() => {
    const now = Date.now();
    // From the later of losing the server and its last heartbeat: a known server's checks are 10 s apart.
    if (unknownSince === undefined || stallReported || now - Math.max(unknownSince, lastHeartbeat) < stallMs) return;
    stallReported = true;
    logger.error({ unknownForMs: now - unknownSince, lastHeartbeatMsAgo: now - lastHeartbeat }, 'database driver stopped checking the server: operations fail until this process restarts');
  }, checkEveryMs);
  watch.unref();
  connection.on('close', () => clearInterval(watch));
  return connection;
}
