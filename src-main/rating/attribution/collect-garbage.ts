import v8 from 'node:v8';
import vm from 'node:vm';

let gc: (() => void) | null | undefined;

/**
 * A full garbage collection, after a one-off bulk job. The first start's default attribution load and a large
 * attribution import allocate 100 MB and more once; V8 would keep that heap as the engine's idle memory for a long
 * time. Node offers `gc` only behind a flag, which can be set at run time and read through a fresh context.
 */
export function collectGarbage(): void {
  if (gc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
