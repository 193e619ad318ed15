/**
 * The rating service: everything `quoteCall` needs, built from the database once and kept until a change makes it
 * stale, so the charging pipeline can rate millions of calls without a database read per call.
 *
 * Per device: the compiled numbering plan with its route prefix rules, the attribution index of its country, the
 * special numbers of its country and the extensions known for it. Per rate group: the rate snapshot. Per (device,
 * group): the QuoteContext joining them. A change drops what it affects (`ratesChanged`, `routePrefixesChanged`...,
 * called from the mutations' afterCommit, and `data.changed` events of devices and extensions); the next call rebuilds.
 */
import type { AttributionState } from '../../src-shared/api/attribution';
import { ApiError } from '../../src-shared/api/errors';
import type { Device } from '../../src-shared/api/devices';
import { buildAttributionIndex, type AttributionIndex } from '../../src-shared/domain/numbers/attribution-index';
import { classifyCall, type CallClassification, type ClassifyContext } from '../../src-shared/domain/numbers/classify-call';
import { compileNumberingPlan } from '../../src-shared/domain/numbers/numbering-plan';
import { buildSpecialNumberIndex, type SpecialNumberIndex } from '../../src-shared/domain/numbers/special-numbers';
import { quoteCall, type CallQuote, type QuoteContext, type QuoteRequest } from '../../src-shared/domain/rating/quote';
import { buildRateSnapshot, type RateSnapshot } from '../../src-shared/domain/rating/rate-snapshot';
import type { Sqlite } from '../db/connection';
import { numberingPlanOf, type DeviceRepository } from '../devices/repository';
import type { EventBus } from '../events';
import type { Logger } from '../log';
import { AttributionRepository, type NamedAttributionRow } from './attribution/attribution-repository';
import { DefaultAttributionLoader, type GeneratedAttribution } from './attribution/default-attribution-loader';
import { RateRepository } from './rates/rate-repository';
import { RoutePrefixRepository } from './route-prefixes/route-prefix-repository';
import { SpecialNumberRepository } from './attribution/special-number-repository';

/**
 * Extension numbers known for a device (DESIGN §5.2: "an extension known for the device (or enterprise)"). The
 * accounts domain registers one with `setKnownExtensionsProvider` and calls `extensionsChanged` (or emits
 * `data.changed` with domain "extensions") when they change. Without a provider only the extension pattern applies.
 */
export type KnownExtensionsProvider = (deviceId: number) => ReadonlySet<string> | undefined;

/** A configuration change that makes rating data stale: what a second rating service (another thread) must drop too. */
export type RatingChange =
  | { kind: 'rates'; rateGroupId?: number }
  | { kind: 'device'; deviceId?: number }
  | { kind: 'attribution' }
  | { kind: 'specialNumbers' };

/** What the service keeps per device. */
export interface DeviceRatingContext {
  device: Device;
  classify: ClassifyContext;
  /** The same index as `classify.attribution`, whose rows carry English names too. */
  attribution: AttributionIndex;
}

export interface RateGroupSnapshot {
  group: { id: number; name: string; currency: string };
  rates: RateSnapshot;
}

/** What the rating service uses, and how it builds the default attribution data. */
export interface RatingServiceDeps {
  db: Sqlite;
  devices: DeviceRepository;
  events: EventBus;
  log: Logger;
  now(): number;
  /** Builds the default attribution data of a fresh install. */
  generateDefaultAttribution(): GeneratedAttribution;
  /** Builds and writes it in a child process running this script instead, when it exists (the bundled engine). */
  defaultAttributionWorker?: { script: string; dbFile: string };
}

export class RatingService {
  readonly rateRepo: RateRepository;
  readonly routePrefixRepo: RoutePrefixRepository;
  readonly attributionRepo: AttributionRepository;
  readonly specialNumberRepo: SpecialNumberRepository;
  readonly defaultAttribution: DefaultAttributionLoader;

