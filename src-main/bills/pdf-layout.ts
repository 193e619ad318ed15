/**
 * The page layout of a statement as PDF (pdfkit): headings, a block of label/value pairs, tables of calls and money
 * that break across pages with their header row repeated, and a footer on every page. One font only, Noto Sans SC
 * (SIL Open Font License 1.1), which holds the Latin, digit and currency glyphs as well as the Chinese ones; pdfkit
 * embeds the subset of glyphs a statement uses (a few dozen KB), never the 10 MB font.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';

/** Where the packaged app has the font: electron-builder copies it to resources/fonts (electron-builder.yml). */
export const BILL_FONT_FILE = path.join('fonts', 'NotoSansSC-Regular.ttf');
/** Where npm puts it (development, tests and the headless server run from the project folder). */
const BILL_FONT_MODULE = '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf';

/** The statement font: the copy among the app's resources, else the one in node_modules. */
export function billFontPath(resourcesDir: string): string {
  const packaged = path.join(resourcesDir, BILL_FONT_FILE);
  if (fs.existsSync(packaged)) return packaged;
  try {
    return createRequire(__filename).resolve(BILL_FONT_MODULE);
  } catch {
    throw new Error(`The statement font is missing: neither ${packaged} nor the npm package ${BILL_FONT_MODULE} was found.`);
  }
}

export type Align = 'left' | 'right';

export interface PdfColumn {
  header: string;
  /** Share of the text width (the shares of a table add up to 1). */
  share: number;
  align?: Align;
  /** Text that may wrap onto more lines (the first column always may). */
  wrap?: boolean;
}

export interface PdfRow {
  cells: string[];
  /** A total: set apart by a rule above it. */
  total?: boolean;
  /** Cells drawn in red (negative money), by column index. */
  red?: number[];
}

const INK = '#1a1a1a';
const DIM = '#666666';
const ACCENT = '#1c4e80';
const RED = '#b42318';
const RULE = '#c8ced6';
const HEAD_FILL = '#eef2f6';
const BODY_SIZE = 9;
const PAD = 3;

export class BillPdfWriter {
  readonly doc: PDFKit.PDFDocument;

  constructor(o: { fontPath: string; title: string; subject: string; language: string; createdAt: Date }) {
    this.doc = new PDFDocument({
      size: 'A4',
      margins: { top: 50, bottom: 56, left: 48, right: 48 },
      // Every page stays in memory until the footers ("page 1 of 3") are written; a statement is a few pages.
      bufferPages: true,
      font: o.fontPath,
      lang: o.language,
      displayTitle: true,
      // The engine's clock, not the library's: a statement made on a stopped clock says when it was made.
      info: { Title: o.title, Subject: o.subject, Creator: 'Billing Workstation', Producer: 'Billing Workstation', CreationDate: o.createdAt, ModDate: o.createdAt },
    });
    this.doc.fillColor(INK);
  }

  private get left(): number {
    return this.doc.page.margins.left;
  }

  get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  private get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page unless `height` points still fit on this one. */
  ensure(height: number): void {
    if (this.doc.y + height > this.bottom) {
      this.doc.addPage();
      this.doc.y = this.doc.page.margins.top;
    }
  }

  /** Whether the font draws a character (a currency symbol typed into the settings may be one it lacks). */
  hasGlyphs(text: string): boolean {
    const font = (this.doc as unknown as { _font?: { font?: { hasGlyphForCodePoint(cp: number): boolean } } })._font?.font;
    if (!font) return true;
    return [...text].every((ch) => font.hasGlyphForCodePoint(ch.codePointAt(0)!));
  }

  title(text: string, sub: string): void {
    const d = this.doc;
    d.fontSize(18).fillColor(ACCENT).text(text, this.left, d.y, { width: this.width });
    d.moveDown(0.1);
    d.fontSize(13).fillColor(INK).text(sub, this.left, d.y, { width: this.width });
    d.moveDown(0.5);
  }

  /** Label/value pairs in two columns. */
  infoBlock(pairs: [string, string][]): void {
    const d = this.doc;
    const half = this.width / 2;
    const labelWidth = 78;
    d.fontSize(BODY_SIZE);
    for (let i = 0; i < pairs.length; i += 2) {
      const y = d.y;
      let h = 0;
      for (const [j, pair] of [pairs[i], pairs[i + 1]].entries()) {
        if (!pair) continue;
        const x = this.left + j * half;
        d.fillColor(DIM).text(pair[0], x, y, { width: labelWidth, lineBreak: false });
        d.fillColor(INK).text(pair[1], x + labelWidth, y, { width: half - labelWidth - 8 });
        h = Math.max(h, d.y - y);
      }
      d.y = y + h + 2;
    }
    d.moveDown(0.6);
  }

