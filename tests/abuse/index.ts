/** Every hostile case of the abuse suite, from the per-surface tables. */
import type { AbuseCase } from './types';
import { httpCases } from './http';
import { inputCases } from './input';
import { websocketCases } from './websocket';

export const ABUSE_CASES: AbuseCase[] = [...httpCases, ...inputCases, ...websocketCases];
