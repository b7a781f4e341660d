import { countWords, documentPlainText, headingPath, type Document } from '../../shared/domain/document.js';

describe('countWords', () => {
  it('counts runs of non-whitespace, including non-breaking spaces as separators', () => {
    expect(countWords('')).toBe(0);
    expect(countWords('  one two\tthree\nfour ')).toBe(4);
    expect(countWords('U.S.\u00a0government, 2024')).toBe(3);
  });
});

describe('document helpers', () => {
  const document: Document = {
    schemaVersion: 1,
    url: 'https://example.org/a',
    canonicalUrl: 'https://example.org/a',
    title: 'A',
    profile: 'generic',
    sections: [
      { key: 'top', heading: 'Top', number: '1', level: 1, paragraphs: [{ text: 'Alpha beta.' }] },
      { key: 'top/sub', heading: 'Sub', level: 2, parentKey: 'top', paragraphs: [{ text: 'Gamma.' }] },
    ],
  };
  it('renders plain text with numbered headings', () => {
    expect(documentPlainText(document)).toBe('1. Top\nAlpha beta.\nSub\nGamma.\n');
  });
  it('walks the heading path', () => {
    expect(headingPath(document, 'top/sub')).toEqual(['Top', 'Sub']);
  });
});
