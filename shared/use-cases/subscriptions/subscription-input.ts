import * as z from 'zod';
import { CHANGE_KINDS } from '../../domain/subscription-filter.js';
import { parseWithSchema } from '../queries/query-input.js';

/**
 * The shape of a new subscription as callers send it (API body, CLI flags turned into an object). Semantic checks
 * (SNS limits, URL policy, duplicates) happen in createSubscription.
 */
export const subscriptionFiltersSchema = z
  .object({
    pages: z
      .array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/, 'not a page id'))
      .max(100)
      .optional(),
    series: z.array(z.string().min(1).max(200)).max(100).optional(),
    editions: z.array(z.number().int().min(0).max(999_999)).max(100).optional(),
    sectionPrefixes: z
      .array(z.string().regex(/^[a-z0-9][a-z0-9~/-]{0,299}$/i, 'not a section key prefix'))
      .max(100)
      .optional(),
    kinds: z.array(z.enum(CHANGE_KINDS)).max(CHANGE_KINDS.length).optional(),
    minSignificance: z.number().min(0).max(1).optional(),
    terms: z.array(z.string().min(1).max(100)).max(50).optional(),
    includeTrivial: z.boolean().optional(),
  })
  .strict();

export const subscriptionDeliverySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('email'), address: z.email().max(254) }).strict(),
  z
    .object({
      type: z.literal('webhook'),
      url: z.string().min(1).max(2048),
      /** Optional: generated (and shown once) when absent. */
      secret: z.string().min(16).max(256).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('sqs'),
      // Standard queues only: SNS standard topics cannot deliver to FIFO queues.
      queueArn: z.string().regex(/^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}$/, 'not the ARN of a standard SQS queue'),
    })
    .strict(),
]);

export const createSubscriptionSchema = z
  .object({
    filters: subscriptionFiltersSchema.default({}),
    delivery: subscriptionDeliverySchema,
  })
  .strict();

export type CreateSubscriptionInput = z.infer<typeof createSubscriptionSchema>;

/** Throws ValidationError naming the first bad field (`delivery.url: ...`). */
export function parseCreateSubscription(value: unknown): CreateSubscriptionInput {
  return parseWithSchema(createSubscriptionSchema, value, 'body');
}