  private readonly devicesById = new Map<number, DeviceRatingContext>();
  private readonly groupsById = new Map<number, RateGroupSnapshot>();
  /** device id -> rate group id -> context. */
  private readonly quoteContexts = new Map<number, Map<number, QuoteContext>>();
  private readonly attributionByCountry = new Map<string, AttributionIndex>();
  private readonly specialByCountry = new Map<string, SpecialNumberIndex>();
  private knownExtensions: KnownExtensionsProvider | null = null;
  private version = 0;
  private unsubscribe: (() => void) | null = null;
  private readonly changeListeners = new Set<(change: RatingChange) => void>();

  constructor(private readonly o: RatingServiceDeps) {
    this.rateRepo = new RateRepository(o.db);
    this.routePrefixRepo = new RoutePrefixRepository(o.db);
    this.attributionRepo = new AttributionRepository(o.db);
    this.specialNumberRepo = new SpecialNumberRepository(o.db);
    this.defaultAttribution = new DefaultAttributionLoader({
      attributionRepo: this.attributionRepo,
      log: o.log,
      now: o.now,
      generate: o.generateDefaultAttribution,
      ...(o.defaultAttributionWorker ? { worker: o.defaultAttributionWorker } : {}),
      onLoaded: () => this.attributionChanged(),
    });
  }

  /** Seeds the special numbers, starts loading the default attribution (first start) and follows device changes. */
  start(resourcesDir: string): void {
    if (this.specialNumberRepo.seedDefaults(resourcesDir, this.o.now())) this.o.log.info('Default special numbers loaded');
    this.unsubscribe = this.o.events.subscribe((message) => {
      if (message.event !== 'data.changed') return;
      const { domain, ids } = message.data as { domain: string; ids?: number[] };
      if (domain === 'devices') {
        if (ids?.length) ids.forEach((id) => this.deviceChanged(id));
        else this.deviceChanged();
      } else if (domain === 'extensions') this.extensionsChanged();
    });
    this.defaultAttribution.start();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.defaultAttribution.stop();
  }

  /** Resolves when the attribution data can be used (the default data of a fresh install has loaded, or failed to). */
  ready(): Promise<void> {
    return this.defaultAttribution.ready();
  }

  get attributionState(): AttributionState {
    return this.defaultAttribution.state;
  }

  /** Grows with every configuration change that can change a price (e.g. to tell a stale rating from a fresh one). */
  get configurationVersion(): number {
    return this.version;
  }

  setKnownExtensionsProvider(provider: KnownExtensionsProvider | null): void {
    this.knownExtensions = provider;
    this.extensionsChanged();
  }

  /**
   * Prices one call: normalize -> classify -> select rate -> rate, with the explanation. Synchronous and free of
   * database reads once the device and group were used; throws ApiError not_found for an unknown device or group and
   * unavailable while the default attribution data is still loading (await `ready()` before a batch).
   */
  quote(deviceId: number, rateGroupId: number, request: QuoteRequest): CallQuote {
    return quoteCall(request, this.quoteContext(deviceId, rateGroupId));
  }

  /** Normalizes and classifies a dialled number for a device, without rating it. */
  classify(deviceId: number, dialled: string): CallClassification {
    return classifyCall(dialled, this.deviceContext(deviceId).classify);
  }

  quoteContext(deviceId: number, rateGroupId: number): QuoteContext {
    let byGroup = this.quoteContexts.get(deviceId);
    const cached = byGroup?.get(rateGroupId);
    if (cached) return cached;
    const device = this.deviceContext(deviceId);
    const group = this.rateGroup(rateGroupId);
    const context: QuoteContext = { ...device.classify, rates: group.rates, timeZone: device.device.timeZone };
    if (!byGroup) this.quoteContexts.set(deviceId, (byGroup = new Map()));
    byGroup.set(rateGroupId, context);
    return context;
  }

  deviceContext(deviceId: number): DeviceRatingContext {
    const cached = this.devicesById.get(deviceId);
    if (cached) return cached;
    this.assertAttributionLoaded();
    const device = this.o.devices.get(deviceId);
    const plan = compileNumberingPlan({ ...numberingPlanOf(device), routePrefixRules: this.routePrefixRepo.rules(deviceId) });
    for (const problem of plan.problems) {
      this.o.log.warn('Numbering plan problem', { deviceId, path: problem.path, message: problem.message });
    }
    const attribution = this.attributionIndex(device.countryCode);
    const known = this.knownExtensions?.(deviceId);
    const context: DeviceRatingContext = {
      device,
      attribution,
      classify: {
        plan,
        attribution,
        specialNumbers: this.specialNumberIndex(device.countryCode),
        ...(known ? { knownExtensions: known } : {}),
      },
    };
    this.devicesById.set(deviceId, context);
    return context;
  }

