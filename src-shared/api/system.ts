import { z } from 'zod';
import { method } from './contract';
import type { IsoTime } from './common';

export interface Ping {
  now: IsoTime;
  version: string;
}

export const systemMethods = {
  'system.ping': method<Ping>()({
    input: z.object({}),
    access: 'session',
    mutation: false,
    summary: 'Cheapest authenticated call: server time and version (health checks, keep-alive).',
    returns: '{ now, version }',
  }),
} as const;
