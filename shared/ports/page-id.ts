import { ValidationError } from '../errors.js';

/** Page ids are URL-safe and contain no slashes (docs/data-model.md, "Page ids"); they are embedded in S3 keys and DynamoDB keys. */
export const PAGE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/;

export function assertPageId(page: string): string {
  if (typeof page !== 'string' || !PAGE_ID_PATTERN.test(page)) {
    throw new ValidationError(`Invalid page id: ${JSON.stringify(String(page).slice(0, 100))}`);
  }
  return page;
}
