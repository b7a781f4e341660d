/**
 * Text helpers for comparing sections and paragraphs: folding for similarity, tokenising, hashing and set overlap.
 * These never change what is stored or shown; they only decide what counts as "the same".
 */

// The one set of typographic variants, folded by foldTypography for every comparison: sentence identity
// (sentences.ts), term matching (audit.ts) and section similarity (here).
const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u02BC\u0060\u00B4\uFF07]/g;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g;
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
// An alternation, not a class: a class holding the zero-width joiner reads as a joined sequence.
const INVISIBLE = /\u00AD|\u200B|\u200C|\u200D|\u2060|\uFEFF/g;
const WHITESPACE = '[\\s\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]';
const WHITESPACE_RUN = new RegExp(`${WHITESPACE}+`, 'g');
const COMBINING_MARKS = /[\u0300-\u036f]/g;
// Whether a fold has anything to do: any character the first five folds replace, and any whitespace that is not
// one plain space standing alone (most sentences of a report have none of either, and each fold is a full scan).
const TYPOGRAPHY = new RegExp(`${INVISIBLE.source}|${SINGLE_QUOTES.source}|${DOUBLE_QUOTES.source}|${DASHES.source}|\u2026`);
const WHITESPACE_TO_FOLD = new RegExp(`(?! )${WHITESPACE}| ${WHITESPACE}`);

/** Typographic quotes, apostrophes, dashes and the ellipsis to ASCII, invisible characters removed, whitespace runs to one space. */
export function foldTypography(text: string): string {
  // Each fold runs only when it would change something: the same result as running them all, in this order.
  const folded = TYPOGRAPHY.test(text)
    ? text
        .replace(INVISIBLE, '')
        .replace(SINGLE_QUOTES, "'")
        .replace(DOUBLE_QUOTES, '"')
        .replace(DASHES, '-')
        .replace(/\u2026/g, '...')
    : text;
  return WHITESPACE_TO_FOLD.test(folded) ? folded.replace(WHITESPACE_RUN, ' ') : folded;
}

/** Folded for similarity: typography to ASCII, diacritics removed, lower case, whitespace collapsed. */
export function foldForComparison(text: string): string {
  return foldTypography(text).normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().trim();
}

export function collapseWhitespace(text: string): string {
  return text.replace(INVISIBLE, '').replace(WHITESPACE_RUN, ' ').trim();
}

