/**
 * Direction of an Asterisk CDR, with the reason shown in the CDR's detail.
 *
 * Asterisk does not write a direction. The device's settings decide it first (trunk channel patterns, inbound
 * contexts); without them it is guessed from the context and the two channels. The old guess took every channel
 * whose peer is a short number for an extension, so a trunk named by its account number (`SIP/211553`) made calls
 * from outside "internal" or "outbound": now a numeric peer is an extension only when it matches the device's
 * extension pattern, or (without one) when the party on it is not an outside number.
 */
import type { CallDirection } from '../../../src-shared/domain/cdr';
import { channelEndpoint, isConsoleChannel } from './normalize';

export interface DirectionSettings {
  trunkChannels: readonly string[];
  inboundContexts: readonly string[];
  /** The device's extension pattern, matched whole; null when the device has none (or it does not compile). */
  extensionPattern: RegExp | null;
}

export interface DirectionGuess {
  direction: CallDirection;
  reason: string;
  trunkIn?: string;
  trunkOut?: string;
}

export interface DirectionInput {
  channel: string;
  dstchannel: string;
  dcontext: string;
  caller: string;
  callee: string;
}

/** Contexts FreePBX and common Asterisk dialplans use where calls from outside enter. */
const USUAL_INBOUND_CONTEXTS = [
  'from-trunk', 'from-trunk-*', 'from-pstn', 'from-pstn-*', 'from-external', 'from-external-*', 'from-did', 'from-did-*',
  'ext-did', 'ext-did-*', 'from-sip-external', 'from-digital', 'from-analog', 'from-zaptel', 'from-dahdi',
];

const EXTENSION_SHAPE_RE = /^\d{2,6}$/;
const OUTSIDE_NUMBER_RE = /^\+?\d{7,}$/;

