import { looksLikeArchiveUrl, unwrapArchiveUrl } from '../../shared/domain/identity/archive-url.js';
import { ArchiveUrlError } from '../../shared/errors.js';

const ORIGINAL = 'https://www.state.gov/reports/2019-country-reports-on-human-rights-practices/kazakhstan/';

describe('unwrapArchiveUrl', () => {
  it('unwraps /web/<timestamp>[flags_]/<original>, keeping the capture time and the flag', () => {
    expect(unwrapArchiveUrl(`https://web.archive.org/web/20200302130513/${ORIGINAL}`)).toEqual({
      url: ORIGINAL,
      capture: { archive: 'https://web.archive.org/web/', timestamp: '20200302130513', capturedAt: '2020-03-02T13:05:13.000Z', precision: 'second' },
    });
    expect(unwrapArchiveUrl(`https://web.archive.org/web/20200302130513id_/${ORIGINAL}`).capture).toMatchObject({ flag: 'id' });
  });

  it('reads partial timestamps as the start of their period', () => {
    const cases: Array<[string, string, string]> = [
      ['2020', '2020-01-01T00:00:00.000Z', 'year'],
      ['202003', '2020-03-01T00:00:00.000Z', 'month'],
      ['20200302', '2020-03-02T00:00:00.000Z', 'day'],
      ['2020030213', '2020-03-02T13:00:00.000Z', 'hour'],
      ['202003021305', '2020-03-02T13:05:00.000Z', 'minute'],
    ];
    for (const [timestamp, capturedAt, precision] of cases) {
      expect(unwrapArchiveUrl(`https://web.archive.org/web/${timestamp}/${ORIGINAL}`).capture).toMatchObject({ capturedAt, precision });
    }
  });

  it('repairs the original: one slash after the scheme, no scheme, percent-encoded, relative to the archive, nested', () => {
    const variants = [
      `https://web.archive.org/web/20200302130513/https:/www.state.gov/reports/2019-country-reports-on-human-rights-practices/kazakhstan/`,
      `https://web.archive.org/web/20200302130513/www.state.gov/reports/2019-country-reports-on-human-rights-practices/kazakhstan/`,
      `https://web.archive.org/web/20200302130513/${encodeURIComponent(ORIGINAL)}`,
      `/web/20200302130513/${ORIGINAL}`,
      `//web.archive.org/web/20200302130513/${ORIGINAL}`,
      `https://web.archive.org/web/20250101000000/https://web.archive.org/web/20200302130513/${ORIGINAL}`,
      // Another archive's prefix, with the same shape.
      `https://wayback.archive-it.org/1234/20200302130513/${ORIGINAL}`,
    ];
    for (const variant of variants) expect(unwrapArchiveUrl(variant).url).toBe(ORIGINAL);
    expect(unwrapArchiveUrl(`https://web.archive.org/web/20200302130513/${ORIGINAL}?a=1#x`).url).toBe(`${ORIGINAL}?a=1#x`);
  });

  it('leaves ordinary URLs and paths alone', () => {
    for (const url of [
      ORIGINAL,
      'https://example.org/reports/2019/annual.report.html',
      'https://example.org/web/about',
      'https://example.org/2019/',
      '/reports/annual',
      'file:///C:/Users/me/kazakhstan.html',
    ]) {
      expect(unwrapArchiveUrl(url)).toEqual({ url });
      expect(looksLikeArchiveUrl(url)).toBe(false);
    }
  });

  it('refuses a malformed archive URL with a named error that says what is wrong', () => {
    const cases: Array<[string, RegExp]> = [
      [`https://web.archive.org/web/2019xx/${ORIGINAL}`, /"2019xx" is not a capture timestamp/],
      [`https://web.archive.org/web/20191340000000/${ORIGINAL}`, /20191340000000 is not a date and time/],
      [`https://web.archive.org/web/20190231000000/${ORIGINAL}`, /is not a date and time/],
      [`https://web.archive.org/web/2019030/${ORIGINAL}`, /has 7 digits/],
      ['https://web.archive.org/web/20200302130513/', /no original URL after the timestamp 20200302130513/],
      ['https://web.archive.org/web/20200302130513/not-a-host', /no original URL/],
      [`https://web.archive.org/web/*/${ORIGINAL}`, /"\*" is not a capture timestamp/],
    ];
    for (const [url, message] of cases) {
      expect(() => unwrapArchiveUrl(url)).toThrow(ArchiveUrlError);
      expect(() => unwrapArchiveUrl(url)).toThrow(message);
      expect(looksLikeArchiveUrl(url)).toBe(true);
    }
  });
});
