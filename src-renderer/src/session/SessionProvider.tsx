import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { SessionUser } from '../../../src-shared/api/auth';
import { WRITE, type Role } from '../../../src-shared/api/contract';
import { ApiError } from '../../../src-shared/api/errors';
import { call, connectEvents, disconnectEvents, onEvent, onSessionProblem } from '../api/client';

/** Why the user is on the login page, for the message shown there. */
export type SessionEndReason = 'expired' | 'logged_out' | 'ended_elsewhere';

export type SessionState =
  | { status: 'loading' }
  | { status: 'anonymous'; endReason?: SessionEndReason }
  | { status: 'authenticated'; user: SessionUser }
  | { status: 'unreachable'; error: ApiError };

export interface Session {
  state: SessionState;
  /** The logged-in user, or null. */
  user: SessionUser | null;
  login(username: string, password: string): Promise<SessionUser>;
  logout(): Promise<void>;
  /** After the forced (or a voluntary) password change succeeded. */
  passwordChanged(): void;
  /** Asks the server again who is logged in (start-up, retry after the server was unreachable). */
  refresh(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

/**
 * Holds who is logged in. The server is the source of truth: at start `auth.me` decides; afterwards any
 * `unauthenticated` answer (expired or ended session) drops to the login page and `password_change_required`
 * to the change-password screen, wherever the call came from.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(async () => {
    try {
      const user = await call('auth.me', {});
      setState({ status: 'authenticated', user });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'unauthenticated') setState({ status: 'anonymous' });
      else setState({ status: 'unreachable', error: err instanceof ApiError ? err : new ApiError('internal', String(err)) });
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(
    () =>
      onSessionProblem((problem) => {
        setState((current) => {
          if (problem === 'unauthenticated') return { status: 'anonymous', endReason: 'expired' };
          if (current.status !== 'authenticated') return current;
          return { status: 'authenticated', user: { ...current.user, mustChangePassword: true } };
        });
      }),
    [],
  );

  const userId = state.status === 'authenticated' ? state.user.id : null;
  useEffect(() => {
    if (userId === null) return undefined;
    connectEvents();
    // The engine also reports this session's own logout; only other reasons mean "ended elsewhere".
    const unsubscribe = onEvent('session.ended', ({ reason }) =>
      setState({ status: 'anonymous', endReason: reason === 'logout' ? 'logged_out' : 'ended_elsewhere' }),
    );
    return () => {
      unsubscribe();
      disconnectEvents();
    };
  }, [userId]);

  const login = useCallback(async (username: string, password: string) => {
    const result = await call('auth.login', { username, password });
    setState({ status: 'authenticated', user: result.user });
    return result.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await call('auth.logout', {});
    } catch {
      // Logging out of a session that already ended is still logging out.
    }
    setState({ status: 'anonymous', endReason: 'logged_out' });
  }, []);

  const passwordChanged = useCallback(() => {
    setState((current) =>
      current.status === 'authenticated' ? { status: 'authenticated', user: { ...current.user, mustChangePassword: false } } : current,
    );
  }, []);

  const value = useMemo<Session>(
    () => ({
      state,
      user: state.status === 'authenticated' ? state.user : null,
      login,
      logout,
      passwordChanged,
      refresh,
    }),
    [state, login, logout, passwordChanged, refresh],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a SessionProvider');
  return session;
}

/** What the logged-in role may do; pages hide write actions with `canWrite`. */
export function usePermissions(): { role: Role | null; canWrite: boolean; isAdmin: boolean; may(roles: readonly Role[]): boolean } {
  const { user } = useSession();
  const role = user?.role ?? null;
  return {
    role,
    canWrite: role !== null && WRITE.includes(role),
    isAdmin: role === 'admin',
    may: (roles) => role !== null && roles.includes(role),
  };
}
