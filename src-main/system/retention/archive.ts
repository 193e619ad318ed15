/**
 * CDR archives of the retention job: one gzip-compressed CSV per run and month, with every column of the CDR (the raw
 * record included), a `.sha256` file beside it, and a read-back check that the file holds exactly the CDRs that will
 * be deleted.
 */
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import zlib from 'node:zlib';

export interface ArchiveWriteResult {
  file: string;
  rows: number;
  /** sha-256 of the compressed file. */
  sha256: string;
  /** sha-256 over the archived CDR ids in order: the read-back must give the same. */
  idsDigest: string;
  bytes: number;
}

/** Streams rows (chunks of objects with the same keys) into `file` as gzip CSV with a header line. */
export async function writeArchive(
  file: string,
  columns: readonly string[],
  chunks: AsyncIterable<Record<string, unknown>[]>,
): Promise<ArchiveWriteResult> {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const partial = `${file}.partial`;
  const out = fs.createWriteStream(partial);
  const fileHash = createHash('sha256');
  const idsHash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _enc, done) {
      fileHash.update(chunk);
      done(null, chunk);
    },
  });
  const csv = stringify({ header: true, columns: [...columns] });
  const gzip = zlib.createGzip({ level: 6 });
  const written = pipeline(csv, gzip, hashing, out);
  let rows = 0;
  for await (const chunk of chunks) {
    for (const row of chunk) {
      idsHash.update(`${String(row.id)}\n`);
      rows++;
      if (!csv.write(row)) await once(csv, 'drain');
    }
  }
  csv.end();
  await written;
  // Durable before the CDRs go: asynchronously, as an fsync of a large archive can take the better part of a second
  // and the engine keeps ingesting meanwhile.
  const handle = await fs.promises.open(partial, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(partial, file);
  const sha256 = fileHash.digest('hex');
  await fs.promises.writeFile(`${file}.sha256`, `${sha256}  ${path.basename(file)}\n`);
  return { file, rows, sha256, idsDigest: idsHash.digest('hex'), bytes: (await fs.promises.stat(file)).size };
}

/** Reads an archive back: its file checksum, its row count and the digest of its ids, for comparison. */
export async function readArchiveBack(file: string): Promise<{ rows: number; sha256: string; idsDigest: string }> {
  const fileHash = createHash('sha256');
  const idsHash = createHash('sha256');
  let rows = 0;
  const source = fs.createReadStream(file);
  source.on('data', (chunk) => fileHash.update(chunk as Buffer));
  const parser = source.pipe(zlib.createGunzip()).pipe(parse({ columns: true, relax_column_count: false }));
  for await (const record of parser as AsyncIterable<Record<string, string>>) {
    idsHash.update(`${record.id}\n`);
    rows++;
  }
  return { rows, sha256: fileHash.digest('hex'), idsDigest: idsHash.digest('hex') };
}
