import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { ApiError, fieldDetails } from '../../src-shared/api/errors';
import { problem, type Problem, type ProblemParams } from '../../src-shared/api/messages';
import type { settingsUpdateInput, SettingsUpdateResult } from '../../src-shared/api/settings';
import type { HttpOptions } from '../api/http';
import type { CallContext } from '../api/call-context';
import type { Sqlite } from '../db/connection';
import type { EventBus } from '../events';
import type { SecretBox } from '../secrets';
import { describeBindError, tryBind, type PreparedHttpChange } from '../system/http-server-control';
import type { SectionName } from './service';
import { readAllSections, settingsView, type AllSections, type SettingsViewDeps } from './view';
import { checkUploadedCertificate, generateSelfSignedCertificate, tlsOptionsFrom } from './tls';

type UpdateInput = z.output<typeof settingsUpdateInput>;

const LOOPBACK = '127.0.0.1';

/** The interface the web server listens on for these settings. */
export function httpHostOf(http: AllSections['http']): string {
  return http.remoteAccess ? http.host : LOOPBACK;
}

/** Collects the next value of every section and the paths of what changed. */
class Draft {
  readonly next: AllSections;
  readonly changed: string[] = [];
  readonly fields: Record<string, Problem[]> = {};

  constructor(readonly before: AllSections) {
    this.next = structuredClone(before);
  }

  set<K extends SectionName>(section: K, key: keyof AllSections[K] & string, value: unknown, fieldPath = `${section}.${key}`) {
    if (value === undefined) return;
    const target = this.next[section] as Record<string, unknown>;
    if (JSON.stringify(target[key]) === JSON.stringify(value)) return;
    target[key] = value;
    this.changed.push(fieldPath);
  }

  /** A field's problem; without a key the clerk reads that the field cannot be used, the detail says why. */
  fail(field: string, message: string, key = 'field.cannotUse', params?: ProblemParams) {
    (this.fields[field] ??= []).push(problem(key, message, params));
  }

  has(prefix: string): boolean {
    return this.changed.some((c) => c === prefix || c.startsWith(prefix + '.'));
  }

  sectionsChanged(): SectionName[] {
    return [...new Set(this.changed.map((c) => c.split('.')[0] as SectionName))];
  }
}

async function draftBillingInterface(s: Pick<SettingsUpdateDeps, 'settings'>, d: Draft, input: NonNullable<UpdateInput['billingInterface']>) {
  const { password, ...plain } = input;
  for (const [key, value] of Object.entries(plain)) d.set('billingInterface', key as never, value);
  if (password === '') {
    d.set('billingInterface', 'passwordHash', null, 'billingInterface.password');
  } else if (password !== undefined) {
    d.next.billingInterface.passwordHash = await s.settings.hashBillingInterfacePassword(password);
    d.changed.push('billingInterface.password');
  }
}

/** TLS input: an upload (certificate + key together), a generated certificate, or just on/off. Returns the plain key. */
async function draftTls(s: Pick<SettingsUpdateDeps, 'secrets' | 'now'>, d: Draft, input: NonNullable<NonNullable<UpdateInput['http']>['tls']>) {
  const { certificate, privateKey, generateSelfSigned, enabled } = input;
  let plainKey: string | undefined;
  if ((certificate === undefined) !== (privateKey === undefined)) {
    d.fail(certificate === undefined ? 'http.tls.certificate' : 'http.tls.privateKey', 'send the certificate and its private key together', 'field.certificatePair');
  } else if (certificate !== undefined && privateKey !== undefined) {
    if (generateSelfSigned) d.fail('http.tls.generateSelfSigned', 'either upload a certificate or generate one, not both', 'field.certificateEither');
    const problems = checkUploadedCertificate(certificate, privateKey, s.now());
    for (const [field, messages] of Object.entries(problems)) for (const m of messages) d.fail(field, m, 'field.certificateUnusable');
    if (!Object.keys(problems).length) {
      d.next.http.tls = { ...d.next.http.tls, source: 'uploaded', certificate, privateKeySealed: s.secrets.seal(privateKey) };
      d.changed.push('http.tls.certificate');
      plainKey = privateKey;
    }
  } else if (generateSelfSigned) {
    const generated = await generateSelfSignedCertificate(s.now(), httpHostOf(d.next.http));
    d.next.http.tls = {
      ...d.next.http.tls,
      source: 'selfSigned',
      certificate: generated.certificate,
      privateKeySealed: s.secrets.seal(generated.privateKey),
    };
    d.changed.push('http.tls.certificate');
    plainKey = generated.privateKey;
  }
  d.set('http', 'tls', enabled === undefined ? undefined : { ...d.next.http.tls, enabled }, 'http.tls.enabled');
  if (d.next.http.tls.enabled && !d.next.http.tls.certificate) {
    d.fail('http.tls.enabled', 'upload a certificate and its key, or generate a self-signed certificate, before turning TLS on', 'field.tlsNeedsCertificate');
  }
  return plainKey;
}

