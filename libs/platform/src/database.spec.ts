import { EventEmitter } from 'node:events';
import type { Connection } from 'mongoose';
import type { Logger } from './logger';
import { logServerState } from './database';

describe('logServerState', () => {
  it('logs losing the server, each failed heartbeat, and having it back; nothing for other changes', () => {
    const client = new EventEmitter();
    const lines: [string, string, Record<string, unknown>][] = [];
    const logger = {
      warn: (o: Record<string, unknown>, msg: string) => lines.push(['warn', msg, o]),
      info: (o: Record<string, unknown>, msg: string) => lines.push(['info', msg, o]),
    } as unknown as Logger;
    const connection = { getClient: () => client } as unknown as Connection;
    expect(logServerState(connection, logger)).toBe(connection);
    const change = (from: string, to: string, error?: string) =>
      client.emit('serverDescriptionChanged', { address: 'db:27017', previousDescription: { type: from }, newDescription: { type: to, error: error && new Error(error) } });
    change('Standalone', 'Standalone');
    change('Standalone', 'Unknown', 'connection 3 to db:27017 closed');
    client.emit('serverHeartbeatFailed', { connectionId: 'db:27017', duration: 3, failure: new Error('connect ECONNREFUSED') });
    change('Unknown', 'Unknown', 'connect ECONNREFUSED');
    change('Unknown', 'Standalone');
    expect(lines.map(([level, msg, o]) => [level, msg, o.error])).toEqual([
      ['warn', 'database server unknown: operations fail until a heartbeat reaches it', 'connection 3 to db:27017 closed'],
      ['warn', 'database heartbeat failed', 'connect ECONNREFUSED'],
      ['info', 'database server reachable again', undefined],
    ]);
  });
});
