/**
 * Text helpers for comparing sections and paragraphs: folding for similarity, tokenising, hashing and set overlap.
 * These never change what is stored or shown; they only decide what counts as "the same".
 */

const SINGLE_QUOTES = /[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4]/g;
const DOUBLE_QUOTES = /[\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB]/g;
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D]/g;
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD]/g;
const WHITESPACE_RUN = /[\s\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+/g;
const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Typographic quotes and dashes to ASCII, invisible characters removed, every space to a plain space. */
export function foldTypography(text: string): string {
  return text
    .replace(INVISIBLE, '')
    .replace(SINGLE_QUOTES, "'")
    .replace(DOUBLE_QUOTES, '"')
    .replace(DASHES, '-')
    .replace(/\u2026/g, '...')
    .replace(WHITESPACE_RUN, ' ');
}

/** Folded for similarity: typography to ASCII, diacritics removed, lower case, whitespace collapsed. */
export function foldForComparison(text: string): string {
  return foldTypography(text).normalize('NFKD').replace(COMBINING_MARKS, '').toLowerCase().trim();
}

export function collapseWhitespace(text: string): string {
  return text.replace(INVISIBLE, '').replace(WHITESPACE_RUN, ' ').trim();
}

/** Removes punctuation, symbols and whitespace: what is left are letters, digits and combining marks. */
export function stripPunctuationAndWhitespace(text: string): string {
  return text.replace(/[^\p{L}\p{N}\p{M}]+/gu, '');
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

/** 32-bit FNV-1a over UTF-16 code units: fast and good enough to bucket shingles (collisions only blur scores). */
export function hashString(text: string, seed = 0x811c9dc5): number {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Hashes of overlapping word n-grams ("shingles"). Word order matters within a shingle, so two sections that
 * merely share vocabulary score lower than two that share sentences.
 */
export function shingleHashes(words: readonly string[], size = 3): Set<number> {
  const hashes = new Set<number>();
  if (words.length < size) {
    if (words.length > 0) hashes.add(hashString(words.join(' ')));
    return hashes;
  }
  const wordHashes = words.map((word) => hashString(word));
  for (let i = 0; i + size <= words.length; i++) {
    let hash = 0x811c9dc5;
    for (let j = 0; j < size; j++) hash = Math.imul(hash ^ (wordHashes[i + j] as number), 0x01000193) >>> 0;
    hashes.add(hash >>> 0);
  }
  return hashes;
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
  /** Sorted distinct ids of the tokens that contain a letter or digit (for similarity). */
  vocabulary: Int32Array;
}

const INITIAL_TABLE_SIZE = 1 << 12;

/**
 * Splits texts into tokens (a run of letters/digits, or one other non-space character) and interns them, so diffs
 * compare integers. One per document diff: the same paragraph text is tokenized once however often it is used.
 * Interning uses its own open-addressing table keyed by a hash computed during the scan and confirmed by comparing
 * characters, which avoids slicing a string per token (the tokenizer is the hot loop of an edition diff).
 */
export class WordTokenizer {
  private slots = new Int32Array(INITIAL_TABLE_SIZE).fill(-1);
  private readonly hashes: number[] = [];
  private readonly cores: string[] = [];
  private readonly wordFlags: boolean[] = [];
  /** Per id, the serial of the last text that listed it in its vocabulary. */
  private stamps = new Int32Array(INITIAL_TABLE_SIZE);
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
    const serial = ++this.serial;
    const vocabulary: number[] = [];
    let count = 0;
    let i = 0;
    while (i < length) {
      const start = i;
      let code = text.charCodeAt(i);
      while (charClass(code) === SPACE && ++i < length) code = text.charCodeAt(i);
      if (i >= length) {
        // Trailing whitespace belongs to the last token; a text of only whitespace is one empty token.
        if (count === 0) {
          starts[0] = start;
          ids[0] = this.intern(text, i, i, 0x811c9dc5);
          count = 1;
        }
        break;
      }
      const coreStart = i;
      let hash = Math.imul(0x811c9dc5 ^ code, 0x01000193);
      i++;
      if (charClass(code) === WORD) {
        while (i < length && charClass((code = text.charCodeAt(i))) === WORD) {
          hash = Math.imul(hash ^ code, 0x01000193);
          i++;
        }
      }
      const id = this.intern(text, coreStart, i, hash >>> 0);
      starts[count] = start;
      ids[count] = id;
      count++;
      if (this.wordFlags[id] && this.stamps[id] !== serial) {
        this.stamps[id] = serial;
        vocabulary.push(id);
      }
    }
    starts[count] = length;
    const tokenized: TokenizedText = {
      text,
      starts: starts.slice(0, count + 1),
      ids: ids.slice(0, count),
      vocabulary: Int32Array.from(vocabulary).sort(),
    };
    this.cache.set(text, tokenized);
    return tokenized;
  }

  /** Whether the token with this id has a letter or digit. */
  isWord(id: number): boolean {
    return this.wordFlags[id] === true;
  }

  private intern(text: string, start: number, end: number, hash: number): number {
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = this.slots[slot] as number;
      if (id === -1) {
        const created = this.cores.length;
        const core = text.slice(start, end);
        this.cores.push(core);
        this.hashes.push(hash);
        this.wordFlags.push(core.length > 0 && isWordCode(core.charCodeAt(0)));
        this.slots[slot] = created;
        if (this.cores.length * 2 > this.slots.length) this.grow();
        return created;
      }
      if (this.hashes[id] === hash && sameText(this.cores[id] as string, text, start, end)) return id;
    }
  }

  private grow(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    this.hashes.forEach((hash, id) => {
      let slot = hash & mask;
      while (slots[slot] !== -1) slot = (slot + 1) & mask;
      slots[slot] = id;
    });
    this.slots = slots;
    const stamps = new Int32Array(slots.length);
    stamps.set(this.stamps);
    this.stamps = stamps;
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
