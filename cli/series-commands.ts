import type { Command } from 'commander';
import type { SeriesLink, TransitionEvidence } from '../shared/domain/identity/series-lineage.js';
import type { LineageRefresh, SeriesListing } from '../shared/use-cases/series-lineage.js';
import { linkSeries, unlinkSeries } from '../shared/use-cases/series-lineage.js';
import { reresolveStoredPages } from '../shared/use-cases/reresolve-pages.js';
import type { CliIo } from './cli-io.js';
import { formatTable, normaliseSeries, optionsOf, printJson, printLines, shortTime, storeTargetOf } from './output.js';
import { editionRuns } from './provenance-commands.js';
import { addStoreOptions } from './store-selection.js';
import { requireStore, withBackend } from './tracker-backend.js';

/**
 * `redline series list|show|link|unlink|refresh`: series lineage (docs/page-identity.md). A series is the lineage of
 * the slugs a report had across editions; links are decided from the pages' evidence, and a person's link or
 * unlink wins over it, for good (it is stored, and applied to every later capture and import).
 */
export function registerSeriesCommands(program: Command, io: CliIo): void {
  const series = program
    .command('series')
    .description('List series with their editions, other names (slugs) and the evidence linking them; link or unlink two series by hand.')
    .addHelpText(
      'after',
      `
A page's own series comes from its URL slug; when the site renamed a slug between editions, the two series are
linked (one lineage, named after the newest edition's slug) if the pages agree on two of: the site's taxonomy
term, the name in the headline, and the continuity of the text. Every command that takes a series accepts any of
its names.

Examples:
  $ redline series list
  $ redline series show hrr/china
  $ redline series link hrr/kyrgyzstan hrr/kyrgyz-republic
  $ redline series unlink hrr/burma hrr/burma-draft
  $ redline series refresh`,
    );

  addStoreOptions(
    series
      .command('list')
      .description('Every series: editions, aliases and links.')
      .option('--json', "print the series as JSON (with every link's evidence)"),
  ).action(async (_options: unknown, command: Command) => {
    const options = optionsOf<{ json?: boolean }>(command);
    await withBackend(storeTargetOf(command, io), io, async (backend) => {
      const listings = await backend.seriesLineages();
      if (options.json) return printJson(io, listings);
      if (listings.length === 0)
        return printLines(io, ['No series yet. Watch or import report pages first (`redline watch add`, `redline import`).']);
      printLines(
        io,
        formatTable(
          ['series', 'editions', 'aliases', 'links'],
          listings.map((listing) => [
            listing.series,
            editionsOf(listing),
            listing.aliases.join(', ') || '-',
            listing.links.length === 0 ? '-' : listing.links.map((link) => link.decidedBy).join(', '),
          ]),
        ),
      );
    });
  });

  addStoreOptions(
    series
      .command('show')
      .description("One series: its editions (with each page's own slug), its aliases, and the evidence behind each link.")
      .argument('<series>', 'any name of the series (e.g. hrr/china, or an older slug)')
      .option('--json', 'print the series as JSON'),
  ).action(async (name: string, _options: unknown, command: Command) => {
    const options = optionsOf<{ json?: boolean }>(command);
    await withBackend(storeTargetOf(command, io), io, async (backend) => {
      const listing = await backend.seriesLineage(normaliseSeries(name));
      if (options.json) return printJson(io, listing);
      printLines(io, listingLines(listing));
    });
  });

  addStoreOptions(
    series
      .command('link')
      .description('Link two series by hand: one series from then on, whatever the evidence says.')
      .argument('<series-a>', 'a series')
      .argument('<series-b>', 'another series')
      .option('--json', 'print the override and the resulting series as JSON'),
  ).action(async (a: string, b: string, _options: unknown, command: Command) => {
    const options = optionsOf<{ json?: boolean }>(command);
    await withBackend(storeTargetOf(command, io), io, async (backend) => {
      const result = await linkSeries(requireStore(backend, 'series link').dependencies, normaliseSeries(a), normaliseSeries(b));
      if (options.json)
        return printJson(io, { override: result.override, series: result.lineage, linked: result.refresh.linked, unlinked: result.refresh.unlinked });
      printLines(io, [
        `linked ${result.override.a} and ${result.override.b} (override, ${shortTime(result.override.decidedAt)}): one series, ${result.lineage.id}`,
        `  editions: ${editionRuns(result.lineage.editions.map((edition) => edition.edition))}`,
        ...changeLines(result.refresh),
      ]);
    });
  });

  addStoreOptions(
    series
      .command('unlink')
      .description('Unlink two directly linked series by hand: they stay apart from then on, whatever the evidence says.')
      .argument('<series-a>', 'a series')
      .argument('<series-b>', 'a series linked to it')
      .option('--json', 'print the override and the resulting series as JSON'),
  ).action(async (a: string, b: string, _options: unknown, command: Command) => {
    const options = optionsOf<{ json?: boolean }>(command);
    await withBackend(storeTargetOf(command, io), io, async (backend) => {
      const result = await unlinkSeries(requireStore(backend, 'series unlink').dependencies, normaliseSeries(a), normaliseSeries(b));
      if (options.json)
        return printJson(io, {
          override: result.override,
          removed: result.removed,
          linked: result.refresh.linked,
          unlinked: result.refresh.unlinked,
        });
      printLines(io, [
        `unlinked ${result.override.a} and ${result.override.b} (override, ${shortTime(result.override.decidedAt)}): kept apart from now on`,
        ...changeLines(result.refresh),
      ]);
    });
  });

  addStoreOptions(
    series
      .command('refresh')
      .description(
        "Read stored pages again with the current identity rules (pages stored with no lineage signals, or all) and decide every series' lineage again.",
      )
      .option('--all', 'read every page again, not only those stored with no lineage signals')
      .option('--json', 'print what changed as JSON'),
  ).action(async (_options: unknown, command: Command) => {
    const options = optionsOf<{ all?: boolean; json?: boolean }>(command);
    await withBackend(storeTargetOf(command, io), io, async (backend) => {
      const result = await reresolveStoredPages(requireStore(backend, 'series refresh').dependencies, { all: options.all === true });
      const summary = {
        reread: result.reread,
        moved: result.moved,
        unreadable: result.unreadable,
        linked: result.refresh.linked,
        unlinked: result.refresh.unlinked,
        rejected: result.refresh.decision.rejected,
      };
      if (options.json) return printJson(io, summary);
      printLines(io, [
        `read ${result.reread} page(s) again; ${result.moved.length} changed series (their ids and revisions stay); ${result.unreadable.length} could not be read`,
        ...result.moved.map((move) => `  ${move.page}: ${move.from ?? '-'} -> ${move.to}`),
        ...result.unreadable.map((entry) => `  unreadable: ${entry.page}: ${entry.error}`),
        ...changeLines(result.refresh),
      ]);
    });
  });
}

