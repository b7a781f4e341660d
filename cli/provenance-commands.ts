import { Option, type Command } from 'commander';
import type { BlamedSentence } from '../shared/domain/provenance/blame.js';
import {
  REMOVAL_FATES,
  removalLedgerToCsv,
  versionText,
  type RemovalFate,
  type RemovedSentence,
} from '../shared/domain/provenance/removal-ledger.js';
import { RedlineError } from '../shared/errors.js';
import {
  blamePage,
  MAX_PROVENANCE_LIMIT,
  provenanceStatus,
  rebuildProvenance,
  removedSentences,
  syncProvenanceIndex,
  type BlamePage,
  type RemovedLedger,
  type RemovedRequest,
} from '../shared/use-cases/provenance/provenance-queries.js';
import { processIo, UsageError, type CliIo } from './cli-io.js';
import { collectList, normaliseSeries, optionsOf, parseEdition, parsePositiveInteger, printJson, printLines, storeTargetOf } from './output.js';
import { addStoreOptions } from './store-selection.js';
import { withBackend, type TrackerBackend } from './tracker-backend.js';

/**
 * `redline blame`, `redline removed` and `redline provenance status|sync|rebuild`: sentence provenance
 * (docs/provenance.md). Against a store (local folder or AWS) they call the use cases
 * and store the caught-up index; against an HTTP API (--api) they read its provenance routes.
 */
