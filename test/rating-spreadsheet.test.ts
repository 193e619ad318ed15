import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spreadsheetRows, type SheetRow } from '../src-main/imports/spreadsheet-rows';
import { tempDir } from './helpers/engine';

const dir = tempDir('spreadsheet-rows-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function readAll(fileName: string, bytes: Buffer): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  for await (const batch of spreadsheetRows(fileName, bytes)) rows.push(...batch);
  return rows;
}

const CITIES = ['北京市', '江苏省常州市', '内蒙古鄂尔多斯市', '新疆伊犁哈萨克自治州', '广西崇左市', '上海市', '湖北省神农架林区'];
/** Rows of Chinese text of varying length, so chunk boundaries fall inside characters somewhere. */
const chineseRows = (count: number) =>
  Array.from({ length: count }, (_, i) => [String(1_300_000 + i), `${CITIES[i % CITIES.length]!.repeat(1 + (i % 3))}${i}`, `中国移动${'通'.repeat(i % 5)}`]);

describe('spreadsheet rows (the imports\' reader)', () => {
  it.each([true, false])('reads a large .xlsx of Chinese text intact (shared strings: %s)', async (useSharedStrings) => {
    const rows = chineseRows(30_000);
    const file = path.join(dir, `chinese-${useSharedStrings}.xlsx`);
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings });
    const sheet = workbook.addWorksheet('号段');
    for (const row of rows) sheet.addRow(row).commit();
    sheet.commit();
    await workbook.commit();
    const read = await readAll('chinese.xlsx', fs.readFileSync(file));
    expect(read).toHaveLength(rows.length);
    const damaged = read.filter((r, i) => r.cells.join('|') !== rows[i]!.join('|'));
    expect(damaged.slice(0, 3)).toEqual([]);
    expect(read.at(-1)).toMatchObject({ row: rows.length, cells: rows.at(-1) });
  });

  it('reads UTF-8 CSV whose chunks cut a character in two', async () => {
    // "北" is 3 bytes in UTF-8: put its first byte as the last byte of the first 64 KiB chunk.
    const head = 'prefix,region\r\n';
    const filler = `1,${'x'.repeat(65536 - head.length - 2 - 1)}`;
    const bytes = Buffer.from(`${head}${filler}北京市\r\n2,江苏省常州市\r\n`, 'utf8');
    expect(bytes[65535]).toBe(0xe5);
    const read = await readAll('cut.csv', bytes);
    expect(read.map((r) => r.cells[1]!.slice(-3))).toEqual(['ion', '北京市', '常州市']);
  });

  it('reads GB18030 CSV (as a Chinese Excel saves it), across chunk boundaries too', async () => {
    const beijing = Buffer.from([0xb1, 0xb1, 0xbe, 0xa9]); // 北京 in GBK
    const head = Buffer.from('prefix,region\r\n1,');
    const filler = Buffer.alloc(65536 - head.length - 1, 0x61); // "a": the next byte, 0xb1, ends the first chunk
    const bytes = Buffer.concat([head, filler, beijing, Buffer.from('\r\n2,'), beijing, Buffer.from('\r\n')]);
    expect(bytes[65535]).toBe(0xb1);
    const read = await readAll('gbk.csv', bytes);
    expect(read.map((r) => r.cells[1]!.slice(-2))).toEqual(['on', '北京', '北京']);
    expect(read.map((r) => r.row)).toEqual([1, 2, 3]);
  });

  it('refuses CSV whose quoted cell is never closed', async () => {
    await expect(readAll('open.csv', Buffer.from('prefix,region\r\n1,"open\r\n2,x\r\n'))).rejects.toThrow('a quoted cell is not closed before the end of the file');
  });

  it('splits CSV as csv-parse does (quotes, doubled quotes, delimiters and line breaks inside quotes, empty lines)', async () => {
    const text = 'a,b,c\r\n"1,2","say ""hi""",\r\n\r\n"multi\nline",x,"北京"\r\n;,"",end\r\n';
    const read = await readAll('tricky.csv', Buffer.from(text));
    const { parse } = await import('csv-parse/sync');
    const expected = parse(text, { relax_column_count: true, skip_empty_lines: false }) as string[][];
    expect(read.map((r) => r.cells)).toEqual(expected);
  });

  it('numbers CSV rows as a spreadsheet program shows them, a multi-line quoted cell being one row', async () => {
    const read = await readAll('quoted.csv', Buffer.from('prefix,region\r\n1,"two\r\nlines"\r\n2,after\r\n'));
    expect(read.map((r) => [r.row, r.cells[1]])).toEqual([
      [1, 'region'],
      [2, 'two\r\nlines'],
      [3, 'after'],
    ]);
  });
});

