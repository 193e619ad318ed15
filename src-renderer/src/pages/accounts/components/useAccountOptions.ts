import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { ANNOUNCED_STALE_MS } from '../../../api/invalidation';
import { useApiQuery } from '../../../hooks/useApiQuery';

export interface AccountOption {
  value: string;
  label: string;
}

/** The account kinds picked by name in a searchable select, with the methods that find them. */
const METHODS = {
  enterprise: { list: 'enterprises.list', get: 'enterprises.get' },
  user: { list: 'userAccounts.list', get: 'userAccounts.get' },
} as const;

/**
 * The options of an account picker kept as an id (text, as URL filters and forms hold it): the first 50 matches of
 * the search, and the chosen account even when it is not among them (it came from the URL) — its name is then loaded
 * by id, or remembered from the pick. Names only: a rename is announced, so answers are reused for a while.
 */
export function useAccountOptions<R extends { id: number }>(kind: keyof typeof METHODS, value: string, optionOf: (row: R) => AccountOption) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 300);
  const { list, get } = METHODS[kind];
  const found = useApiQuery(list, { q: debounced.trim() || undefined, limit: 50 }, { staleTime: ANNOUNCED_STALE_MS });
  const options = useMemo(() => ((found.data?.rows ?? []) as unknown as R[]).map(optionOf), [found.data, optionOf]);
  const [picked, setPicked] = useState<AccountOption | null>(null);

  const listed = options.some((o) => o.value === value);
  const needName = Boolean(value) && !listed && picked?.value !== value;
  const chosen = useApiQuery(get, { id: Number(value) }, { enabled: needName, staleTime: ANNOUNCED_STALE_MS });
  const chosenRow = chosen.data as unknown as R | undefined;
  let current: AccountOption | null = null;
  if (value && !listed) {
    if (picked?.value === value) current = picked;
    else if (chosenRow?.id === Number(value)) current = optionOf(chosenRow);
    else if (chosen.error) current = { value, label: `#${value}` };
  }
  const data = current ? [current, ...options] : options;
  /** Remembers the picked option (its name shows without asking again) and returns its id, '' when cleared. */
  const pick = (next: string | null): string => {
    setPicked(data.find((o) => o.value === next) ?? null);
    return next ?? '';
  };
  return { data, search, setSearch, pick };
}
