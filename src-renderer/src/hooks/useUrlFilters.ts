import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';

/**
 * List filters kept in the URL's search params, so a view can be bookmarked or sent to a colleague:
 *
 *   const [filters, setFilters] = useUrlFilters({ from: '', to: '', user: '' });
 *   setFilters({ user: 'alice' });   // -> #/system/login-log?user=alice
 *
 * Values are strings; a value equal to its default is left out of the URL. Changes replace the history entry
 * (typing in a filter should not fill the back button).
 */
export function useUrlFilters<T extends Record<string, string>>(defaults: T): [T, (patch: Partial<T>) => void] {
  const [params, setParams] = useSearchParams();
  // Callers pass an object literal; its contents, not its identity, decide the defaults.
  const defaultsKey = JSON.stringify(defaults);
  const stableDefaults = useMemo(() => JSON.parse(defaultsKey) as T, [defaultsKey]);

  const filters = useMemo(() => {
    const values = { ...stableDefaults };
    for (const key of Object.keys(stableDefaults) as (keyof T & string)[]) {
      const value = params.get(key);
      if (value !== null) values[key] = value as T[typeof key];
    }
    return values;
  }, [params, stableDefaults]);

  const setFilters = useCallback(
    (patch: Partial<T>) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(patch)) {
            if (value === undefined || value === stableDefaults[key]) next.delete(key);
            else next.set(key, value);
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams, stableDefaults],
  );

  return [filters, setFilters];
}
