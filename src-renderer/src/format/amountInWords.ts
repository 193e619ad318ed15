import { MAX_BALANCE, withinMoneyBound, type Money } from '../../../src-shared/domain/money';

/**
 * The amount in words, as on a cheque or a Chinese receipt, for the confirmation of money-moving actions:
 * a clerk who typed 1000 instead of 100 sees "壹仟元整" / "One thousand and 00/100" before confirming.
 * Amounts are rounded to cents (half up), like the 2-place display.
 *
 * Null beyond the largest amount any field holds (±MAX_BALANCE, 壹仟亿元整) or for what is not an integer amount:
 * the confirmation then shows no words, and the amount's own field says it is too large. It never throws, since it
 * runs while a form draws itself.
 */
export function amountInWords(units: Money, language: string): string | null {
  if (!withinMoneyBound(units, MAX_BALANCE)) return null;
  const negative = units < 0;
  const cents = Math.floor((Math.abs(units) + 50) / 100);
  const whole = Math.floor(cents / 100);
  const fraction = cents % 100;
  return language.toLowerCase().startsWith('zh')
    ? (negative ? '负' : '') + chineseAmount(whole, fraction)
    : capitalize((negative ? 'minus ' : '') + englishAmount(whole, fraction));
}

const CN_DIGITS = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const CN_UNITS = ['', '拾', '佰', '仟'];
const CN_SECTIONS = ['', '万', '亿', '兆'];

function chineseGroup(group: number): string {
  let out = '';
  let zeroPending = false;
  for (let position = 3; position >= 0; position--) {
    const digit = Math.floor(group / 10 ** position) % 10;
    if (digit === 0) {
      zeroPending = out !== '';
      continue;
    }
    if (zeroPending) out += '零';
    zeroPending = false;
    out += CN_DIGITS[digit]! + CN_UNITS[position]!;
  }
  return out;
}

function chineseInteger(value: number): string {
  if (value === 0) return '零';
  const groups: number[] = [];
  for (let rest = value; rest > 0; rest = Math.floor(rest / 10_000)) groups.push(rest % 10_000);
  let out = '';
  let gap = false;
  for (let i = groups.length - 1; i >= 0; i--) {
    const group = groups[i]!;
    if (group === 0) {
      gap = out !== '';
      continue;
    }
    if (out !== '' && (gap || group < 1000)) out += '零';
    out += chineseGroup(group) + CN_SECTIONS[i]!;
    gap = false;
  }
  return out;
}

function chineseAmount(whole: number, fraction: number): string {
  const jiao = Math.floor(fraction / 10);
  const fen = fraction % 10;
  if (fraction === 0) return `${chineseInteger(whole)}元整`;
  let out = whole > 0 ? `${chineseInteger(whole)}元` : '';
  if (jiao > 0) out += `${CN_DIGITS[jiao]}角`;
  else if (whole > 0) out += '零';
  if (fen > 0) out += `${CN_DIGITS[fen]}分`;
  return out;
}

const EN_ONES = [
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten',
  'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen',
];
const EN_TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const EN_SCALES = ['', 'thousand', 'million', 'billion', 'trillion'];

function englishBelowThousand(value: number): string {
  const hundreds = Math.floor(value / 100);
  const rest = value % 100;
  const parts: string[] = [];
  if (hundreds) parts.push(`${EN_ONES[hundreds]} hundred`);
  if (rest >= 20) parts.push(EN_TENS[Math.floor(rest / 10)]! + (rest % 10 ? `-${EN_ONES[rest % 10]}` : ''));
  else if (rest > 0) parts.push(EN_ONES[rest]!);
  return parts.join(' ');
}

function englishInteger(value: number): string {
  if (value === 0) return 'zero';
  const parts: string[] = [];
  for (let scale = 0, rest = value; rest > 0; scale++, rest = Math.floor(rest / 1000)) {
    const chunk = rest % 1000;
    if (chunk) parts.unshift(englishBelowThousand(chunk) + (EN_SCALES[scale] ? ` ${EN_SCALES[scale]}` : ''));
  }
  return parts.join(' ');
}

function englishAmount(whole: number, fraction: number): string {
  return `${englishInteger(whole)} and ${String(fraction).padStart(2, '0')}/100`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