  /** A section heading, kept on the page with at least `keep` points of what follows it. */
  heading(text: string, keep = 60): void {
    const d = this.doc;
    d.moveDown(0.4);
    this.ensure(24 + keep);
    d.fontSize(11.5).fillColor(ACCENT).text(text, this.left, d.y, { width: this.width });
    const y = d.y + 1;
    d.moveTo(this.left, y).lineTo(this.left + this.width, y).lineWidth(0.8).strokeColor(ACCENT).stroke();
    d.y = y + 4;
    d.fillColor(INK);
  }

  note(text: string): void {
    const d = this.doc;
    d.fontSize(8).fillColor(DIM).text(text, this.left, d.y, { width: this.width });
    d.moveDown(0.3);
    d.fillColor(INK);
  }

  /** A highlighted line with one amount, e.g. the amount due of a postpaid statement. */
  callout(label: string, amount: string): void {
    const d = this.doc;
    this.ensure(30);
    const y = d.y + 4;
    d.rect(this.left, y, this.width, 24).fillColor(HEAD_FILL).fill();
    d.fontSize(12).fillColor(ACCENT).text(label, this.left + 8, y + 5, { width: this.width / 2, lineBreak: false });
    d.fillColor(INK).text(amount, this.left + this.width / 2, y + 5, { width: this.width / 2 - 8, align: 'right', lineBreak: false });
    d.y = y + 30;
  }

  /** A table: the first column (and those marked) wrap, the others hold one line; the header row is repeated on a new page. */
  table(columns: PdfColumn[], rows: PdfRow[]): void {
    const d = this.doc;
    const widths = columns.map((c) => c.share * this.width);
    const xs = widths.map((_, i) => this.left + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const wraps = (i: number) => i === 0 || !!columns[i]!.wrap;
    const cellHeight = (text: string, i: number, head?: boolean) =>
      head || wraps(i) ? d.heightOfString(text || ' ', { width: widths[i]! - 2 * PAD }) : d.currentLineHeight(true);
    const drawRow = (cells: string[], o: { head?: boolean; total?: boolean; red?: number[] }) => {
      d.fontSize(BODY_SIZE);
      const h = Math.max(...cells.map((c, i) => cellHeight(c, i, o.head))) + 2 * PAD;
      if (d.y + h > this.bottom) {
        d.addPage();
        d.y = d.page.margins.top;
        if (!o.head) drawRow(columns.map((c) => c.header), { head: true });
      }
      const y = d.y;
      if (o.head) d.rect(this.left, y, this.width, h).fillColor(HEAD_FILL).fill();
      if (o.total) d.moveTo(this.left, y).lineTo(this.left + this.width, y).lineWidth(0.8).strokeColor(INK).stroke();
      cells.forEach((text, i) => {
        d.fillColor(o.head ? DIM : o.red?.includes(i) ? RED : INK);
        const wrap = wraps(i) || !!o.head;
        // A one-line cell that does not fit is cut with an ellipsis rather than run into the next row.
        const fit = wrap ? {} : { height: d.currentLineHeight(true), ellipsis: true };
        d.text(text, xs[i]! + PAD, y + PAD, { width: widths[i]! - 2 * PAD, align: columns[i]!.align ?? 'left', ...fit });
      });
      d.moveTo(this.left, y + h).lineTo(this.left + this.width, y + h).lineWidth(0.4).strokeColor(RULE).stroke();
      d.y = y + h;
      d.x = this.left;
    };
    drawRow(columns.map((c) => c.header), { head: true });
    for (const r of rows) drawRow(r.cells, { ...(r.total ? { total: true } : {}), ...(r.red ? { red: r.red } : {}) });
    d.fillColor(INK);
    d.moveDown(0.4);
  }

  /** The footer of every page, written once the number of pages is known. */
  footers(left: string, page: (n: number, of: number) => string): void {
    const d = this.doc;
    const range = d.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      d.switchToPage(i);
      const margin = d.page.margins.bottom;
      // Text below the bottom margin would start a new page: the footer is written with no bottom margin.
      d.page.margins.bottom = 0;
      const y = d.page.height - margin + 18;
      d.moveTo(this.left, y - 4).lineTo(this.left + this.width, y - 4).lineWidth(0.4).strokeColor(RULE).stroke();
      d.fontSize(8).fillColor(DIM);
      const line = { height: d.currentLineHeight(true), ellipsis: true };
      d.text(left, this.left, y, { width: this.width * 0.7, ...line });
      d.text(page(i - range.start + 1, range.count), this.left + this.width * 0.7, y, { width: this.width * 0.3, align: 'right', ...line });
      d.page.margins.bottom = margin;
    }
  }

  /** Writes the document to `file`; resolves once it is on disk. */
  async save(file: string): Promise<void> {
    const out = fs.createWriteStream(file);
    const done = new Promise<void>((resolve, reject) => {
      out.once('finish', resolve);
      out.once('error', reject);
      this.doc.once('error', reject);
    });
    this.doc.pipe(out);
    this.doc.end();
    await done;
  }
}
