import type { ResolvedPageIdentity } from '../../domain/identity/resolve-page-identity.js';
import { ArchiveUrlError, ExtractionError } from '../../errors.js';
import { extractCapture, readCapture, type CaptureReading } from '../../use-cases/capture-reading.js';

/**
 * The worker-thread side of the capture reader pool (capture-reader-pool.ts): one task reads one capture. Results
 * cross the thread boundary by structured clone, so the identity's profile travels as its name, and the two errors
 * the import tells apart travel as data (their classes would not survive the copy).
 */
export type CaptureReaderTask = { kind: 'read'; text: string; url?: string } | { kind: 'extract'; text: string; url: string; profile: string };

export type TransferredIdentity = Omit<ResolvedPageIdentity, 'profile'> & { profile: string };

export type CaptureReaderResult =
  | { ok: true; reading: Omit<CaptureReading, 'identity'> & { identity?: TransferredIdentity } }
  | { ok: false; error: 'extraction'; reason: ExtractionError['reason']; message: string }
  | { ok: false; error: 'archive-url'; message: string };

export default function readCaptureTask(task: CaptureReaderTask): CaptureReaderResult {
  try {
    if (task.kind === 'extract') return { ok: true, reading: extractCapture(task.text, task.url, task.profile) };
    const { identity, ...reading } = readCapture(task.text, task.url);
    return { ok: true, reading: { ...reading, identity: { ...identity, profile: identity.profile.name } } };
  } catch (error) {
    if (error instanceof ExtractionError) return { ok: false, error: 'extraction', reason: error.reason, message: error.message };
    if (error instanceof ArchiveUrlError) return { ok: false, error: 'archive-url', message: error.message };
    throw error;
  }
}
