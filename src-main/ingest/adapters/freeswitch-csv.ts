/**
 * FreeSWITCH mod_cdr_csv with the stock "example" template (every field quoted, numbers too):
 * caller_id_name, caller_id_number, destination_number, context, start_stamp, answer_stamp, end_stamp, duration,
 * billsec, hangup_cause, uuid, bleg_uuid, accountcode, read_codec, write_codec; or the module's built-in "default"
 * template, the same without the two codec columns (it writes `", "` before the account code). Stamps are
 * device-local. A line of any other column count is a reject: it is not one of these templates.
 *
 * With `legs="ab"` both channels of a call write a line: the A leg's names its B leg in `bleg_uuid`, the B leg's has
 * it empty. The device's `billedLeg` setting says which is charged; the store links the two (see ../call-legs.ts).
 */
import type { DeviceContext, RecordPosition } from '../../../src-shared/domain/cdr';
import { extensionMatcher } from './asterisk-direction';
import {
  completeCallTimes,
  DeviceTimeReader,
  dispositionFromCauseName,
  finishCdr,
  secondsField,
} from './normalize';
import { billedLegOf, legOfCsvLine } from './freeswitch-legs';
import { csvDirection } from './freeswitch-parties';
import { DelimitedLineParser } from './record-parsers';
import { FieldError, type CdrAdapter, type ParseOutcome } from './types';

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

/** The built-in "default" template (13 columns) and the "example" template of cdr_csv.conf.xml (15 columns). */
const DEFAULT_TEMPLATE_COLUMNS = 13;
const EXAMPLE_TEMPLATE_COLUMNS = 15;

/** A FreeSWITCH channel uuid (or an `origination_uuid` a dialplan chose): no spaces, quotes or separators. */
const UUID_TEXT = /^[\w.:@-]{1,128}$/;

/** The default template writes `", "${accountcode}"`: the field arrives as ` "ent-a"`, quotes included. */
function unquoteSpaced(field: string): string {
  const text = field.trim();
  return text.length >= 2 && text.startsWith('"') && text.endsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text;
}

function uuidField(name: string, text: string, required: boolean): string {
  if (text === '' && !required) return '';
  if (!UUID_TEXT.test(text)) throw new FieldError(name, text === '' ? 'missing' : `'${text.slice(0, 60)}' is not a channel uuid`);
  return text;
}

class FreeswitchCsvParser extends DelimitedLineParser {
  private readonly times: DeviceTimeReader;
  private readonly billedLeg;
  private readonly extensionPattern: RegExp | null;

  constructor(device: DeviceContext) {
    super('freeswitch-csv', device);
    this.times = new DeviceTimeReader(device.timeZone);
    this.billedLeg = billedLegOf(device);
    this.extensionPattern = extensionMatcher(device.extensionPattern);
  }

  protected readFields(fields: string[], raw: string, position: RecordPosition, out: ParseOutcome): void {
    if (this.billedLeg !== 'a' && this.billedLeg !== 'b') {
      out.reject(raw, position, this.billedLeg);
      return;
    }
    if (fields.length !== EXAMPLE_TEMPLATE_COLUMNS && fields.length !== DEFAULT_TEMPLATE_COLUMNS) {
      out.reject(
        raw,
        position,
        `expected ${EXAMPLE_TEMPLATE_COLUMNS} columns (example template) or ${DEFAULT_TEMPLATE_COLUMNS} (default template), found ${fields.length}`,
      );
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
    // Cause names are upper-case words (NORMAL_CLEARING); anything else means the columns are not where they should be.
    if (!/^[A-Z0-9_]*$/.test(cause)) throw new FieldError('hangup_cause', `'${cause.slice(0, 60)}' is not a hangup cause name`);
    const uuid = uuidField('uuid', fields[COLUMN.uuid]!, true);
    const blegUuid = uuidField('bleg_uuid', fields[COLUMN.blegUuid]!.trim(), false);
    const answered = callTimes.billsec > 0 || callTimes.answerMs !== null;
    const cdr = finishCdr(
      {
        nativeId: uuid,
        ...callTimes,
        startWallMs,
        caller,
        callerName: fields[COLUMN.callerIdName]!,
        callee,
        direction: csvDirection(fields[COLUMN.context]!, caller, callee, this.extensionPattern),
        disposition: answered ? 'answered' : dispositionFromCauseName(cause),
        cause,
        accountCode: unquoteSpaced(fields[COLUMN.accountCode]!),
        raw,
        position,
      },
      this.device,
      this.format,
    );
    cdr.leg = legOfCsvLine(uuid, blegUuid, this.billedLeg);
    out.cdrs.push(cdr);
  }
}

export const freeswitchCsvAdapter: CdrAdapter = {
  format: 'freeswitch-csv',
  framing: 'line',
  description: 'FreeSWITCH mod_cdr_csv, "example" or built-in "default" template (legs="ab" linked)',
  createParser: (device) => new FreeswitchCsvParser(device),
};
