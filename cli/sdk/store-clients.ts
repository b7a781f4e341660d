/**
 * The SDK clients of a store, for `await import('./sdk/store-clients.js')`: an ES module that re-exports the
 * CommonJS SDK packages, so that their named exports survive bundling (esbuild gives a CommonJS package imported
 * dynamically only a default export in a split chunk; a static import inside an ES module keeps the names).
 */
export { DynamoDBClient } from '@aws-sdk/client-dynamodb';
export { S3Client } from '@aws-sdk/client-s3';
