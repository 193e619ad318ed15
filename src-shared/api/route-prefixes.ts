import { z } from 'zod';
import { method, READ, WRITE } from './contract';
import { id, type IsoTime, type Ok } from './common';
import { keyed } from './messages';

const prefix = z.string().trim().regex(/^\d{1,15}$/, keyed('field.routePrefix', 'must be 1 to 15 digits, e.g. 9'));
const replacement = z
  .string()
  .trim()
  .regex(/^\+?\d{0,15}$/, keyed('field.routeReplacement', 'must be digits (an optional leading +), or empty to strip the prefix'));
const minRemainingLength = z.number().int().min(0).max(20);
const position = z.number().int().min(1).max(1000);
const notes = z.string().max(500);

/** A route prefix rule of a device (DESIGN §5.1), tried in `position` order; the first that applies rewrites. */
export interface RoutePrefix {
  id: number;
  deviceId: number;
  /** 1, 2, ... without gaps. */
  position: number;
  prefix: string;
  minRemainingLength: number;
  replacement: string;
  notes: string;
  createdAt: IsoTime;
  updatedAt: IsoTime;
}

export const routePrefixMethods = {
  'routePrefixes.list': method<RoutePrefix[]>()({
    input: z.object({ deviceId: id }),
    access: READ,
    mutation: false,
    summary: "A device's route prefix rules in the order they are tried.",
    returns: 'RoutePrefix[]',
  }),
  'routePrefixes.create': method<RoutePrefix>()({
    input: z.object({
      deviceId: id,
      prefix,
      minRemainingLength: minRemainingLength.default(0),
      replacement: replacement.default(''),
      /** Where the rule goes (1 = tried first); the rules from there move down. Default: last. */
      position: position.optional(),
      notes: notes.default(''),
    }),
    access: WRITE,
    mutation: true,
    summary:
      'Add a rule: a called number starting with `prefix` followed by at least `minRemainingLength` digits has the ' +
      'prefix replaced by `replacement` ("" strips it). Takes effect for the next rating.',
    returns: 'RoutePrefix',
  }),
  'routePrefixes.update': method<RoutePrefix>()({
    input: z.object({
      id,
      prefix: prefix.optional(),
      minRemainingLength: minRemainingLength.optional(),
      replacement: replacement.optional(),
      /** Moves the rule to this place in the order (the others shift). */
      position: position.optional(),
      notes: notes.optional(),
    }),
    access: WRITE,
    mutation: true,
    summary: 'Change a rule or move it in the order; omitted fields keep their value.',
    returns: 'RoutePrefix',
  }),
  'routePrefixes.delete': method<Ok>()({
    input: z.object({ id }),
    access: WRITE,
    mutation: true,
    summary: 'Delete a rule; the rules after it move up.',
    returns: '{ ok: true }',
  }),
} as const;
