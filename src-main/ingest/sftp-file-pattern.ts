/**
 * The file pattern of a device's SFTP settings: a glob on file names (not paths) with `*` (any run of characters),
 * `?` (one character) and `[...]` classes (`[0-9]`, `[!_]`), matched against the whole name, case-sensitively as
 * on the PBX's (Unix) file system. Several patterns may be given separated by `;` (`Master*.csv;cdr_*`).
 */
export type FileNameMatcher = (fileName: string) => boolean;

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') source += '.*';
    else if (c === '?') source += '.';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        source += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      source += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else source += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 's');
}

export function fileNameMatcher(pattern: string): FileNameMatcher {
  const globs = pattern
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)
    .map(globToRegExp);
  return (fileName) => globs.some((re) => re.test(fileName));
}
