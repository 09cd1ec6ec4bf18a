import net from 'node:net';
import mongoose, { type ConnectOptions, type Connection } from 'mongoose';
import { engines, runId } from '../../../test/support/engines';
import type { Logger } from './logger';
import { replaceClient, watchServer } from './database';

/**
 * A TCP proxy in front of the database that can swallow connections: accepted, their bytes read
 * and never answered, as a server half started or a network partition does. Connections open when
 * it starts swallowing are cut.
 */
class SwallowingProxy {
  private swallowing = false;
  private readonly sockets = new Set<net.Socket>();
  private readonly server: net.Server;

  constructor(private readonly target: { host: string; port: number }) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  listen(): Promise<number> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as net.AddressInfo).port)));
  }

  swallow(): void {
    this.swallowing = true;
    for (const socket of this.sockets) socket.destroy();
  }

  pass(): void {
    this.swallowing = false;
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  private accept(socket: net.Socket): void {
    this.track(socket);
    if (this.swallowing) {
      socket.resume();
      return;
    }
    const upstream = net.connect(this.target.port, this.target.host);
    this.track(upstream);
    upstream.on('close', () => socket.destroy());
    socket.on('close', () => upstream.destroy());
    socket.pipe(upstream).pipe(socket);
  }
}

// Unreferenced: a read still hanging at the end keeps no timer of ours alive.
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

/** What one read does within `ms`: answered, failed (and how), or nothing yet. */
async function readWithin(model: mongoose.Model<{ n: number }>, ms: number): Promise<string> {
  return Promise.race([
    model.findOne({}).lean().then(
      () => 'answered',
      (err: Error) => `failed: ${err.message}`,
    ),
    sleep(ms).then(() => 'no answer'),
  ]);
}

describe('a database driver whose checks hang (real FerretDB behind a proxy that swallows connections)', () => {
  const target = new URL(engines.mongoBase);
  const proxy = new SwallowingProxy({ host: target.hostname, port: Number(target.port || 27017) });
  // Checks every half second (the driver's floor), so a stall of 3 s is six missed checks.
  const options: ConnectOptions = { serverSelectionTimeoutMS: 2000, bufferCommands: false, retryWrites: false, heartbeatFrequencyMS: 500 };
  const connections: Connection[] = [];
  const lines: string[] = [];
  const logger = {
    warn: (_: unknown, msg: string) => lines.push(msg),
    info: (o: unknown, msg?: string) => lines.push(msg ?? String(o)),
    error: (_: unknown, msg: string) => lines.push(msg),
  } as unknown as Logger;

  afterAll(async () => {
    proxy.pass();
    for (const c of connections) await c.close(true).catch(() => undefined);
    const cleanup = await mongoose.createConnection(`${engines.mongoBase}/e2e_${runId}_stall`).asPromise();
    await cleanup.dropDatabase().catch(() => undefined);
    await cleanup.close();
    await proxy.close();
  });

  it('replaces the stalled client once the server answers again, where the same driver left alone still hangs', async () => {
    const url = `mongodb://127.0.0.1:${await proxy.listen()}/e2e_${runId}_stall`;
    const open = async () => {
      const c = await mongoose.createConnection(url, { ...options }).asPromise();
      connections.push(c);
      return { c, model: c.model<{ n: number }>('Doc', new mongoose.Schema<{ n: number }>({ n: { type: Number, required: true } })) };
    };
    const watched = await open();
    watchServer(watched.c, logger, { replace: (wanted) => replaceClient(watched.c, url, wanted, options), stallMs: 3000, checkEveryMs: 200 });
    const alone = await open();
    await watched.model.create({ n: 1 });
    expect(await readWithin(alone.model, 5000)).toBe('answered');

    proxy.swallow();
    // Reads while the proxy swallows: their connections hang like the driver's checks.
    const during = [watched, alone].flatMap(({ model }) => [1, 2, 3].map(() => readWithin(model, 60_000)));
    await sleep(1500);
    proxy.pass();
    const passedAt = Date.now();

    // The watched connection answers again within its stall time and a replacement.
    let answer = '';
    while (Date.now() - passedAt < 15_000 && (answer = await readWithin(watched.model, 1000)) !== 'answered') await sleep(250);
    expect(answer).toBe('answered');
    expect(watched.c.readyState).toBe(mongoose.ConnectionStates.connected);
    expect(lines).toContain('database driver has stopped checking the server: replacing the client');
    expect(lines).toContain('database client replaced: the server answers');
    // The one left alone, meanwhile, still has no answer: its hung check and connections end only
    // at the driver's connect timeout (30 s; a probe saw its first answer 29.5 s after the pass),
    // though the server has been back all along.
    expect(await readWithin(alone.model, 1000)).not.toBe('answered');
    expect(Date.now() - passedAt).toBeLessThan(20_000);
    // What was in flight while the server swallowed failed; none of it answered late from the old client.
    const settled = await Promise.race([Promise.all(during.slice(0, 3)), sleep(10_000).then(() => ['still pending'])]);
    expect(settled).not.toContain('answered');
  }, 60_000);
});
