import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { DEFAULT_CURRENCY } from '../format/money';
import { isValidTimeZone, workstationTimeZone } from '../format/time';

const TIME_ZONE_KEY = 'billing.timeZone';

export interface Preferences {
  /** The IANA zone every time on screen is shown in (DESIGN.md: default is the workstation's). */
  timeZone: string;
  setTimeZone(zone: string): void;
  /** ISO 4217 code money is shown in. */
  currency: string;
}

const PreferencesContext = createContext<Preferences | null>(null);

function storedTimeZone(): string {
  try {
    const stored = localStorage.getItem(TIME_ZONE_KEY);
    if (stored && isValidTimeZone(stored)) return stored;
  } catch {
    // Storage can be unavailable (privacy mode); the workstation's zone is the right default then.
  }
  return workstationTimeZone();
}

export function PreferencesProvider({ children }: { children: ReactNode }) {
  const [timeZone, setZoneState] = useState(storedTimeZone);
  const setTimeZone = useCallback((zone: string) => {
    if (!isValidTimeZone(zone)) return;
    setZoneState(zone);
    try {
      localStorage.setItem(TIME_ZONE_KEY, zone);
    } catch {
      // Not remembered, but still applied for this visit.
    }
  }, []);
  // The currency becomes a server setting (settings.get) once the Settings page exists; until then the default.
  const value = useMemo(() => ({ timeZone, setTimeZone, currency: DEFAULT_CURRENCY }), [timeZone, setTimeZone]);
  return <PreferencesContext.Provider value={value}>{children}</PreferencesContext.Provider>;
}

export function usePreferences(): Preferences {
  const preferences = useContext(PreferencesContext);
  if (!preferences) throw new Error('usePreferences needs a PreferencesProvider');
  return preferences;
}
