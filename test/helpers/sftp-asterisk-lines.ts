/** Made-up CDR lines for the SFTP tests and bench. */

/** Asterisk Master.csv lines (16 columns), each a different call: `count` lines from number `from`. */
export function asteriskLines(from: number, count: number): string {
  let out = '';
  for (let i = from; i < from + count; i++) {
    const start = new Date(Date.UTC(2026, 2, 2, 1, 0, 0) + i * 60_000);
    const text = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 19).replace('T', ' ');
    const callee = `9021${String(50000000 + i).padStart(8, '0')}`;
    out +=
      `"ent-a","8001","${callee}","from-internal","""Li Wei"" <8001>","PJSIP/8001-${i}","PJSIP/trunk-${i}","Dial",` +
      `"PJSIP/${callee}@trunk-cn,60","${text(start.getTime())}","${text(start.getTime() + 5000)}","${text(start.getTime() + 65_000)}",65,60,"ANSWERED","DOCUMENTATION"\n`;
  }
  return out;
}
