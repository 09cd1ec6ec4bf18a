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
    const connection = { getClient: () => client, on: () => undefined } as unknown as Connection;
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

  it('says once that the driver stopped checking: the server unknown and no heartbeat for stallMs', () => {
    jest.useFakeTimers();
    try {
      const client = new EventEmitter();
      const connection = Object.assign(new EventEmitter(), { getClient: () => client }) as unknown as Connection;
      const errors: [Record<string, unknown>, string][] = [];
      const logger = { warn: () => undefined, info: () => undefined, error: (o: Record<string, unknown>, msg: string) => errors.push([o, msg]) } as unknown as Logger;
      logServerState(connection, logger, { stallMs: 30_000, checkEveryMs: 1_000 });
      const change = (from: string, to: string) => client.emit('serverDescriptionChanged', { address: 'db:27017', previousDescription: { type: from }, newDescription: { type: to } });
      // Known server, no heartbeats for a minute: nothing to say (its checks are 10 s apart anyway).
      jest.advanceTimersByTime(60_000);
      change('Standalone', 'Unknown');
      // Unknown, but the driver keeps checking: no stall.
      for (let i = 0; i < 40; i++) {
        jest.advanceTimersByTime(1_000);
        client.emit('serverHeartbeatStarted', {});
        client.emit('serverHeartbeatFailed', { connectionId: 'db:27017', duration: 1, failure: new Error('connect ECONNREFUSED') });
      }
      expect(errors).toEqual([]);
      // Then no heartbeat at all: one error after stallMs, not one per check.
      jest.advanceTimersByTime(29_000);
      expect(errors).toEqual([]);
      jest.advanceTimersByTime(60_000);
      expect(errors).toHaveLength(1);
      expect(errors[0][1]).toBe('database driver stopped checking the server: operations fail until this process restarts');
      expect(errors[0][0]).toMatchObject({ unknownForMs: 70_000, lastHeartbeatMsAgo: 30_000 });
      // Back, lost again and stalled again: said again.
      change('Unknown', 'Standalone');
      change('Standalone', 'Unknown');
      jest.advanceTimersByTime(31_000);
      expect(errors).toHaveLength(2);
      // The connection closed: the watch stops.
      connection.emit('close');
      change('Unknown', 'Standalone');
      change('Standalone', 'Unknown');
      jest.advanceTimersByTime(120_000);
      expect(errors).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
