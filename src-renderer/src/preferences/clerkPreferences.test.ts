import { beforeEach, describe, expect, it } from 'vitest';
import { readClerkPreferences, saveClerkPreferences } from './clerkPreferences';

// Node has no localStorage: a Map-backed one, as the browser's behaves for these calls.
const store = new Map<string, string>();
Object.assign(globalThis, {
  localStorage: {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, String(v)),
    removeItem: (k: string) => void store.delete(k),
  },
});

describe('clerk preferences', () => {
  beforeEach(() => store.clear());

  it('keeps each clerk their own language and zone, a change at a time', () => {
    saveClerkPreferences(1, { language: 'zh-CN' });
    saveClerkPreferences(1, { timeZone: 'Asia/Shanghai' });
    saveClerkPreferences(2, { language: 'en', timeZone: 'Europe/London' });
    expect(readClerkPreferences(1)).toEqual({ language: 'zh-CN', timeZone: 'Asia/Shanghai' });
    expect(readClerkPreferences(2)).toEqual({ language: 'en', timeZone: 'Europe/London' });
    expect(readClerkPreferences(3)).toEqual({});
  });

  it('ignores what is not its own shape', () => {
    store.set('billing.clerk.4.preferences', '{"language":7,"timeZone":"UTC"}');
    store.set('billing.clerk.5.preferences', 'not json');
    expect(readClerkPreferences(4)).toEqual({ timeZone: 'UTC' });
    expect(readClerkPreferences(5)).toEqual({});
  });
});
