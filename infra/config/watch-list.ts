import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';

/**
 * The watch list seeded into the table at deploy time (infra/config/watches.json). Seeding only adds pages that are
 * not watched yet, so editing a page's settings here does not overwrite what the API or the CLI changed since.
 */
export const DEFAULT_WATCH_LIST_PATH = fileURLToPath(new URL('./watches.json', import.meta.url));

/** The seed is a starter list carried in the template; bulk watch lists go through the API or the CLI. */
export const MAX_SEEDED_WATCHES = 50;

const watchSchema = z
  .object({
    url: z
      .url({ protocol: /^https$/, error: 'must be an https URL' })
      .refine((url) => !new URL(url).username && !new URL(url).password, 'must not carry credentials'),
    /** Minutes between checks of this page; the dispatcher runs every 15 minutes, so less makes no sense. */
    intervalMinutes: z
      .number()
      .int()
      .min(15)
      .max(7 * 24 * 60)
      .optional(),
  })
  .strict();

const watchListSchema = z
  .object({
    watches: z.array(watchSchema).min(1).max(MAX_SEEDED_WATCHES),
  })
  .strict()
  .superRefine((list, context) => {
    const seen = new Set<string>();
    list.watches.forEach((watch, index) => {
      const normalised = new URL(watch.url).href.replace(/\/$/, '');
      if (seen.has(normalised)) {
        context.addIssue({ code: 'custom', path: ['watches', index, 'url'], message: `duplicate watch ${watch.url}` });
      }
      seen.add(normalised);
    });
  });

export type Watch = Readonly<z.infer<typeof watchSchema>>;
export type WatchList = ReadonlyArray<Watch>;

export class WatchListError extends Error {
  override readonly name = 'WatchListError';
}

export function parseWatchList(value: unknown, source = 'watch list'): WatchList {
  const parsed = watchListSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
    throw new WatchListError(`Invalid ${source}: ${problems}`);
  }
  return Object.freeze(parsed.data.watches.map((watch) => Object.freeze({ ...watch })));
}

export function loadWatchList(path: string = DEFAULT_WATCH_LIST_PATH): WatchList {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new WatchListError(`Cannot read the watch list ${path}`, { cause: error });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new WatchListError(`The watch list ${path} is not JSON`, { cause: error });
  }
  return parseWatchList(value, `watch list ${path}`);
}
