/**
 * Every CDR format by id, and the pure entry points the ingestion layer uses:
 * `createCdrParser` for streams (files, TCP connections; see ../parse-stream.ts) and `parseCdrText` for a whole
 * body or file already in memory (HTTP push, tests).
 */
import type { CdrFormat, CdrParseResult, DeviceContext, RecordPosition } from '../../../src-shared/domain/cdr';
import { asteriskCsvAdapter, asteriskJsonAdapter } from './asterisk';
import { threeCxAdapter } from './3cx';
import { cucmAdapter, isCucmFileInProgress } from './cucm';
import { freeswitchCsvAdapter } from './freeswitch-csv';
import { freeswitchJsonAdapter, freeswitchXmlAdapter } from './freeswitch-body';
import { genericCsvAdapter } from './generic-csv';
import { grandstreamCsvAdapter, grandstreamJsonAdapter } from './grandstream';
import { ipOfficeSmdrAdapter } from './ipoffice-smdr';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter, overlongLineProblem, type LineSplitterOptions } from './lines';
import { clip } from './normalize';
import { stripBom } from './record-parsers';
import { ParseOutcome, type CdrAdapter, type CdrParser, type SourceRecord } from './types';
import { yeastarAdapter } from './yeastar';

export const cdrAdapters: Readonly<Record<CdrFormat, CdrAdapter>> = {
  'asterisk-csv': asteriskCsvAdapter,
  'asterisk-json': asteriskJsonAdapter,
  'freeswitch-csv': freeswitchCsvAdapter,
  'freeswitch-xml': freeswitchXmlAdapter,
  'freeswitch-json': freeswitchJsonAdapter,
  yeastar: yeastarAdapter,
  'grandstream-csv': grandstreamCsvAdapter,
  'grandstream-json': grandstreamJsonAdapter,
  '3cx': threeCxAdapter,
  cucm: cucmAdapter,
  'ipoffice-smdr': ipOfficeSmdrAdapter,
  'generic-csv': genericCsvAdapter,
};

/**
 * A parser for one stream of one device. An adapter bug on a record becomes a reject naming it (instead of an
 * exception that would stop the whole file or connection): one bad record never stops the rest.
 */
export function createCdrParser(format: CdrFormat, device: DeviceContext): CdrParser {
  return guardParser(cdrAdapters[format].createParser(device));
}

export function guardParser(parser: CdrParser): CdrParser {
  return {
    format: parser.format,
    framing: parser.framing,
    push(record: SourceRecord, into = new ParseOutcome()): ParseOutcome {
      try {
        return parser.push(record, into);
      } catch (error) {
        into.reject(record.text, record.position, `could not be read (${parser.format} adapter error: ${clip(String(error), 200)})`);
        return into;
      }
    },
    flush(into = new ParseOutcome()): ParseOutcome {
      try {
        return parser.flush(into);
      } catch (error) {
        into.reject('', {}, `held records could not be emitted (${parser.format} adapter error: ${clip(String(error), 200)})`);
        return into;
      }
    },
    heldFrom: (): RecordPosition | null => parser.heldFrom(),
  };
}

/**
 * Parses a whole text (an HTTP body, a small file) in one go: `(raw input, device) -> { cdrs, rejects, skipped }`.
 * Line formats are cut into lines; a JSON format takes a body that is one JSON document (even pretty-printed) as
 * one record, else one JSON value per line; a document format takes the whole text as one record.
 */
export function parseCdrText(
  format: CdrFormat,
  text: string,
  device: DeviceContext,
  lineOptions: Pick<LineSplitterOptions, 'maxLineBytes'> = {},
): CdrParseResult {
  const parser = createCdrParser(format, device);
  const out = new ParseOutcome();
  if (parser.framing === 'document' || (parser.framing === 'json' && isSingleJsonDocument(text))) {
    parser.push({ text, position: { offset: 0 } }, out);
  } else {
    const splitter = new LineSplitter(lineOptions);
    const maxLineBytes = lineOptions.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    for (const line of splitter.push(Buffer.from(text, 'utf8'))) {
      if (line.kind === 'line') parser.push({ text: line.text, position: { line: line.line, offset: line.offset } }, out);
      else out.reject(line.head, { line: line.line, offset: line.offset }, overlongLineProblem(line.bytes, maxLineBytes));
    }
    const tail = splitter.end();
    if (tail && !tail.overlong) parser.push({ text: tail.text, position: { line: tail.line, offset: tail.offset } }, out);
    else if (tail) out.reject(tail.text, { line: tail.line, offset: tail.offset }, overlongLineProblem(tail.bytes, maxLineBytes));
  }
  parser.flush(out);
  return out;
}

function isSingleJsonDocument(text: string): boolean {
  const body = stripBom(text).trim();
  if (!body.includes('\n')) return true;
  try {
    JSON.parse(body);
    return true;
  } catch {
    return false;
  }
}

/** Whether a polled file is still being written and must be left for the next poll (CUCM's leading `_`). */
export function isCdrFileInProgress(format: CdrFormat, fileName: string): boolean {
  return format === 'cucm' && isCucmFileInProgress(fileName);
}
