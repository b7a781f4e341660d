import fc from 'fast-check';
import { parseDocument } from 'htmlparser2';
import type { ChildNode, Element } from 'domhandler';
import type { Document } from '../../../shared/domain/document.js';
import { extract } from '../../../shared/domain/extract.js';
import { loadCorpusPage, type CorpusCountry } from '../../support/corpus.js';

/**
 * Inputs of the extraction and diff fuzzing (test/hardening/extraction-diff-fuzz.test.ts and the hardening bench):
 * corpus pages with the source positions of their elements, element-level HTML mutations and junk, and random text
 * edits of Documents.
 */
export const FUZZ_PAGES: { country: CorpusCountry; year: number }[] = [
  { country: 'tuvalu', year: 2016 },
  { country: 'andorra', year: 2020 },
  { country: 'tuvalu', year: 2023 },
  { country: 'kazakhstan', year: 2024 },
];

export interface CorpusPage {
  html: string;
  url: string;
  document: Document;
  /** [start, end) of every element, from a parse with source positions. */
  elements: [number, number][];
}

export function reportUrl(country: string, year: number): string {
  return `https://www.state.gov/reports/${year}-country-reports-on-human-rights-practices/${country}/`;
}

/** Each fuzz page: its HTML, its Document, and the [start, end) of every element. */
export function loadFuzzPages(): CorpusPage[] {
  return FUZZ_PAGES.map(({ country, year }) => {
    const html = loadCorpusPage(country, year);
    const url = reportUrl(country, year);
    const elements: [number, number][] = [];
    const walk = (nodes: ChildNode[]) => {
      for (const node of nodes) {
        if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style') continue;
        const element = node as Element;
        if (element.startIndex !== null && element.endIndex !== null) elements.push([element.startIndex, element.endIndex + 1]);
        walk(element.children);
      }
    };
    walk(parseDocument(html, { withStartIndices: true, withEndIndices: true }).children);
    return { html, url, document: extract(html, { url }), elements };
  });
}

// HTML mutations

export const JUNK = [
  '<div>',
  '</div>',
  '</section>',
  '<section class="report__main">',
  '<h2>',
  '<h2>Injected heading</h2>',
  '<h3></h3>',
  '<p>',
  '</p></p></p>',
  '<table><tr><td>',
  '<script>var s = "</p><h2>not a heading</h2>";</script>',
  '<style>p { display: none }</style>',
  '<!--',
  '-->',
  '<![CDATA[ x ]]>',
  '<?xml version="1.0"?>',
  '<!DOCTYPE html>',
  '&amp;',
  '&#0;',
  '&#xD800;',
  '&#x110000;',
  '&#99999999999;',
  '&bogus;',
  '&',
  '<',
  '>',
  '\uD800',
  '\uDFFF',
  '\uDBFF\uD800',
  '\u0000',
  '\uFEFF',
  '\u200B\u200C\u200D',
  '\u202E',
  '<a href="javascript:alert(1)">x</a>',
  '<img src=x onerror=alert(1)>',
  '<svg><h2>inside svg</h2></svg>',
  '<div hidden><h2>Hidden</h2><p>hidden text</p></div>',
  `<p>${'word '.repeat(5_000)}</p>`,
  '<div>'.repeat(5_000),
  '</div>'.repeat(5_000),
  `<p title="${'x'.repeat(100_000)}">long attribute</p>`,
];

export type Mutation =
  | { op: 'drop' | 'duplicate' | 'unwrap'; element: number }
  | { op: 'swap'; element: number; other: number }
  | { op: 'truncate'; at: number }
  | { op: 'inject'; at: number; junk: string };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constantFrom('drop' as const, 'duplicate' as const, 'unwrap' as const), element: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), element: fc.nat(), other: fc.nat() }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('inject' as const),
    at: fc.nat(),
    junk: fc.oneof(fc.constantFrom(...JUNK), fc.string({ unit: 'binary', maxLength: 50 }), fc.string({ unit: 'grapheme', maxLength: 50 })),
  }),
);