/** `*` stands for any text; case is ignored (`sip/…` and `SIP/…` are the same technology to an integrator). */
export function globMatcher(pattern: string): RegExp {
  const source = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${source}$`, 'i');
}

export function extensionMatcher(pattern: string | undefined): RegExp | null {
  if (pattern === undefined || pattern === '') return null;
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return null; // the device screen validates it; a bad one here only loses the hint
  }
}

interface Party {
  kind: 'trunk' | 'extension' | 'other' | 'none';
  /** Peer name as stored for trunks: `trunk-cn`, `211553`, `DAHDI/1`. */
  name: string;
  why: string;
}

export class AsteriskDirection {
  private readonly trunks: { pattern: string; re: RegExp; peerOnly: boolean }[];
  private readonly inbound: { pattern: string; re: RegExp }[];
  private readonly usualInbound = new RegExp(USUAL_INBOUND_CONTEXTS.map((c) => globMatcher(c).source).join('|'), 'i');

  constructor(private readonly settings: DirectionSettings) {
    this.trunks = settings.trunkChannels.map((pattern) => ({ pattern, re: globMatcher(pattern), peerOnly: !pattern.includes('/') }));
    this.inbound = settings.inboundContexts.map((pattern) => ({ pattern, re: globMatcher(pattern) }));
  }

  decide(input: DirectionInput): DirectionGuess {
    const source = this.party(input.channel, input.caller, true);
    // A call from a trunk rings extensions, while its dst is often the DID (an outside-looking number).
    const destination = this.party(input.dstchannel, input.callee, source.kind !== 'trunk');
    const trunkIn = source.kind === 'trunk' ? source.name : undefined;
    const trunkOut = destination.kind === 'trunk' ? destination.name : undefined;
    const guess = (direction: CallDirection, reason: string): DirectionGuess => ({ direction, reason, trunkIn, trunkOut });

    const inboundContext = this.inbound.find((c) => c.re.test(input.dcontext));
    if (inboundContext) return guess('inbound', `context '${input.dcontext}' is one of the device's inbound contexts ('${inboundContext.pattern}')`);
    if (source.kind === 'trunk') return guess('inbound', source.why);
    if (destination.kind === 'trunk') return guess('outbound', `destination ${destination.why}`);
    if (this.usualInbound.test(input.dcontext)) {
      return guess('inbound', `guess: context '${input.dcontext}' is named like a context where calls from outside enter`);
    }
    if (source.kind === 'extension' && destination.kind === 'extension') {
      return guess('internal', `${source.why}, destination ${destination.why}`);
    }
    if (source.kind === 'extension') {
      if (OUTSIDE_NUMBER_RE.test(input.callee)) return guess('outbound', `${source.why}, and '${input.callee}' is an outside number`);
      if (this.settings.extensionPattern?.test(input.callee)) {
        return guess('internal', `${source.why}, and '${input.callee}' matches the device's extension pattern`);
      }
      return guess('unknown', `${source.why}; no destination channel tells where '${input.callee}' is`);
    }
    return this.fromNumbers(input, guess);
  }

  /** Neither channel tells (Local channels, none): the shapes of the numbers. */
  private fromNumbers(input: DirectionInput, guess: (d: CallDirection, reason: string) => DirectionGuess): DirectionGuess {
    const callerInside = this.isExtensionNumber(input.caller);
    const calleeInside = this.isExtensionNumber(input.callee);
    if (callerInside && OUTSIDE_NUMBER_RE.test(input.callee)) return guess('outbound', `guess: extension '${input.caller}' called the outside number '${input.callee}'`);
    if (OUTSIDE_NUMBER_RE.test(input.caller) && calleeInside) return guess('inbound', `guess: the outside number '${input.caller}' called extension '${input.callee}'`);
    return guess('unknown', 'no channel, context or number shape tells the direction');
  }

  private isExtensionNumber(number: string): boolean {
    const pattern = this.settings.extensionPattern;
    return pattern ? pattern.test(number) : EXTENSION_SHAPE_RE.test(number);
  }

  /**
   * What a channel connects to; `number` is the party's number on it (caller for the source, callee for the
   * destination). A numeric peer whose party is another, outside number is a trunk named by its account number.
   */
  private party(channel: string, number: string, numericTrunkPossible: boolean): Party {
    if (channel === '') return { kind: 'none', name: '', why: 'no channel' };
    const endpoint = channelEndpoint(channel);
    if (endpoint === null || endpoint.kind === 'other') return { kind: 'other', name: endpoint?.name ?? '', why: `channel '${channel}' is not a device` };
    if (isConsoleChannel(channel)) return { kind: 'extension', name: endpoint.name, why: `channel '${channel}' is the PBX's own console` };
    const slash = channel.indexOf('/');
    const technology = channel.slice(0, slash);
    const peer = endpoint.name.startsWith(`${technology}/`) ? endpoint.name.slice(technology.length + 1) : endpoint.name;
    if (this.trunks.length > 0) {
      const trunk = this.trunks.find((t) => t.re.test(t.peerOnly ? peer : channel) || (!t.peerOnly && t.re.test(`${technology}/${peer}`)));
      if (trunk) return { kind: 'trunk', name: endpoint.name, why: `channel '${channel}' matches the device's trunk channel pattern '${trunk.pattern}'` };
      return { kind: 'extension', name: peer, why: `channel '${channel}' matches none of the device's trunk channel patterns` };
    }
    if (endpoint.kind === 'trunk') return { kind: 'trunk', name: endpoint.name, why: `guess: channel '${channel}' is a trunk (its peer '${peer}' is a name or a line, not an extension number)` };
    // A numeric peer: an extension, or a trunk named by its account number.
    const pattern = this.settings.extensionPattern;
    if (pattern !== null) {
      return pattern.test(peer)
        ? { kind: 'extension', name: peer, why: `channel '${channel}' is extension ${peer} (device extension pattern)` }
        : { kind: 'trunk', name: peer, why: `guess: channel '${channel}' is a trunk (peer '${peer}' does not match the device's extension pattern)` };
    }
    if (numericTrunkPossible && OUTSIDE_NUMBER_RE.test(number) && number !== peer) {
      return { kind: 'trunk', name: peer, why: `guess: channel '${channel}' is a trunk named by number (its party '${number}' is an outside number)` };
    }
    return { kind: 'extension', name: peer, why: `guess: channel '${channel}' is extension ${peer}` };
  }
}
