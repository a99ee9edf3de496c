/** The current session as React state: re-renders on sign-in, refresh and sign-out (session.ts). */
import { useSyncExternalStore } from 'react';
import { getSession, onSessionChange, type Session } from './session';

export function useSession(): Session | null {
  return useSyncExternalStore(onSessionChange, getSession);
}
