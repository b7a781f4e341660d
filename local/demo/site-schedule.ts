import { pageLabel, type CorpusPageRef } from './corpus-pages.js';
import { deleteParagraph, insertSentence, reflowWhitespace, renameHeading, replaceInParagraph } from './known-edits.js';
import type { SiteChange, ValidatorMode } from './report-site.js';

/**
 * What the local report site does during the demo (`npm start`), one cycle per simulated day. Cycle 1 is the
 * baseline; the chrome rotates on every request throughout.
 */
export const DEMO_WATCHES: readonly CorpusPageRef[] = [
  { country: 'kazakhstan', year: 2022 },
  { country: 'kazakhstan', year: 2023 },
  { country: 'china', year: 2023 },
  { country: 'russia', year: 2023 },
];

/** Kazakhstan answers conditional GETs (weak ETag); Russia sends a byte ETag that changes on every request; China sends none. */
export const DEMO_VALIDATORS: Readonly<Record<string, ValidatorMode>> = {
  'russia/2023': 'strong',
  'china/2023': 'none',
  'china/2024': 'none',
};

export const DEMO_CYCLES = 6;

/** The demo alerts after two failures in a row (the default is three) so that one run shows an alert. */
export const DEMO_FAILURE_ALERT_THRESHOLD = 2;

const kazakhstan2022 = { country: 'kazakhstan', year: 2022 } as const;
const kazakhstan2023 = { country: 'kazakhstan', year: 2023 } as const;
const kazakhstan2024 = { country: 'kazakhstan', year: 2024 } as const;
const china2023 = { country: 'china', year: 2023 } as const;
const china2024 = { country: 'china', year: 2024 } as const;
const russia2023 = { country: 'russia', year: 2023 } as const;
const russia2024 = { country: 'russia', year: 2024 } as const;

export const TORTURE_HEADING = 'Torture and Other Cruel, Inhuman, or Degrading Treatment or Punishment, and Other Related Abuses';
export const EXPRESSION_HEADING = 'Freedom of Expression, Including for Members of the Press and Other Media';
export const INSERTED_SENTENCE = 'Human rights defenders reported further cases of torture in pretrial detention facilities in the fourth quarter.';

export const DEMO_SCHEDULE: readonly SiteChange[] = [
  // The 2024 editions are not out yet when the demo starts.
  { cycle: 3, page: kazakhstan2024, type: 'publish' },
  { cycle: 6, page: china2024, type: 'publish' },
  { cycle: 1000, page: russia2024, type: 'publish' },
  { cycle: 2, page: kazakhstan2023, type: 'edit', edits: [insertSentence(TORTURE_HEADING, 0, INSERTED_SENTENCE)] },
  // Markup only: every space of the report body becomes a line break and indentation.
  { cycle: 2, page: china2023, type: 'edit', edits: [reflowWhitespace()] },
  {
    cycle: 3,
    page: kazakhstan2022,
    type: 'edit',
    edits: [replaceInParagraph('EXECUTIVE SUMMARY', 0, 'November 20', 'November 21'), deleteParagraph(EXPRESSION_HEADING, 3)],
  },
  { cycle: 3, page: russia2023, type: 'error-page' },
  { cycle: 4, page: russia2023, type: 'unavailable', retryAfterSeconds: 600 },
  {
    cycle: 5,
    page: russia2023,
    type: 'edit',
    edits: [
      renameHeading(EXPRESSION_HEADING, 'Freedom of Expression, Including for the Press'),
      replaceInParagraph('EXECUTIVE SUMMARY', 0, '25 years', '26 years'),
    ],
  },
  {
    cycle: 6,
    page: kazakhstan2024,
    type: 'edit',
    edits: [insertSentence('EXECUTIVE SUMMARY', 0, 'This report was updated to correct an error in Section 2.')],
  },
];

/** One line per change, for the demo's progress output. */
export function describeSiteChange(change: SiteChange): string {
  const label = pageLabel(change.page);
  switch (change.type) {
    case 'edit':
      return `${label}: ${change.note ?? change.edits.map((edit) => edit.description).join('; ')}`;
    case 'publish':
      return `${label}: published (404 until now)`;
    case 'error-page':
      return `${label}: serves an error page with status 200 this cycle`;
    case 'unavailable': {
      const status = change.status ?? 503;
      return `${label}: answers ${status}${status === 503 ? ` (Retry-After ${change.retryAfterSeconds ?? 300} s)` : ''} this cycle`;
    }
  }
}
