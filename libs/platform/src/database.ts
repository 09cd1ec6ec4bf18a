import { Module, type DynamicModule } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import mongoose from 'mongoose';
import { DocumentStoreModule, type DocumentEngine } from './document-store';

@Module({})
class DatabaseModule {}

/**
 * The MongoDB connection of a service, and the engine-specific writes for it (DOCUMENT_WRITES).
 * Filters on unknown paths throw instead of silently matching everything; request input is
 * validated against patterns that rule out operators.
 */
export function databaseModule(url: string, engine: DocumentEngine | 'auto' = 'auto'): DynamicModule {
  mongoose.set('strictQuery', 'throw');
  const connection = MongooseModule.forRoot(url, {
    serverSelectionTimeoutMS: 5000,
    // Fail fast instead of buffering writes for 10 s while the database is down.
    bufferCommands: false,
    autoIndex: true,
    retryWrites: false, // FerretDB 1.x has no retryable writes; idempotent writes make them unneeded.
  });
  return { module: DatabaseModule, imports: [connection, DocumentStoreModule.forRoot(engine)], exports: [connection, DocumentStoreModule] };
}