describe('xlsx rows read from the sheet XML', () => {
  /** A minimal workbook as other programs write them: shared strings with rich text and phonetic guides, prefixes. */
  async function handWrittenWorkbook(sheetXml: string, sharedStrings: string): Promise<Buffer> {
    const zip = new JSZip();
    zip.file('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
    zip.file(
      'xl/workbook.xml',
      '<?xml version="1.0"?><x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets><x:sheet name="号段 &amp; 区号" sheetId="1" r:id="rId7"/></x:sheets></x:workbook>',
    );
    zip.file(
      'xl/_rels/workbook.xml.rels',
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/worksheets/data.xml"/></Relationships>',
    );
    zip.file('xl/sharedStrings.xml', `<?xml version="1.0"?><x:sst xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${sharedStrings}</x:sst>`);
    zip.file('xl/worksheets/data.xml', `<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>${sheetXml}</x:sheetData></x:worksheet>`);
    return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  }

  it('reads shared, rich and inline strings, numbers, booleans, formulas, errors and sparse cells', async () => {
    const bytes = await handWrittenWorkbook(
      [
        '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c><x:c r="D1" t="inlineStr"><x:is><x:t xml:space="preserve"> a &lt;b&gt; </x:t></x:is></x:c></x:row>',
        '<x:row r="3" spans="1:5"><x:c r="A3"><x:v>1380013</x:v></x:c><x:c r="B3" t="b"><x:v>1</x:v></x:c><x:c r="C3" t="str"><x:f>A3&amp;""</x:f><x:v>1380013</x:v></x:c><x:c r="E3" t="e"><x:v>#N/A</x:v></x:c></x:row>',
        '<x:row r="4"/>',
        '<x:row r="5"><x:c r="AA5" t="inlineStr"><x:is><x:r><x:t>北</x:t></x:r><x:r><x:rPr><x:b/></x:rPr><x:t>京</x:t></x:r></x:is></x:c></x:row>',
      ].join(''),
      '<x:si><x:t>号段</x:t></x:si><x:si><x:r><x:t>归属</x:t></x:r><x:r><x:t>地</x:t></x:r><x:rPh sb="0" eb="2"><x:t>guīshǔ</x:t></x:rPh></x:si>',
    );
    const rows = await readAll('other-program.xlsx', bytes);
    expect(rows.map((r) => [r.sheet, r.row, r.cells])).toEqual([
      ['号段 & 区号', 1, ['号段', '归属地', '', ' a <b> ']],
      ['号段 & 区号', 3, ['1380013', 'true', '1380013', '', '#N/A']],
      ['号段 & 区号', 4, []],
      ['号段 & 区号', 5, [...Array(26).fill(''), '北京']],
    ]);
  });

  it('refuses a zip that is no workbook', async () => {
    const zip = new JSZip();
    zip.file('readme.txt', 'not a workbook');
    const bytes = await zip.generateAsync({ type: 'nodebuffer' });
    await expect(readAll('archive.xlsx', bytes)).rejects.toThrow('the .xlsx workbook has no worksheets');
  });
});
