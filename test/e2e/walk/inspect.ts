import type { Page } from '@playwright/test';

/**
 * Words a Chinese clerk may meet in Latin letters: units, formats, protocols, standards and brand names. Anything
 * else in Latin letters on a zh-CN screen is an untranslated text.
 */
export const LATIN_ALLOWED = new Set([
  // units
  's', 'ms', 'min', 'h', 'B', 'KB', 'MB', 'GB', 'TB', 'KiB', 'MiB', 'GiB', 'x',
  // formats and files
  'CSV', 'csv', 'Excel', 'xlsx', 'XLSX', 'PDF', 'pdf', 'JSON', 'UTF', 'GBK', 'SHA', 'PEM', 'gz', 'gzip', 'zip',
  // protocols, standards, identifiers
  'IPPBX', 'PBX', 'CDR', 'SFTP', 'SSH', 'TCP', 'HTTP', 'HTTPS', 'TLS', 'IP', 'IPv4', 'IPv6', 'API', 'URL', 'ID',
  'UTC', 'GMT', 'CPU', 'IANA', 'ISO', 'E', 'SIP', 'PJSIP', 'VoIP', 'DTMF', 'SQLite', 'WAL', 'Bearer', 'LOGIN', 'DEVICE',
  // devices and software by their brand names
  'Asterisk', 'FreeSWITCH', 'CX', 'Yeastar', 'Grandstream', 'UCM', 'Cisco', 'CUCM', 'CallManager', 'Avaya', 'Mitel',
  'Panasonic', 'NEC', 'Alcatel', 'Huawei', 'Issabel', 'FreePBX', 'Elastix', 'Node', 'Electron', 'Chromium', 'Windows',
  'Linux', 'macOS',
  // terms Chinese software writes in Latin letters
  'Web', 'POST', 'PIN', 'SMDR', 'OK',
  // currencies by their ISO codes
  'CNY', 'RMB', 'USD', 'EUR', 'GBP', 'HKD', 'JPY',
  // a placeholder for digits in dial rules ("9N → N")
  'N',
  // a language named in itself (the language switch)
  'English',
]);

/** Login names of the walk's accounts: the first admin's (made by the product) and the clerk the seed adds. */
export const DATA_VALUES = ['clerk1', 'admin'];

/** Text that is a value in a well-known format rather than a word: zones, addresses, files, hashes, versions. */
const FORMAT_PATTERNS: RegExp[] = [
  /\b(?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)\/[A-Za-z_+\-/0-9]+/g, // IANA zones
  /\bhttps?:\/\/\S+/g,
  /\?[a-z]+=/g, // a URL's query parameter (?device=)
  /(?:\/[a-z]+)+\/(?=<)/g, // a URL path before its placeholder (/cdr/<格式>)
  /[\w.+-]+@[\w-]+\.[\w.-]+/g, // e-mail addresses
  /[\w\-./]+\.(?:csv|xlsx|xls|txt|pdf|gz|sha256|db|zip|json|log|cdr|bak|sqlite|md|conf)\b/gi, // file names and paths
  /\b[0-9a-f]{12,}\b/gi, // checksums, references
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, // uuids
  /\bv?\d+(?:\.\d+)+[-\w.]*/g, // versions
  /\b\d+(?:[.,]\d+)?[a-zA-Z]{1,3}\b/g, // 10s, 2h, 5MB
  // configuration identifiers written as the device spells them: cdr_custom, from-trunk, PJSIP/trunk-*, 8\d{3},
  // clid,src,dst (a token with a joining character inside it, no space)
  /\\[a-zA-Z](?:\{[\d,]+\})?/g,
  // (a dot is not one: "rate.none" is an i18n key that escaped translation, "accounts.recharge" a method name)
  /[A-Za-z0-9*]+(?:[_\-/,*()\\][A-Za-z0-9*()]+)+/g,
  /\bUTC[+-−]\d{1,2}(?::\d{2})?/g,
  /\bGMT[+-−]\d{1,2}(?::\d{2})?/g,
];

