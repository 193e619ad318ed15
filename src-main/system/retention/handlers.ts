import fs from 'node:fs';
import type { Handlers } from '../../api/call-context';
import type { DownloadRegistry } from '../../downloads/registry';
import { archiveFile } from './archive-list';
import type { RetentionService } from './retention-service';

export const GZIP_TYPE = 'application/gzip';
export const SHA256_TYPE = 'text/plain; charset=utf-8';

/** What the retention handlers use: the job (purge, status, archive folder) and download tickets. */
export interface RetentionHandlerDeps {
  retention: RetentionService;
  downloads: DownloadRegistry;
}

export function retentionHandlers(s: RetentionHandlerDeps): Handlers<'system.purge' | 'system.archives' | 'system.archiveDownload'> {
  return {
    'system.purge': (_input, ctx) =>
      s.retention.purge({ username: ctx.user!.username, accountId: ctx.user!.id, address: ctx.caller.address }),
    'system.archives': () => s.retention.status(),
    'system.archiveDownload': async (input, ctx) => {
      const source = archiveFile(s.retention.archiveFolder, input.fileName);
      // A download ticket's file is deleted once sent: hand it a link to the archive (or a copy on another disk),
      // never the archive itself.
      const file = s.downloads.newFile(input.fileName.endsWith('.sha256') ? 'sha256' : 'csv.gz');
      try {
        await fs.promises.link(source, file);
      } catch {
        await fs.promises.copyFile(source, file);
      }
      return s.downloads.offer({ file, fileName: input.fileName, contentType: input.fileName.endsWith('.sha256') ? SHA256_TYPE : GZIP_TYPE, owner: ctx });
    },
  };
}