/** Applies a mutation; element indexes refer to the original page and are applied to the original string only. */
export function mutate(page: CorpusPage, html: string, change: Mutation, first: boolean): string {
  const element = (index: number) => page.elements[index % page.elements.length]!;
  switch (change.op) {
    case 'truncate':
      return html.slice(0, change.at % (html.length + 1));
    case 'inject': {
      const at = change.at % (html.length + 1);
      return html.slice(0, at) + change.junk + html.slice(at);
    }
    default:
      // Element positions are only valid in the unmutated page.
      if (!first) return html;
  }
  const [start, end] = element(change.element);
  if (change.op === 'drop') return html.slice(0, start) + html.slice(end);
  if (change.op === 'duplicate') return html.slice(0, end) + html.slice(start, end) + html.slice(end);
  if (change.op === 'unwrap') {
    const inner = html.slice(start, end);
    const open = inner.indexOf('>') + 1;
    const close = inner.lastIndexOf('</');
    return close > open ? html.slice(0, start) + inner.slice(open, close) + html.slice(end) : html;
  }
  if (change.op !== 'swap') return html;
  let [a, b] = [element(change.element), element(change.other)];
  if (a[0] > b[0]) [a, b] = [b, a];
  if (a[1] > b[0]) return html; // nested or overlapping
  return html.slice(0, a[0]) + html.slice(b[0], b[1]) + html.slice(a[1], b[0]) + html.slice(a[0], a[1]) + html.slice(b[1]);
}

export function documentProblems(document: Document): string[] {
  const problems: string[] = [];
  const keys = new Set<string>();
  for (const section of document.sections) {
    if (keys.has(section.key)) problems.push(`duplicate key ${section.key}`);
    if (section.parentKey !== undefined && !keys.has(section.parentKey))
      problems.push(`${section.key}: parent ${section.parentKey} is not an earlier section`);
    keys.add(section.key);
    if (!Number.isInteger(section.level) || section.level < 1) problems.push(`${section.key}: level ${section.level}`);
    if (section.key === '' || /\s/.test(section.key)) problems.push(`bad key ${JSON.stringify(section.key)}`);
    for (const paragraph of section.paragraphs) {
      if (paragraph.text === '' && !paragraph.lead) problems.push(`${section.key}: an empty paragraph`);
      if (paragraph.text !== paragraph.text.trim()) problems.push(`${section.key}: untrimmed paragraph`);
    }
  }
  if (!document.sections.some((section) => section.paragraphs.length > 0)) problems.push('no text');
  // Stored as JSON: it must survive the round trip (lone surrogates included).
  if (JSON.stringify(JSON.parse(JSON.stringify(document))) !== JSON.stringify(document)) problems.push('not JSON-stable');
  return problems;
}

// Text edits of Documents

export type Edit =
  | { op: 'insert-words'; section: number; paragraph: number; at: number; words: string[] }
  | { op: 'delete-words'; section: number; paragraph: number; at: number; count: number }
  | { op: 'replace-word'; section: number; paragraph: number; at: number; word: string }
  | { op: 'add-paragraph'; section: number; paragraph: number; text: string }
  | { op: 'remove-paragraph' | 'split-paragraph' | 'merge-paragraphs' | 'punctuate' | 'renumber'; section: number; paragraph: number; at: number }
  | { op: 'rename'; section: number; heading: string }
  | { op: 'add-section'; section: number; heading: string; text: string }
  | { op: 'remove-section'; section: number };

