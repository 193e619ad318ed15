/** Shared by the adapter tests: the sample files in test/fixtures/cdr and the devices they come from. */
import fs from 'node:fs';
import type { CdrFormat, CdrParseResult, DeviceContext } from '../../../src-shared/domain/cdr';
import { parseCdrText } from './registry';

/** The README's worked example device: Beijing. */
export const BEIJING: DeviceContext = { deviceId: 'pbx-beijing', timeZone: 'Asia/Shanghai' };
export const BERLIN: DeviceContext = { deviceId: 'pbx-berlin', timeZone: 'Europe/Berlin' };
export const NEW_YORK: DeviceContext = { deviceId: 'pbx-new-york', timeZone: 'America/New_York' };

export function fixturePath(name: string): string {
  return new URL(`../../../test/fixtures/cdr/${name}`, import.meta.url).pathname;
}

export function fixtureText(name: string): string {
  return fs.readFileSync(fixturePath(name), 'utf8');
}

export function parseFixture(format: CdrFormat, name: string, device: DeviceContext = BEIJING): CdrParseResult {
  return parseCdrText(format, fixtureText(name), device);
}

export const utc = (iso: string): number => Date.parse(iso);
export const isoOf = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
