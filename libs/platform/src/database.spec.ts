import { EventEmitter } from 'node:events';
import type { Connection } from 'mongoose';
import type { Logger } from './logger';
import { stopServerWatch, watchServer } from './database';

describe('watchServer', () => {
  it('logs losing the server, each failed heartbeat, and having it back; nothing for other changes', () => {
    const client = new EventEmitter();
    const lines: [string, string, Record<string, unknown>][] = [];
    const logger = {
      warn: (o: Record<string, unknown>, msg: string) => lines.push(['warn', msg, o]),
      info: (o: Record<string, unknown>, msg: string) => lines.push(['info', msg, o]),
    } as unknown as Logger;
    const connection = { getClient: () => client, on: () => undefined } as unknown as Connection;
    expect(watchServer(connection, logger, { replace: () => Promise.resolve() })).toBe(connection);
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

  it('replaces the client when no check has ended for stallMs, and again until one connects', async () => {
    jest.useFakeTimers();
    try {
      let client = new EventEmitter();
      const connection = Object.assign(new EventEmitter(), { getClient: () => client }) as unknown as Connection;
      const lines: [string, string, Record<string, unknown>][] = [];
      const at = (level: string) => (o: Record<string, unknown> | string, msg?: string) => lines.push(typeof o === 'string' ? [level, o, {}] : [level, msg ?? '', o]);
      const logger = { warn: at('warn'), info: at('info'), error: at('error') } as unknown as Logger;
      const replacements: string[] = [];
      let refuse = true;
      const replace = async () => {
        replacements.push(refuse ? 'refused' : 'connected');
        if (refuse) throw new Error('Server selection timed out after 5000 ms');
        client = new EventEmitter();
      };
      watchServer(connection, logger, { replace, stallMs: 20_000, checkEveryMs: 1_000 });
      // A known server's checks end every 10 s; a lost one's fail every half second: no stall.
      for (let i = 0; i < 12; i++) {
        await jest.advanceTimersByTimeAsync(10_000);
        client.emit('serverHeartbeatSucceeded', {});
      }
      for (let i = 0; i < 40; i++) {
        await jest.advanceTimersByTimeAsync(500);
        client.emit('serverHeartbeatFailed', { connectionId: 'db:27017', duration: 1, failure: new Error('connect ECONNREFUSED') });
      }
      expect(replacements).toEqual([]);
      // Then a check that never ends: the client is replaced after stallMs. That one is refused,
      // and the next try comes stallMs after it, not on every tick.
      client.emit('serverHeartbeatStarted', {});
      await jest.advanceTimersByTimeAsync(19_000);
      expect(replacements).toEqual([]);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(replacements).toEqual(['refused']);
      expect(lines.filter(([level]) => level === 'error')).toEqual([['error', 'database driver has stopped checking the server: replacing the client', { sinceLastCheckMs: 20_000 }]]);
      await jest.advanceTimersByTimeAsync(19_000);
      expect(replacements).toEqual(['refused']);
      refuse = false;
      await jest.advanceTimersByTimeAsync(1_000);
      expect(replacements).toEqual(['refused', 'connected']);
      expect(lines.filter(([, msg]) => /replac/.test(msg)).map(([level, msg]) => [level, msg])).toEqual([
        ['error', 'database driver has stopped checking the server: replacing the client'],
        ['warn', 'database client replacement failed: trying again'],
        ['error', 'database driver has stopped checking the server: replacing the client'],
        ['info', 'database client replaced: the server answers'],
      ]);
      // The new client is the one watched: its checks keep it; when they stop, it is replaced too.
      for (let i = 0; i < 5; i++) {
        await jest.advanceTimersByTimeAsync(10_000);
        client.emit('serverHeartbeatSucceeded', {});
      }
      expect(replacements).toHaveLength(2);
      await jest.advanceTimersByTimeAsync(20_000);
      expect(replacements).toEqual(['refused', 'connected', 'connected']);
      // Closed by its owner: the watch stops.
      connection.emit('close');
      await jest.advanceTimersByTimeAsync(120_000);
      expect(replacements).toHaveLength(3);
    } finally {
      jest.useRealTimers();
    }
  });

  it('opens no new client once stopped (the service shutting down) while a replacement closes the old one', async () => {
    jest.useFakeTimers();
    try {
      const client = new EventEmitter();
      const connection = Object.assign(new EventEmitter(), { getClient: () => client }) as unknown as Connection;
      const logger = { warn: () => undefined, info: () => undefined, error: () => undefined } as unknown as Logger;
      let closed!: () => void;
      const wantedAfterClose: boolean[] = [];
      const replace = async (wanted: () => boolean) => {
        await new Promise<void>((resolve) => (closed = resolve));
        wantedAfterClose.push(wanted());
      };
      watchServer(connection, logger, { replace, stallMs: 20_000, checkEveryMs: 1_000 });
      await jest.advanceTimersByTimeAsync(20_000);
      stopServerWatch(connection);
      closed();
      await jest.advanceTimersByTimeAsync(60_000);
      expect(wantedAfterClose).toEqual([false]);
    } finally {
      jest.useRealTimers();
    }
  });
});
