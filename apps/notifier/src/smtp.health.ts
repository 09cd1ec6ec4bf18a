import { connect } from 'node:net';

/** Reads the SMTP greeting: the server is up and talking SMTP, without sending anything. */
export function smtpGreeting(url: string, timeoutMs = 3000): Promise<{ greeting: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port || 25) });
    const done = (err?: Error, greeting?: string) => {
      socket.destroy();
      if (err) reject(err);
      else resolve({ greeting: greeting ?? '' });
    };
    socket.setTimeout(timeoutMs, () => done(new Error('no SMTP greeting')));
    socket.once('error', (err) => done(err));
    socket.once('data', (chunk) => {
      const line = chunk.toString('utf8').split('\r\n')[0];
      if (line.startsWith('220')) done(undefined, line.slice(0, 120));
      else done(new Error(`unexpected SMTP greeting: ${line.slice(0, 120)}`));
    });
  });
}
