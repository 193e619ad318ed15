import { describe, expect, it } from 'vitest';
import type { DeviceContext, GenericCsvOptionsInput } from '../../../src-shared/domain/cdr';
import { compileDateFormat } from './date-format';
import { BEIJING, fixtureText, isoOf } from './fixtures-for-tests';
import { parseCdrText } from './registry';

const device = (formatOptions: GenericCsvOptionsInput, timeZone = 'Asia/Shanghai'): DeviceContext => ({
  deviceId: 'generic',
  timeZone,
  formatOptions,
});

describe('generic-csv', () => {
  const semicolon = device({
    delimiter: ';',
    columns: { start: 'Datum', caller: 'Von', callerName: 'Name', callee: 'Nach', billsec: 'Dauer', disposition: 'Status', nativeId: 'ID' },
    dateFormat: 'DD.MM.YYYY HH:mm:ss',
    durationUnit: 'hms',
  });

  it('maps columns by header name, with the date format and duration unit of the device', () => {
    const result = parseCdrText('generic-csv', fixtureText('generic-semicolon.csv'), semicolon);
    expect(result.skipped).toEqual([{ position: { line: 1, offset: 0 }, reason: 'header line' }]);
    expect(result.cdrs.map((c) => [c.nativeId, c.caller, c.callerName, c.callee, c.billsec, c.disposition, isoOf(c.startMs)])).toEqual([
      ['g-1', '8001', 'Li Wei', '902150001234', 122, 'answered', '2026-03-02T01:15:02.000Z'],
      ['g-2', '8002', '张敏', '913800138000', 61, 'answered', '2026-03-02T01:20:00.000Z'],
      ['g-3', '8002', 'Zhang Min', '962345678', 0, 'no_answer', '2026-03-02T04:00:00.000Z'],
    ]);
    expect(result.rejects.map((r) => r.reason)).toEqual([
      "line 5: field start: '31.02.2026 12:00:00' does not match the date format 'DD.MM.YYYY HH:mm:ss'",
    ]);
  });

  it('maps columns by index without a header; epochs in ms; durations in ms', () => {
    const options = device({ header: false, columns: { start: 0, caller: 1, callee: 2, duration: 3 }, dateFormat: 'epoch-ms', durationUnit: 'ms' });
    const [call] = parseCdrText('generic-csv', '1772414102000,8001,902150001234,122400', options).cdrs;
    expect(call).toMatchObject({ billsec: 122, duration: 122, direction: 'outbound', nativeId: null });
    expect(isoOf(call!.startMs)).toBe('2026-03-02T01:15:02.000Z');
    expect(call!.dedupKey).toMatch(/^sha256:/);
  });

  it('uses the time zone override of the options, and an ISO offset over any zone', () => {
    const columns = { start: 0, caller: 1, callee: 2, billsec: 3 };
    const berlin = device({ header: false, columns, timeZone: 'Europe/Berlin' });
    expect(isoOf(parseCdrText('generic-csv', '2026-07-01 10:00:00,8001,8002,5', berlin).cdrs[0]!.startMs)).toBe('2026-07-01T08:00:00.000Z');
    const iso = device({ header: false, columns, dateFormat: 'iso' });
    expect(isoOf(parseCdrText('generic-csv', '2026-07-01T10:00:00-04:00,8001,8002,5', iso).cdrs[0]!.startMs)).toBe('2026-07-01T14:00:00.000Z');
    expect(isoOf(parseCdrText('generic-csv', '2026-07-01 10:00:00,8001,8002,5', iso).cdrs[0]!.startMs)).toBe('2026-07-01T02:00:00.000Z');
  });

  it('derives billsec from answer and end stamps, and rejects an answer before the start', () => {
    const options = device({ header: false, columns: { start: 0, answer: 1, end: 2, caller: 3, callee: 4 } });
    const result = parseCdrText('generic-csv', '2026-03-02 09:00:00,2026-03-02 09:00:05,2026-03-02 09:01:05,8001,8002\n2026-03-02 09:00:00,2026-03-02 08:59:00,2026-03-02 09:01:05,8001,8002', options);
    expect(result.cdrs.map((c) => [c.duration, c.billsec, c.disposition])).toEqual([[65, 60, 'answered']]);
    expect(result.rejects[0]!.reason).toBe('line 2: field answer: 2026-03-02T00:59:00.000Z is before the start 2026-03-02T01:00:00.000Z');
  });

  it('skips the first line as header when columns are by index, but never a later line', () => {
    const options = device({ header: true, columns: { start: 0, caller: 1, callee: 2, billsec: 3 } });
    const result = parseCdrText('generic-csv', 'when,from,to,secs\n2026-03-02 09:00:00,8001,8002,7', options);
    expect(result.skipped).toHaveLength(1);
    expect(result.cdrs).toHaveLength(1);
  });

  it('rejects every record, saying what to fix, when the options are wrong', () => {
    const cases: [GenericCsvOptionsInput | undefined, string][] = [
      [undefined, 'device format options: columns: Invalid input: expected record, received undefined'],
      [{ columns: { start: 0, caller: 1 } }, 'device format options: columns: columns must map at least start, caller and callee'],
      [{ header: false, columns: { start: 'Start', caller: 1, callee: 2 } }, "device format options: column start is mapped by name ('Start') but header is off"],
      [{ header: false, columns: { start: 0, caller: 1, callee: 2 }, dateFormat: 'HH:mm' }, "device format options: date format 'HH:mm' needs a year, month, day, hour and minute (e.g. YYYY-MM-DD HH:mm:ss)"],
    ];
    for (const [options, reason] of cases) {
      const result = parseCdrText('generic-csv', 'a,b,c', { ...BEIJING, formatOptions: options as GenericCsvOptionsInput });
      expect(result.cdrs).toEqual([]);
      expect(result.rejects.map((r) => r.reason)).toEqual([`line 1: ${reason}`]);
    }
  });

  it('rejects a header that lacks mapped names, and records before a header', () => {
    const options = device({ columns: { start: 'Start', caller: 'From', callee: 'To' } });
    expect(parseCdrText('generic-csv', 'Start,From\n2026-03-02 09:00:00,8001', options).rejects.map((r) => r.reason)).toEqual([
      "line 1: the header line lacks the mapped columns 'To'",
      "line 2: the header line lacks the mapped columns 'To'",
    ]);
    const resumed = parseCdrText('generic-csv', '\n', options);
    expect(resumed.skipped.map((s) => s.reason)).toEqual(['blank line']);
  });

  it('rejects a record whose column count differs from the header, or from the first record without a header', () => {
    const withHeader = parseCdrText('generic-csv', `${fixtureText('generic-semicolon.csv').split('\n')[0]}\n02.03.2026 09:15:02;8001;Li Wei;902150001234;00:02:02;ANSWERED;g-1;extra`, semicolon);
    expect(withHeader.rejects.map((r) => r.reason)).toEqual(['line 2: expected 7 columns (as the header line names), found 8']);
    const byIndex = device({ header: false, columns: { start: 0, caller: 1, callee: 2, billsec: 3 } });
    const result = parseCdrText('generic-csv', '2026-03-02 25:00:00,8001,8002,7,x,y\n2026-03-02 09:00:00,8001,8002,7\n2026-03-02 09:01:00,8001,8002,7,x\n2026-03-02 09:02:00,8001,8002,7', byIndex);
    expect(result.cdrs.map((c) => c.position.line)).toEqual([2, 4]);
    expect(result.rejects.map((r) => r.reason)).toEqual([
      "line 1: field start: '2026-03-02 25:00:00' does not match the date format 'YYYY-MM-DD HH:mm:ss'",
      'line 3: expected 4 columns (as the first record has), found 5',
    ]);
  });

  it('reads NULL from a database export as an empty field', () => {
    const options = device({ header: true, columns: { start: 'calldate', caller: 'src', callee: 'dst', billsec: 'billsec', trunkOut: 'dstchannel', accountCode: 'accountcode' } });
    const text = 'calldate,src,dst,billsec,dstchannel,accountcode\n2026-03-02 09:00:00,8001,902150001234,NULL,NULL,\\N';
    const [call] = parseCdrText('generic-csv', text, options).cdrs;
    expect(call).toMatchObject({ caller: '8001', billsec: 0 });
    expect(call!.trunkOut).toBeUndefined();
    expect(call!.accountCode).toBeUndefined();
  });

  it('compiles date formats with literals and short tokens', () => {
    const read = compileDateFormat('D/M/YY [at] H:mm') as Exclude<ReturnType<typeof compileDateFormat>, string>;
    expect(read('2/3/26 at 9:05')).toEqual({ kind: 'wall', wallMs: Date.UTC(2026, 2, 2, 9, 5) });
    expect(read('2/3/26 9:05')).toEqual({ kind: 'invalid' });
    expect(compileDateFormat('YYYY-MM-DD [HH:mm')).toBe("date format 'YYYY-MM-DD [HH:mm': '[' without ']'");
  });
});