function checkBackupFolder(d: Draft) {
  const folder = d.next.backup.folder;
  if (!d.has('backup.folder') || folder === null) return;
  if (!path.isAbsolute(folder)) return d.fail('backup.folder', 'must be an absolute path, e.g. D:\\Backups\\billing or /srv/backups', 'field.absolutePath');
  try {
    fs.mkdirSync(folder, { recursive: true });
    const probe = path.join(folder, `.write-test-${process.pid}`);
    fs.writeFileSync(probe, 'ok');
    fs.rmSync(probe);
  } catch (err) {
    d.fail('backup.folder', `cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`, 'field.folderNotWritable');
  }
}

function checkPorts(d: Draft, httpPortNow: number | undefined) {
  const bi = d.next.billingInterface;
  const httpPort = d.has('http.port') ? d.next.http.port : (httpPortNow ?? d.next.http.port);
  if (bi.enabled && bi.cdrPort === httpPort && (d.has('http.port') || d.has('billingInterface.cdrPort'))) {
    d.fail(d.has('http.port') ? 'http.port' : 'billingInterface.cdrPort', `port ${httpPort} is used by both the web server and the CDR listener`, 'field.portTwice', { port: httpPort });
  }
}

function invalid(fields: Record<string, Problem[]>): ApiError {
  const [field, problems] = Object.entries(fields)[0]!;
  return ApiError.keyed('invalid_input', 'api.invalidField', `Invalid settings: ${field} ${problems[0]!.text}`, { field }, fieldDetails(fields));
}

/** The key of a listen failure as describeBindError words it. */
function bindKey(err: unknown): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  return code === 'EADDRINUSE' ? 'field.portInUse' : code === 'EADDRNOTAVAIL' ? 'field.notLocalAddress' : code === 'EACCES' ? 'field.portPrivileged' : 'field.cannotListen';
}

/** The web server's next options: the active ones with the changed parts replaced (start overrides stay for the rest). */
function nextHttpOptions(s: Pick<SettingsUpdateDeps, 'secrets'>, d: Draft, active: HttpOptions, plainKey: string | undefined): HttpOptions {
  const host = d.has('http.remoteAccess') || (d.has('http.host') && d.next.http.remoteAccess) ? httpHostOf(d.next.http) : active.host;
  const port = d.has('http.port') ? d.next.http.port : active.port;
  let tls = active.tls;
  if (d.has('http.tls')) {
    const t = d.next.http.tls;
    tls = !t.enabled ? undefined : plainKey ? { cert: t.certificate!, key: plainKey } : tlsOptionsFrom(t, s.secrets);
  }
  return { host, port, ...(tls ? { tls } : {}) };
}

/** Which field a failed web server change is reported on. */
function httpField(d: Draft): string {
  if (d.has('http.port')) return 'http.port';
  if (d.has('http.remoteAccess') || d.has('http.host')) return d.has('http.host') ? 'http.host' : 'http.remoteAccess';
  return 'http.tls.certificate';
}

/** What `settings.update` uses: the settings and the web server (see SettingsViewDeps), secrets, the database, events. */
export interface SettingsUpdateDeps extends SettingsViewDeps {
  db: Sqlite;
  secrets: SecretBox;
  events: EventBus;
  now(): number;
}

/** The input's values into the draft (a password hashed, a certificate checked or generated); returns the plain TLS key. */
async function draftInput(s: SettingsUpdateDeps, d: Draft, input: UpdateInput): Promise<string | undefined> {
  if (input.billingInterface) await draftBillingInterface(s, d, input.billingInterface);
  let plainKey: string | undefined;
  if (input.http) {
    const { tls, ...plain } = input.http;
    for (const [key, value] of Object.entries(plain)) d.set('http', key as never, value);
    if (tls) plainKey = await draftTls(s, d, tls);
  }
  for (const [key, value] of Object.entries(input.currency ?? {})) d.set('currency', key as never, value);
  for (const [key, value] of Object.entries(input.retention ?? {})) d.set('retention', key as never, value);
  for (const [key, value] of Object.entries(input.bills ?? {})) d.set('bills', key as never, value);
  for (const [key, value] of Object.entries(input.backup ?? {})) d.set('backup', key as never, value);
  return plainKey;
}

/** Tries where the CDR listener would listen next, when that changes. */
async function checkCdrListener(d: Draft): Promise<void> {
  const bi = d.next.billingInterface;
  if (!bi.enabled || !(d.has('billingInterface.cdrPort') || d.has('billingInterface.host') || d.has('billingInterface.enabled'))) return;
  const portMoved = d.has('billingInterface.cdrPort') || d.has('billingInterface.enabled');
  try {
    // The CDR listener holds its current port; only a new port (or a new interface, on any port) can be tried.
    await tryBind(bi.host, portMoved ? bi.cdrPort : 0);
  } catch (err) {
    d.fail(portMoved ? 'billingInterface.cdrPort' : 'billingInterface.host', describeBindError(err, bi.host, bi.cdrPort), bindKey(err), { host: bi.host, port: bi.cdrPort });
  }
}

/**
 * Only what changes how the server listens moves it: a certificate stored while TLS is off, or an interface kept for
 * when remote access is on, waits until it is used.
 */
