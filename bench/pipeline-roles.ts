/**
 * The parts of the pipeline bench that run in child processes of it (the bench's own bundle started again with
 * PIPELINE_BENCH_ROLE set), so their CPU and memory are not the engine's: the Master.csv writer, the TCP senders of a
 * PBX, and a logged-in UI client calling the API over HTTP while the senders push.
 */
import fs from 'node:fs';
import net from 'node:net';

/** Calls are spread evenly over this span of wall-clock time (inside one month, before now). */
export interface CallWindow {
  from: number;
  stepMs: number;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** Shanghai wall clock (UTC+8, no DST) as Asterisk writes it. */
function shanghai(ms: number): string {
  const d = new Date(ms + 8 * 3_600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/**
 * Dialled numbers with the 9 for an outside line, each covered by a rate of the bench's rate group: local, Beijing
 * mobile, Shanghai, Shenzhen, London (the last 4 digits vary per call), the police; every 5th call is internal.
 */
const DIALLED: [string, boolean][] = [['96234', true], ['91380013', true], ['90215000', true], ['907558888', true], ['90044207946', true], ['9110', false]];

/** One cdr_csv line with uniqueid and userfield (18 columns); every 9th call unanswered; `seed` keeps runs apart. */
export function pipelineLine(i: number, seed: number, window: CallWindow): string {
  const ext = `8${pad((i * 7919) % 1000, 3)}`;
  const start = window.from + Math.floor(i * window.stepMs);
  const internal = i % 5 === 0;
  const [prefix, varies] = DIALLED[i % DIALLED.length]!;
  const dialled = internal ? `8${pad((i * 31) % 1000, 3)}` : varies ? `${prefix}${pad(i % 10_000, 4)}` : prefix;
  const billsec = i % 9 === 0 ? 0 : 5 + (i % 600);
  const answer = billsec > 0 ? `"${shanghai(start + 4000)}"` : '';
  const channel = pad(i % 65536, 8);
  const dst = internal ? `PJSIP/${dialled}-${channel}` : `PJSIP/trunk-cn-${channel}`;
  return (
    `"ent","${ext}","${dialled}","from-internal","""User ${ext}"" <${ext}>","PJSIP/${ext}-${channel}","${dst}","Dial","",` +
    `"${shanghai(start)}",${answer},"${shanghai(start + (4 + billsec) * 1000)}",${4 + billsec},${billsec},` +
    `"${billsec > 0 ? 'ANSWERED' : 'NO ANSWER'}","DOCUMENTATION","${1_700_000_000 + seed * 10_000_000 + i}.${i}",""`
  );
}

/** Writes `records` lines to `file` (in a child process: the lines never sit in the engine's memory). */
export function writePipelineFile(file: string, records: number, window: CallWindow): void {
  const out = fs.openSync(file, 'w');
  let buf = '';
  for (let i = 0; i < records; i++) {
    buf += `${pipelineLine(i, 0, window)}\n`;
    if (buf.length > 1 << 20) {
      fs.writeSync(out, buf);
      buf = '';
    }
  }
  fs.writeSync(out, buf);
  fs.closeSync(out);
}

/** `connections` sockets to the billing interface, each sending its share of `records` as fast as it is taken. */
export async function sendRecords(port: number, connections: number, records: number, seed: number, window: CallWindow): Promise<void> {
  const perConnection = Math.ceil(records / connections);
  await Promise.all(
    Array.from({ length: connections }, async (_, c) => {
      const first = c * perConnection;
      const last = Math.min(records, first + perConnection);
      const socket = net.connect(port, '127.0.0.1');
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      for (let i = first; i < last; i += 500) {
        const lines: string[] = [];
        for (let j = i; j < Math.min(i + 500, last); j++) lines.push(pipelineLine(j, seed, window));
        if (!socket.write(`${lines.join('\n')}\n`)) await new Promise((resolve) => socket.once('drain', resolve));
      }
      await new Promise<void>((resolve) => socket.end(resolve));
    }),
  );
}

/** What the UI client measured: milliseconds per call, by call name, while idle and under load. */
export interface ClientSamples {
  idle: Record<string, number[]>;
  load: Record<string, number[]>;
  errors: string[];
}

/** The calls of the CDR page and the dashboard, as the UI makes them. */
export const CLIENT_CALLS: { name: string; method: string; input: unknown }[] = [
  { name: 'cdrs.search, first page, no filter', method: 'cdrs.search', input: {} },
  { name: 'cdrs.search, first page, call type international', method: 'cdrs.search', input: { callType: 'international' } },
  { name: 'stats.dashboard', method: 'stats.dashboard', input: {} },
];

/**
 * A logged-in client over real HTTP: logs in, says `ready`, then every `intervalMs` makes each of CLIENT_CALLS in
 * turn (a page that shows the records and the dashboard), timing each from request to parsed answer. The parent
 * switches the phase (`idle`, `load`) and says `stop`, then gets the samples back over IPC.
 */
export async function runUiClient(baseUrl: string, username: string, password: string, intervalMs: number): Promise<void> {
  const post = async (method: string, input: unknown, token?: string): Promise<unknown> => {
    const res = await fetch(`${baseUrl}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(input),
    });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`${method}: HTTP ${res.status} ${body.slice(0, 300)}`);
    return JSON.parse(body);
  };
  const { token } = (await post('auth.login', { username, password })) as { token: string };
  const samples: ClientSamples = { idle: {}, load: {}, errors: [] };
  // An object, not a variable: the message handler changes it between awaits.
  const at: { phase: 'idle' | 'load' | 'stop' } = { phase: 'idle' };
  process.on('message', (m: unknown) => {
    if (m === 'idle' || m === 'load' || m === 'stop') at.phase = m;
  });
  process.send!('ready');
  while (at.phase !== 'stop') {
    const tick = performance.now();
    for (const c of CLIENT_CALLS) {
      const current = at.phase as 'idle' | 'load' | 'stop';
      if (current === 'stop') break;
      const t0 = performance.now();
      try {
        await post(c.method, c.input, token);
      } catch (err) {
        samples.errors.push((err as Error).message);
        continue;
      }
      (samples[current][c.name] ??= []).push(performance.now() - t0);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, intervalMs - (performance.now() - tick))));
  }
  await new Promise<void>((resolve) => process.send!({ samples }, () => resolve()));
  process.disconnect();
}
