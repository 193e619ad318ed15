/**
 * FreeSWITCH mod_cdr_csv with the stock "example" template (every field quoted, numbers too):
 * caller_id_name, caller_id_number, destination_number, context, start_stamp, answer_stamp, end_stamp, duration,
 * billsec, hangup_cause, uuid, bleg_uuid, accountcode, read_codec, write_codec. Stamps are device-local.
 */
import type { DeviceContext, RecordPosition } from '../../../src-shared/domain/cdr';
import {
  completeCallTimes,
  DeviceTimeReader,
  directionFromNumbers,
  dispositionFromCauseName,
  finishCdr,
  secondsField,
} from './normalize';
import { DelimitedLineParser, fieldAt } from './record-parsers';
import type { CdrAdapter, ParseOutcome } from './types';

const COLUMN = {
  callerIdName: 0,
  callerIdNumber: 1,
  destinationNumber: 2,
  context: 3,
  startStamp: 4,
  answerStamp: 5,
  endStamp: 6,
  duration: 7,
  billsec: 8,
  hangupCause: 9,
  uuid: 10,
  blegUuid: 11,
  accountCode: 12,
} as const;

/** Up to the uuid; the codec columns are not needed for billing. */
const REQUIRED_COLUMNS = COLUMN.uuid + 1;

class FreeswitchCsvParser extends DelimitedLineParser {
  private readonly times: DeviceTimeReader;

  constructor(device: DeviceContext) {
    super('freeswitch-csv', device);
    this.times = new DeviceTimeReader(device.timeZone);
  }

  protected readFields(fields: string[], raw: string, position: RecordPosition, out: ParseOutcome): void {
    if (fields.length < REQUIRED_COLUMNS) {
      out.reject(raw, position, `expected ${REQUIRED_COLUMNS} or more columns (example template), found ${fields.length}`);
      return;
    }
    const startWallMs = this.times.wallClock('start_stamp', fields[COLUMN.startStamp]!);
    const startMs = this.times.fromWallClock('start_stamp', startWallMs);
    const answerMs = this.times.localOrNull('answer_stamp', fields[COLUMN.answerStamp]!);
    const endText = fields[COLUMN.endStamp]!;
    const callTimes = completeCallTimes({
      startMs,
      answerMs,
      endMs: endText === '' ? undefined : this.times.local('end_stamp', endText),
      duration: secondsField('duration', fields[COLUMN.duration]!),
      billsec: secondsField('billsec', fields[COLUMN.billsec]!),
    });
    const caller = fields[COLUMN.callerIdNumber]!;
    const callee = fields[COLUMN.destinationNumber]!;
    const cause = fields[COLUMN.hangupCause]!;
    const uuid = fields[COLUMN.uuid]!;
    const answered = callTimes.billsec > 0 || callTimes.answerMs !== null;
    out.cdrs.push(
      finishCdr(
        {
          nativeId: uuid !== '' ? uuid : null,
          ...callTimes,
          startWallMs,
          caller,
          callerName: fields[COLUMN.callerIdName]!,
          callee,
          // The "public" context is where FreeSWITCH puts calls arriving from outside.
          direction: fields[COLUMN.context] === 'public' ? 'inbound' : directionFromNumbers(caller, callee),
          disposition: answered ? 'answered' : dispositionFromCauseName(cause),
          cause,
          accountCode: fieldAt(fields, COLUMN.accountCode),
          raw,
          position,
        },
        this.device,
        this.format,
      ),
    );
  }
}

export const freeswitchCsvAdapter: CdrAdapter = {
  format: 'freeswitch-csv',
  framing: 'line',
  description: 'FreeSWITCH mod_cdr_csv, "example" template',
  createParser: (device) => new FreeswitchCsvParser(device),
};