export function registerProvenanceCommands(program: Command, io: CliIo = processIo()): void {
  addStoreOptions(
    program
      .command('blame')
      .description(
        'For every sentence of a page: the edition (or revision) it first appeared in, the editions it survived, and the sentence it rewords.',
      )
      .argument('<page>', 'page id (e.g. hrr.kazakhstan.2023), or a series with --edition (hrr/kazakhstan)')
      .option('--edition <year>', "another edition of the page's series", parseEdition)
      .option('--revision <seq>', 'a revision of the page (default: its latest)', parsePositiveInteger)
      .option('--section <key>', 'only sections whose key starts with this (e.g. "respect-for-civil-liberties")')
      .option('--json', 'print the blame as JSON (every sentence)'),
  )
    .addHelpText(
      'after',
      `
Columns: origin (the edition, or edition#revision, the sentence first appeared in), editions (every edition that
has it), reworded (~ the origin of the earlier wording it rewords, and the similarity), then the sentence.

Examples:
  $ redline blame hrr.kazakhstan.2023
  $ redline blame hrr/kazakhstan --edition 2019 --section respect-for-civil-liberties
  $ redline blame hrr.kazakhstan.2024 --json | jq '.items[] | select(.rewordedFrom) | {text, from: .rewordedFrom.text}'`,
    )
    .action(async (target: string, _options: unknown, command: Command) => {
      const options = optionsOf<{ edition?: number; revision?: number; section?: string; json?: boolean }>(command);
      await withBackend(storeTargetOf(command, io), io, async (backend) => {
        const blame = await fetchBlame(backend, {
          page: await pageFor(backend, target, options.edition),
          ...(options.edition !== undefined ? { edition: options.edition } : {}),
          ...(options.revision !== undefined ? { seq: options.revision } : {}),
          ...(options.section !== undefined ? { sectionPrefix: options.section } : {}),
        });
        if (options.json) return printJson(io, blame);
        printLines(io, blameLines(blame));
      });
    });

  addStoreOptions(
    program
      .command('removed')
      .description(
        'The removal ledger: every sentence cut between two editions of a series (or two revisions of a page), with its section, where it was last seen, and whether it comes back, reworded or moved.',
      )
      .argument('<target>', 'a series (hrr/kazakhstan): --from and --to are editions; or a page id: they are revisions')
      .option('--from <n>', 'the earlier edition (or revision)', parseEdition)
      .option('--to <n>', 'the later edition (or revision); without --from and --to, every edition with the next', parseEdition)
      .option('--term <term>', 'only sentences containing this term (case-insensitive)')
      .option('--section <key>', 'only sentences of sections whose key starts with this')
      .addOption(
        new Option('--fate <list>', `which fates to list, of ${REMOVAL_FATES.join(', ')} (default: removed,reworded)`).argParser(collectList),
      )
      .option('--include-moved', 'also list sentences that only moved to another section (never removals)')
      .addOption(new Option('--format <format>', 'output format').choices(['table', 'csv', 'json']).default('table'))
      .option('--json', 'same as --format json'),
  )
    .addHelpText(
      'after',
      `
Fates: removed (gone from the later version), reworded (gone, but a new sentence of the later version rewords it:
shown with its similarity), moved (still there, in another section: listed only with --include-moved).
CSV columns: fate,from,to,section_key,heading,sentence,origin,last_seen,removed_in,reappears_in,reworded_as,similarity,moved_to
(versions as 2023, or 2023#2 for a later revision of the 2023 edition).

Examples:
  $ redline removed hrr/kazakhstan --from 2023 --to 2024
  $ redline removed hrr/kazakhstan --from 2016 --to 2024 --term torture --format csv > cut.csv
  $ redline removed hrr/kazakhstan --section respect-for-civil-liberties --include-moved --json`,
    )
    .action(async (target: string, _options: unknown, command: Command) => {
      const options = optionsOf<{
        from?: number;
        to?: number;
        term?: string;
        section?: string;
        fate?: string[];
        includeMoved?: boolean;
        format: 'table' | 'csv' | 'json';
        json?: boolean;
      }>(command);
      if ((options.from === undefined) !== (options.to === undefined))
        throw new UsageError('give both --from and --to, or neither (every edition with the next)');
      const fates = fatesOf(options.fate, options.includeMoved);
      const request: RemovedRequest = {
        ...targetOf(target),
        ...(options.from !== undefined ? { from: options.from, to: options.to! } : {}),
        ...(options.term !== undefined ? { term: options.term } : {}),
        ...(options.section !== undefined ? { sectionPrefix: options.section } : {}),
        ...(fates ? { fates } : {}),
      };
      const format = options.json ? 'json' : options.format;
      await withBackend(storeTargetOf(command, io), io, async (backend) => {
        const ledger = await fetchRemoved(backend, request);
        if (format === 'json') return printJson(io, ledger);
        if (format === 'csv') return void io.stdout.write(removalLedgerToCsv(ledger.sentences));
        printLines(io, ledgerLines(ledger));
      });
    });

  const provenance = program
    .command('provenance')
    .description('The provenance index of a series or page: how far it is behind the store, catch it up, or rebuild it.');
  const storeOnly = (what: string, backend: TrackerBackend) => {
    if (!backend.store)
      throw new UsageError(
        `redline provenance ${what} needs the store itself, not an HTTP API: run it with --data-dir, or REDLINE_TABLE/REDLINE_BUCKET set`,
      );
    return backend.store.dependencies;
  };
  addStoreOptions(
    provenance
      .command('status')
      .description('Versions the stored index holds, and those it lacks (added on the next update or read).')
      .argument('<target>', 'a series or a page id')
      .option('--json', 'print the status as JSON'),
  ).action(async (target: string, _options: unknown, command: Command) => {
    const options = optionsOf<{ json?: boolean }>(command);
    await withBackend(storeTargetOf(command, io), io, async (backend) => {
      const parsed = targetOf(target);
      if (!backend.store && parsed.series === undefined)
        throw new UsageError('over an HTTP API, give a series (the API reports the status of series)');
      const status = backend.store
        ? await provenanceStatus(backend.store.dependencies, parsed)
        : await apiGet<Awaited<ReturnType<typeof provenanceStatus>>>(backend, `/series/${seriesSegment(parsed.series!)}/provenance`, {});
      if (options.json) return printJson(io, status);
      printLines(io, [
        `${status.scope}: stored index generation ${status.generation} (${status.storedIndex}), ${status.indexedVersions} versions, ${status.sentences} sentences`,
        status.missing.length === 0
          ? `up to date with the store (${status.listedVersions} versions)`
          : `missing ${status.missing.length} of ${status.listedVersions} versions: ${status.missing.map((version) => `${version.page}#${version.seq}`).join(', ')}`,
      ]);
    });
  });
  addStoreOptions(
    provenance
      .command('sync')
      .description('Add the versions the stored index lacks (what the pipeline does after each revision).')
      .argument('<target>', 'a series or a page id')
      .option('--json', 'print the result as JSON'),
  ).action(async (target: string, _options: unknown, command: Command) => {
    const options = optionsOf<{ json?: boolean }>(command);
    await withBackend(storeTargetOf(command, io), io, async (backend) => {
      const result = await syncProvenanceIndex(storeOnly('sync', backend), targetOf(target));
      if (options.json) return printJson(io, result);
      printLines(io, [`${result.scope}: ${result.added} version${result.added === 1 ? '' : 's'} added, generation ${result.generation}`]);
    });
  });
  addStoreOptions(
    provenance
      .command('rebuild')
      .description('Recompute the whole index from every Document (after a change of algorithm, or to be sure).')
      .argument('<target>', 'a series or a page id')
      .option('--json', 'print the result as JSON'),
  ).action(async (target: string, _options: unknown, command: Command) => {
    const options = optionsOf<{ json?: boolean }>(command);
    await withBackend(storeTargetOf(command, io), io, async (backend) => {
      const result = await rebuildProvenance(storeOnly('rebuild', backend), targetOf(target));
      if (options.json) return printJson(io, result);
      printLines(io, [
        `${result.scope}: rebuilt ${result.versions} versions, ${result.sentences} sentences in ${result.milliseconds} ms (generation ${result.generation})`,
      ]);
    });
  });
}