const word = fc.constantFrom(
  'government',
  'torture',
  'the',
  'of',
  'police',
  '2024',
  'detainees',
  'reported',
  'climate',
  'freedom',
  'and',
  '—',
  '(NGO)',
  'Almaty,',
  'court.',
);
const words = fc.array(word, { minLength: 1, maxLength: 8 });
const sentence = words.map((list) => `${list.join(' ')}.`);
const position = fc.nat({ max: 10_000 });
export const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('insert-words' as const), section: position, paragraph: position, at: position, words }),
  fc.record({
    op: fc.constant('delete-words' as const),
    section: position,
    paragraph: position,
    at: position,
    count: fc.integer({ min: 1, max: 6 }),
  }),
  fc.record({ op: fc.constant('replace-word' as const), section: position, paragraph: position, at: position, word }),
  fc.record({ op: fc.constant('add-paragraph' as const), section: position, paragraph: position, text: sentence }),
  fc.record({
    op: fc.constantFrom(
      'remove-paragraph' as const,
      'split-paragraph' as const,
      'merge-paragraphs' as const,
      'punctuate' as const,
      'renumber' as const,
    ),
    section: position,
    paragraph: position,
    at: position,
  }),
  fc.record({ op: fc.constant('rename' as const), section: position, heading: sentence }),
  fc.record({ op: fc.constant('add-section' as const), section: position, heading: sentence, text: sentence }),
  fc.record({ op: fc.constant('remove-section' as const), section: position }),
);

export function applyEdit(document: Document, change: Edit): void {
  const sections = document.sections;
  if (sections.length === 0) return;
  const section = sections[change.section % sections.length]!;
  const paragraphs = section.paragraphs;
  const pick = (index: number) => (paragraphs.length === 0 ? undefined : index % paragraphs.length);
  const splitWords = (index: number) => paragraphs[index]!.text.split(' ');
  switch (change.op) {
    case 'insert-words':
    case 'delete-words':
    case 'replace-word': {
      const index = pick(change.paragraph);
      if (index === undefined) return;
      const list = splitWords(index);
      const at = change.at % (list.length + 1);
      if (change.op === 'insert-words') list.splice(at, 0, ...change.words);
      else if (change.op === 'delete-words') list.splice(Math.min(at, list.length - 1), change.count);
      else list.splice(Math.min(at, list.length - 1), 1, change.word);
      const text = list.join(' ').trim();
      if (text) paragraphs[index]!.text = text;
      else paragraphs.splice(index, 1);
      return;
    }
    case 'add-paragraph':
      paragraphs.splice(change.paragraph % (paragraphs.length + 1), 0, { text: change.text });
      return;
    case 'remove-paragraph': {
      const index = pick(change.paragraph);
      if (index !== undefined) paragraphs.splice(index, 1);
      return;
    }
    case 'split-paragraph': {
      const index = pick(change.paragraph);
      if (index === undefined) return;
      const list = splitWords(index);
      if (list.length < 2) return;
      const at = 1 + (change.at % (list.length - 1));
      paragraphs.splice(index, 1, { text: list.slice(0, at).join(' ') }, { text: list.slice(at).join(' ') });
      return;
    }
    case 'merge-paragraphs': {
      const index = pick(change.paragraph);
      if (index === undefined || index + 1 >= paragraphs.length) return;
      paragraphs.splice(index, 2, { text: `${paragraphs[index]!.text} ${paragraphs[index + 1]!.text}` });
      return;
    }
    case 'punctuate': {
      const index = pick(change.paragraph);
      if (index === undefined) return;
      const list = splitWords(index);
      const at = change.at % list.length;
      list[at] = `${list[at]},`;
      paragraphs[index]!.text = list.join(' ');
      return;
    }
    case 'renumber': {
      const index = pick(change.paragraph);
      if (index === undefined) return;
      paragraphs[index]!.text = paragraphs[index]!.text.replace(/\d+/, (digits) => String(Number(digits) + 1 + (change.at % 7)));
      return;
    }
    case 'rename':
      section.heading = change.heading;
      return;
    case 'add-section': {
      const at = change.section % (sections.length + 1);
      sections.splice(at, 0, { key: `fuzz/added-${at}-${sections.length}`, heading: change.heading, level: 1, paragraphs: [{ text: change.text }] });
      return;
    }
    case 'remove-section': {
      const removed = sections.splice(change.section % sections.length, 1)[0]!;
      // Children keep a parent that exists.
      for (const child of sections) if (child.parentKey === removed.key) delete child.parentKey;
      return;
    }
  }
}
