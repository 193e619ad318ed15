/**
 * Each clerk's own language and time zone, kept on this workstation under the clerk's account id: a workstation
 * shared by a day and a night shift, or by a Beijing clerk and a London one, shows each the screens they chose,
 * from their login on. (Without an account, the login page follows the last choice made on the workstation.)
 */
export interface ClerkPreferences {
  language?: string;
  timeZone?: string;
}

const keyOf = (userId: number) => `billing.clerk.${userId}.preferences`;

export function readClerkPreferences(userId: number): ClerkPreferences {
  try {
    const parsed = JSON.parse(localStorage.getItem(keyOf(userId)) ?? '{}') as unknown;
    if (typeof parsed !== 'object' || parsed === null) return {};
    const { language, timeZone } = parsed as Record<string, unknown>;
    return { ...(typeof language === 'string' ? { language } : {}), ...(typeof timeZone === 'string' ? { timeZone } : {}) };
  } catch {
    // Unreadable or unavailable storage: the workstation's choice applies.
    return {};
  }
}

export function saveClerkPreferences(userId: number, change: ClerkPreferences): void {
  try {
    localStorage.setItem(keyOf(userId), JSON.stringify({ ...readClerkPreferences(userId), ...change }));
  } catch {
    // Not remembered, but still applied for this visit.
  }
}
