/**
 * Key phrases tracked across editions: for each series and phrase, the editions and sections where it appears, the
 * editions where it appeared or disappeared, and the summary's sentence that holds it, old and new side by side.
 *
 * The summary is the document's first top-level section (for the Country Reports, the Executive Summary, which opens
 * every edition). Phrases are matched as the audit matches terms (foldForMatching: case, typographic quotes and
 * dashes folded), inside sentences, so a phrase never spans two sentences.
 *
 * Split for streaming: `phraseFacts` per Document (then the Document can go; the facts keep only the summary's
 * sentences), `trackPhrases` over one series' facts in edition order.
 */
import { ValidationError } from '../errors.js';
import { foldForMatching } from './audit.js';
import { toCsv } from './csv.js';
import type { Document } from './document.js';
import { normaliseSentence, splitSentences } from './sentences.js';
import { diceCoefficient, wordTokens } from './text-normalisation.js';

export interface PhraseSection {
  key: string;
  heading: string;
  /** Sentences of the section that hold the phrase. */
  count: number;
}

/** What one edition says about each phrase. */
export interface EditionPhraseFacts {
  edition: number;
  /** The summary section's key and heading, when the document has sections. */
  summary?: { key: string; heading: string };
  /** The summary's sentences, as written (kept to pair old and new sentences). */
  summarySentences: string[];
  phrases: Record<string, { sections: PhraseSection[]; summarySentence?: string }>;
}

export interface PhraseEdition {
  edition: number;
  /** Sentences holding the phrase, in the whole document. */
  count: number;
  sections: PhraseSection[];
  /** The summary's first sentence that holds the phrase. */
  summarySentence?: string;
}

export interface PhraseChange {
  /** The edition where the change shows, and the edition before it. */
  edition: number;
  previousEdition: number;
  /**
   * appeared / disappeared: the phrase is in one of the two editions only; reworded: in both, but the summary's
   * sentence that holds it changed (or moved into or out of the summary).
   */
  change: 'appeared' | 'disappeared' | 'reworded';
  /** The summary's sentence in the previous edition: the one holding the phrase, or (appeared) the closest to the new one. */
  before?: string;
  /** The summary's sentence in this edition: the one holding the phrase, or (disappeared) the closest to the old one. */
  after?: string;
}

export interface PhraseTrack {
  series: string;
  phrase: string;
  /** Editions looked at (every captured edition of the series), oldest first. */
  editions: number[];
  /** Editions where the phrase appears. */
  appearances: PhraseEdition[];
  /** First edition (of those captured) where the phrase appears; absent when it never does. */
  firstSeen?: number;
  /** Last edition where it appears. */
  lastSeen?: number;
  changes: PhraseChange[];
}

/** Distinct phrases in the order given; an empty phrase is an error (it would match everywhere). */
export function checkPhrases(phrases: readonly string[]): string[] {
  if (phrases.length === 0) throw new ValidationError('No phrases to track: give at least one phrase (--phrase), or a profile that names some.');
  for (const phrase of phrases) if (foldForMatching(phrase).trim().length === 0) throw new ValidationError('A key phrase cannot be empty.');
  return [...new Set(phrases.map((phrase) => phrase.trim()))];
}

/** A sentence "holds" a phrase when its folded text contains the folded phrase with whitespace collapsed. */
function folded(text: string): string {
  return foldForMatching(text).replace(/\s+/gu, ' ');
}

/** One edition's facts: where each phrase stands, and the summary's sentences. */
export function phraseFacts(document: Document, edition: number, phrases: readonly string[]): EditionPhraseFacts {
  const wanted = checkPhrases(phrases).map((phrase) => [phrase, folded(phrase).trim()] as const);
  const summarySection = document.sections.find((section) => section.level === 1) ?? document.sections[0];
  const facts: EditionPhraseFacts = { edition, summarySentences: [], phrases: {} };
  if (summarySection) facts.summary = { key: summarySection.key, heading: summarySection.heading };
  for (const [phrase] of wanted) facts.phrases[phrase] = { sections: [] };
  for (const section of document.sections) {
    const isSummary = section === summarySection;
    const counts = new Map<string, number>();
    for (const paragraph of section.paragraphs) {
      for (const sentence of splitSentences(paragraph.text)) {
        if (isSummary) facts.summarySentences.push(sentence);
        const text = folded(sentence);
        for (const [phrase, needle] of wanted) {
          if (!text.includes(needle)) continue;
          counts.set(phrase, (counts.get(phrase) ?? 0) + 1);
          const entry = facts.phrases[phrase]!;
          if (isSummary && entry.summarySentence === undefined) entry.summarySentence = sentence;
        }
      }
    }
    for (const [phrase, count] of counts) facts.phrases[phrase]!.sections.push({ key: section.key, heading: section.heading, count });
  }
  return facts;
}

