import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { anchorRange, FileContentTracker, HEAD_WINDOW, sha256Hex } from './sftp-content-tracker';

const file = randomBytes(20_000);

function expectMarkOf(mark: { offset: number; sha256: string; headSha256: string; headBytes: number; anchorSha256: string }) {
  const { offset } = mark;
  const [from, to] = anchorRange(offset);
  expect(mark).toMatchObject({
    sha256: sha256Hex(file.subarray(0, offset)),
    headBytes: Math.min(offset, HEAD_WINDOW),
    headSha256: sha256Hex(file.subarray(0, Math.min(offset, HEAD_WINDOW))),
    anchorSha256: sha256Hex(file.subarray(from, to)),
  });
}

describe('file content tracker', () => {
  it('marks the hashes of [0, offset) at batch ends that lag behind the bytes pushed', async () => {
    const tracker = await FileContentTracker.fromStart();
    tracker.push(file.subarray(0, 700));
    expectMarkOf(tracker.markAt(100));
    tracker.push(file.subarray(700, 9000));
    expectMarkOf(tracker.markAt(650));
    expectMarkOf(tracker.markAt(8999));
    tracker.push(file.subarray(9000));
    expectMarkOf(tracker.markAt(file.length));
    expect(() => tracker.markAt(10)).toThrow(/cannot mark offset 10/);
  });

  it('continues the same SHA-256 from a saved state, with the head and anchor read back from the file', async () => {
    for (const stop of [300, 5000, 12_000]) {
      const first = await FileContentTracker.fromStart();
      first.push(file.subarray(0, stop));
      const mark = first.markAt(stop);
      const [from, to] = anchorRange(stop);
      const resumed = await FileContentTracker.resume(stop, mark.sha256State, file.subarray(0, Math.min(stop, HEAD_WINDOW)), file.subarray(from, to));
      resumed.push(file.subarray(stop, stop + 3000));
      expectMarkOf(resumed.markAt(stop + 10));
      expectMarkOf(resumed.markAt(stop + 3000));
    }
  });
});
