import { describe, expect, it } from 'vitest';
import { csvText } from './csv-text';

describe('csvText', () => {
  it('keeps a formula from running: =, @, tab, CR and signs that do not start a number', () => {
    for (const text of ['=HYPERLINK("//evil.example/","x")', '@SUM(A1)', '\t=1+1', '\r=1', '+HYPERLINK("x")', '-2+3*cmd|x', '+A1']) {
      expect(csvText(text)).toBe(`'${text}`);
    }
  });

  it('leaves numbers, phone numbers, amounts and ordinary text alone', () => {
    for (const text of ['+8613800138000', '+86 138 0013 8000', '-5', '-0.6300', '(010) 1234', '8001', 'Li Wei', '李伟', '', 'a=b']) {
      expect(csvText(text)).toBe(text);
    }
  });
});
