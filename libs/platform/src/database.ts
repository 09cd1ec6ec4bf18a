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
 */
export function logServerState(connection: Connection, logger: Logger): Connection {
  const client = connection.getClient();
  client.on('serverDescriptionChanged', (e) => {
    const was = e.previousDescription.type === 'Unknown';
    const is = e.newDescription.type === 'Unknown';
    if (!was && is) logger.warn({ address: e.address, error: e.newDescription.error?.message }, 'database server unknown: operations fail until a heartbeat reaches it');
    else if (was && !is) logger.info({ address: e.address, type: e.newDescription.type }, 'database server reachable again');
  });
  client.on('serverHeartbeatFailed', (e) => logger.warn({ address: e.connectionId, durationMs: e.duration, error: e.failure.message }, 'database heartbeat failed'));
  return connection;
}
