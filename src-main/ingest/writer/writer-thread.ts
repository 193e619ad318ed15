/**
 * The CDR writer thread (bundled as dist/main/cdr-writer.cjs, started by worker-writer.ts): its own connection to the
 * engine's database, with the store, charging, rating and statistics rollups that a batch needs, so the engine's main
 * thread only parses and answers. Requests are handled one at a time, in the order sent; each is answered after its
 * commit. Balance alerts and log lines are sent to the engine, which announces and writes them.
 *
 * What the engine's thread changes and this thread must know: rating configuration (`ratingChanged`, the same drops
 * as the engine's own rating service), the purge horizon (`horizon`), and when the rating data has loaded
 * (`chargingReady`). The statistics state (zone, rebuild progress) is read again inside each transaction, so a
 * rollup build or rebuild on the engine's thread and the counts written here never miss or double a call.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { BalanceAlerts } from '../../accounts/alerts';
import { Ledger } from '../../accounts/ledger';
import { AccountRepository } from '../../accounts/repository';
import { ChargingPipeline } from '../../charging/charging';
import { chargeWhatIsStored } from '../../charging/store-charging';
import { systemClock } from '../../clock';
import { openConnection } from '../../db/connection';
import { DeviceRepository } from '../../devices/repository';
import { EventBus } from '../../events';
import type { Logger, LogLevel } from '../../log';
import { RatingService } from '../../rating/rating-service';
import { SecretBox } from '../../secrets';
import { StatsRollups } from '../../statistics/rollups';
import { SftpFileProgress } from '../sftp-repository';
import { CdrStore } from '../store';
import type { FromWriter, ToWriter, WriterThreadData } from './protocol';
import { StoreRequests } from './store-requests';

const port = parentPort!;
const { dbFile, dataDir } = workerData as WriterThreadData;
const send = (message: FromWriter) => port.postMessage(message);

function threadLogger(): Logger {
  const line = (level: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    try {
      send({ type: 'log', level, msg, ...(fields ? { fields } : {}) });
    } catch {
      send({ type: 'log', level, msg, fields: { detail: String(JSON.stringify(fields)) } });
    }
  };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error'), close() {} };
}

const db = openConnection(dbFile);
const log = threadLogger();
const events = new EventBus();
events.subscribe((message, audience) => send({ type: 'event', message, audience }));
// Instants come with each request (the receiving side's clock); this clock only serves what has no request.
const now = systemClock;
const devices = new DeviceRepository(db, new SecretBox(dataDir));
const rating = new RatingService({
  db,
  devices,
  events,
  log,
  now,
  // The engine's thread loads the default attribution data; this thread starts charging once it says so.
  generateDefaultAttribution: () => {
    throw new Error('the default attribution data is loaded by the engine');
  },
});
const ledger = new Ledger(db);
const accountRepo = new AccountRepository(db);
const rollups = new StatsRollups(db);
let chargingReady = false;
const charging = new ChargingPipeline({
  db,
  rating,
  ledger,
  balanceAlerts: new BalanceAlerts({ accountRepo, ledger, events }),
  log,
  rollups,
  now,
  // Until the engine says its rating data is loaded, CDRs are stored pending (the engine charges them after).
  chargingAllowed: () => chargingReady,
});
const store = new CdrStore(db, now);
chargeWhatIsStored({ db, cdrStore: store, rating, charging });
let receivedAt = 0;
const requests = new StoreRequests({
  db,
  store,
  progress: new SftpFileProgress(db, () => receivedAt),
  beforeEach: (request) => {
    receivedAt = request.options.receivedAt;
    rollups.reload();
  },
});

port.on('message', (message: ToWriter) => {
  switch (message.type) {
    case 'store':
      send({ type: 'stored', id: message.id, outcomes: requests.run(message.requests, message.group) });
      break;
    case 'horizon':
      store.setRetentionHorizon(message.startedBefore);
      break;
    case 'ratingChanged':
      rating.apply(message.change);
      break;
    case 'chargingReady':
      chargingReady = true;
      send({ type: 'done', id: message.id });
      break;
    case 'close':
      port.close();
      db.close();
      break;
  }
});
send({ type: 'ready' });
