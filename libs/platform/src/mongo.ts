import { ConnectionStates, type Connection } from 'mongoose';

/** Pings the database and reports the server's version (FerretDB reports its own too). */
export async function mongoInfo(connection: Connection): Promise<{ version: string; ferretdb?: string }> {
  const db = connection.db;
  if (!db || connection.readyState !== ConnectionStates.connected) throw new Error('not connected');
  await db.admin().ping();
  const info = (await db.admin().buildInfo()) as { version?: string; ferretdb?: { version?: string }; ferretdbVersion?: string };
  return { version: info.version ?? 'unknown', ferretdb: info.ferretdb?.version ?? info.ferretdbVersion };
}

