import { randomUUID } from 'node:crypto';
import { rm, rename, writeFile } from 'node:fs/promises';

/**
 * Writes a file so that readers see the old content or the new one, never a half-written file: the content goes to
 * a private file beside it, which is then renamed over the target (rename is atomic within one file system).
 * `mode` applies from the first byte (e.g. 0o600 for files that hold a token).
 */
export async function writeFileAtomic(path: string, content: string, options: { mode?: number } = {}): Promise<void> {
  const draft = `${path}.${process.pid}.${randomUUID()}.tmp`;
  try {
    await writeFile(draft, content, { flag: 'wx', mode: options.mode ?? 0o644 });
    await rename(draft, path);
  } catch (error) {
    await rm(draft, { force: true });
    throw error;
  }
}