/** Words for similarity: folded runs of letters and digits ("Anti-Semitism" gives "anti", "semitism"). */
export function wordTokens(text: string): string[] {
  return foldForComparison(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

const HEADING_STOPWORDS = new Set(['a', 'an', 'and', 'at', 'by', 'for', 'from', 'in', 'of', 'on', 'or', 'the', 'to', 'with']);

/** Heading words without connectives, so "Freedom of Speech and Press" keeps "freedom", "speech", "press". */
export function headingWords(heading: string): Set<string> {
  const words = wordTokens(heading).filter((word) => !HEADING_STOPWORDS.has(word));
  return new Set(words.length > 0 ? words : wordTokens(heading));
}

/** Character bigrams over letters and digits only, so "Anti-Semitism" and "Antisemitism" share all of them. */
export function characterBigrams(text: string): Set<string> {
  const letters = foldForComparison(text).replace(/[^\p{L}\p{N}]+/gu, '');
  const grams = new Set<string>();
  for (let i = 0; i + 1 < letters.length; i++) grams.add(letters.slice(i, i + 2));
  if (letters.length === 1) grams.add(letters);
  return grams;
}

/** Sørensen-Dice coefficient of two sets: 2|A∩B| / (|A|+|B|); 1 for two empty sets. */
export function diceCoefficient<T>(a: ReadonlySet<T>, b: ReadonlySet<T>): number {
  if (a.size === 0 && b.size === 0) return 1;
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const item of small) if (large.has(item)) shared++;
  return (2 * shared) / (a.size + b.size);
}

const UNKNOWN = 0;
const SPACE = 1;
const WORD = 2;
const OTHER = 3;
/** Character class per UTF-16 code unit; ASCII is filled up front, the rest on first sight. */
const CHAR_CLASS = new Uint8Array(65536);
for (let code = 0; code < 128; code++) {
  const word = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  CHAR_CLASS[code] = code === 32 || (code >= 9 && code <= 13) ? SPACE : word ? WORD : OTHER;
}

function charClass(code: number): number {
  const known = CHAR_CLASS[code] as number;
  if (known !== UNKNOWN) return known;
  let found = OTHER;
  if (code === 160 || code === 0x2028 || code === 0x2029) found = SPACE;
  // Surrogates count as word characters: astral letters are far more common in text than astral symbols.
  else if ((code >= 0xd800 && code <= 0xdfff) || /[\p{L}\p{N}\p{M}]/u.test(String.fromCharCode(code))) found = WORD;
  CHAR_CLASS[code] = found;
  return found;
}

/** Whitespace as document.countWords sees it. */
export function isSpaceCode(code: number): boolean {
  return charClass(code) === SPACE;
}

/** Letters, digits and combining marks (UTF-16 code unit; surrogates count as letters). */
export function isWordCode(code: number): boolean {
  return charClass(code) === WORD;
}

/**
 * Words as change counts see them: runs of non-whitespace that contain a letter or digit. Like document.countWords,
 * except that lone punctuation ("-", "," or "§") is not a word, so a punctuation edit adds or removes no words.
 */
export function countWordsWithLetters(text: string): number {
  let count = 0;
  let inToken = false;
  let tokenHasWord = false;
  for (let i = 0; i < text.length; i++) {
    const kind = charClass(text.charCodeAt(i));
    if (kind === SPACE) {
      if (tokenHasWord) count++;
      inToken = false;
      tokenHasWord = false;
    } else {
      inToken = true;
      if (kind === WORD) tokenHasWord = true;
    }
  }
  if (inToken && tokenHasWord) count++;
  return count;
}

/** The words countWordsWithLetters counts, with punctuation around them trimmed ("(Almaty)," gives "Almaty"). */
export function wordsWithLetters(text: string): string[] {
  const words: string[] = [];
  for (const token of text.split(WHITESPACE_RUN)) {
    let start = 0;
    let end = token.length;
    while (start < end && !isWordCode(token.charCodeAt(start))) start++;
    while (end > start && !isWordCode(token.charCodeAt(end - 1))) end--;
    if (end > start) words.push(token.slice(start, end));
  }
  return words;
}

/**
 * Words added and removed between two texts when no word-level diff is available: the multiset difference of
 * their words (a word that appears twice before and three times after counts once as added), compared without the
 * punctuation around them, as the word diff does not count punctuation either. Ignores order, so it is a lower
 * bound of what a positional diff would count.
 */
export function multisetWordChanges(before: string, after: string): { added: number; removed: number } {
  const counts = new Map<string, number>();
  for (const word of wordsWithLetters(before)) counts.set(word, (counts.get(word) ?? 0) + 1);
  for (const word of wordsWithLetters(after)) counts.set(word, (counts.get(word) ?? 0) - 1);
  let added = 0;
  let removed = 0;
  for (const balance of counts.values()) {
    if (balance > 0) removed += balance;
    else added -= balance;
  }
  return { added, removed };
}

/** One text split into word and punctuation tokens; whitespace rides along with the token after it. */
export interface TokenizedText {
  text: string;
  /** Token i is text.slice(starts[i], starts[i + 1]) (leading whitespace included); starts has one extra entry. */
  starts: Int32Array;
  /** Interned token texts without whitespace: equal ids mean equal tokens. */
  ids: Int32Array;
  /** Sorted distinct ids of the tokens that contain a letter or digit (for similarity); computed on first use. */
  readonly vocabulary: Int32Array;
  /** Words as countWordsWithLetters counts them, found during the same scan. */
  wordCount: number;
}

const INITIAL_TABLE_SIZE = 1 << 12;

class Tokenized implements TokenizedText {
  private words?: Int32Array;

  constructor(
    readonly text: string,
    readonly starts: Int32Array,
    readonly ids: Int32Array,
    readonly wordCount: number,
    private readonly tokenizer: WordTokenizer,
  ) {}

  get vocabulary(): Int32Array {
    this.words ??= this.tokenizer.vocabularyOf(this.ids);
    return this.words;
  }
}

/**
 * Splits texts into tokens (a run of letters/digits, or one other non-space character) and interns them, so diffs
 * compare integers. One per document diff: the same paragraph text is tokenized once however often it is used.
 * Interning uses its own open-addressing table keyed by a hash computed during the scan and confirmed by comparing
 * characters, which avoids slicing a string per token (the tokenizer is the hot loop of an edition diff).
 */
export class WordTokenizer {
  /** Open-addressing table: token id per slot (-1 empty), and the token's hash beside it so most probes stay here. */
  private slots = new Int32Array(INITIAL_TABLE_SIZE).fill(-1);
  private slotHashes = new Int32Array(INITIAL_TABLE_SIZE);
  private readonly cores: string[] = [];
  private hashes = new Int32Array(INITIAL_TABLE_SIZE / 2);
  private wordFlags = new Uint8Array(INITIAL_TABLE_SIZE / 2);
  /** Per id, the serial of the last text that listed it in its vocabulary. */
  private stamps = new Int32Array(INITIAL_TABLE_SIZE / 2);
  /** Per id, the gap whose inverted index it heads (a serial), and the first posting of its list. */
  private postingGap = new Int32Array(INITIAL_TABLE_SIZE / 2);
  private postingHead = new Int32Array(INITIAL_TABLE_SIZE / 2);
  /** Postings pool: next posting in the list and the paragraph it names. */
  private postingNext = new Int32Array(1024);
  private postingOwner = new Int32Array(1024);
  private serial = 0;
  private scratchStarts = new Int32Array(1024);
  private scratchIds = new Int32Array(1024);
  private readonly cache = new Map<string, TokenizedText>();

  tokenize(text: string): TokenizedText {
    const cached = this.cache.get(text);
    if (cached) return cached;
    const length = text.length;
    if (this.scratchStarts.length < length + 2) {
      this.scratchStarts = new Int32Array(2 * length + 2);
      this.scratchIds = new Int32Array(2 * length + 2);
    }
    const starts = this.scratchStarts;
    const ids = this.scratchIds;
    let count = 0;
    let words = 0;
    let runHasWord = false;
    let i = 0;
    while (i < length) {
      const start = i;
      let code = text.charCodeAt(i);
      let kind = CHAR_CLASS[code] || charClass(code);
      while (kind === SPACE && ++i < length) {
        code = text.charCodeAt(i);
        kind = CHAR_CLASS[code] || charClass(code);
      }
      if (i >= length) {
        // Trailing whitespace belongs to the last token; a text of only whitespace is one empty token.
        if (count === 0) {
          starts[0] = start;
          ids[0] = this.intern(text, i, i, 0x811c9dc5 | 0);
          count = 1;
        }
        break;
      }
      const coreStart = i;
      // A new run of non-space characters: the previous one was a word if it had a letter or digit.
      if (coreStart !== start || count === 0) {
        if (runHasWord) words++;
        runHasWord = false;
      }
      let hash = Math.imul(0x811c9dc5 ^ code, 0x01000193);
      i++;
      if (kind === WORD) {
        runHasWord = true;
        while (i < length) {
          code = text.charCodeAt(i);
          if ((CHAR_CLASS[code] || charClass(code)) !== WORD) break;
          hash = Math.imul(hash ^ code, 0x01000193);
          i++;
        }
      }
      const id = this.intern(text, coreStart, i, hash);
      starts[count] = start;
      ids[count] = id;
      count++;
    }
    starts[count] = length;
    if (runHasWord) words++;
    const tokenized = new Tokenized(text, starts.slice(0, count + 1), ids.slice(0, count), words, this);
    this.cache.set(text, tokenized);
    return tokenized;
  }

  /** Sorted distinct word ids of a token list. */
  vocabularyOf(ids: Int32Array): Int32Array {
    const serial = ++this.serial;
    const stamps = this.stamps;
    const flags = this.wordFlags;
    const words = this.scratchIds.length >= ids.length ? this.scratchIds : new Int32Array(ids.length);
    let count = 0;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as number;
      if (flags[id] === 1 && stamps[id] !== serial) {
        stamps[id] = serial;
        words[count++] = id;
      }
    }
    return words.slice(0, count).sort();
  }

  /**
   * Dice coefficients over distinct words for every (removed, added) pair of a gap, row-major (removed x added),
   * through an inverted index of the removed paragraphs' words kept in reusable arrays: one pass over each text, no
   * sorting, no per-paragraph allocation.
   */
  diceTable(removed: readonly TokenizedText[], added: readonly TokenizedText[]): Float64Array {
    const r = removed.length;
    const s = added.length;
    const table = new Float64Array(r * s);
    const distinctRemoved = new Int32Array(r);
    const gap = ++this.serial;
    const stamps = this.stamps;
    const flags = this.wordFlags;
    const postingGap = this.postingGap;
    const postingHead = this.postingHead;
    let pool = 0;
    for (let a = 0; a < r; a++) {
      const mark = ++this.serial;
      const ids = (removed[a] as TokenizedText).ids;
      if (pool + ids.length > this.postingNext.length) this.growPostings(pool + ids.length);
      const next = this.postingNext;
      const owner = this.postingOwner;
      let distinct = 0;
      for (let k = 0; k < ids.length; k++) {
        const id = ids[k] as number;
        if (flags[id] !== 1 || stamps[id] === mark) continue;
        stamps[id] = mark;
        distinct++;
        if (postingGap[id] !== gap) {
          postingGap[id] = gap;
          postingHead[id] = -1;
        }
        next[pool] = postingHead[id] as number;
        owner[pool] = a;
        postingHead[id] = pool++;
      }
      distinctRemoved[a] = distinct;
    }
    const next = this.postingNext;
    const owner = this.postingOwner;
    for (let b = 0; b < s; b++) {
      const mark = ++this.serial;
      const ids = (added[b] as TokenizedText).ids;
      let distinct = 0;
      for (let k = 0; k < ids.length; k++) {
        const id = ids[k] as number;
        if (flags[id] !== 1 || stamps[id] === mark) continue;
        stamps[id] = mark;
        distinct++;
        if (postingGap[id] !== gap) continue;
        for (let posting = postingHead[id] as number; posting >= 0; posting = next[posting] as number) {
          const at = (owner[posting] as number) * s + b;
          table[at] = (table[at] as number) + 1;
        }
      }
      for (let a = 0; a < r; a++) {
        const total = (distinctRemoved[a] as number) + distinct;
        const at = a * s + b;
        table[at] = total === 0 ? 1 : (2 * (table[at] as number)) / total;
      }
    }
    return table;
  }

  private growPostings(needed: number): void {
    const size = Math.max(needed, this.postingNext.length * 2);
    const next = new Int32Array(size);
    next.set(this.postingNext);
    this.postingNext = next;
    const owner = new Int32Array(size);
    owner.set(this.postingOwner);
    this.postingOwner = owner;
  }

  /**
   * Dice coefficient over the distinct words of two tokenized texts, as sortedDice of their vocabularies, but in one
   * pass over each without sorting or allocating (the common case compares each pair once).
   */
  dice(a: TokenizedText, b: TokenizedText): number {
    const inA = ++this.serial;
    const seenInB = ++this.serial;
    const stamps = this.stamps;
    const flags = this.wordFlags;
    let distinctA = 0;
    for (let i = 0; i < a.ids.length; i++) {
      const id = a.ids[i] as number;
      if (flags[id] === 1 && stamps[id] !== inA) {
        stamps[id] = inA;
        distinctA++;
      }
    }
    let distinctB = 0;
    let shared = 0;
    for (let i = 0; i < b.ids.length; i++) {
      const id = b.ids[i] as number;
      if (flags[id] !== 1) continue;
      const stamp = stamps[id];
      if (stamp === seenInB) continue;
      if (stamp === inA) shared++;
      stamps[id] = seenInB;
      distinctB++;
    }
    if (distinctA === 0 && distinctB === 0) return 1;
    return (2 * shared) / (distinctA + distinctB);
  }

  /** countWordsWithLetters, free when the text was tokenized already. */
  countWords(text: string): number {
    const tokenized = this.cache.get(text);
    return tokenized ? tokenized.wordCount : countWordsWithLetters(text);
  }

  /** Whether the token with this id has a letter or digit. */
  isWord(id: number): boolean {
    return this.wordFlags[id] === 1;
  }

  private intern(text: string, start: number, end: number, hash: number): number {
    const slots = this.slots;
    const slotHashes = this.slotHashes;
    const mask = slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = slots[slot] as number;
      if (id === -1) return this.add(text, start, end, hash, slot);
      if (slotHashes[slot] === hash && sameText(this.cores[id] as string, text, start, end)) return id;
    }
  }

  private add(text: string, start: number, end: number, hash: number, slot: number): number {
    const id = this.cores.length;
    if (id >= this.hashes.length) {
      this.hashes = doubled(this.hashes);
      this.wordFlags = doubled(this.wordFlags);
      this.stamps = doubled(this.stamps);
      this.postingGap = doubled(this.postingGap);
      this.postingHead = doubled(this.postingHead);
    }
    const core = text.slice(start, end);
    this.cores.push(core);
    this.hashes[id] = hash;
    this.wordFlags[id] = core.length > 0 && isWordCode(core.charCodeAt(0)) ? 1 : 0;
    this.slots[slot] = id;
    this.slotHashes[slot] = hash;
    if (this.cores.length * 2 > this.slots.length) this.grow();
    return id;
  }

  private grow(): void {
    const size = this.slots.length * 2;
    const slots = new Int32Array(size).fill(-1);
    const slotHashes = new Int32Array(size);
    const mask = size - 1;
    for (let id = 0; id < this.cores.length; id++) {
      const hash = this.hashes[id] as number;
      let slot = hash & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = id;
      slotHashes[slot] = hash;
    }
    this.slots = slots;
    this.slotHashes = slotHashes;
  }
}

function sameText(core: string, text: string, start: number, end: number): boolean {
  if (core.length !== end - start) return false;
  for (let k = 0; k < core.length; k++) if (core.charCodeAt(k) !== text.charCodeAt(start + k)) return false;
  return true;
}

/** Dice coefficient of two sorted arrays of distinct numbers (a merge, no hashing); 1 for two empty arrays. */
export function sortedDice(a: Int32Array, b: Int32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  let i = 0;
  let j = 0;
  let shared = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return (2 * shared) / (a.length + b.length);
}

/** A copy of a per-id table with twice the room. */
function doubled<T extends Int32Array | Uint8Array>(table: T): T {
  const grown = new (table.constructor as new (length: number) => T)(table.length * 2);
  grown.set(table);
  return grown;
}
