import type { Command } from 'commander';
import { headingPath, sectionWordCount, type Document } from '../shared/domain/document.js';
import { NotFoundError } from '../shared/errors.js';
import type { RevisionView } from '../shared/use-cases/queries/views.js';
import type { CliIo } from './cli-io.js';
import { formatOutline } from './file-commands.js';
import { formatTable, optionsOf, parsePositiveInteger, printJson, printLines, shortTime, storeTargetOf } from './output.js';
import { addStoreOptions } from './store-selection.js';
import { requireStore, withBackend, type TrackerBackend } from './tracker-backend.js';

/** `redline history` and `redline show`. */
export function registerHistoryCommands(program: Command, io: CliIo): void {
  addStoreOptions(
    program
      .command('history')
      .description("List a page's revisions, newest first, with what each changed.")
      .argument('<page>', 'page id (see `redline watch list`)')
      .option('--limit <n>', 'how many revisions (default 20)', parsePositiveInteger, 20)
      .option('--json', 'print the revisions as JSON'),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ redline history hrr.kazakhstan.2024
  $ redline history hrr.kazakhstan.2024 --limit 100 --json | jq '.[].capturedAt'`,
    )
    .action(async (page: string, _options: unknown, command: Command) => {
      const options = optionsOf<{ limit: number; json?: boolean }>(command);
      await withBackend(storeTargetOf(command, io), io, async (backend) => {
        const revisions = await revisionsOf(backend, page, options.limit);
        if (options.json) return printJson(io, revisions);
        if (revisions.length === 0)
          return printLines(io, [`${page} has no revisions yet (run \`redline run\`, or \`redline import\` saved copies).`]);
        printLines(
          io,
          formatTable(
            ['seq', 'captured', 'significance', 'changes'],
            revisions.map((revision) => [revision.seq, shortTime(revision.capturedAt), revision.significance.toFixed(3), describeChanges(revision)]),
            [true, false, true, false],
          ),
        );
      });
    });

  addStoreOptions(
    program
      .command('show')
      .description("Show one revision of a page: what changed (default), its section outline, or one section's text.")
      .argument('<page>', 'page id')
      .option('--seq <n>', 'revision number (default: the latest)', parsePositiveInteger)
      .option('--outline', 'the section outline of the revision (keys, headings, word counts)')
      .option('--section <key>', "one section's text (keys as in --outline)")
      .option('--json', 'print the revision, the Document or the section as JSON'),
  )
    .addHelpText(
      'after',
      `
Examples:
  $ redline show hrr.kazakhstan.2024
  $ redline show hrr.kazakhstan.2024 --seq 2 --outline
  $ redline show hrr.kazakhstan.2024 --section respect-for-civil-liberties/freedom-of-expression-including-for-members-of-the-press-and-other-media`,
    )
    .action(async (page: string, _options: unknown, command: Command) => {
      const options = optionsOf<{ seq?: number; outline?: boolean; section?: string; json?: boolean }>(command);
      await withBackend(storeTargetOf(command, io), io, async (backend) => {
        const seq = options.seq ?? (await latestSeq(backend, page));
        if (options.outline || options.section !== undefined) {
          const document = await documentOf(backend, page, seq, options.section !== undefined ? 'show --section' : 'show --outline');
          if (options.section === undefined) {
            if (options.json) return printJson(io, document);
            return void io.stdout.write(formatOutline(document));
          }
          const section = document.sections.find((candidate) => candidate.key === options.section);
          if (!section)
            throw new NotFoundError(`No section ${options.section} in revision ${seq} of ${page} (see \`redline show ${page} --outline\`)`);
          if (options.json) return printJson(io, { page, seq, path: headingPath(document, section.key), ...section });
          const children = document.sections.filter((candidate) => candidate.parentKey === section.key);
          printLines(io, [
            headingPath(document, section.key).join(' > '),
            `  ${section.key}  (${sectionWordCount(section)} words; revision ${seq})`,
            '',
            ...section.paragraphs.flatMap((paragraph) => [paragraph.text, '']),
            ...(children.length > 0 ? ['sub-sections:', ...children.map((child) => `  ${child.key}`)] : []),
          ]);
          return;
        }
        const revision = await backend.getRevision(page, seq);
        if (options.json) return printJson(io, revision);
        printLines(io, describeRevision(revision));
      });
    });
}

async function revisionsOf(backend: TrackerBackend, page: string, limit: number): Promise<RevisionView[]> {
  const revisions: RevisionView[] = [];
  let cursor: string | undefined;
  do {
    const batch = await backend.listRevisions(page, { limit: Math.min(limit - revisions.length, 100), ...(cursor ? { cursor } : {}) });
    revisions.push(...batch.items);
    cursor = batch.cursor;
  } while (cursor && revisions.length < limit);
  return revisions.slice(0, limit);
}

export async function latestSeq(backend: TrackerBackend, page: string): Promise<number> {
  const details = await backend.getPage(page);
  if (!details.latestRevision) throw new NotFoundError(`${page} has no revisions yet`);
  return details.latestRevision.seq;
}

async function documentOf(backend: TrackerBackend, page: string, seq: number, what: string): Promise<Document> {
  const store = requireStore(backend, what);
  const revision = await store.dependencies.revisions.getRevision(page, seq);
  if (!revision) throw new NotFoundError(`No revision ${seq} of page ${page}`);
  return store.dependencies.snapshots.getDocument(revision.documentKey);
}

function describeChanges(revision: RevisionView): string {
  if (!revision.summary) return 'baseline (first capture)';
  const { summary } = revision;
  const kinds = (['added', 'removed', 'modified', 'renamed', 'moved'] as const)
    .filter((kind) => summary[kind] > 0)
    .map((kind) => `${summary[kind]} ${kind}`);
  return `${kinds.join(', ') || 'no section changes'}; +${summary.wordsAdded} -${summary.wordsRemoved} words${summary.trivial ? ' (trivial)' : ''}`;
}

function describeRevision(revision: RevisionView): string[] {
  const lines = [
    `${revision.page} revision ${revision.seq}, captured ${shortTime(revision.capturedAt)}`,
    `  title: ${revision.title}`,
    `  url: ${revision.url}`,
    ...(revision.series ? [`  series: ${revision.series}  edition: ${revision.edition ?? '-'}`] : []),
    `  document: sha256 ${revision.documentHash.slice(0, 16)}...`,
  ];
  if (!revision.summary) {
    lines.push('  baseline: the first capture of the page');
    return lines;
  }
  lines.push(
    `  since revision ${revision.previousSeq ?? revision.seq - 1}: ${describeChanges(revision)}; significance ${revision.significance.toFixed(3)}`,
  );
  if (revision.sections.length > 0) {
    lines.push(
      '',
      ...formatTable(
        ['change', 'section', 'words'],
        revision.sections.map((section) => [
          section.kind + (section.trivial ? ` (${section.trivial})` : ''),
          section.previousKey ? `${section.previousKey} -> ${section.key}` : section.key,
          `+${section.wordsAdded} -${section.wordsRemoved}`,
        ]),
      ).map((line) => `  ${line}`),
    );
    if (revision.sectionsTruncated) lines.push('  (more sections changed: see `redline diff`)');
  }
  return lines;
}
