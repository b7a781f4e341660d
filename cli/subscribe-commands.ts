import { readFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { CHANGE_KINDS } from '../shared/domain/subscription-filter.js';
import type { SubscriptionView } from '../shared/use-cases/subscriptions/manage-subscriptions.js';
import { UsageError, type CliIo } from './cli-io.js';
import { collectList, formatTable, normaliseSeries, optionsOf, parseFraction, printJson, printLines, shortTime, storeTargetOf } from './output.js';
import { addStoreOptions } from './store-selection.js';
import { withBackend } from './tracker-backend.js';

/** `redline subscribe`, `redline subscribe list`, `redline subscribe remove`. */

interface SubscribeOptions {
  webhook?: string;
  email?: string;
  sqs?: string;
  secret?: string;
  secretFile?: string;
  page?: string[];
  series?: string[];
  edition?: string[];
  sectionPrefix?: string[];
  kind?: string[];
  minSignificance?: number;
  term?: string[];
  includeTrivial?: boolean;
  allowOrigin?: string[];
  json?: boolean;
}

export function registerSubscribeCommands(program: Command, io: CliIo): void {
  const subscribe = addStoreOptions(
    program
      .command('subscribe')
      .description('Subscribe a webhook, an e-mail address or an SQS queue to changes, optionally filtered.')
      .option('--webhook <url>', 'POST each notification to this HTTPS URL (signed with a secret)')
      .option('--email <address>', 'e-mail each notification (in the cloud, through SNS; locally, printed by `redline run`)')
      .option('--sqs <queue-arn>', 'send each notification to this standard SQS queue (cloud)')
      .option(
        '--secret <secret>',
        'webhook signing secret, 16+ characters (default: generated and shown once); visible in `ps`: prefer --secret-file',
      )
      .option('--secret-file <path>', "read the webhook signing secret from this file ('-': standard input), its first line")
      .option('--page <id>', 'only these pages (repeatable, or comma-separated)', collectList)
      .option('--series <series>', 'only these series, e.g. hrr/kazakhstan (repeatable)', collectList)
      .option('--edition <year>', 'only these editions (repeatable)', collectList)
      .option('--section-prefix <prefix>', 'only changes to sections whose key starts with this (repeatable)', collectList)
      .addOption(new Option('--kind <kind>', `only these change kinds (repeatable): ${CHANGE_KINDS.join(', ')}`).argParser(collectList))
      .option('--min-significance <n>', 'only revisions at least this significant (0..1; a new edition counts as 1)', parseFraction)
      .option('--term <term>', 'only revisions that add or remove a sentence containing the term (repeatable)', collectList)
      .option('--include-trivial', 'also revisions whose every change is whitespace, punctuation or numbers')
      .option('--allow-origin <origin>', 'a loopback origin the webhook may be on, e.g. a local receiver (repeatable; local store)', collectList)
      .option('--json', 'print the subscription as JSON'),
  )
    .addHelpText(
      'after',
      `
Filters are ANDed; within one filter any value matches. Locally, \`redline run\` delivers to every matching
subscription (webhooks signed in the Standard Webhooks format; e-mail and SQS deliveries are printed).

Examples:
  $ redline subscribe --webhook https://hooks.example.org/redline --series hrr/kazakhstan
  $ redline subscribe --email desk@example.org --section-prefix respect-for-civil-liberties --kind modified,added
  $ redline subscribe --webhook https://hooks.example.org/torture --term torture --min-significance 0.05
  $ redline subscribe list
  $ redline subscribe remove 3f6c0d9e-...`,
    )
    .action(async (_options: unknown, command: Command) => {
      const options = optionsOf<SubscribeOptions>(command);
      const deliveries = [options.webhook, options.email, options.sqs].filter((value) => value !== undefined);
      if (deliveries.length !== 1) throw new UsageError('give exactly one of --webhook <url>, --email <address> or --sqs <queue-arn>');
      if ((options.secret !== undefined || options.secretFile !== undefined) && options.webhook === undefined) {
        throw new UsageError('--secret and --secret-file go with --webhook');
      }
      if (options.secret !== undefined && options.secretFile !== undefined) throw new UsageError('give --secret or --secret-file, not both');
      const secret = options.secretFile !== undefined ? await readSecret(options.secretFile, io) : options.secret;
      // The zod schemas only for this command.
      const { parseCreateSubscription } = await import('../shared/use-cases/subscriptions/subscription-input.js');
      const input = parseCreateSubscription({
        delivery:
          options.webhook !== undefined
            ? { type: 'webhook', url: options.webhook, ...(secret !== undefined ? { secret } : {}) }
            : options.email !== undefined
              ? { type: 'email', address: options.email }
              : { type: 'sqs', queueArn: options.sqs },
        filters: {
          ...(options.page ? { pages: options.page } : {}),
          ...(options.series ? { series: options.series.map(normaliseSeries) } : {}),
          ...(options.edition ? { editions: options.edition.map(Number) } : {}),
          ...(options.sectionPrefix ? { sectionPrefixes: options.sectionPrefix } : {}),
          ...(options.kind ? { kinds: options.kind } : {}),
          ...(options.minSignificance !== undefined ? { minSignificance: options.minSignificance } : {}),
          ...(options.term ? { terms: options.term } : {}),
          ...(options.includeTrivial ? { includeTrivial: true } : {}),
        },
      });
      await withBackend(storeTargetOf(command, io), io, async (backend) => {
        const created = await backend.createSubscription(input, { allowedOrigins: options.allowOrigin ?? [] });
        if (options.json) return printJson(io, created);
        printLines(io, [
          `subscribed: ${created.subscription.id}`,
          `  delivery: ${describeDelivery(created.subscription)}`,
          `  filters: ${describeFilters(created.subscription)}`,
          ...(created.webhookSecret
            ? [`  webhook secret (shown once; verify the webhook-signature header with it, Standard Webhooks): ${created.webhookSecret}`]
            : []),
        ]);
      });
    });

  addStoreOptions(
    subscribe.command('list').description('List subscriptions (webhook secrets are never shown).').option('--json', 'print them as JSON'),
  ).action(async (_options: unknown, command: Command) => {
    const options = optionsOf<{ json?: boolean }>(command);
    await withBackend(storeTargetOf(command, io), io, async (backend) => {
      const subscriptions: SubscriptionView[] = [];
      let cursor: string | undefined;
      do {
        const batch = await backend.listSubscriptions({ limit: 100, ...(cursor ? { cursor } : {}) });
        subscriptions.push(...batch.items);
        cursor = batch.cursor;
      } while (cursor);
      if (options.json) return printJson(io, subscriptions);
      if (subscriptions.length === 0) return printLines(io, ['No subscriptions. Add one with `redline subscribe --webhook <url>`.']);
      printLines(
        io,
        formatTable(
          ['id', 'created', 'delivery', 'filters'],
          subscriptions.map((subscription) => [
            subscription.id,
            shortTime(subscription.createdAt),
            describeDelivery(subscription),
            describeFilters(subscription),
          ]),
        ),
      );
    });
  });

  addStoreOptions(
    subscribe
      .command('remove')
      .description('Remove a subscription.')
      .argument('<id>', 'subscription id (see `redline subscribe list`)')
      .option('--json', 'print the result as JSON'),
  ).action(async (id: string, _options: unknown, command: Command) => {
    const options = optionsOf<{ json?: boolean }>(command);
    await withBackend(storeTargetOf(command, io), io, async (backend) => {
      await backend.deleteSubscription(id);
      if (options.json) return printJson(io, { id, removed: true });
      printLines(io, [`removed subscription ${id}`]);
    });
  });
}

function describeDelivery(subscription: SubscriptionView): string {
  const { delivery } = subscription;
  switch (delivery.type) {
    case 'email':
      return `email ${delivery.address}`;
    case 'webhook':
      return `webhook ${delivery.url}`;
    case 'sqs':
      return `sqs ${delivery.queueArn}`;
  }
}

function describeFilters(subscription: SubscriptionView): string {
  const filters = subscription.filters;
  const parts: string[] = [];
  if (filters.pages) parts.push(`pages ${filters.pages.join('|')}`);
  if (filters.series) parts.push(`series ${filters.series.join('|')}`);
  if (filters.editions) parts.push(`editions ${filters.editions.join('|')}`);
  if (filters.sectionPrefixes) parts.push(`sections ${filters.sectionPrefixes.map((prefix) => `${prefix}*`).join('|')}`);
  if (filters.kinds) parts.push(`kinds ${filters.kinds.join('|')}`);
  if (filters.minSignificance !== undefined) parts.push(`significance >= ${filters.minSignificance}`);
  if (filters.terms) parts.push(`terms ${filters.terms.map((term) => JSON.stringify(term)).join('|')}`);
  if (filters.includeTrivial) parts.push('trivial included');
  return parts.length > 0 ? parts.join('; ') : 'everything';
}

/** The first line of a secret file, or of standard input for `-` (kept off the command line, where `ps` shows it). */
async function readSecret(path: string, io: CliIo): Promise<string> {
  let text: string;
  try {
    text = path === '-' ? await readStream(io.stdin ?? process.stdin) : await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read the secret file ${path}: ${(error as Error).message}`);
  }
  const secret = text.split(/\r?\n/, 1)[0]!.trim();
  if (secret === '') throw new UsageError(`The secret file ${path} is empty`);
  return secret;
}

async function readStream(stream: AsyncIterable<unknown>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}