function touchesServer(d: Draft): boolean {
  return (
    d.has('http.port') ||
    d.has('http.remoteAccess') ||
    (d.has('http.host') && d.next.http.remoteAccess) ||
    d.has('http.tls.enabled') ||
    (d.has('http.tls.certificate') && d.next.http.tls.enabled)
  );
}

interface HttpChange {
  /** The web server at its next address, started beside the current one; applied after commit. */
  prepared?: PreparedHttpChange;
  /** Changed fields in effect once saved, and those that wait for the next start (no server runs in this process). */
  applied: string[];
  restartRequired: string[];
}

/** Prepares the web server's move when its listening changes (a failure is a field problem of the draft). */
async function prepareHttpChange(s: SettingsUpdateDeps, d: Draft, active: HttpOptions | undefined, plainKey: string | undefined): Promise<HttpChange> {
  const httpFields = d.changed.filter((c) => c.startsWith('http.'));
  const out: HttpChange = { applied: d.changed.filter((c) => !c.startsWith('http.')), restartRequired: [] };
  if (httpFields.length && active && touchesServer(d)) {
    const next = nextHttpOptions(s, d, active, plainKey);
    try {
      out.prepared = await s.httpServer.prepareChange(next);
      out.applied.push(...httpFields);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const message = code?.startsWith('E') ? describeBindError(err, next.host, next.port) : `cannot be used (${(err as Error).message})`;
      d.fail(httpField(d), message, code?.startsWith('E') ? bindKey(err) : 'field.cannotUse', { host: next.host, port: next.port });
    }
  } else if (httpFields.length) {
    (active ? out.applied : out.restartRequired).push(...httpFields);
  }
  return out;
}

/** What the clerk should know of the saved web server settings. */
function warningsOf(d: Draft): string[] {
  const warnings: string[] = [];
  if (d.next.http.remoteAccess && !d.next.http.tls.enabled) {
    warnings.push('Remote access is on without TLS: passwords and bills cross the network unencrypted. Turn TLS on.');
  }
  if (d.has('http.tls') && d.next.http.tls.enabled && d.next.http.tls.source === 'selfSigned') {
    warnings.push('Browsers warn about a self-signed certificate until it is trusted on each computer.');
  }
  return warnings;
}

/**
 * `settings.update`: merge, validate (fields, certificates, folders), try the new ports, save in one transaction,
 * then apply: the web server moves, listeners of each changed section are told, an event tells the UIs.
 */
export async function updateSettings(s: SettingsUpdateDeps, input: UpdateInput, ctx: CallContext): Promise<SettingsUpdateResult> {
  const d = new Draft(readAllSections(s));
  const beforeView = settingsView(s, d.before);
  const plainKey = await draftInput(s, d, input);
  checkBackupFolder(d);
  const active = s.httpServer.active;
  checkPorts(d, s.httpServer.activeAddress?.port);
  if (Object.keys(d.fields).length) throw invalid(d.fields);

  await checkCdrListener(d);
  const { prepared, applied, restartRequired } = await prepareHttpChange(s, d, active, plainKey);
  if (Object.keys(d.fields).length) {
    await prepared?.cancel();
    throw invalid(d.fields);
  }

  const sections = d.sectionsChanged();
  try {
    s.db.transaction(() => {
      for (const name of sections) s.settings.put(name, d.next[name] as never);
    })();
  } catch (err) {
    await prepared?.cancel();
    throw err;
  }
  const afterView = settingsView(s, d.next);
  const overrides = s.httpServer.startOverrides;
  const overriddenAtStart = d.changed.filter(
    (c) => (c === 'http.port' && overrides.port !== undefined) || ((c === 'http.host' || c === 'http.remoteAccess') && overrides.host !== undefined),
  );
  ctx.audit({
    target: 'settings',
    changed: d.changed,
    before: pickSections(beforeView, sections),
    after: pickSections(afterView, sections),
  });
  const httpUrl = prepared?.url;
  ctx.afterCommit(() => {
    prepared?.apply();
    for (const name of sections) s.settings.notify(name);
    s.events.emit('settings.changed', { sections, ...(httpUrl ? { httpUrl } : {}) });
  });
  return {
    settings: { ...afterView, http: { ...afterView.http, ...(prepared ? { active: activeAfter(prepared) } : {}) } },
    changed: d.changed,
    applied,
    restartRequired,
    overriddenAtStart,
    ...(httpUrl ? { httpUrl } : {}),
    warnings: warningsOf(d),
  };
}

function activeAfter(prepared: PreparedHttpChange) {
  const port = Number(/:(\d+)$/.exec(prepared.url)?.[1] ?? prepared.options.port);
  return { url: prepared.url, host: prepared.options.host, port, tls: Boolean(prepared.options.tls) };
}

function pickSections(view: ReturnType<typeof settingsView>, sections: SectionName[]) {
  const out: Record<string, unknown> = {};
  for (const name of sections) {
    const value = view[name] as Record<string, unknown>;
    if (name === 'http') {
      const { active: _active, startOverrides: _o, ...rest } = value as ReturnType<typeof settingsView>['http'];
      out[name] = rest;
    } else out[name] = value;
  }
  return out;
}
