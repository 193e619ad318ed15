/**
 * What makes a CDR store charge and count what it stores, the same on the engine's thread and in the CDR writer's
 * thread: classification knows the configured extensions, each new CDR is priced before it is stored (charging.ts),
 * and each batch's callers are counted for the extensions that call but are not configured (extensions.unknown).
 * Whatever a stored batch must also do is added here, so that both stores do it.
 */
import type { Sqlite } from '../db/connection';
import { CallerSightings } from '../accounts/unknown-extensions';
import type { CdrStore } from '../ingest/store';
import type { RatingService } from '../rating/rating-service';
import { knownExtensionsOf, type ChargingPipeline } from './charging';

/** Installs charging and the caller sightings on `store`; returns a function that removes them. */
export function chargeWhatIsStored(parts: { db: Sqlite; cdrStore: CdrStore; rating: RatingService; charging: ChargingPipeline }): () => void {
  parts.rating.setKnownExtensionsProvider(knownExtensionsOf(parts.db));
  const sightings = new CallerSightings(parts.db);
  const removeCharger = parts.cdrStore.setCharger(parts.charging);
  const removeSightings = parts.cdrStore.addProcessor((ids) => sightings.recordBatch(ids));
  return () => {
    removeSightings();
    removeCharger();
  };
}