function editionsOf(listing: SeriesListing): string {
  const editions = listing.editions.flatMap((edition) => (edition.edition !== undefined ? [edition.edition] : []));
  return editions.length > 0 ? editionRuns([...new Set(editions)]) : '-';
}

function changeLines(refresh: Pick<LineageRefresh, 'linked' | 'unlinked'>): string[] {
  return [
    ...refresh.linked.map((link) => `  now linked: ${link.from} -> ${link.to} (${link.decidedBy})`),
    ...refresh.unlinked.map((link) => `  no longer linked: ${link.from} -> ${link.to}`),
  ];
}

export function listingLines(listing: SeriesListing): string[] {
  return [
    `${listing.series} (${listing.profile})`,
    `  aliases: ${listing.aliases.join(', ') || '-'}`,
    '  editions:',
    ...formatTable(
      ['edition', 'page', 'own series'],
      listing.editions.map((edition) => [edition.edition ?? '-', edition.page, edition.series]),
    ).map((line) => `    ${line}`),
    ...(listing.links.length > 0 ? ['  links:', ...listing.links.flatMap(linkLines)] : ['  links: none']),
    ...listing.keptApart.map((override) => `  kept apart by unlink (${shortTime(override.decidedAt)}): ${override.a} / ${override.b}`),
  ];
}

function linkLines(link: SeriesLink): string[] {
  return [
    `    ${link.from} -> ${link.to}: ${link.decidedBy === 'override' ? `linked by hand ${shortTime(link.decidedAt)}` : 'linked by evidence'}`,
    ...link.transitions.map((transition) => `      ${transitionLine(transition)}`),
  ];
}

function transitionLine(transition: TransitionEvidence): string {
  const quote = (value: string | undefined) => (value === undefined ? '-' : JSON.stringify(value));
  const terms = (value: string[] | undefined) => (value?.length ? value.join('+') : '-');
  const { taxonomy, name, content } = transition;
  return [
    `${transition.from.edition} -> ${transition.to.edition}:`,
    `taxonomy ${taxonomy.verdict} (${terms(taxonomy.from)} / ${terms(taxonomy.to)});`,
    `name ${name.verdict} (${quote(name.from)} / ${quote(name.to)});`,
    `text ${content.verdict}${content.similarity !== undefined ? ` (${content.similarity.toFixed(3)})` : ''}`,
    transition.supports ? '' : '[not enough on its own]',
  ]
    .join(' ')
    .trimEnd();
}
