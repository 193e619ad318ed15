/**
 * The renderer's one API client. `call('systemAccounts.list', {})` is typed from the contract in src-shared/api, so
 * the compiler follows a button to its handler. The transport is chosen at run time: Electron IPC when the preload
 * bridge (`window.billing`) exists, HTTP otherwise.
 */
import type { EventMap, EventName, InputOf, MethodName, OutputOf } from '../../../src-shared/api';
import { ApiError, type ErrorCode } from '../../../src-shared/api/errors';
import { httpTransport, ipcTransport, type Transport } from './transports';

let transport: Transport | null = null;

function currentTransport(): Transport {
  transport ??= typeof window !== 'undefined' && window.billing ? ipcTransport(window.billing) : httpTransport();
  return transport;
}

/** Replaces the transport (tests use an in-memory one). */
export function setTransport(next: Transport): void {
  transport = next;
}

export type SessionProblem = Extract<ErrorCode, 'unauthenticated' | 'password_change_required'>;
type SessionProblemListener = (problem: SessionProblem, method: MethodName) => void;
const sessionListeners = new Set<SessionProblemListener>();

// These calls answer `unauthenticated` as their normal result (wrong password, not logged in yet): no redirect.
const EXPECTS_UNAUTHENTICATED = new Set<MethodName>(['auth.login', 'auth.me', 'auth.logout']);

/**
 * Called for every `unauthenticated` or `password_change_required` error, wherever it happens, so the session
 * layer can send the user to the login page or the change-password screen.
 */
export function onSessionProblem(listener: SessionProblemListener): () => void {
  sessionListeners.add(listener);
  return () => {
    sessionListeners.delete(listener);
  };
}

/** Where a call is: sent, answered, or refused / failed. */
export type CallPhase = 'start' | 'success' | 'failure';
type CallListener = (method: MethodName, phase: CallPhase) => void;
const callListeners = new Set<CallListener>();

/**
 * Follows every call from this window (the query cache uses it to refresh what a mutation changed, whichever code
 * made the call). Listeners run synchronously: on success before the caller sees the result.
 */
export function observeCalls(listener: CallListener): () => void {
  callListeners.add(listener);
  return () => {
    callListeners.delete(listener);
  };
}

function tellCallListeners(method: MethodName, phase: CallPhase): void {
  for (const listener of callListeners) {
    try {
      listener(method, phase);
    } catch {
      // A listener's bug must not turn a successful call into a failed one.
    }
  }
}

export async function call<M extends MethodName>(method: M, input: InputOf<M>): Promise<OutputOf<M>> {
  tellCallListeners(method, 'start');
  try {
    const result = (await currentTransport().call(method, input)) as OutputOf<M>;
    tellCallListeners(method, 'success');
    return result;
  } catch (err) {
    tellCallListeners(method, 'failure');
    const error = err instanceof ApiError ? err : new ApiError('internal', err instanceof Error ? err.message : String(err));
    if (
      (error.code === 'unauthenticated' && !EXPECTS_UNAUTHENTICATED.has(method)) ||
      error.code === 'password_change_required'
    ) {
      for (const listener of sessionListeners) listener(error.code, method);
    }
    throw error;
  }
}

/** Subscribes to an engine event; returns the unsubscribe function. */
export function onEvent<E extends EventName>(name: E, handler: (data: EventMap[E]) => void): () => void {
  return currentTransport().on(name, handler as (data: unknown) => void);
}

/** Runs `handler` when the event stream is back after a break (events may have been missed meanwhile). */
export function onEventsReconnected(handler: () => void): () => void {
  return currentTransport().onReconnect(handler);
}

/** Opens the event stream once a session exists (the server refuses it before). */
export function connectEvents(): void {
  currentTransport().connectEvents();
}

export function disconnectEvents(): void {
  currentTransport().disconnectEvents();
}

export function transportKind(): Transport['kind'] {
  return currentTransport().kind;
}

export { ApiError };