  rateGroup(rateGroupId: number): RateGroupSnapshot {
    const cached = this.groupsById.get(rateGroupId);
    if (cached) return cached;
    const group = this.rateRepo.group(rateGroupId);
    const snapshot: RateGroupSnapshot = {
      group: { id: group.id, name: group.name, currency: group.currency },
      rates: buildRateSnapshot(this.rateRepo.rates(rateGroupId)),
    };
    if (snapshot.rates.skipped.length) {
      this.o.log.warn('Rates that can never match were left out', { rateGroupId, rateIds: snapshot.rates.skipped.map((r) => r.id) });
    }
    this.groupsById.set(rateGroupId, snapshot);
    return snapshot;
  }

  /** The attribution index of a country (what classification and `attribution.lookup` use). */
  attributionIndex(countryCode: string): AttributionIndex {
    let index = this.attributionByCountry.get(countryCode);
    if (!index) {
      this.assertAttributionLoaded();
      const rows: NamedAttributionRow[] = this.attributionRepo.indexRows(countryCode);
      index = buildAttributionIndex(countryCode, rows);
      this.attributionByCountry.set(countryCode, index);
    }
    return index;
  }

  private specialNumberIndex(countryCode: string): SpecialNumberIndex {
    let index = this.specialByCountry.get(countryCode);
    if (!index) {
      index = buildSpecialNumberIndex(this.specialNumberRepo.list(countryCode));
      this.specialByCountry.set(countryCode, index);
    }
    return index;
  }

  private assertAttributionLoaded(): void {
    if (this.defaultAttribution.state === 'loading') {
      throw ApiError.keyed('unavailable', 'api.attributionLoading', 'The default number attribution data is still loading (a few seconds after the first start); try again.');
    }
  }

  // Invalidation: drop what a change affects; the next call rebuilds it from the database.

  /** Tells `listener` of every change (the CDR writer's thread keeps its own rating data). */
  onChange(listener: (change: RatingChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Applies a change told by the rating service of another thread. */
  apply(change: RatingChange): void {
    if (change.kind === 'rates') this.ratesChanged(change.rateGroupId);
    else if (change.kind === 'device') this.deviceChanged(change.deviceId);
    else if (change.kind === 'attribution') this.attributionChanged();
    else this.specialNumbersChanged();
  }

  private tell(change: RatingChange): void {
    for (const listener of this.changeListeners) listener(change);
  }

  ratesChanged(rateGroupId?: number): void {
    this.tell({ kind: 'rates', ...(rateGroupId === undefined ? {} : { rateGroupId }) });
    this.version++;
    if (rateGroupId === undefined) {
      this.groupsById.clear();
      this.quoteContexts.clear();
      return;
    }
    this.groupsById.delete(rateGroupId);
    for (const byGroup of this.quoteContexts.values()) byGroup.delete(rateGroupId);
  }

  deviceChanged(deviceId?: number): void {
    this.tell({ kind: 'device', ...(deviceId === undefined ? {} : { deviceId }) });
    this.version++;
    if (deviceId === undefined) {
      this.devicesById.clear();
      this.quoteContexts.clear();
      return;
    }
    this.devicesById.delete(deviceId);
    this.quoteContexts.delete(deviceId);
  }

  routePrefixesChanged(deviceId: number): void {
    this.deviceChanged(deviceId);
  }

  extensionsChanged(deviceId?: number): void {
    this.deviceChanged(deviceId);
  }

  attributionChanged(): void {
    this.tell({ kind: 'attribution' });
    this.attributionByCountry.clear();
    this.deviceChanged();
  }

  specialNumbersChanged(): void {
    this.tell({ kind: 'specialNumbers' });
    this.specialByCountry.clear();
    this.deviceChanged();
  }
}
