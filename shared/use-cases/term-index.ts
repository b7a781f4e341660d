import type { Document } from '../domain/document.js';
import { buildTermIndex, parseTermIndex, type TermIndex } from '../domain/term-index.js';
import type { SnapshotStore } from '../ports/snapshot-store.js';

/**
 * The stored term index of a Document (term-index.ts), built from the Document and stored when there is none (a
 * store recorded before indexes existed), when it is of another version, or when it cannot be read: the index is
 * derived data, so any failure falls back to the Document itself. `document` is that Document when the caller had
 * to read it anyway (it is read here otherwise, only when the index is missing).
 */
export async function storedTermIndex(
  snapshots: Pick<SnapshotStore, 'getTermIndex' | 'putTermIndex' | 'getDocument'>,
  documentKey: string,
): Promise<{ index: TermIndex; document?: Document }> {
  let stored: TermIndex | undefined;
  try {
    stored = parseTermIndex(await snapshots.getTermIndex(documentKey));
  } catch {
    stored = undefined; // unreadable (a damaged object, a missing grant): rebuilt below
  }
  if (stored) return { index: stored };
  const document = await snapshots.getDocument(documentKey);
  const index = buildTermIndex(document);
  await storeTermIndex(snapshots, documentKey, index);
  return { index, document };
}

/**
 * Stores a Document's term index, best effort: a failed write costs the next whole-store query one Document read
 * (it builds the index again), never a wrong count.
 */
export async function storeTermIndex(snapshots: Pick<SnapshotStore, 'putTermIndex'>, documentKey: string, index: TermIndex): Promise<boolean> {
  try {
    await snapshots.putTermIndex(documentKey, index);
    return true;
  } catch {
    return false;
  }
}