/** A series contains a slash (`hrr/kazakhstan`, or `hrr~kazakhstan` as in API paths); a page id never does. */
function targetOf(target: string): { series: string } | { page: string; series?: undefined } {
  return /[/~]/.test(target) ? { series: normaliseSeries(target) } : { page: target };
}

async function pageFor(backend: TrackerBackend, target: string, edition: number | undefined): Promise<string> {
  const parsed = targetOf(target);
  if (parsed.series === undefined) return parsed.page;
  if (edition === undefined) throw new UsageError(`${target} is a series: give --edition, or a page id`);
  const entry = (await backend.listEditions(parsed.series)).find((candidate) => candidate.edition === edition);
  if (!entry) throw new UsageError(`series ${parsed.series} has no edition ${edition}`);
  return entry.page;
}

function fatesOf(fates: string[] | undefined, includeMoved: boolean | undefined): RemovalFate[] | undefined {
  for (const fate of fates ?? []) {
    if (!(REMOVAL_FATES as readonly string[]).includes(fate)) throw new UsageError(`--fate: unknown fate ${fate} (${REMOVAL_FATES.join(', ')})`);
  }
  const chosen = (fates as RemovalFate[] | undefined) ?? (includeMoved ? ['removed', 'reworded'] : undefined);
  if (!chosen) return undefined;
  return includeMoved && !chosen.includes('moved') ? [...chosen, 'moved'] : chosen;
}

// Store or API.

async function fetchBlame(
  backend: TrackerBackend,
  request: { page: string; seq?: number; edition?: number; sectionPrefix?: string },
): Promise<BlamePage> {
  const store = backend.store;
  if (store) {
    // Pages of at most MAX_PROVENANCE_LIMIT sentences: gather them all (the first read stores the caught-up index).
    const first = await blamePage(store.dependencies, { ...request, limit: MAX_PROVENANCE_LIMIT }, { persist: true });
    const items = [...first.items];
    for (let cursor = first.cursor; cursor;) {
      const next = await blamePage(store.dependencies, { ...request, limit: MAX_PROVENANCE_LIMIT, cursor });
      items.push(...next.items);
      cursor = next.cursor;
    }
    const { cursor: _cursor, ...rest } = first;
    return { ...rest, items };
  }
  const query = {
    seq: request.seq,
    edition: request.edition,
    section: request.sectionPrefix,
    limit: MAX_PROVENANCE_LIMIT,
  };
  const path = `/pages/${encodeURIComponent(request.page)}/blame`;
  const first = await apiGet<BlamePage & { nextCursor?: string }>(backend, path, query);
  const items = [...first.items];
  let cursor = first.nextCursor;
  while (cursor) {
    const next = await apiGet<BlamePage & { nextCursor?: string }>(backend, path, { ...query, cursor });
    items.push(...next.items);
    cursor = next.nextCursor;
  }
  const { nextCursor: _next, ...rest } = first;
  return { ...rest, items };
}

async function fetchRemoved(backend: TrackerBackend, request: RemovedRequest): Promise<RemovedLedger> {
  if (backend.store) return removedSentences(backend.store.dependencies, request, { persist: true });
  const path =
    request.series !== undefined ? `/series/${seriesSegment(request.series)}/removed` : `/pages/${encodeURIComponent(request.page!)}/removed`;
  const query = {
    from: request.from,
    to: request.to,
    term: request.term,
    section: request.sectionPrefix,
    fate: request.fates?.join(','),
    limit: MAX_PROVENANCE_LIMIT,
  };
  type Page = Omit<RemovedLedger, 'sentences'> & { items: RemovedSentence[]; nextCursor?: string };
  const first = await apiGet<Page>(backend, path, query);
  const sentences = [...first.items];
  let cursor = first.nextCursor;
  while (cursor) {
    const next = await apiGet<Page>(backend, path, { ...query, cursor });
    sentences.push(...next.items);
    cursor = next.nextCursor;
  }
  const { items: _items, nextCursor: _next, ...rest } = first;
  return { ...rest, sentences };
}

