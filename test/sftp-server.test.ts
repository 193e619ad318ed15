import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import SftpClient from 'ssh2-sftp-client';
import { generateClientKeyPair, SftpTestServer } from './helpers/sftp-server';

// The test server itself: other SFTP tests rely on it behaving like a real one.
const key = generateClientKeyPair();
let server: SftpTestServer;

beforeAll(async () => {
  server = await SftpTestServer.start({
    users: [
      { username: 'cdr', password: 'pbx-Secret-1' },
      { username: 'keyed', publicKey: key.publicKey },
    ],
  });
  server.writeFile('/cdr/Master.csv', 'line one\nline two\n');
});
afterAll(() => server.close());

async function connect(options: { username: string; password?: string; privateKey?: string }) {
  const client = new SftpClient('test', { error: () => undefined, end: () => undefined, close: () => undefined });
  await client.connect({ host: server.host, port: server.port, readyTimeout: 5000, ...options });
  return client;
}

async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(parts).toString('utf8');
}

describe('SFTP test server', () => {
  it('accepts a password, lists a folder and streams a file from an offset', async () => {
    const client = await connect({ username: 'cdr', password: 'pbx-Secret-1' });
    try {
      const list = await client.list('/cdr');
      expect(list.map((f) => [f.name, f.type, f.size])).toEqual([['Master.csv', '-', 18]]);
      expect(await readAll(client.createReadStream('/cdr/Master.csv', { start: 9 }))).toBe('line two\n');
      expect((await client.stat('/cdr/Master.csv')).size).toBe(18);
    } finally {
      await client.end();
    }
  });

  it('accepts a public key and refuses a wrong password', async () => {
    const client = await connect({ username: 'keyed', privateKey: key.privateKey });
    await client.end();
    const refused = server.refusedLogins;
    await expect(connect({ username: 'cdr', password: 'wrong' })).rejects.toThrow(/authentication/i);
    expect(server.refusedLogins).toBeGreaterThan(refused);
  });

  it('renames (refusing an existing target) and removes files', async () => {
    server.writeFile('/cdr/a.csv', 'a\n');
    server.writeFile('/done/a.csv', 'old\n');
    const client = await connect({ username: 'cdr', password: 'pbx-Secret-1' });
    try {
      await expect(client.rename('/cdr/a.csv', '/done/a.csv')).rejects.toThrow();
      await client.rename('/cdr/a.csv', '/done/a2.csv');
      await client.delete('/done/a2.csv');
      expect((await client.list('/done')).map((f) => f.name)).toEqual(['a.csv']);
    } finally {
      await client.end();
    }
  });

  it('stops and listens again on the same port', async () => {
    const port = server.port;
    await server.stop();
    await expect(connect({ username: 'cdr', password: 'pbx-Secret-1' })).rejects.toThrow(/ECONNREFUSED/);
    await server.listen();
    expect(server.port).toBe(port);
    const client = await connect({ username: 'cdr', password: 'pbx-Secret-1' });
    await client.end();
  });
});
