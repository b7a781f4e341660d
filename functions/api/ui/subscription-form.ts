/**
 * The subscribe form's fields turned into the body of POST /subscriptions. Pure and dependency-free: the server
 * uses it to preview the request (JavaScript off) and the browser script bundles it to send the request, so both
 * read the form the same way. The API validates the body again (subscription-input.ts).
 */
export const SUBSCRIPTION_KINDS = ['added', 'removed', 'modified', 'renamed', 'moved'] as const;
export const DELIVERY_TYPES = ['webhook', 'email', 'sqs'] as const;
export type DeliveryType = (typeof DELIVERY_TYPES)[number];

/** What FormData and URLSearchParams both offer. */
export interface FormFields {
  get(name: string): unknown;
  getAll(name: string): unknown[];
}

export interface SubscriptionRequestBody {
  filters: {
    pages?: string[];
    series?: string[];
    editions?: number[];
    sectionPrefixes?: string[];
    kinds?: string[];
    minSignificance?: number;
    terms?: string[];
    includeTrivial?: boolean;
  };
  delivery: { type: 'webhook'; url: string; secret?: string } | { type: 'email'; address: string } | { type: 'sqs'; queueArn: string };
}

export interface SubscriptionFormResult {
  body?: SubscriptionRequestBody;
  /** "field: problem" messages; the body is absent when there is any. */
  errors: string[];
}

function text(fields: FormFields, name: string): string {
  const value = fields.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/** Ids and years: commas, newlines or spaces separate them. */
function tokens(fields: FormFields, name: string): string[] {
  return text(fields, name)
    .split(/[\s,]+/)
    .filter((token) => token.length > 0);
}

/** Terms may contain spaces ("climate change"): only commas and newlines separate them. */
function phrases(fields: FormFields, name: string): string[] {
  return text(fields, name)
    .split(/[\n,]+/)
    .map((phrase) => phrase.trim())
    .filter((phrase) => phrase.length > 0);
}

export function subscriptionRequestFrom(fields: FormFields): SubscriptionFormResult {
  const errors: string[] = [];
  const type = text(fields, 'deliveryType') as DeliveryType;
  let delivery: SubscriptionRequestBody['delivery'] | undefined;
  if (type === 'webhook') {
    const url = text(fields, 'webhookUrl');
    const secret = text(fields, 'webhookSecret');
    if (!url) errors.push('webhookUrl: give the URL to POST notifications to');
    if (secret && secret.length < 16) errors.push('webhookSecret: at least 16 characters, or leave it empty to have one generated');
    delivery = { type: 'webhook', url, ...(secret ? { secret } : {}) };
  } else if (type === 'email') {
    const address = text(fields, 'email');
    if (!address) errors.push('email: give an address');
    delivery = { type: 'email', address };
  } else if (type === 'sqs') {
    const queueArn = text(fields, 'queueArn');
    if (!queueArn) errors.push('queueArn: give the ARN of a standard SQS queue');
    delivery = { type: 'sqs', queueArn };
  } else {
    errors.push('deliveryType: choose webhook, email or sqs');
  }

  const filters: SubscriptionRequestBody['filters'] = {};
  const pages = tokens(fields, 'pages');
  if (pages.length > 0) filters.pages = pages;
  const series = tokens(fields, 'series').map((value) => value.replaceAll('~', '/'));
  if (series.length > 0) filters.series = series;
  const editions = tokens(fields, 'editions');
  if (editions.length > 0) {
    const years = editions.map(Number);
    if (years.some((year) => !Number.isInteger(year) || year < 0)) errors.push('editions: whole numbers (years), separated by commas');
    else filters.editions = years;
  }
  const prefixes = tokens(fields, 'sectionPrefixes');
  if (prefixes.length > 0) filters.sectionPrefixes = prefixes;
  const kinds = fields
    .getAll('kinds')
    .filter((kind): kind is string => typeof kind === 'string' && (SUBSCRIPTION_KINDS as readonly string[]).includes(kind));
  // Every kind ticked is the same as no kind filter (and costs nothing against SNS's filter limits).
  if (kinds.length > 0 && kinds.length < SUBSCRIPTION_KINDS.length) filters.kinds = kinds;
  const significance = text(fields, 'minSignificance');
  if (significance) {
    const value = Number(significance);
    if (!Number.isFinite(value) || value < 0 || value > 1) errors.push('minSignificance: a number from 0 to 1');
    else if (value > 0) filters.minSignificance = value;
  }
  const terms = phrases(fields, 'terms');
  if (terms.length > 0) filters.terms = terms;
  if (text(fields, 'includeTrivial') === 'true') filters.includeTrivial = true;

  return errors.length > 0 || !delivery ? { errors } : { body: { filters, delivery }, errors: [] };
}

function shellQuote(value: string): string {
  return /^[\w@%+=:,./~-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
}

/** The same request with curl and a bearer token (the local API), for copying. */
export function curlCommand(endpoint: string, body: SubscriptionRequestBody): string {
  return [
    `curl -sS -X POST ${shellQuote(endpoint)}`,
    `  -H "Authorization: Bearer $REDLINE_API_TOKEN"`,
    `  -H 'Content-Type: application/json'`,
    `  --data ${shellQuote(JSON.stringify(body))}`,
  ].join(' \\\n');
}

/** The same subscription with the CLI (`redline subscribe`), which also works against a deployed stack. */
export function cliCommand(body: SubscriptionRequestBody): string {
  const args = ['redline', 'subscribe'];
  const { delivery, filters } = body;
  if (delivery.type === 'webhook') {
    args.push('--webhook', shellQuote(delivery.url));
    if (delivery.secret) args.push('--secret', shellQuote(delivery.secret));
  } else if (delivery.type === 'email') args.push('--email', shellQuote(delivery.address));
  else args.push('--sqs', shellQuote(delivery.queueArn));
  for (const page of filters.pages ?? []) args.push('--page', shellQuote(page));
  for (const series of filters.series ?? []) args.push('--series', shellQuote(series));
  for (const edition of filters.editions ?? []) args.push('--edition', String(edition));
  for (const prefix of filters.sectionPrefixes ?? []) args.push('--section-prefix', shellQuote(prefix));
  for (const kind of filters.kinds ?? []) args.push('--kind', kind);
  if (filters.minSignificance !== undefined) args.push('--min-significance', String(filters.minSignificance));
  for (const term of filters.terms ?? []) args.push('--term', shellQuote(term));
  if (filters.includeTrivial) args.push('--include-trivial');
  return args.join(' ');
}