/** Below this word Dice, no sentence of the other summary is offered as the counterpart. */
const COUNTERPART_SIMILARITY = 0.3;

/** The summary sentence most like `sentence` (word Dice), if any is alike enough. */
export function closestSentence(sentence: string, candidates: readonly string[]): string | undefined {
  const words = new Set(wordTokens(sentence));
  let best: string | undefined;
  let score = COUNTERPART_SIMILARITY;
  for (const candidate of candidates) {
    const similarity = diceCoefficient(words, new Set(wordTokens(candidate)));
    if (similarity >= score && (best === undefined || similarity > score)) {
      best = candidate;
      score = similarity;
    }
  }
  return best;
}

/** One series' phrase tracks from its editions' facts (any order; sorted by edition). */
export function trackPhrases(series: string, editions: readonly EditionPhraseFacts[], phrases: readonly string[]): PhraseTrack[] {
  const ordered = [...editions].sort((a, b) => a.edition - b.edition);
  return checkPhrases(phrases).map((phrase) => {
    const track: PhraseTrack = { series, phrase, editions: ordered.map((facts) => facts.edition), appearances: [], changes: [] };
    let previous: EditionPhraseFacts | undefined;
    for (const facts of ordered) {
      const here = facts.phrases[phrase];
      const present = (here?.sections.length ?? 0) > 0;
      if (present && here) {
        const appearance: PhraseEdition = {
          edition: facts.edition,
          count: here.sections.reduce((sum, section) => sum + section.count, 0),
          sections: here.sections,
        };
        if (here.summarySentence !== undefined) appearance.summarySentence = here.summarySentence;
        track.appearances.push(appearance);
      }
      if (previous) {
        const before = previous.phrases[phrase];
        const wasPresent = (before?.sections.length ?? 0) > 0;
        const change = changeBetween(previous, facts, before?.summarySentence, here?.summarySentence, wasPresent, present);
        if (change) track.changes.push(change);
      }
      previous = facts;
    }
    if (track.appearances.length > 0) {
      track.firstSeen = track.appearances[0]!.edition;
      track.lastSeen = track.appearances[track.appearances.length - 1]!.edition;
    }
    return track;
  });
}

function changeBetween(
  previous: EditionPhraseFacts,
  next: EditionPhraseFacts,
  oldSentence: string | undefined,
  newSentence: string | undefined,
  wasPresent: boolean,
  present: boolean,
): PhraseChange | undefined {
  const base = { edition: next.edition, previousEdition: previous.edition };
  let change: PhraseChange;
  if (wasPresent && !present) {
    change = { ...base, change: 'disappeared' };
    const after = oldSentence !== undefined ? closestSentence(oldSentence, next.summarySentences) : undefined;
    if (oldSentence !== undefined) change.before = oldSentence;
    if (after !== undefined) change.after = after;
    return change;
  }
  if (!wasPresent && present) {
    change = { ...base, change: 'appeared' };
    const before = newSentence !== undefined ? closestSentence(newSentence, previous.summarySentences) : undefined;
    if (before !== undefined) change.before = before;
    if (newSentence !== undefined) change.after = newSentence;
    return change;
  }
  if (wasPresent && present) {
    const same =
      oldSentence !== undefined && newSentence !== undefined
        ? normaliseSentence(oldSentence) === normaliseSentence(newSentence)
        : oldSentence === newSentence;
    if (same) return undefined;
    change = { ...base, change: 'reworded' };
    if (oldSentence !== undefined) change.before = oldSentence;
    if (newSentence !== undefined) change.after = newSentence;
    return change;
  }
  return undefined;
}

/** One row per series, phrase and edition where it appears: `series,phrase,edition,count,sections,summary_sentence`. */
export function phraseAppearancesToCsv(tracks: readonly PhraseTrack[]): string {
  return toCsv([
    ['series', 'phrase', 'edition', 'count', 'sections', 'summary_sentence'],
    ...tracks.flatMap((track) =>
      track.appearances.map((appearance) => [
        track.series,
        track.phrase,
        appearance.edition,
        appearance.count,
        appearance.sections.map((section) => section.heading).join('; '),
        appearance.summarySentence ?? '',
      ]),
    ),
  ]);
}

/** One row per change: `series,phrase,previous_edition,edition,change,before,after` (old and new side by side). */
export function phraseChangesToCsv(tracks: readonly PhraseTrack[]): string {
  return toCsv([
    ['series', 'phrase', 'previous_edition', 'edition', 'change', 'before', 'after'],
    ...tracks.flatMap((track) =>
      track.changes.map((change) => [
        track.series,
        track.phrase,
        change.previousEdition,
        change.edition,
        change.change,
        change.before ?? '',
        change.after ?? '',
      ]),
    ),
  ]);
}
