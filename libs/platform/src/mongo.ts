import { ConnectionStates, type Connection } from 'mongoose';

/** Pings the database and reports the server's version (FerretDB reports its own too). */
export async function mongoInfo(connection: Connection): Promise<{ version: string; ferretdb?: string }> {
  const db = connection.db;
  if (!db || connection.readyState !== ConnectionStates.connected) throw new Error('not connected');
  await db.admin().ping();
  const info = (await db.admin().buildInfo()) as { version?: string; ferretdb?: { version?: string }; ferretdbVersion?: string };
  return { version: info.version ?? 'unknown', ferretdb: info.ferretdb?.version ?? info.ferretdbVersion };
}

/** SQLite under FerretDB answers concurrent writers "database is locked"; MongoDB never does. */
export const isBusyError = (err: unknown) => err instanceof Error && /database is locked|SQLITE_BUSY/.test(err.message);

/** Retries an idempotent database call a few times when the store reports lock contention. */
export async function retryWhenBusy<T>(fn: () => Promise<T>, attempts = 6): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isBusyError(err) || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, 20 * 2 ** attempt + Math.random() * 50));
    }
  }
}