function seriesSegment(series: string): string {
  return encodeURIComponent(series.replaceAll('/', '~'));
}

/** A GET on the API the backend points at; the API's error message (and its 4xx status) are passed on. */
async function apiGet<T>(backend: TrackerBackend, path: string, query: Record<string, string | number | undefined>): Promise<T> {
  if (backend.target.kind !== 'api') throw new UsageError('not an HTTP API');
  const url = new URL(`${backend.target.url}${path}`);
  for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, String(value));
  let response: Response;
  try {
    const headers = { accept: 'application/json' };
    const signed = backend.target.signer ? await backend.target.signer.sign({ method: 'GET', url, headers }) : headers;
    response = await fetch(url, { headers: signed, signal: AbortSignal.timeout(120_000) });
  } catch (error) {
    throw new RedlineError(`Cannot reach the API at ${backend.target.url}: ${(error as Error).message}`, { cause: error });
  }
  const text = await response.text();
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      // RFC 9457 problem details.
      message = (JSON.parse(text) as { detail?: string }).detail ?? message;
    } catch {
      // Not JSON: keep the status line.
    }
    throw response.status < 500 ? new UsageError(`${message} (GET ${url.pathname})`) : new RedlineError(`${message} (GET ${url.pathname})`);
  }
  return JSON.parse(text) as T;
}

// Text output.

/** `2016-2019, 2021`: runs of consecutive editions. */
export function editionRuns(editions: readonly number[]): string {
  const runs: string[] = [];
  for (let start = 0; start < editions.length;) {
    let end = start;
    while (end + 1 < editions.length && editions[end + 1] === editions[end]! + 1) end++;
    runs.push(end === start ? String(editions[start]) : `${editions[start]}-${editions[end]}`);
    start = end + 1;
  }
  return runs.join(',');
}

export function blameLines(blame: BlamePage): string[] {
  const origins = blame.summary.byOrigin.map((origin) => `${versionText(origin)}: ${origin.sentences}`).join(', ');
  const lines = [
    `${blame.page} (${versionText(blame.version)}): ${plural(blame.summary.sentences, 'sentence')} by origin ${origins}; ${blame.summary.reworded} came in reworded`,
  ];
  let section: string | undefined;
  for (const sentence of blame.items) {
    if (sentence.sectionKey !== section) {
      section = sentence.sectionKey;
      lines.push('', `== ${sentence.heading}  [${sentence.sectionKey}]`);
    }
    lines.push(blameLine(sentence));
  }
  return lines;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function blameLine(sentence: BlamedSentence): string {
  const span = sentence.editions.length > 0 ? editionRuns(sentence.editions) : `${versionText(sentence.origin)}..${versionText(sentence.lastSeen)}`;
  const reworded = sentence.rewordedFrom ? `~${versionText(sentence.rewordedFrom.origin)} ${sentence.rewordedFrom.similarity.toFixed(2)}` : '';
  return `${versionText(sentence.origin).padEnd(8)} ${span.padEnd(20)} ${reworded.padEnd(12)} ${sentence.text}`;
}

export function ledgerLines(ledger: RemovedLedger): string[] {
  const lines = ledger.transitions.map(
    (transition) =>
      `${versionText(transition.from)} -> ${versionText(transition.to)}: ${transition.removed} removed, ${transition.reworded} reworded, ${transition.moved} moved`,
  );
  if (ledger.sentences.length === 0) return [...lines, 'No sentences listed.'];
  for (const sentence of ledger.sentences) {
    const where = `${versionText(sentence.from)}->${versionText(sentence.to)}`;
    const seen =
      sentence.fate === 'moved'
        ? `moved to ${sentence.movedTo!.key}`
        : `last seen ${versionText(sentence.lastSeen)}${sentence.reappears ? `, back in ${versionText(sentence.reappears)}` : ''}`;
    lines.push('', `${sentence.fate.toUpperCase()} ${where} [${sentence.section.key}] (${seen})`, `  - ${sentence.text}`);
    if (sentence.rewordedAs) lines.push(`  + ${sentence.rewordedAs.text} (similarity ${sentence.rewordedAs.similarity.toFixed(2)})`);
  }
  return lines;
}