/** Every text a reader meets in `root` (text nodes, placeholders, titles, accessible labels), hidden ones left out. */
export async function readableTexts(page: Page, rootSelector = 'body'): Promise<string[]> {
  return page.evaluate((selector) => {
    const root = document.querySelector(selector);
    if (!root) return [];
    const skip = (el: Element) =>
      el.closest('[translate="no"], [data-technical-detail], code, pre, kbd, samp, script, style, noscript') !== null;
    const rendered = (el: Element) => {
      const style = getComputedStyle(el);
      return style.display !== 'none' && style.visibility !== 'hidden' && el.getClientRects().length > 0;
    };
    const texts: string[] = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      const text = node.textContent?.trim();
      if (!el || !text || skip(el) || !rendered(el)) continue;
      texts.push(text);
    }
    for (const el of Array.from(root.querySelectorAll('[placeholder], [title], [aria-label]'))) {
      if (skip(el) || !rendered(el)) continue;
      for (const attr of ['placeholder', 'title', 'aria-label']) {
        const value = el.getAttribute(attr)?.trim();
        if (value) texts.push(value);
      }
    }
    return texts;
  }, rootSelector);
}

/**
 * The Latin-letter words of `texts` that are neither allowed words nor parts of a known format. `data` holds the
 * values the test itself entered in Latin letters (login names): they are the clerk's data, not the UI's words.
 */
export function untranslatedWords(texts: string[], data: readonly string[] = DATA_VALUES): string[] {
  const found = new Set<string>();
  for (const raw of texts) {
    let text = raw;
    for (const value of data) text = text.split(value).join(' ');
    for (const pattern of FORMAT_PATTERNS) text = text.replace(pattern, ' ');
    for (const [word] of text.matchAll(/[A-Za-z][A-Za-z'’]*/g)) {
      if (!LATIN_ALLOWED.has(word)) found.add(`${word} ← "${raw.slice(0, 80)}"`);
    }
  }
  return [...found];
}

export interface Overflow {
  element: string;
  right: number;
  containerRight: number;
  container: string;
}

/**
 * Elements that stick out of the box that holds them: past the nearest ancestor that clips or scrolls, or past the
 * window. A table wider than its scroll area counts (its columns are out of sight); text cut with an ellipsis does
 * not (the element itself fits). Only the outermost offender of a subtree is reported.
 */
export async function overflowingElements(page: Page): Promise<Overflow[]> {
  return page.evaluate(() => {
    const describe = (el: Element) => {
      const id = el.id ? `#${el.id}` : '';
      const cls = typeof el.className === 'string' ? el.className.split(/\s+/).filter((c) => c && !c.startsWith('m_')).slice(0, 2).map((c) => `.${c}`).join('') : '';
      const label = el.getAttribute('aria-label') ?? (el.textContent ?? '').trim().slice(0, 40);
      return `${el.tagName.toLowerCase()}${id}${cls} "${label}"`;
    };
    const viewport = document.documentElement.clientWidth;
    const found: { element: string; right: number; containerRight: number; container: string }[] = [];
    const reported = new Set<Element>();
    if (document.documentElement.scrollWidth > viewport + 1) {
      found.push({ element: 'the page', right: document.documentElement.scrollWidth, containerRight: viewport, container: 'window' });
    }
    for (const el of Array.from(document.querySelectorAll('body *'))) {
      const rect = el.getBoundingClientRect();
      if (rect.width < 1 || rect.height < 1) continue;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.position === 'fixed') continue;
      let container: Element | null = el.parentElement;
      while (container && container !== document.body) {
        const overflowX = getComputedStyle(container).overflowX;
        if (overflowX !== 'visible') break;
        container = container.parentElement;
      }
      const box = container && container !== document.body ? container.getBoundingClientRect() : { left: 0, right: viewport };
      // A clipped container that is itself off-screen (a collapsed navbar) hides its content on purpose.
      if (box.right <= 0) continue;
      if (rect.right > box.right + 1 || rect.left < box.left - 1) {
        let ancestor = el.parentElement;
        let nested = false;
        while (ancestor) {
          if (reported.has(ancestor)) nested = true;
          ancestor = ancestor.parentElement;
        }
        reported.add(el);
        if (nested) continue;
        found.push({
          element: describe(el),
          right: Math.round(rect.right),
          containerRight: Math.round(box.right),
          container: container && container !== document.body ? describe(container) : 'window',
        });
      }
    }
    return found;
  });
}
